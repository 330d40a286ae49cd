"""The HTTP API over a real index: answers, drill-down URLs, one error shape, write endpoints."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import CORPUS_SIZE, EXAMPLE_ID


def assert_error(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["code"] == status and body["message"]
    if field:
        assert field in body["errors"], body
        assert field in body["message"]
    return body


def test_search_answers_hits_highlights_and_facets(client):
    r = client.get("/api/v1/search?q=Rafah&facets=people,places,month")
    assert r.status_code == 200
    body = r.get_json()
    assert list(body)[:5] == ["total", "took_ms", "page", "size", "sort"]
    assert body["total"] == 2 and {"results", "facets", "next"} <= set(body)
    example = next(x for x in body["results"] if x["id"] == EXAMPLE_ID)
    assert any("<mark>Rafah</mark>" in s for s in example["snippets"])
    people = body["facets"]["people"]
    assert people["name"] == "people" and people["truncated"] is False
    netanyahu = next(v for v in people["results"] if v["value"] == "Benjamin Netanyahu")
    assert netanyahu["count"] == 2 and netanyahu["selected"] is False


def test_toggle_urls_drill_down_and_back(client):
    body = client.get("/api/v1/search?q=energy&facets=people").get_json()
    merkel = next(v for v in body["facets"]["people"]["results"] if v["value"] == "Angela Merkel")
    narrowed = client.get(merkel["toggle_url"]).get_json()
    assert narrowed["total"] == merkel["count"] == 2
    chosen = next(v for v in narrowed["facets"]["people"]["results"] if v["value"] == "Angela Merkel")
    assert chosen["selected"] is True
    assert parse_qs(urlsplit(chosen["toggle_url"]).query) == {"q": ["energy"], "facets": ["people"]}
    assert client.get(chosen["toggle_url"]).get_json()["total"] == body["total"]


def test_month_toggle_url_filters_to_that_month(client):
    body = client.get("/api/v1/search?facets=month").get_json()
    may = next(v for v in body["facets"]["month"]["results"] if v["value"] == "2023-05")
    assert (may["from"], may["to"]) == ("2023-05-01", "2023-05-31")
    assert client.get(may["toggle_url"]).get_json()["total"] == may["count"] == 2


def test_next_url_pages_through_everything(client):
    url, seen = "/api/v1/search?size=4", []
    while url:
        body = client.get(url).get_json()
        seen += [x["id"] for x in body["results"]]
        url = body["next_url"]
    assert len(seen) == len(set(seen)) == CORPUS_SIZE


def test_repeated_person_and_place_filters_all_apply(client):
    r = client.get("/api/v1/search?person=Angela%20Merkel&place=Paris")
    assert [x["id"] for x in r.get_json()["results"]] == ["merkel-paris"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("size=100000", "size"),
        ("size=abc", "size"),
        ("from=2024-13-01", "from"),
        ("to=yesterday", "to"),
        ("sort=random", "sort"),
        ("facets=people,colour", "facets"),
        ("page=0", "page"),
        ("colour=blue", "colour"),
        ("q=*oil", "q"),
        ("place_scope=galaxy", "place_scope"),
        ("cursor=%%%", "cursor"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, query, field):
    assert_error(client.get(f"/api/v1/search?{query}"), 400, field)


def test_unknown_article_is_404_and_unknown_route_is_json(client):
    assert_error(client.get("/api/v1/articles/nope"), 404)
    assert_error(client.get("/api/v1/nothing-here"), 404)
    assert_error(client.post("/api/v1/search"), 405)


def test_article_endpoint(client):
    body = client.get(f"/api/v1/articles/{EXAMPLE_ID}").get_json()
    assert body["id"] == EXAMPLE_ID and body["date"] == "2024-03-23"
    for e in body["entities"]:
        assert body["body"][e["start"] : e["end"]] == e["text"]


def test_people_and_places_lists(client):
    body = client.get("/api/v1/people?prefix=merk").get_json()
    assert body["results"] == [{"value": "Angela Merkel", "count": 2}]
    places = client.get("/api/v1/places?q=Merkel").get_json()["results"]
    assert {"value": "Berlin", "count": 1} in places and {"value": "Paris", "count": 1} in places
    assert_error(client.get("/api/v1/people?size=0"), 400, "size")


def test_stats_and_health(client):
    stats = client.get("/api/v1/stats").get_json()
    assert stats["articles"] == CORPUS_SIZE
    assert stats["date_from"] == "2023-05-04" and stats["date_to"] == "2024-04-03"
    assert client.get("/api/v1/health").get_json() == {"status": "ok", "articles": CORPUS_SIZE}


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/search", "/api/v1/articles/{article_id}", "/api/v1/people", "/api/v1/stats"):
        assert path in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "person", "place", "from", "to", "sort", "page", "size", "facets"} <= names
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/search" in page.data


def test_missing_index_is_503_not_500(tmp_path):
    from api.app import create_app

    client = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True}).test_client()
    assert "ingest" in assert_error(client.get("/api/v1/search?q=x"), 503)["message"]


def test_write_endpoints_are_off_without_a_token(client):
    assert_error(client.post("/api/v1/articles", json={"id": "x"}), 403)
    assert_error(client.delete(f"/api/v1/articles/{EXAMPLE_ID}"), 403)


def test_write_endpoints_need_the_right_bearer_token(write_client):
    article = {"id": "new-1", "date": "2024-06-01", "body": "Angela Merkel visited Madrid."}
    assert_error(write_client.post("/api/v1/articles", json=article), 401)
    r = write_client.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer wrong"})
    assert_error(r, 401)


def test_post_indexes_articles_and_delete_removes_them(write_client):
    auth = {"Authorization": "Bearer s3cret"}
    article = {"id": "new-1", "date": "2024-06-01", "body": "Angela Merkel visited Madrid."}
    r = write_client.post("/api/v1/articles", json=article, headers=auth)
    assert r.status_code == 200 and r.get_json()["added"] == 1
    hits = write_client.get("/api/v1/search?q=Madrid").get_json()
    assert [x["id"] for x in hits["results"]] == ["new-1"]
    again = write_client.post("/api/v1/articles", json=[article], headers=auth).get_json()
    assert again["unchanged"] == 1
    assert write_client.delete("/api/v1/articles/new-1", headers=auth).status_code == 204
    assert write_client.get("/api/v1/search?q=Madrid").get_json()["total"] == 0
    assert_error(write_client.delete("/api/v1/articles/new-1", headers=auth), 404)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"id": "x", "date": "2024-01-01"}, "articles.0.body"),
        ([{"id": "x", "date": "not a date", "body": "b"}], "articles.0.date"),
        ([{"id": "x", "date": "2023-02-29", "body": "b"}], "articles.0.date"),
        ({"id": "x", "date": "2024-01-01", "body": "b", "colour": 1}, "articles.0.colour"),
        ({"articles": []}, "articles"),
    ],
)
def test_post_validation_errors_name_the_field(write_client, payload, field):
    r = write_client.post("/api/v1/articles", json=payload, headers={"Authorization": "Bearer s3cret"})
    assert_error(r, 400, field)
