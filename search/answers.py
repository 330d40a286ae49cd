"""What the engine answers: small immutable values, one per kind of answer.

Every backend (the Whoosh engine today, a sharded one later) returns these; the
API dumps them with its marshmallow schemas and the CLI prints them, and neither
edits them (a view that adds links makes a new value with `dataclasses.replace`).
`as_data` turns any of them into plain JSON-ready data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def as_data(value: Any) -> Any:
    """Return `value` (an answer, or anything holding answers) as plain dicts, lists
    and scalars, keyed as the JSON API shows them: a field named for a Python keyword
    has its `key` ("date_from" is "from"), and optional fields that are None are left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None and f.metadata.get("omit_none"):
                continue
            data[f.metadata.get("key", f.name)] = as_data(item)
        return data
    if isinstance(value, Mapping):
        return {k: as_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_data(v) for v in value]
    return value


def _optional(key: str | None = None) -> Any:
    """An optional field, left out of the data when None."""
    return field(default=None, metadata={"omit_none": True, **({"key": key} if key else {})})


def _keyed(key: str) -> Any:
    """A field whose name in the data is a Python keyword ("from")."""
    return field(metadata={"key": key})


# Search


@dataclass(frozen=True)
class ShardCounts:
    """A sharded index's answer: how many shards there are, answered and failed."""

    total: int
    successful: int
    failed: int


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count over the whole result set."""

    value: str
    label: str
    count: int
    selected: bool
    date_from: str | None = _optional("from")  # date facets: the period's first day
    date_to: str | None = _optional("to")  # and its last
    toggle_url: str | None = _optional()  # set by the API: this search with the value added or removed


@dataclass(frozen=True)
class Facet:
    name: str
    results: tuple[FacetValue, ...]
    truncated: bool


@dataclass(frozen=True)
class ArticleSummary:
    """What every answer says of an article."""

    id: str
    date: str | None
    title: str
    headline: str
    url: str
    source: str
    people: tuple[str, ...]
    places: tuple[str, ...]
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One search result: the article's summary, its snippets and its score."""

    id: str
    date: str | None
    title: str
    headline: str
    url: str
    source: str
    people: tuple[str, ...]
    places: tuple[str, ...]
    snippets: tuple[str, ...]
    score: float | None
    organisations: tuple[str, ...] = ()

    @classmethod
    def of(cls, summary: ArticleSummary, snippets: tuple[str, ...], score: float | None) -> Hit:
        return cls(
            **{f.name: getattr(summary, f.name) for f in dataclasses.fields(summary)}, snippets=snippets, score=score
        )


@dataclass(frozen=True)
class Suggestion:
    """Did you mean: the corrected parts of a search and what the corrected search finds."""

    total: int
    q: str | None = _optional()
    person: tuple[str, ...] | None = _optional()
    place: tuple[str, ...] | None = _optional()
    organisation: tuple[str, ...] | None = _optional()


@dataclass(frozen=True)
class SearchResult:
    total: int
    took_ms: float
    page: int
    size: int
    sort: str
    results: tuple[Hit, ...]
    facets: Mapping[str, Facet]
    next: str | None  # the cursor of the next page
    suggestion: Suggestion | None
    partial: bool  # the time limit stopped the search, or a shard did not answer
    next_url: str | None = _optional()  # set by the API
    shards: ShardCounts | None = _optional()  # a sharded index's shards


# Quotes


@dataclass(frozen=True)
class QuoteHit:
    """One quotation found: its words (HTML-escaped, matched words in <mark>), who said
    it and how, its offsets in the article's body, and the article it is in."""

    text: str
    kind: str
    speaker: str | None
    cue: str | None
    start: int
    end: int
    id: str  # the article's
    date: str | None
    headline: str
    score: float | None


@dataclass(frozen=True)
class QuoteResult:
    """A page of quotes. `total` and the facet counts count quotes, not articles."""

    total: int
    took_ms: float
    page: int
    size: int
    sort: str
    results: tuple[QuoteHit, ...]
    facets: Mapping[str, Facet]
    next: str | None
    partial: bool
    next_url: str | None = _optional()  # set by the API
    shards: ShardCounts | None = _optional()  # a sharded index's shards


# Articles and entity lists


@dataclass(frozen=True)
class ArticleEntity:
    """A mention in an article's body, with its offsets."""

    label: str
    start: int
    end: int
    text: str
    canonical: str
    country: str | None


@dataclass(frozen=True)
class ArticleQuote:
    """A quotation in an article's body: offsets of the quoted words and of the mention
    that attributes it (None when that is in the title or absent), kind, speaker, cue."""

    start: int
    end: int
    text: str
    kind: str  # direct, mixed or indirect
    speaker: str | None  # canonical name, as the people facet shows it
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None


@dataclass(frozen=True)
class Article:
    """One article in full."""

    id: str
    date: str | None
    title: str
    headline: str
    url: str
    source: str
    people: tuple[str, ...]
    places: tuple[str, ...]
    body: str
    countries: tuple[str, ...]
    entities: tuple[ArticleEntity, ...]
    quotes: tuple[ArticleQuote, ...] = ()
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityCount:
    value: str
    count: int


@dataclass(frozen=True)
class EntityList:
    results: tuple[EntityCount, ...]
    total: int  # distinct names that match
    truncated: bool
    partial: bool | None = _optional()  # a sharded index: a shard did not answer
    shards: ShardCounts | None = _optional()


# Exploration


@dataclass(frozen=True)
class Association:
    """A name that co-occurs with another more often than their frequencies predict."""

    value: str
    count: int  # articles that mention both
    score: float  # log-likelihood ratio (G²)


@dataclass(frozen=True)
class PeriodCount:
    period: str
    date_from: str = _keyed("from")
    date_to: str = _keyed("to")
    count: int


@dataclass(frozen=True)
class TopArticle:
    id: str
    date: str | None
    headline: str


@dataclass(frozen=True)
class SpeakerQuotes:
    """A person's quotes on their page: how many, the latest and the most relevant."""

    total: int
    recent: tuple[QuoteHit, ...]
    relevant: tuple[QuoteHit, ...]


@dataclass(frozen=True)
class EntityPage:
    name: str
    kind: str
    aliases: tuple[str, ...]
    articles: int
    first_date: str | None
    last_date: str | None
    timeline: tuple[PeriodCount, ...]
    people: tuple[Association, ...]
    places: tuple[Association, ...]
    top_articles: tuple[TopArticle, ...]
    quotes: SpeakerQuotes | None = _optional()  # people only
    partial: bool | None = _optional()
    shards: ShardCounts | None = _optional()
    organisations: tuple[Association, ...] = ()


@dataclass(frozen=True)
class Bucket:
    period: str
    date_from: str = _keyed("from")
    date_to: str = _keyed("to")
    total: int  # all articles of the period


@dataclass(frozen=True)
class Series:
    series: str
    total: int
    counts: tuple[int, ...]
    share: tuple[float, ...]


@dataclass(frozen=True)
class Timeline:
    interval: str
    buckets: tuple[Bucket, ...]
    series: tuple[Series, ...]
    partial: bool | None = _optional()
    shards: ShardCounts | None = _optional()


@dataclass(frozen=True)
class SimilarHit:
    id: str
    date: str | None
    headline: str
    score: float
    shared_terms: tuple[str, ...]
    shared_people: tuple[str, ...]
    shared_places: tuple[str, ...]


@dataclass(frozen=True)
class Similar:
    id: str
    results: tuple[SimilarHit, ...]


@dataclass(frozen=True)
class Stats:
    articles: int
    date_from: str | None
    date_to: str | None
    people: int
    places: int
    segments: int
    segments_with_posting_arrays: int
    index_bytes: int
    last_ingest: str | None
    last_ingest_report: Mapping[str, Any] | None
    analysis_version: str | None
    analysis_current: bool
    shards: ShardCounts | None = _optional()  # a sharded index: shards served
    # Distinct organisations the facet lists (None where a backend does not count them).
    organisations: int | None = _optional()
