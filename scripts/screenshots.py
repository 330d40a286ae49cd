"""Screenshots of each state of the web page, desktop and phone width, into docs/screenshots/.

    python scripts/screenshots.py                      # an index of the test articles, built here
    python scripts/screenshots.py --index DIR --query oil

Drives Debian's chromium through playwright (like tests/e2e) and only uses the page's
data-testid hooks, so it works on any index. Prints each file and the first-load size.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.app import create_app  # noqa: E402
from search import ingest  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 375, "height": 760}}


def build_test_index(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(REPO / "tests" / "articles", corpus)
    shutil.copy(REPO / "examples" / "000_7483b6d759d5b458.txt", corpus)
    ingest(root / "index", [corpus], workers=1)
    return root / "index"


def states(page, query: str):
    """Yield (name, take) pairs; each take() brings the page to one state."""

    def landing():
        page.goto("/")

    def results():
        page.goto("/")
        page.get_by_test_id("search-input").fill(query)
        page.get_by_test_id("search-input").press("Enter")
        page.wait_for_url(re.compile("q="))

    def autocomplete():
        page.goto("/")
        name = page.get_by_test_id("facet-people").get_by_test_id("facet-value").first.get_attribute("data-value")
        page.get_by_test_id("search-input").press_sequentially(name.split()[-1][:4].lower(), delay=40)
        page.get_by_test_id("autocomplete-option").first.wait_for()
        page.get_by_test_id("search-input").press("ArrowDown")

    def drilldown():
        results()
        page.get_by_test_id("facet-people").get_by_test_id("facet-value").first.click()
        page.wait_for_url(re.compile("person="))

    def month():
        page.goto("/")
        bars = page.get_by_test_id("histogram").locator("a.bar")
        counts = bars.evaluate_all("bs => bs.map(b => +b.dataset.count)")
        bars.nth(counts.index(max(counts))).click()
        page.wait_for_url(re.compile("from="))

    def empty():
        page.goto("/?q=xylophonequartz")

    def error():
        page.goto("/?from=yesterday")

    def person():
        page.goto("/")
        page.get_by_test_id("facet-people").locator(".facet-page").first.click()
        page.get_by_test_id("entity-timeline").wait_for()

    def place():
        page.goto("/")
        page.get_by_test_id("facet-places").locator(".facet-page").first.click()
        page.get_by_test_id("entity-timeline").wait_for()

    def article():
        page.goto("/")
        page.get_by_test_id("result-title").first.click()
        page.get_by_test_id("article-body").wait_for()

    yield from [
        ("landing", landing), ("results", results), ("autocomplete", autocomplete), ("drilldown", drilldown),
        ("month", month), ("empty", empty), ("error", error), ("person", person), ("place", place),
        ("article", article),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="an existing index (default: build one of the test articles)")
    parser.add_argument("--query", default="prices", help="the word searched for (default: prices)")
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not the first screen")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(args.index) if args.index else build_test_index(Path(tmp))
        httpd = make_server("127.0.0.1", 0, create_app({"INDEX_DIR": str(index)}), threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            for device, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, base_url=base, device_scale_factor=1)
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda r, sizes=sizes: sizes.append(r.sizes()["responseBodySize"]))
                page.goto("/", wait_until="networkidle")
                print(f"{device}: first load {sum(sizes) / 1024:.1f} KB in {len(sizes)} requests")
                for name, take in states(page, args.query):
                    take()
                    path = out / f"{name}-{device}.png"
                    page.screenshot(path=str(path), full_page=args.full_page)
                    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
                context.close()
            browser.close()
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
