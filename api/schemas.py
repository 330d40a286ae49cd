"""Marshmallow schemas: what the API accepts and answers (and what OpenAPI documents)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from search.articles import MAX_ID_LENGTH
from search.export import FORMATS
from search.kinds import FILTER_PARAMS, MAX_FILTER_VALUES, MAX_LIST_SIZE, MAX_NAME_CHARS
from search.query import (
    FACETS,
    MAX_FACET_SIZE,
    MAX_QUERY_CHARS,
    MAX_RESULTS_WINDOW,
    MAX_SIZE,
    PLACE_SCOPES,
    SORTS,
    encode_cursor,
)
from search.quoting import KINDS as QUOTE_KINDS
from search.quoting import QUOTE_FACETS

MAX_ARTICLES_PER_POST = 1000
DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD; inclusive"

# Dates exactly as the engine reads them (search.query.parse_period, search.articles.parse_date):
# years 0001-9999, real days only (2024-02-29 but not 2023-02-29). Written with [0-9], not \d,
# which in Python also matches other scripts' digits. The OpenAPI document carries the same
# patterns, so a request it calls valid is never refused for its dates.
_YEAR = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
)
_DAY = rf"({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_PERIOD = rf"({_YEAR}(-(0[1-9]|1[0-2]))?|{_DAY})"
_HOUR, _MINUTE = r"([01][0-9]|2[0-3])", r"[0-5][0-9]"
_TIME = rf"[T ]{_HOUR}(:{_MINUTE}(:{_MINUTE}(\.[0-9]{{1,6}})?)?)?(Z|[+-]{_HOUR}(:?{_MINUTE})?)?"
PERIOD = validate.Regexp(rf"^{_PERIOD}$", error="use YYYY, YYYY-MM or YYYY-MM-DD (a real date, year 0001 or later)")
ISO_DATE = validate.Regexp(
    rf"^{_DAY}({_TIME})?$", error="use YYYY-MM-DD or an ISO 8601 timestamp (a real date, year 0001 or later)"
)
# A query: the engine refuses a wildcard with fewer than 2 letters before it ('*oil', 'a?'),
# which would match most of the vocabulary (search.query.parse_query). Words (runs of
# letters, digits and wildcards) are one letter, or start with two; no lookahead, which
# would make generating examples from the pattern slow.
_RUN = r"\w(\w[\w*?]*)?"
QUERY = validate.Regexp(
    rf"^[^\w*?]*({_RUN}[^\w*?]+)*({_RUN})?$",
    error="a wildcard needs at least 2 leading letters (use 'oil*', not '*oil')",
)
# A timeline series: key:value pairs joined by ';' (search.explore.parse_series).
_SERIES_PART = (
    rf"(\s*q\s*:[^\w*?;]*({_RUN}[^\w*?;]+)*{_RUN}[^\w*?;]*"
    rf"|\s*({'|'.join(FILTER_PARAMS)})\s*:[^;]*[^;\s][^;]*|\s*(from|to)\s*:\s*{_PERIOD}\s*)"
)
# Facet names, comma-separated (empty parts are ignored).
_FACET = "(" + "|".join(FACETS) + ")"
FACET_LIST = validate.Regexp(rf"^\s*{_FACET}?\s*(,\s*{_FACET}?\s*)*$", error=f"facets among {', '.join(FACETS)}")
_QUOTE_FACET = "(" + "|".join(QUOTE_FACETS) + ")"
QUOTE_FACET_LIST = validate.Regexp(
    rf"^\s*{_QUOTE_FACET}?\s*(,\s*{_QUOTE_FACET}?\s*)*$", error=f"facets among {', '.join(QUOTE_FACETS)}")
SERIES = validate.Regexp(
    rf"^[\s;]*{_SERIES_PART}(;[\s;]*({_SERIES_PART})?)*$",
    error="key:value pairs joined by ';', keys q, person, place, from, to (dates as YYYY, YYYY-MM or YYYY-MM-DD)",
)
# Article ids as search.articles.check_id takes them: not blank, no control characters, no slashes.
# What str.strip() strips, spelled out: regex engines disagree on \s (ECMA's lacks U+0085).
_BLANK = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
ARTICLE_ID = validate.Regexp(
    rf"^[^\x00-\x1f/\\]*[^\x00-\x1f/\\{_BLANK}][^\x00-\x1f/\\]*$",
    error="not blank, no control characters or slashes",
)
# An article's body: not blank.
BODY = validate.Regexp(rf"^[{_BLANK}]*[^{_BLANK}][\s\S]*$", error="empty body")
# Pages beyond the result window are refused (search.query.MAX_RESULTS_WINDOW); with the
# largest page size, this is the last page every size can reach.
MAX_PAGE = MAX_RESULTS_WINDOW // MAX_SIZE
# The cursors this server makes (search.query.encode_cursor): opaque, one per page.
CURSOR = validate.Regexp(
    "^(" + "|".join(encode_cursor(page) for page in range(1, MAX_PAGE + 1)) + ")$",
    error="not a cursor this server made (use the `next` of an answer)",
)


class StrictQuerySchema(ma.Schema):
    """Query strings: unknown parameters are an error that names them."""

    class Meta:
        unknown = ma.RAISE


class FilterArgs(StrictQuerySchema):
    q = fields.String(
        load_default="",
        validate=[validate.Length(max=MAX_QUERY_CHARS), QUERY],
        metadata={
            "description": "Whoosh query syntax over title and body: AND (default), OR, NOT, "
            '"phrases", field:value (person:, place:, organisation:, country:), prefix*'
        },
    )
    person = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_NAME_CHARS)),
        load_default=list,
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": "Person filter, repeatable; all must match (case-insensitive)"},
    )
    place = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_NAME_CHARS)),
        load_default=list,
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": "Place filter, repeatable; all must match"},
    )
    organisation = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_NAME_CHARS)),
        load_default=list,
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": "Organisation filter, repeatable; all must match (a name or an alias)"},
    )
    date_from = fields.String(data_key="from", load_default=None, validate=PERIOD, metadata={"description": DATE_HELP})
    date_to = fields.String(data_key="to", load_default=None, validate=PERIOD, metadata={"description": DATE_HELP})
    place_scope = fields.String(
        load_default="place",
        validate=validate.OneOf(PLACE_SCOPES),
        metadata={"description": "country: a place filter naming a country also matches its cities"},
    )


class SearchArgs(FilterArgs):
    sort = fields.String(
        load_default=None,
        validate=validate.OneOf(SORTS),
        metadata={"description": "relevance (default with q), newest (default without q), oldest"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE), metadata={
        "description": f"at most {MAX_PAGE}: the first {MAX_RESULTS_WINDOW} hits of any size of page are reachable"})
    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_SIZE))
    cursor = fields.String(load_default=None, validate=CURSOR, metadata={
        "description": "the `next` of a previous answer (opaque; the pattern lists the cursors this server makes)"})
    facets = fields.List(
        # Documented, and checked by the engine, whose error names the unknown facet.
        fields.String(metadata={"pattern": FACET_LIST.regex.pattern}),
        load_default=None,
        metadata={"description": f"comma-separated or repeated; any of {', '.join(FACETS)}"},
    )
    facet_size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_FACET_SIZE))


class EntityListArgs(FilterArgs):
    prefix = fields.String(
        load_default=None,
        validate=validate.Length(max=MAX_NAME_CHARS),
        metadata={"description": "only names with a word starting with this (autocomplete)"},
    )
    size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_LIST_SIZE))


class FacetValueSchema(ma.Schema):
    value = fields.String()
    label = fields.String()
    count = fields.Integer()
    selected = fields.Boolean()
    toggle_url = fields.String(metadata={"description": "this search with the value added or removed"})
    date_from = fields.String(data_key="from", metadata={"description": "date facets: first day"})
    date_to = fields.String(data_key="to", metadata={"description": "date facets: last day"})

    @ma.post_dump
    def drop_unset(self, data, **kwargs):
        """Entity facet values have no dates; a value dumped outside a request has no link."""
        return {k: v for k, v in data.items() if v is not None}


class FacetSchema(ma.Schema):
    name = fields.String()
    results = fields.List(fields.Nested(FacetValueSchema))
    truncated = fields.Boolean()


class ResultSchema(ma.Schema):
    id = fields.String()
    date = fields.String()
    title = fields.String()
    headline = fields.String(metadata={"description": "the title, or else the first sentence"})
    url = fields.String()
    source = fields.String()
    snippets = fields.List(
        fields.String(),
        metadata={"description": "HTML-escaped text; matched terms inside <mark></mark>"},
    )
    people = fields.List(fields.String())
    places = fields.List(fields.String())
    organisations = fields.List(fields.String())
    score = fields.Float(allow_none=True)


class ShardsSchema(ma.Schema):
    total = fields.Integer()
    successful = fields.Integer(metadata={"description": "shards that answered in time"})
    failed = fields.Integer()


class _ShardedAnswer(ma.Schema):
    """Answers of a sharded index (newsindex serve --cluster) say which shards answered;
    a single index's leave `shards` (and these answers' `partial`) out."""

    shards = fields.Nested(ShardsSchema, allow_none=True, metadata={
        "description": "a sharded index: shards in all, answered and failed (failed ones make `partial`)"})

    @ma.post_dump
    def drop_unsharded(self, data, **kwargs):
        for key in ("shards", "partial"):
            if key in data and data[key] is None:
                del data[key]
        return data


class SuggestionSchema(ma.Schema):
    q = fields.String(metadata={"description": "the query with misspelt words corrected"})
    person = fields.List(fields.String())
    place = fields.List(fields.String())
    organisation = fields.List(fields.String())
    total = fields.Integer(metadata={"description": "articles the corrected search finds"})

    @ma.post_dump
    def drop_unchanged(self, data, **kwargs):
        """Only the parts the suggestion corrects."""
        return {k: v for k, v in data.items() if v is not None}


class SearchResponseSchema(_ShardedAnswer):
    total = fields.Integer()
    took_ms = fields.Float()
    page = fields.Integer()
    size = fields.Integer()
    sort = fields.String()
    results = fields.List(fields.Nested(ResultSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.Nested(FacetSchema))
    next = fields.String(allow_none=True, metadata={"description": "cursor of the next page"})
    next_url = fields.String(allow_none=True)
    partial = fields.Boolean(
        metadata={
            "description": "true when the search time limit stopped the search: results, total and "
            "facets cover only the part of the index searched"
        }
    )
    suggestion = fields.Nested(
        SuggestionSchema,
        allow_none=True,
        metadata={"description": "did you mean: only when few articles match and a correction finds more"},
    )


class EntitySchema(ma.Schema):
    label = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    text = fields.String()
    canonical = fields.String()
    country = fields.String(allow_none=True)


class ArticleQuoteSchema(ma.Schema):
    start = fields.Integer(metadata={"description": "offset of the quoted words in the body (no quotation marks)"})
    end = fields.Integer()
    text = fields.String(metadata={"description": "body[start:end], plain text"})
    kind = fields.String(metadata={"description": "direct (in quotation marks), mixed (partly) or indirect"})
    speaker = fields.String(allow_none=True, metadata={
        "description": "the speaker's canonical name, as the people facet shows it; null when the "
                       "source is not a recognised person"})
    speaker_start = fields.Integer(allow_none=True, metadata={
        "description": "offsets in the body of the mention that attributes the quote (a name, a "
                       "pronoun, a role); null when it is in the title or absent"})
    speaker_end = fields.Integer(allow_none=True)
    cue = fields.String(allow_none=True, metadata={
        "description": "the speech verb or phrase: said, told, according to"})


class ArticleSchema(ma.Schema):
    id = fields.String()
    date = fields.String()
    title = fields.String()
    headline = fields.String()
    url = fields.String()
    source = fields.String()
    body = fields.String()
    people = fields.List(fields.String())
    places = fields.List(fields.String())
    organisations = fields.List(fields.String())
    countries = fields.List(fields.String())
    entities = fields.List(fields.Nested(EntitySchema))
    quotes = fields.List(fields.Nested(ArticleQuoteSchema), metadata={
        "description": "the quotations in the body, in order, with their offsets and speakers"})


class CountSchema(ma.Schema):
    value = fields.String()
    count = fields.Integer()


class EntityListSchema(_ShardedAnswer):
    results = fields.List(fields.Nested(CountSchema))
    total = fields.Integer(metadata={"description": "how many distinct names match"})
    truncated = fields.Boolean()
    partial = fields.Boolean(allow_none=True)


class StatsSchema(_ShardedAnswer):
    articles = fields.Integer()
    date_from = fields.String(allow_none=True)
    date_to = fields.String(allow_none=True)
    people = fields.Integer()
    places = fields.Integer()
    organisations = fields.Integer(allow_none=True, metadata={
        "description": "distinct organisations the facet lists"})
    segments = fields.Integer()
    segments_with_posting_arrays = fields.Integer()
    index_bytes = fields.Integer()
    last_ingest = fields.String(allow_none=True)
    last_ingest_report = fields.Dict(allow_none=True)
    analysis_version = fields.String(allow_none=True, metadata={
        "description": "the analysis (code, model, data) the last ingest used"})
    analysis_current = fields.Boolean(metadata={
        "description": "false: ingesting the same files again re-analyses the articles "
                       "with this version's recogniser"})


class HealthSchema(_ShardedAnswer):
    status = fields.String()
    articles = fields.Integer()


class ArticleInSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    id = fields.String(
        required=True,
        # As search.articles.check_id: no control characters, no slashes.
        validate=[validate.Length(min=1, max=MAX_ID_LENGTH), ARTICLE_ID],
    )
    date = fields.String(required=True, validate=ISO_DATE, metadata={"description": "YYYY-MM-DD or ISO timestamp"})
    body = fields.String(required=True, validate=[validate.Length(min=1), BODY])
    title = fields.String(load_default="")
    url = fields.String(load_default="")
    source = fields.String(load_default="")


class ArticlesInSchema(ma.Schema):
    """One article object, a list of them, or {"articles": [...]}."""

    articles = fields.List(
        fields.Nested(ArticleInSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ARTICLES_PER_POST),
    )

    @ma.pre_load
    def wrap(self, data, **kwargs):
        if isinstance(data, list):
            return {"articles": data}
        if isinstance(data, dict) and "articles" not in data:
            return {"articles": [data]}
        return data


class SkippedSchema(ma.Schema):
    file = fields.String()
    line = fields.Integer(allow_none=True)
    reason = fields.String()


class IngestReportSchema(ma.Schema):
    added = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    skipped = fields.List(fields.Nested(SkippedSchema))


class EntityPageArgs(FilterArgs):
    size = fields.Integer(
        load_default=10, validate=validate.Range(min=1, max=100),
        metadata={"description": "how many associated names and top articles"},
    )


class AssociationSchema(ma.Schema):
    value = fields.String()
    count = fields.Integer(metadata={"description": "articles mentioning both names"})
    score = fields.Float(metadata={"description": "log-likelihood ratio (G²) of the co-occurrence"})


class PeriodCountSchema(ma.Schema):
    period = fields.String()
    date_from = fields.String(data_key="from")
    date_to = fields.String(data_key="to")
    count = fields.Integer()


class TopArticleSchema(ma.Schema):
    id = fields.String()
    date = fields.String()
    headline = fields.String()


class QuoteHitSchema(ma.Schema):
    text = fields.String(metadata={"description": "the quoted words, HTML-escaped; matched words inside <mark></mark>"})
    kind = fields.String(metadata={"description": "direct, mixed or indirect"})
    speaker = fields.String(allow_none=True, metadata={"description": "canonical name, as the people facet shows it"})
    cue = fields.String(allow_none=True)
    start = fields.Integer(metadata={"description": "offset of the quoted words in the article's body"})
    end = fields.Integer()
    id = fields.String(metadata={"description": "the article's id"})
    date = fields.String(allow_none=True)
    headline = fields.String()
    score = fields.Float(allow_none=True, metadata={"description": "BM25 of the quote's own words (with q)"})


class SpeakerQuotesSchema(ma.Schema):
    total = fields.Integer(metadata={"description": "quotes of this person in the selected articles"})
    recent = fields.List(fields.Nested(QuoteHitSchema), metadata={"description": "the latest"})
    relevant = fields.List(fields.Nested(QuoteHitSchema), metadata={
        "description": "with q: the best matches of q in the quoted words; without: direct quotes "
                       "before the others, longer (up to 40 words) before shorter"})


class EntityPageSchema(_ShardedAnswer):
    name = fields.String(metadata={"description": "the canonical name, as the facets show it"})
    kind = fields.String()
    aliases = fields.List(fields.String(), metadata={"description": "other ways the name is written"})
    articles = fields.Integer()
    first_date = fields.String(allow_none=True)
    last_date = fields.String(allow_none=True)
    timeline = fields.List(fields.Nested(PeriodCountSchema), metadata={"description": "articles per month"})
    people = fields.List(fields.Nested(AssociationSchema))
    places = fields.List(fields.Nested(AssociationSchema))
    organisations = fields.List(fields.Nested(AssociationSchema))
    top_articles = fields.List(fields.Nested(TopArticleSchema))
    quotes = fields.Nested(SpeakerQuotesSchema, metadata={"description": "people only: what they said"})
    partial = fields.Boolean(allow_none=True)

    @ma.post_dump
    def drop_no_quotes(self, data, **kwargs):
        """A place's page has no quotes."""
        if data.get("quotes") is None:
            data.pop("quotes", None)
        return data


class TimelineArgs(StrictQuerySchema):
    series = fields.List(
        fields.String(validate=[validate.Length(min=1, max=500), SERIES]),
        required=True,
        validate=validate.Length(min=1, max=10),
        metadata={
            "description": "repeatable; key:value pairs joined by ';' with keys q, person, place, organisation, "
            "from, to "
            "(series=person:Ronald Reagan&series=q:oil)"
        },
    )
    interval = fields.String(load_default="month", validate=validate.OneOf(("day", "week", "month", "year")))
    date_from = fields.String(data_key="from", load_default=None, validate=PERIOD, metadata={"description": DATE_HELP})
    date_to = fields.String(data_key="to", load_default=None, validate=PERIOD, metadata={"description": DATE_HELP})


class BucketSchema(ma.Schema):
    period = fields.String()
    date_from = fields.String(data_key="from")
    date_to = fields.String(data_key="to")
    total = fields.Integer(metadata={"description": "all articles in the period"})


class SeriesSchema(ma.Schema):
    series = fields.String()
    total = fields.Integer()
    counts = fields.List(fields.Integer(), metadata={"description": "articles per bucket"})
    share = fields.List(fields.Float(), metadata={"description": "counts divided by all articles per bucket"})


class TimelineSchema(_ShardedAnswer):
    interval = fields.String()
    buckets = fields.List(fields.Nested(BucketSchema))
    series = fields.List(fields.Nested(SeriesSchema))
    partial = fields.Boolean(allow_none=True)


class SimilarArgs(StrictQuerySchema):
    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class SimilarResultSchema(ma.Schema):
    id = fields.String()
    date = fields.String(allow_none=True)
    headline = fields.String()
    score = fields.Float()
    shared_terms = fields.List(fields.String())
    shared_people = fields.List(fields.String())
    shared_places = fields.List(fields.String())


class SimilarSchema(ma.Schema):
    id = fields.String()
    results = fields.List(fields.Nested(SimilarResultSchema))


class ExportArgs(SearchArgs):
    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


QUOTE_DOC = (
    "A result is one quote, not one article: an article with three matching quotes gives "
    "three results, and `total` and the facet counts count quotes."
)


class QuoteArgs(FilterArgs):
    q = fields.String(
        load_default="",
        validate=[validate.Length(max=MAX_QUERY_CHARS), QUERY],
        metadata={"description": "Whoosh query syntax matched within the quoted words only: AND (default), "
                                 'OR, NOT, "phrases", prefix*; each quote must hold the words itself'},
    )
    speaker = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_NAME_CHARS)),
        load_default=list,
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": "who said it, repeatable (any of them); a name or an alias the people "
                                 "facet merges, case-insensitive"},
    )
    kind = fields.List(
        fields.String(validate=validate.OneOf(QUOTE_KINDS)),
        load_default=list,
        metadata={"description": f"repeatable; any of {', '.join(QUOTE_KINDS)} (default: all)"},
    )
    sort = fields.String(
        load_default=None,
        validate=validate.OneOf(SORTS),
        metadata={"description": "relevance (default with q), newest (default without q), oldest"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE), metadata={
        "description": f"at most {MAX_PAGE}: the first {MAX_RESULTS_WINDOW} quotes of any size of page are reachable"})
    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_SIZE))
    cursor = fields.String(load_default=None, validate=CURSOR, metadata={
        "description": "the `next` of a previous answer (opaque; the pattern lists the cursors this server makes)"})
    facets = fields.List(
        # Documented, and checked by the engine, whose error names the unknown facet.
        fields.String(metadata={"pattern": QUOTE_FACET_LIST.regex.pattern}),
        load_default=None,
        metadata={"description": f"comma-separated or repeated; any of {', '.join(QUOTE_FACETS)}"},
    )
    facet_size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_FACET_SIZE))


class QuoteResponseSchema(_ShardedAnswer):
    total = fields.Integer(metadata={"description": "matching quotes (not articles)"})
    took_ms = fields.Float()
    page = fields.Integer()
    size = fields.Integer()
    sort = fields.String()
    results = fields.List(fields.Nested(QuoteHitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.Nested(FacetSchema), metadata={
        "description": "speaker: quotes per speaker; month: quotes per month of their articles"})
    next = fields.String(allow_none=True, metadata={"description": "cursor of the next page"})
    next_url = fields.String(allow_none=True)
    partial = fields.Boolean(metadata={"description": "true when the search time limit stopped the search"})


class QuoteExportArgs(QuoteArgs):
    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))
