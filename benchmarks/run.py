"""privacykg benchmarks: one command that measures and writes benchmarks/README.md.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--budget SECONDS] [--skip-endpoint]

For each corpus size N (synthetic policies from `privacykg synth`, shaped like the real five):

* build: `privacykg build` (validation, quote checks and SHACL included) against (a) the floor,
  pyoxigraph `bulk_load` of the very same quads, and (b) what most Python users do today, rdflib
  parsing the same quads into an in-memory Dataset; time and peak memory (RSS of a fresh process);
* every competency question: p50 / p95 latency on our store against rdflib in memory;
* incremental: replacing one policy in the N-policy store (`privacykg load`);
* endpoint: requests/s at 1, 8 and 32 concurrent clients, a cheap and an expensive query, our
  `privacykg serve` against `oxigraph serve-read-only` on the same store, on 127.0.0.1, each run
  bounded in requests and time.

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


def run_measured(args: list[str]) -> tuple[float, float, int, float]:
    """Run a command in a fresh process: (seconds, peak RSS in MiB, exit code, CPU seconds).

    The CPU seconds (user + system) include the processes it started and waited for (a build
    validates in a child process); the peak RSS is that of the largest one of them, not a sum.
    On a shared machine the CPU seconds vary less than the wall time."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except KeyboardInterrupt:
        proc.kill()
        raise
    dt = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.read().decode()[-2000:])
    return dt, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


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
CQ_RDFLIB = """
import sys, json, time, rdflib
ds = rdflib.Dataset(default_union=True); ds.parse(sys.argv[1], format="nquads")
out = {}
deadline = time.perf_counter() + float(sys.argv[3])
for path in sys.argv[4:]:
    text = open(path).read(); times = []
    for _ in range(int(sys.argv[2])):
        if time.perf_counter() > deadline: break
        t = time.perf_counter(); list(ds.query(text)); times.append(time.perf_counter() - t)
        if times[-1] > 5: break
    if times: out[path] = times
print(json.dumps(out))
"""


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo = int(k)
    return xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (k - lo)


def cq_latency(store: Path, repeats: int) -> dict[str, list[float]]:
    import privacykg
    from privacykg.queries import load_library, run, substitutions

    st = privacykg.open_store(store)
    out = {}
    for q in load_library().values():
        if q.kind != "cq":
            continue
        subs = substitutions(q, {})
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            res = run(st, q.text, subs)
            if hasattr(res, "__iter__"):
                for _ in res:
                    pass
            times.append(time.perf_counter() - t)
        out[q.id] = times
    return out


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
            req = urllib.request.Request(url, data=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
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


CHEAP = "PREFIX dpv: <https://w3id.org/dpv#> SELECT ?n WHERE { ?n a dpv:PrivacyNotice } LIMIT 10"
EXPENSIVE_CQ = "cq01"


def endpoint_bench(store: Path, results: dict):
    from privacykg.queries import resolve_query

    expensive = resolve_query(EXPENSIVE_CQ).text
    target = os.path.realpath(store)
    ours_port, ox_port = free_port(), free_port()
    env = dict(os.environ, PRIVACYKG_SERVE_LIFETIME="900")
    ours = subprocess.Popen([str(BIN / "privacykg"), "serve", "--port", str(ours_port), "--store", str(store)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    oxi = None
    if (BIN / "oxigraph").exists():
        oxi = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", target, "--bind",
                                f"127.0.0.1:{ox_port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def bench_size(n: int, budget: float, skip_endpoint: bool) -> dict:
    res: dict = {"n": n}
    data = WORK / f"data-{n}"
    if not (data / ".complete").exists():
        shutil.rmtree(data, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([str(BIN / "privacykg"), "synth", "--policies", str(n), "--out", str(data), "--seed", "1"],
                       cwd=ROOT, check=True)
        (data / ".complete").touch()
        res["synth_s"] = time.perf_counter() - t
    store = WORK / f"store-{n}"
    dt, rss, code, cpu = run_measured([str(BIN / "privacykg"), "build", "--data", str(data), "--store", str(store), "-q"])
    res["build"] = {"s": dt, "rss_mib": rss, "ok": code == 0, "cpu_s": cpu}
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
    if est_rdflib < budget:
        dt, rss, code, _ = run_measured(py_step(RDFLIB, str(nq)))
        res["rdflib"] = {"s": dt, "rss_mib": rss}
        print(f"N={n} rdflib parse {dt:.1f}s {rss:.0f} MiB", flush=True)
    else:
        res["rdflib"] = {"skipped": f"estimated {est_rdflib:.0f} s > budget"}
    lat = cq_latency(store, 3)
    res["cq_ours"] = {k: {"p50": percentile(v, .5), "p95": percentile(v, .95)} for k, v in lat.items()}
    if "s" in res["rdflib"] and res["rdflib"]["s"] * 2 < budget:
        from privacykg.queries import load_library

        paths = [str(q.path) for q in load_library().values() if q.kind == "cq"]
        out = subprocess.run(py_step(CQ_RDFLIB, str(nq), "3", str(min(budget, 300)), *paths), cwd=ROOT,
                             capture_output=True, text=True, timeout=budget * 3)
        if out.returncode == 0:
            rd = json.loads(out.stdout.strip().splitlines()[-1])
            res["cq_rdflib"] = {Path(k).stem.split("-")[0]: {"p50": percentile(v, .5), "p95": percentile(v, .95)}
                                for k, v in rd.items()}
    # incremental: replace one policy
    one = sorted((data / "policies").glob("*.yaml"))[n // 2]
    dt, rss, code, _ = run_measured([str(BIN / "privacykg"), "load", str(one), "--store", str(store)])
    res["incremental"] = {"s": dt, "ok": code == 0}
    print(f"N={n} incremental load {dt:.2f}s", flush=True)
    if not skip_endpoint:
        res["endpoint"] = {}
        endpoint_bench(store, res["endpoint"])
    nq.unlink(missing_ok=True)
    return res


def write_report(all_results: list[dict], path: Path):
    lines = ["# Benchmarks", "",
             "Written by `python benchmarks/run.py` (see its docstring). Machine: 2 cores, 24 GiB. "
             "Ratios are measured in the same run; absolute times are context.", ""]
    lines += ["## Build (validation, quote checks and SHACL included)", "",
              "| policies | quads | privacykg build | floor: pyoxigraph bulk_load | build / floor | build / floor (CPU s) | rdflib parse | rdflib / build | peak RSS build | peak RSS floor |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in all_results:
        b, f, rd = r["build"], r["floor"], r["rdflib"]
        rd_s = f"{rd['s']:.1f} s" if "s" in rd else rd.get("skipped", "")
        ratio_rd = f"{rd['s'] / b['s']:.2f}x" if "s" in rd else "n/a"
        cpu = f"{b['cpu_s'] / f['cpu_s']:.1f}x" if b.get("cpu_s") and f.get("cpu_s") else "n/a"
        lines.append(f"| {r['n']:,} | {r['quads']:,} | {b['s']:.1f} s | {f['s']:.1f} s | {b['s'] / f['s']:.1f}x | {cpu} | "
                     f"{rd_s} | {ratio_rd} | {b['rss_mib']:.0f} MiB | {f['rss_mib']:.0f} MiB |")
    lines += ["", "## Competency questions (p50 / p95, ms)", ""]
    for r in all_results:
        lines += [f"### {r['n']:,} policies", "", "| query | ours p50 | ours p95 | rdflib p50 | ours faster |",
                  "|---|---:|---:|---:|---:|"]
        for k, v in sorted(r["cq_ours"].items()):
            rd = r.get("cq_rdflib", {}).get(k)
            rd_txt = f"{rd['p50'] * 1000:.1f}" if rd else "n/a"
            fx = f"{rd['p50'] / v['p50']:.0f}x" if rd and v["p50"] > 0 else "n/a"
            lines.append(f"| {k} | {v['p50'] * 1000:.1f} | {v['p95'] * 1000:.1f} | {rd_txt} | {fx} |")
        lines.append("")
    lines += ["## Incremental: replace one policy", "", "| policies | privacykg load |", "|---:|---:|"]
    for r in all_results:
        lines.append(f"| {r['n']:,} | {r['incremental']['s']:.2f} s |")
    lines += ["", "## Endpoint (requests/s, 127.0.0.1, each run at most 2,000 requests or 10 s)", "",
              "| policies | query | clients | privacykg serve | oxigraph serve | ours / oxigraph | our errors (5xx) |",
              "|---:|---|---:|---:|---:|---:|---:|"]
    for r in all_results:
        for key, row in r.get("endpoint", {}).items():
            name, clients = key.split("@")
            o = row["ours"]
            x = row.get("oxigraph")
            lines.append(f"| {r['n']:,} | {name} | {clients} | {o['rps']:.1f} | {x['rps']:.1f} | "
                         f"{o['rps'] / x['rps']:.2f} | {o['errors']} ({o['5xx']}) |" if x else
                         f"| {r['n']:,} | {name} | {clients} | {o['rps']:.1f} | n/a | n/a | {o['errors']} ({o['5xx']}) |")
    lines += ["", "Raw figures: `benchmarks/results.json`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--budget", type=float, default=3600, help="seconds one step may take before it is skipped")
    ap.add_argument("--skip-endpoint", action="store_true")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        results.append(bench_size(n, args.budget, args.skip_endpoint))
        (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
        write_report(results, ROOT / "benchmarks" / "README.md")


if __name__ == "__main__":
    main()
