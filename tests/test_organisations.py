"""Organisations end to end (issue 15): canonical names, the archive's evidence of what a
name is, the facet, filter, list and page endpoints, the web page and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields, index

from api.app import create_app
from api.cli import EXIT_OK, main
from search import ingest
from search.analysis.entities import recognise_entities
from search.analysis.organisations import (
    judge_people,
    merge_organisation_aliases,
    merge_organisations_within_article,
    name_evidence,
    organisation_name,
)
from search.index import INDEX_NAME, build_schema
from tests.plain import open_plain

# Newswire in the style of 1987: a firm written with its designator and ticker, later
# alone; the same firm in another article with only "its" to say what it is; a person
# with a title and "he"; a surname alone elsewhere; an acronym with its long form.
ARTICLES = {
    "salomon-prime.txt": " date 1987-03-02 Prime rate raised\n\n"
    "Salomon Brothers Inc <SB> said it raised its prime rate to 7.75 pct. Salomon said the "
    "change takes effect tomorrow.\n",
    "salomon-bonds.txt": " date 1987-03-03 Bonds rally in New York\n\n"
    "Treasury bonds rallied on Tuesday, dealers said. Salomon said its economists expect lower "
    "rates.\n",
    "baker-dollar.txt": " date 1987-03-04 Dollar stable, Treasury says\n\n"
    "Treasury Secretary James Baker said on Wednesday the dollar was stable. Baker said he saw no "
    "need for intervention.\n",
    "baker-tokyo.txt": " date 1987-03-05 Dollar falls in Tokyo\n\n"
    "The dollar fell in Tokyo after Baker said he would meet Japanese officials.\n",
    "merrill-oil.txt": " date 1987-03-06 Higher oil prices forecast\n\n"
    "Merrill Lynch and Co Inc raised its forecast. Merrill Lynch & Co. analysts said oil would "
    "rise. The European Monetary System (EMS) is stable, EMS officials said.\n",
    "wagner-market.txt": " date 1987-03-09 Market seen higher\n\n"
    "Analysts at Wagner said the market would rise, according to Wagner.\n",
}


def write_corpus(folder: Path, names=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        if names is None or name in names:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def org_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("orgs")
    path = root / "index"
    report = ingest(path, [write_corpus(root / "corpus")], workers=1)
    assert report.added == len(ARTICLES)
    return path


@pytest.fixture(scope="module")
def org_client(org_index):
    return create_app({"INDEX_DIR": str(org_index), "TESTING": True}).test_client()


# Canonical names, one article at a time


@pytest.mark.parametrize(
    "mention, name",
    [
        ("Merrill Lynch and Co Inc", "Merrill Lynch"),
        ("Merrill Lynch & Co.", "Merrill Lynch"),
        ("Goldman, Sachs and Co", "Goldman Sachs"),
        ("Salomon Brothers Inc", "Salomon Brothers"),
        ("Morgan Stanley Group Inc", "Morgan Stanley"),
        ("NV Philips", "Philips"),
        ("The Boeing Co", "Boeing"),
        ("Reuters", "Reuters"),
        ("Corp", "Corp"),
    ],
)
def test_designators_and_punctuation_leave_the_name(mention, name):
    assert organisation_name(mention) == name


def test_a_lone_name_a_ticker_and_an_acronym_join_their_firm_in_one_article():
    text = (
        "Salomon Brothers Inc <SB> said it raised its prime rate. Salomon said the change takes effect tomorrow. "
        "The European Monetary System (EMS) is stable, EMS officials said."
    )
    names = {e.text: e.canonical for e in recognise_entities(text) if e.label == "organisation"}
    assert names == {
        "Salomon Brothers Inc": "Salomon Brothers",
        "SB": "Salomon Brothers",
        "Salomon": "Salomon Brothers",
        "European Monetary System": "European Monetary System",
        "EMS": "European Monetary System",
    }


def test_two_firms_that_a_lone_word_could_begin_keep_the_word_apart():
    text = "First Chicago Corp and First Boston Corp met. First said nothing."
    found = merge_organisations_within_article(
        [(0, 18, "First Chicago Corp"), (23, 38, "First Boston Corp"), (44, 49, "First")], text
    )
    assert found[(44, 49)] == "First"


# What an article shows a name to be


def test_its_a_ticker_and_shares_show_an_organisation_he_and_a_title_a_person():
    text = "Treasury bonds rallied. Salomon said its economists expect lower rates."
    assert name_evidence(text, recognise_entities(text)) == (("Salomon",), ())
    text = "Treasury Secretary James Baker said on Wednesday the dollar was stable. Baker said he saw it."
    assert name_evidence(text, recognise_entities(text)) == ((), ("James Baker",))
    text = "Shares of Kodak rose."
    ents = [e for e in recognise_entities(text) if e.label in ("person", "organisation")]
    assert name_evidence(text, ents)[0] == tuple(e.canonical for e in ents)


def test_it_alone_is_no_evidence_of_a_firm():
    text = "Secretary of State George Shultz spoke. Shultz said it was a mistake."
    assert name_evidence(text, recognise_entities(text))[0] == ()


# What the archive makes of the evidence


def test_the_archive_judges_each_name_on_its_own_evidence():
    counts = {"Salomon": 5, "Oliver North": 9, "North": 2, "Baker": 4, "Wagner": 3}
    moved, unlisted = judge_people(
        counts,
        organisation_evidence={"salomon": 2, "north": 3},
        person_evidence={"baker": 1, "north": 1},
        merged={"North": "Oliver North"},
    )
    # "North" has more firm than person evidence; "Oliver North" none of its own.
    assert moved == {"Salomon": "Salomon", "North": "North"}
    assert unlisted == {"Wagner"}


def test_organisation_aliases_join_a_word_and_an_acronym_to_their_longer_names():
    merged = merge_organisation_aliases(
        {
            "Salomon": 2,
            "Salomon Brothers": 5,
            "Texaco": 50,
            "Texaco Canada": 3,
            "OPEC": 40,
            "Organization of Petroleum Exporting Countries": 4,
            "Standard and Poor's": 3,
            "Standard & Poor's": 6,
        }
    )
    assert merged == {
        "Salomon": "Salomon Brothers",
        "Organization of Petroleum Exporting Countries": "OPEC",
        "Standard and Poor's": "Standard & Poor's",
    }


# The index, the API, the page and the CLI


def test_the_facets_follow_the_evidence_of_the_whole_archive(org_index):
    engine = open_plain(org_index)
    people = {e["value"]: e["count"] for e in engine.entities("people", size=50)["results"]}
    organisations = {e["value"]: e["count"] for e in engine.entities("organisations", size=50)["results"]}
    assert people == {"James Baker": 2}  # "Baker" merged; "Wagner" has no evidence
    assert organisations["Salomon Brothers"] == 2  # the second article's "Salomon" too
    assert organisations["Merrill Lynch"] == 1
    assert organisations["European Monetary System"] == 1
    assert "Salomon" not in people and "Wagner" not in organisations


def test_a_new_article_changes_what_a_name_is_without_re_analysis(tmp_path):
    path = tmp_path / "index"
    ingest(path, [write_corpus(tmp_path / "one", {"salomon-bonds.txt"})], workers=1)
    # Alone, "Salomon said its economists" already shows a firm.
    assert [e["value"] for e in open_plain(path).entities("organisations")["results"]] == ["Salomon"]
    ingest(path, [write_corpus(tmp_path / "two", {"salomon-prime.txt"})], workers=1)
    engine = open_plain(path)
    assert {e["value"]: e["count"] for e in engine.entities("organisations")["results"]} == {"Salomon Brothers": 2}


def test_search_filters_and_counts_organisations(org_index):
    engine = open_plain(org_index)
    result = engine.search(organisation=["salomon brothers"], facets=["organisations", "people"])
    assert sorted(h["id"] for h in result["results"]) == ["salomon-bonds", "salomon-prime"]
    assert [v["value"] for v in result["facets"]["organisations"]["results"]] == ["Salomon Brothers"]
    assert all(h["organisations"] == ["Salomon Brothers"] for h in result["results"])
    assert engine.search(organisation=["Salomon Brothers", "Merrill Lynch"])["total"] == 0
    assert engine.search(organisation=["No Such Firm"])["total"] == 0


def test_organisation_endpoints(org_client):
    listed = org_client.get("/api/v1/organisations?prefix=sal").get_json()
    assert listed["results"] == [{"value": "Salomon Brothers", "count": 2}]
    filtered = org_client.get("/api/v1/organisations?person=James Baker").get_json()
    assert "Salomon Brothers" not in {r["value"] for r in filtered["results"]}
    page = org_client.get("/api/v1/organisations/salomon brothers").get_json()
    assert page["name"] == "Salomon Brothers" and page["articles"] == 2 and page["kind"] == "organisations"
    assert {"Salomon", "SB"} <= set(page["aliases"])
    assert org_client.get("/api/v1/organisations/Nobody Inc").status_code == 404
    search = org_client.get("/api/v1/search?organisation=Merrill Lynch&facets=organisations").get_json()
    assert [r["id"] for r in search["results"]] == ["merrill-oil"]
    value = next(v for v in search["facets"]["organisations"]["results"] if v["value"] == "Merrill Lynch")
    assert value["selected"] and "organisation=" not in value["toggle_url"]
    timeline = org_client.get("/api/v1/timeline?series=organisation:Salomon Brothers").get_json()
    assert timeline["series"][0]["total"] == 2
    export = org_client.get("/api/v1/search/export?organisation=Salomon Brothers&format=csv").get_data(as_text=True)
    assert export.splitlines()[0].split(",")[-2] == "organisations"
    assert "Salomon Brothers" in export.splitlines()[1]


def test_the_web_page_lists_links_and_shows_organisations(org_client):
    html = org_client.get("/?q=rates").get_data(as_text=True)
    assert 'data-testid="facet-organisations"' in html and "/organisations/Salomon%20Brothers" in html
    page = org_client.get("/organisations/Salomon Brothers")
    assert page.status_code == 200 and "Salomon Brothers" in page.get_data(as_text=True)
    article = org_client.get("/articles/salomon-prime").get_data(as_text=True)
    assert 'class="entity organisation" href="/organisations/Salomon%20Brothers"' in article


def test_cli_filters_by_organisation(org_index, capsys):
    assert main(["search", "--index", str(org_index), "--organisation", "Merrill Lynch", "--json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert '"merrill-oil"' in out and '"salomon-prime"' not in out


def test_an_index_without_the_organisation_field_answers_empty_organisations(tmp_path):
    path = tmp_path / "old"
    path.mkdir()
    old = fields.Schema(
        **{
            name: field
            for name, field in build_schema().items()
            if name not in ("organisations", "organisation_evidence", "person_evidence")
        }
    )
    index.create_in(str(path), old, indexname=INDEX_NAME)
    ingest(path, [write_corpus(tmp_path / "corpus")], workers=1)
    client = create_app({"INDEX_DIR": str(path), "TESTING": True}).test_client()
    assert client.get("/api/v1/organisations").get_json()["results"] == []
    answer = client.get("/api/v1/search?facets=organisations,people&organisation=Salomon")
    assert answer.status_code == 200 and answer.get_json()["total"] == 0
    # Without evidence the people facet is as before: nothing moved or hidden.
    people = {r["value"] for r in client.get("/api/v1/people").get_json()["results"]}
    assert "Salomon" in people or "Wagner" in people


def test_partners_names_before_a_designator_are_a_firm_a_comma_alone_is_not():
    text = "Duff and Phelps Inc rated the debt. Duff said its view was unchanged."
    assert "Duff" in name_evidence(text, recognise_entities(text))[0]
    text = "The offer was made, said John Smith, Acme Corp's president."
    assert "John Smith" not in name_evidence(text, recognise_entities(text))[0]


def _labelled(text: str) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in recognise_entities(text)]


def _found_as(label: str, names, text: str) -> list[tuple[str, str]]:
    """Assert that each of `names` is recognised in `text` with `label`; return all found."""
    found = _labelled(text)
    for name in names:
        assert (label, name) in found, (name, found)
    return found


@pytest.mark.parametrize(
    ("text", "organisation", "place"),
    [
        (
            "Credit Suisse and Deutsche Bank AG were fined by the U.S. Federal Trade Commission.",
            "U.S. Federal Trade Commission",
            "U.S.",
        ),
        ("The Bank of England raised rates on Thursday.", "Bank of England", "England"),
        ("She studied at the University of Chicago in 1990.", "University of Chicago", "Chicago"),
    ],
)
def test_a_place_inside_an_organisations_name_is_nested_in_one_organisation(text, organisation, place):
    found = _labelled(text)
    assert ("organisation", organisation) in found
    assert ("place", place) in found  # nested in it, as the API lists it
    # no second organisation cut from the same name
    assert not any(label == "organisation" and name != organisation and name in organisation for label, name in found)


def test_a_demonym_opens_the_organisations_name():
    assert ("organisation", "Russian Foreign Ministry") in _labelled("The Russian Foreign Ministry said so on Monday.")
    assert ("organisation", "Chinese Communist Party") in _labelled("The Chinese Communist Party met in Beijing.")


def test_a_designator_ended_name_takes_its_first_word_at_a_sentences_start():
    assert ("organisation", "Credit Suisse Group AG") in _labelled(
        "Credit Suisse Group AG and Deutsche Bank AG were fined on Monday."
    )


def test_a_curly_apostrophe_ends_the_name_as_a_straight_one_does():
    curly = _labelled("Apple’s chief said Microsoft’s cloud grew.")
    assert curly == _labelled("Apple's chief said Microsoft's cloud grew.")
    assert ("organisation", "Microsoft") in curly


def test_an_organisations_name_ends_before_a_possessive_and_never_in_a_joint():
    from search.analysis.rules.organisations import trim_organisation_edges

    words = ["I", "welcome", "the", "Court", "'s", "questions", "."]
    tags = ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["O", "O", "O", "B-ORG", "O", "O", "O"]
    words = ["Macy", "'s", "and", "Hecht", "'s", "opened"]
    tags = ["B-ORG", "I-ORG", "I-ORG", "B-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O"]


def test_a_comma_before_inc_stays_in_the_name_a_newspaper_is_no_place_and_a_law_no_firm():
    from search.analysis.rules.organisations import mark_companies, mark_named_kinds

    words = ["He", "joined", "Constellation", "Power", "Source", ",", "Inc.", "in", "May"]
    tags = ["O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O"]
    assert mark_companies(words, tags)[2:7] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"]
    words = ["The", "Dallas", "Morning", "News", "backed", "the", "HEROES", "Act"]
    tags = ["O", "B-LOC", "I-LOC", "I-LOC", "O", "O", "B-ORG", "I-ORG"]
    assert mark_named_kinds(words, tags) == ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "B-MISC", "I-MISC"]


def test_what_an_organisation_owns_is_no_part_of_its_name():
    from search.analysis.rules.organisations import trim_organisation_edges

    words = ["at", "Columbia", "University", "'s", "Developing", "Librarian", "project"]
    tags = ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["O", "B-ORG", "I-ORG", "O", "O", "O", "O"]


SPORTS_WIRE = """Soccer results on Saturday:
Arsenal 2 Chelsea 1
Bolton 2 ( Blake 40 , Sheridan 60 ) Charlton 1 ( Robson 60 )

Standings (played, won, drawn, lost, goals for, against, points):
Barcelona 5 4 1 0 12 3 13
Real Madrid 5 3 2 0 10 4 11

Scotland 1 Belarus 0. Tom Lehman 68 70 72 65 275. Fans flew home on Sunday."""


def test_clubs_on_results_lines_and_standings_are_organisations_a_country_a_place():
    found = _labelled(SPORTS_WIRE)
    for club in ("Arsenal", "Chelsea", "Bolton", "Charlton", "Barcelona", "Real Madrid"):
        assert ("organisation", club) in found
    # a national team named after its country stays the country, as newswire tags it
    assert ("place", "Scotland") in found and ("organisation", "Scotland") not in found
    # a golfer's scores do not make him a club; scorers in brackets stay people or nothing
    assert ("organisation", "Tom Lehman") not in found
    assert not any(label == "organisation" and text in ("Blake", "Robson", "Sheridan")
                   for label, text in found)
    # the scores are no part of a club's name
    assert not any(label == "organisation" and any(c.isdigit() for c in text)
                   for label, text in found)


@pytest.mark.parametrize(("text", "names"), [
    ("The war between Microsoft and Google is heating up.", ["Microsoft", "Google"]),
    ("Leaders of Spotify, Tesla, Uber and Snapchat will attend a dinner.", ["Snapchat"]),
    ("He visited both the University of California and Columbia University in 1910.",
     ["University of California", "Columbia University"]),
])
def test_an_organisation_that_lists_names_is_those_names(text, names):
    found = _labelled(text)
    for name in names:
        assert ("organisation", name) in found
    assert not any(label == "organisation" and (" and " in name or ", " in name)
                   for label, name in found)


@pytest.mark.parametrize(("text", "name"), [
    ("The Securities and Exchange Commission fined the bank.", "Securities and Exchange Commission"),
    ("The Department of Health and Human Services said so.", "Department of Health and Human Services"),
    ("Merrill Lynch and Co said its profit rose.", "Merrill Lynch and Co"),
])
def test_one_organisation_named_with_and_stays_one(text, name):
    assert ("organisation", name) in _labelled(text)


def test_common_words_and_a_role_after_an_organisations_name_are_no_part_of_it():
    from search.analysis.rules.organisations import trim_organisation_edges

    words = ["she", "told", "CBC", "News", "the", "department", "will", "look"]
    tags = ["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"]
    assert trim_organisation_edges(words, tags)[2:6] == ["B-ORG", "I-ORG", "O", "O"]
    words = ["The", "Police", "Review", "Director", ",", "Gerry", "McNeilly"]
    tags = ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-PER", "I-PER"]
    assert trim_organisation_edges(words, tags)[1:4] == ["B-ORG", "I-ORG", "O"]
    # a place before common words is the place ("a girl at her Abbotsford high school")
    words = ["her", "Abbotsford", "high", "school", "."]
    tags = ["O", "B-ORG", "I-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["O", "B-LOC", "O", "O", "O"]
    words = ["the", "Dutch", "central", "bank", "said"]
    tags = ["O", "B-MISC", "B-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["O", "B-MISC", "O", "O", "O"]
    words = ["leaving", "the", "Allawi", "government", "raises"]
    tags = ["O", "O", "B-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, tags) == ["O", "O", "B-PER", "O", "O"]
    # in a headline re-cased from capitals a lower-case word may be the name's own
    words = ["National", "Association", "of", "home", "builders", "said"]
    tags = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    assert trim_organisation_edges(words, list(tags), recased=True) == tags


def test_a_headline_in_capitals_and_partners_names_keep_their_words_as_the_model_read_them():
    from search.analysis.rules.organisations import split_coordinated_names

    words = ["Toads", "and", "catfish", "thrive"]
    tags = ["B-ORG", "I-ORG", "I-ORG", "O"]
    assert split_coordinated_names(words, list(tags), recased=True) == tags
    words = ["Tesla", ",", "Uber", "and", "Snapchat", "agree"]
    tags = ["B-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "O"]
    assert split_coordinated_names(words, list(tags)) == ["B-ORG", "O", "B-ORG", "O", "B-ORG", "O"]
    # partners' names outside a list are one firm's as often as two firms'
    words = ["rated", "by", "Standard", "and", "Poor", "'s"]
    tags = ["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert split_coordinated_names(words, list(tags)) == tags


def test_a_name_before_a_stocks_exchange_code_is_a_firm():
    found = _labelled("Shares of Apple (AAPL.O) rose while Alphabet (GOOGL.O) and Lyft "
                      "(LYFT.O) fell, and Germany's Deutsche Bank (DBKGn.DE) was flat.")
    for firm in ("Apple", "Alphabet", "Lyft", "Deutsche Bank"):
        assert ("organisation", firm) in found
    assert ("place", "Germany") in found
    assert not any(label == "organisation" and "." in name for label, name in found)


@pytest.mark.parametrize(("text", "teams", "places"), [
    ("Juventus beat AC Milan 2-1 in Turin on Sunday.", ["Juventus", "AC Milan"], ["Turin"]),
    ("Ajax drew with Vitesse Arnhem 1-1.", ["Ajax", "Vitesse Arnhem"], []),
    ("Japan beat Syria 2-1 in the Asian Cup.", [], ["Japan", "Syria"]),
    ("Liverpool beat Chelsea at Anfield, while Manchester United drew with Tottenham Hotspur.",
     ["Liverpool", "Chelsea", "Manchester United", "Tottenham Hotspur"], []),
    ("Arsenal lost to Brighton after a late goal.", ["Arsenal", "Brighton"], []),
])
def test_the_sides_of_a_matchs_result_in_prose_are_teams(text, teams, places):
    found = _labelled(text)
    for team in teams:
        assert ("organisation", team) in found
    for place in places:
        assert ("place", place) in found


def test_without_a_score_people_who_beat_people_stay_people():
    for text, people in (("Nadal beat Federer to win his 20th title.", ("Nadal", "Federer")),
                         ("Biden beat Trump in Pennsylvania.", ("Biden", "Trump"))):
        found = _labelled(text)
        assert all(("person", name) in found for name in people), found


def test_a_tennis_score_or_a_first_name_keeps_the_players_people():
    assert ("person", "Monica Seles") in _labelled("Steffi Graf beat Monica Seles 6-3.")
    assert not any(label == "organisation" for label, _ in _labelled("Graf beat Seles 6-3 6-4."))


@pytest.mark.parametrize(("text", "firms"), [
    ("Oil refinery workers picketed the state oil company Ecopetrol on Monday.", ["Ecopetrol"]),
    ("A plan still stands, an official at French sugar producer Beghin-Say said.", ["Beghin-Say"]),
    ("He joined the Paris brokerage house Fauchier-Magnan last year.", ["Fauchier-Magnan"]),
    ("Its subsidiary Westar Mining is in talks with the banks.", ["Westar Mining"]),
])
def test_a_name_after_a_firms_noun_is_a_firm(text, firms):
    found = _labelled(text)
    for firm in firms:
        assert ("organisation", firm) in found


@pytest.mark.parametrize(("text", "person"), [
    ("The company Tuesday said profits rose, and its miner Ange-Marie Kenney was hurt.", "Ange-Marie Kenney"),
    ("Police questioned the Frankfurt money broker Joachim Schmidt.", "Joachim Schmidt"),
])
def test_a_person_after_a_firms_noun_stays_a_person(text, person):
    found = _labelled(text)
    assert ("person", person) in found
    assert not any(label == "organisation" and name in ("Tuesday", "I") for label, name in found)


def test_the_first_word_of_a_firm_named_with_a_designator_is_the_firm_alone():
    found = _labelled(
        "Emery Air Freight Corp said it would bid for Purolator Courier Corp. "
        "It offered 40 dlrs for 83 pct of Purolator common. Purolator closed at 34-7/8. "
        "Viacom International Inc said Viacom's loss widened."
    )
    assert ("organisation", "Purolator") in found and ("person", "Purolator") not in found
    assert ("organisation", "Viacom") in found and ("place", "Viacom") not in found


def test_a_firms_first_word_stays_a_place_or_a_person_where_the_text_says_so():
    found = _labelled(
        "Norfolk Southern Corp said it would build offices in downtown Norfolk. "
        "Ford Motor Co said Henry Ford spoke."
    )
    assert ("place", "Norfolk") in found
    assert ("person", "Henry Ford") in found


def test_common_acronyms_name_nothing_and_exchanges_are_organisations():
    found = _labelled("The IPO raised $1 billion, its CEO said, as GDP and CPI data and AI stocks moved "
                      "and Moderna Inc shares fell on the Nasdaq.")
    assert ("organisation", "Nasdaq") in found
    assert not any(name in ("IPO", "CEO", "GDP", "CPI", "AI") for _, name in found)


@pytest.mark.parametrize("firm", ["Johnson & Johnson", "Marks & Spencer", "Procter & Gamble Co"])
def test_names_joined_by_an_ampersand_are_one_firm(firm):
    assert ("organisation", firm) in _labelled(f"Shares of {firm} rose on Tuesday, traders said.")


def test_firms_with_designators_listed_with_and_are_two_firms_and_what_one_owns_a_name():
    found = _labelled("Amazon.com Inc and Alphabet Inc's Google faced new antitrust suits.")
    for firm in ("Amazon.com Inc", "Alphabet Inc", "Google"):
        assert ("organisation", firm) in found
    found = _labelled("Facebook's Mark Zuckerberg testified.")
    assert ("organisation", "Facebook") in found and ("person", "Mark Zuckerberg") in found
    found = _labelled("Burns Fry Ltd and Richardson Greenshields of Canada Ltd sold the shares "
                      "after Congress's Easter recess.")
    assert ("organisation", "Burns Fry Ltd") in found
    assert ("organisation", "Richardson Greenshields of Canada Ltd") in found
    assert not any(name == "Easter" for _, name in found)


def test_legislatures_shares_and_lists_of_firms_show_organisations_and_roles_end_them():
    found = _found_as("organisation", ("House", "Senate", "Moderna", "AstraZeneca", "Fed"),
                      "House Speaker Nancy Pelosi and Senate Majority Leader Mitch McConnell met as "
                      "BioNTech and Pfizer said their vaccine worked, sending shares of Moderna and "
                      "AstraZeneca higher, and Fed Chair Jerome Powell spoke.")
    assert ("person", "Nancy Pelosi") in found


def test_places_and_people_near_firms_keep_their_kind():
    found = _labelled("Dominion Securities Inc will sell six mln shares in Canada. Trump and Pelosi met. "
                      "It merged Central Bank and Trust Co, Glenmora, La., with Peoples Bank.")
    assert ("place", "Canada") in found
    assert ("person", "Pelosi") in found or ("person", "Trump") in found
    assert ("organisation", "Glenmora") not in found


def test_bodies_founders_firms_and_groups_of_states_are_whole_organisations():
    found = _labelled(
        "The Organization of the Petroleum Exporting Countries and allies, a group known as OPEC+, "
        "met as the Centers for Disease Control and Prevention and the Federal Trade Commission and "
        "48 states spoke. Goldman Sachs analysts and Morgan Stanley disagreed, and representatives "
        "for Netflix and Walt Disney Co did not respond."
    )
    for body in ("Organization of the Petroleum Exporting Countries", "OPEC+",
                 "Centers for Disease Control and Prevention", "Federal Trade Commission",
                 "Goldman Sachs", "Morgan Stanley", "Netflix", "Walt Disney Co"):
        assert ("organisation", body) in found, body


@pytest.mark.parametrize("firm", ["Standard and Poor's Corp", "Mitsui and Co USA Inc",
                                  "Australia and New Zealand Banking Group Ltd"])
def test_a_firm_named_with_and_stays_one_firm(firm):
    found = _labelled(f"The {firm} said it cut its rating on Tuesday.")
    assert not any(label == "organisation" and name != firm and name in firm for label, name in found), found


def test_named_bodies_rating_agencies_and_roles_inside_a_name():
    found = _found_as("organisation", ("World Trade Organization", "Moody's", "S&P Global Ratings", "NATO"),
                      "Officials from the World Trade Organization met as Moody's cut the rating, "
                      "S&P Global Ratings followed and NATO Secretary-General Jens Stoltenberg spoke.")
    assert ("person", "Jens Stoltenberg") in found


def test_a_firm_after_a_firms_possessive_is_no_person():
    found = _labelled("Sun Co's Sun Refining and Marketing Co subsidiary said it raised prices.")
    assert ("organisation", "Sun Refining and Marketing Co") in found
    assert not any(label == "person" for label, _ in found)


def test_firms_after_shares_of_or_analysts_at_and_a_countrys_possessive_splits_a_list():
    found = _found_as("organisation",
                      ("Tesla", "JPMorgan", "Eni", "Total", "Organisation for the Prohibition of Chemical Weapons"),
                      "Shares of Tesla rose after analysts at JPMorgan spoke, and Italy's Eni and "
                      "France's Total struck gas, as the Organisation for the Prohibition of Chemical "
                      "Weapons met. It bought a stake in Oporto-based Banco Portugues.")
    assert ("place", "France") in found
    assert ("organisation", "Oporto-based") not in found


def test_two_brands_joined_by_and_are_two_firms_partners_surnames_one():
    _found_as("organisation", ("Apple", "Google", "Uber", "Lyft"),
              "Apple and Google released a tool, while Uber and Lyft rose.")
    found = _labelled("Shares of Procter and Gamble and Black and Decker rose.")
    assert not any(label == "organisation" and name in ("Procter", "Gamble", "Black", "Decker")
                   for label, name in found), found
    found = _labelled("The utility has 350 mln dlrs of debt outstanding.\n\nS and P said the upgrade reflected it.")
    assert ("organisation", "S and P") in found


def test_brands_bodies_before_their_noun_and_a_places_body_are_organisations():
    _found_as("organisation", ("Chicago Board of Trade",), "Wheat futures on the Chicago Board of Trade rose.")
    _found_as("organisation", ("SpaceX", "NASA", "Amaq", "Hong Kong Monetary Authority", "Liverpool", "Fulham"),
              "SpaceX launched astronauts for NASA, its Amaq news agency said, as the Hong Kong Monetary "
              "Authority intervened. Chelsea beat Leeds United 3-1, while Liverpool drew at Fulham.")
    found = _labelled("Giordano was in Sydney to start an Asian-Pacific tour by exchange executives. "
                      "Senator Joseph McCarthy and Ron DeSantis spoke.")
    assert not any(label == "organisation" for label, _ in found), found


def test_a_verb_inside_an_organisation_ends_it_and_bodies_before_their_noun():
    _found_as("organisation", ("U.S. Justice Department", "Google"), "The U.S. Justice Department sued Google.")
    _found_as("organisation", ("Bundesbank", "Ifo"),
              "The Bundesbank said Germany's economy would shrink by 7.1% this year, and the Ifo institute agreed.")
    _found_as("organisation", ("UBS Group AG", "FINMA"), "UBS Group AG and Swiss regulator FINMA said so.")
    _found_as("organisation", ("Bank fuer Gemeinwirtschaft AG",), "Bank fuer Gemeinwirtschaft AG said profits fell.")
    found = _labelled("The New York-based subsidiary will start on Monday.")
    assert not any(label == "organisation" for label, _ in found), found


@pytest.mark.parametrize(("text", "teams", "places"), [
    ("Bayern Munich thrashed Schalke 04 8-0 in the Bundesliga opener.", ["Bayern Munich", "Schalke 04"], []),
    ("LeBron James scored 30 points as the Los Angeles Lakers beat the Miami Heat 116-98.",
     ["Los Angeles Lakers", "Miami Heat"], []),
    ("Liverpool manager Juergen Klopp praised his side.", ["Liverpool"], []),
    ("England coach Gareth Southgate named his squad.", [], ["England"]),
])
def test_teams_in_results_with_numbers_and_before_a_role(text, teams, places):
    _found_as("organisation", teams, text)
    _found_as("place", places, text)


def test_a_teams_possessive_leaves_its_name_and_moodys_keeps_its_own():
    _found_as("organisation", ("Manchester United",), "Manchester United's Marcus Rashford was praised.")
    _found_as("organisation", ("Moody's",), "Moody's cut the rating, and Moody's Investors Service said so.")


def test_the_people_of_a_body_are_no_part_of_its_name_and_a_planes_model_is_no_firm():
    found = _found_as("organisation", ("Zoom", "Amazon"),
                      "Shares of Zoom fell 17% after Pfizer's vaccine news. Representatives for Amazon did not "
                      "respond, and Boeing's 737 MAX returned to service.")
    assert not any(name in ("Shares of Zoom", "MAX") for _, name in found), found


def test_a_founders_name_before_a_designated_firm_and_a_person_of_a_firm():
    _found_as("organisation", ("Walt Disney Co", "Goldman Sachs Group Inc"),
              "Walt Disney Co said its shares rose. Goldman Sachs Group Inc agreed to pay $2.9 billion.")
    found = _found_as("organisation", ("Acme Corp", "Smith Barney Harris Upham and Co", "Hoare Govett Asia Ltd"),
                      "Chairman John Smith said Acme Corp would grow. William Siedenburg of Smith Barney Harris "
                      "Upham and Co said costs fell. Alan Hargreaves of Hoare Govett Asia Ltd agreed.")
    for person in ("John Smith", "William Siedenburg", "Alan Hargreaves"):
        assert ("person", person) in found, person


def test_a_founders_surname_alone_is_the_firm_named_with_first_name_and_designator():
    found = _labelled("John Labatt Ltd said its share of the Canadian beer market rose.\n\n"
                      "Labatt purchased Tuscan Dairies last year, the company said.")
    assert ("organisation", "John Labatt Ltd") in found
    assert ("organisation", "Labatt") in found and ("person", "Labatt") not in found, found


def test_an_amount_after_a_firm_and_a_list_after_a_designator():
    found = _found_as("organisation", ("Lloyds Banking Group", "Amazon.com Inc", "Sequoia Capital"),
                      "The regulator fined Lloyds Banking Group 64 million pounds. The startup is backed by "
                      "Amazon.com Inc and Sequoia Capital.")
    assert ("organisation", "Lloyds Banking Group 64") not in found


def test_a_firms_possessive_and_brands_in_lower_camel_case():
    _found_as("organisation", ("Nike", "easyJet"), "Nike's sales rose 9%, and easyJet raised 1.2 billion pounds.")
    found = _labelled("Trump's vaccine plan was criticised, and the iPhone sold well.")
    assert not any(label == "organisation" for label, _ in found), found


def test_competitions_are_no_organisations_and_results_without_a_verb_before_the_score():
    found = _found_as("organisation", ("Leicester City", "Everton", "Arsenal", "Burnley", "Hertha Berlin"),
                      "Result of an English Premier League match on Saturday: Leicester City 0 Everton 2. "
                      "Arsenal lost 2-1 at home to Burnley on Sunday. Bayer Leverkusen moved top of the "
                      "Bundesliga with a 2-1 win over Hertha Berlin.")
    assert not any(name in ("English Premier League", "Bundesliga") for _, name in found), found
    _found_as("organisation", ("Manchester City", "Real Madrid", "Juventus", "Lyon"),
              "Manchester City beat Real Madrid 2-1 in the Champions League, while Juventus lost to Lyon.")
    found = _labelled("Djokovic completed a 6-4 win over Roger Federer. Nadal beat Federer in Paris.")
    assert ("person", "Roger Federer") in found and ("organisation", "Federer") not in found, found


def test_bodies_joined_by_for_a_leading_the_and_the_start_of_another_name():
    found = _found_as("organisation", ("State Administration for Market Regulation", "Bank of Japan",
                                       "Ministry of Finance", "Organization for Economic Cooperation and Development"),
                      "The State Administration for Market Regulation opened an investigation. Officials of the "
                      "Bank of Japan and the Ministry of Finance met.\n\nThe Organization for Economic Cooperation "
                      "and Development raised its forecast, Prime Minister Boris Johnson's office said.")
    assert not any(name.startswith("The ") or name == "office" for _, name in found), found


def test_a_firm_in_an_apposition_and_a_team_after_a_score_noun():
    found = _found_as("organisation", ("Stellantis", "Zoltrix", "West Bromwich Albion"),
                      "Stellantis, the carmaker formed by the merger, will be listed. Zoltrix, the U.S. drugmaker, "
                      "said so. Liverpool were held to a 1-1 draw by West Bromwich Albion at Anfield.")
    assert ("organisation", "Liverpool") in found, found
    assert ("person", "Klopp") in _labelled("Klopp said after a 2-1 win over Everton that he was happy.")
    found = _labelled("Musk, the company's chief executive, said so. Li, a bank analyst, agreed. Horrible service .")
    assert not any(label == "organisation" for label, _ in found), found


def test_pandemic_words_variants_and_holidays_name_nothing():
    found = _labelled("COVID cases in Florida rose as the Delta variant spread. On Christmas Eve he flew to "
                      "Christmas Island, and Delta Air Lines cut flights.")
    assert not any(name in ("COVID", "Delta", "Christmas Eve") for _, name in found), found
    assert {("place", "Florida"), ("place", "Christmas Island"), ("organisation", "Delta Air Lines")} <= set(found)


def test_names_joined_by_and_to_a_firm_and_a_firm_after_a_regulators_noun():
    _found_as("organisation", ("Sanofi", "GlaxoSmithKline", "Exxon", "Vantage Drilling", "Anvisa"),
              "Sanofi and GlaxoSmithKline delayed their vaccine. Exxon and Vantage Drilling rose. "
              "Brazil's health regulator Anvisa approved it.")
    found = _labelled("The team was headed by Finance Minister Che Okongwu and Central Bank Governor Ahmed. "
                      "Bayer AG said it has acquired Wyrough and Loser Inc of Trenton.")
    assert ("person", "Che Okongwu") in found and ("organisation", "Wyrough") not in found, found
