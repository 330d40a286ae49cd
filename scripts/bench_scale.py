"""Scale benchmark: ingest N replicated articles, then serve them and time queries cold and warm.

    python scripts/bench_scale.py N [--corpus DIR] [--work DIR] [--workers W] [--passes 3]
    python scripts/bench_scale.py N --serve-only          # reuse WORK/index-N built before

1. Builds (or reuses) WORK/index-N from WORK/articles-N.jsonl, N articles of CORPUS
   replicated with new ids (corpus_tools.replicated), with one `newsindex ingest`
   in a child process. Every 0.25 s the ingest's process tree is read from /proc:
   per process its VmHWM (exact peak resident memory) and RssAnon (anonymous
   memory, peak of the samples); the writer is the `newsindex` process, the
   workers its children. Its figures are kept in WORK/index-N.ingest.json, so a
   reused index prints the figures of the ingest that built it.
2. Prints ingest rate, peak memory per process, and the writer's anonymous memory
   at each quarter of the run (flat when memory is bounded by the batch), index
   size on disk and segment count.
3. Drops the page cache (`sync; echo 3 > /proc/sys/vm/drop_caches`: needs root,
   else says so and the "cold" pass is only a fresh process), starts `newsindex
   serve`, and times start-up to the first 200 of /api/v1/health (the server warms
   its engine before it listens). Then `--passes` passes of bench_query's 30
   fixed queries (terms, AND, phrases, OR, prefixes, person/place/date filters,
   sort by date, page 20, match-all), each with people, places and month facets,
   over HTTP, one keep-alive client: pass 1 is cold, the others warm. Prints
   p50/p95/p99 of each, errors, and the server's memory after the passes.
   `--no-warm` serves the same app without warming, to see what warming buys.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import FACETS, PAGE, QUERIES, sort_of  # noqa: E402
from load_test import free_port, percentile  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SERVE_WITHOUT_WARMING = (
    "import sys, waitress; from api.app import create_app; "
    "waitress.serve(create_app({'INDEX_DIR': sys.argv[1]}), host='127.0.0.1', port=int(sys.argv[2]), "
    "threads=int(sys.argv[3]), ident='newsindex')"
)


# /proc


def proc_status(pid: int) -> dict[str, int]:
    """Return the memory lines of /proc/PID/status in KiB ({} if the process is gone)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    values[key] = int(value.split()[0])
    except OSError:
        pass
    return values


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


class TreeSampler(threading.Thread):
    """Samples a process and its descendants: per pid the last VmHWM seen, the peak RssAnon,
    the root's RssAnon over time, and the index's commits (generation) over time."""

    def __init__(self, root: int, index_dir: Path, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.index_dir, self.interval = root, index_dir, interval
        self.peaks: dict[int, dict[str, int]] = {}
        self.timeline: list[tuple[float, int]] = []
        self.commits: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def generation(self) -> int:
        numbers = (
            [
                name[len("_articles_") : -len(".toc")]
                for name in os.listdir(self.index_dir)
                if name.startswith("_articles_") and name.endswith(".toc")
            ]
            if self.index_dir.exists()
            else []
        )
        return max((int(n) for n in numbers if n.isdigit()), default=-1)

    def run(self) -> None:
        started = time.perf_counter()
        while not self.stopped.is_set():
            todo, seen = [self.root], []
            while todo:
                pid = todo.pop()
                seen.append(pid)
                todo += children(pid)
            for pid in seen:
                status = proc_status(pid)
                if not status:
                    continue
                peak = self.peaks.setdefault(pid, {"hwm": 0, "anon": 0})
                peak["hwm"] = max(peak["hwm"], status.get("VmHWM", 0))
                peak["anon"] = max(peak["anon"], status.get("RssAnon", 0))
                if pid == self.root:
                    self.timeline.append((time.perf_counter() - started, status.get("RssAnon", 0)))
            with contextlib.suppress(OSError, ValueError):
                generation = self.generation()
                if not self.commits or generation > self.commits[-1][1]:
                    self.commits.append((time.perf_counter() - started, generation))
            self.stopped.wait(self.interval)


# Ingest


def build(args, index_dir: Path, figures_file: Path) -> dict:
    from corpus_tools import replicated, write_jsonl

    source = args.work / f"articles-{args.n}.jsonl"
    if not source.exists():
        if not args.corpus:
            raise SystemExit(f"no {source}: pass --corpus (a folder of articles or a .jsonl to replicate)")
        partial = source.with_suffix(".tmp")
        write_jsonl(replicated(args.corpus, args.n), partial)
        partial.rename(source)
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "ingest",
        "--index",
        str(index_dir),
        "--quiet",
        "--json",
        "--batch-size",
        str(args.batch_size),
        str(source),
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, index_dir)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"ingest failed with exit code {process.returncode}")
    report = json.loads(out)
    peaks = sampler.peaks
    workers = [p for pid, p in peaks.items() if pid != process.pid]
    timeline = sampler.timeline
    quarters = [timeline[min(len(timeline) - 1, len(timeline) * q // 4)][1] for q in (1, 2, 3, 4)] if timeline else []
    # Commit k holds about k x batch_size articles: the rate over each quarter of the
    # articles, in the same run (the first quarter includes start-up).
    quarter_rates = []
    marks = [(0.0, 0)] + [(t, g * args.batch_size) for t, g in sampler.commits if g > 0]
    for q in (1, 2, 3, 4):
        lo, hi = args.n * (q - 1) / 4, args.n * q / 4
        first = next((m for m in marks if m[1] >= lo), None)
        last = next((m for m in marks if m[1] >= hi), marks[-1])
        if first and last[0] > first[0]:
            quarter_rates.append(round((last[1] - first[1]) / (last[0] - first[0]), 1))
    figures = {
        "articles": args.n,
        "rate_by_quarter": quarter_rates,
        "added": report["added"],
        "seconds": round(seconds, 1),
        "rate": round(report["added"] / seconds, 1),
        "writer_hwm_mib": peaks.get(process.pid, {}).get("hwm", 0) // 1024,
        "writer_anon_mib": peaks.get(process.pid, {}).get("anon", 0) // 1024,
        "worker_hwm_mib": sorted((w["hwm"] // 1024 for w in workers), reverse=True),
        "worker_anon_mib": sorted((w["anon"] // 1024 for w in workers), reverse=True),
        "writer_anon_by_quarter_mib": [q // 1024 for q in quarters],
        "workers": args.workers or os.cpu_count(),
        "batch_size": args.batch_size,
        "load_at_end": round(os.getloadavg()[0], 2),
    }
    figures_file.write_text(json.dumps(figures, indent=2))
    return figures


# Serving


def query_paths() -> list[tuple[str, str]]:
    """Return (name, path) of bench_query's queries as API requests with facets."""
    paths = []
    for spec in QUERIES:
        params: list[tuple[str, str]] = []
        if spec.get("q"):
            params.append(("q", spec["q"]))
        params += [("person", p) for p in spec.get("person", [])]
        params += [("place", p) for p in spec.get("place", [])]
        if spec.get("date_from"):
            params.append(("from", spec["date_from"]))
        if spec.get("date_to"):
            params.append(("to", spec["date_to"]))
        params += [
            ("sort", sort_of(spec)),
            ("page", str(spec.get("page", 1))),
            ("size", str(PAGE)),
            ("facets", ",".join(FACETS)),
        ]
        paths.append((spec["name"], "/api/v1/search?" + urlencode(params)))
    return paths


def drop_page_cache() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def serve(args, index_dir: Path) -> dict:
    dropped = drop_page_cache() if not args.keep_cache else False
    port = free_port()
    if args.no_warm:
        command = [sys.executable, "-c", SERVE_WITHOUT_WARMING, str(index_dir), str(port), str(args.threads)]
    else:
        command = [
            sys.executable,
            "-m",
            "api.cli",
            "serve",
            "--index",
            str(index_dir),
            "--port",
            str(port),
            "--threads",
            str(args.threads),
        ]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = wait_ready(port, started, timeout=600)
        start_rss = proc_status(server.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        passes, errors, totals = [], [], {}
        for _ in range(args.passes):
            times = []
            for name, path in query_paths():
                t = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                times.append(time.perf_counter() - t)
                if response.status != 200:
                    errors.append(f"{response.status} {name}")
                else:
                    totals[name] = json.loads(body)["total"]
            passes.append(times)
        conn.request("GET", "/api/v1/stats")
        stats = json.loads(conn.getresponse().read())
        memory = proc_status(server.pid)
    finally:
        server.terminate()
        server.wait()
    return {
        "cache_dropped": dropped,
        "ready_seconds": round(ready, 2),
        "passes": passes,
        "errors": errors,
        "start_rss_mib": start_rss.get("VmRSS", 0) // 1024,
        "rss_mib": memory.get("VmRSS", 0) // 1024,
        "hwm_mib": memory.get("VmHWM", 0) // 1024,
        "anon_mib": memory.get("RssAnon", 0) // 1024,
        "stats_articles": stats.get("articles"),
        "totals": totals,
    }


def wait_ready(port: int, started: float, timeout: float) -> float:
    """Wait for the first 200 of /api/v1/health; return the seconds since `started`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the server on port {port} did not answer /api/v1/health in {timeout:.0f} s")


def ms(values: list[float]) -> str:
    return " / ".join(f"{percentile(values, p) * 1000:.1f}" for p in (50, 95, 99))


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def print_ingest(ingest: dict) -> None:
    print(
        f"  {ingest['added']:,} added in {ingest['seconds']:,.0f} s: {ingest['rate']:.1f} articles/s "
        f"({ingest['workers']} workers, batches of {ingest['batch_size']}, load {ingest['load_at_end']} at the end)"
    )
    print(
        f"  articles/s over each quarter of the articles (from the commits): "
        f"{' / '.join(str(r) for r in ingest.get('rate_by_quarter', []))}"
    )
    print(
        f"  peak resident memory (VmHWM): writer {ingest['writer_hwm_mib']} MiB, workers "
        f"{', '.join(str(w) for w in ingest['worker_hwm_mib'])} MiB"
    )
    print(
        f"  peak anonymous memory (RssAnon): writer {ingest['writer_anon_mib']} MiB, workers "
        f"{', '.join(str(w) for w in ingest['worker_anon_mib'])} MiB"
    )
    print(
        f"  writer's anonymous memory at each quarter of the run: "
        f"{' / '.join(str(q) for q in ingest['writer_anon_by_quarter_mib'])} MiB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--corpus", help="articles to replicate (folder or .jsonl); not needed once WORK has them")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "newsindex-scale")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes (default: all cores)")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=3, help="passes over the query set; the first is cold")
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--serve-only", action="store_true", help="reuse WORK/index-N; fail if it is missing")
    parser.add_argument("--index", type=Path, help="serve this index (built by other means): no ingest figures")
    parser.add_argument("--no-serve", action="store_true", help="only build (or reuse) the index")
    parser.add_argument("--no-warm", action="store_true", help="serve without warming the engine first")
    parser.add_argument("--keep-cache", action="store_true", help="do not drop the page cache before serving")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    index_dir = args.index or args.work / f"index-{args.n}"
    figures_file = args.work / f"index-{args.n}.ingest.json"

    print(
        f"bench_scale: {args.n:,} articles; {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; index {index_dir}",
        flush=True,
    )
    if args.index:
        ingest = None
        print("ingest: not measured (--index)")
    elif figures_file.exists() and index_dir.exists():
        ingest = json.loads(figures_file.read_text())
        print("ingest: reusing the index built before; its figures:")
    elif args.serve_only:
        raise SystemExit(f"no index at {index_dir}: run without --serve-only first")
    else:
        ingest = build(args, index_dir, figures_file)
        print("ingest:")
    if ingest:
        print_ingest(ingest)

    from search import open_index
    from search.answers import as_data

    stats = as_data(open_index(index_dir).stats())
    print(
        f"index: {stats['articles']:,} articles, {dir_bytes(index_dir) / 2**20:,.0f} MiB on disk, "
        f"{stats['segments']} segments ({stats['segments_with_posting_arrays']} with posting arrays)"
    )
    if args.no_serve:
        return 0

    served = serve(args, index_dir)
    cold = served["passes"][0]
    warm = [t for p in served["passes"][1:] for t in p]
    print(
        f"server ({'not warmed' if args.no_warm else 'warmed before it listens'}; page cache "
        f"{'dropped' if served['cache_dropped'] else 'NOT dropped (not root, or --keep-cache)'}): "
        f"ready in {served['ready_seconds']:.2f} s, RSS {served['start_rss_mib']} MiB when ready"
    )
    print(f"  {len(QUERIES)} queries with people, places and month facets, ms p50 / p95 / p99:")
    print(f"    cold (pass 1):  {ms(cold)}   (max {max(cold) * 1000:.1f}, mean {statistics.mean(cold) * 1000:.1f})")
    if warm:
        print(
            f"    warm (passes 2-{args.passes}): {ms(warm)}   (max {max(warm) * 1000:.1f}, "
            f"mean {statistics.mean(warm) * 1000:.1f})"
        )
    slowest = sorted(zip(cold, (n for n, _ in query_paths()), strict=True), reverse=True)[:3]
    print(f"    slowest cold: {', '.join(f'{n} {t * 1000:.0f} ms' for t, n in slowest)}")
    print(
        f"  errors: {len(served['errors'])}{'  ' + ', '.join(served['errors'][:5]) if served['errors'] else ''}; "
        f"articles served: {served['stats_articles']:,}"
    )
    print(
        f"  server memory after the passes: RSS {served['rss_mib']} MiB (anonymous {served['anon_mib']}), "
        f"peak {served['hwm_mib']} MiB"
    )
    result = {"ingest": ingest, "index": stats, "serve": {k: v for k, v in served.items() if k != "totals"}}
    out = args.work / f"bench_scale-{args.n}{'-nowarm' if args.no_warm else ''}{'-index' if args.index else ''}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"figures: {out}")
    return 1 if served["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
