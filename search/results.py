"""The answers to a search, an article and an entity list, read from one snapshot."""

from __future__ import annotations

import time

import numpy as np

from search.answers import Article, ArticleEntity, ArticleQuote, EntityCount, EntityList, Facet, Hit, SearchResult
from search.errors import ArticleNotFoundError, InvalidRequest
from search.highlight import match_spans, query_terms, snippets
from search.kinds import BY_FIELD, MAX_LIST_SIZE, MAX_NAME_CHARS, PAGE_KINDS, PEOPLE
from search.query import SearchRequest, date_facet, encode_cursor, facet_values, plain_snippet
from search.snapshot import Snapshot, split_names
from search.suggest import suggestion


def search_result(snapshot: Snapshot, request: SearchRequest, *, with_suggestion: bool = True) -> SearchResult:
    """Return the page of hits of `request`, its facets over the whole result set,
    the cursor of the next page and, when few articles match, a suggestion."""
    started = time.perf_counter()
    user_query, full_query = snapshot.select(request)
    hits = snapshot.hits(request, full_query)
    results = page_hits(snapshot, user_query, hits.page)
    facets: dict[str, Facet] = {}
    for name in request.facets:
        kind = BY_FIELD.get(name)
        if kind is not None:
            selected = getattr(request, kind.param)
            facets[name] = facet_values(snapshot.columns, name, hits.docnums, request.facet_size, selected)
        else:
            facets[name] = date_facet(snapshot.columns, name, hits.docnums, request)
    more = hits.total > request.page * request.size
    wanted = with_suggestion and (request.q or any(getattr(request, k.param) for k in PAGE_KINDS)) and not hits.partial
    return SearchResult(
        total=hits.total,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        page=request.page,
        size=request.size,
        sort=request.sort,
        results=results,
        facets=facets,
        next=encode_cursor(request.page + 1) if more else None,
        suggestion=suggestion(snapshot, request, hits.total) if wanted else None,
        partial=hits.partial,
    )


def page_hits(snapshot: Snapshot, user_query, page: list[tuple[int, float | None]]) -> tuple[Hit, ...]:
    """Return the hits of a page of (docnum, score), with snippets of `user_query`'s words."""
    stored = {docnum: snapshot.stored(docnum) for docnum, _ in page}  # read once, for spans and hits
    spans = _match_spans(snapshot, user_query, stored)
    return tuple(_hit(snapshot, stored[docnum], score, spans.get(docnum)) for docnum, score in page)


def _hit(snapshot: Snapshot, stored: dict, score: float | None, spans) -> Hit:
    body = stored.get("body", "")
    found = snippets(body, spans) if spans else []
    return Hit.of(
        snapshot.summary(stored),
        tuple(found or [plain_snippet(body)]),
        round(float(score), 4) if score is not None else None,
    )


def _match_spans(snapshot: Snapshot, user_query, stored: dict[int, dict]) -> dict[int, list[tuple[int, int]]]:
    searcher = snapshot.searcher
    if user_query is None or not stored or not searcher.schema["body"].supports("characters"):
        return {}  # (indexes made before schema 2 have no offsets: plain snippets)
    reader = searcher.reader()
    return match_spans(reader, "body", query_terms(user_query, reader, "body"), list(stored),
                       texts=lambda docnum: stored[docnum].get("body", ""))


def article(snapshot: Snapshot, article_id: str) -> Article:
    """Return one article in full, with its people and places and their offsets."""
    stored = snapshot.searcher.document(id=article_id)
    if stored is None:
        raise ArticleNotFoundError(article_id)
    body = stored.get("body", "")
    summary = snapshot.summary(stored)
    columns = snapshot.columns
    return Article(
        **vars(summary),
        body=body,
        countries=tuple(split_names(stored.get("countries"))),
        entities=tuple(
            ArticleEntity(
                label,
                start,
                end,
                body[start:end],
                columns.canonical(PEOPLE.field, canonical) if label == PEOPLE.label else canonical,
                country,
            )
            for label, start, end, canonical, country in stored.get("entities") or []
        ),
        quotes=tuple(
            ArticleQuote(
                start,
                end,
                body[start:end],
                kind,
                columns.canonical(PEOPLE.field, speaker) if speaker else None,
                speaker_start,
                speaker_end,
                cue,
            )
            for start, end, kind, speaker, speaker_start, speaker_end, cue in stored.get("quote_list") or []
        ),
    )


def entity_list(snapshot: Snapshot, field: str, prefix: str | None, size: int | None, filters: dict) -> EntityList:
    """Return the most frequent names of `field`, optionally only those with a word
    starting with `prefix`, counted in the articles `filters` select."""
    request, prefix, size = entity_list_request(field, prefix, size, filters)
    columns = snapshot.columns
    if request.selects_articles:
        counts = columns.counts(field, snapshot.hits(request).docnums)
    else:
        counts = columns.live_counts(field)  # computed once per index generation
    return ranked_names(columns, field, counts, prefix, size)


def entity_list_request(
    field: str, prefix: str | None, size: int | None, filters: dict
) -> tuple[SearchRequest, str, int]:
    """Return (the request selecting the counted articles, the normalised prefix, the
    size) of an entity list; raise InvalidRequest naming each bad parameter."""
    if field not in BY_FIELD:
        raise InvalidRequest({"kind": [f"must be one of {', '.join(BY_FIELD)}"]})
    errors: dict[str, list[str]] = {}
    if size is None:
        size = 20
    if not isinstance(size, int) or not 1 <= size <= MAX_LIST_SIZE:
        errors["size"] = [f"must be between 1 and {MAX_LIST_SIZE}"]
    prefix = " ".join((prefix or "").split()).lower()
    if len(prefix) > MAX_NAME_CHARS:
        errors["prefix"] = [f"longer than {MAX_NAME_CHARS} characters"]
    request = SearchRequest.build(**filters, size=1, facets=[])
    if errors:
        raise InvalidRequest(errors)
    return request, prefix, size


def ranked_names(columns, field: str, counts: np.ndarray, prefix: str, size: int) -> EntityList:
    """Return the names of `field` with a count, highest first (those with a word
    starting with `prefix` if given); `counts` per value id of `columns.vocab[field]`."""
    vocab = columns.vocab[field]
    candidates = columns.ids_with_word_prefix(field, prefix) if prefix else np.flatnonzero(counts)
    candidates = candidates[counts[candidates] > 0]
    # Highest count first, then alphabetical (ids follow the sorted names).
    order = candidates[np.lexsort((candidates, -counts[candidates]))][:size]
    return EntityList(
        results=tuple(EntityCount(vocab[i], int(counts[i])) for i in order.tolist()),
        total=len(candidates),
        truncated=len(candidates) > len(order),
    )
