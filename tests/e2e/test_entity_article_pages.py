"""Person, place and article pages in a real browser."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlparse

from tests.conftest import EXAMPLE_ID


def total(page) -> int:
    return int(page.get_by_test_id("total").inner_text())


def test_article_page_links_names_in_the_text_to_their_pages(page):
    page.goto("/?q=Merkel+Macron+Paris")
    page.get_by_test_id("result-title").first.click()
    page.wait_for_url(re.compile(r"/articles/merkel-paris$"))
    body = page.get_by_test_id("article-body")
    assert "German Chancellor" in body.inner_text()
    people = body.locator("a.entity.person")
    places = body.locator("a.entity.place")
    assert "Merkel" in " ".join(people.all_inner_texts())
    assert "Paris" in places.all_inner_texts()
    assert page.locator(".meta time").get_attribute("datetime") == "2023-05-04"
    people.first.click()
    page.wait_for_url(re.compile(r"/people/"))
    assert unquote(urlparse(page.url).path) == "/people/Angela Merkel"
    assert page.locator("h1").inner_text() == "Angela Merkel"
    assert page.get_by_test_id("entity-timeline").is_visible()
    assert page.get_by_test_id("cooccurrence").is_visible()


def test_person_page_timeline_cooccurrence_and_top_articles(page):
    page.goto("/people/Angela%20Merkel")
    timeline = page.get_by_test_id("entity-timeline")
    bars = timeline.locator("a.bar")
    assert sum(int(c) for c in bars.evaluate_all("bs => bs.map(b => b.dataset.count)")) == 2
    assert page.locator(".entity-page h2", has_text="Top articles").is_visible()
    assert page.locator(".plain-list li").count() == 2
    co = page.get_by_test_id("cooccurrence").locator("[data-testid=cooccurrence-value]", has_text="Emmanuel Macron")
    assert co.locator(".n").inner_text() == "1"
    co.click()
    page.wait_for_url(re.compile(r"person="))
    assert parse_qs(urlparse(page.url).query)["person"] == ["Angela Merkel", "Emmanuel Macron"]
    assert total(page) == 1
    assert [r.get_attribute("data-id") for r in page.get_by_test_id("result").all()] == ["merkel-paris"]
    assert page.get_by_test_id("active-filter").count() == 2


def test_entity_timeline_bar_searches_that_month(page):
    page.goto("/places/Washington")
    bars = page.get_by_test_id("entity-timeline").locator("a.bar:not(.zero)")
    month, count = bars.first.get_attribute("data-value"), int(bars.first.get_attribute("data-count"))
    bars.first.click()
    page.wait_for_url(re.compile(r"from="))
    query = parse_qs(urlparse(page.url).query)
    assert query["place"] == ["Washington"] and query["from"][0].startswith(month)
    assert total(page) == count


def test_unknown_name_is_a_page_with_suggestions(page):
    response = page.goto("/people/Angela%20Merkle")
    assert response.status == 404
    text = page.locator("main").inner_text()
    assert "No person called" in text
    page.get_by_role("link", name="Angela Merkel").click()
    page.wait_for_url(re.compile(r"/people/Angela%20Merkel$"))


def test_similar_articles_link_to_articles(page):
    page.goto(f"/articles/{EXAMPLE_ID}")
    similar = page.get_by_test_id("similar").locator("a")
    assert similar.count() >= 1
    similar.first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.get_by_test_id("article-body").is_visible()
