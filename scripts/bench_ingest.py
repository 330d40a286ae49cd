"""Ingest benchmark: our engine (NLTK + people/places + Whoosh) against plain Whoosh without NLP.

    python scripts/bench_ingest.py CORPUS [--limit N] [--workers N] [--repeat R]

Both sides run on the same articles, in the same run, each in a fresh Python
process (so peak RSS is that run's own), alternating ours/plain so that noise
from other work on the machine hits both. Each run reads the articles from a
JSON Lines copy of the first N articles (written before timing), analyses them
and writes a fresh index, committing every --batch-size articles. The timed span
is the `ingest` call (ours) or read + add_document + commit (plain), imports
excluded; model loading inside `ingest` is included.

Printed per side: medians of articles/s, tokens/s (tokens = regex \\w+ over title
and body, the same count for both sides), peak RSS of the main process and of the
largest worker (VmHWM of the main process; ru_maxrss of RUSAGE_CHILDREN), index size; then the
ratio ours/plain of the median articles/s (the issue's bar: >= 0.30); then quote
extraction's own articles/s (`bench_quotes.quote_rate`, entities precomputed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_tools import instrument, load_articles, restore, write_jsonl  # noqa: E402

TOKEN = re.compile(r"\w+")
BAR = 0.30


def plain_schema():
    """Return the baseline schema: no NLP, Whoosh's StandardAnalyzer, same stored texts."""
    from whoosh import fields
    from whoosh.analysis import StandardAnalyzer

    analyzer = StandardAnalyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        date=fields.DATETIME(stored=True, sortable=True),
        title=fields.TEXT(analyzer=analyzer, stored=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
    )


def ingest_plain(index_dir: Path, source: Path, batch_size: int) -> int:
    """Index `source` into a plain Whoosh index in this process; return the article count."""
    from whoosh import index

    from search import Article, read_articles

    ix = index.create_in(str(index_dir), plain_schema())
    writer = ix.writer()
    n = 0
    for item in read_articles([source]):
        if not isinstance(item, Article):
            continue
        writer.add_document(
            id=item.id, date=datetime(item.date.year, item.date.month, item.date.day),
            title=item.title, body=item.body,
        )
        n += 1
        if n % batch_size == 0:
            writer.commit()
            writer = ix.writer()
    writer.commit()
    return n


def ingest_ours(index_dir: Path, source: Path, batch_size: int, workers: int | None) -> int:
    """Index `source` with our engine; return the number of articles added."""
    from search import ingest

    report = ingest(index_dir, [source], workers=workers, batch_size=batch_size)
    if report.skipped:
        print(f"warning: {len(report.skipped)} skipped", file=sys.stderr)
    return report.added


def peak_rss_mib() -> float:
    """Return this process's own peak resident memory (VmHWM) in MiB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def one_run(args) -> dict:
    """Run one ingest in this process and return its figures (called in a child process)."""
    import search  # noqa: F401  (imports are not part of the timed span)

    index_dir = Path(tempfile.mkdtemp(prefix=f"ingest-{args.run}-", dir=args.scratch))
    try:
        started = time.perf_counter()
        if args.run == "ours":
            n = ingest_ours(index_dir, args.source, args.batch_size, args.workers)
        else:
            n = ingest_plain(index_dir, args.source, args.batch_size)
        seconds = time.perf_counter() - started
        size = dir_bytes(index_dir)
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    # ru_maxrss is in KiB on Linux. RUSAGE_SELF's would include the orchestrator's peak
    # (Linux carries it across fork and exec), so the main process reports VmHWM.
    return {
        "articles": n,
        "seconds": seconds,
        "rss_main_mib": peak_rss_mib(),
        "rss_workers_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "index_mib": size / 2**20,
    }


def print_breakdown(articles: list, scratch: Path) -> None:
    """Time our ingest's stages in this one process (workers=1), and their parts separately."""
    from whoosh.writing import SegmentWriter

    import search.index as engine_index
    from search import ingest
    from search.analysis import text_analyzer

    spent: dict[str, float] = {}
    stages = [
        (engine_index, "analyse", "analyse: people/places, headline (workers)"),
        (SegmentWriter, "add_document", "add_document: index-time analysis + postings (writer)"),
        (SegmentWriter, "commit", "commit: write/merge segments (writer)"),
    ]
    originals = instrument(stages, spent)
    index_dir = Path(tempfile.mkdtemp(prefix="ingest-breakdown-", dir=scratch))
    try:
        started = time.perf_counter()
        ingest(index_dir, articles, workers=1)
        total = time.perf_counter() - started
    finally:
        restore(originals)
        shutil.rmtree(index_dir, ignore_errors=True)
    analyzer = text_analyzer()
    started = time.perf_counter()
    for a in articles:
        for text in (a.title, a.body):
            for _ in analyzer(text):
                pass
    tokenizing = time.perf_counter() - started
    print(f"\nwhere our ingest spends its time, one process (workers=1), {len(articles):,} articles, "
          f"{len(articles) / total:.0f} articles/s:")
    for label, seconds in spent.items():
        print(f"  {label:56} {seconds:7.1f} s {seconds / total * 100:5.1f}%")
    print(f"  {'  of which NLTK text analyzer alone (title+body)':56} {tokenizing:7.1f} s "
          f"{tokenizing / total * 100:5.1f}%   (measured apart)")


def spawn_run(kind: str, source: Path, args) -> dict:
    cmd = [
        sys.executable, __file__, str(source), "--run", kind, "--source", str(source),
        "--batch-size", str(args.batch_size), "--scratch", str(args.scratch),
    ]
    if args.workers is not None:
        cmd += ["--workers", str(args.workers)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="folder of .txt articles, or .jsonl/.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="first N articles (replicated if N > corpus)")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes (default: engine's)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--scratch", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")))
    parser.add_argument("--breakdown", action="store_true",
                        help="also time our ingest's stages in one process (analyse, add_document, commit)")
    parser.add_argument("--run", choices=("ours", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.scratch.mkdir(parents=True, exist_ok=True)

    if args.run:
        print(json.dumps(one_run(args)))
        return 0

    articles = load_articles(args.corpus, args.limit)
    tokens = sum(len(TOKEN.findall(a.title)) + len(TOKEN.findall(a.body)) for a in articles)
    chars = sum(len(a.title) + len(a.body) for a in articles)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-", dir=args.scratch))
    source = work / "articles.jsonl"
    write_jsonl(iter(articles), source)
    print(f"corpus: {args.corpus}  articles: {len(articles):,}  tokens (\\w+): {tokens:,}  "
          f"chars/article: {chars / len(articles):.0f}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; python {platform.python_version()}; "
          f"workers: {args.workers if args.workers is not None else 'engine default'}; "
          f"batch {args.batch_size}; repeat {args.repeat}")

    runs: dict[str, list[dict]] = {"ours": [], "plain": []}
    try:
        for r in range(args.repeat):
            for kind in ("ours", "plain") if r % 2 == 0 else ("plain", "ours"):
                result = spawn_run(kind, source, args)
                runs[kind].append(result)
                print(f"  run {r + 1} {kind:5}: {result['articles'] / result['seconds']:7.1f} articles/s "
                      f"({result['seconds']:.1f} s)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'':6} {'articles/s':>10} {'tokens/s':>10} {'seconds':>8} {'RSS main':>9} "
          f"{'RSS worker':>10} {'index':>9}   (medians of {args.repeat})")
    rates = {}
    for kind in ("ours", "plain"):
        rs = runs[kind]
        n = rs[0]["articles"]
        rate = statistics.median(x["articles"] / x["seconds"] for x in rs)
        rates[kind] = rate
        print(f"{kind:6} {rate:10.1f} {rate * tokens / n:10,.0f} {median(rs, 'seconds'):8.1f} "
              f"{median(rs, 'rss_main_mib'):6.0f} MiB {median(rs, 'rss_workers_mib'):7.0f} MiB "
              f"{median(rs, 'index_mib'):5.1f} MiB")
    ratio = rates["ours"] / rates["plain"]
    per_run = [(o["articles"] / o["seconds"]) / (p["articles"] / p["seconds"])
               for o, p in zip(runs["ours"], runs["plain"], strict=True)]
    print(f"ratio ours/plain articles/s: {ratio:.2f}  (per run: {', '.join(f'{x:.2f}' for x in per_run)}; "
          f"bar >= {BAR:.2f}: {'PASS' if ratio >= BAR else 'FAIL'})")
    print_quote_rate(articles)
    if args.breakdown:
        print_breakdown(articles, args.scratch)
    return 0


def print_quote_rate(articles: list) -> None:
    """Print quote extraction's own articles/s (entities recognised first, not timed),
    over the title+body text that ingest's analysis gives it."""
    from bench_quotes import quote_rate

    from search.analysis import recognise_entities

    texts = [f"{a.title}\n\n{a.body}" if a.title else a.body for a in articles]
    entities = [recognise_entities(t) for t in texts]
    rate, found = quote_rate(texts, entities)
    print(f"extract_quotes alone: {rate:,.0f} articles/s, {found:,} quotes in {len(texts):,} articles "
          "(one process, entities given)")


if __name__ == "__main__":
    sys.exit(main())
