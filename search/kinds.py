"""The kinds of entity the engine indexes and facets, in one table.

Every place that names a kind — the index field, the request parameter that
filters by it, the recogniser's label, the noun a message uses, the URL segment
of its pages — reads this table, so a new kind (organisations) is one row here
plus what is genuinely new about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.analysis.entities import ORGANISATION, PERSON, PLACE


@dataclass(frozen=True)
class EntityKind:
    """One kind of entity and every name it goes by."""

    field: str  # index field, facet name and list endpoint: "people"
    param: str  # the request parameter that filters by it: "person"
    label: str | None  # the recogniser's label of its mentions, None for a derived kind
    noun: str  # in messages: "no person named …"
    segment: str  # URL segment of its pages: /people/<name>
    has_pages: bool = True  # an entity page and a list endpoint


PEOPLE = EntityKind("people", "person", PERSON, "person", "people")
PLACES = EntityKind("places", "place", PLACE, "place", "places")
ORGANISATIONS = EntityKind("organisations", "organisation", ORGANISATION, "organisation", "organisations")
# The countries of an article's places: a facet whose values filter as places.
COUNTRIES = EntityKind("countries", "place", None, "country", "places", has_pages=False)

ALL_KINDS: tuple[EntityKind, ...] = (PEOPLE, PLACES, ORGANISATIONS, COUNTRIES)
PAGE_KINDS: tuple[EntityKind, ...] = tuple(k for k in ALL_KINDS if k.has_pages)
FILTER_PARAMS: tuple[str, ...] = tuple(dict.fromkeys(k.param for k in PAGE_KINDS))
BY_FIELD = {k.field: k for k in ALL_KINDS}
BY_LABEL = {k.label: k for k in PAGE_KINDS if k.label}
ENTITY_FIELDS: tuple[str, ...] = tuple(k.field for k in ALL_KINDS)
# Per article, the names it shows to be organisations / people (search/analysis/
# organisations.py); the facet columns weigh them over the archive (`classify_people`).
ORGANISATION_EVIDENCE = "organisation_evidence"
PERSON_EVIDENCE = "person_evidence"

# Limits shared by the engine and the API's schemas.
MAX_NAME_CHARS = 200
MAX_LIST_SIZE = 1000
MAX_FILTER_VALUES = 20


def kind(field: str) -> EntityKind:
    """Return the kind whose field (or facet) is `field`; raises KeyError."""
    return BY_FIELD[field]
