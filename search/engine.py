"""`open_index(path)`: the Whoosh implementation of the engine's front door.

`NewsIndex` keeps one searcher per thread and the facet columns of the last few
index generations; each call takes one `Snapshot` of them and answers from it
(search/results.py, search/explore.py, search/suggest.py, search/export.py).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from search import explore, quoting
from search import export as exporting
from search import index as idx
from search import results as answering
from search.analysis import analysis_version
from search.analysis.tokenize import pre_analyze
from search.answers import (
    Article,
    EntityList,
    EntityPage,
    QuoteResult,
    SearchResult,
    Similar,
    Stats,
    Suggestion,
    Timeline,
)
from search.articles import Article as InputArticle
from search.errors import InvalidRequest
from search.facets import ALIAS_MERGES, FacetColumns, build_columns
from search.kinds import ORGANISATIONS, PEOPLE, PLACES
from search.query import SearchRequest, make_parser
from search.scoring import SegmentCache, Unsupported, VectorSearch
from search.snapshot import Snapshot
from search.suggest import suggestion

COLUMN_GENERATIONS = 3  # facet columns kept for this many index generations


class NewsIndex:
    """A searchable index (a `SearchBackend`). Searchers are reused per thread and
    refreshed when the index changes."""

    def __init__(self, path: str | os.PathLike, *, time_limit: float | None = 10.0, vectorised: bool = True):
        self.path = Path(path)
        self._ix = idx.open_existing(self.path)
        self._parser = make_parser(self._ix.schema)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._segment_cache: dict = {}
        self._columns: OrderedDict[int, FacetColumns] = OrderedDict()
        self.time_limit = time_limit
        self.vectorised = vectorised
        self._segments = SegmentCache(self.path)

    def snapshot(self) -> Snapshot:
        """Return this thread's up-to-date searcher with the facet columns of its generation."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None or not searcher.up_to_date():
            searcher = self._ix.searcher()
            self._local.searcher = searcher
        generation = searcher.reader().generation()
        with self._lock:
            columns = self._columns.get(generation)
            if columns is None:
                columns = build_columns(searcher, self._segment_cache, ALIAS_MERGES, self._segments.postings)
                self._columns[generation] = columns
                while len(self._columns) > COLUMN_GENERATIONS:
                    self._columns.popitem(last=False)
        return Snapshot(searcher, columns, self._parser, self._vector(searcher, columns), self.time_limit)

    def _vector(self, searcher, columns: FacetColumns) -> VectorSearch | None:
        """Return the vectorised evaluator of `searcher`, or None to use Whoosh's matchers."""
        if not self.vectorised:
            return None
        try:
            return VectorSearch(searcher, self._segments.segments(searcher), columns.live)
        except Unsupported:
            return None

    # Reading

    def search(self, request: SearchRequest | None = None, **params) -> SearchResult:
        """Return one page of hits with facets; `params` as SearchRequest.build takes them."""
        request = request or SearchRequest.build(**params)
        return answering.search_result(self.snapshot(), request)

    def article(self, article_id: str) -> Article:
        """Return one article in full, with its people and places and their offsets."""
        return answering.article(self.snapshot(), article_id)

    def entities(self, kind: str, *, prefix: str | None = None, size: int | None = 20, **filters) -> EntityList:
        """Return the most frequent people, places or countries, optionally restricted
        to names starting with `prefix` (any word of the name) and to matching articles."""
        return answering.entity_list(self.snapshot(), kind, prefix, size, filters)

    def entity(self, kind: str, name: str, *, size: int = 10, **filters) -> EntityPage:
        return explore.entity_page(self.snapshot(), kind, name, size=size, **filters)

    def timeline(self, series: list[str], *, interval: str = "month", date_from=None, date_to=None) -> Timeline:
        explore.timeline_requests(series, interval, date_from, date_to)  # bad parameters before any work
        return explore.timeline(self.snapshot(), series, interval=interval, date_from=date_from, date_to=date_to)

    def similar(self, article_id: str, *, size: int = 10) -> Similar:
        return explore.similar(self.snapshot(), article_id, size=size)

    def suggestion(self, request: SearchRequest, total: int) -> Suggestion | None:
        return suggestion(self.snapshot(), request, total)

    def export(self, request: SearchRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        return exporting.export_rows(self.snapshot(), request, max_rows)

    def quotes(self, request: quoting.QuoteRequest | None = None, **params) -> QuoteResult:
        """Return one page of quotes with facets; a result is one quote, and totals and
        facets count quotes. `params` as QuoteRequest.build takes them."""
        request = request or quoting.QuoteRequest.build(**params)
        return quoting.quote_result(self.snapshot(), request)

    def export_quotes(self, request: quoting.QuoteRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        """Return (all matching quotes, an iterator over at most `max_rows` rows in order)."""
        return quoting.export_rows(self.snapshot(), request, max_rows)

    def stats(self) -> Stats:
        """Return the article count, date range, index size and last ingest."""
        snapshot = self.snapshot()
        columns = snapshot.columns
        days = columns.day_numbers(None)
        first = last = None
        if len(days):
            first = np.datetime64(int(days.min()), "D").astype(object).isoformat()
            last = np.datetime64(int(days.max()), "D").astype(object).isoformat()
        meta = idx.read_meta(self.path)
        segments = self._segments.segments(snapshot.searcher)
        return Stats(
            articles=snapshot.searcher.doc_count(),
            date_from=first,
            date_to=last,
            people=int(np.count_nonzero(columns.counts(PEOPLE.field, None))),
            places=int(np.count_nonzero(columns.counts(PLACES.field, None))),
            organisations=int(np.count_nonzero(columns.counts(ORGANISATIONS.field, None))),
            segments=len(segments),
            # Segments searched through posting arrays; the others through Whoosh's
            # blocks (any ingest or `newsindex optimize` writes the missing arrays).
            segments_with_posting_arrays=sum(s.postings.complete for s in segments),
            index_bytes=idx.folder_bytes(self.path),
            last_ingest=meta.get("last_ingest"),
            last_ingest_report=meta.get("last_ingest_report"),
            # Articles are analysed again when an upgrade changes the analysis: an
            # ingest of the same files brings an outdated index up to date.
            analysis_version=meta.get("analysis_version"),
            analysis_current=meta.get("analysis_version") == analysis_version(),
        )

    # Warming

    def warm(self, *, read_files: bool = True, follow: bool = False) -> dict:
        """Load now what the first queries would load, and return what it took: the facet
        columns, every segment's posting arrays and field lengths, the query parser and
        scorer (one query of each kind), and, with `read_files`, the index's files into
        the operating system's page cache (read, not mapped: they do not count in this
        process's memory). With `follow`, a background thread warms again whenever a
        commit changes the index, so a searcher reopened after an ingest is warm too."""
        started = time.perf_counter()
        read = _read_into_page_cache(self.path) if read_files else 0
        files_seconds = time.perf_counter() - started
        searcher = self.snapshot().searcher
        segments = self._segments.segments(searcher)
        for request in _WARM_REQUESTS:
            with contextlib.suppress(InvalidRequest):  # (a suggestion for no hits can be one)
                self.search(**request)
        _analyse_some_bodies(searcher)
        if follow and getattr(self, "_follower", None) is None:
            self._follower = threading.Thread(target=self._follow, name="newsindex-warm", daemon=True)
            self._follower.start()
        return {
            "seconds": round(time.perf_counter() - started, 3),
            "files_seconds": round(files_seconds, 3),
            "bytes_read": read,
            "segments": len(segments),
            "articles": searcher.doc_count(),
        }

    def _follow(self, interval: float = 1.0) -> None:
        generation = self._ix.latest_generation()
        while True:
            time.sleep(interval)
            with contextlib.suppress(Exception):  # a commit under way: try again next time
                latest = self._ix.latest_generation()
                if latest != generation:
                    self.warm(read_files=False)
                    generation = latest

    # Writing

    def ingest(self, sources: Iterable[str | os.PathLike] | Iterable[InputArticle], **options) -> idx.IngestReport:
        """Add or replace the articles of `sources`; see search.index.ingest."""
        return idx.ingest(self.path, sources, **options)

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Delete articles by id; return (deleted ids, ids that were not in the index)."""
        return idx.delete(self.path, ids)


# One query of each kind the scorer and the parser handle, with the facets a page asks for.
_WARM_REQUESTS = (
    {"q": "the", "facets": ["people", "places", "month"]},
    {"q": '"said the" OR said* OR (said AND NOT the)', "facets": ["people", "places", "year"]},
    {"facets": ["people", "places", "countries", "month"], "sort": "newest"},
)


# Bodies analysed at warm-up, spread over the index: highlights of frequent terms
# analyse the page's texts again, and the first pages after a start spent most of their
# time stemming words the process had not seen (50 us a word; "said" cold 55 ms, warm
# 20 ms over 514,000 articles).
WARM_BODIES = 300


def _analyse_some_bodies(searcher) -> None:
    count = searcher.doc_count_all()
    for docnum in np.unique(np.linspace(0, count - 1, num=min(WARM_BODIES, count), dtype=np.int64)).tolist():
        pre_analyze(searcher.stored_fields(docnum).get("body", ""))


def _read_into_page_cache(path: Path) -> int:
    """Read every file under `path` once (into the page cache); return the bytes read."""
    total = 0
    buffer = bytearray(1 << 20)
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError), open(os.path.join(root, name), "rb", buffering=0) as stream:
                while count := stream.readinto(buffer):
                    total += count
    return total


def warm_if_present(open_engine: Callable[[], NewsIndex], **options) -> dict | None:
    """Return what warming the engine that `open_engine()` gives took (see NewsIndex.warm),
    or None if there is no index yet (a server may start before the first ingest)."""
    try:
        engine = open_engine()
    except idx.IndexNotFoundError:
        return None
    return engine.warm(**options)


def open_index(path: str | os.PathLike, *, create: bool = False, **options) -> NewsIndex:
    """Return the index at `path`; raise IndexNotFoundError if there is none, unless
    `create` makes an empty one."""
    if create:
        idx.open_or_create(path)
    return NewsIndex(path, **options)
