"""`open_index(path)`: the engine's front door, usable from Python without Flask."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from whoosh import query

from search import index as idx
from search.analysis import analysis_version
from search.explore import ExploreMixin
from search.facets import FacetColumns, build_columns
from search.highlight import match_spans, query_terms, snippets
from search.query import (
    InvalidRequest,
    SearchRequest,
    date_facet,
    encode_cursor,
    facet_values,
    iso_date,
    make_parser,
    parse_query,
    plain_snippet,
    run_search,
)
from search.scoring import SegmentCache, Unsupported, VectorSearch

ENTITY_KINDS = ("people", "places", "countries")


class ArticleNotFoundError(KeyError):
    """No article with that id."""


class NewsIndex(ExploreMixin):
    """A searchable index. Searchers are reused and refreshed when the index changes."""

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

    # Snapshots

    def _view(self):
        """Return this thread's up-to-date searcher and the facet columns of its generation."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None or not searcher.up_to_date():
            searcher = self._ix.searcher()
            self._local.searcher = searcher
        generation = searcher.reader().generation()
        with self._lock:
            columns = self._columns.get(generation)
            if columns is None:
                columns = build_columns(searcher, self._segment_cache, _alias_mergers(), self._segments.postings)
                self._columns[generation] = columns
                while len(self._columns) > 3:
                    self._columns.popitem(last=False)
        return searcher, columns

    # Search

    def search(self, **params) -> dict:
        """Return the search answer for `params` (see SearchRequest.build) as plain data."""
        request = params.pop("request", None) or SearchRequest.build(**params)
        started = time.perf_counter()
        searcher, columns = self._view()
        user_query, full_query = self._query(columns, request)
        hits = self._run(searcher, columns, full_query, request)
        spans = self._match_spans(searcher, user_query, [docnum for docnum, _ in hits.page])
        results = [
            self._result(searcher.stored_fields(docnum), score, columns, spans.get(docnum))
            for docnum, score in hits.page
        ]
        docnums = hits.docnums
        facets = {}
        for name in request.facets:
            if name in ENTITY_KINDS:
                selected = request.person if name == "people" else request.place
                facets[name] = facet_values(columns, name, docnums, request.facet_size, selected)
            else:
                facets[name] = date_facet(columns, name, docnums, request)
        more = hits.total > request.page * request.size
        wanted = (request.q or request.person or request.place) and not hits.partial
        suggestion = self.suggestion(request, hits.total) if wanted else None
        return {
            "total": hits.total,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
            "page": request.page,
            "size": request.size,
            "sort": request.sort,
            "results": results,
            "facets": facets,
            "next": encode_cursor(request.page + 1) if more else None,
            "suggestion": suggestion,
            "partial": hits.partial,
        }

    def _query(self, columns: FacetColumns, request: SearchRequest) -> tuple[query.Query | None, query.Query]:
        """Return (the user's parsed query or None, that query with the filters applied)."""
        filters: list[query.Query] = []
        for name in request.person:
            filters.append(_any_term("people", columns.expand("people", name)))
        for name in request.place:
            terms = [("places", t) for t in columns.expand("places", name)]
            if request.place_scope == "country":
                terms += [("countries", t) for t in columns.expand("countries", name)]
            filters.append(query.Or([query.Term(f, t) for f, t in terms]) if terms else query.NullQuery)
        # Dates are filtered with the cached day column in _run, not with Whoosh's
        # DateRange (a deep union of numeric-range terms: 157 ms alone at 100k articles).
        user = parse_query(self._parser, request.q) if request.q else None
        if user is not None and filters:
            return user, query.Require(user, query.And(filters))
        if user is not None:
            return user, user
        if filters:
            return None, query.And(filters)
        return None, query.Every()

    def _run(self, searcher, columns, q: query.Query, request: SearchRequest):
        deadline = time.perf_counter() + self.time_limit if self.time_limit else None
        allowed = columns.date_mask(request.date_from, request.date_to)
        return run_search(searcher, q, request, columns, deadline, allowed, self._vector(searcher, columns))

    def _vector(self, searcher, columns: FacetColumns) -> VectorSearch | None:
        """Return the vectorised evaluator of `searcher`, or None to use Whoosh's matchers."""
        if not self.vectorised:
            return None
        try:
            return VectorSearch(searcher, self._segments.segments(searcher), columns.live)
        except Unsupported:
            return None

    @staticmethod
    def _match_spans(searcher, user_query, docnums: list[int]) -> dict[int, list[tuple[int, int]]]:
        if user_query is None or not docnums or not searcher.schema["body"].supports("characters"):
            return {}  # (indexes made before schema 2 have no offsets: plain snippets)
        reader = searcher.reader()
        return match_spans(reader, "body", query_terms(user_query, reader, "body"), docnums)

    @staticmethod
    def _result(stored: dict, score: float | None, columns: FacetColumns, spans) -> dict:
        body = stored.get("body", "")
        found = snippets(body, spans) if spans else []
        return {
            **article_summary(stored, columns),
            "snippets": found or [plain_snippet(body)],
            "score": round(float(score), 4) if score is not None else None,
        }

    # Articles

    def article(self, article_id: str) -> dict:
        """Return one article in full, with its people and places and their offsets."""
        searcher, columns = self._view()
        stored = searcher.document(id=article_id)
        if stored is None:
            raise ArticleNotFoundError(article_id)
        body = stored.get("body", "")
        return {
            **article_summary(stored, columns),
            "body": body,
            "countries": _split(stored.get("countries")),
            "entities": [
                {
                    "label": label,
                    "start": start,
                    "end": end,
                    "text": body[start:end],
                    "canonical": columns.canonical("people", canonical) if label == "person" else canonical,
                    "country": country,
                }
                for label, start, end, canonical, country in stored.get("entities") or []
            ],
        }

    def entities(
        self, kind: str, *, prefix: str | None = None, size: int | None = 20, **filters
    ) -> dict:
        """Return the most frequent people, places or countries, optionally restricted
        to names starting with `prefix` (any word of the name) and to matching articles."""
        if kind not in ENTITY_KINDS:
            raise InvalidRequest({"kind": [f"must be one of {', '.join(ENTITY_KINDS)}"]})
        errors: dict[str, list[str]] = {}
        if size is None:
            size = 20
        if not isinstance(size, int) or not 1 <= size <= 1000:
            errors["size"] = ["must be between 1 and 1000"]
        prefix = " ".join((prefix or "").split()).lower()
        if len(prefix) > 200:
            errors["prefix"] = ["longer than 200 characters"]
        request = SearchRequest.build(**filters, size=1, facets=[])
        if errors:
            raise InvalidRequest(errors)
        searcher, columns = self._view()
        if request.q or request.person or request.place or request.date_from or request.date_to:
            docnums = self._run(searcher, columns, self._query(columns, request)[1], request).docnums
            counts = columns.counts(kind, docnums)
        else:
            counts = columns.live_counts(kind)  # computed once per index generation
        vocab = columns.vocab[kind]
        candidates = columns.ids_with_word_prefix(kind, prefix) if prefix else np.flatnonzero(counts)
        candidates = candidates[counts[candidates] > 0]
        # Highest count first, then alphabetical (ids follow the sorted names).
        order = candidates[np.lexsort((candidates, -counts[candidates]))][:size]
        return {
            "results": [{"value": vocab[i], "count": int(counts[i])} for i in order.tolist()],
            "total": len(candidates),
            "truncated": len(candidates) > len(order),
        }

    def stats(self) -> dict:
        """Return the article count, date range, index size and last ingest."""
        searcher, columns = self._view()
        days = columns.day_numbers(None)
        first = last = None
        if len(days):
            first = np.datetime64(int(days.min()), "D").astype(object).isoformat()
            last = np.datetime64(int(days.max()), "D").astype(object).isoformat()
        meta = idx.read_meta(self.path)
        size = _folder_bytes(self.path)
        segments = self._segments.segments(searcher)
        return {
            "articles": searcher.doc_count(),
            "date_from": first,
            "date_to": last,
            "people": int(np.count_nonzero(columns.counts("people", None))),
            "places": int(np.count_nonzero(columns.counts("places", None))),
            "segments": len(segments),
            # Segments searched through posting arrays; the others through Whoosh's
            # blocks (any ingest or `newsindex optimize` writes the missing arrays).
            "segments_with_posting_arrays": sum(s.postings.complete for s in segments),
            "index_bytes": size,
            "last_ingest": meta.get("last_ingest"),
            "last_ingest_report": meta.get("last_ingest_report"),
            # Articles are analysed again when an upgrade changes the analysis: an
            # ingest of the same files brings an outdated index up to date.
            "analysis_version": meta.get("analysis_version"),
            "analysis_current": meta.get("analysis_version") == analysis_version(),
        }

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
        searcher, columns = self._view()
        segments = self._segments.segments(searcher)
        for request in _WARM_REQUESTS:
            with contextlib.suppress(InvalidRequest):  # (a suggestion for no hits can be one)
                self.search(**request)
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

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        return idx.delete(self.path, ids)


def _folder_bytes(path: Path) -> int:
    """Bytes of the files under `path`; files that an ingest removes meanwhile count 0."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


# One query of each kind the scorer and the parser handle, with the facets a page asks for.
_WARM_REQUESTS = (
    {"q": "the", "facets": ["people", "places", "month"]},
    {"q": '"said the" OR said* OR (said AND NOT the)', "facets": ["people", "places", "year"]},
    {"facets": ["people", "places", "countries", "month"], "sort": "newest"},
)


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


def open_index(path: str | os.PathLike, **options) -> NewsIndex:
    """Return the index at `path` for searching; raise IndexNotFoundError if there is none."""
    return NewsIndex(path, **options)


def article_summary(stored: dict, columns: FacetColumns) -> dict:
    """Return what every answer says of an article: id, date, title, headline, url,
    source, and its people (alias-merged) and places."""
    return {
        "id": stored["id"],
        "date": iso_date(stored.get("date")),
        "title": stored.get("title", ""),
        "headline": stored.get("headline", ""),
        "url": stored.get("url", ""),
        "source": stored.get("source", ""),
        "people": columns.canonical_list("people", _split(stored.get("people"))),
        "places": _split(stored.get("places")),
    }


def _any_term(field: str, terms: list[str]) -> query.Query:
    if not terms:
        return query.NullQuery
    return query.Or([query.Term(field, t) for t in terms])


def _split(value) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _alias_mergers():
    try:
        from search.analysis.people import merge_people_aliases
    except ImportError:
        return None
    return {"people": merge_people_aliases}
