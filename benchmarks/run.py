"""privacykg benchmarks: one command that measures and writes benchmarks/README.md.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--budget SECONDS] [--limit SECONDS] [--skip-endpoint]
                             [--versions N,V] [--versions-only] [--layout [--whole-limit SECONDS]]

For each corpus size N (synthetic policies from `privacykg synth`, shaped like the real five):

* build: `privacykg build` (validation, quote checks and SHACL included) against (a) the floor,
  pyoxigraph `bulk_load` of the very same quads, and (b) what most Python users do today, rdflib
  parsing the same quads into an in-memory Dataset; time and peak memory (RSS of a fresh process);
* every competency question: p50 / p95 latency on our store against rdflib in memory;
* incremental: replacing one policy in the N-policy store (`privacykg load`);
* endpoint: requests/s at 1, 8 and 32 concurrent clients, a cheap and an expensive query, our
  `privacykg serve` against `oxigraph serve-read-only` on the same store, on 127.0.0.1, each run
  bounded in requests and time;
* Virtuoso (Debian `virtuoso-opensource-7-bin`, the store users compare with), when installed:
  the same quads loaded with its own bulk loader (`ld_dir` + `rdf_loader_run`), every competency
  question's latency over its HTTP endpoint, and the same endpoint load test.

Then, once (``--versions N,V``, default 100 x 10; ``0`` leaves it out): N synthetic policies of V
versions each (``privacykg.synth_versions``) against N x V unrelated synthetic policies: build
time, store size (quads, bytes on disk), whole-corpus, one-policy and history questions
(cq37-cq39; cq36 is measured elsewhere), the timeline and the diff of two versions.

Ratios measured in the same run are the figures; absolute times are context. A step that would
exceed the time budget is skipped and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench"
PY = sys.executable
BIN = Path(sys.executable).parent


MEASURE = """
import json, os, sys, time
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status), "maxrss_kib": usage.ru_maxrss,
               "cpu_s": usage.ru_utime + usage.ru_stime}, f)
"""


def run_measured(args: list[str]) -> tuple[float, float, int, float]:
    """Run a command in a fresh process: (seconds, peak RSS in MiB, exit code, CPU seconds).

    The command is started by a small launcher process, whose own rusage is not counted: Linux
    carries the memory high-water mark of the process that forks over to the child (until it
    execs), so a command started straight from this (by then large) process would report this
    process's size as its own. The CPU seconds (user + system) include the processes the
    command started and waited for (a build validates in a child process); the peak RSS is that
    of the largest one of them, not a sum. On a shared machine the CPU seconds vary less than
    the wall time."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [PY, "-c", MEASURE, out.name, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            _, err = proc.communicate()
        except KeyboardInterrupt:
            proc.kill()
            raise
        dt = time.perf_counter() - t
        m = json.loads(Path(out.name).read_text() or "{}") if proc.returncode == 0 else {}
    code = m.get("code", proc.returncode or 1)
    if code != 0:
        sys.stderr.write(err.decode()[-2000:])
    return dt, m.get("maxrss_kib", 0) / 1024, code, m.get("cpu_s", 0.0)


def py_step(code: str, *args: str) -> list[str]:
    return [PY, "-c", code, *args]


FLOOR = """
import sys, pyoxigraph as ox
st = ox.Store(sys.argv[2]); st.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); st.flush()
"""
RDFLIB = """
import sys, rdflib
ds = rdflib.Dataset(); ds.parse(sys.argv[1], format="nquads"); print(len(ds))
"""
LOAD_CALL = """
import sys, time, privacykg
t = time.perf_counter(); privacykg.load(sys.argv[1], sys.argv[2]); print(time.perf_counter() - t)
"""
CQ_RDFLIB = """
import sys, json, time, signal, rdflib

class Late(Exception):
    pass

def late(*_):
    raise Late()

signal.signal(signal.SIGALRM, late)
ds = rdflib.Dataset(default_union=True); ds.parse(sys.argv[1], format="nquads")
limit = float(sys.argv[3])
for path in sys.argv[4:]:
    text = open(path).read(); times = []
    for _ in range(int(sys.argv[2])):
        signal.setitimer(signal.ITIMER_REAL, limit)
        t = time.perf_counter()
        try:
            list(ds.query(text))
        except Late:
            print(json.dumps({"path": path, "timeout": limit}), flush=True)
            times = None
            break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
        if times[-1] > 5: break
    if times:
        print(json.dumps({"path": path, "times": times}), flush=True)
"""


CQ_ONCE = """
import sys, json, time, privacykg
from privacykg.queries import load_library, run, substitutions
st = privacykg.open_store(sys.argv[1])
q = load_library()[sys.argv[2]]
t = time.perf_counter(); rows = sum(1 for _ in run(st, q.text, substitutions(q, {}), scoped=True))
print(json.dumps({"s": time.perf_counter() - t, "rows": rows}))
"""


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo = int(k)
    return xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (k - lo)


def summary(times_by_id: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """p50 and p95 of each question's run times."""
    return {k: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95)} for k, v in times_by_id.items()}


def middle_policy(data: Path, n: int) -> Path:
    """The annotation file of the middle policy of a corpus of n: the one the one-policy
    questions and the incremental replace use."""
    return sorted((data / "policies").glob("*.yaml"))[n // 2]


SLOW = 10.0  # seconds: a question slower than this is run once (its p50 and p95 are that run)


def cq_latency(store: Path, repeats: int, given: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Each competency question's run times on the store, in process, as `privacykg query` runs
    them; with ``given``, only the questions that take those parameters, run with them bound
    (e.g. one policy's slug: asked of that policy's dataset only)."""
    import privacykg
    from privacykg.queries import load_library, run, substitutions

    st = privacykg.open_store(store)
    out = {}
    for q in load_library().values():
        if q.kind != "cq" or (given and not set(given) <= {p.name for p in q.params}):
            continue
        subs = substitutions(q, given or {})
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            res = run(st, q.text, subs, scoped=True)
            if hasattr(res, "__iter__"):
                for _ in res:
                    pass
            times.append(time.perf_counter() - t)
            if times[-1] > SLOW:
                break
        out[q.id] = times
        print(f"  {q.id} {times[-1] * 1000:.0f} ms", flush=True)
    return out


def whole_corpus_once(store: Path, limit: float) -> tuple[dict, dict]:
    """Each competency question asked once over the whole corpus, each in its own process stopped
    after ``limit`` seconds (a question that reads every statement of 10,000 policies may not
    end in any time worth waiting): ({id: {p50, p95, rows}}, {id: limit} of those stopped). The
    time is the query's own, read in the child (opening the store not counted)."""
    from privacykg.queries import load_library

    done, stopped = {}, {}
    for q in load_library().values():
        if q.kind != "cq":
            continue
        try:
            out = subprocess.run(
                py_step(CQ_ONCE, str(store), q.id), cwd=ROOT, capture_output=True, text=True, timeout=limit + 30
            )
        except subprocess.TimeoutExpired:
            stopped[q.id] = limit
            print(f"  {q.id} stopped after {limit:.0f} s", flush=True)
            continue
        if out.returncode != 0:
            raise SystemExit(f"{q.id} failed over the whole corpus: {out.stderr[-2000:]}")
        row = json.loads(out.stdout.strip().splitlines()[-1])
        if row["s"] > limit:
            stopped[q.id] = limit
            continue
        done[q.id] = {"p50": row["s"], "p95": row["s"], "rows": row["rows"]}
        print(f"  {q.id} {row['s'] * 1000:.0f} ms, {row['rows']} rows", flush=True)
    return done, stopped


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _query_request(url: str, body: bytes) -> urllib.request.Request:
    """A SPARQL protocol POST (form-encoded ``body``) asking for JSON results."""
    return urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )


def load_test(url: str, query: str, clients: int, max_requests: int, max_seconds: float) -> dict:
    """requests/s of `clients` threads sending the query until either bound is reached."""
    body = urllib.parse.urlencode({"query": query}).encode()
    lock = threading.Lock()
    state = {"done": 0, "errors": 0, "5xx": 0}
    deadline = time.perf_counter() + max_seconds

    def worker():
        while True:
            with lock:
                if state["done"] >= max_requests or time.perf_counter() > deadline:
                    return
                state["done"] += 1
            req = _query_request(url, body)
            try:
                urllib.request.urlopen(req, timeout=60).read()
            except urllib.error.HTTPError as exc:
                with lock:
                    state["errors"] += 1
                    state["5xx"] += exc.code >= 500
            except OSError:
                with lock:
                    state["errors"] += 1

    t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    dt = time.perf_counter() - t
    return {"rps": state["done"] / dt, "requests": state["done"], "errors": state["errors"], "5xx": state["5xx"]}


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 680000
MaxDirtyBuffers = 500000
DirsAllowed = ., {d}, {load}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 32
ServerThreads = 32
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    """A throw-away Virtuoso on 127.0.0.1 (a fresh database directory), stopped on exit."""

    def __init__(self, workdir: Path, load_dir: Path):
        self.exe, self.isql_exe = shutil.which("virtuoso-t"), shutil.which("isql-vt")
        self.dir, self.load_dir = workdir, load_dir
        self.proc = None

    def __enter__(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.sql, self.http = free_port(), free_port()
        (self.dir / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(d=self.dir, load=self.load_dir, sql=self.sql, http=self.http)
        )
        self.proc = subprocess.Popen(
            [self.exe, "+configfile", str(self.dir / "virtuoso.ini"), "+foreground"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.http}/sparql"
        if not wait_http(self.url + "?query=ASK%7B%7D", 120):
            self.__exit__()
            raise RuntimeError("Virtuoso did not start: " + (self.dir / "virtuoso.log").read_text()[-2000:])
        return self

    def isql(self, sql: str, timeout: float) -> str:
        out = subprocess.run(
            [self.isql_exe, f"127.0.0.1:{self.sql}", "dba", "dba", f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return out.stdout

    def bulk_load(self, nq: Path, timeout: float) -> dict:
        """Virtuoso's own loader on the N-Quads file (graphs from the quads), then a checkpoint."""
        t = time.perf_counter()
        self.isql(
            f"ld_dir('{nq.parent}', '{nq.name}', 'urn:privacykg:default'); rdf_loader_run(); checkpoint;", timeout
        )
        dt = time.perf_counter() - t
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;", 60)
        count = self.isql("SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } };", 600)
        quads = max((int(w) for w in count.split() if w.isdigit()), default=0)
        return {"s": dt, "quads": quads, "errors": "" if "0 Rows" in errors else errors.strip()[-500:]}

    def __exit__(self, *exc):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def http_query_latency(
    url: str, repeats: int, budget: float, limit: float, timeouts: dict[str, float] | None = None
) -> dict[str, list[float]]:
    """Every competency question sent as it is (no parameters) to a SPARQL endpoint, the whole
    JSON answer read; a question slower than SLOW seconds is run once, one that does not answer
    within ``limit`` seconds is left out (and said so)."""
    from privacykg.queries import load_library

    out = {}
    deadline = time.perf_counter() + budget
    for q in load_library().values():
        if q.kind != "cq":
            continue
        body = urllib.parse.urlencode({"query": q.text}).encode()
        times = []
        for _ in range(repeats):
            if time.perf_counter() > deadline:
                break
            req = _query_request(url, body)
            t = time.perf_counter()
            try:
                urllib.request.urlopen(req, timeout=limit).read()
            except OSError as exc:
                print(f"  {q.id} on Virtuoso: {exc}", flush=True)
                if timeouts is not None and "timed out" in str(exc):
                    timeouts[q.id] = limit
                break
            times.append(time.perf_counter() - t)
            if times[-1] > SLOW:
                break
        if times:
            out[q.id] = times
    return out


def virtuoso_bench(nq: Path, res: dict, budget: float, skip_endpoint: bool, limit: float):
    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        res["virtuoso"] = {"skipped": "Virtuoso is not installed (make test-deps installs it)"}
        return
    with Virtuoso(WORK / "virtuoso-db", nq.parent) as v:
        load = v.bulk_load(nq, budget)
        print(f"  Virtuoso bulk load {load['s']:.1f}s, {load['quads']:,} quads {load['errors']}", flush=True)
        late: dict[str, float] = {}
        lat = http_query_latency(v.url, 3, budget, limit, late)
        res["virtuoso"] = {"load": load, "cq_timeout": late, "cq": summary(lat)}
        if not skip_endpoint:
            from privacykg.queries import resolve_query

            expensive = resolve_query(EXPENSIVE_CQ).text
            for name, q in (("cheap", CHEAP), ("expensive", expensive)):
                for clients in (1, 8, 32):
                    row = load_test(v.url, q, clients, 2000, 10)
                    res.setdefault("endpoint", {}).setdefault(f"{name}@{clients}", {})["virtuoso"] = row
                    print(f"  endpoint Virtuoso {name} x{clients}: {json.dumps(row)}", flush=True)


CHEAP = "PREFIX dpv: <https://w3id.org/dpv#> SELECT ?n WHERE { ?n a dpv:PrivacyNotice } LIMIT 10"
EXPENSIVE_CQ = "cq01"


def endpoint_bench(store: Path, results: dict):
    from privacykg.queries import resolve_query

    expensive = resolve_query(EXPENSIVE_CQ).text
    target = os.path.realpath(store)
    ours_port, ox_port = free_port(), free_port()
    env = dict(os.environ, PRIVACYKG_SERVE_LIFETIME="900")
    ours = subprocess.Popen(
        [str(BIN / "privacykg"), "serve", "--port", str(ours_port), "--store", str(store)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    oxi = None
    if (BIN / "oxigraph").exists():
        oxi = subprocess.Popen(
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                target,
                "--bind",
                f"127.0.0.1:{ox_port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        wait_http(f"http://127.0.0.1:{ours_port}/health")
        if oxi:
            wait_http(f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D")
        for name, q in (("cheap", CHEAP), ("expensive", expensive)):
            for clients in (1, 8, 32):
                row = {"ours": load_test(f"http://127.0.0.1:{ours_port}/sparql", q, clients, 2000, 10)}
                if oxi:
                    row["oxigraph"] = load_test(f"http://127.0.0.1:{ox_port}/query", q, clients, 2000, 10)
                results[f"{name}@{clients}"] = row
                print(f"  endpoint {name} x{clients}: {json.dumps(row)}", flush=True)
    finally:
        for p in (ours, oxi):
            if p:
                p.terminate()
                p.wait(10)


def one_policy_latency(store: Path, data: Path, res: dict) -> None:
    """The questions that take a ``policy`` parameter, asked of one policy (the middle one of
    the corpus): what a reader of one policy waits for, whatever the size of the corpus."""
    slug = middle_policy(data, res["n"]).stem[: -len("-YYYY-MM-DD")]
    lat = cq_latency(store, 5, {"policy": slug})
    res["cq_ours_one"] = summary(lat)
    res["cq_one_policy"] = slug


def page_latency(store: Path, data: Path, n: int, repeats: int = 5) -> dict[str, dict[str, float]]:
    """p50 / p95 of the middle policy's linked-data page (HTML) and its /api/graph, served
    in process by the app (Starlette's test client: no network, the app's own work)."""
    from starlette.testclient import TestClient

    from privacykg.server import Settings, create_app

    stem = middle_policy(data, n).stem
    slug, version = stem[: -len("-YYYY-MM-DD")], stem[-len("YYYY-MM-DD") :]
    notice = f"https://w3id.org/privacykg/policy/{slug}/{version}"
    out = {}
    with TestClient(create_app(Settings(store=store))) as client:
        for name, url, params in (
            ("policy page", f"/policy/{slug}/{version}", {}),
            ("/api/graph", "/api/graph", {"policy": notice}),
        ):
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                r = client.get(url, params=params, headers={"Accept": "text/html"})
                times.append(time.perf_counter() - t)
                if r.status_code != 200:
                    raise SystemExit(f"{url} answered {r.status_code} at {n} policies")
            out[name] = summary({name: times})[name]
    return out


def layout_remeasure(n: int, res: dict, whole_limit: float) -> None:
    """The one-policy questions, the pages and the whole-corpus questions measured on the store
    a ``--layout`` run built (its build figures kept)."""
    data, store = WORK / f"data-{n}", WORK / f"store-{n}"
    lay = res["layout"]
    slug = middle_policy(data, n).stem[: -len("-YYYY-MM-DD")]
    lay["one_policy"] = slug
    lay["cq_one"] = summary(cq_latency(store, 5, {"policy": slug}))
    print(
        f"N={n} one policy: " + ", ".join(f"{k} {v['p50'] * 1000:.0f} ms" for k, v in lay["cq_one"].items()), flush=True
    )
    lay["pages"] = page_latency(store, data, n)
    lay["cq_whole"], lay["cq_whole_stopped"] = whole_corpus_once(store, whole_limit)


def layout_bench(n: int, res: dict, whole_limit: float) -> None:
    """Issue 14 (one triple, one place) measured again on a fresh build of the same corpus:
    build time, every question over the whole corpus (once each), the questions that take a
    policy asked of one policy (5 times each) and the middle policy's page and graph. The
    figures of the earlier layout stay in ``res`` for comparison."""
    store = WORK / f"store-{n}"
    data, _ = synth_data(n)
    dt, rss, code, cpu = fresh_build(data, store)
    if code != 0:
        raise SystemExit(f"privacykg build failed on {data} (exit {code})")
    import privacykg

    st = privacykg.open_store(store)
    res["layout"] = {"build": {"s": dt, "rss_mib": rss, "cpu_s": cpu}, "quads": len(st)}
    del st
    print(f"N={n} build {dt:.1f}s {rss:.0f} MiB", flush=True)
    layout_remeasure(n, res, whole_limit)


def layout_report(all_results: list[dict]) -> list[str]:
    """The section on issue 14's layout: before (the earlier run's figures) and now."""
    rows = [r for r in all_results if "layout" in r]
    if not rows:
        return []
    lines = [
        "## One triple, one place (issue 14): the same corpora measured again",
        "",
        "Each corpus built afresh with the layout where no triple is stored twice (organisations' "
        "statements once, in their own graphs), then: the questions that take a `policy`, asked of "
        "one policy (the middle one) and evaluated over that policy's dataset only (its graphs, "
        "its organisations' graphs, the vocabulary); the middle policy's HTML page and `/api/graph` "
        '(in process); and every question over the whole corpus, once. "Before" is the earlier '
        "run's figure; where a corpus was synthesised again since, the note under the table says how "
        "it differs (a later corpus says more, so its whole-corpus figures compare only roughly).",
        "",
        "| policies | quads before | quads now | build before | build now | peak RSS now | policy page p50 | /api/graph p50 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lay = r["layout"]
        pages = lay["pages"]
        lines.append(
            f"| {r['n']:,} | {r.get('quads', 0):,} | {lay['quads']:,} | {r['build']['s']:.1f} s | "
            f"{lay['build']['s']:.1f} s | {lay['build']['rss_mib']:.0f} MiB | "
            f"{_ms(pages['policy page']['p50'])} ms | {_ms(pages['/api/graph']['p50'])} ms |"
        )
    lines += [""] + [f"Note on {r['n']:,}: {r['layout']['note']}" for r in rows if r["layout"].get("note")]
    lines += [
        "",
        "Questions (p50, ms): one policy before and now; the whole corpus before and now.",
        "",
        "| query | "
        + " | ".join(
            f"{r['n']:,}: one before | {r['n']:,}: one now | {r['n']:,}: whole before | {r['n']:,}: whole now"
            for r in rows
        )
        + " |",
        "|---|" + "---:|" * (4 * len(rows)),
    ]
    ids = sorted({k for r in rows for k in (*r["layout"]["cq_whole"], *r["layout"].get("cq_whole_stopped", {}))})
    for k in ids:
        cells = []
        for r in rows:
            lay = r["layout"]
            one_b, one_n = r.get("cq_ours_one", {}).get(k), lay["cq_one"].get(k)
            wh_b, wh_n = r.get("cq_ours", {}).get(k), lay["cq_whole"].get(k)
            stopped = lay.get("cq_whole_stopped", {}).get(k)
            cells += [
                _ms(one_b["p50"]) if one_b else "-",
                _ms(one_n["p50"]) if one_n else "-",
                _ms(wh_b["p50"]) if wh_b else "n/a",
                _ms(wh_n["p50"]) if wh_n else f"stopped after {stopped:.0f} s" if stopped else "n/a",
            ]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    judged = rows[-1]
    one = judged["layout"]["cq_one"]
    over = sorted((k for k, v in one.items() if v["p50"] > 0.1), key=lambda k: -one[k]["p50"])
    lines += [
        "",
        f"At {judged['n']:,} policies, {len(one) - len(over)} of the {len(one)} one-policy questions have "
        f"p50 <= 100 ms"
        + (": over: " + ", ".join(f"{k} {one[k]['p50'] * 1000:.0f} ms" for k in over) if over else "")
        + ".",
        "",
    ]
    if len(rows) > 1:
        small, big = rows[0]["layout"]["cq_one"], rows[-1]["layout"]["cq_one"]
        grew = sorted(k for k in big if k in small and small[k]["p50"] > 0 and big[k]["p50"] > 1.5 * small[k]["p50"])
        lines += [
            f"From {rows[0]['n']:,} to {rows[-1]['n']:,} policies, one-policy p50 grew more than 1.5x for: "
            + (
                ", ".join(f"{k} ({small[k]['p50'] * 1000:.0f} -> {big[k]['p50'] * 1000:.0f} ms)" for k in grew)
                if grew
                else "none"
            )
            + ".",
            "",
        ]
    return lines


def incremental(store: Path, data: Path, res: dict) -> None:
    """Replace one policy (the middle one) in the store: `privacykg load` in a fresh process, and
    the `privacykg.load()` call alone (after the imports, as in a long-running program)."""
    n = res["n"]
    one = middle_policy(data, n)
    dt, rss, code, _ = run_measured([str(BIN / "privacykg"), "load", str(one), "--store", str(store)])
    out = subprocess.run(py_step(LOAD_CALL, str(one), str(store)), cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"privacykg.load() failed: {out.stderr[-2000:]}")
    call = float(out.stdout.split()[-1])
    res["incremental"] = {"s": dt, "ok": code == 0, "call_s": call}
    print(f"N={n} incremental load {dt:.2f}s (the call alone, after imports: {call:.2f}s)", flush=True)


def seed_templates() -> Path:
    """A folder holding the annotation files of the five seed policies (those with a plain-text
    source; the open policies' are Markdown) to sample the synthetic corpora from, so that a
    corpus of n policies stays the same as data/ grows (data/ also holds the open policies' long
    version histories and subprocessor lists, which would make most synthetic policies GitHub-
    or Basecamp-shaped)."""
    folder = WORK / "seeds"
    (folder / "policies").mkdir(parents=True, exist_ok=True)
    for text in sorted((ROOT / "data" / "sources").glob("*.txt")):
        shutil.copy(ROOT / "data" / "policies" / f"{text.stem}.yaml", folder / "policies")
    return folder


def synth_data(n: int) -> tuple[Path, float | None]:
    """The synthetic corpus of n policies (written once, kept for later runs) and the seconds
    writing it took (None when it was there already)."""
    data = WORK / f"data-{n}"
    if (data / ".complete").exists():
        return data, None
    shutil.rmtree(data, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [str(BIN / "privacykg"), "synth", "--policies", str(n), "--out", str(data), "--seed", "1"]
        + ["--from", str(seed_templates())],
        cwd=ROOT,
        check=True,
    )
    (data / ".complete").touch()
    return data, time.perf_counter() - t


def fresh_build(data: Path, store: Path) -> tuple[float, float, int, float]:
    """`privacykg build` of ``data`` into a new ``store``, measured (see :func:`run_measured`)."""
    shutil.rmtree(store, ignore_errors=True)
    return run_measured([str(BIN / "privacykg"), "build", "--data", str(data), "--store", str(store), "-q"])


def bench_size(n: int, budget: float, skip_endpoint: bool, limit: float) -> dict:
    res: dict = {"n": n}
    data, synth_s = synth_data(n)
    if synth_s is not None:
        res["synth_s"] = synth_s
    store = WORK / f"store-{n}"
    dt, rss, code, cpu = fresh_build(data, store)  # a fresh build, as the floor gets a fresh store
    res["build"] = {"s": dt, "rss_mib": rss, "ok": code == 0, "cpu_s": cpu}
    if code != 0:
        raise SystemExit(f"privacykg build failed on {data} (exit {code}): the figures would mean nothing")
    print(f"N={n} build {dt:.1f}s ({cpu:.1f} s CPU) {rss:.0f} MiB", flush=True)
    nq = WORK / f"all-{n}.nq"
    subprocess.run([str(BIN / "privacykg"), "export", "--store", str(store), "-o", str(nq)], cwd=ROOT, check=True)
    res["quads"] = sum(1 for _ in open(nq, "rb"))
    floor_dir = WORK / f"floor-{n}"
    shutil.rmtree(floor_dir, ignore_errors=True)
    dt, rss, code, cpu = run_measured(py_step(FLOOR, str(nq), str(floor_dir)))
    res["floor"] = {"s": dt, "rss_mib": rss, "cpu_s": cpu}
    shutil.rmtree(floor_dir, ignore_errors=True)
    print(f"N={n} floor bulk_load {dt:.1f}s ({cpu:.1f} s CPU) {rss:.0f} MiB", flush=True)
    est_rdflib = res["quads"] / 40000
    est_mib = res["quads"] * 1.9 / 1024  # rdflib held about 1.9 KiB per quad at 200 policies
    if est_mib > 16 * 1024:
        res["rdflib"] = {"skipped": f"would need about {est_mib / 1024:.0f} GiB of memory"}
    elif est_rdflib < budget:
        dt, rss, code, _ = run_measured(py_step(RDFLIB, str(nq)))
        res["rdflib"] = {"s": dt, "rss_mib": rss}
        print(f"N={n} rdflib parse {dt:.1f}s {rss:.0f} MiB", flush=True)
    else:
        res["rdflib"] = {"skipped": f"estimated {est_rdflib:.0f} s > budget"}
    lat = cq_latency(store, 3)
    res["cq_ours"] = summary(lat)
    one_policy_latency(store, data, res)
    if "s" in res["rdflib"] and res["rdflib"]["s"] * 2 < budget:
        from privacykg.queries import load_library

        paths = [str(q.path) for q in load_library().values() if q.kind == "cq"]
        # one process parses once; each question gets at most `limit` seconds (then it counts as not
        # finished), and whatever was measured before a crash or the overall timeout is kept
        rd_limit = min(limit, budget / 5)
        proc = subprocess.Popen(
            py_step(CQ_RDFLIB, str(nq), "3", str(rd_limit), *paths),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            stdout, _ = proc.communicate(timeout=res["rdflib"]["s"] * 2 + rd_limit * 3 * len(paths) + 60)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, _ = proc.communicate()
        res["cq_rdflib"], res["cq_rdflib_timeout"] = {}, {}
        for line in stdout.splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            key = Path(row["path"]).stem.split("-")[0]
            if "times" in row:
                res["cq_rdflib"][key] = {"p50": percentile(row["times"], 0.5), "p95": percentile(row["times"], 0.95)}
            else:
                res["cq_rdflib_timeout"][key] = row["timeout"]
        print(
            f"N={n} rdflib questions: {len(res['cq_rdflib'])} finished, "
            f"{len(res['cq_rdflib_timeout'])} over {rd_limit:.0f} s",
            flush=True,
        )
    incremental(store, data, res)
    if not skip_endpoint:
        res["endpoint"] = {}
        endpoint_bench(store, res["endpoint"])
    virtuoso_bench(nq, res, budget, skip_endpoint, limit)
    nq.unlink(missing_ok=True)
    return res


# ---------------------------------------------------------------------------- versions (issue 16, part 6)

#: the questions asked of both corpora: (id, asked of one policy). cq36 (changes between two
#: versions) is left out: its time on long histories is another piece of work, measured there.
VERSION_QUESTIONS = (
    ("cq01", False),
    ("cq16", True),
    ("cq37", False),
    ("cq37", True),
    ("cq38", False),
    ("cq38", True),
    ("cq39", False),
    ("cq39", True),
)


def versions_corpora(n: int, v: int) -> tuple[Path, Path]:
    """The data folders of n policies x v versions and of n x v unrelated policies (both
    seed 1; written once, kept for later runs)."""
    from privacykg.synth import synth
    from privacykg.synth_versions import synth_versions

    vdata, udata = WORK / f"versions-{n}x{v}", WORK / f"unrelated-{n * v}"
    for data, write in (
        (vdata, lambda d: synth_versions(n, v, d, seed=1, templates_dir=ROOT / "data")),
        (udata, lambda d: synth(n * v, d, seed=1, templates_dir=ROOT / "data")),
    ):
        if not (data / ".complete").exists():
            shutil.rmtree(data, ignore_errors=True)
            write(data)
            (data / ".complete").touch()
    return vdata, udata


def store_size(store: Path) -> dict:
    """Quads in the store and bytes its folder takes on disk."""
    import privacykg

    quads = len(privacykg.open_store(store))
    return {"quads": quads, "bytes": sum(f.stat().st_size for f in store.rglob("*") if f.is_file())}


def interleaved(fns: dict[str, dict], repeats: int = 5) -> dict[str, dict]:
    """Each measure's run times on each corpus, the corpora taking turns run by run (so a load
    that other processes put on a shared machine falls on both alike): ``fns`` maps a measure
    to {corpus: callable}; the result {corpus: {measure: p50, p95 (wall), cpu_p50 (this
    process's CPU seconds), runs}}. A measure slower than SLOW seconds on a corpus is run
    once there."""
    out: dict[str, dict] = {}
    for name, by_corpus in fns.items():
        times: dict[str, list] = {c: [] for c in by_corpus}
        for _ in range(repeats):
            for c, fn in by_corpus.items():
                if times[c] and times[c][-1][0] > SLOW:
                    continue
                t, cpu = time.perf_counter(), time.process_time()
                fn()
                times[c].append((time.perf_counter() - t, time.process_time() - cpu))
        for c, xs in times.items():
            wall = [x[0] for x in xs]
            out.setdefault(c, {})[name] = {
                "p50": percentile(wall, 0.5),
                "p95": percentile(wall, 0.95),
                "cpu_p50": percentile([x[1] for x in xs], 0.5),
                "runs": len(xs),
            }
        print(f"  {name}: " + ", ".join(f"{c} {out[c][name]['p50'] * 1000:.0f} ms" for c in times), flush=True)
    return out


def history_measures(store: Path, slugs: list[str], pair: tuple, notices: int) -> dict:
    """What is asked of one corpus, by measure: the questions of VERSION_QUESTIONS (the
    one-policy ones asked of ``slugs[0]``, and as "``notices`` notices" of each slug in turn: the
    one policy of that many versions, or that many unrelated policies), the timeline of ``slugs`` (the one policy's versions, or the same diffs along as many
    unrelated notices) and the diff of the two versions in ``pair`` (policy, date each)."""
    import privacykg
    from privacykg import versions
    from privacykg.queries import load_library, run, substitutions

    st = privacykg.open_store(store)
    lib = {q.id: q for q in load_library().values()}
    out = {}

    def ask(q, asked):
        return lambda: [list(run(st, q.text, substitutions(q, given), scoped=True)) for given in asked]

    for qid, one in VERSION_QUESTIONS:
        q = lib[qid]
        if not one:
            out[f"{qid} whole corpus"] = ask(q, [{}])
            continue
        out[f"{qid} one policy"] = ask(q, [{"policy": slugs[0]}])
        out[f"{qid} {notices} notices"] = ask(q, [{"policy": s} for s in slugs])
    out["timeline"] = lambda: chain_diffs(st, slugs)
    old, new = (versions.find_version(st, p, d) for p, d in pair)
    out["diff"] = lambda: versions.diff_versions(st, old, new)
    return out


def chain_diffs(st, slugs: list[str]) -> list:
    """The timeline of one policy (one slug), or the same work along the first version of each
    of several policies: each notice read once, each compared with the one before."""
    import dataclasses
    import itertools

    from privacykg import versions

    if len(slugs) == 1:
        return versions.timeline(st, slugs[0])
    # keyed by policy and date, as two unrelated policies may share a version date
    found = [
        dataclasses.replace(v, version=f"{v.policy}/{v.version}") for v in (versions.versions(st, s)[0] for s in slugs)
    ]
    read: dict = {}
    out = []
    for prev, cur in itertools.pairwise(found):
        out.append(versions.diff_versions(st, prev, cur, read).counts)
        read.pop(prev.version, None)
    return out


def middle_versions(data: Path, v: int) -> tuple[list[str], tuple]:
    """The middle policy of a corpus and the pair of versions its diff compares: its last two
    versions; in a corpus of one version each, the middle policy and the v - 1 after it (as
    many notices as one policy of the other corpus has versions), the pair the first two."""
    stems = sorted(p.stem for p in (data / "policies").glob("*.yaml"))
    split = [(s[: -len("-YYYY-MM-DD")], s[-len("YYYY-MM-DD") :]) for s in stems]
    slugs = sorted({s for s, _ in split})
    at = len(slugs) // 2
    mine = [x for x in split if x[0] == slugs[at]]
    if len(mine) > 1:
        return [slugs[at]], (mine[-2], mine[-1])
    first = dict(split)
    return slugs[at : at + v], ((slugs[at], first[slugs[at]]), (slugs[at + 1], first[slugs[at + 1]]))


def versions_bench(n: int, v: int) -> dict:
    """Issue 16, part 6: n policies x v versions against n x v unrelated policies, each built
    afresh and sized, then asked the same questions, the two stores taking turns."""
    res: dict = {"versions": {"policies": n, "versions_each": v}}
    fns: dict[str, dict] = {}
    for name, data in zip(("versioned", "unrelated"), versions_corpora(n, v), strict=False):
        store = WORK / f"store-{data.name}"
        dt, rss, code, cpu = fresh_build(data, store)
        if code != 0:
            raise SystemExit(f"privacykg build failed on {data} (exit {code})")
        slugs, pair = middle_versions(data, v)
        res[name] = {
            "build": {"s": dt, "rss_mib": rss, "cpu_s": cpu},
            **store_size(store),
            "policies": slugs,
            "diff_pair": [list(x) for x in pair],
        }
        print(
            f"{name} ({data.name}): build {dt:.1f}s, {res[name]['quads']:,} quads, "
            f"{res[name]['bytes'] / 2**20:.0f} MiB",
            flush=True,
        )
        for measure, fn in history_measures(store, slugs, pair, v).items():
            fns.setdefault(measure, {})[name] = fn
    for name, lat in interleaved(fns).items():
        res[name]["latency"] = lat
    return res


def versions_report(rows: list[dict]) -> list[str]:
    """The section on issue 16's versions: ratios versioned / unrelated, measured in the same run."""
    if not rows:
        return []
    r = rows[-1]
    n, v = r["versions"]["policies"], r["versions"]["versions_each"]
    a, b = r["versioned"], r["unrelated"]
    lines = [
        "## Versions share their statements (issue 16)",
        "",
        (
            f"{n:,} synthetic policies x {v} versions ({n * v:,} policy versions, `privacykg.synth_versions`: "
            "each version the one before with a purpose and a recipient replaced, a data category added "
            f"and one removed) against {n * v:,} unrelated synthetic policies (`privacykg synth`), both "
            "built afresh (`privacykg build`) and asked the same questions in the same run (p50 of 5 runs, "
            "in process, the two stores taking turns run by run). Whole corpus: the question over every policy version. One policy: asked of "
            f"the middle policy's dataset (`policy` bound): its {v} versions in the versioned corpus, "
            f"against one unrelated policy, and against {v} unrelated policies asked one after the other "
            f"(the same number of notices). Timeline: `privacykg.versions.timeline` of that policy "
            f"(each version compared with the one before), against the same {v - 1} comparisons along "
            f"{v} unrelated notices. Diff: `privacykg.versions.diff_versions` of its last two versions "
            "(what `privacykg diff` runs), against the diff of two unrelated notices. cq36 (changes "
            "between two versions) is left out: its time on long histories is another piece of work."
        ),
        "",
        "| measure | versioned | unrelated | versioned / unrelated | the same in CPU seconds |",
        "|---|---:|---:|---:|---:|",
    ]

    def row(name, x, y, fmt, cpu=None):
        ratio = f"{x / y:.2f}" if y else "n/a"
        cpu_ratio = f"{cpu[0] / cpu[1]:.2f}" if cpu and cpu[1] else ""
        lines.append(f"| {name} | {fmt(x)} | {fmt(y)} | {ratio} | {cpu_ratio} |")

    def ms(x):
        return f"{x:.1f}"

    row("build (s)", a["build"]["s"], b["build"]["s"], ms, (a["build"]["cpu_s"], b["build"]["cpu_s"]))
    row("peak RSS build (MiB)", a["build"]["rss_mib"], b["build"]["rss_mib"], lambda x: f"{x:.0f}")
    row("quads", a["quads"], b["quads"], lambda x: f"{x:,}")
    row("store on disk (MiB)", a["bytes"] / 2**20, b["bytes"] / 2**20, lambda x: f"{x:.0f}")
    la, lb = a["latency"], b["latency"]

    def lat(name, x, y):
        cpu = (x["cpu_p50"], y["cpu_p50"]) if "cpu_p50" in x else None
        row(name, x["p50"] * 1000, y["p50"] * 1000, ms, cpu)

    for k in la:
        if k.endswith("one policy"):
            lat(f"{k}, p50 ms ({v} versions / 1 policy)", la[k], lb[k])
            each = f"{k[: -len(' one policy')]} {v} notices"
            lat(f"{k}, p50 ms ({v} versions / {v} policies)", la[each], lb[each])
        elif not k.endswith(" notices"):
            lat(f"{k}, p50 ms", la[k], lb[k])
    return lines + [""]


def _ms(x):
    return f"{x * 1000:.1f}" if x is not None else "n/a"


def write_report(all_results: list[dict], path: Path, notes: str = ""):
    """README.md from the results: the size rows, then the versions rows (those with "versions")."""
    version_rows = [r for r in all_results if "versions" in r]
    all_results = [r for r in all_results if "versions" not in r]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python benchmarks/run.py`, see its docstring). Machine: 2 cores, "
        "24 GiB. Ratios are measured in the same run; absolute times are context. Synthetic corpora "
        "from `privacykg synth --seed 1`, shaped like the five real policies.",
        "",
    ]
    # without matplotlib, the plots an earlier run drew stay listed
    plots = write_plots(all_results, path.parent) or [
        p for p in (path.parent / "build.png", path.parent / "questions.png") if p.exists()
    ]
    lines += [
        "## Build (validation, quote checks and SHACL included)",
        "",
        "| policies | quads | privacykg build | floor: pyoxigraph bulk_load | build / floor | build / floor (CPU s) "
        "| rdflib parse | rdflib / build | Virtuoso bulk load | peak RSS build | peak RSS floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in all_results:
        b, f, rd = r["build"], r["floor"], r["rdflib"]
        rd_s = f"{rd['s']:.1f} s" if "s" in rd else rd.get("skipped", "")
        ratio_rd = f"{rd['s'] / b['s']:.2f}x" if "s" in rd else "n/a"
        cpu = f"{b['cpu_s'] / f['cpu_s']:.1f}x" if b.get("cpu_s") and f.get("cpu_s") else "n/a"
        vl = r.get("virtuoso", {}).get("load")
        v_s = f"{vl['s']:.1f} s" if vl else "n/a"
        lines.append(
            f"| {r['n']:,} | {r['quads']:,} | {b['s']:.1f} s | {f['s']:.1f} s | {b['s'] / f['s']:.1f}x | {cpu} | "
            f"{rd_s} | {ratio_rd} | {v_s} | {b['rss_mib']:.0f} MiB | {f['rss_mib']:.0f} MiB |"
        )
    lines += [
        "",
        "## Competency questions (p50 / p95, ms)",
        "",
        "Ours: `privacykg.query` on the embedded store (in process). Virtuoso: the same query text "
        "over its HTTP endpoint (JSON results read in full), so its figures include an HTTP round "
        "trip. rdflib: the same text on an in-memory `Dataset(default_union=True)`; a question it "
        "did not finish within the budget says n/a. One policy: the questions that take a `policy` "
        "parameter, asked of one policy of the corpus (what a reader of one policy waits for); "
        "a dash where the question takes no such parameter.",
        "",
    ]
    for r in all_results:
        vq = r.get("virtuoso", {}).get("cq", {})
        lines += [
            f"### {r['n']:,} policies",
            "",
            "| query | ours p50 | ours p95 | ours p50, one policy | Virtuoso p50 | ours / Virtuoso | rdflib p50 | rdflib / ours |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for k, v in sorted(r["cq_ours"].items()):
            rd = r.get("cq_rdflib", {}).get(k)
            vv = vq.get(k)
            late = r.get("cq_rdflib_timeout", {}).get(k)
            fx = f"{rd['p50'] / v['p50']:.0f}x" if rd and v["p50"] > 0 else "n/a"
            rd_cell = _ms(rd["p50"] if rd else None)
            if late:
                rd_cell = f"not done in {late:.0f} s"
                fx = f"> {late / v['p50']:.0f}x" if v["p50"] > 0 else "n/a"
            vx = f"{v['p50'] / vv['p50']:.2f}" if vv and vv["p50"] > 0 else "n/a"
            v_cell = _ms(vv["p50"] if vv else None)
            v_late = r.get("virtuoso", {}).get("cq_timeout", {}).get(k)
            if v_late and not vv:
                v_cell, vx = f"not done in {v_late:.0f} s", f"< {v['p50'] / v_late:.2f}"
            one = r.get("cq_ours_one", {}).get(k)
            one_cell = _ms(one["p50"]) if one else ("n/a" if "cq_ours_one" not in r else "-")
            lines.append(
                f"| {k} | {_ms(v['p50'])} | {_ms(v['p95'])} | {one_cell} | {v_cell} | {vx} | {rd_cell} | {fx} |"
            )
        lines.append("")
    lines += layout_report(all_results)
    lines += [
        "## Incremental: replace one policy",
        "",
        "| policies | `privacykg load` (a fresh process) | `privacykg.load()` (the call, after import) |",
        "|---:|---:|---:|",
    ]
    for r in all_results:
        call = r["incremental"].get("call_s")
        lines.append(f"| {r['n']:,} | {r['incremental']['s']:.2f} s | {f'{call:.2f} s' if call else 'n/a'} |")
    lines += [
        "",
        "## Endpoint (requests/s, 127.0.0.1, each run at most 2,000 requests or 10 s)",
        "",
        "| policies | query | clients | privacykg serve | oxigraph serve | ours / oxigraph | Virtuoso | ours / Virtuoso | our errors (5xx) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in all_results:
        for key, row in r.get("endpoint", {}).items():
            name, clients = key.split("@")
            o, x, v = row.get("ours"), row.get("oxigraph"), row.get("virtuoso")
            if not o:
                continue
            cells = [
                f"{r['n']:,}",
                name,
                clients,
                f"{o['rps']:.1f}",
                f"{x['rps']:.1f}" if x else "n/a",
                f"{o['rps'] / x['rps']:.2f}" if x else "n/a",
                f"{v['rps']:.1f}" if v else "n/a",
                f"{o['rps'] / v['rps']:.2f}" if v and v["rps"] else "n/a",
                f"{o['errors']} ({o['5xx']})",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Against the targets", "", *targets_table(all_results), ""]
    lines += versions_report(version_rows)
    if notes:
        lines += [notes.strip(), ""]
    if plots:
        lines += ["## Plots", "", *[f"![{p.stem}]({p.name})" for p in plots], ""]
    lines += ["Raw figures: `benchmarks/results.json`.", ""]
    path.write_text("\n".join(lines))


def targets_table(all_results: list[dict]) -> list[str]:
    """The issue's targets, each judged from this run's figures (at 10,000 policies where run,
    else at the largest size run)."""
    [r["n"] for r in all_results]
    r = next((x for x in all_results if x["n"] == 10000), max(all_results, key=lambda x: x["n"]))
    at = f"at {r['n']:,} policies"
    out = ["| target | measured | met? |", "|---|---|---|"]
    ratio = r["build"]["s"] / r["floor"]["s"]
    out.append(f"| build within 3x the bulk-load floor | {ratio:.1f}x {at} | {'yes' if ratio <= 3 else 'no'} |")
    rss = [(x["n"], x["build"]["rss_mib"]) for x in all_results]
    # flat: the largest corpus needs at most 1.5x the memory of one at least 10x smaller (the
    # smallest corpora are dominated by fixed costs: the interpreter, the ontology, the shapes)
    big = rss[-1]
    small = [x for x in rss if x[0] * 10 <= big[0]]
    flat = bool(small) and big[1] <= small[-1][1] * 1.5
    out.append(
        "| build memory flat in N | "
        + ", ".join(f"{m:.0f} MiB at {n:,}" for n, m in rss)
        + (f" ({big[1] / small[-1][1]:.2f}x from {small[-1][0]:,} to {big[0]:,})" if small else "")
        + f" | {'yes' if flat else ('no' if small else 'too few sizes')} |"
    )
    under = sorted(k for k, v in r["cq_ours"].items() if v["p50"] < 0.1)
    over = sorted((k for k, v in r["cq_ours"].items() if v["p50"] >= 0.1), key=lambda k: -r["cq_ours"][k]["p50"])
    worst = ", ".join(f"{k} {r['cq_ours'][k]['p50']:.2f} s" for k in over[:6])
    out.append(
        f"| every competency question p50 < 100 ms | {len(under)} of {len(r['cq_ours'])} {at}"
        f"{'; slowest: ' + worst if over else ''} | {'yes' if not over else 'no'} |"
    )
    one = r.get("cq_ours_one")
    if one:
        slow1 = sorted((k for k, v in one.items() if v["p50"] >= 0.1), key=lambda k: -one[k]["p50"])
        out.append(
            f"| (context) the same, asked of one policy | {len(one) - len(slow1)} of the {len(one)} that take "
            f"a policy {at}"
            + (": over: " + ", ".join(f"{k} {one[k]['p50'] * 1000:.0f} ms" for k in slow1) if slow1 else "")
            + f" | {'yes' if not slow1 else 'no'} |"
        )
    inc, call = r["incremental"]["s"], r["incremental"].get("call_s")
    out.append(
        f"| incremental replace under 1 s | {inc:.2f} s {at} from the command line"
        f"{f', {call:.2f} s as a call' if call else ''} | {'yes' if min(inc, call or inc) < 1 else 'no'} |"
    )
    ep = r.get("endpoint", {})
    ratios = {k: v["ours"]["rps"] / v["oxigraph"]["rps"] for k, v in ep.items() if v.get("ours") and v.get("oxigraph")}
    if ratios:
        lo = min(ratios.values())
        out.append(
            "| endpoint >= 80% of `oxigraph serve` | "
            + ", ".join(f"{k} {v:.0%}" for k, v in ratios.items())
            + f" | {'yes' if lo >= 0.8 else 'no'} |"
        )
    if "s" in r["rdflib"]:
        bx = r["rdflib"]["s"] / r["build"]["s"]
        qx = [r["cq_rdflib"][k]["p50"] / v["p50"] for k, v in r["cq_ours"].items() if k in r.get("cq_rdflib", {})]
        out.append(
            f"| 20x rdflib in memory on build and questions | build {bx:.2f}x rdflib's parse alone; questions "
            f"{min(qx):.0f}x-{max(qx):.0f}x on the {len(qx)} rdflib finished {at} |"
            if qx
            else f"| 20x rdflib in memory | build {bx:.2f}x {at} |"
        )
        out[-1] += f" {'yes' if bx >= 20 and qx and min(qx) >= 20 else 'no'} |"
    else:
        fit = [x for x in all_results if "s" in x["rdflib"]]
        if fit:
            x = fit[-1]
            out.append(
                f"| 20x rdflib in memory | rdflib not run {at} (too slow for the budget); at {x['n']:,}: "
                f"build {x['rdflib']['s'] / x['build']['s']:.2f}x rdflib's parse | no |"
            )
    return out


def write_plots(all_results: list[dict], folder: Path) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plots (pip install -e '.[bench]')", file=sys.stderr)
        return []
    out = []
    ns = [r["n"] for r in all_results]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ns, [r["build"]["s"] for r in all_results], "o-", label="privacykg build")
    ax.plot(ns, [r["floor"]["s"] for r in all_results], "o-", label="floor: pyoxigraph bulk_load")
    rd = [(r["n"], r["rdflib"]["s"]) for r in all_results if "s" in r["rdflib"]]
    if rd:
        ax.plot(*zip(*rd, strict=False), "o-", label="rdflib parse")
    vl = [(r["n"], r["virtuoso"]["load"]["s"]) for r in all_results if r.get("virtuoso", {}).get("load")]
    if vl:
        ax.plot(*zip(*vl, strict=False), "o-", label="Virtuoso bulk load")
    ax.set(xscale="log", yscale="log", xlabel="policies", ylabel="seconds", title="Build time")
    ax.legend()
    fig.tight_layout()
    out.append(folder / "build.png")
    fig.savefig(out[-1], dpi=100)
    plt.close(fig)
    r = max(all_results, key=lambda x: x["n"])
    keys = sorted(r["cq_ours"])
    fig, ax = plt.subplots(figsize=(10, 4))
    xs = range(len(keys))
    ax.bar([x - 0.2 for x in xs], [r["cq_ours"][k]["p50"] * 1000 for k in keys], 0.4, label="privacykg")
    vq = r.get("virtuoso", {}).get("cq", {})
    if vq:
        ax.bar([x + 0.2 for x in xs], [vq.get(k, {}).get("p50", 0) * 1000 for k in keys], 0.4, label="Virtuoso (HTTP)")
    ax.axhline(100, color="grey", linestyle="--", linewidth=1)
    ax.set_xticks(list(xs), keys, rotation=90)
    ax.set(yscale="log", ylabel="p50 ms", title=f"Competency questions at {r['n']:,} policies")
    ax.legend()
    fig.tight_layout()
    out.append(folder / "questions.png")
    fig.savefig(out[-1], dpi=100)
    plt.close(fig)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--budget", type=float, default=3600, help="seconds one step may take before it is skipped")
    ap.add_argument("--skip-endpoint", action="store_true")
    ap.add_argument(
        "--limit",
        type=float,
        default=60,
        help="seconds one competency question may take on rdflib or Virtuoso before it counts as not done",
    )
    ap.add_argument("--report-only", action="store_true", help="rewrite README.md from results.json")
    ap.add_argument(
        "--stores-only",
        action="store_true",
        help="measure again, on the stores a previous run left in build/bench, what needs only them "
        "(our question latencies, the incremental replace, our endpoint against oxigraph serve), "
        "keeping the run's other figures",
    )
    ap.add_argument(
        "--layout",
        action="store_true",
        help="measure issue 14's layout on fresh builds of the corpora (build, one-policy questions, "
        "pages, whole-corpus questions), keeping the earlier figures beside them; with "
        "--stores-only, the one-policy questions, pages and whole-corpus questions again on the stores it left",
    )
    ap.add_argument(
        "--whole-limit",
        type=float,
        default=300,
        help="with --layout: seconds one question over the whole corpus may take before it is stopped",
    )
    ap.add_argument(
        "--versions",
        default="30,10",
        metavar="N,V",
        help="the versions section: N policies x V versions against N x V unrelated policies "
        "(default 30,10, the size measured in benchmarks/README.md; 0 leaves it out)",
    )
    ap.add_argument(
        "--versions-only",
        action="store_true",
        help="run only the versions section, keeping the other figures of results.json",
    )
    args = ap.parse_args(argv)
    notes_file = ROOT / "benchmarks" / "notes.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    if args.report_only:
        write_report(
            json.loads((ROOT / "benchmarks" / "results.json").read_text()), ROOT / "benchmarks" / "README.md", notes
        )
        return
    if args.layout:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
        for r in results:
            if r.get("n") in args.sizes:
                if args.stores_only and "layout" in r:
                    layout_remeasure(r["n"], r, args.whole_limit)
                else:
                    layout_bench(r["n"], r, args.whole_limit)
                (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
                write_report(results, ROOT / "benchmarks" / "README.md", notes)
        return
    if args.stores_only:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
        for r in results:
            if r.get("n") not in args.sizes:
                continue
            store, data = WORK / f"store-{r['n']}", WORK / f"data-{r['n']}"
            if not store.exists():
                raise SystemExit(f"no store at {store}: run the whole benchmark for {r['n']} policies")
            lat = cq_latency(store, 3)
            r["cq_ours"] = summary(lat)
            one_policy_latency(store, data, r)
            incremental(store, data, r)
            if not args.skip_endpoint:
                virtuoso_rows = {k: v["virtuoso"] for k, v in r.get("endpoint", {}).items() if "virtuoso" in v}
                r["endpoint"] = {}
                endpoint_bench(store, r["endpoint"])
                for k, v in virtuoso_rows.items():
                    r["endpoint"].setdefault(k, {})["virtuoso"] = v
            (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
        write_report(results, ROOT / "benchmarks" / "README.md", notes)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    # sizes measured before (on this machine, by this script) and not asked for again are kept
    old = ROOT / "benchmarks" / "results.json"
    results = json.loads(old.read_text()) if old.exists() else []
    nv = [int(x) for x in args.versions.split(",")] if args.versions != "0" else []
    if args.versions_only and not nv:
        raise SystemExit("--versions-only needs --versions N,V")
    for n in [] if args.versions_only else args.sizes:
        results = [r for r in results if r.get("n") != n]
        results.append(bench_size(n, args.budget, args.skip_endpoint, args.limit))
        results.sort(key=lambda r: r.get("n", 0))
        (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
        write_report(results, ROOT / "benchmarks" / "README.md", notes)
    if nv:
        # one versions row: the one this run measured
        results = [r for r in results if "versions" not in r] + [versions_bench(*nv)]
        (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
        write_report(results, ROOT / "benchmarks" / "README.md", notes)


if __name__ == "__main__":
    main()
