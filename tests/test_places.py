"""One canonical name per place: what the gazetteer resolves names to, and what the
places facet lists (issue 15). Each test is one class of problem that
`scripts/check_places.py` finds over the whole gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import ingest, open_index
from search.analysis.entities import recognise_entities
from search.analysis.places import country_name, resolve_place


def canonical(name: str) -> str | None:
    place = resolve_place(name)
    return place.canonical if place else None


# A city is never listed under the label of one of its own administrative subdivisions:
# GeoNames has records such as "Paris 01 Louvre" (whose alternate name "Louvre" gave
# that label to "the Louvre accord" in Reuters), "Budapest VIII. kerulet", "Adelaide
# city centre".
@pytest.mark.parametrize(
    "name, city",
    [
        ("Paris 01 Louvre", "Paris"),
        ("Paris 12e Arrondissement", "Paris"),
        ("Budapest VIII. kerulet", "Budapest"),
        ("Adelaide city centre", "Adelaide"),
        ("Berlin Kopenick", "Berlin"),
        ("Amsterdam-Zuidoost", "Amsterdam"),
    ],
)
def test_a_subdivision_named_after_its_city_resolves_to_the_city(name, city):
    assert canonical(name) == city


@pytest.mark.parametrize("name", ["Louvre", "Koepenick", "Bourse"])
def test_a_subdivisions_other_names_never_give_its_label(name):
    # Alternate names of small records are not used; they never give "Paris 01 Louvre".
    assert canonical(name) in (None, "Paris", "Berlin")


# A small town's GeoNames alternates are mostly other things' names in news text.
@pytest.mark.parametrize("name", ["North", "Argo", "Iberia", "Empire", "Allegheny"])
def test_common_words_are_not_small_towns_or_translated_city_names(name):
    assert resolve_place(name) is None


@pytest.mark.parametrize(("name", "country"), [("White House", "US"), ("Kremlin", "RU"), ("Downing Street", "GB")])
def test_seats_of_government_are_places_of_their_country_not_a_translated_city(name, country):
    # "White House" is also an alternate name of Casablanca; news means the seat.
    place = resolve_place(name)
    assert (place.canonical, place.country) == (name, country)
    found = {(e.label, e.text) for e in recognise_entities(
        f"The {name} said on Friday that talks had failed, and the Pentagon and Downing Street agreed.")}
    assert {("place", name), ("place", "Pentagon"), ("place", "Downing Street")} <= found, found


@pytest.mark.parametrize(
    "name, city", [("Basle", "Basel"), ("Saragossa", "Zaragoza"), ("Peking", "Beijing"), ("Duesseldorf", "Dusseldorf")]
)
def test_other_spellings_of_big_cities_still_resolve(name, city):
    assert canonical(name) == city


@pytest.mark.parametrize(
    "name", ["Miami Beach", "Cleveland Heights", "Sekondi-Takoradi", "Brooklyn", "East Los Angeles"]
)
def test_towns_named_after_a_neighbour_keep_their_own_name(name):
    assert canonical(name) == name


# No place is listed twice under two names: the overrides and the GeoNames record
# of New York City (and its alternate spellings) are one place with one label.
@pytest.mark.parametrize("name", ["New York City", "Nueva York", "Big Apple"])
def test_every_name_of_new_york_city_has_one_label(name):
    assert resolve_place(name) == resolve_place("New York")


# A spelling shared by a suburb and the big city next to it names the big city.
@pytest.mark.parametrize(
    "name, city",
    [
        ("Kao Hsiung", "Kaohsiung"),
        ("Hoihow", "Haikou"),
        ("Kolompo", "Colombo"),
    ],
)
def test_a_spelling_shared_with_a_suburb_names_the_bigger_city(name, city):
    assert canonical(name) == city


# Two countries never share a code, or the countries facet lists one under the other.
def test_czechoslovakia_and_serbia_and_montenegro_have_their_own_countries():
    assert country_name(resolve_place("Czechoslovakia").country) == "Czechoslovakia"
    assert resolve_place("Serbia and Montenegro").country != resolve_place("Czechoslovakia").country


def test_the_places_facet_lists_paris_once(tmp_path: Path):
    articles = tmp_path / "articles.jsonl"
    texts = [
        "Finance ministers met in Paris on Sunday and agreed to stabilise currencies.",
        "The dollar has held steady since the Louvre accord, dealers said.",
        "Traders in New York City said the Louvre agreement was holding.",
        "Shares rose in New York on Tuesday.",
    ]
    articles.write_text(
        "".join(
            json.dumps({"id": f"a{n}", "date": f"1987-03-0{n + 1}", "body": text}) + "\n"
            for n, text in enumerate(texts)
        ),
        encoding="utf-8",
    )
    ingest(tmp_path / "index", [articles], workers=1)
    places = {r.value: r.count for r in open_index(tmp_path / "index").entities("places", size=50).results}
    assert places.get("Paris") == 1
    assert places.get("New York") == 2
    assert not [name for name in places if name.startswith("Paris ") or name == "New York City"]
