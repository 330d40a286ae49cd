"""Walk issue 8's bar journey over any index, using only the data-testid hooks; print each step.

    python scripts/check_journey.py --index DIR [--word said]

The tests in tests/e2e run over the small test corpus; this runs the same kind of journey over
a real archive (exit status 1 at the first step that fails).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.app import create_app  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--word", default="said", help="a common word to search for")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    import waitress.server
    from playwright.sync_api import sync_playwright

    server = waitress.server.create_server(create_app({"INDEX_DIR": args.index}), host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()

    def step(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            raise SystemExit(1)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(base_url=f"http://127.0.0.1:{server.effective_port}")
        tid = page.get_by_test_id
        page.goto("/")
        step(tid("search-input").is_visible(), "the page loads with a search box")
        tid("search-input").fill(args.word)
        tid("search-input").press("Enter")
        page.wait_for_load_state()
        total = int(tid("total").inner_text())
        step(total > 0 and tid("result").count() > 0, f"'{args.word}': {total} articles, results shown")
        facet = tid("facet-people").get_by_test_id("facet-value").first
        name, count = facet.get_attribute("data-value"), int(facet.get_attribute("data-count"))
        started = time.perf_counter()
        facet.click()
        page.wait_for_url(lambda url: "person=" in url)
        page.wait_for_load_state()
        took = (time.perf_counter() - started) * 1000
        texts = tid("result").all_inner_texts()
        step(all(name in t for t in texts), f"drill-down to {name!r}: all {len(texts)} visible results mention it")
        step(int(tid("total").inner_text()) == count, f"total {tid('total').inner_text()} = facet count {count}")
        step(tid("active-filter").count() == 1, f"an active filter is shown (click to render: {took:.0f} ms)")
        tid("active-filter").first.click()
        page.wait_for_url(lambda url: "person=" not in url)
        step(int(tid("total").inner_text()) == total, "removing it restores the total")
        first = tid("result-title").all_inner_texts()
        tid("next-page").click()
        page.wait_for_url(lambda url: "cursor=" in url)
        step(tid("result-title").all_inner_texts() != first, "next-page shows different results")
        page.goto("/")
        tid("facet-people").locator(".facet-page").first.click()
        page.wait_for_load_state()
        step(tid("entity-timeline").is_visible() and tid("cooccurrence").is_visible(),
             f"the person page {page.url.rsplit('/', 1)[-1]} shows entity-timeline and cooccurrence")
        browser.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
