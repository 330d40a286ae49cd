"""Exploring beyond keyword hits: who appears with whom, attention over time and
similar articles. Plain functions over one `Snapshot`; `search.engine` calls them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from whoosh import classify
from whoosh import query as wq

from search.analysis.tokenize import pre_analyze
from search.answers import (
    Association,
    Bucket,
    EntityPage,
    PeriodCount,
    Series,
    Similar,
    SimilarHit,
    Timeline,
    TopArticle,
)
from search.errors import ArticleNotFoundError, EntityNotFoundError, InvalidRequest
from search.facets import INTERVALS, MAX_BUCKETS, FacetColumns, histogram, period_bounds, period_keys
from search.highlight import match_spans
from search.kinds import FILTER_PARAMS, ORGANISATIONS, PAGE_KINDS, PEOPLE, PLACES, kind
from search.query import SearchRequest, iso_date, parse_period
from search.quoting import speaker_quotes
from search.results import search_result
from search.snapshot import Snapshot, split_names
from search.suggest import closest_names

MIN_ASSOCIATION_COUNT = 2
QUOTES_ON_PAGE = 3  # a person's latest quotes, and as many most relevant
RECENT_FORMS = 100  # an entity page's aliases are the surface forms of its latest articles


def recent_order(days: np.ndarray, id_ranks: np.ndarray) -> np.ndarray:
    """Return the positions of documents newest first, one day's by article id."""
    return np.lexsort((id_ranks, -days.astype(np.int64)))


def log_likelihood_ratio(k11, k12, k21, k22) -> np.ndarray:
    """Return Dunning's G² for 2x2 contingency tables given cell by cell (numpy arrays).

    k11: both, k12: the first without the second, k21: the second without the
    first, k22: neither. G² is 0 for independence and grows with the evidence
    of association; unlike raw co-occurrence it does not favour names that are
    everywhere."""
    k = np.stack([k11, k12, k21, k22]).astype(np.float64)
    n = k.sum(axis=0)
    rows = np.stack([k[0] + k[1], k[0] + k[1], k[2] + k[3], k[2] + k[3]])
    cols = np.stack([k[0] + k[2], k[1] + k[3], k[0] + k[2], k[1] + k[3]])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(k > 0, k * np.log(k * n / (rows * cols)), 0.0)
    return np.maximum(2.0 * terms.sum(axis=0), 0.0)


def associations(
    columns: FacetColumns,
    field: str,
    with_docs: np.ndarray,
    scope_docs: np.ndarray | None,
    exclude: str | None,
    size: int,
) -> list[Association]:
    """Return the values of `field` most associated with the documents `with_docs`
    (those mentioning one name) within `scope_docs` (None: every live document)."""
    together = columns.counts(field, with_docs)
    overall = columns.counts(field, scope_docs)
    n = int(columns.live.sum()) if scope_docs is None else len(scope_docs)
    return associations_from_counts(columns, field, together, overall, n, len(with_docs), exclude, size)


def associations_from_counts(
    columns: FacetColumns,
    field: str,
    together: np.ndarray,
    overall: np.ndarray,
    n: int,
    e: int,
    exclude: str | None,
    size: int,
) -> list[Association]:
    """Return the most associated values of `field` from counts per value id: `together`
    among the `e` documents mentioning one name, `overall` among the `n` in scope."""
    if e == 0 or n == 0:
        return []
    k11 = together
    k12 = e - k11
    k21 = overall - k11
    k22 = n - e - k21
    scores = log_likelihood_ratio(k11, k12, k21, k22)
    # Only names that are over-represented among the documents, seen often enough.
    minimum = MIN_ASSOCIATION_COUNT if e >= 5 else 1
    rest = max(n - e, 1)
    keep = (k11 >= minimum) & (k11 / e > k21 / rest)
    if exclude is not None:
        excluded = columns.value_id(field, exclude)
        if excluded is not None:
            keep[excluded] = False
    candidates = np.flatnonzero(keep)
    order = sorted(candidates.tolist(), key=lambda i: (-scores[i], -k11[i]))[:size]
    vocab = columns.vocab[field]
    return [Association(vocab[i], int(k11[i]), round(float(scores[i]), 2)) for i in order]


def surface_forms(stored_documents, label: str, canonical_of, canonical: str, limit: int = 20) -> list[str]:
    """Return how a name is written in the given stored documents, most frequent first."""
    seen: Counter[str] = Counter()
    for stored in stored_documents:
        body = stored.get("body", "")
        for entity_label, start, end, value, _country in stored.get("entities") or []:
            if entity_label == label and canonical_of(value) == canonical:
                seen[" ".join(body[start:end].split())] += 1
    return [form for form, _ in seen.most_common(limit)]


SERIES_KEYS = ("q", *FILTER_PARAMS, "from", "to")
MAX_SERIES = 10


def parse_series(text: str) -> dict:
    """Return the filters of one timeline series, written `key:value` pairs joined by ';'
    ("person:Ronald Reagan", "q:oil;place:Japan"). Raises ValueError naming the problem."""
    filters: dict = {param: [] for param in FILTER_PARAMS}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition(":")
        key = key.strip()
        if not sep or key not in SERIES_KEYS or not value.strip():
            raise ValueError(f"{part.strip()!r} is not key:value with a key among {', '.join(SERIES_KEYS)}")
        value = value.strip()
        if key in FILTER_PARAMS:
            filters[key].append(value)
        elif key == "q":
            filters["q"] = value
        else:
            filters["date_from" if key == "from" else "date_to"] = value
    if not any(filters.get(k) for k in ("q", *FILTER_PARAMS, "date_from", "date_to")):
        raise ValueError("an empty series")
    return filters


def entity_page(snapshot: Snapshot, field: str, name: str, *, size: int = 10, **filters) -> EntityPage:
    """Return the page of one person or place: counts, dates, timeline, the names most
    associated with it and its top articles, within the articles `filters` select."""
    if field not in {k.field for k in PAGE_KINDS}:
        raise ValueError(f"kind must be one of {', '.join(k.field for k in PAGE_KINDS)}, not {field!r}")
    entity_kind = kind(field)
    request = SearchRequest.build(**filters, size=1, facets=[])
    columns = snapshot.columns
    canonical = columns.resolve(field, name)
    if canonical is None or not len(columns.docs_with(field, canonical)):
        raise EntityNotFoundError(field, name, closest_names(columns, field, name))
    scope = snapshot.hits(request).docnums
    mentions = columns.docs_with(field, canonical)
    if scope is not None:
        mentions = np.intersect1d(mentions, scope, assume_unique=True)
    days = columns.days[mentions]
    timeline = tuple(
        PeriodCount(label, first.isoformat(), last.isoformat(), count)
        for label, first, last, count in histogram(days, "month")
    )
    top: tuple = ()
    if len(mentions):
        param = entity_kind.param
        narrowed = replace(request, size=size, **{param: (*getattr(request, param), canonical)})
        top = search_result(snapshot, narrowed, with_suggestion=False).results
    recent = mentions[recent_order(days, columns.id_rank[mentions])[:RECENT_FORMS]]
    merges = field in (PEOPLE.field, ORGANISATIONS.field)
    canonical_of = (lambda v: columns.canonical(field, v)) if merges else (lambda v: v)
    forms = surface_forms((snapshot.stored(int(d)) for d in recent), entity_kind.label, canonical_of, canonical)
    aliases = sorted((set(forms) | set(columns.expand(field, canonical))) - {canonical})
    return EntityPage(
        name=canonical,
        kind=field,
        aliases=tuple(aliases),
        articles=int(len(mentions)),
        first_date=_iso_day(days.min()) if len(days) else None,
        last_date=_iso_day(days.max()) if len(days) else None,
        timeline=timeline,
        people=tuple(
            associations(columns, PEOPLE.field, mentions, scope, canonical if field == PEOPLE.field else None, size)
        ),
        places=tuple(
            associations(columns, PLACES.field, mentions, scope, canonical if field == PLACES.field else None, size)
        ),
        top_articles=tuple(TopArticle(r.id, r.date, r.headline) for r in top),
        organisations=tuple(
            associations(
                columns, ORGANISATIONS.field, mentions, scope, canonical if field == ORGANISATIONS.field else None, size
            )
        ),
        quotes=speaker_quotes(snapshot, canonical, request, QUOTES_ON_PAGE) if field == PEOPLE.field else None,
    )


def timeline_requests(
    series: list[str], interval: str, date_from, date_to
) -> tuple[list[tuple[str, SearchRequest]], dict]:
    """Return each series as (its text, its validated request) and the shared bounds;
    raise InvalidRequest naming every bad parameter."""
    errors: dict[str, list[str]] = {}
    if interval not in INTERVALS:
        errors["interval"] = [f"must be one of {', '.join(INTERVALS)}"]
    if not series:
        errors["series"] = ["give at least one series, e.g. series=person:Ronald Reagan"]
    elif len(series) > MAX_SERIES:
        errors["series"] = [f"at most {MAX_SERIES} series"]
    requests = []
    for n, text in enumerate(series[:MAX_SERIES]):
        try:
            filters = parse_series(text)
            filters.setdefault("date_from", date_from)
            filters.setdefault("date_to", date_to)
            requests.append((text, SearchRequest.build(**filters, size=1, facets=[])))
        except (ValueError, InvalidRequest) as exc:
            errors.setdefault("series", []).append(f"series {n + 1}: {exc}")
    bounds = {}
    for key, value in (("from", date_from), ("to", date_to)):
        if value:
            try:
                bounds[key] = parse_period(str(value), end=key == "to")
            except ValueError as exc:
                errors[key] = [str(exc)]
    if errors:
        raise InvalidRequest(errors)
    return requests, bounds


def timeline(
    snapshot: Snapshot, series: list[str], *, interval: str = "month", date_from=None, date_to=None
) -> Timeline:
    """Return articles per period for each series, zero-filled over a shared range,
    with each series' share of all articles in the period."""
    requests, bounds = timeline_requests(series, interval, date_from, date_to)
    columns = snapshot.columns
    found = [(text, columns.day_numbers(snapshot.hits(request).docnums)) for text, request in requests]
    return timeline_from_days(found, columns.day_numbers(None), interval, bounds)


def timeline_from_days(
    found: list[tuple[str, np.ndarray]], everything: np.ndarray, interval: str, bounds: dict
) -> Timeline:
    """Return the timeline of series whose articles are dated `found` ((text, day numbers)
    per series) among all articles dated `everything`, within `bounds`."""
    keys = [period_keys(days, interval) for _, days in found if len(days)]
    epoch = np.datetime64("1970-01-01")

    def bound_key(day) -> int:
        return int(period_keys(np.array([(np.datetime64(day) - epoch).astype(int)]), interval)[0])

    first = bound_key(bounds["from"]) if "from" in bounds else (min(int(k.min()) for k in keys) if keys else None)
    last = bound_key(bounds["to"]) if "to" in bounds else (max(int(k.max()) for k in keys) if keys else None)
    if first is None or last is None or first > last:
        return Timeline(interval, (), tuple(Series(text, 0, (), ()) for text, _ in found))
    # Zero-filled over the range; a range too long for that (to=9999-12-31, or articles
    # dated across centuries) keeps only the periods in which some article is dated.
    if last - first + 1 <= MAX_BUCKETS:
        periods = np.arange(first, last + 1)
    else:
        periods = np.unique(period_keys(everything, interval))
        periods = periods[(periods >= first) & (periods <= last)]

    def per_period(days) -> np.ndarray:
        keys = period_keys(days, interval)
        keys = keys[np.isin(keys, periods)]
        return np.bincount(np.searchsorted(periods, keys), minlength=len(periods)).astype(np.int64)

    all_counts = per_period(everything).astype(np.float64)
    totals = [(*period_bounds(int(p), interval), int(c)) for p, c in zip(periods, all_counts, strict=True)]
    answer_series = []
    for text, days in found:
        counts = per_period(days)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(all_counts > 0, counts / all_counts, 0.0)
        answer_series.append(
            Series(text, int(counts.sum()), tuple(counts.tolist()), tuple(round(float(s), 4) for s in share))
        )
    return Timeline(
        interval,
        tuple(Bucket(label, a.isoformat(), b.isoformat(), count) for label, a, b, count in totals),
        tuple(answer_series),
    )


SIMILAR_TERMS = 20  # key terms of an article that look for similar ones


@dataclass(frozen=True)
class SimilarSource:
    """What similar articles are looked for by: the article's body words with their
    weights (in the order Whoosh's Expander adds them), people, places, and how the
    article writes each word."""

    article_id: str
    docnum: int
    weights: tuple[tuple[str, float], ...]
    top_total: float
    people: tuple[str, ...]
    places: tuple[str, ...]
    surface: dict[str, str]


def similar_source(snapshot: Snapshot, article_id: str) -> SimilarSource:
    """Return what the articles similar to `article_id` are looked for by; raises
    ArticleNotFoundError."""
    searcher, columns = snapshot.searcher, snapshot.columns
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        raise ArticleNotFoundError(article_id)
    stored = searcher.stored_fields(docnum)
    expander = classify.Expander(searcher.reader(), "body")
    expander.add_document(docnum)
    weights = tuple(expander.topN_weight.items())
    body = stored.get("body", "")
    words = dict(weights)
    surface: dict[str, str] = {}
    for stem, _pos, start, end in pre_analyze(body).tokens:
        if stem in words:
            surface.setdefault(stem, body[start:end].lower())
    return SimilarSource(
        article_id,
        docnum,
        weights,
        float(expander.top_total),
        tuple(columns.canonical_list(PEOPLE.field, split_names(stored.get(PEOPLE.field)))),
        tuple(split_names(stored.get(PLACES.field))),
        surface,
    )


def body_frequencies(reader, words) -> dict[str, int]:
    """Return the collection frequency in the body of each of `words` the index holds."""
    field = reader.schema["body"]
    found = {}
    for word in words:
        tbytes = field.to_bytes(word)
        if ("body", tbytes) in reader:
            found[word] = reader.frequency("body", tbytes)
    return found


def key_terms(
    source: SimilarSource, frequencies: dict[str, int], doc_count: int, body_length: int, number: int = SIMILAR_TERMS
) -> list[tuple[str, float]]:
    """Return the article's `number` key terms with their weights: Whoosh's Bo1 model
    (searcher.key_terms) over the given collection statistics (`frequencies` of the
    words the archive holds, documents, body length), so a sharded index that sums its
    shards' statistics picks the same terms."""
    model = classify.Bo1Model(doc_count, body_length)
    scored, top = [], 0.0
    for word, weight in source.weights:
        if word in frequencies:
            score = model.score(weight, frequencies[word], source.top_total)
            top = max(top, score)
            scored.append((score, word))
    norm = model.normalizer(top, source.top_total) or 1.0
    ranked = sorted(((w / norm, t) for w, t in scored), key=lambda x: (0 - x[0], x[1]))
    return [(t, w) for w, t in ranked[:number]]


def similar_query(terms: list[tuple[str, float]], people_terms: list[str], places: tuple[str, ...]) -> wq.Query | None:
    """Return the query of similar articles: the key terms, the people's indexed names and
    the places, weighted; None when there is nothing to look for."""
    clauses = [wq.Term("body", t, boost=float(w)) for t, w in terms]
    clauses += [wq.Term(PEOPLE.field, raw, boost=1.5) for raw in people_terms]
    clauses += [wq.Term(PLACES.field, p, boost=1.0) for p in places]
    return wq.Or(clauses) if clauses else None


def similar_request(window: int) -> SearchRequest:
    """The request (no filters, `window` hits) a similar-articles query is ranked with."""
    return replace(SearchRequest.build(facets=[]), size=window)


def similar(snapshot: Snapshot, article_id: str, *, size: int = 10) -> Similar:
    """Return the articles most like one article (its key terms, people and places),
    never the article itself, each with the reasons it matched; equal scores are
    ordered by article id."""
    if not isinstance(size, int) or not 1 <= size <= 100:
        raise InvalidRequest({"size": ["must be between 1 and 100"]})
    source = similar_source(snapshot, article_id)
    reader = snapshot.searcher.reader()
    terms = key_terms(
        source, body_frequencies(reader, dict(source.weights)), reader.doc_count_all(), reader.field_length("body")
    )
    columns = snapshot.columns
    q = similar_query(terms, [raw for p in source.people for raw in columns.expand(PEOPLE.field, p)], source.places)
    if q is None:
        return Similar(article_id, ())
    hits = snapshot.hits(similar_request(size + 1), q, scored=True)
    others = [(docnum, score) for docnum, score in hits.page if docnum != source.docnum][:size]
    return Similar(article_id, tuple(similar_hits(snapshot, others, source, [t for t, _ in terms])))


def similar_hits(
    snapshot: Snapshot, page: list[tuple[int, float]], source: SimilarSource, terms: list[str]
) -> list[SimilarHit]:
    """Return the similar articles of (docnum, score) pairs with what each shares with the source."""
    searcher, columns = snapshot.searcher, snapshot.columns
    reader = searcher.reader()
    docs = [d for d, _ in page]
    present = {t: match_spans(reader, "body", [t], docs) for t in terms}
    results = []
    for other, score in page:
        fields = searcher.stored_fields(other)
        their_people = set(columns.canonical_list(PEOPLE.field, split_names(fields.get(PEOPLE.field))))
        their_places = set(split_names(fields.get(PLACES.field)))
        results.append(
            SimilarHit(
                id=fields["id"],
                date=iso_date(fields.get("date")),
                headline=fields.get("headline", ""),
                score=round(float(score), 4),
                shared_terms=tuple(source.surface.get(t, t) for t in terms if present[t].get(other)),
                shared_people=tuple(p for p in source.people if p in their_people),
                shared_places=tuple(p for p in source.places if p in their_places),
            )
        )
    return results


def _iso_day(number) -> str:
    return (np.datetime64(int(number), "D")).astype(object).isoformat()
