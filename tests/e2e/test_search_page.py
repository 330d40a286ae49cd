"""The search page in a real browser: the journeys of issue 8, through the data-testid hooks."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.conftest import CORPUS_SIZE


def total(page) -> int:
    return int(page.get_by_test_id("total").inner_text())


def result_ids(page) -> list[str]:
    return page.get_by_test_id("result").evaluate_all("rs => rs.map(r => r.dataset.id)")


def names_in(result) -> list[str]:
    return result.locator(".chip-filter").all_inner_texts()


def search(page, words: str) -> None:
    page.goto("/")
    box = page.get_by_test_id("search-input")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))


def test_search_shows_results_total_and_highlights(page):
    search(page, "prices")
    results = page.get_by_test_id("result")
    assert total(page) == results.count() > 1
    titles = page.get_by_test_id("result-title").all_inner_texts()
    assert all(t.strip() for t in titles)
    # Every result's snippet highlights the word (or a form of it: the index stems).
    for i in range(results.count()):
        assert re.match(r"pric", results.nth(i).locator(".snippet mark").first.inner_text(), re.I)
    assert page.get_by_test_id("search-input").input_value() == "prices"
    assert page.title().startswith("prices")


def test_landing_page_lists_the_whole_archive(page):
    page.goto("/")
    assert total(page) == CORPUS_SIZE
    assert page.get_by_test_id("histogram").is_visible()
    assert page.get_by_test_id("facet-people").get_by_test_id("facet-value").count() > 0
    assert page.get_by_test_id("facet-places").get_by_test_id("facet-value").count() > 0


def test_autocomplete_offers_names_and_choosing_one_filters(page):
    page.goto("/")
    box = page.get_by_test_id("search-input")
    box.press_sequentially("merk", delay=30)
    options = page.get_by_test_id("autocomplete-option")
    options.first.wait_for()
    assert "Angela Merkel" in options.all_inner_texts()[0]
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(re.compile(r"person=Angela"))
    assert parse_qs(urlparse(page.url).query) == {"person": ["Angela Merkel"]}
    chips = page.get_by_test_id("active-filter")
    assert chips.count() == 1 and "Angela Merkel" in chips.inner_text()
    assert total(page) == 2
    assert page.get_by_test_id("search-input").input_value() == ""


def test_autocomplete_on_the_last_word_keeps_the_words_before_it(page):
    page.goto("/")
    box = page.get_by_test_id("search-input")
    box.press_sequentially("energy merk ", delay=30)
    page.get_by_test_id("autocomplete-option").first.wait_for()
    page.get_by_test_id("autocomplete-option").first.click()
    page.wait_for_url(re.compile(r"person="))
    assert parse_qs(urlparse(page.url).query) == {"q": ["energy"], "person": ["Angela Merkel"]}
    assert total(page) == 2


def test_autocomplete_closes_on_escape_and_enter_then_searches_words(page):
    page.goto("/")
    box = page.get_by_test_id("search-input")
    box.press_sequentially("berl", delay=30)
    page.get_by_test_id("autocomplete-option").first.wait_for()
    box.press("Escape")
    assert page.get_by_test_id("autocomplete-option").count() == 0
    box.fill("Berlin")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=Berlin"))
    assert total(page) >= 1


def test_person_facet_drill_down_then_remove_restores_total(page):
    search(page, "prices OR Merkel OR Netanyahu OR Biden")
    before = total(page)
    facet = page.get_by_test_id("facet-people").get_by_test_id("facet-value").first
    name, count = facet.get_attribute("data-value"), int(facet.get_attribute("data-count"))
    assert 0 < count < before
    facet.click()
    page.wait_for_url(re.compile(r"person="))
    assert total(page) == count
    results = page.get_by_test_id("result")
    assert results.count() == count
    for i in range(results.count()):
        assert name in names_in(results.nth(i))
    chip = page.get_by_test_id("active-filter")
    assert chip.count() == 1 and name in chip.inner_text()
    # The value is now selected in its panel, and a second click removes it again.
    selected = page.get_by_test_id("facet-people").locator("[data-selected=true]")
    assert selected.get_attribute("data-value") == name
    chip.click()
    page.wait_for_url(lambda url: "person=" not in url)
    assert total(page) == before
    assert page.get_by_test_id("active-filter").count() == 0
    # Back brings the drill-down back, Forward removes it again.
    page.go_back()
    assert total(page) == count and name in page.get_by_test_id("active-filter").inner_text()
    page.go_forward()
    assert total(page) == before


def test_result_chip_filters_and_chip_link_opens_the_entity_page(page):
    page.goto("/")
    chip = page.locator(".chip.place .chip-filter", has_text="Berlin").first
    chip.click()
    page.wait_for_url(re.compile(r"place=Berlin"))
    assert total(page) == 1
    page.locator(".chip.place", has_text="Berlin").locator(".chip-page").click()
    page.wait_for_url(re.compile(r"/places/Berlin$"))
    assert page.locator("h1").inner_text() == "Berlin"


def test_clicking_a_month_bar_filters_to_that_month(page):
    page.goto("/")
    bars = page.get_by_test_id("histogram").locator("a.bar")
    busiest = max(range(bars.count()), key=lambda i: int(bars.nth(i).get_attribute("data-count")))
    bar = bars.nth(busiest)
    month, count = bar.get_attribute("data-value"), int(bar.get_attribute("data-count"))
    bar.click()
    page.wait_for_url(re.compile(r"from="))
    assert total(page) == count
    dates = page.locator("[data-testid=result] time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates and all(d.startswith(month) for d in dates)
    chip = page.get_by_test_id("active-filter")
    assert chip.count() == 1
    year, number = map(int, month.split("-"))
    assert date(year, number, 1).strftime("%B %Y") in chip.inner_text()


def test_dragging_across_bars_selects_a_range(page):
    page.goto("/")
    bars = page.get_by_test_id("histogram").locator("a.bar")
    first, last = bars.nth(1), bars.nth(bars.count() - 2)
    a, b = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] - 2)
    page.mouse.down()
    page.mouse.move((a["x"] + b["x"]) / 2, a["y"] + a["height"] - 2, steps=5)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] - 2, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"from="))
    query = parse_qs(urlparse(page.url).query)
    assert query["from"] == [first.get_attribute("data-from")]
    assert query["to"] == [last.get_attribute("data-to")]
    dates = page.locator("[data-testid=result] time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates and all(query["from"][0] <= d <= query["to"][0] for d in dates)
    assert total(page) == sum(int(bars.nth(i).get_attribute("data-count")) for i in range(1, bars.count() - 1))


def test_chart_keeps_other_months_and_shift_click_widens_the_range(page):
    page.goto("/")
    months = page.get_by_test_id("histogram").locator("a.bar").count()
    page.get_by_test_id("histogram").locator("a.bar").first.click()
    page.wait_for_url(re.compile(r"from=2023-05-01&to=2023-05-31"))
    assert total(page) == 2
    bars = page.get_by_test_id("histogram").locator("a.bar")
    assert bars.count() == months  # the other months stay on the chart, to move or widen the range
    assert page.get_by_test_id("histogram").locator("a.bar.selected").count() == 1
    bars.nth(months - 1).click(modifiers=["Shift"])
    page.wait_for_url(re.compile(r"from=2023-05-01&to=2024-04-30"))
    assert total(page) == CORPUS_SIZE
    assert page.get_by_test_id("histogram").locator("a.bar.selected").count() == months


def test_next_page_shows_different_results_and_back_returns(page):
    page.goto("/?size=3")
    first_page = result_ids(page)
    assert len(first_page) == 3 and total(page) == CORPUS_SIZE
    page.get_by_test_id("next-page").click()
    page.wait_for_url(re.compile(r"cursor="))
    second_page = result_ids(page)
    assert len(second_page) == 3 and not set(first_page) & set(second_page)
    assert total(page) == CORPUS_SIZE
    page.go_back()
    page.wait_for_url(lambda url: "cursor=" not in url)
    assert result_ids(page) == first_page
    page.go_forward()
    assert result_ids(page) == second_page
    page.reload()
    assert result_ids(page) == second_page
    seen = set(first_page) | set(second_page)
    while page.get_by_test_id("next-page").count():
        page.get_by_test_id("next-page").click()
        page.wait_for_load_state()
        seen |= set(result_ids(page))
    assert len(seen) == CORPUS_SIZE


def test_sort_by_date(page):
    search(page, "prices")
    page.get_by_label("Sort").select_option("oldest")
    page.wait_for_url(re.compile(r"sort=oldest"))
    dates = page.locator("[data-testid=result] time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates) and len(dates) == total(page)
    page.get_by_label("Sort").select_option("newest")
    page.wait_for_url(re.compile(r"sort=newest"))
    dates = page.locator("[data-testid=result] time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True)


def test_did_you_mean_runs_the_corrected_search(page):
    search(page, "merkle")
    assert total(page) == 0
    suggestion = page.get_by_test_id("suggestion")
    assert "merkel" in suggestion.inner_text()
    suggestion.get_by_role("link").click()
    page.wait_for_url(re.compile(r"q=merkel"))
    assert total(page) == 2


def test_export_csv_has_one_row_per_hit(page):
    search(page, "prices OR oil")
    expected = total(page)
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected > 1
    assert {r["id"] for r in rows} == set(result_ids(page))
    with page.expect_download() as info:
        page.get_by_test_id("export-ndjson").click()
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]


def test_empty_result_and_bad_parameter_are_messages(page):
    search(page, "xylophonequartz")
    assert total(page) == 0
    assert "No articles match" in page.get_by_test_id("empty").inner_text()
    response = page.goto("/?from=yesterday")
    assert response.status == 400
    assert "from" in page.get_by_test_id("error").inner_text()
    assert page.get_by_test_id("search-input").is_visible()
    response = page.goto("/articles/no-such-article")
    assert response.status == 404 and "no-such-article" in page.locator("main").inner_text()


def test_state_lives_in_the_url(page):
    page.goto("/?q=prices&place=London&sort=oldest")
    assert page.get_by_test_id("search-input").input_value() == "prices"
    assert page.get_by_test_id("active-filter").count() == 1
    assert page.get_by_label("Sort").input_value() == "oldest"
    assert total(page) == 2
    # A new query from the box keeps the filters and the order.
    box = page.get_by_test_id("search-input")
    box.fill("oil")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=oil"))
    assert parse_qs(urlparse(page.url).query) == {"q": ["oil"], "place": ["London"], "sort": ["oldest"]}


def test_keyboard_only_search(page):
    page.goto("/")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "search-input":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "search-input"
    page.keyboard.type("prices")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=prices"))
    assert total(page) > 1
    # The focus ring is visible on a focused facet value, and Enter follows it.
    facet = page.get_by_test_id("facet-people").get_by_test_id("facet-value").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "facet-value" and page.evaluate(
            "!!document.activeElement.closest('[data-testid=facet-places], [data-testid=facet-people]')"
        ):
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    name = page.evaluate("document.activeElement.dataset.value")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"(person|place)="))
    assert name in page.get_by_test_id("active-filter").inner_text()
    assert facet.count() >= 1


def test_first_load_is_small(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto("/", wait_until="networkidle")
    assert 0 < sum(sizes) < 300_000
    context.close()


def test_show_more_opens_a_facet_panel_and_fewer_closes_it(page, engine):
    every_place = engine.entities("places", size=1000)["total"]
    assert every_place > 12  # the recogniser finds more places than a closed panel shows
    page.goto("/")
    places = page.get_by_test_id("facet-places").get_by_test_id("facet-value")
    assert places.count() == 12
    page.get_by_role("link", name="Show more places").click()
    page.wait_for_url(re.compile(r"more=places"))
    assert places.count() == min(every_place, 50)  # every place in the test articles
    page.get_by_test_id("facet-places").get_by_role("link", name="Show fewer").click()
    page.wait_for_url(lambda url: "more=" not in url)
    assert places.count() == 12
