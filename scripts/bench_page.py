"""Figures for the web page in a real browser: first-load size and drill-down render time.

    python scripts/bench_page.py --index DIR [--query said] [--runs 5]

Serves the app over DIR (waitress, as `newsindex serve`), loads `/` in Debian's chromium, searches
for the query, then clicks the first person facet and times that navigation from the click to
the new page's load event (Navigation Timing), and removing the filter again. Prints milliseconds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.app import create_app  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {response: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          bytes: n.transferSize}; }"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--query", default="said")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    import waitress.server
    from playwright.sync_api import sync_playwright

    app = create_app({"INDEX_DIR": args.index})
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
        page = context.new_page()
        sizes: list[int] = []

        def count(request) -> None:
            sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"])

        page.on("requestfinished", count)
        page.goto("/", wait_until="networkidle")
        page.remove_listener("requestfinished", count)
        total = page.get_by_test_id("total").inner_text()
        print(f"first load: {sum(sizes) / 1024:.1f} KB in {len(sizes)} requests ({total} articles)")
        drill, undo = [], []
        for _ in range(args.runs):
            page.goto(f"/?q={args.query}")
            facet = page.get_by_test_id("facet-people").get_by_test_id("facet-value").first
            facet.click()
            page.wait_for_url(re.compile("person="))
            page.wait_for_load_state("load")
            drill.append(page.evaluate(TIMING))
            page.get_by_test_id("active-filter").first.click()
            page.wait_for_url(lambda url: "person=" not in url)
            page.wait_for_load_state("load")
            undo.append(page.evaluate(TIMING))
        for name, runs in (("drill-down click", drill), ("remove filter", undo)):
            line = ", ".join(
                f"{key} {statistics.median(r[key] for r in runs):.0f}" for key in ("response", "dom", "load")
            )
            print(f"{name} (median of {len(runs)}, ms from the click): {line}")
        browser.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
