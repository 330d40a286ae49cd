"""Exploration on a corpus whose answers are known: associations, timelines, similar
articles, did-you-mean, export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api.app import create_app
from search import EntityNotFoundError, InvalidRequest, SearchRequest, ingest
from search.explore import log_likelihood_ratio
from search.export import csv_lines, ndjson_lines
from tests.plain import open_plain

TOPICS = ["energy prices", "gas storage", "trade rules", "defence spending"]


def corpus_records() -> list[dict]:
    records = []
    for i, topic in enumerate(TOPICS):
        # Merkel always with Macron in Paris; Washington is in every article.
        records.append(
            {
                "id": f"eu-{i}",
                "date": f"2023-0{1 + i}-10",
                "body": f"Chancellor Angela Merkel met President Emmanuel Macron in Paris to discuss {topic}.\n\n"
                "Officials in Washington said the talks went well.",
            }
        )
        records.append(
            {
                "id": f"asia-{i}",
                "date": f"2023-0{1 + i}-12",
                "body": f"President Joe Biden spoke with Prime Minister Fumio Kishida in Tokyo about {topic}.\n\n"
                "Officials in Washington said the talks went well.",
            }
        )
        # Macron without Merkel: Macron is not Merkel's shadow.
        records.append(
            {
                "id": f"fr-{i}",
                "date": f"2023-0{1 + i}-14",
                "body": f"President Emmanuel Macron visited Berlin to discuss {topic} with business leaders.\n\n"
                "Officials in Washington said the visit went well.",
            }
        )
    # A gap of four months before the last article.
    records.append(
        {
            "id": "late",
            "date": "2023-09-01",
            "body": "Chancellor Angela Merkel gave a speech in Paris about the economy.\n\n"
            "Officials in Washington said little.",
        }
    )
    return records


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in corpus_records()) + "\n")
    ingest(folder / "index", [feed], workers=1)
    return open_plain(folder / "index")


def values(items):
    return [item["value"] for item in items]


def test_person_page_ranks_real_associates_not_names_that_are_everywhere(explorer):
    page = explorer.entity("people", "angela merkel")
    assert page["name"] == "Angela Merkel"
    assert page["articles"] == 5
    assert (page["first_date"], page["last_date"]) == ("2023-01-10", "2023-09-01")
    assert values(page["people"])[0] == "Emmanuel Macron"
    macron = page["people"][0]
    assert macron["count"] == 4 and macron["score"] > 0
    assert values(page["places"])[0] == "Paris"
    # Washington is in every article: it co-occurs 5 times but is no associate.
    assert "Washington" not in values(page["places"])
    assert {a["id"] for a in page["top_articles"]} == {"eu-0", "eu-1", "eu-2", "eu-3", "late"}


def test_entity_timeline_is_zero_filled_over_its_whole_span(explorer):
    timeline = explorer.entity("people", "Angela Merkel")["timeline"]
    assert [(t["period"], t["count"]) for t in timeline] == [
        ("2023-01", 1),
        ("2023-02", 1),
        ("2023-03", 1),
        ("2023-04", 1),
        ("2023-05", 0),
        ("2023-06", 0),
        ("2023-07", 0),
        ("2023-08", 0),
        ("2023-09", 1),
    ]


def test_entity_page_respects_the_search_filters(explorer):
    page = explorer.entity("people", "Emmanuel Macron", q="gas", date_to="2023-06")
    assert page["articles"] == 2  # eu-1 and fr-1
    assert {a["id"] for a in page["top_articles"]} == {"eu-1", "fr-1"}


def test_unknown_name_offers_the_closest_known_names(explorer):
    with pytest.raises(EntityNotFoundError) as info:
        explorer.entity("people", "Angela Merkle")
    assert info.value.suggestions[0] == "Angela Merkel"


def test_log_likelihood_ratio_is_zero_for_independence_and_grows_with_association():
    independent, associated = log_likelihood_ratio([5, 50], [5, 0], [45, 0], [45, 50])
    assert independent == pytest.approx(0.0, abs=1e-9)
    assert associated > 50


def test_timeline_series_share_and_shared_range(explorer):
    answer = explorer.timeline(["person:Angela Merkel", "q:defence"], interval="month")
    assert [b["period"] for b in answer["buckets"]][0] == "2023-01"
    assert [b["period"] for b in answer["buckets"]][-1] == "2023-09"
    merkel, defence = answer["series"]
    assert merkel["counts"] == [1, 1, 1, 1, 0, 0, 0, 0, 1] and merkel["total"] == 5
    assert defence["counts"] == [0, 0, 0, 3, 0, 0, 0, 0, 0]
    assert merkel["share"][0] == pytest.approx(1 / 3, abs=1e-3)  # 1 of the 3 January articles
    assert merkel["share"][4] == 0.0  # no articles at all in May: share 0, not a division error


def test_timeline_rejects_bad_series_and_intervals(explorer):
    with pytest.raises(InvalidRequest) as info:
        explorer.timeline(["colour:blue"], interval="fortnight")
    assert set(info.value.errors) == {"series", "interval"}


def test_similar_never_returns_the_article_itself_and_says_why(explorer):
    for record in corpus_records():
        answer = explorer.similar(record["id"], size=5)
        assert record["id"] not in [r["id"] for r in answer["results"]]
    top = explorer.similar("eu-0", size=3)["results"][0]
    assert top["id"].startswith(("eu-", "late"))
    assert "Angela Merkel" in top["shared_people"]
    assert top["shared_terms"]


def test_misspelt_word_gets_a_suggestion_and_a_correct_one_does_not(explorer):
    wrong = explorer.search(q="dicsuss")
    assert wrong["total"] == 0
    assert wrong["suggestion"] == {"q": "discuss", "total": 8}
    assert explorer.search(q="discuss")["suggestion"] is None


def test_misspelt_person_gets_the_known_name(explorer):
    answer = explorer.search(person=["Angela Merkle"])
    assert answer["total"] == 0
    assert answer["suggestion"] == {"person": ["Angela Merkel"], "total": 5}


def test_export_rows_equal_the_total_and_parse_back(explorer):
    request = SearchRequest.build(q="talks OR visit", sort="oldest")
    total, rows = explorer.export(request, 100_000)
    text = "".join(csv_lines(rows))
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == total == explorer.search(q="talks OR visit")["total"] == 12
    assert [r["date"] for r in parsed] == sorted(r["date"] for r in parsed)
    assert list(parsed[0]) == [
        "id",
        "date",
        "headline",
        "title",
        "url",
        "source",
        "people",
        "places",
        "organisations",
        "score",
    ]
    merkel_rows = [r for r in parsed if r["id"].startswith("eu-")]
    assert all("Angela Merkel" in r["people"].split("; ") for r in merkel_rows)
    total, rows = explorer.export(request, max_rows=3)
    lines = [json.loads(line) for line in ndjson_lines(rows)]
    assert total == 12 and len(lines) == 3


@pytest.fixture(scope="module")
def explore_client(explorer):
    app = create_app({"INDEX_DIR": str(explorer.path), "TESTING": True, "EXPORT_MAX_ROWS": 5})
    return app.test_client()


def test_api_entity_pages_and_their_errors(explore_client):
    r = explore_client.get("/api/v1/people/Angela%20Merkel?size=3")
    assert r.status_code == 200 and r.get_json()["people"][0]["value"] == "Emmanuel Macron"
    assert explore_client.get("/api/v1/places/paris").get_json()["name"] == "Paris"
    missing = explore_client.get("/api/v1/people/Angela%20Merkle")
    body = missing.get_json()
    assert missing.status_code == 404 and body["errors"]["suggestions"][0] == "Angela Merkel"
    assert explore_client.get("/api/v1/people/Angela%20Merkel?size=0").status_code == 400


def test_api_timeline_similar_and_export(explore_client):
    r = explore_client.get("/api/v1/timeline?series=person:Angela%20Merkel&series=q:defence&interval=year")
    assert r.status_code == 200 and [s["total"] for s in r.get_json()["series"]] == [5, 3]
    assert explore_client.get("/api/v1/timeline?series=nope").status_code == 400
    assert explore_client.get("/api/v1/timeline?series=q:x&interval=decade").status_code == 400
    similar = explore_client.get("/api/v1/articles/eu-0/similar?size=2").get_json()
    assert len(similar["results"]) == 2 and "eu-0" not in [x["id"] for x in similar["results"]]
    assert explore_client.get("/api/v1/articles/nope/similar").status_code == 404
    export = explore_client.get("/api/v1/search/export?q=talks&format=csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    assert export.headers["X-Total-Count"] == "8" and export.headers["X-Export-Truncated"] == "true"
    assert len(list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))) == 5
    assert explore_client.get("/api/v1/search/export?format=xml").status_code == 400


def test_new_endpoints_are_in_the_openapi_document(explore_client):
    paths = explore_client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/people/{name}",
        "/api/v1/places/{name}",
        "/api/v1/timeline",
        "/api/v1/articles/{article_id}/similar",
        "/api/v1/search/export",
    ):
        assert path in paths
    assert "log-likelihood" in paths["/api/v1/people/{name}"]["get"]["description"]


def test_a_correction_that_would_be_an_invalid_query_is_not_offered(tmp_path):
    # "zq*" finds nothing, and the archive's closest word is "z": the corrected "z*" is a
    # query the parser refuses, so the search answers without a suggestion (not a 400).
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"id": f"gen-{n}", "date": "2024-01-0" + str(n + 1), "body": f"Generation Z shoppers {word}."})
            + "\n"
            for n, word in enumerate(["spent more", "saved more", "stayed home"])
        ),
        encoding="utf-8",
    )
    ingest(tmp_path / "ix", [feed], workers=1)
    answer = open_plain(tmp_path / "ix").search(q="zq*")
    assert answer["total"] == 0 and answer["suggestion"] is None
