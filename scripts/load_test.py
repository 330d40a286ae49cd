"""Drive the API with concurrent clients on loopback, optionally while an ingest runs.

    python scripts/load_test.py --index DIR [--clients 50] [--seconds 30] [--ingest PATH]

Starts `newsindex serve` (waitress) on a free loopback port over DIR, runs
--clients threads with keep-alive connections for --seconds, each sending a
fixed mix of searches, entity lists and article requests, and, with --ingest,
runs `newsindex ingest PATH` into the same index at the same time. Prints
throughput, latency p50/p95/p99 and errors (any non-2xx, or a failed request).
Exit code 1 if there was any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    "/api/v1/search?q=oil",
    "/api/v1/search?q=oil+prices&facets=people,places,month",
    "/api/v1/search?q=%22interest+rates%22",
    "/api/v1/search?q=trade+OR+tariff&sort=newest",
    "/api/v1/search?q=bank*&size=20",
    "/api/v1/search?q=coffee&page=2",
    "/api/v1/search?from=1987-03&to=1987-03&facets=month",
    "/api/v1/search?facets=people,places,month,year",
    "/api/v1/people?size=10",
    "/api/v1/places?prefix=ja",
    "/api/v1/stats",
    "/api/v1/health",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not come up")


def client(port: int, until: float, latencies: list, errors: list, seed: int, extra: list[str]) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    paths = QUERIES + extra
    while time.time() < until:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append(time.perf_counter() - started)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="index folder to serve (must exist)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8, help="server worker threads")
    parser.add_argument("--ingest", help="a folder or file to ingest into the index during the run")
    args = parser.parse_args()

    port = free_port()
    command = [sys.executable, "-m", "api.cli"]
    server = subprocess.Popen(
        command + ["serve", "--index", args.index, "--port", str(port), "--threads", str(args.threads)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    ingest = None
    try:
        wait_for(port)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/api/v1/search?size=50&facets=")
        ids = [r["id"] for r in json.loads(conn.getresponse().read())["results"]]
        extra = [f"/api/v1/articles/{quote(i)}" for i in ids[:20]]
        if args.ingest:
            ingest = subprocess.Popen(
                command + ["ingest", "--index", args.index, "--quiet", "--workers", "1", args.ingest],
                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
        latencies: list[float] = []
        errors: list[str] = []
        until = time.time() + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, until, latencies, errors, n, extra))
            for n in range(args.clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        ingest_note = ""
        if ingest is not None:
            running = ingest.poll() is None
            ingest_note = "ingest still running at the end" if running else f"ingest exited {ingest.returncode}"
        print(f"clients {args.clients}, {elapsed:.1f} s, {len(latencies)} requests, "
              f"{len(latencies) / elapsed:.1f} req/s")
        print(f"latency ms: p50 {percentile(latencies, 50) * 1000:.1f}  p95 {percentile(latencies, 95) * 1000:.1f}"
              f"  p99 {percentile(latencies, 99) * 1000:.1f}")
        print(f"errors: {len(errors)}" + (f"  ({ingest_note})" if ingest_note else ""))
        for error in sorted(set(errors))[:20]:
            print("  " + error)
        return 1 if errors else 0
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.terminate()
            ingest.wait()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
