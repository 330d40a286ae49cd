"""The quotes page: search within quotations, narrow by speaker and month (HTML, server-rendered).

Its state is its URL, as on the search page; facet links and the pager are built
with api.urls, the same helpers the JSON API's toggle_url uses."""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, render_template, request, url_for

from api import schemas, urls
from api.state import backend
from search import IndexNotFoundError, InvalidRequest
from search.kinds import FILTER_PARAMS

quote_pages = Blueprint("quote_pages", __name__)

KEYS = ("q", "speaker", *FILTER_PARAMS, "from", "to", "sort", "cursor")
LISTS = ("speaker", *FILTER_PARAMS)
FACET_SIZE = 15


class QuoteState:
    """The quote search a page shows, as URL parameters, and links that change it."""

    def __init__(self, args):
        self.params: dict[str, list[str]] = {}
        for key in KEYS:
            values = [v.strip() for v in args.getlist(key) if v.strip()]
            if values:
                self.params[key] = list(dict.fromkeys(values)) if key in LISTS else values[-1:]

    def get(self, key: str) -> str:
        return (self.params.get(key) or [""])[0]

    def getlist(self, key: str) -> list[str]:
        return list(self.params.get(key, []))

    def url(self, **changes) -> str:
        changes.setdefault("cursor", None)
        return urls.url(url_for("quote_pages.quotes"), urls.changed(self.params, **changes), KEYS)

    def toggled(self, key: str, value: str) -> str:
        return self.url(**{key: urls.toggled(self.getlist(key), value)})

    def api_query(self, **extra) -> str:
        params = {k: v for k, v in self.params.items() if k != "cursor"}
        return urls.url("", urls.changed(params, **extra), [*KEYS, *extra]).lstrip("?")


@quote_pages.route("/quotes")
def quotes():
    """Quotes: search within the quoted words, facets by speaker and month, links to
    each speaker's page and to the article."""
    state = QuoteState(request.args)
    answer, problem, status = None, None, 200
    try:
        data = {k: (v if k in LISTS else v[0]) for k, v in state.params.items()}
        try:
            args = schemas.QuoteArgs().load(data)
        except ma.ValidationError as exc:
            raise InvalidRequest({k: v if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}) from exc
        args.update(size=20, facet_size=FACET_SIZE)
        answer = backend().quotes(**args)
    except InvalidRequest as error:
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.errors.items())
        problem, status = f"That search could not be read ({details or error}).", 400
    except IndexNotFoundError:
        problem, status = "There is no index yet. Ingest some articles first (newsindex ingest FOLDER).", 503
    return render_template("quotes.html", qstate=state, answer=answer, problem=problem), status
