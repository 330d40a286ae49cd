"""Places inside hyphenated (or slash-joined) words: "Texas-based", "U.S.-Japan",
"D-Kan.", "New York-based", "U.K./Soviet".

`hyphenated_places` runs last, on each sentence's final tags: it gives places inside a
token, which no tag can hold, and takes out of names the hyphenated words it finds
places in ("London-based Samuel Montagu").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.analysis.places import (
    demonym_country,
    is_state_abbreviation,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.rules.spans import tag_spans
from search.analysis.rules.words import (
    HYPHEN_MINOR_KINDS,
    HYPHEN_PLACE_KINDS,
    HYPHEN_PREFIXES,
    PARTY_LETTERS,
)

_MAX_PLACE_PREFIX_WORDS = 2  # "New York-based", "Kansas City-based", "Sri Lanka-born"

PLACE_PART, NEUTRAL_PART, NAME_PART, MINOR_PART = "place", "neutral", "name", "minor"
# A slash joins places as a hyphen does: "a U.K./Soviet pact", "U.S./Japan talks".
_PART_SEPARATOR = re.compile(r"[-/]")


def _hyphen_part(part: str, party: bool, lower_words: frozenset[str]) -> str:
    """Classify one part of a hyphenated word: a place, a minor place (city of 100k),
    neutral (lower case, digits, a prefix or demonym) or a name part (anything else)."""
    if not part[:1].isalpha() or part[:1].islower():
        return NEUTRAL_PART
    key = place_key(part)
    if not key:
        return NEUTRAL_PART
    if key in HYPHEN_PREFIXES or demonym_country(part):
        return NEUTRAL_PART
    if is_state_abbreviation(part):
        # "Calif.-based", "D-Ill.", "D-Tex" are states; "MD-80" is an aircraft.
        return PLACE_PART if "." in part or party else NAME_PART
    kind = place_kinds().get(key)
    if kind is None or key in lower_words:
        return NAME_PART  # "Male-dominated" is no visit to the Maldives
    if kind in HYPHEN_PLACE_KINDS:
        return PLACE_PART
    if kind == "region":
        place = resolve_place(part)
        return PLACE_PART if place is not None and place.country else NAME_PART
    return MINOR_PART if kind in HYPHEN_MINOR_KINDS else NAME_PART


def _is_place_key(key: str, minor: bool) -> bool:
    kind = place_kinds().get(key)
    if kind in HYPHEN_PLACE_KINDS or (minor and kind in HYPHEN_MINOR_KINDS):
        return True
    if kind == "region":
        place = resolve_place(key)
        return place is not None and bool(place.country)
    return False


def _leading_place(words: Sequence[str], tags: Sequence[str], i: int, first: str, minor: bool) -> int | None:
    """Return the first token of a multi-word place of untagged words that ends with
    `first`, the first part of words[i] ("New" for "New York-based"), else None."""
    for length in range(_MAX_PLACE_PREFIX_WORDS, 0, -1):
        j = i - length
        if j < 0 or not all(
            w[:1].isupper() and t[2:] in ("", "MISC") for w, t in zip(words[j:i], tags[j:i], strict=True)
        ):
            continue
        if _is_place_key(place_key(" ".join([*words[j:i], first])), minor):
            return j
    return None


def _places_in_word(
    words: Sequence[str], tags: Sequence[str], i: int, lower_words: frozenset[str]
) -> list[tuple[int, int, int, int]]:
    """Return the places named in the hyphenated words[i] (see `hyphenated_places`)."""
    word = words[i]
    whole = place_kinds().get(place_key(word))
    if whole is not None:
        # "Guinea-Bissau", "Winston-Salem": one name, not two places.
        return [(i, 0, i, len(word))] if whole in HYPHEN_PLACE_KINDS and word[:1].isupper() else []
    parts = _PART_SEPARATOR.split(word)
    party = len(parts) == 2 and place_key(parts[0]) in PARTY_LETTERS
    kinds = [_hyphen_part(p, party, lower_words) for p in parts]
    lower_rest = all(p[:1].islower() or not p[:1].isalpha() for p in parts[1:])
    lead = None
    if parts[0][:1].isupper():
        lead = _leading_place(words, tags, i, parts[0], lower_rest)
    if NAME_PART in kinds[0 if lead is None else 1 :]:
        return []  # "Bristol-Myers", "Hydro-Quebec", "Georgia-Pacific": a name
    if (
        lead is None
        and i > 0
        and tags[i - 1][2:] in ("", "MISC")
        and words[i - 1][:1].isupper()
        and words[i - 1].isalpha()
        and words[i - 1].lower() not in lower_words
    ):
        return []  # "Fort Worth-Dallas" untagged: the tail of a longer name
    found = []
    position = 0
    for n, (part, kind) in enumerate(zip(parts, kinds, strict=True)):
        start, position = position, position + len(part) + 1
        if n == 0 and lead is not None:
            found.append((lead, 0, i, len(part)))
        elif kind == PLACE_PART or (kind == MINOR_PART and n == 0 and lower_rest):
            found.append((i, start, i, start + len(part)))
    return found


def _is_modifier(word: str) -> bool:
    """Return True for a place-plus-modifier word: "London-based", "U.S.-backed"."""
    parts = word.split("-")
    return len(parts) >= 2 and all(p.isalpha() and p.islower() for p in parts[1:])


def hyphenated_places(
    words: Sequence[str], tags: list[str], lower_words: frozenset[str]
) -> list[tuple[int, int, int, int]]:
    """Return the places named inside hyphenated words outside any name: "Texas" in
    "Texas-based", "U.S." and "Japan" in "U.S.-Japan", "Kan." in "D-Kan.", "New York" in
    "New York-based", as (first token, offset in it, last token, end offset in it).

    A part counts only if it is a well-known place (country, US state, capital, city of
    a million, a region of a country; a city of 100,000 before a lower-case part) and the
    word's other capitalised parts are prefixes or demonyms, not other names
    ("Bristol-Myers", "Hydro-Quebec", "Georgia-Pacific"). A place-plus-modifier word the
    model put at the start of a name ("London-based Samuel Montagu") is taken out of
    it, and a place the model tagged that resolves to nothing ("D-La.", "U.S.-Japan")
    gives way to the places in it: `tags` is changed accordingly.
    """
    if not any("-" in w or "/" in w for w in words):
        return []
    found = []
    for typ, start, end in tag_spans(tags):
        if typ == "LOC":
            # A tagged place ending in a hyphenated word that names nothing as a whole.
            if "-" not in words[end - 1] or resolve_place(" ".join(words[start:end])):
                continue
            untagged = [*tags[:start], *(["O"] * (end - start)), *tags[end:]]
            places = _places_in_word(words, untagged, end - 1, lower_words)
            if places:
                tags[start:end] = untagged[start:end]
                found.extend(places)
        elif typ in ("ORG", "PER") and end - start == 1:
            # A lone hyphenated word of places and prefixes is no name: "D-Kan.", "Sino-US".
            if "-" not in words[start]:
                continue
            untagged = [*tags[:start], "O", *tags[end:]]
            places = _places_in_word(words, untagged, start, lower_words)
            if places and all(f[0] == start for f in places):
                tags[start] = "O"
                found.extend(places)
        elif typ in ("ORG", "PER"):
            # "London-based Samuel Montagu", "New York-based Mutual Shares".
            for k in range(start, min(end - 1, start + _MAX_PLACE_PREFIX_WORDS + 1)):
                if not _is_modifier(words[k]):
                    continue
                untagged = [*tags[:start], *(["O"] * (k + 1 - start)), *tags[k + 1 :]]
                places = _places_in_word(words, untagged, k, lower_words)
                if places and places[0][0] == start:
                    tags[start : k + 1] = untagged[start : k + 1]
                    tags[k + 1] = "B-" + typ
                    found.extend(places)
                break
    for i, word in enumerate(words):
        if ("-" in word or "/" in word) and len(word) > 2 and tags[i][2:] in ("", "MISC"):
            if any(f[2] == i for f in found):
                continue
            found.extend(_places_in_word(words, tags, i, lower_words))
    return sorted(found)
