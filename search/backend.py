"""The engine's one front door: what the API and the CLI may call.

`SearchBackend` is the interface; `search.open_index(path)` returns today's
implementation over one Whoosh index (`search.engine.NewsIndex`), and a sharded
backend over a cluster is a second implementation of the same protocol. Every
method answers an immutable value of `search.answers` and raises the errors of
`search.errors`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from search.answers import (
    Article,
    EntityList,
    EntityPage,
    QuoteResult,
    SearchResult,
    Similar,
    Stats,
    Suggestion,
    Timeline,
)
from search.articles import Article as InputArticle
from search.index import IngestReport
from search.query import SearchRequest
from search.quoting import QuoteRequest


@runtime_checkable
class SearchBackend(Protocol):
    """A searchable, writable archive of articles."""

    def search(self, request: SearchRequest | None = None, **params) -> SearchResult:
        """Return one page of hits with facets; `params` as `SearchRequest.build` takes them."""

    def article(self, article_id: str) -> Article:
        """Return one article in full; raises ArticleNotFoundError."""

    def entities(self, kind: str, *, prefix: str | None = None, size: int | None = 20, **filters) -> EntityList:
        """Return the most frequent names of a kind ("people", "places", "countries")."""

    def entity(self, kind: str, name: str, *, size: int = 10, **filters) -> EntityPage:
        """Return the page of one name; raises EntityNotFoundError with suggestions."""

    def timeline(self, series: list[str], *, interval: str = "month", date_from=None, date_to=None) -> Timeline:
        """Return articles per period for each series."""

    def similar(self, article_id: str, *, size: int = 10) -> Similar:
        """Return the articles most like one article."""

    def suggestion(self, request: SearchRequest, total: int) -> Suggestion | None:
        """Return a better-spelt search when it finds more than `total` articles."""

    def export(self, request: SearchRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        """Return (all hits, an iterator over at most `max_rows` rows in the search's order)."""

    def quotes(self, request: QuoteRequest | None = None, **params) -> QuoteResult:
        """Return one page of quotes (each result one quote; totals and facets count
        quotes); `params` as `QuoteRequest.build` takes them."""

    def export_quotes(self, request: QuoteRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        """Return (all matching quotes, an iterator over at most `max_rows` rows in order)."""

    def stats(self) -> Stats:
        """Return the article count, date range, index size and last ingest."""

    def ingest(self, sources: Iterable[str | os.PathLike] | Iterable[InputArticle], **options) -> IngestReport:
        """Add or replace the articles of `sources` (files, folders, or Article values)."""

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Delete articles; return (deleted ids, ids not in the index)."""
