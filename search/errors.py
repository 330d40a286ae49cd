"""The engine's errors: one base class, a specific class per problem.

The engine raises these; the edges translate them (`api/errors.py` to HTTP and
the one JSON error shape, `api/cli.py` to a message and an exit code). Each
carries what a user needs to fix the problem: the parameter, the file and line,
the article id, the closest known names.
"""

from __future__ import annotations


class NewsindexError(Exception):
    """Base class of every error the engine raises on purpose."""


class InvalidRequest(NewsindexError, ValueError):
    """A request with bad parameters; `errors` maps each parameter to what is wrong."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class ArticleFormatError(NewsindexError, ValueError):
    """An article that cannot be read, with the file and line it came from."""

    def __init__(self, reason: str, file: str = "", line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.line = line


class ArticleNotFoundError(NewsindexError, KeyError):
    """No article with that id."""


class EntityNotFoundError(NewsindexError, KeyError):
    """No person or place of that name; `suggestions` are the closest known names."""

    def __init__(self, kind: str, name: str, suggestions: list[str]):
        super().__init__(name)
        self.kind, self.name, self.suggestions = kind, name, suggestions


class IndexError_(NewsindexError):
    """Base class of the index's errors (the name avoids the builtin IndexError)."""


class IndexNotFoundError(IndexError_):
    """There is no newsindex index at the given path."""


class IndexLockedError(IndexError_):
    """Another writer (an ingest, a delete) holds the index's write lock."""


class SearchTimeout(NewsindexError, RuntimeError):
    """A search ran longer than its time limit (caught inside: the answer is marked partial)."""
