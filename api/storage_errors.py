"""The index's storage errors as HTTP answers, in the one error shape.

507 Insufficient Storage when the disk is full; 503 Service Unavailable when the index cannot
be read or written (read-only, permission denied, damaged): the request was fine, the server
cannot serve it now. An unexpected error is first diagnosed (search.check.diagnose): a
decoder's error that a damaged segment explains is a 503 too, not a 500.
"""

from __future__ import annotations

from flask import Flask

from search.check import diagnose
from search.storage_errors import IndexDiskFullError, IndexStorageError


def storage_error_response(error: IndexStorageError):
    """Return the JSON answer to an IndexStorageError."""
    from api.app import error_response

    code = 507 if isinstance(error, IndexDiskFullError) else 503
    kind = type(error).__name__.removeprefix("Index").removesuffix("Error").lower() or "storage"
    return error_response(code, str(error), {"index": [f"{kind}: {error.detail}"]})


def diagnosed_response(app: Flask, error: Exception):
    """Return the JSON answer to an unexpected error that the index's storage explains, or None."""
    found = diagnose(app.config["INDEX_DIR"], error)
    return storage_error_response(found) if found is not None else None


def register_storage_errors(app: Flask) -> None:
    app.register_error_handler(IndexStorageError, storage_error_response)
