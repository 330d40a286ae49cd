"""One JSON error shape for every error: code, status, message, errors by parameter.

The engine's exceptions are translated to HTTP here, at the edge."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from search import (
    ArticleNotFoundError,
    EntityNotFoundError,
    IndexLockedError,
    IndexNotFoundError,
    InvalidRequest,
)
from search.check import diagnose
from search.kinds import kind
from search.storage_errors import IndexDiskFullError, IndexStorageError

log = logging.getLogger("newsindex")


class JsonErrorsApi(Api):
    """flask-smorest's Api with one error shape: errors keyed by parameter, always a message."""

    def handle_http_exception(self, error: HTTPException):
        payload, code, headers = super().handle_http_exception(error)
        # Keep the exception's own headers (Allow on a 405, WWW-Authenticate on a 401).
        own = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        headers = {**own, **(headers or {})}
        errors = payload.get("errors")
        if isinstance(errors, dict):
            payload["errors"] = _flatten_locations(errors)
        if "message" not in payload:
            if payload.get("errors"):
                first = next(iter(payload["errors"].items()))
                payload["message"] = f"invalid parameter {first[0]!r}: {' '.join(map(str, first[1]))}"
            else:
                payload["message"] = error.description or error.name
        payload.setdefault("errors", {})
        return payload, code, headers


_LOCATIONS = ("query", "json", "form", "headers", "view_args", "path", "files", "cookies")


def _flatten_locations(errors: dict) -> dict:
    """webargs nests errors by location and by nested field ({"json": {"articles": {0:
    {"date": [...]}}}}); clients want one level: {"articles.0.date": [...]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            flat.setdefault(prefix or "_schema", []).extend(str(v) for v in value)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(value))

    for key, value in errors.items():
        walk("" if key in _LOCATIONS and isinstance(value, dict) else str(key), value)
    return flat


def error_response(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    """Return the one JSON error shape: code, status, message, errors by parameter."""
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message, "errors": errors or {}}
    response = jsonify(body)
    response.status_code = code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def engine_error(error: Exception):
    """Translate the engine's exceptions to HTTP at the edge."""
    if isinstance(error, InvalidRequest):
        return error_response(400, str(error), error.errors)
    if isinstance(error, ArticleNotFoundError):
        return error_response(404, f"no article with id {error.args[0]!r}")
    if isinstance(error, IndexLockedError):
        return error_response(409, str(error), headers={"Retry-After": "5"})
    if isinstance(error, IndexNotFoundError):
        return error_response(503, str(error))
    if isinstance(error, EntityNotFoundError):
        noun = kind(error.kind).noun
        hint = f"; did you mean {', '.join(error.suggestions[:3])}?" if error.suggestions else ""
        errors = {"name": [f"unknown {noun}"], "suggestions": error.suggestions}
        return error_response(404, f"no {noun} named {error.name!r}{hint}", errors)
    raise error


ENGINE_ERRORS = (InvalidRequest, ArticleNotFoundError, EntityNotFoundError, IndexLockedError, IndexNotFoundError)


def register_error_handlers(app: Flask, api: Api) -> None:
    """Every error an app can meet becomes the one JSON error shape; no traceback leaves."""
    for error_class in ENGINE_ERRORS:
        app.register_error_handler(error_class, engine_error)
    register_storage_errors(app)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return api.handle_http_exception(error)
        diagnosed = diagnosed_response(app, error)  # a damaged or unreadable index: a JSON 503
        if diagnosed is not None:
            log.error("%s", diagnosed.get_json()["message"])
            return diagnosed
        log.exception("unexpected error")
        return api.handle_http_exception(InternalServerError())


# The index's storage errors: 507 Insufficient Storage when the disk is full; 503 Service
# Unavailable when the index cannot be read or written (read-only, permission denied,
# damaged): the request was fine, the server cannot serve it now. An unexpected error is
# first diagnosed (search.check.diagnose): a decoder's error that a damaged segment
# explains is a 503 too, not a 500.


def storage_error_response(error: IndexStorageError):
    """Return the JSON answer to an IndexStorageError."""
    code = 507 if isinstance(error, IndexDiskFullError) else 503
    kind = type(error).__name__.removeprefix("Index").removesuffix("Error").lower() or "storage"
    return error_response(code, str(error), {"index": [f"{kind}: {error.detail}"]})


def diagnosed_response(app: Flask, error: Exception):
    """Return the JSON answer to an unexpected error that the index's storage explains, or None."""
    found = diagnose(app.config["INDEX_DIR"], error)
    return storage_error_response(found) if found is not None else None


def register_storage_errors(app: Flask) -> None:
    app.register_error_handler(IndexStorageError, storage_error_response)
