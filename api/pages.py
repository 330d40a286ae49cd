"""The web page: search with facets, person and place pages, article pages (HTML, no build step).

Pages are rendered on the server from the same engine calls as the JSON API, so every state
is a plain URL (shareable, reloadable, Back and Forward just work) and the page is usable
before any script runs. The small script in static/ adds autocomplete and range selection on
the month chart; it never renders results itself.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlencode

import marshmallow as ma
from flask import Blueprint, current_app, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from api import schemas, urls
from api.charts import bar_chart
from api.state import backend
from search import (
    ArticleNotFoundError,
    EntityNotFoundError,
    IndexNotFoundError,
    InvalidRequest,
)
from search.answers import as_data
from search.check import diagnose
from search.kinds import BY_LABEL, FILTER_PARAMS, PAGE_KINDS

log = logging.getLogger("newsindex")
STATIC = Path(__file__).parent / "static"


class PagesBlueprint(Blueprint):
    """Static files named with their content hash (?v=) may be cached for a year: a drill-down
    then costs one request, not three revalidations."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        return 365 * 24 * 3600 if request.args.get("v") else None


pages = PagesBlueprint("pages", __name__, static_folder="static", static_url_path="/assets")


@cache
def asset_version(filename: str) -> str:
    """A short hash of a static file's content, to put in its URL."""
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    return url_for("pages.static", filename=filename, v=asset_version(filename))

# The page's own parameters: the API's search parameters, minus what the page decides itself.
STATE_KEYS = ("q", *FILTER_PARAMS, "from", "to", "sort", "size", "cursor", "more")
LIST_KEYS = (*FILTER_PARAMS, "more")
FACETS = [*(k.field for k in PAGE_KINDS), "month"]
FACET_SIZE = 12
MORE_FACET_SIZE = 50  # a panel opened with "Show more"
PAGE_FILTER_PARAM = {k.field: k.param for k in PAGE_KINDS}


class PageState:
    """The search a page shows, as its URL parameters, and the links that change it."""

    def __init__(self, args: MultiDict):
        self.params: dict[str, list[str]] = {}
        for key in STATE_KEYS:
            values = [v.strip() for v in args.getlist(key) if v.strip()]
            if not values:
                continue
            if key in LIST_KEYS:
                seen: list[str] = []
                for v in values:
                    if v.lower() not in (s.lower() for s in seen):
                        seen.append(v)
                self.params[key] = seen
            else:
                self.params[key] = values[-1:]

    def get(self, key: str, default: str = "") -> str:
        return (self.params.get(key) or [default])[0]

    def getlist(self, key: str) -> list[str]:
        return list(self.params.get(key, []))

    def url(self, **changes) -> str:
        """This search with parameters replaced (None removes one); a new search starts at page 1."""
        changes.setdefault("cursor", None)
        return urls.url(url_for("pages.search"), urls.changed(self.params, **changes), STATE_KEYS)

    def with_filter(self, key: str, value: str) -> str:
        current = self.getlist(key)
        if value.lower() in (v.lower() for v in current):
            return self.url()
        return self.url(**{key: current + [value]})

    def without_filter(self, key: str, value: str) -> str:
        return self.url(**{key: [v for v in self.getlist(key) if v.lower() != value.lower()]})

    def has_filter(self, key: str, value: str) -> bool:
        return value.lower() in (v.lower() for v in self.getlist(key))

    def api_query(self, **extra) -> str:
        """The query string of this search for the JSON API (export buttons)."""
        pairs = [(k, v) for k in STATE_KEYS if k not in ("cursor", "size", "more") for v in self.params.get(k, [])]
        pairs += list(extra.items())
        return urlencode(pairs)

    @property
    def empty(self) -> bool:
        return not self.params


def _parse(state: PageState) -> dict:
    """Check the page's parameters with the API's own schema; raise InvalidRequest naming the bad one."""
    data: dict = {}
    for key, values in state.params.items():
        if key == "more":
            continue
        data[key] = values if key in LIST_KEYS else values[0]
    try:
        return schemas.SearchArgs().load(data)
    except ma.ValidationError as exc:
        raise InvalidRequest({k: v if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}) from exc


def _problem(error: Exception) -> tuple[str, int]:
    """A sentence for the page and its HTTP status, for the errors a search can meet."""
    if isinstance(error, InvalidRequest):
        details = "; ".join(
            f"{k}: {' '.join(str(m).rstrip('.') for m in v)}" for k, v in (error.errors or {}).items()
        )
        return f"That search could not be read ({details or error}).", 400
    if isinstance(error, IndexNotFoundError):
        return "There is no index yet. Ingest some articles first (newsindex ingest FOLDER).", 503
    raise error


@pages.route("/")
def search():
    """The search page: query box, results, facets, month chart, active filters."""
    state = PageState(request.args)
    answer, problem, status = None, None, 200
    try:
        args = _parse(state)
        more = [name for name in state.getlist("more") if name in PAGE_FILTER_PARAM]
        args.update(facets=FACETS, facet_size=MORE_FACET_SIZE if more else FACET_SIZE)
        answer = backend().search(**args)
        facets = {
            name: replace(facet, results=facet.results[:FACET_SIZE], truncated=True)
            if name in PAGE_FILTER_PARAM and name not in more and len(facet.results) > FACET_SIZE else facet
            for name, facet in answer.facets.items()
        }
        answer = replace(answer, facets=facets)
    except (InvalidRequest, IndexNotFoundError) as error:
        problem, status = _problem(error)
    chart = None
    if answer and "month" in answer.facets:
        months = as_data(answer.facets["month"].results)
        if state.get("from") or state.get("to"):
            # Keep the months around a chosen range on the chart, so the range can be widened
            # or moved with one more click: the same search without its dates, months only.
            undated = {**args, "date_from": None, "date_to": None, "cursor": None, "page": 1, "size": 1}
            months = as_data(backend().search(**{**undated, "facets": ["month"]}).facets["month"].results)
        start, end = _day(state.get("from"), end=False), _day(state.get("to"), end=True)
        chart = bar_chart(
            months,
            href=lambda b: state.url(**{"from": b["from"], "to": b["to"]}),
            selected=lambda b: bool(state.get("from") or state.get("to")) and start <= b["from"] and b["to"] <= end,
        )
    # An index without articles (a first ingest not yet committed) is not a search that failed.
    no_articles = bool(answer) and not answer.total and (
        state.empty or not backend().search(size=1, facets=[]).total
    )
    return render_template(
        "search.html", state=state, answer=answer, problem=problem, chart=chart,
        filters=_active_filters(state), suggestion=_suggestion(state, answer), no_articles=no_articles,
    ), status


def _day(period: str, end: bool) -> str:
    """A period as given in the URL (YYYY, YYYY-MM or YYYY-MM-DD) as a day that compares as text."""
    if not period:
        return "9999-12-31" if end else "0000-01-01"
    return period + ("-12-31" if end else "-01-01")[len(period) - 4:] if len(period) < 10 else period


def _active_filters(state: PageState) -> list[dict]:
    """The removable chips above the results: each filter and the link without it."""
    chips = []
    for entity_kind in PAGE_KINDS:
        for value in state.getlist(entity_kind.param):
            chips.append({
                "kind": entity_kind.noun.capitalize(), "label": value,
                "remove": state.without_filter(entity_kind.param, value),
            })
    if state.get("from") or state.get("to"):
        chips.append({
            "kind": "Dates",
            "label": _period_label(state.get("from"), state.get("to")),
            "remove": state.url(**{"from": None, "to": None}),
        })
    return chips


def _period_label(start: str, end: str) -> str:
    if start and end:
        if start[:7] == end[:7] and start.endswith("-01"):
            return month_name(start[:7])
        return f"{start} to {end}"
    return f"from {start}" if start else f"until {end}"


def month_name(value: str) -> str:
    """'2024-03' as 'March 2024'; anything else unchanged."""
    try:
        return date(int(value[:4]), int(value[5:7]), 1).strftime("%B %Y")
    except (ValueError, IndexError):
        return value


def _suggestion(state: PageState, answer: dict | None) -> dict | None:
    """The "did you mean" line: its words and the link that runs it."""
    found = answer.suggestion if answer else None
    if not found:
        return None
    changes = {k: v for k, v in as_data(found).items() if k != "total" and v}
    words = [changes["q"]] if "q" in changes else []
    words += [name for param in FILTER_PARAMS for name in changes.get(param, [])]
    return {"words": " · ".join(words), "total": found.total, "url": state.url(**changes)}


@pages.errorhandler(Exception)
def unexpected(error: Exception):
    """A page never shows a stack trace: HTTP errors keep their code, the rest are logged 500s."""
    found = None if isinstance(error, HTTPException) else diagnose(current_app.config["INDEX_DIR"], error)
    if isinstance(error, HTTPException):
        code, message = error.code or 500, error.description or error.name
    elif found is not None:  # a full disk, a read-only or damaged index: said as it is
        log.error("%s", found)
        code, message = 503, str(found)
    else:
        log.exception("unexpected error on a page")
        code, message = 500, "Something went wrong on our side; it has been logged. Try again or start a new search."
    return render_template("error.html", code=code, message=message), code


@pages.route("/people/<path:name>")
def person(name: str):
    """A person's page: timeline, associated people and places, top articles."""
    return _entity_page("people", name)


@pages.route("/places/<path:name>")
def place(name: str):
    """A place's page: timeline, associated people and places, top articles."""
    return _entity_page("places", name)


def _entity_page(kind: str, name: str):
    filter_key = PAGE_FILTER_PARAM[kind]
    try:
        found = backend().entity(kind, name, size=12)
    except EntityNotFoundError as error:
        return render_template(
            "entity.html", kind=kind, name=name, entity=None, suggestions=error.suggestions[:5],
        ), 404
    except IndexNotFoundError as error:
        problem, status = _problem(error)
        return render_template("entity.html", kind=kind, name=name, entity=None, problem=problem), status
    base = PageState(MultiDict({filter_key: found.name}))
    chart = bar_chart(
        [{**b, "value": b["period"], "label": b["period"], "selected": False} for b in as_data(found.timeline)],
        href=lambda b: base.url(**{"from": b["from"], "to": b["to"]}),
        selected=lambda b: False,
    )
    return render_template(
        "entity.html", kind=kind, name=found.name, entity=found, chart=chart, base=base,
        filter_key=filter_key,
    )


@pages.route("/organisations/<path:name>")
def organisation(name: str):
    """An organisation's page: timeline, associated names, top articles."""
    return _entity_page("organisations", name)


@pages.route("/articles/<article_id>")
def article(article_id: str):
    """One article: its text with people and places linked, and similar articles."""
    try:
        found = backend().article(article_id)
    except ArticleNotFoundError:
        return render_template("article.html", article=None, article_id=article_id), 404
    except IndexNotFoundError as error:
        problem, status = _problem(error)
        return render_template("article.html", article=None, article_id=article_id, problem=problem), status
    similar = backend().similar(article_id, size=6).results
    return render_template("article.html", article=found, body=linked_body(found), similar=similar)


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def entity_url(kind: str, name: str) -> str:
    """The page of a person ('people'), place ('places') or organisation ('organisations')."""
    return f"/{kind}/" + quote(name, safe="")


def linked_body(article) -> Markup:
    """The article's text as HTML paragraphs, each recognised person or place a link to its
    page, each quote marked (a span, then a link to its speaker's page)."""
    body = article.body
    quotes = _quote_spans(getattr(article, "quotes", ()), len(body))
    pieces: list[str] = []
    position = 0
    inside: object | None = None  # the quote open at `position`

    def text_until(end: int) -> None:
        """Write the text up to `end`, opening and closing quotes on the way; a quote
        that starts at `end` is opened, one that ends there is closed."""
        nonlocal position, inside
        while True:
            if inside is not None:
                stop = min(end, inside.end)
                pieces.append(_paragraphs(body[position:stop], reopen=_quote_open(inside, first=False)))
                position = stop
                if stop < inside.end:
                    return
                pieces.append(_quote_close(inside))
                inside = None
            following = next((q for q in quotes if position <= q.start <= end), None)
            if following is None:
                pieces.append(_paragraphs(body[position:end]))
                position = end
                return
            pieces.append(_paragraphs(body[position:following.start]))
            position = following.start
            inside = following
            pieces.append(_quote_open(inside))
            if position == end:
                return

    for entity in sorted(article.entities, key=lambda e: (e.start, -e.end)):
        start, end = entity.start, entity.end
        entity_kind = BY_LABEL.get(entity.label)
        if entity_kind is None:
            continue  # a kind without pages
        if start < position or end <= start or end > len(body):
            continue  # overlapping or out of range: keep the text as it is
        if any(q.start < end and start < q.end and not (q.start <= start and end <= q.end) for q in quotes):
            continue  # across a quote's edge: the quote's markup comes first
        kind, noun = entity_kind.segment, entity_kind.noun
        name = entity.canonical or body[start:end]
        text_until(start)
        pieces.append(
            f'<a class="entity {noun}" href="{escape(entity_url(kind, name))}" data-entity="{escape(name)}"'
            f' title="{escape(name)} ({noun})">{escape(body[start:end])}</a>'
        )
        position = end
    text_until(len(body))
    return Markup("<p>" + "".join(pieces).strip() + "</p>")


def _quote_spans(quotes, length: int) -> list:
    """The quotes to mark: in order, none overlapping the one before, within the body."""
    kept, end = [], 0
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if q.start >= end and q.start < q.end <= length:
            kept.append(q)
            end = q.end
    return kept


def _quote_open(q, first: bool = True) -> str:
    who = f' data-speaker="{escape(q.speaker)}"' if q.speaker else ""
    anchor = f' id="q-{q.start}" data-testid="quote"' if first else ""
    return f'<span class="quote {escape(q.kind)}"{anchor}{who}>'


def _quote_close(q) -> str:
    if not q.speaker:
        return "</span>"
    href = escape(entity_url("people", q.speaker))
    return (f'</span><a class="quote-speaker" data-testid="quote-speaker" href="{href}"'
            f' title="Said by {escape(q.speaker)}"><sup>{escape(q.speaker)}</sup></a>')


def _paragraphs(text: str, reopen: str | None = None) -> str:
    """Paragraphs of `text`; inside a quote (`reopen`), the quote's span closes at each
    break and opens again, so the markup stays well nested."""
    joint = "</p>\n<p>" if reopen is None else f"</span></p>\n<p>{reopen}"
    return joint.join(str(escape(part)) for part in PARAGRAPH_BREAK.split(text))


@pages.app_template_filter("day")
def format_day(value: str | None) -> str:
    """'2024-03-07' as '7 Mar 2024'."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d.day} {d.strftime('%b %Y')}"


# Globals rather than a context processor: imported macros see globals, not the context.
pages.add_app_template_global(entity_url, "entity_url")
pages.add_app_template_global(month_name, "month_name")
pages.add_app_template_global(asset_url, "asset_url")
# The kinds with pages, as templates loop over them: field, filter param, noun, title.
pages.add_app_template_global(
    tuple({"field": k.field, "param": k.param, "noun": k.noun, "title": k.field.capitalize()} for k in PAGE_KINDS),
    "page_kinds")
pages.add_app_template_global({k.field: k for k in PAGE_KINDS}, "kind_of")
pages.add_app_template_global(FILTER_PARAMS, "filter_params")
pages.add_app_template_global({**dict.fromkeys(FILTER_PARAMS), "from": None, "to": None}, "no_filters")
