"""The Flask application factory: config, the engine, the API blueprint, one error shape."""

from __future__ import annotations

import logging
import os
import threading
from http import HTTPStatus
from pathlib import Path

from flask import Flask, current_app, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from search import (
    ArticleNotFoundError,
    EntityNotFoundError,
    IndexLockedError,
    IndexNotFoundError,
    InvalidRequest,
    NewsIndex,
    open_index,
)

log = logging.getLogger("newsindex")

DEFAULTS = {
    "INDEX_DIR": "indexes/default",
    "API_TOKEN": None,
    "SEARCH_TIME_LIMIT": 10.0,
    "EXPORT_MAX_ROWS": 100_000,
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "API_TITLE": "newsindex",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "JSON_SORT_KEYS": False,
}
ENVIRONMENT = {
    "NEWSINDEX_INDEX_DIR": "INDEX_DIR",
    "NEWSINDEX_API_TOKEN": "API_TOKEN",
    "NEWSINDEX_SEARCH_TIME_LIMIT": "SEARCH_TIME_LIMIT",
    "NEWSINDEX_MAX_CONTENT_LENGTH": "MAX_CONTENT_LENGTH",
    "NEWSINDEX_EXPORT_MAX_ROWS": "EXPORT_MAX_ROWS",
}


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


def _engine_error(error: Exception):
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
        noun = "person" if error.kind == "people" else "place"
        hint = f"; did you mean {', '.join(error.suggestions[:3])}?" if error.suggestions else ""
        errors = {"name": [f"unknown {noun}"], "suggestions": error.suggestions}
        return error_response(404, f"no {noun} named {error.name!r}{hint}", errors)
    raise error


def create_app(config: dict | None = None) -> Flask:
    """Return the newsindex app: defaults, then NEWSINDEX_* environment, then `config`."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    for env, key in ENVIRONMENT.items():
        if os.environ.get(env):
            value = os.environ[env]
            app.config[key] = type(DEFAULTS[key])(value) if DEFAULTS[key] is not None else value
    app.config.update(config or {})
    app.json.sort_keys = False
    app.extensions["newsindex"] = IndexHolder(app.config["INDEX_DIR"], app.config["SEARCH_TIME_LIMIT"])

    api = JsonErrorsApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    app.extensions["newsindex_api"] = api
    from api.explore import explore
    from api.pages import pages
    from api.views import blp, docs

    api.register_blueprint(blp)
    api.register_blueprint(explore)
    app.register_blueprint(docs)
    app.register_blueprint(pages)

    for error_class in (
        InvalidRequest, ArticleNotFoundError, EntityNotFoundError, IndexLockedError, IndexNotFoundError
    ):
        app.register_error_handler(error_class, _engine_error)
    from api.storage_errors import diagnosed_response, register_storage_errors

    register_storage_errors(app)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return api.handle_http_exception(error)
        diagnosed = diagnosed_response(app, error)
        if diagnosed is not None:
            log.error("%s", diagnosed.get_json()["message"])
            return diagnosed
        log.exception("unexpected error")
        return api.handle_http_exception(InternalServerError())

    return app


class IndexHolder:
    """Opens the index on first use (it may not exist when the server starts) and keeps it."""

    def __init__(self, path: str | os.PathLike, time_limit: float):
        self.path = Path(path)
        self.time_limit = time_limit
        self._index: NewsIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> NewsIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = open_index(self.path, time_limit=self.time_limit)
        return self._index


def engine() -> NewsIndex:
    return current_app.extensions["newsindex"].get()
