"""Quote extraction benchmark: `extract_quotes` on its own, entities precomputed.

    python scripts/bench_quotes.py [CORPUS] [--limit N] [--repeat R]

Reads the first N articles of CORPUS (default: the shared Reuters-21578 copy),
recognises their entities once (not timed), then times `extract_quotes(text,
entities)` over all of them R times and prints each run's and the median
articles/s and the quotes found. `quote_rate(texts, entities)` is there for
`bench_ingest.py` to call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_tools import load_articles  # noqa: E402

from search.analysis import Entity, extract_quotes, recognise_entities  # noqa: E402

REUTERS = "/work/shared/data/reuters21578"


def quote_rate(texts: Sequence[str], entities: Sequence[Sequence[Entity]]) -> tuple[float, int]:
    """Return extraction's articles/s over `texts` (entities given) and the quotes found."""
    found = 0
    started = time.perf_counter()
    for text, ents in zip(texts, entities, strict=True):
        found += len(extract_quotes(text, ents))
    return len(texts) / (time.perf_counter() - started), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=REUTERS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = load_articles(args.corpus, args.limit)
    texts = [f"{a.title}\n\n{a.body}" if a.title else a.body for a in articles]
    started = time.perf_counter()
    entities = [recognise_entities(t) for t in texts]
    print(f"{len(texts)} articles; entities in {time.perf_counter() - started:.1f} s (untimed)")
    rates = []
    for run in range(args.repeat):
        rate, found = quote_rate(texts, entities)
        rates.append(rate)
        print(f"  run {run + 1}: {rate:,.0f} articles/s, {found} quotes")
    print(f"extract_quotes: median {statistics.median(rates):,.0f} articles/s "
          f"over {len(texts)} articles")


if __name__ == "__main__":
    main()
