"""Who said what: quotations found at ingest, searched, filtered and counted one by one.

A result is one quote, not one article: an article with three matching quotes gives
three results, and totals and facet counts count quotes. The index holds, per article,
the quoted words (`quotes`, analysed like the body, with the body's character offsets),
the speakers' names (`speakers`), the kinds present (`quote_kinds`) and each quote as a
stored list (`quote_list`). Whoosh finds the articles; each of their quotes is then
kept when its own words satisfy the query and its speaker is one asked for.

Speakers are people's canonical names, resolved through the people column's aliases,
so a speaker is named as the people facet names them ("Netanyahu" is "Benjamin
Netanyahu"). An index made before quotes were indexed answers with no quotes.
"""

from __future__ import annotations

import html
import math
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from whoosh import query
from whoosh.qparser import AndGroup, QueryParser

from search.answers import Facet, FacetValue, QuoteHit, QuoteResult, SpeakerQuotes
from search.errors import InvalidRequest
from search.highlight import match_spans
from search.kinds import MAX_FILTER_VALUES, MAX_NAME_CHARS, PEOPLE
from search.query import SearchRequest, date_facet_from_days, encode_cursor, iso_date, parse_query
from search.snapshot import Snapshot

KINDS = ("direct", "mixed", "indirect")
QUOTE_FACETS = ("speaker", "month")
FIELD = "quotes"
EXPORT_COLUMNS = ("id", "date", "headline", "speaker", "kind", "cue", "start", "end", "text")
_K1, _B, _AVERAGE_WORDS = 1.2, 0.75, 25.0


@dataclass(frozen=True)
class QuoteRequest:
    """A validated quote search: the quoted words to match, speakers, kinds, the article
    filters (person, place, dates in `articles`), order, page and facets."""

    q: str = ""
    speaker: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    articles: SearchRequest = SearchRequest(facets=())
    facets: tuple[str, ...] = QUOTE_FACETS

    @property
    def sort(self) -> str:
        return self.articles.sort

    @classmethod
    def build(
        cls,
        q: str | None = "",
        speaker: Sequence[str] | str | None = (),
        kind: Sequence[str] | str | None = (),
        facets: Sequence[str] | str | None = None,
        **article_params,
    ) -> QuoteRequest:
        """Return a validated request, or raise InvalidRequest naming each bad parameter.
        `article_params` are SearchRequest.build's (person, place, date_from, date_to,
        sort, page, size, cursor, facet_size)."""
        errors: dict[str, list[str]] = {}
        q = (q or "").strip()
        try:
            articles = SearchRequest.build(q=q, facets=[], **article_params)
        except InvalidRequest as exc:
            errors.update(exc.errors)
            articles = SearchRequest(facets=())
        speakers = _values(speaker)
        if any(len(v) > MAX_NAME_CHARS for v in speakers):
            errors["speaker"] = [f"a name is longer than {MAX_NAME_CHARS} characters"]
        elif len(speakers) > MAX_FILTER_VALUES:
            errors["speaker"] = [f"at most {MAX_FILTER_VALUES} values"]
        kinds = tuple(k.lower() for k in _values(kind, split=True))
        if any(k not in KINDS for k in kinds):
            errors["kind"] = [f"must be among {', '.join(KINDS)}"]
        facet_names = QUOTE_FACETS if facets is None else _values(facets, split=True)
        unknown = [f for f in facet_names if f not in QUOTE_FACETS]
        if unknown:
            errors["facets"] = [f"unknown facet {', '.join(unknown)}; known: {', '.join(QUOTE_FACETS)}"]
        if errors:
            raise InvalidRequest(errors)
        return cls(q, speakers, kinds, replace(articles, q=""), tuple(facet_names))


def _values(values, split: bool = False) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    parts = [p for v in values for p in (v.split(",") if split else [v])]
    return tuple(dict.fromkeys(" ".join(p.split()) for p in parts if p and p.strip()))


@dataclass(frozen=True)
class _Found:
    """One matching quote before it is rendered."""

    docnum: int
    index: int  # its place in the article's quote list
    day: int
    order_id: object  # orders ties by article id: its rank among the index's ids, or the id itself
    row: tuple  # start, end, kind, speaker, speaker_start, speaker_end, cue
    speaker: str | None  # canonical
    spans: tuple[tuple[int, int], ...]  # matched words, body offsets
    score: float | None


def has_quotes(snapshot: Snapshot) -> bool:
    """Whether the index holds quotes (indexes made before schema 4 do not)."""
    return FIELD in snapshot.searcher.schema


def quote_result(snapshot: Snapshot, request: QuoteRequest) -> QuoteResult:
    """Return the page of quotes of `request`, its facets counted over every matching
    quote, and the cursor of the next page."""
    started = time.perf_counter()
    found, partial = matching_quotes(snapshot, request)
    articles = request.articles
    ordered = ordered_quotes(found, request)
    first, limit = (articles.page - 1) * articles.size, articles.page * articles.size
    results = tuple(quote_hit(snapshot, f) for f in ordered[first:limit])
    facets = quote_facets(
        request, speaker_counts(found), np.array([f.day for f in found], dtype=np.int64), snapshot.columns
    )
    return QuoteResult(
        total=len(found),
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        page=articles.page,
        size=articles.size,
        sort=request.sort,
        results=results,
        facets=facets,
        next=encode_cursor(articles.page + 1) if len(found) > limit else None,
        partial=partial,
    )


def ordered_quotes(found: list[_Found], request: QuoteRequest) -> list[_Found]:
    """Return `found` in the request's order (newest first without a query to rank by)."""
    return sorted(found, key=quote_order_key(request))


def quote_facets(request: QuoteRequest, speakers: Counter, days: np.ndarray, columns) -> dict[str, Facet]:
    """Return the facets a quote request asks for, from the quotes per speaker and the
    day of each quote's article (a sharded index adds its shards' counts)."""
    facets: dict[str, Facet] = {}
    if "speaker" in request.facets:
        facets["speaker"] = _speaker_facet(speakers, request.articles.facet_size, request.speaker, columns)
    if "month" in request.facets:
        facets["month"] = date_facet_from_days("month", days, request.articles)
    return facets


def speaker_counts(found: list[_Found]) -> Counter:
    """Return the number of quotes per (canonical) speaker; unattributed quotes are not counted."""
    return Counter(f.speaker for f in found if f.speaker)


def speaker_quotes(snapshot: Snapshot, name: str, filters: SearchRequest, size: int = 3) -> SpeakerQuotes:
    """Return a person's quotes within the articles `filters` selects (its `q` matched
    within the quoted words): how many, the `size` latest and the `size` most relevant.
    Without a query the most relevant are the direct quotes before the others, longer
    (up to 40 words) before shorter."""
    total, recent, best = speaker_quote_parts(snapshot, name, filters, size)
    return SpeakerQuotes(
        total=total,
        recent=tuple(hit for _, hit in recent),
        relevant=tuple(hit for _, hit in best),
    )


def speaker_quote_parts(
    snapshot: Snapshot,
    name: str,
    filters: SearchRequest,
    size: int,
    corpus: QuoteStatistics | None = None,
    order_ids=None,
) -> tuple[int, list, list]:
    """Return (a person's quotes, the `size` latest, the `size` most relevant), each of
    the two a list of (sort key, QuoteHit): a sharded index merges its shards' by key."""
    request = QuoteRequest(filters.q, (name,), (), replace(filters, q=""), ())
    found, _ = matching_quotes(snapshot, request, corpus, order_ids)
    newest = _order_key("newest")
    if filters.q:
        best_key = _order_key("relevance")
    else:

        def best_key(f: _Found) -> tuple:
            words = min(len(_words(snapshot, f)), 40)
            return (f.row[2] == "indirect", -words, -f.day, f.order_id, f.index)

    recent = sorted(found, key=newest)[:size]
    best = sorted(found, key=best_key)[:size]
    return (
        len(found),
        [(newest(f), quote_hit(snapshot, f)) for f in recent],
        [(best_key(f), quote_hit(snapshot, f)) for f in best],
    )


def export_rows(snapshot: Snapshot, request: QuoteRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
    """Return (all matching quotes, an iterator over at most `max_rows` rows in the
    request's order): EXPORT_COLUMNS, the quote's text plain."""
    found, _ = matching_quotes(snapshot, request)
    ordered = ordered_quotes(found, request)
    return len(found), (export_row(snapshot, f) for f in ordered[:max_rows])


def export_row(snapshot: Snapshot, f: _Found) -> dict:
    """Return the export row (EXPORT_COLUMNS) of one matching quote."""
    stored = snapshot.stored(f.docnum)
    start, end, kind, _speaker, _s, _e, cue = f.row
    return {
        "id": stored["id"],
        "date": iso_date(stored.get("date")),
        "headline": stored.get("headline", ""),
        "speaker": f.speaker,
        "kind": kind,
        "cue": cue,
        "start": start,
        "end": end,
        "text": " ".join(stored.get("body", "")[start:end].split()),
    }


@dataclass(frozen=True)
class QuoteStatistics:
    """What a quote's score reads from the whole corpus: live articles, and the articles
    holding each term within quoted words (a sharded index sums its shards')."""

    doc_count: int
    doc_frequency: dict[str, int]


def quote_statistics(snapshot: Snapshot, q: str) -> QuoteStatistics:
    """Return this index's statistics of the terms `q` looks for within quoted words."""
    reader = snapshot.searcher.reader()
    if not q or not has_quotes(snapshot):
        return QuoteStatistics(reader.doc_count(), {})
    user = parse_query(_parser(snapshot), q)
    terms = {t for need in _needs(user, reader) for t in need}
    return QuoteStatistics(reader.doc_count(), {t: reader.doc_frequency(FIELD, t) for t in sorted(terms)})


def matching_quotes(
    snapshot: Snapshot, request: QuoteRequest, corpus: QuoteStatistics | None = None, order_ids=None
) -> tuple[list[_Found], bool]:
    """Return every quote `request` matches, unordered, and whether the time limit
    stopped the search of articles. Scores read `corpus`'s statistics (None: this
    index's); ties are ordered by `order_ids[docnum]` (None: the rank of the article id)."""
    if not has_quotes(snapshot):
        return [], False
    columns = snapshot.columns
    user = parse_query(_parser(snapshot), request.q) if request.q else None
    clauses: list[query.Query] = [query.Or([query.Term("quote_kinds", k) for k in request.kind or KINDS])]
    _, filters = snapshot.select(request.articles)
    if not isinstance(filters, query.Every):
        clauses.append(filters)
    wanted: set[str] | None = None
    if request.speaker:
        wanted = {columns.resolve(PEOPLE.field, s) for s in request.speaker} - {None}
        raws = [raw for name in wanted for raw in columns.expand(PEOPLE.field, name)]
        clauses.append(query.Or([query.Term("speakers", r) for r in raws]) if raws else query.NullQuery)
    selected = query.And(clauses)
    q = query.Require(user, selected) if user is not None else selected
    hits = snapshot.hits(replace(request.articles, sort="newest", page=1, size=1), q)
    docnums = np.sort(hits.docnums) if hits.docnums is not None else np.flatnonzero(columns.live)
    reader = snapshot.searcher.reader()
    needs, term_spans, idf = _query_terms(user, reader, docnums.tolist(), corpus)
    order_ids = columns.id_rank if order_ids is None else order_ids
    found: list[_Found] = []
    for docnum in docnums.tolist():
        rows = snapshot.stored(docnum).get("quote_list") or []
        day = int(columns.days[docnum])
        order_id = order_ids[docnum]
        order_id = order_id.decode("utf-8") if isinstance(order_id, bytes) else int(order_id)
        for index, row in enumerate(rows):
            start, end, kind, speaker = row[0], row[1], row[2], row[3]
            canonical = columns.canonical(PEOPLE.field, speaker) if speaker else None
            if request.kind and kind not in request.kind:
                continue
            if wanted is not None and canonical not in wanted:
                continue
            spans: list[tuple[int, int]] = []
            score = None
            if user is not None:
                inside = {
                    term: [s for s in term_spans[term].get(docnum, ()) if start <= s[0] and s[1] <= end]
                    for term in term_spans
                }
                present = {t for t, s in inside.items() if s}
                if not all(need & present for need in needs):
                    continue
                spans = sorted(s for t in present for s in inside[t])
                score = _score(inside, idf, end - start)
            found.append(_Found(docnum, index, day, order_id, tuple(row), canonical, tuple(spans), score))
    return found, hits.partial


def _parser(snapshot: Snapshot) -> QueryParser:
    """The parser of queries within the quoted words, made once per index."""
    parsers = snapshot.parser.__dict__.setdefault("_newsindex_quote_parser", {})
    if FIELD not in parsers:
        parsers[FIELD] = QueryParser(FIELD, snapshot.searcher.schema, group=AndGroup)
    return parsers[FIELD]


def _query_terms(user, reader, docnums: list[int], corpus: QuoteStatistics | None = None):
    """Return (what each quote must contain: a list of term sets, one of each set; the
    spans of every term per document; each term's idf, from `corpus` if given)."""
    if user is None:
        return [], {}, {}
    needs = [n for n in _needs(user, reader) if n]
    terms = sorted({t for need in needs for t in need})
    term_spans = {t: match_spans(reader, FIELD, [t], docnums) for t in terms}
    n = max(corpus.doc_count if corpus is not None else reader.doc_count(), 1)
    idf = {}
    for t in terms:
        df = corpus.doc_frequency.get(t) if corpus is not None else None
        df = reader.doc_frequency(FIELD, t) if df is None else df
        idf[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return needs, term_spans, idf


def _needs(q, reader) -> list[set[str]]:
    """Return the term sets a quote must meet, one term of each, for query `q`: each
    clause of an AND is one set (each word of a phrase too), an OR is the union of its
    terms; NOT clauses were applied to the article and are not asked of the quote."""
    if isinstance(q, (query.And, query.Require)):
        children = q.children() if isinstance(q, query.And) else [q.a]
        return [need for child in children for need in _needs(child, reader)]
    if isinstance(q, query.AndNot):
        return _needs(q.a, reader)
    if isinstance(q, query.Not):
        return []
    if isinstance(q, query.Phrase):
        return [{w} for w in q.words] if q.fieldname == FIELD else []
    if isinstance(q, query.MultiTerm):
        return [{(t.decode() if isinstance(t, bytes) else t) for f, t in q.expanded_terms(reader) if f == FIELD}]
    if q.is_leaf():
        return [{(t.decode() if isinstance(t, bytes) else t) for f, t in q.terms() if f == FIELD}]
    union: set[str] = set()
    for child in q.children():
        for need in _needs(child, reader):
            union |= need
    return [union]


def _score(inside: dict[str, list], idf: dict[str, float], chars: int) -> float:
    """BM25 of the quote's own words: each matched term's frequency in the quote,
    against the quote's length (about six characters a word)."""
    norm = 1 - _B + _B * (max(chars, 1) / 6.0) / _AVERAGE_WORDS
    total = 0.0
    for term, spans in inside.items():
        tf = len(spans)
        if tf:
            total += idf[term] * tf * (_K1 + 1) / (tf + _K1 * norm)
    return round(total, 4)


def _order_key(sort: str):
    """Return the sort key of quotes in `sort` order; ties go by article id (so a sharded
    index orders them alike), then by place in the article."""
    if sort == "oldest":
        return lambda f: (f.day, f.order_id, f.index)
    if sort == "relevance":
        return lambda f: (-(f.score or 0.0), -f.day, f.order_id, f.index)
    return lambda f: (-f.day, f.order_id, f.index)


def quote_order_key(request: QuoteRequest):
    """Return the sort key of a request's order (a sharded index merges its shards' by it)."""
    return _order_key(request.sort if request.q or request.sort != "relevance" else "newest")


def quote_hit(snapshot: Snapshot, f: _Found) -> QuoteHit:
    stored = snapshot.stored(f.docnum)
    start, end, kind, _speaker, _s, _e, cue = f.row
    return QuoteHit(
        text=marked(stored.get("body", ""), start, end, f.spans),
        kind=kind,
        speaker=f.speaker,
        cue=cue,
        start=start,
        end=end,
        id=stored["id"],
        date=iso_date(stored.get("date")),
        headline=stored.get("headline", ""),
        score=f.score,
    )


def marked(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """Return text[start:end] HTML-escaped, each span in <mark>, runs of white space as one."""
    parts, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    return " ".join("".join(parts).split())


def _words(snapshot: Snapshot, f: _Found) -> list[str]:
    start, end = f.row[0], f.row[1]
    return snapshot.stored(f.docnum).get("body", "")[start:end].split()


def _speaker_facet(counts: Counter, size: int, selected: Sequence[str], columns) -> Facet:
    """Quotes per speaker (unattributed quotes are not a value), most first."""
    chosen = {columns.resolve(PEOPLE.field, s) for s in selected}
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]
    values = tuple(FacetValue(name, name, count, name in chosen) for name, count in top)
    return Facet("speaker", values, len(counts) > len(top))
