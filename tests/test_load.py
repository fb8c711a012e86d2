"""A bounded load test on 127.0.0.1: 32 concurrent clients, a fixed number of mixed cheap,
expensive and malformed queries, within a time bound. Zero 5xx, zero crashes, the malformed
ones get 400, and the server's memory stays bounded."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx
import pytest

from helpers import ServerProcess

CHEAP = "PREFIX dpv: <https://w3id.org/dpv#> SELECT ?n WHERE { ?n a dpv:PrivacyNotice }"
MALFORMED = ["SELECT * WHERE {", "SELEKT ?x", "PREFIX x: <y> SELECT ?s WHERE { ?s x: }"]
CLIENTS, REQUESTS, SECONDS = 32, 600, 120


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.server
@pytest.mark.slow
def test_mixed_load_32_clients(corpus_store):
    from privacykg.queries import resolve_query

    expensive = resolve_query("cq01").text
    with ServerProcess(corpus_store) as server:
        start_rss = rss_mib(server.proc.pid)
        lock = threading.Lock()
        counts = {"sent": 0, "ok": 0, "400": 0, "5xx": 0, "other": 0, "errors": 0}
        deadline = time.monotonic() + SECONDS
        peak = {"rss": start_rss}

        def client(seed):
            rng = random.Random(seed)
            with httpx.Client(timeout=60) as c:
                while True:
                    with lock:
                        if counts["sent"] >= REQUESTS or time.monotonic() > deadline:
                            return
                        counts["sent"] += 1
                    kind = rng.random()
                    q = CHEAP if kind < 0.6 else expensive if kind < 0.85 else rng.choice(MALFORMED)
                    try:
                        r = c.post(
                            server.url + "/sparql",
                            data={"query": q},
                            headers={"Accept": "application/sparql-results+json"},
                        )
                    except httpx.HTTPError:
                        with lock:
                            counts["errors"] += 1
                        continue
                    with lock:
                        if r.status_code == 200:
                            counts["ok"] += 1
                        elif r.status_code == 400 and q in MALFORMED:
                            counts["400"] += 1
                        elif r.status_code >= 500:
                            counts["5xx"] += 1
                        else:
                            counts["other"] += 1

        def watch():
            while time.monotonic() < deadline and any(t.is_alive() for t in threads):
                peak["rss"] = max(peak["rss"], rss_mib(server.proc.pid))
                time.sleep(0.2)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        w = threading.Thread(target=watch)
        w.start()
        for t in threads:
            t.join()
        w.join()
        elapsed = time.monotonic() - t0
        assert server.proc.poll() is None, "the server crashed"
        assert counts["5xx"] == 0 and counts["errors"] == 0 and counts["other"] == 0, counts
        assert counts["sent"] == REQUESTS, f"not all requests sent in {SECONDS} s: {counts}"
        assert counts["ok"] + counts["400"] == REQUESTS
        assert peak["rss"] < start_rss + 500, f"server memory grew from {start_rss:.0f} to {peak['rss']:.0f} MiB"
        assert httpx.get(server.url + "/health").status_code == 200
        print(
            f"\nload: {REQUESTS} requests in {elapsed:.1f} s ({REQUESTS / elapsed:.0f}/s), {counts}, "
            f"server RSS {start_rss:.0f} -> peak {peak['rss']:.0f} MiB"
        )
