"""Cluster benchmark: ingest rate with 1 and 2 Dask workers, query latency over 1, 2, 4 shards.

    python scripts/bench_cluster.py [--articles 1000] [--repeat 5] [--corpus DIR|FILE]

Real processes on loopback (`dask scheduler`, `dask worker --nworkers 1 --nthreads 1
--no-nanny`). Ingest: the same articles into a single index (search.ingest with
workers=2) and into 4 shards with 1 and with 2 workers; articles per second. Queries:
a fixed mixed set (terms, OR, phrase, NOT, prefix, filters, sort by date, match-all,
all facets), `--repeat` times after a warm-up, against the single index and the
sharded ones (1, 2 and 4 shards, 2 workers); p50 and p95 in ms, measured from the
calling process (the coordinator: what `newsindex serve --cluster` runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cluster_check import BIN, corpus_file, free_port, start, stop_all, wait_for_workers, worker  # noqa: E402

QUERIES = [
    dict(q="oil"), dict(q="oil", page=2), dict(q="trade OR tariff", size=20), dict(q='"interest rates"'),
    dict(q="bank NOT japan"), dict(q="prof*"), dict(), dict(sort="oldest", page=3), dict(q="oil", sort="newest"),
    dict(q="said", facets=["people", "places", "countries", "month", "year"]),
    dict(q="oil", place=["Saudi Arabia"]), dict(place=["Japan"], place_scope="country"),
    dict(q="grain", date_from="1987-03", date_to="1987-03-20"),
]


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def timed(backend, repeat: int) -> tuple[float, float]:
    for params in QUERIES:  # warm-up: parsers, columns, views
        backend.search(**params)
    times = []
    for _ in range(repeat):
        for params in QUERIES:
            started = time.perf_counter()
            backend.search(**params)
            times.append(time.perf_counter() - started)
    return percentiles(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    work.mkdir(parents=True, exist_ok=True)

    from distributed import Client

    from search import Article, ingest, open_index, read_articles
    from search.cluster.backend import ClusterBackend
    from search.cluster.ingest import cluster_ingest

    corpus = corpus_file(args.corpus, args.articles, work)
    articles = [a for a in read_articles([corpus]) if isinstance(a, Article)]
    n = len(articles)
    try:
        started = time.perf_counter()
        ingest(work / "single", articles, workers=2)
        single_rate = n / (time.perf_counter() - started)
        print(f"ingest, single index, workers=2: {single_rate:.0f} articles/s ({n} articles)")

        port = free_port()
        scheduler = f"tcp://127.0.0.1:{port}"
        start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
              work / "scheduler.log")
        worker(scheduler, work, 1)
        wait_for_workers(scheduler, 1)
        rates = {}
        with Client(scheduler, set_as_default=False) as client:
            client.run(lambda: __import__("search.analysis").analysis.recognise_entities("Warm up in Paris."))
            started = time.perf_counter()
            cluster_ingest(work / "s4-1w", articles, client, shards=4)
            rates[1] = n / (time.perf_counter() - started)
            print(f"ingest, 4 shards, 1 worker: {rates[1]:.0f} articles/s")
            worker(scheduler, work, 2)
            client.wait_for_workers(2, timeout=60)
            client.run(lambda: __import__("search.analysis").analysis.recognise_entities("Warm up in Paris."))
            started = time.perf_counter()
            cluster_ingest(work / "s4", articles, client, shards=4)
            rates[2] = n / (time.perf_counter() - started)
            print(f"ingest, 4 shards, 2 workers: {rates[2]:.0f} articles/s ({rates[2] / rates[1]:.2f}x 1 worker, "
                  f"{rates[2] / single_rate:.2f}x the single index's workers=2)")
            for shards in (1, 2):
                cluster_ingest(work / f"s{shards}", articles, client, shards=shards)

            p50, p95 = timed(open_index(work / "single"), args.repeat)
            print(f"queries ({len(QUERIES)} x {args.repeat}), single index: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
            for shards in (1, 2, 4):
                backend = ClusterBackend(work / f"s{shards}", client=client)
                p50, p95 = timed(backend, args.repeat)
                backend.close()
                print(f"queries, {shards} shard{'s' if shards > 1 else ''} on 2 workers: "
                      f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    finally:
        stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
