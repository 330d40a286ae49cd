"""Real-browser fixtures: the app on a real HTTP server in a thread, Debian's chromium via playwright.

Locally the tests skip when playwright or chromium is missing; under CI (CI=true) that is an
error, so the browser tests can never silently stop running.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api.app import create_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def chromium_path() -> str | None:
    """Debian's chromium (playwright's own download does not work offline), or NEWSINDEX_CHROMIUM."""
    if os.environ.get("NEWSINDEX_CHROMIUM"):
        candidates = [os.environ["NEWSINDEX_CHROMIUM"]]
    else:
        candidates = ["/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium at /usr/bin/chromium or $NEWSINDEX_CHROMIUM (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Server:
    """A werkzeug server for one app on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, app):
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="session")
def server(built_index):
    """The newsindex app over the shared test index (read-only)."""
    with Server(create_app({"INDEX_DIR": str(built_index)})) as running:
        yield running.url


@pytest.fixture
def page(browser, server):
    """A fresh desktop-sized page (own cookies and storage) that fails the test on a JS error."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, base_url=server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
