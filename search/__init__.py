"""newsindex: the search engine, usable from Python without Flask.

    articles -> analysis -> index -> query/facets -> engine (open_index)
"""

from search.articles import Article, ArticleFormatError, Skipped, read_articles
from search.engine import ArticleNotFoundError, NewsIndex, open_index
from search.explore import EntityNotFoundError
from search.index import (
    IndexLockedError,
    IndexNotFoundError,
    IngestReport,
    delete,
    ingest,
    optimize,
)
from search.query import InvalidRequest, SearchRequest

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
    "SearchRequest",
    "Skipped",
    "delete",
    "ingest",
    "open_index",
    "optimize",
    "read_articles",
]
