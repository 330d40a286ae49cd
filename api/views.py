"""The HTTP API: thin views that parse with a schema, call the engine and dump with a schema."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial, wraps
from urllib.parse import unquote_to_bytes

import marshmallow as ma
from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import abort
from webargs.flaskparser import FlaskParser

from api import schemas, urls
from api.state import backend
from search import ArticleFormatError, ArticleNotFoundError, InvalidRequest
from search.answers import Facet
from search.articles import article_from_record
from search.kinds import BY_FIELD, FILTER_PARAMS


class Parser(FlaskParser):
    """Bad parameters are a 400; unknown ones (schemas say RAISE), repeated single-valued
    ones and query strings that are not UTF-8 are errors that name the parameter."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {location: None for location in FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION}

    def load_querystring(self, req, schema):
        problems: dict[str, list[str]] = {}
        for part in req.query_string.split(b"&"):
            key, _, value = part.partition(b"=")
            try:
                name = unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                problems["_query"] = ["the query string is not valid UTF-8"]
                continue
            try:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                problems[name] = ["not valid UTF-8"]
        lists = {f.data_key or n for n, f in schema.fields.items() if isinstance(f, ma.fields.List)}
        for name in req.args:
            if name not in lists and len(req.args.getlist(name)) > 1:
                problems[name] = ["given more than once; it takes one value"]
        if problems:
            raise ma.ValidationError(problems)
        return super().load_querystring(req, schema)


class ApiBlueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()


blp = ApiBlueprint(
    "api", __name__, url_prefix="/api/v1", description="Search news articles by keyword, person, place and date"
)
docs = Blueprint("docs", __name__)


def search_filters(args: dict) -> dict:
    """The parameters that select articles, as the engine names them."""
    return {k: args[k] for k in ("q", *FILTER_PARAMS, "date_from", "date_to", "place_scope")}


@blp.route("/search")
@blp.arguments(schemas.SearchArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.SearchResponseSchema)
def search(**args):
    """Search articles

    Keyword query, filters by date range, person and place, and facet counts
    (people, places, month, year) over the whole result set. Each facet value
    has a `toggle_url` that adds or removes it as a filter.
    """
    return with_urls(backend().search(**args))


# The parameter each entity facet's values filter by (a date facet's values set from/to).
SEARCH_FACET_PARAMS = {kind.field: kind.param for kind in BY_FIELD.values()}


def with_urls(answer, facet_params: Mapping[str, str] = SEARCH_FACET_PARAMS):
    """Return `answer` (a SearchResult or a QuoteResult) with the links a client follows:
    each facet value's toggle_url and the next page's URL, built from this request's query
    string. `facet_params` names the parameter each non-date facet's values filter by."""
    facets = {name: _facet_with_urls(facet, facet_params.get(name)) for name, facet in answer.facets.items()}
    next_url = _url_with(cursor=answer.next, page=None) if answer.next else None
    return replace(answer, facets=facets, next_url=next_url)


def export_response(lines, total: int, cap: int, format: str, name: str) -> Response:
    """Return a streamed export download (CSV or NDJSON) with its count headers: all hits,
    rows written (at most `cap`) and whether the cap cut it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    mimetype = "text/csv" if format == "csv" else "application/x-ndjson"
    response = Response(stream_with_context(lines), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{format}"'
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Export-Rows"] = str(min(total, cap))
    response.headers["X-Export-Truncated"] = "true" if total > cap else "false"
    return response


def _url_with(**changes) -> str:
    return urls.url(request.path, urls.changed(request.args.to_dict(flat=False), **changes))


def _facet_with_urls(facet: Facet, param: str | None) -> Facet:
    values = []
    for value in facet.results:
        if param is not None:
            chosen = urls.toggled(request.args.getlist(param), value.value, value.selected)
            link = _url_with(**{param: chosen, "cursor": None, "page": None})
        elif value.selected:
            link = _url_with(**{"from": None, "to": None, "cursor": None, "page": None})
        else:
            link = _url_with(**{"from": value.date_from, "to": value.date_to, "cursor": None, "page": None})
        values.append(replace(value, toggle_url=link))
    return replace(facet, results=tuple(values))


@blp.route("/articles/<article_id>")
@blp.response(200, schemas.ArticleSchema)
def article(article_id: str):
    """Get one article: full text, people and places with their offsets"""
    return backend().article(article_id)


@blp.route("/people")
@blp.arguments(schemas.EntityListArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.EntityListSchema)
def people(prefix=None, size=20, **args):
    """List people with article counts

    `prefix` matches the start of any word of a name (autocomplete); `q` and
    the filters restrict the counts to matching articles.
    """
    return backend().entities("people", prefix=prefix, size=size, **search_filters(args))


@blp.route("/places")
@blp.arguments(schemas.EntityListArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.EntityListSchema)
def places(prefix=None, size=20, **args):
    """List places with article counts (same parameters as /people)"""
    return backend().entities("places", prefix=prefix, size=size, **search_filters(args))


@blp.route("/organisations")
@blp.arguments(schemas.EntityListArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.EntityListSchema)
def organisations(prefix=None, size=20, **args):
    """List organisations with article counts (same parameters as /people)"""
    return backend().entities("organisations", prefix=prefix, size=size, **search_filters(args))


@blp.route("/stats")
@blp.response(200, schemas.StatsSchema)
def stats():
    """Index statistics: article count, date range, size, last ingest"""
    return backend().stats()


@blp.route("/health")
@blp.response(200, schemas.HealthSchema)
def health():
    """Liveness: 200 when the index opens and answers (a sharded index: with how many shards answer)"""
    stats = backend().stats()
    return {"status": "ok", "articles": stats.articles, "shards": stats.shards}


def write_responses(view, body: bool = False):
    """Document what a write endpoint answers besides success (the one error shape)."""
    from flask_smorest.error_handler import ErrorSchema

    answers = [
        (401, "Writes are on and the bearer token is missing or wrong (with `WWW-Authenticate: Bearer`)."),
        (403, "Writes are off: the server has no token (set NEWSINDEX_API_TOKEN to turn them on)."),
        (409, "Another writer (an ingest, a delete) holds the index; retry after `Retry-After` seconds."),
        (503, "The index cannot be written: read-only file system, permission denied, or damaged."),
        (507, "The index's disk is full; nothing of the request was kept."),
    ]
    if body:
        answers.append((413, "The request body is larger than the server's limit (MAX_CONTENT_LENGTH)."))
    for code, description in answers:
        view = blp.alt_response(code, schema=ErrorSchema, description=description)(view)
    return view


def require_token(view):
    """Write endpoints: off without a configured token, then `Authorization: Bearer <token>`."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = current_app.config.get("API_TOKEN")
        if not token:
            abort(403, message="write endpoints are off: set NEWSINDEX_API_TOKEN to enable them")
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8", "replace"), str(token).encode("utf-8")
        ):
            abort(401, message="missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        return view(*args, **kwargs)

    return wrapper


@blp.route("/articles", methods=["POST"])
@require_token
@blp.arguments(schemas.ArticlesInSchema, location="json")
@blp.response(200, schemas.IngestReportSchema)
@partial(write_responses, body=True)
@blp.doc(security=[{"bearerAuth": []}])
def add_articles(payload):
    """Add or replace articles (one object or a list; needs the bearer token)

    Each article is validated, analysed and indexed; an article whose id exists
    is replaced. Answers what was added, updated and unchanged.
    """
    articles, errors = [], {}
    for n, record in enumerate(payload["articles"]):
        try:
            articles.append(article_from_record(record, "request", n))
        except ArticleFormatError as exc:
            errors[f"articles.{n}"] = [exc.reason]
    if errors:
        raise InvalidRequest(errors)
    report = backend(create=True).ingest(articles, workers=1)
    return report.as_dict()


@blp.route("/articles/<article_id>", methods=["DELETE"])
@require_token
@blp.response(204)
@write_responses
@blp.doc(security=[{"bearerAuth": []}])
def delete_article(article_id: str):
    """Delete an article (needs the bearer token)"""
    deleted, missing = backend().delete([article_id])
    if missing:
        raise ArticleNotFoundError(article_id)


@docs.route("/api/v1/docs")
def api_docs():
    """Browsable API documentation, rendered from the OpenAPI document (no CDN, no JS)."""
    spec = current_app.extensions["newsindex_api"].spec.to_dict()
    return render_template("api_docs.html", spec=spec)
