"""The Flask application factory: config, the backend, the blueprints, one error shape."""

from __future__ import annotations

import os

from flask import Flask

from api.errors import JsonErrorsApi, register_error_handlers
from api.explore import explore
from api.pages import pages
from api.quote_pages import quote_pages
from api.quotes import quotes
from api.state import EXTENSION, BackendHolder
from api.views import blp, docs

DEFAULTS = {
    "INDEX_DIR": "indexes/default",
    "CLUSTER": None,  # tcp://HOST:PORT of a Dask scheduler: INDEX_DIR is a sharded index
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
    "NEWSINDEX_CLUSTER": "CLUSTER",
    "NEWSINDEX_API_TOKEN": "API_TOKEN",
    "NEWSINDEX_SEARCH_TIME_LIMIT": "SEARCH_TIME_LIMIT",
    "NEWSINDEX_MAX_CONTENT_LENGTH": "MAX_CONTENT_LENGTH",
    "NEWSINDEX_EXPORT_MAX_ROWS": "EXPORT_MAX_ROWS",
}


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
    app.extensions[EXTENSION] = BackendHolder(
        app.config["INDEX_DIR"], app.config["SEARCH_TIME_LIMIT"], app.config["CLUSTER"]
    )

    api = JsonErrorsApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    app.extensions["newsindex_api"] = api
    api.register_blueprint(blp)
    api.register_blueprint(explore)
    api.register_blueprint(quotes)
    app.register_blueprint(docs)
    app.register_blueprint(pages)
    app.register_blueprint(quote_pages)

    register_error_handlers(app, api)
    return app
