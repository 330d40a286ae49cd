"""The quotes page, a person's "What they said" and quotes marked in an article, in a real browser."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from tests.conftest import EXAMPLE_ID


def total(page) -> int:
    return int(page.get_by_test_id("total").inner_text())


def test_search_within_quotes_then_narrow_by_speaker(page):
    page.goto("/")
    page.get_by_test_id("quotes-link").click()
    page.wait_for_url(re.compile(r"/quotes$"))
    everything = total(page)
    page.get_by_test_id("quote-search-input").fill("Rafah")
    page.get_by_test_id("quote-search-input").press("Enter")
    page.wait_for_url(re.compile(r"/quotes\?q=Rafah"))
    assert total(page) == 4 < everything
    quotes = page.get_by_test_id("quote")
    assert quotes.count() == 4
    assert all("Rafah" in t for t in quotes.locator("mark").all_inner_texts())
    speakers = page.get_by_test_id("facet-speaker").get_by_test_id("facet-value")
    blinken = speakers.filter(has_text="Antony Blinken")
    assert blinken.get_attribute("data-count") == "1"
    blinken.click()
    page.wait_for_url(re.compile(r"speaker=Antony\+Blinken"))
    assert total(page) == 1
    assert page.get_by_test_id("quote-speaker").all_inner_texts() == ["Antony Blinken"]
    page.get_by_test_id("active-filter").click()  # remove the speaker again
    page.wait_for_url(re.compile(r"/quotes\?q=Rafah$"))
    assert total(page) == 4


def test_a_quote_links_to_its_speaker_and_its_article(page):
    page.goto("/quotes?q=%22ground+operation%22")
    quote = page.get_by_test_id("quote").first
    quote.get_by_test_id("quote-article").click()
    page.wait_for_url(re.compile(rf"/articles/{EXAMPLE_ID}#q-\d+$"))
    marked = page.get_by_test_id("article-body").get_by_test_id("quote")
    assert marked.count() >= 5
    assert any(t.startswith("But a major ground operation") for t in marked.all_inner_texts())
    page.get_by_test_id("article-body").get_by_test_id("quote-speaker").first.click()
    page.wait_for_url(re.compile(r"/people/"))
    said = page.get_by_test_id("what-they-said")
    assert said.is_visible()
    name = unquote(urlparse(page.url).path).removeprefix("/people/")
    assert set(said.get_by_test_id("quote-speaker").all_inner_texts()) == {name}
    said.get_by_test_id("all-quotes").click()
    page.wait_for_url(re.compile(r"/quotes\?speaker="))
    assert total(page) >= 4
