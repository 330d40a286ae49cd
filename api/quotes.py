"""Quote endpoints: who said what, searched within the quoted words, faceted, exported."""

from __future__ import annotations

from flask import current_app

from api import schemas
from api.state import backend
from api.views import ApiBlueprint, export_response, with_urls
from search.answers import QuoteResult
from search.export import csv_lines, ndjson_lines
from search.quoting import EXPORT_COLUMNS, QuoteRequest

quotes = ApiBlueprint(
    "quotes", __name__, url_prefix="/api/v1",
    description="Who said what: quotations attributed to people, searched within the quoted words",
)


@quotes.route("/quotes")
@quotes.arguments(schemas.QuoteArgs, location="query", as_kwargs=True)
@quotes.response(200, schemas.QuoteResponseSchema)
@quotes.doc(description=(
    "Quotations (direct, mixed and indirect) with their speakers, found when articles are "
    "ingested. `q` matches within the quoted words only, `speaker` filters by who said it "
    "(aliases merged as in the people facet), and the article filters (person, place, from, "
    "to) select the articles the quotes are in. Facets: `speaker` and `month`, each value "
    "with a `toggle_url`. " + schemas.QUOTE_DOC
))
def quote_search(**args):
    """Search quotes"""
    return with_quote_urls(backend().quotes(**args))


@quotes.route("/quotes/export")
@quotes.arguments(schemas.QuoteExportArgs, location="query", as_kwargs=True)
@quotes.doc(
    description="Every matching quote in the search's order, streamed (page, size and facets are "
    f"ignored). Columns: {', '.join(EXPORT_COLUMNS)}; `text` is the quote's plain text and `id` "
    "the article's. " + schemas.QUOTE_DOC,
    responses={
        "200": {
            "description": "The quotes, streamed. Headers: X-Total-Count (all matching quotes), "
            "X-Export-Rows (rows written), X-Export-Truncated (true when the row cap cut it).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
def quote_export(format="csv", **args):
    """Export quotes as CSV or NDJSON"""
    for ignored in ("page", "size", "cursor", "facets", "facet_size"):
        args.pop(ignored, None)
    query = QuoteRequest.build(**args, facets=[])
    cap = int(current_app.config["EXPORT_MAX_ROWS"])
    total, rows = backend().export_quotes(query, cap)
    lines = csv_lines(rows, EXPORT_COLUMNS) if format == "csv" else ndjson_lines(rows)
    return export_response(lines, total, cap, format, "newsindex-quotes")


def with_quote_urls(answer: QuoteResult) -> QuoteResult:
    """Return `answer` with each facet value's toggle_url and the next page's URL."""
    return with_urls(answer, {"speaker": "speaker"})
