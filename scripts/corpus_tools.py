"""Corpus tools for the benchmarks: replicate a corpus to N articles, and read it back.

    python scripts/corpus_tools.py replicate CORPUS OUT.jsonl --count 100000
    python scripts/corpus_tools.py count CORPUS

CORPUS is anything `search.read_articles` reads (a folder of .txt articles, a
.jsonl or .jsonl.gz file). Replication cycles through the articles in order and
gives the k-th copy of an article the id `<id>-r<k>` (the first copy keeps its
id), so a 100,000-article corpus has unique ids and Reuters-like text. Dates and
texts repeat: term statistics stay those of the source corpus, only the posting
lists get longer, which is what a latency/memory benchmark at scale needs.

The other scripts import `load_articles` from here so that every benchmark reads
the same articles in the same order.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from search import Article, read_articles


def iter_articles(corpus: str | Path) -> Iterator[Article]:
    """Yield the readable articles of `corpus` in reading order (skipped input is dropped)."""
    for item in read_articles([corpus]):
        if isinstance(item, Article):
            yield item


def replicated(corpus: str | Path, count: int) -> Iterator[Article]:
    """Yield `count` articles cycling through `corpus`, copies k >= 2 with the id `<id>-r<k>`."""
    source = list(iter_articles(corpus))
    if not source:
        raise SystemExit(f"no articles in {corpus}")
    for n in range(count):
        copy, i = divmod(n, len(source))
        article = source[i]
        if copy:
            yield Article(
                id=f"{article.id}-r{copy + 1}", date=article.date, body=article.body,
                title=article.title, url=article.url, source=article.source, origin=article.origin,
            )
        else:
            yield article


def load_articles(corpus: str | Path, limit: int | None = None) -> list[Article]:
    """Return the first `limit` articles of `corpus` (all of them if None), replicating if
    `limit` exceeds the corpus, so `--limit 100000` works on the 12,799 Reuters articles."""
    articles = list(itertools.islice(iter_articles(corpus), limit))
    if limit is not None and len(articles) < limit:
        articles = list(replicated(corpus, limit))
    return articles


def write_jsonl(articles: Iterator[Article], out: Path) -> int:
    """Write `articles` as JSON Lines in the format `search.read_articles` reads; return the count."""
    n = 0
    with out.open("w", encoding="utf-8") as stream:
        for a in articles:
            record = {"id": a.id, "date": a.date.isoformat(), "title": a.title, "body": a.body}
            if a.url:
                record["url"] = a.url
            if a.source:
                record["source"] = a.source
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("replicate", help="write COUNT articles as JSON Lines, cycling through CORPUS")
    rep.add_argument("corpus")
    rep.add_argument("out", type=Path)
    rep.add_argument("--count", type=int, default=100_000)
    cnt = sub.add_parser("count", help="print the number of readable articles and their characters")
    cnt.add_argument("corpus")
    args = parser.parse_args(argv)

    if args.command == "replicate":
        started = time.perf_counter()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        n = write_jsonl(replicated(args.corpus, args.count), args.out)
        size = args.out.stat().st_size
        print(f"wrote {n:,} articles ({size / 2**20:.1f} MiB) to {args.out} in {time.perf_counter() - started:.1f} s")
    else:
        n = chars = 0
        for a in iter_articles(args.corpus):
            n += 1
            chars += len(a.title) + len(a.body)
        print(f"{n:,} articles, {chars:,} characters, {chars / max(n, 1):.0f} characters/article")
    return 0



def instrument(stages, spent: dict[str, float]) -> list:
    """Wrap each (owner, attribute name, label) so that its calls add their seconds to
    spent[label]; return what restore() needs. Missing attributes are reported and skipped."""
    import inspect
    import time

    originals = []
    for owner, name, label in stages:
        if not hasattr(owner, name):
            print(f"breakdown: the engine has no {name} any more; skipped")
            continue
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def timed(*a, _f=original, _label=label, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t

        if isinstance(inspect.getattr_static(owner, name), staticmethod):
            originals[-1] = (owner, name, staticmethod(original))
            timed = staticmethod(timed)
        setattr(owner, name, timed)
    return originals


def restore(originals) -> None:
    """Undo instrument()."""
    for owner, name, original in originals:
        setattr(owner, name, original)


if __name__ == "__main__":
    sys.exit(main())
