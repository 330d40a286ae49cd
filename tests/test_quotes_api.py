"""Quotes indexed with their articles: /api/v1/quotes, export, article and person pages, the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from whoosh import index as whoosh_index

from api.app import create_app
from api.cli import main
from search import Article, ingest, open_index
from search import index as idx
from tests.conftest import EXAMPLE_ID

QUOTE_FIELDS = ("quotes", "speakers", "quote_kinds", "quote_list")


def test_q_matches_within_the_quoted_words_only(client):
    answer = client.get("/api/v1/quotes?q=Rafah").get_json()
    # "Rafah" is in the reference article's body many times; four quotes hold it.
    assert answer["total"] == 4
    assert all("<mark>Rafah</mark>" in r["text"] for r in answer["results"])
    assert {r["speaker"] for r in answer["results"]} == {"Benjamin Netanyahu", "Antony Blinken"}
    assert answer["sort"] == "relevance"
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)


def test_each_quote_must_hold_every_word_itself(client):
    both = client.get("/api/v1/quotes", query_string={"q": "civilians Rafah"}).get_json()
    either = client.get("/api/v1/quotes", query_string={"q": "civilians OR Rafah"}).get_json()
    # The reference article has quotes with each word but none with both.
    assert both["total"] == 0
    assert either["total"] > 4


def test_a_result_is_a_quote_and_facets_count_quotes(client):
    answer = client.get("/api/v1/quotes", query_string={"speaker": "Antony Blinken"}).get_json()
    assert answer["total"] == 4  # four quotes, all in one article
    assert {r["id"] for r in answer["results"]} == {EXAMPLE_ID}
    (value,) = answer["facets"]["speaker"]["results"]
    assert (value["value"], value["count"], value["selected"]) == ("Antony Blinken", 4, True)
    assert value["toggle_url"] == "/api/v1/quotes"  # removes the filter
    months = {v["value"]: v["count"] for v in answer["facets"]["month"]["results"]}
    assert months == {"2024-03": 4}


def test_speaker_facet_value_adds_the_filter(client):
    answer = client.get("/api/v1/quotes?q=Rafah").get_json()
    value = next(v for v in answer["facets"]["speaker"]["results"] if v["value"] == "Antony Blinken")
    assert value["count"] == 1
    narrowed = client.get(value["toggle_url"]).get_json()
    assert narrowed["total"] == 1
    assert narrowed["results"][0]["speaker"] == "Antony Blinken"


def test_pages_follow_the_cursor_without_gaps(client):
    everything = client.get("/api/v1/quotes?size=100").get_json()
    seen, url = [], "/api/v1/quotes?size=3"
    while url:
        answer = client.get(url).get_json()
        seen += [(r["id"], r["start"]) for r in answer["results"]]
        url = answer.get("next_url")
    assert len(seen) == everything["total"] > 3
    assert seen == [(r["id"], r["start"]) for r in everything["results"]]
    dates = [r["date"] for r in everything["results"]]
    assert dates == sorted(dates, reverse=True)


def test_article_filters_select_the_quotes_articles(client):
    march = client.get("/api/v1/quotes", query_string={"from": "2024-03", "to": "2024-03"}).get_json()
    assert march["total"] > 0 and all(r["date"].startswith("2024-03") for r in march["results"])
    tokyo = client.get("/api/v1/quotes", query_string={"place": "Tokyo"}).get_json()
    assert [r["speaker"] for r in tokyo["results"]] == ["Fumio Kishida"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"kind": "loud"}, "kind"),
        ({"facets": "people"}, "facets"),
        ({"cursor": "nonsense"}, "cursor"),
        ({"size": "0"}, "size"),
        ({"from": "2024-13"}, "from"),
        ({"speakers": "x"}, "speakers"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, parameter):
    response = client.get("/api/v1/quotes", query_string=query)
    assert response.status_code == 400
    assert any(key.split(".")[0] == parameter for key in response.get_json()["errors"])


def test_article_lists_its_quotes_with_offsets_into_the_body(client):
    article = client.get(f"/api/v1/articles/{EXAMPLE_ID}").get_json()
    quotes = article["quotes"]
    assert all(article["body"][q["start"] : q["end"]] == q["text"] for q in quotes)
    direct = [(q["text"][:20], q["speaker"]) for q in quotes if q["kind"] == "direct"]
    assert direct == [
        ("I also said that we ", "Benjamin Netanyahu"),
        ("I told him that I ho", "Benjamin Netanyahu"),
        ("But a major ground o", "Antony Blinken"),
        ("It risks killing mor", "Antony Blinken"),
    ]
    he = next(q for q in quotes if q["text"].startswith("But a major ground"))
    assert article["body"][he["speaker_start"] : he["speaker_end"]] == "he"


def test_person_page_has_their_latest_and_most_relevant_quotes(client):
    page = client.get("/api/v1/people/Antony Blinken").get_json()
    quotes = page["quotes"]
    assert quotes["total"] == 4
    assert len(quotes["recent"]) == len(quotes["relevant"]) == 3
    assert all(q["speaker"] == "Antony Blinken" for q in quotes["recent"] + quotes["relevant"])
    assert quotes["relevant"][0]["kind"] == "direct"
    about = client.get("/api/v1/people/Antony Blinken?q=civilians").get_json()["quotes"]
    assert about["total"] == 1 and "<mark>civilians</mark>" in about["relevant"][0]["text"]
    assert "quotes" not in client.get("/api/v1/places/Rafah").get_json()


def test_export_streams_every_matching_quote(client):
    response = client.get("/api/v1/quotes/export?q=Rafah")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "4"
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 4 and all("Rafah" in r["text"] and "<mark>" not in r["text"] for r in rows)
    lines = client.get("/api/v1/quotes/export?speaker=Antony Blinken&format=ndjson").data.decode().splitlines()
    assert {json.loads(line)["speaker"] for line in lines} == {"Antony Blinken"}


def test_speaker_aliases_merge_like_people(tmp_path):
    path = tmp_path / "index"
    ingest(
        path,
        [
            Article(
                id="a1",
                date=date(2024, 3, 1),
                title="Talks stall",
                body=(
                    "Prime Minister Benjamin Netanyahu met the envoy in Jerusalem on Monday.\n\n"
                    '"We will finish the job in Rafah," Netanyahu said.'
                ),
            ),
            Article(
                id="a2",
                date=date(2024, 4, 1),
                title="Army waits",
                body=(
                    "The army waited at the border on Tuesday.\n\n"
                    '"Nobody will stop us," Netanyahu told reporters in Tel Aviv.'
                ),
            ),
        ],
        workers=1,
    )
    answer = open_index(path).quotes(speaker="netanyahu")
    assert {(h.id, h.speaker) for h in answer.results} == {("a1", "Benjamin Netanyahu"), ("a2", "Benjamin Netanyahu")}
    assert [(v.value, v.count) for v in answer.facets["speaker"].results] == [("Benjamin Netanyahu", 2)]


def test_cli_quotes(built_index, capsys):
    assert main(["quotes", "Rafah", "--index", str(built_index), "--speaker", "Antony Blinken", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["total"] == 1 and answer["results"][0]["speaker"] == "Antony Blinken"
    assert main(["quotes", "--index", str(built_index), "--person", "Fumio Kishida"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 quotes") and "Fumio Kishida, said" in out
    assert main(["quotes", "--index", str(built_index), "--size", "0"]) == 2


def test_an_index_without_quotes_answers_none_and_no_500(tmp_path, corpus, monkeypatch):
    path = tmp_path / "old"
    path.mkdir()
    schema = idx.build_schema()
    for name in QUOTE_FIELDS:
        schema.remove(name)
    whoosh_index.create_in(str(path), schema, indexname=idx.INDEX_NAME)
    document = idx._document
    monkeypatch.setattr(
        idx,
        "_document",
        lambda item: {k: v for k, v in document(item).items() if k.removeprefix("_stored_") not in QUOTE_FIELDS},
    )
    ingest(path, [corpus], workers=1)
    client = create_app({"INDEX_DIR": str(path), "TESTING": True}).test_client()
    answer = client.get("/api/v1/quotes?q=Rafah&speaker=Antony Blinken")
    assert answer.status_code == 200 and answer.get_json()["total"] == 0
    assert client.get(f"/api/v1/articles/{EXAMPLE_ID}").get_json()["quotes"] == []
    assert client.get("/api/v1/people/Antony Blinken").get_json()["quotes"]["total"] == 0
    assert client.get("/api/v1/quotes/export").status_code == 200


def test_quotes_page_and_article_marks(client):
    page = client.get("/quotes?q=Rafah").get_data(as_text=True)
    assert page.count('data-testid="quote"') == 4 and 'data-testid="facet-speaker"' in page
    assert client.get("/quotes?from=2024-13").status_code == 400
    article = client.get(f"/articles/{EXAMPLE_ID}").get_data(as_text=True)
    body = article[article.index('data-testid="article-body"') :]
    body = body[: body.index("</div>")]
    assert body.count("<span") == body.count("</span>") >= 5  # well nested, across paragraphs too
    assert '<span class="quote direct" id="q-' in body and 'href="/people/Antony%20Blinken"' in body
    person = client.get("/people/Antony Blinken").get_data(as_text=True)
    assert 'data-testid="what-they-said"' in person and person.count('data-testid="quote-speaker"') == 6
