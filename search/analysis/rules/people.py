"""Rules for people, on one sentence's tags.

- `trim_name_edges`: names end at a bracket, colon or slash, and a person's name takes
  in the particle before it ("De Gaulle", "Marcus du Sautoy");
- `mark_titled_people`: a title before a first name and more capitalised words starts
  a person ("Secretary of State Antony Blinken"), as does an honorific ("Mr. Blinken");
- `mark_titled_places_as_people`: a "place" that starts with a personal title and is no
  known place ("Emperor Meiji") is that person;
- `mark_speakers`: a lone name that speaks ("Tarlo explains"), is followed by ", who" or
  is joined to a person ("Aoun and Hariri") is one;
- `mark_role_people`: the name after a role or kin noun ("the emperor Caracalla") is one;
- `trim_initial_fragments`: a sentence the splitter missed ("units Series A. Moody's
  actions") leaves no "Series A." in front of a name;
- `split_headline_places`: in a headline's capitals, a well-known city or country that
  ends a "person" ("FERRUZZI PARIS UNIT") is a place;
- `extend_person_epithets` (run after the document rules): "the Elder", "III" and
  ", Jr." belong to the name before them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.analysis.people import NAME_PARTICLES, NAME_SUFFIXES, is_title, title_key
from search.analysis.places import (
    demonym_country,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.rules.spans import set_span, tag_spans
from search.analysis.rules.words import (
    CALENDAR_WORDS,
    CLAUSE_ENDS,
    EPITHETS,
    HONORIFICS,
    KNOWN_PLACE_KINDS,
    NAME_BREAKS,
    OPENING_BRACKETS,
    PERSONAL_TITLES,
    REGNAL_NUMBERS,
    ROLE_NOUNS,
    SPEAKING_PLACE_KINDS,
    SPEECH_AFTER,
    SPEECH_BEFORE,
    SURNAME_PARTICLES,
    TITLE_FORMS,
    is_designator,
    is_name_word,
)


def mark_titled_people(words: Sequence[str], tags: list[str], first_names: frozenset[str]) -> list[str]:
    """Return tags where a title followed by a first name and more capitalised words
    ("Secretary of State Antony Blinken"), or an honorific followed by a capitalised
    word ("Mr. Blinken"), is a person, whatever the CRF made of it."""
    if not any(w in TITLE_FORMS for w in words):
        return tags  # the common case, in one pass of set look-ups
    n = len(words)
    i = 0
    while i < n - 1:
        key = words[i].lower().rstrip(".")
        nxt = words[i + 1]
        if not (is_title(words[i]) and words[i][:1].isupper() and nxt[:1].isupper() and not is_title(nxt)):
            i += 1
            continue
        if nxt in first_names or key in HONORIFICS:
            j = i + 1
            while j < n and words[j][:1].isupper() and not is_title(words[j]) and not is_designator(words[j]):
                j += 1
            if j - (i + 1) >= (1 if key in HONORIFICS else 2):
                # The title is outside the name (spans cut here are repaired below).
                tags[i] = "O"
                tags[i + 1] = "B-PER"
                for k in range(i + 2, j):
                    tags[k] = "I-PER"
                i = j
                continue
        i += 1
    # A span cut off by the rewrite must still start with B-.
    for k in range(n):
        if tags[k].startswith("I-") and (k == 0 or tags[k - 1] == "O" or tags[k - 1][2:] != tags[k][2:]):
            tags[k] = "B-" + tags[k][2:]
    return tags


def mark_speakers(words: Sequence[str], tags: list[str], lower_words: frozenset[str]) -> list[str]:
    """Return tags where a lone capitalised word the model made a place, or left untagged,
    is a person when it speaks ("Tarlo explains", "says Tarlo ."), is followed by ", who"
    ("Gomery , who led"), or is joined by "and"
    to a person ("Aoun and Hariri", "Kesha and Pebe"). Well-known places ("Tokyo said",
    "Budapest and Hans"), and common words ("I thought") are left alone."""
    n = len(words)
    for i, word in enumerate(words):
        who = i + 2 < n and words[i + 1] == "," and words[i + 2] == "who"
        if (
            not word[:1].isupper()
            or len(word) < 3
            or tags[i] not in (("O", "B-LOC", "B-ORG") if who else ("O", "B-LOC"))
        ):
            continue
        if (i > 0 and words[i - 1][:1].isupper()) or (i + 1 < n and words[i + 1][:1].isupper()):
            continue
        if i + 1 < n and tags[i + 1].startswith("I-"):
            continue
        before = i > 0 and words[i - 1] in SPEECH_BEFORE and (i + 1 == n or words[i + 1] in CLAUSE_ENDS)
        after = (tags[i] == "B-LOC" or i > 0) and i + 1 < n and words[i + 1] in SPEECH_AFTER or who
        # Not a plural: "Reagan and Republicans", "Sperry and Burroughs".
        joined = not word.endswith("s") and (
            (i + 2 < n and words[i + 1] == "and" and tags[i + 2] == "B-PER")
            or (i >= 2 and words[i - 1] == "and" and tags[i - 2][2:] == "PER")
        )
        if not (before or after or joined):
            continue
        if word.lower() in lower_words or not word.isalpha() or word.isupper() or word in CALENDAR_WORDS:
            continue
        # A city of 100,000 may speak for its people ("Bangor said") but is seldom
        # joined to a person ("Chandler and Weller").
        kind = place_kinds().get(place_key(word))
        if kind in KNOWN_PLACE_KINDS or demonym_country(word) or (kind in SPEAKING_PLACE_KINDS and (before or after)):
            continue
        tags[i] = "B-PER"
    return tags


def mark_role_people(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where the capitalised words right after a lower-case role or kin noun
    ("the emperor Caracalla", "their daughter Cecily") are a person, whatever the model
    made of them; not a title ("his brother Prince Henry"), a demonym or a well-known
    place, and not the inside of a longer name."""
    if ROLE_NOUNS.isdisjoint(words):
        return tags  # the common case, in one pass of set look-ups
    n = len(words)
    kinds = place_kinds()
    for i in range(1, n):
        if (
            words[i - 1] not in ROLE_NOUNS
            or not is_name_word(words[i])
            or tags[i] == "B-PER"
            or tags[i].startswith("I-")
            or words[i].isupper()
        ):
            continue
        j = i + 1
        while j < n and (
            is_name_word(words[j]) or (words[j] in SURNAME_PARTICLES and j + 1 < n and is_name_word(words[j + 1]))
        ):
            j += 1
        if j < n and tags[j].startswith("I-"):
            continue
        name = " ".join(words[i:j])
        if (
            demonym_country(words[i])
            or kinds.get(place_key(name)) in KNOWN_PLACE_KINDS
            or not all(w.isalpha() for w in words[i:j])
            or any(is_designator(w) for w in words[i:j])
        ):
            continue  # "rival Ford Motor Co"
        set_span(tags, i, j, "PER")
    return tags


def extend_person_epithets(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a person's name runs on over a regnal number, ", Jr." or "the"
    and an epithet that the model left out of it ("Amyntas II", "Martin Luther King,
    Jr.", "Cranach the Elder")."""
    n = len(words)
    for typ, _start, end in tag_spans(tags):
        if typ != "PER" or end >= n:
            continue
        if words[end] in REGNAL_NUMBERS and tags[end] == "O":
            tags[end] = "I-PER"
            continue
        if end + 1 == n or tags[end + 1].startswith("I-"):
            continue
        after = end + 2 == n or not tags[end + 2].startswith("I-")
        generation = words[end] == "," and title_key(words[end + 1]) in NAME_SUFFIXES
        epithet = (
            words[end] == "the"
            and words[end + 1] in EPITHETS
            and tags[end] == "O"
            and (end + 2 == n or not words[end + 2][:1].isupper())
        )
        if generation and after or epithet:
            tags[end] = tags[end + 1] = "I-PER"
    return tags


def trim_name_edges(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where names end at a bracket, colon or slash ("Mike Collins [
    203-719-8385", "Berlin [1 ]"), and a person's name takes in the particle before
    it: "De Gaulle", "Marcus du Sautoy" (one name, not two)."""
    if tags.count("O") == len(tags):
        return tags  # the common case, in one pass at C speed
    for typ, start, end in tag_spans(tags):
        # "[George W.] Bush": an editor's brackets inside a quoted name stay in it.
        edited = start > 0 and words[start - 1] in OPENING_BRACKETS
        cut = next(
            (
                k
                for k in range(start + 1, end)
                if words[k] in NAME_BREAKS
                and not (edited and words[k] in ("]", ")"))
                or words[k].startswith(OPENING_BRACKETS)
            ),
            end,
        )
        for k in range(cut, end):
            tags[k] = "O"
        end = cut
        if typ != "PER":
            continue
        if (
            start > 0
            and tags[start - 1] == "O"
            and words[start - 1].isalpha()
            and words[start - 1].lower() in NAME_PARTICLES
            and (start == 1 or words[start - 1][:1].islower() or tags[start - 2] == "O")
        ):
            joined = start >= 2 and tags[start - 2][2:] == "PER"
            tags[start - 1] = "I-PER" if joined else "B-PER"
            for k in range(start, end):
                tags[k] = "I-PER"
    return tags


def mark_titled_places_as_people(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a "place" that starts with a personal title and is no known
    place ("Emperor Meiji", "President Kennedy") is that person."""
    if "B-LOC" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if (
            typ == "LOC"
            and end - start >= 2
            and words[start].lower().rstrip(".") in PERSONAL_TITLES
            and words[start + 1][:1].isupper()
            and resolve_place(" ".join(words[start:end])) is None
        ):
            set_span(tags, start, end, "PER")
    return tags


_INITIAL = re.compile(r"[A-Z]\.")


def trim_initial_fragments(
    words: Sequence[str], tags: list[str], first_names: frozenset[str], lower_words: frozenset[str]
) -> list[str]:
    """Return tags where a "person" that opens with a common word and an initial
    ("Series A. Moody", "Class B. Smith": a sentence end the splitter took for an
    initial) starts after the initial; a first name ("Rose A. Smith") is kept."""
    if "B-PER" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if (
            typ == "PER"
            and end - start >= 3
            and _INITIAL.fullmatch(words[start + 1])
            and words[start].lower() in lower_words
            and words[start] not in first_names
        ):
            tags[start] = tags[start + 1] = "O"
            tags[start + 2] = "B-PER"
    return tags


_HEADLINE_PLACE_KINDS = frozenset({"country", "capital", "city1m"})


def split_headline_places(words: Sequence[str], tags: list[str], first_names: frozenset[str]) -> list[str]:
    """Return a headline's tags (its words re-cased) where a well-known city or country
    that ends a "person" without a first name is a place: "FERRUZZI PARIS UNIT" is
    Ferruzzi's Paris unit; "GEORGE WASHINGTON" keeps its person."""
    if "B-PER" not in tags:
        return tags
    kinds = place_kinds()
    for typ, start, end in tag_spans(tags):
        if (
            typ == "PER"
            and end - start >= 2
            and words[start] not in first_names
            and kinds.get(place_key(words[end - 1])) in _HEADLINE_PLACE_KINDS
        ):
            tags[end - 1] = "B-LOC"
    return tags
