"""Exploration endpoints: entity pages, timelines, similar articles, export."""

from __future__ import annotations

from flask import current_app

from api import schemas
from api.state import backend
from api.views import ApiBlueprint, export_response, search_filters
from search.export import csv_lines, ndjson_lines
from search.query import SearchRequest

explore = ApiBlueprint(
    "explore", __name__, url_prefix="/api/v1",
    description="Who appears with whom, attention over time, similar articles, export",
)

ASSOCIATION_DOC = (
    " `people`, `places` and `organisations` are the names most associated with this one in the selected"
    " articles, ranked by Dunning's log-likelihood ratio (G²) of a 2x2 table: articles with"
    " both names, with either one only, and with neither. G² compares the co-occurrence"
    " with what the two names' overall frequencies predict, so names that are everywhere"
    " do not rank first; only over-represented names seen in at least 2 shared articles"
    " (1 when the name has fewer than 5) are listed. `count` is the raw co-occurrence."
)


@explore.route("/people/<name>")
@explore.arguments(schemas.EntityPageArgs, location="query", as_kwargs=True)
@explore.response(200, schemas.EntityPageSchema)
@explore.doc(description="A person's page: counts, dates, timeline, associated names, top articles." + ASSOCIATION_DOC)
def person_page(name: str, size: int = 10, **args):
    """One person"""
    return backend().entity("people", name, size=size, **search_filters(args))


@explore.route("/places/<name>")
@explore.arguments(schemas.EntityPageArgs, location="query", as_kwargs=True)
@explore.response(200, schemas.EntityPageSchema)
@explore.doc(description="A place's page: counts, dates, timeline, associated names, top articles." + ASSOCIATION_DOC)
def place_page(name: str, size: int = 10, **args):
    """One place"""
    return backend().entity("places", name, size=size, **search_filters(args))


@explore.route("/organisations/<name>")
@explore.arguments(schemas.EntityPageArgs, location="query", as_kwargs=True)
@explore.response(200, schemas.EntityPageSchema)
@explore.doc(description="An organisation's page: counts, dates, timeline, associated names, top articles."
             + ASSOCIATION_DOC)
def organisation_page(name: str, size: int = 10, **args):
    """One organisation"""
    return backend().entity("organisations", name, size=size, **search_filters(args))


@explore.route("/timeline")
@explore.arguments(schemas.TimelineArgs, location="query", as_kwargs=True)
@explore.response(200, schemas.TimelineSchema)
def timeline(series, interval="month", date_from=None, date_to=None):
    """Articles over time for one or more series

    Each `series` is a search (`q:oil`, `person:Ronald Reagan`, `place:Japan;q:trade`).
    Counts per interval are zero-filled over a shared range; `share` divides each
    count by all articles of the interval, so a growing archive does not look like
    growing attention.
    """
    return backend().timeline(series, interval=interval, date_from=date_from, date_to=date_to)


@explore.route("/articles/<article_id>/similar")
@explore.arguments(schemas.SimilarArgs, location="query", as_kwargs=True)
@explore.response(200, schemas.SimilarSchema)
def similar(article_id: str, size: int = 10):
    """Articles like this one

    Ranked by the article's key terms (Whoosh's Bo1 key-term extraction over the
    body) plus its people and places; never the article itself. Each result says
    which terms, people and places it shares.
    """
    return backend().similar(article_id, size=size)


@explore.route("/search/export")
@explore.arguments(schemas.ExportArgs, location="query", as_kwargs=True)
@explore.doc(
    responses={
        "200": {
            "description": "The whole result set in the search's order, streamed. Headers: "
            "X-Total-Count (all hits), X-Export-Rows (rows written), X-Export-Truncated "
            "(true when the row cap cut it).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    }
)
def export(format="csv", **args):
    """Export a search as CSV or NDJSON

    Every search parameter applies (page, size and facets are ignored). Columns:
    id, date, headline, title, url, source, people, places, score (people and
    places joined with '; ' in CSV).
    """
    for ignored in ("page", "size", "cursor", "facets", "facet_size"):
        args.pop(ignored, None)
    request = SearchRequest.build(**args, facets=[])
    cap = int(current_app.config["EXPORT_MAX_ROWS"])
    total, rows = backend().export(request, cap)
    lines = csv_lines(rows) if format == "csv" else ndjson_lines(rows)
    return export_response(lines, total, cap, format, "newsindex")
