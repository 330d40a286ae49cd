"""One commit of the index, as every part of one answer reads it.

A `Snapshot` holds a searcher and the facet columns of the same generation. An
engine call takes one snapshot and passes it to every step of its answer, so a
search and its spelling suggestion, or a person's page and the searches it runs,
all see the same commit even when an ingest commits in between.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from whoosh import query

from search.answers import ArticleSummary
from search.facets import FacetColumns
from search.kinds import ORGANISATIONS, PEOPLE, PLACES
from search.query import Hits, SearchRequest, iso_date, parse_query, run_search
from search.scoring import VectorSearch


@dataclass(frozen=True)
class Snapshot:
    """A searcher, its facet columns, and how to search them."""

    searcher: Any  # whoosh.searching.Searcher
    columns: FacetColumns
    parser: Any  # the query parser of this index's schema
    vector: VectorSearch | None  # posting-array evaluator, None to use Whoosh's matchers
    time_limit: float | None  # seconds per search; past it answers are partial

    def select(self, request: SearchRequest) -> tuple[query.Query | None, query.Query]:
        """Return (the user's parsed query or None, that query with the filters applied)."""
        filters: list[query.Query] = []
        for name in request.person:
            filters.append(_any_term(PEOPLE.field, self.columns.expand(PEOPLE.field, name)))
        for name in request.place:
            terms = [(PLACES.field, t) for t in self.columns.expand(PLACES.field, name)]
            if request.place_scope == "country":
                terms += [("countries", t) for t in self.columns.expand("countries", name)]
            filters.append(query.Or([query.Term(f, t) for f, t in terms]) if terms else query.NullQuery)
        for name in request.organisation:
            terms = self.columns.terms(ORGANISATIONS.field, name)
            filters.append(query.Or([query.Term(f, t) for f, t in terms]) if terms else query.NullQuery)
        # Dates are filtered with the cached day column in hits(), not with Whoosh's
        # DateRange (a deep union of numeric-range terms: 157 ms alone at 100k articles).
        user = parse_query(self.parser, request.q) if request.q else None
        if user is not None and filters:
            return user, query.Require(user, query.And(filters))
        if user is not None:
            return user, user
        if filters:
            return None, query.And(filters)
        return None, query.Every()

    def hits(self, request: SearchRequest, q: query.Query | None = None, scored: bool | None = None) -> Hits:
        """Return the hits of `request` (or of the already selected query `q`; `scored`
        ranks them by score even without the request's words, see run_search)."""
        if q is None:
            q = self.select(request)[1]
        deadline = time.perf_counter() + self.time_limit if self.time_limit else None
        allowed = self.columns.date_mask(request.date_from, request.date_to)
        return run_search(self.searcher, q, request, self.columns, deadline, allowed, self.vector, scored)

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)

    def summary(self, stored: dict) -> ArticleSummary:
        """Return what every answer says of an article, its people alias-merged."""
        return ArticleSummary(
            id=stored["id"],
            date=iso_date(stored.get("date")),
            title=stored.get("title", ""),
            headline=stored.get("headline", ""),
            url=stored.get("url", ""),
            source=stored.get("source", ""),
            people=tuple(self.columns.canonical_list(PEOPLE.field, split_names(stored.get(PEOPLE.field)))),
            places=tuple(split_names(stored.get(PLACES.field))),
            organisations=tuple(
                self.columns.organisations_of(
                    split_names(stored.get(ORGANISATIONS.field)), split_names(stored.get(PEOPLE.field))
                )
            ),
        )


def _any_term(field: str, terms: list[str]) -> query.Query:
    if not terms:
        return query.NullQuery
    return query.Or([query.Term(field, t) for t in terms])


def split_names(value) -> list[str]:
    """Return the names of a stored comma-separated keyword field."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]
