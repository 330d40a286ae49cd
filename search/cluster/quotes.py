"""The coordinator's quotes: who said what over shards, as one index answers it.

A quote search is the article search's three phases: the corpus's statistics of the
words looked for within quoted words (only with a query: a quote's score is BM25 of
its own words), every shard's matches (its count, its first page-window in the
request's order, quotes per speaker and per day), then the page's quotes rendered by
the shards that hold them. Ties are ordered by article id, as the single index does.
`QuoteAnswers` is a part of `ClusterBackend` (search/cluster/backend.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from search import quoting
from search.answers import QuoteResult, SpeakerQuotes
from search.cluster import merge
from search.query import SearchRequest, encode_cursor

EXPORT_CHUNK = 500


class QuoteAnswers:
    """Quotes, their export and a person's quotes, over the shards of a ClusterBackend."""

    def _quote_statistics(self, q: str, deadline: float):
        """Return (the corpus's QuoteStatistics of `q` or None without one, failed, stale)."""
        if not q:
            return None, set(), False
        got = self._run("quote_statistics", deadline, q=q)
        frequencies: dict[str, int] = {}
        for value in got.values.values():
            for term, n in value["doc_frequency"].items():
                frequencies[term] = frequencies.get(term, 0) + n
        doc_count = sum(v["doc_count"] for v in got.values.values())
        return quoting.QuoteStatistics(doc_count, frequencies), got.failed, got.stale

    def _matching_quotes(self, request: quoting.QuoteRequest, window: int, deadline: float):
        def work(view):
            corpus, failed, stale = self._quote_statistics(request.q, deadline)
            if stale:
                return None, failed, True
            found = self._run("quotes", deadline, request=request, corpus=corpus, window=window)
            return found, failed | found.failed, found.stale

        found, failed = self._with_view(work, deadline)
        tagged = [(f, shard) for shard, value in found.values.items() for f in value["candidates"]]
        key = quoting.quote_order_key(request)
        tagged.sort(key=lambda pair: key(pair[0]))
        return found, failed, tagged

    def _quotes_of(self, phase: str, tagged: list, deadline: float, failed: set[str]) -> list:
        """Return what `phase` makes of each (quote, shard) in order (a lost shard's are missing)."""
        per_shard: dict[str, dict] = {}
        for f, shard in tagged:
            per_shard.setdefault(shard, {"found": []})["found"].append(f)
        if not per_shard:
            return []
        got = self._run(phase, deadline, per_shard=per_shard)
        failed |= got.failed
        by_shard = {s: iter(v) for s, v in got.values.items()}
        return [next(by_shard[shard]) for _, shard in tagged if shard in by_shard]

    def quotes(self, request: quoting.QuoteRequest | None = None, **params) -> QuoteResult:
        request = request or quoting.QuoteRequest.build(**params)
        started = time.perf_counter()
        deadline = time.monotonic() + self.time_limit
        articles = request.articles
        first, limit = (articles.page - 1) * articles.size, articles.page * articles.size
        found, failed, tagged = self._matching_quotes(request, limit, deadline)
        results = self._quotes_of("quote_hits", tagged[first:limit], deadline, failed)
        parts = list(found.values.values())
        total = sum(p["total"] for p in parts)
        speakers = sum((p["speakers"] for p in parts), Counter())
        days = merge.joined_days([p["days"] for p in parts])
        return QuoteResult(
            total=total,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            page=articles.page,
            size=articles.size,
            sort=request.sort,
            results=tuple(results),
            facets=quoting.quote_facets(request, speakers, days, self._corpus_names),
            next=encode_cursor(articles.page + 1) if total > limit else None,
            partial=bool(failed) or any(p["partial"] for p in parts),
            shards=self._shards(failed),
        )

    def export_quotes(self, request: quoting.QuoteRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        deadline = time.monotonic() + self.time_limit
        found, _failed, tagged = self._matching_quotes(request, max(1, max_rows), deadline)
        tagged = tagged[:max_rows]
        total = sum(p["total"] for p in found.values.values())

        def rows() -> Iterator[dict]:
            for start in range(0, len(tagged), EXPORT_CHUNK):
                chunk = tagged[start : start + EXPORT_CHUNK]
                yield from self._quotes_of("quote_rows", chunk, time.monotonic() + self.time_limit, set())

        return total, rows()

    def _speaker_quotes(self, name: str, filters: SearchRequest, size: int, deadline: float) -> SpeakerQuotes:
        """Return a person's quotes on their page (search.quoting.speaker_quotes), merged
        from every shard's count, latest and most relevant by their sort keys."""

        def work(view):
            corpus, failed, stale = self._quote_statistics(filters.q, deadline)
            if stale:
                return None, failed, True
            got = self._run("speaker_quotes", deadline, name=name, filters=replace(filters), size=size, corpus=corpus)
            return got, failed | got.failed, got.stale

        got, _failed = self._with_view(work, deadline)
        parts = list(got.values.values())

        def best(key: str) -> tuple:
            keyed = sorted((pair for p in parts for pair in p[key]), key=lambda pair: pair[0])
            return tuple(hit for _, hit in keyed[:size])

        return SpeakerQuotes(sum(p["total"] for p in parts), best("recent"), best("relevant"))
