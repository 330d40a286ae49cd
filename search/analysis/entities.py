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
