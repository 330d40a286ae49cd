"""What the people and organisations facets list first on business newswire (issue 15):
no rating agency, table line, market index, headline city or bank among the people; no
lone letter, demonym, currency or cut-off word among the organisations; one name for
"Standard and Poor's"; the organisations counted in `stats` and kept in posting arrays.

Each test reads an index built from the newswire-style articles below, as an ingest
writes it, through the engine, the API or the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.app import create_app
from api.cli import EXIT_OK, main
from search import ingest, open_index
from search.analysis.entities import recognise_entities
from search.analysis.organisations import merge_organisations_within_article, name_evidence
from search.facets import COLUMN_FIELDS
from search.postings import SIDECAR_FIELDS, SegmentPostings, segment_readers
from tests.plain import open_plain

# Written in the manner of the 1987 wire, one article per cause of a false name.
ARTICLES = {
    # A rating agency that only "it" follows, and a bond series glued to it by a
    # sentence the splitter missed ("Series A. Moody's").
    "moody-duquesne.txt": " date 1987-03-18 MOODY'S LOWERS DUQUESNE LIGHT <DQU> DEBT\n\n"
    "Moody's Investors Service Inc said it lowered the ratings on 1.2 billion dlrs of Duquesne Light Co "
    "debt. Moody's said it took the action because of weak earnings.\n",
    "moody-atlantic.txt": " date 1987-03-19 Rating agency cuts utility\n\n"
    "Moody's said it lowered the ratings on Atlantic City Electric Co first mortgage bonds. The action "
    "affects 300 mln dlrs of debt, Moody's said.\n",
    "moody-units.txt": " date 1987-03-20 Rating on preferred units\n\n"
    "Moody's cut the rating on 50 mln dlrs of cumulative convertible acquisition preferred units Series A. "
    "Moody's actions affect 188 mln dlrs of securities.\n",
    # Earnings tables.
    "grease-year.txt": " date 1987-03-03 GREASE MONKEY HOLDING CORP <GMHC> YEAR NOV 30\n\n"
    "Shr nil vs nil\n\nNet 130,998 vs 30,732\n\nRevs 1,568,941 vs 1,074,335\n",
    "acme-year.txt": " date 1987-03-04 ACME ELECTRIC CORP <ACE> YEAR\n\n"
    "Shr nil vs one ct\n\nNet 12,000 vs 45,000\n\nRevs 2,000,000 vs 1,900,000\n",
    # A stock index.
    "dow-stocks.txt": " date 1987-03-21 Stocks rise on Wall Street\n\n"
    "Stock prices as measured by the Dow Jones Industrial Average surged 19 pct in 1987, analysts said. "
    "The Dow Jones Industrial Average could soar or plunge as much as 100 points, traders said.\n",
    # A city in a headline's capitals after a firm's name.
    "ferruzzi-unit.txt": " date 1987-03-26 FERRUZZI PARIS UNIT SEEN ABSORBING CPC PURCHASE\n\n"
    "European Sugar, owned by Ferruzzi subsidiary Eridania Zuccherifici Nazionali SpA, planned to seek a "
    "listing on the Paris bourse, sources said.\n",
    # A bank whose name opens with "Banque".
    "paribas-loan.txt": " date 1987-03-15 PARIBAS PLAN TO ADJUST ECUADOR LOAN TERMS OPPOSED\n\n"
    "Banque Paribas, which arranged a 220 mln dlr loan for Ecuador, proposed new terms. Many banks in the "
    "Paribas facility oppose the plan.\n",
    # Partners' initials, a share class, and the "'s" of a firm's name.
    "sandp-chrysler.txt": " date 1987-03-10 Chrysler debt affirmed\n\n"
    "Standard and Poor's Corp said it affirmed 10 billion dlrs of debt of Chrysler Corp and related "
    "entities.\n\nS and P cited the acquisition of AMC as a positive factor. Holders of class B stock would "
    "receive 140 dlrs a share.\n",
    "sandp-texaco.txt": " date 1987-03-11 Texaco debt cut\n\n"
    "Standard and Poor's said it cut the ratings of Texaco Inc debt, citing the Pennzoil judgment.\n",
    # "the Bank" of an article that names the bank, in a headline's capitals too.
    "bank-england.txt": " date 1987-03-04 BANK OF ENGLAND GIVES MONEY MARKET HELP\n\n"
    "The Bank of England said it had provided the money market with 437 mln stg of help. This brings the "
    "Bank's total help so far today to 461 mln stg.\n",
    # "the Bank" of an article that names two banks: the one written last before it.
    "banks-brazil.txt": " date 1987-03-06 Brazil gets loans\n\n"
    "The World Bank approved a 300 mln dlr loan to Brazil on Tuesday. The Bank of Japan said it would "
    "lend 100 mln dlrs more.\n\nThe Bank said the loan would help the economy, officials said.\n",
    # A firm whose designator is a word, a name the model cut in two, a demonym, a currency.
    "federal-industries.txt": " date 1987-02-26 Federal Industries issues eurobond\n\n"
    "<Federal Industries Ltd> said it launched a 40 mln Canadian dlr eurobond. The Federal Home Loan "
    "Bank Board said it approved the merger of two savings banks.\n",
    "philippine-aid.txt": " date 1987-03-05 Japan weighs Philippine aid\n\n"
    "Japan is expected to respond favourably to a Philippine request to raise its aid, Philippine Finance "
    "Minister Jaime Ongpin told Reuters. Reserves now stand at 50 billion U.S. Dlrs, officials said.\n",
    # A person, so that the people facet is not trivially empty.
    "baker-dollar.txt": " date 1987-03-12 Baker says dollar stable\n\n"
    "Treasury Secretary James Baker said the dollar was stable. Baker said he saw no need to act.\n",
}


@pytest.fixture(scope="module")
def wire_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wire")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    path = root / "index"
    report = ingest(path, [corpus], workers=1)
    assert report.added == len(ARTICLES)
    return path


def _names(engine, kind: str) -> dict[str, int]:
    return {r["value"]: r["count"] for r in engine.entities(kind, size=100)["results"]}


def test_the_people_facet_lists_only_the_person(wire_index):
    assert _names(open_plain(wire_index), "people") == {"James Baker": 1, "Jaime Ongpin": 1}


def test_it_is_no_evidence_that_a_name_is_a_person():
    text = "Moody's said it lowered the ratings on Atlantic City Electric Co bonds."
    assert name_evidence(text, recognise_entities(text))[1] == ()
    text = "Treasury Secretary James Baker said on Wednesday the dollar was stable. Baker said he saw it."
    assert name_evidence(text, recognise_entities(text))[1] == ("James Baker",)


def test_table_lines_indexes_and_headline_cities_are_no_names(wire_index):
    engine = open_plain(wire_index)
    listed = {**_names(engine, "people"), **_names(engine, "organisations")}
    for wrong in (
        "Shr nil vs",
        "Revs 1,568,941 vs",
        "Dow Jones Industrial Average",
        "Ferruzzi Paris",
        "Series A. Moody",
        "Banque Paribas",
    ):
        assert wrong not in _names(engine, "people"), wrong
    assert "Dow Jones Industrial Average" not in listed
    # The headline's "PARIS" is the city, as the body's "Paris bourse" is.
    assert engine.search(place=["Paris"])["total"] == 1
    assert "Banque Paribas" in _names(engine, "organisations")


def test_the_organisations_facet_has_no_fragments(wire_index):
    organisations = _names(open_plain(wire_index), "organisations")
    for fragment in ("S", "B", "Bank", "Federal", "Philippine", "U.S. Dlrs"):
        assert fragment not in organisations, fragment
    assert {
        "S and P",
        "Bank of England",
        "Federal Industries",
        "Federal Home Loan Bank Board",
        "Moody's Investors Service",
    } <= set(organisations)
    # "the Bank's total help" counts for the Bank of England; the dollars' country stays.
    assert organisations["Bank of England"] == organisations["Bank of Japan"] == organisations["World Bank"] == 1
    assert open_plain(wire_index).search(place=["United States"])["total"] == 1


def test_a_firm_keeps_the_s_of_its_name(wire_index):
    organisations = _names(open_plain(wire_index), "organisations")
    assert organisations["Standard and Poor's"] == 2
    assert "Standard and Poor" not in organisations


def test_stats_count_the_organisations_the_facet_lists(wire_index, capsys):
    engine = open_index(wire_index)
    listed = engine.entities("organisations", size=1000)
    assert engine.stats().organisations == len(listed.results) > 0
    client = create_app({"INDEX_DIR": str(wire_index), "TESTING": True}).test_client()
    assert client.get("/api/v1/stats").get_json()["organisations"] == len(listed.results)
    assert main(["stats", "--index", str(wire_index), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["organisations"] == len(listed.results)


def test_posting_arrays_hold_every_field_the_facets_read(wire_index):
    assert set(COLUMN_FIELDS) <= set(SIDECAR_FIELDS)
    engine = open_index(wire_index)
    searcher = engine.snapshot().searcher
    for reader, _ in segment_readers(searcher.reader()):
        postings = SegmentPostings(reader, wire_index)
        assert postings.complete
        for field in COLUMN_FIELDS:
            terms, _, _ = postings.whole_field(field)
            assert [t.decode() for t in terms] == sorted(reader.field_terms(field)), field
    assert "Standard and Poor's" in {t.decode() for t in postings.whole_field("organisations")[0]}


def test_an_acronym_of_two_long_forms_stays_as_written():
    text = "The European Monetary System and the Emerging Markets Society met. The EMS said nothing."
    found = merge_organisations_within_article(
        [(4, 28, "European Monetary System"), (37, 62, "Emerging Markets Society"), (72, 75, "EMS")], text
    )
    assert found[(72, 75)] == "EMS"


def test_counts_of_most_documents_are_all_counts_minus_the_others():
    """A facet over more than half the documents counts the other documents and
    subtracts: the same counts as gathering every hit, with deleted documents and
    hits that hold a deleted document (counted as given) alike."""
    import numpy as np

    from search.facets import FacetColumns

    rng = np.random.default_rng(7)
    n, size = 50_000, 300
    lengths = rng.poisson(3, n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    ids = rng.integers(0, size, indptr[-1]).astype(np.int32)
    live = rng.random(n) > 0.05
    columns = FacetColumns(n, {"people": tuple(f"p{i}" for i in range(size))}, {"people": indptr},
                           {"people": ids}, np.zeros(n, dtype=np.int32), live, {})

    def gathered(docs):
        return np.bincount(np.concatenate([ids[indptr[d]:indptr[d + 1]] for d in docs]), minlength=size)

    live_docs = np.flatnonzero(live)
    most = np.sort(rng.choice(live_docs, int(0.9 * len(live_docs)), replace=False))
    assert (columns.counts("people", most) == gathered(most)).all()
    with_deleted = np.sort(np.concatenate([most, np.flatnonzero(~live)[:5]]))
    assert (columns.counts("people", with_deleted) == gathered(with_deleted)).all()
    assert (columns.counts("people", None) == gathered(live_docs)).all()
