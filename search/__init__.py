"""newsindex: the search engine, usable from Python without Flask.

articles -> analysis -> index -> query -> snapshot -> results/explore -> engine
(open_index returns a SearchBackend)
"""

from search.articles import Article, Skipped, read_articles
from search.backend import SearchBackend
from search.engine import NewsIndex, open_index
from search.errors import (
    ArticleFormatError,
    ArticleNotFoundError,
    EntityNotFoundError,
    IndexLockedError,
    IndexNotFoundError,
    InvalidRequest,
    NewsindexError,
)
from search.index import IngestReport, delete, ingest, optimize
from search.query import SearchRequest

__all__ = [
    "Article",
    "ArticleFormatError",
    "ArticleNotFoundError",
    "EntityNotFoundError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IngestReport",
    "InvalidRequest",
    "NewsIndex",
    "NewsindexError",
    "SearchBackend",
    "SearchRequest",
    "Skipped",
    "delete",
    "ingest",
    "open_index",
    "optimize",
    "read_articles",
]
