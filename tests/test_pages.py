"""The web page's HTML, without a browser: what is served, linked, escaped and reported."""

from __future__ import annotations

import re
from types import SimpleNamespace

from api.pages import entity_url, linked_body
from search.answers import ArticleEntity
from tests.conftest import CORPUS_SIZE


def hook_count(html: str, name: str) -> int:
    return html.count(f'data-testid="{name}"')


def test_landing_page_shows_the_archive_with_its_hooks(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.text
    assert re.search(rf'data-testid="total">{CORPUS_SIZE}<', html)
    assert hook_count(html, "result") == CORPUS_SIZE
    for hook in (
        "search-input",
        "result-title",
        "facet-people",
        "facet-places",
        "facet-month",
        "facet-value",
        "histogram",
        "export-csv",
    ):
        assert hook_count(html, hook) >= 1, hook
    assert "cdn" not in html.lower() and "https://" not in html  # nothing loaded from elsewhere


def test_filters_are_removable_chips_and_links_keep_the_search(client):
    html = client.get("/?q=prices&person=Angela+Merkel&from=2023-05&to=2023-06").text
    assert hook_count(html, "active-filter") == 2
    assert 'href="/?q=prices&amp;from=2023-05&amp;to=2023-06" aria-label="Remove filter Person: Angela Merkel"' in html
    assert 'href="/?q=prices&amp;person=Angela+Merkel" aria-label="Remove filter Dates: 2023-05 to 2023-06"' in html
    export = "/api/v1/search/export?q=prices&amp;person=Angela+Merkel&amp;from=2023-05&amp;to=2023-06&amp;format=csv"
    assert export in html


def test_bad_parameters_and_unknown_things_are_html_messages(client):
    response = client.get("/?from=2023-13")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "from: use YYYY, YYYY-MM or YYYY-MM-DD" in response.text
    assert client.get("/?size=1000").status_code == 400
    assert client.get("/?cursor=%%%").status_code == 400
    response = client.get("/people/Nobody%20At%20All")
    assert response.status_code == 404 and "No person called" in response.text
    response = client.get("/articles/nope")
    assert response.status_code == 404 and "Article not found" in response.text
    assert "Traceback" not in response.text


def test_unknown_page_parameters_are_ignored_but_the_api_still_rejects_them(client):
    assert client.get("/?utm_source=mail&q=prices").status_code == 200
    assert client.get("/api/v1/search?utm_source=mail").status_code == 400


def test_article_text_is_escaped_and_names_are_linked():
    body = 'Angela Merkel said <script>alert(1)</script> in Berlin.\n\nSecond "paragraph" & more.'
    entities = [
        ArticleEntity("organisation", 57, 63, body[57:63], "Second", None),
        ArticleEntity("person", 0, 13, body[0:13], "Angela Merkel", None),
        ArticleEntity("place", 46, 52, body[46:52], "Berlin", None),
        ArticleEntity("place", 48, 52, body[48:52], "overlaps and is skipped", None),
    ]
    article = SimpleNamespace(body=body, entities=entities)
    html = str(linked_body(article))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="entity person" href="/people/Angela%20Merkel"' in html
    assert '<a class="entity place" href="/places/Berlin"' in html and "overlaps" not in html
    assert html.count("<p>") == 2 and "&amp; more" in html
    assert '<a class="entity organisation" href="/organisations/Second"' in html


def test_names_with_slashes_and_quotes_reach_their_pages(client):
    assert entity_url("people", "A/B O'Neil?") == "/people/A%2FB%20O%27Neil%3F"
    response = client.get(entity_url("people", "A/B O'Neil?"))
    assert response.status_code == 404 and "A/B O&#39;Neil?" in response.text


def test_posted_html_in_an_article_is_shown_as_text(write_client):
    article = {
        "id": "xss",
        "date": "2024-05-01",
        "title": "<img src=x onerror=alert(1)>",
        "url": "javascript:alert(3)",
        "body": "Officials in <b>Paris</b> said <script>alert(2)</script> prices rose.",
    }
    posted = write_client.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer s3cret"})
    assert posted.status_code == 200, posted.json
    for url in ("/?q=prices", "/articles/xss"):
        html = write_client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Paris" not in html
        assert 'href="javascript:' not in html


def test_a_place_inside_a_hyphenated_word_is_linked_and_filterable(write_client):
    article = {
        "id": "tx",
        "date": "2024-05-02",
        "title": "Tandy results",
        "body": "Texas-based Tandy Corp said its U.S.-Japan sales rose.",
    }
    posted = write_client.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer s3cret"})
    assert posted.status_code == 200, posted.json
    body = write_client.get("/api/v1/articles/tx").get_json()
    places = {(e["text"], e["canonical"]) for e in body["entities"] if e["label"] == "place"}
    assert places == {("Texas", "Texas"), ("U.S.", "United States"), ("Japan", "Japan")}
    for e in body["entities"]:
        assert body["body"][e["start"] : e["end"]] == e["text"]
    html = write_client.get("/articles/tx").text
    assert '<a class="entity place" href="/places/Texas"' in html and "</a>-based" in html
    assert "</a>-<a " in html  # U.S. and Japan, each linked, the hyphen kept between them
    found = write_client.get("/api/v1/search?place=Texas").get_json()
    assert "tx" in [hit["id"] for hit in found["results"]]


def test_a_filter_in_another_case_still_shows_as_selected_and_toggles_off(client):
    html = client.get("/?person=angela+merkel").text
    link = re.search(r'<li class="selected">\s*<a class="facet-link" data-testid="facet-value" [^>]*>', html)
    assert link and 'data-value="Angela Merkel"' in link[0]
    assert 'href="/"' in link[0] and 'data-selected="true"' in link[0]


def test_a_search_stopped_by_the_time_limit_says_so(built_index):
    from api.app import create_app

    client = create_app({"INDEX_DIR": str(built_index), "TESTING": True, "SEARCH_TIME_LIMIT": 1e-9}).test_client()
    page = client.get("/?q=prices")
    assert page.status_code == 200 and b'data-testid="partial"' in page.data
    assert (
        b'data-testid="partial"'
        not in create_app({"INDEX_DIR": str(built_index), "TESTING": True}).test_client().get("/?q=prices").data
    )
