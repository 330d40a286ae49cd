"""Search: a validated `SearchRequest` in, plain JSON-ready data out.

One pass over the postings both scores the page of hits and records every
matching document number (a collector of our own), so facets over the whole hit
set cost a numpy `bincount` over cached columns, not a second search.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import html
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from whoosh import query
from whoosh.collectors import UnlimitedCollector, WrappingCollector
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

from search.answers import Facet, FacetValue
from search.errors import InvalidRequest, SearchTimeout
from search.facets import FacetColumns, histogram
from search.kinds import MAX_FILTER_VALUES, MAX_NAME_CHARS
from search.scoring import Matches, Unsupported, VectorSearch

SORTS = ("relevance", "newest", "oldest")
FACETS = ("people", "places", "organisations", "countries", "month", "year")
DEFAULT_FACETS = ("people", "places", "month")
MAX_SIZE = 100
MAX_FACET_SIZE = 100
MAX_QUERY_CHARS = 2000
MAX_QUERY_TERMS = 100
MAX_RESULTS_WINDOW = 10_000
PARSE_CACHE = 512
SNIPPET_CHARS = 240
PLACE_SCOPES = ("place", "country")


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: what to match, filter, sort, page and count."""

    q: str = ""
    person: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = 10
    facets: tuple[str, ...] = DEFAULT_FACETS
    facet_size: int = 10
    place_scope: str = "place"
    organisation: tuple[str, ...] = ()

    @property
    def selects_articles(self) -> bool:
        """Whether the request narrows the archive (a query, a name or a date filter)."""
        return bool(self.q or self.person or self.place or self.organisation or self.date_from or self.date_to)

    @classmethod
    def build(
        cls,
        q: str | None = "",
        person: Sequence[str] | str | None = (),
        place: Sequence[str] | str | None = (),
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        sort: str | None = None,
        page: int | None = 1,
        size: int | None = 10,
        facets: Sequence[str] | str | None = None,
        facet_size: int | None = 10,
        cursor: str | None = None,
        place_scope: str | None = "place",
        organisation: Sequence[str] | str | None = (),
    ) -> SearchRequest:
        """Return a validated request, or raise InvalidRequest naming each bad parameter."""
        errors: dict[str, list[str]] = {}
        q = (q or "").strip()
        if len(q) > MAX_QUERY_CHARS:
            errors["q"] = [f"query is longer than {MAX_QUERY_CHARS} characters"]
        people = _names(person, "person", errors)
        places = _names(place, "place", errors)
        organisations = _names(organisation, "organisation", errors)
        start = _period(date_from, "from", errors, end=False)
        end = _period(date_to, "to", errors, end=True)
        # A 'from' after 'to' is an empty range, not an error: each date alone is valid, and the
        # API's OpenAPI document (which cannot relate two parameters) calls such a request valid.
        sort = sort or ("relevance" if q else "newest")
        if sort not in SORTS:
            errors["sort"] = [f"must be one of {', '.join(SORTS)}"]
        if cursor:
            try:
                page = _decode_cursor(cursor)
            except ValueError:
                errors["cursor"] = ["not a cursor this server made"]
        page = _int(page, "page", 1, MAX_RESULTS_WINDOW, errors, 1)
        size = _int(size, "size", 1, MAX_SIZE, errors, 10)
        if page and size and page * size > MAX_RESULTS_WINDOW and "page" not in errors:
            errors["page"] = [f"page * size may not exceed {MAX_RESULTS_WINDOW}"]
        if facets is None:
            facet_names = DEFAULT_FACETS
        else:
            if isinstance(facets, str):
                facets = [facets]
            facet_names = tuple(dict.fromkeys(f.strip() for part in facets for f in part.split(",") if f.strip()))
            unknown = [f for f in facet_names if f not in FACETS]
            if unknown:
                errors["facets"] = [f"unknown facet {', '.join(unknown)}; known: {', '.join(FACETS)}"]
        facet_size = _int(facet_size, "facet_size", 1, MAX_FACET_SIZE, errors, 10)
        scope = place_scope or "place"
        if scope not in PLACE_SCOPES:
            errors["place_scope"] = [f"must be one of {', '.join(PLACE_SCOPES)}"]
        if errors:
            raise InvalidRequest(errors)
        return cls(q, people, places, start, end, sort, page, size, facet_names, facet_size, scope, organisations)


def _names(values, name: str, errors: dict) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    cleaned = tuple(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))
    if any(len(v) > MAX_NAME_CHARS for v in cleaned):
        errors[name] = [f"a name is longer than {MAX_NAME_CHARS} characters"]
    if len(cleaned) > MAX_FILTER_VALUES:
        errors[name] = [f"at most {MAX_FILTER_VALUES} values"]
    return cleaned


def _int(value, name: str, low: int, high: int, errors: dict, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = ["must be a whole number"]
        return default
    if not low <= number <= high:
        errors[name] = [f"must be between {low} and {high}"]
        return default
    return number


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_period(value: str, end: bool) -> date:
    """Return the first (or, with `end`, the last) day of YYYY, YYYY-MM or YYYY-MM-DD."""
    m = _PERIOD.match(value.strip())
    if not m:
        raise ValueError(f"{value[:30]!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        raise ValueError("year must be 1 or later")
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            month_n = int(month)
            last = calendar.monthrange(year, month_n)[1] if 1 <= month_n <= 12 else 0
            return date(year, month_n, last if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date: {exc}") from None


def _period(value, name: str, errors: dict, end: bool) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_period(str(value), end)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return None


def encode_cursor(page: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"p": page}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        page = json.loads(base64.urlsafe_b64decode(padded.encode()))["p"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError):
        raise ValueError("bad cursor") from None
    if not isinstance(page, int) or page < 1:
        raise ValueError("bad cursor")
    return page


# Parsing


def make_parser(schema) -> MultifieldParser:
    """Return the query parser: AND over title and body, title boosted, field aliases."""
    parser = MultifieldParser(["title", "body"], schema, fieldboosts={"title": 2.0}, group=AndGroup)
    parser.add_plugin(
        FieldAliasPlugin(
            {"people": ["person"], "places": ["place"], "organisations": ["organisation"], "countries": ["country"]}
        )
    )
    return parser


def parse_query(parser, text: str) -> query.Query:
    """Return the Whoosh query for `text`, or raise InvalidRequest naming `q`.

    Parsing runs the NLTK analyzer over the query (about 0.6 ms): the last queries'
    trees are kept per parser. Nothing downstream changes a tree it is given."""
    cache, lock = parser.__dict__.setdefault("_newsindex_cache", (OrderedDict(), threading.Lock()))
    with lock:
        found = cache.get(text)
    if found is None:
        found = _parse_query(parser, text)
        with lock:
            cache[text] = found
            while len(cache) > PARSE_CACHE:
                cache.popitem(last=False)
    return found


def _parse_query(parser, text: str) -> query.Query:
    try:
        parsed = parser.parse(text)
    except Exception as exc:  # whoosh raises assorted errors on odd syntax
        raise InvalidRequest({"q": [f"cannot parse the query: {exc}"]}) from None
    terms = list(parsed.iter_all_terms()) if parsed is not None else []
    if len(terms) > MAX_QUERY_TERMS:
        raise InvalidRequest({"q": [f"the query has {len(terms)} terms; at most {MAX_QUERY_TERMS}"]})
    for q in _leaves(parsed):
        if isinstance(q, query.MultiTerm):
            # Rank by the matched words' BM25F, as a term does. Whoosh's default
            # "constant score" is 1.0 in segments under 5,000 documents and BM25F
            # in larger ones: a ranking that would change as the index grows.
            q.constantscore = False
        if isinstance(q, (query.Prefix, query.Wildcard)):
            literal = re.match(r"[^*?]*", q.text).group()
            if len(literal) < 2:
                raise InvalidRequest(
                    {"q": [f"{q.text!r}: a wildcard needs at least 2 leading letters (use 'oil*', not '*oil')"]}
                )
    return parsed


def _leaves(q):
    if q is None:
        return
    yield q
    if q.is_leaf():
        return
    for child in q.children():
        yield from _leaves(child)


# Collecting


class HitSetCollector(WrappingCollector):
    """Wraps a scoring or sorting collector: also records every matching global
    document number, and stops with SearchTimeout past a deadline."""

    def __init__(self, child, deadline: float | None, allowed: np.ndarray | None = None):
        super().__init__(child)
        self.docnums: list[int] = []
        self.deadline = deadline
        self.allowed = allowed  # bool per global docnum (the date filter), or None

    def collect_matches(self):
        collect = self.child.collect
        record = self.docnums.append
        offset = self.child.offset
        deadline = self.deadline
        allowed = self.allowed
        for n, sub_docnum in enumerate(self.matches()):
            if allowed is not None and not allowed[offset + sub_docnum]:
                continue
            record(offset + sub_docnum)
            collect(sub_docnum)
            if deadline is not None and not n & 1023 and time.perf_counter() > deadline:
                raise SearchTimeout("the search took longer than its time limit")


def plain_snippet(body: str) -> str:
    text = " ".join(body[: SNIPPET_CHARS * 2].split())
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Hits:
    """What one search found: the page as (docnum, score) pairs and every matching docnum
    (None when every live document matches)."""

    page: list[tuple[int, float | None]]
    docnums: np.ndarray | None
    total: int
    partial: bool = False  # the time limit stopped the search: only part of the index was seen


def run_search(
    searcher,
    q: query.Query,
    request: SearchRequest,
    columns: FacetColumns,
    deadline: float | None,
    allowed: np.ndarray | None = None,
    vector: VectorSearch | None = None,
    scored: bool | None = None,
) -> Hits:
    """Score or sort `q` among the `allowed` documents (a bool mask; None: all), keeping
    the requested page and every matching document number. Hits are ranked by score
    when the request is by relevance with words to rank by (or when `scored` says so).

    With `vector`, the query is evaluated over posting arrays (search/scoring.py);
    the query nodes it does not know, and match-all, go through Whoosh's matchers."""
    start, limit = (request.page - 1) * request.size, request.page * request.size
    if scored is None:
        scored = request.sort == "relevance" and bool(request.q)
    if vector is not None and not isinstance(q, query.Every):
        try:
            matches, partial = vector.match(q, scored, deadline)
        except Unsupported:
            pass  # Whoosh's matchers below
        else:
            return _page(matches, request, columns, allowed, partial)
    if scored:
        # replace=0: Whoosh's scored collector otherwise "replaces" the matcher with one
        # that drops every branch unable to beat the current top-k's lowest score, even
        # without block-quality skipping, and the hit set (total, facets) loses documents.
        # limit=None: every score is kept, so ties at the page's edge are ordered by
        # article id (_score_order), not by Whoosh's document numbers.
        top = UnlimitedCollector()
        top.replace = 0
        collector = HitSetCollector(top, deadline, allowed)
        partial = False
        try:
            searcher.search_with_collector(q, collector)
        except SearchTimeout:
            partial = True  # keep what was scored so far
        results = collector.results()
        scored_docs = np.array([results.docnum(i) for i in range(results.scored_length())], dtype=np.int64)
        scores = np.array([results.score(i) for i in range(results.scored_length())], dtype=np.float64)
        order = _score_order(scored_docs, scores, limit, columns.id_rank)
        page = [(int(scored_docs[i]), float(scores[i])) for i in order[start:limit]]
        docnums = np.array(collector.docnums, dtype=np.int64)
        return Hits(page, docnums, len(docnums), partial)
    # Date order (or no query to rank by): find the matches with the matchers'
    # fast all_ids() and order them by the cached date column, not doc by doc.
    partial = False
    if isinstance(q, query.Every):
        docnums = None if allowed is None else np.flatnonzero(allowed)
        candidates = np.flatnonzero(columns.live) if allowed is None else docnums
    else:
        parts = []
        for subsearcher, offset in searcher.leaf_searchers():
            if deadline is not None and time.perf_counter() > deadline:
                partial = True  # the remaining segments are not searched
                break
            matcher = q.matcher(subsearcher, searcher.boolean_context())
            ids = np.fromiter(matcher.all_ids(), dtype=np.int64) + offset
            parts.append(ids if allowed is None else ids[allowed[ids]])
        candidates = docnums = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    order = _date_order(candidates, columns.days, request.sort == "oldest", limit, columns.id_rank)
    page = [(int(candidates[i]), None) for i in order[start:limit]]
    return Hits(page, docnums, len(candidates), partial)


def _page(matches: Matches, request: SearchRequest, columns: FacetColumns, allowed, partial: bool) -> Hits:
    """Return the requested page of vectorised matches, by score or by date."""
    docs, scores = matches.docs, matches.scores
    if allowed is not None:
        keep = allowed[docs]
        docs = docs[keep]
        scores = scores[keep] if scores is not None else None
    start, limit = (request.page - 1) * request.size, request.page * request.size
    if scores is not None:
        order = _score_order(docs, scores, limit, columns.id_rank)
        page = [(int(docs[i]), float(scores[i])) for i in order[start:limit]]
    else:
        order = _date_order(docs, columns.days, request.sort == "oldest", limit, columns.id_rank)
        page = [(int(docs[i]), None) for i in order[start:limit]]
    return Hits(page, docs, len(docs), partial)


def _score_order(docs: np.ndarray, scores: np.ndarray, limit: int, id_rank: np.ndarray | None = None) -> np.ndarray:
    """Return the positions of the `limit` best scores, best first; ties by article id
    (`id_rank`, each document's rank in id order; without it, by document number)."""
    if len(docs) > limit:
        negated = -scores
        kth = np.partition(negated, limit - 1)[limit - 1]
        candidates = np.flatnonzero(negated <= kth)  # the ties at the edge come along
    else:
        candidates = np.arange(len(docs))
    tie = id_rank[docs[candidates]] if id_rank is not None else docs[candidates]
    return candidates[np.lexsort((tie, -scores[candidates]))][:limit]


def _date_order(
    docs: np.ndarray, days: np.ndarray, oldest: bool, limit: int, id_rank: np.ndarray | None = None
) -> np.ndarray:
    """Return the positions of the first `limit` documents by date (oldest or newest
    first); the same day is ordered by article id in both directions (`id_rank`;
    without it, by document number)."""
    tie = id_rank[docs] if id_rank is not None else docs
    day = days[docs].astype(np.int64)
    key = (day if oldest else -day) * (1 << 32) + tie
    candidates = np.argpartition(key, limit - 1)[:limit] if len(key) > limit else np.arange(len(key))
    return candidates[np.argsort(key[candidates], kind="stable")]


def facet_values(
    columns: FacetColumns, name: str, docnums: np.ndarray | None, size: int, selected: Sequence[str]
) -> Facet:
    """Return one entity facet: the top `size` values with counts, and whether more exist."""
    return facet_from_counts(columns.vocab[name], name, columns.counts(name, docnums), size, selected)


def facet_from_counts(vocab: Sequence[str], name: str, counts: np.ndarray, size: int, selected: Sequence[str]) -> Facet:
    """Return one entity facet from its counts per value id (ids index the sorted `vocab`)."""
    nonzero = int(np.count_nonzero(counts))
    top = _top(counts, size)
    chosen = set(selected)
    results = tuple(FacetValue(vocab[i], vocab[i], int(counts[i]), vocab[i] in chosen) for i in top)
    return Facet(name, results, nonzero > len(results))


def _top(counts: np.ndarray, size: int) -> list[int]:
    nonzero = np.flatnonzero(counts)
    part = nonzero
    if len(nonzero) > size:
        part = nonzero[np.argpartition(-counts[nonzero], size - 1)[:size]]
    # Highest count first; ties alphabetical by id (ids follow sorted names).
    return sorted(part.tolist(), key=lambda i: (-counts[i], i))


def date_facet(columns: FacetColumns, interval: str, docnums, request: SearchRequest) -> Facet:
    """Return the histogram of matching articles by month or year, zero-filled."""
    return date_facet_from_days(interval, columns.day_numbers(docnums), request)


def date_facet_from_days(interval: str, days: np.ndarray, request: SearchRequest) -> Facet:
    """Return the histogram by month or year of the articles dated `days` (day numbers)."""
    results = tuple(
        FacetValue(
            label,
            label,
            count,
            request.date_from == first and request.date_to == last,
            date_from=first.isoformat(),
            date_to=last.isoformat(),
        )
        for label, first, last, count in histogram(days, interval)
    )
    return Facet(interval, results, False)


def iso_date(value) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None
