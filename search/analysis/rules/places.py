"""Rules for places, on one sentence's tags.

- `split_at_lower_words`: in a re-cased all-capitals sentence, a person or place running
  over a word re-cased to lower case ends before it ("Henkel sells Hamburg");
- `mark_possessive_places`: "Sweden 's" before what it owns is the place;
- `mark_demonym_phrases`: demonyms ("West German") are no places;
- `mark_creeds`: creeds ("Islam", "Catholicism") are no places;
- `mark_known_places`: a well-known place the model left untagged is a place;
- `mark_multiword_places`: a well-known place of several words tagged otherwise
  ("Saudi Arabia"), a country tagged as a person, and a list of well-known places
  ("Philippines , Singapore") are places;
- `trim_place_edges`: a place span holds only the place ("The United States",
  "Northeast of Temescal", "Invercargill New Zealand" as two places);
- `mark_facilities`: a facility or natural feature named like an organisation
  ("Kennedy Space Center", "Danube Delta") is a place;
- `join_polity_names`: a polity named with "of" is one place ("State of Texas").

Places inside hyphenated words are in `hyphenated`, languages in `document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from search.analysis.places import (
    POLITY_QUALIFIERS,
    POLITY_WORDS,
    SEATS_OF_GOVERNMENT,
    demonym_country,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.rules.spans import set_span, span_end, tag_spans
from search.analysis.rules.words import (
    ARTICLES,
    COMPASS,
    CREEDS,
    DIRECTIONS,
    KNOWN_PLACE_KINDS,
    LARGE_PLACE_KINDS,
    LIST_SEPARATORS,
    MAX_CONSISTENCY_WORDS,
    MULTIWORD_PLACE_KINDS,
    NAME_LINKS,
    ORGANISATION_HEADS,
    OWNER_KINDS,
    PLACE_HEADS,
    PLACE_NOUNS,
    POSSESSIVES,
    RANGE_DASHES,
    known_place,
)


def mark_demonym_phrases(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where "West German", "South Korean" and the like are MISC: a demonym,
    not the place its first word looks like."""
    for typ, start, end in tag_spans(tags):
        if (
            typ == "LOC"
            and end - start == 1
            and words[start] in COMPASS
            and end < len(words)
            and demonym_country(words[end])
        ):
            tags[start] = "B-MISC"
            if tags[end] == "O" or tags[end].startswith("B-"):
                tags[end] = "I-MISC"
    return tags


def mark_creeds(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a one-word place that is a creed ("Islam", "Catholicism",
    "Salafism") is MISC: a religion or doctrine is no place."""
    if "B-LOC" not in tags:
        return tags  # the common case, in one pass at C speed
    n = len(tags)
    for i, tag in enumerate(tags):
        if tag != "B-LOC" or (i + 1 < n and tags[i + 1] == "I-LOC"):
            continue
        word = words[i]
        if word in CREEDS or (
            len(word) > 5 and word.endswith("ism") and word.isalpha() and word[:1].isupper() and not word.isupper()
        ):
            tags[i] = "B-MISC"
    return tags


def mark_possessive_places(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a span that starts with a well-known place and its possessive
    ("Sweden 's Gross National Product") starts with that place, tagged as one."""
    kinds = place_kinds()
    for typ, start, end in tag_spans(tags):
        for k in range(start + 1, min(end, start + 4)):
            if words[k] not in POSSESSIVES:
                continue
            if kinds.get(place_key(" ".join(words[start:k]))) in OWNER_KINDS:
                tags[start] = "B-LOC"
                for j in range(start + 1, k):
                    tags[j] = "I-LOC"
                tags[k] = "O"
                if k + 1 < end:
                    tags[k + 1] = "B-" + typ
            break
    return tags


MAX_KNOWN_PLACE_WORDS = 3


@lru_cache(maxsize=1)
def _known_place_first_words() -> frozenset[str]:
    """Return the first words of the known places' keys: most capitalised words are not
    one, and a set look-up keeps the rule off the tagger's time."""
    return frozenset(key.split()[0] for key, kind in place_kinds().items() if kind in KNOWN_PLACE_KINDS and key)


def mark_known_places(words: Sequence[str], tags: list[str], first_names: frozenset[str]) -> list[str]:
    """Return tags where a well-known place name the model left untagged is a place.

    Only a name standing alone counts: no capitalised word right before or after it
    (that would make it part of another name, "Texas Instruments"), not a first name
    ("Jordan", "Israel" as people), and every word untagged.
    """
    kinds = place_kinds()
    first_words = _known_place_first_words()
    n = len(words)
    i = 0
    while i < n:
        word = words[i]
        if (
            tags[i] != "O"
            or not word[:1].isupper()
            or word in first_names
            or ((word.lower() if word.isalpha() else place_key(word).partition(" ")[0]) not in first_words)
        ):
            i += 1
            continue
        matched = 0
        for length in range(min(MAX_KNOWN_PLACE_WORDS, n - i), 0, -1):
            span = words[i : i + length]
            # Every word must be one: place_key drops punctuation ("MOSCOW -").
            if any(t != "O" for t in tags[i : i + length]) or not all(w[:1].isalnum() for w in span):
                continue
            if kinds.get(place_key(" ".join(span))) in KNOWN_PLACE_KINDS:
                matched = length
                break
        end = i + matched
        alone = (
            matched
            and (end == n or not words[end][:1].isupper())
            and (i == 0 or not words[i - 1][:1].isupper() or tags[i - 1] == "O" and i == 1)
        )
        if alone:
            set_span(tags, i, end, "LOC")
            i = end
        else:
            i += 1
    return tags


def split_at_lower_words(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags of a re-cased all-capitals sentence where a person's name or a place
    running over a word re-cased to lower case ("HENKEL SELLS HAMBURG" as "Henkel sells
    Hamburg") ends before it; what follows is a name of its own, a place if it is a
    well-known one. A piece of a "place" that names no place is left untagged, for the
    rest of the article to say what it is."""
    kinds = place_kinds()
    for typ, start, end in tag_spans(tags):
        if typ not in ("PER", "LOC"):
            continue  # organisations have common words in them ("New York Stock Exchange")
        cuts = [
            k
            for k in range(start + 1, end)
            if words[k].isalpha()
            and words[k].islower()
            and words[k] not in NAME_LINKS
            and not (typ == "LOC" and words[k] in PLACE_NOUNS)
        ]
        if not cuts:
            continue
        bounds = [start, *cuts, end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if a != start:
                tags[a] = "O"
                a += 1
            if a >= b:
                continue
            kind = kinds.get(place_key(" ".join(words[a:b])))
            piece = "LOC" if a != start and kind in KNOWN_PLACE_KINDS else typ
            if typ == "LOC" and resolve_place(" ".join(words[a:b])) is None:
                piece = "O"
            for k in range(a, b):
                tags[k] = "O" if piece == "O" else ("B-" if k == a else "I-") + piece
    return tags


@lru_cache(maxsize=1)
def _multiword_places() -> dict[str, dict[tuple[str, ...], str]]:
    """Return the well-known places of two to four words, indexed by their first word."""
    out: dict[str, dict[tuple[str, ...], str]] = {}
    for key, kind in place_kinds().items():
        parts = tuple(key.split())
        if kind in MULTIWORD_PLACE_KINDS and 1 < len(parts) <= MAX_CONSISTENCY_WORDS:
            out.setdefault(parts[0], {})[parts] = kind
    return out


def mark_multiword_places(words: Sequence[str], tags: list[str], first_names: frozenset[str]) -> list[str]:
    """Return tags where a well-known place of several words ("Saudi Arabia", "Burkina
    Faso", "Sri Lanka") that the model tagged, wholly or in part, as something else is a
    place; a country tagged as a person on its own ("Finland 's Conservatives") is one
    too; and a name that is a list of well-known places ("Philippines , Singapore",
    "British Columbia and Alberta") is that many places.

    A name that reaches beyond the place to other capitalised words ("Bank of British
    Columbia") is left alone.
    """
    if all(t == "O" for t in tags):
        return tags
    kinds = place_kinds()
    multi = _multiword_places()
    n = len(words)
    i = 0
    while i < n:
        entries = multi.get(words[i].lower()) if words[i][:1].isupper() else None
        matched = 0
        if entries:
            keys = tuple(place_key(w) for w in words[i : i + MAX_CONSISTENCY_WORDS])
            for length in range(min(MAX_CONSISTENCY_WORDS, n - i), 1, -1):
                if keys[:length] in entries and all(w[:1].isalnum() for w in words[i : i + length]):
                    matched = length
                    break
        if not matched:
            i += 1
            continue
        end = i + matched
        inside = tags[i:end]
        before_ok = tags[i] == "O" or tags[i].startswith("B-")
        after_ok = (
            end == n
            or not tags[end].startswith("I-")
            or all(not w[:1].isupper() for w in words[end : span_end(tags, end)])
        )
        if any(t != "O" for t in inside) and not all(t.endswith("-LOC") for t in inside) and before_ok and after_ok:
            stop = span_end(tags, end) if end < n and tags[end].startswith("I-") else end
            set_span(tags, i, end, "LOC")
            for k in range(end, stop):
                tags[k] = "O"
        i = end
    for typ, start, end in tag_spans(tags):
        span = words[start:end]
        if (
            typ == "PER"
            and end - start == 1
            and kinds.get(place_key(span[0])) in ("country", "capital")
            and span[0] not in first_names
            and span[0][:1].isupper()
        ):
            tags[start] = "B-LOC"
        elif (
            end - start >= 3
            and any(w in LIST_SEPARATORS for w in span)
            and kinds.get(place_key(" ".join(span))) is None
        ):
            pieces, piece = [], [start]
            for k in range(start, end):
                if words[k] in LIST_SEPARATORS:
                    pieces.append((piece[0], k))
                    piece = [k + 1]
            pieces.append((piece[0], end))
            if len(pieces) >= 2 and all(
                b > a and kinds.get(place_key(" ".join(words[a:b]))) in KNOWN_PLACE_KINDS for a, b in pieces
            ):
                for k in range(start, end):
                    tags[k] = "O"
                for a, b in pieces:
                    set_span(tags, a, b, "LOC")
    return tags


# Organisations named like places: "Kennedy Space Center", "Danube Delta", "Wembley
# Stadium" end in a place's head noun (`PLACE_HEADS`); not "Church", "House" or
# "Hall", as the Catholic Church and Hall of Fame act as organisations.
def mark_facilities(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where an "organisation" whose name ends in a place's head noun
    ("Kennedy Space Center", "British Museum", "Danube Delta") is a place, as the gold
    standards and CoNLL have it, and so is a seat of government, whatever the model read
    ("the Kremlin said", "White House spokesman"). Not a name with an organisation's
    head in it ("Savings Bank of Oak Harbour"), nor a person: John Tower and Michael
    Bay are people."""
    seats = not _SEAT_WORDS.isdisjoint(words)
    if not seats and "B-ORG" not in tags:
        return tags
    for i, word in enumerate(words) if seats else ():
        if word in _SEAT_WORDS and not tags[i].startswith("I-"):
            for end in (i + 2, i + 1):
                if " ".join(words[i:end]) not in SEATS_OF_GOVERNMENT:
                    continue
                if end < len(words) and tags[end].startswith("I-") and words[end] in ("and", ","):
                    rest = span_end(tags, end + 1)  # "Pentagon and Downing Street": two places
                    tags[end] = "O"
                    if rest > end + 1:
                        set_span(tags, end + 1, rest, "LOC")
                if end == len(words) or not (tags[end].startswith("I-") or words[end][:1].isupper()):
                    set_span(tags, i, end, "LOC")
                break
    for typ, start, end in tag_spans(tags):
        if (
            typ == "ORG"
            and end - start >= 2
            and words[end - 1][:1].isupper()
            and words[end - 1].lower() in PLACE_HEADS
            and ORGANISATION_HEADS.isdisjoint(words[start : end - 1])
        ):
            set_span(tags, start, end, "LOC")
    return tags


_SEAT_WORDS = frozenset(name.split()[0] for name in SEATS_OF_GOVERNMENT)


def trim_place_edges(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a place span holds only the place's name.

    - A name never starts with punctuation: a span that does ("al - Qaeda" tagged from
      its dash) has lost its start, and its type with it, so it is no name.
    - An article is not part of the place unless the place's name has one: "The United
      States" is "United States", "The Hague" stays whole.
    - "Northeast of Temescal" is the place "Temescal".
    - Places written one after another are that many places: "Invercargill New
      Zealand", "Houston , Texas USA", "Chiang Mai - Bangkok". The whole must name no
      place, and the last part must be a country or a US state.
    """
    if tags.count("O") == len(tags):
        return tags  # the common case, in one pass at C speed
    for typ, start, end in tag_spans(tags):
        if not words[start][:1].isalnum() and words[start][:1] not in ("'", "’"):
            for k in range(start, end):
                tags[k] = "O"
            continue
        if typ != "LOC" or end - start < 2:
            continue
        span = words[start:end]
        if span[0] in ARTICLES:
            place = resolve_place(" ".join(span[1:]))
            if place is not None and not place.canonical.startswith("The "):
                tags[start] = "O"
                set_span(tags, start + 1, end, "LOC")
            continue
        if end - start >= 3 and span[0].lower() in DIRECTIONS and span[1] == "of":
            tags[start] = tags[start + 1] = "O"
            set_span(tags, start + 2, end, "LOC")
            continue
        if known_place(span) is not None:
            continue
        for k in range(start + 1, end):
            cut = k + 1 if words[k] in RANGE_DASHES else k
            head, tail = words[start:k], words[cut:end]
            dash = cut != k
            if not tail or (not dash and known_place(tail) not in LARGE_PLACE_KINDS):
                continue
            if resolve_place(" ".join(head)) is None or (dash and resolve_place(" ".join(tail)) is None):
                continue
            for j in range(start, end):
                tags[j] = "O"
            set_span(tags, start, k, "LOC")
            set_span(tags, cut, end, "LOC")
            break
    return tags


_MAX_POLITY_WORDS = 4  # "Democratic People 's Republic"


def join_polity_names(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a polity named with "of" is one place: "the State of Texas",
    "the City of Buenos Aires", "the Federal Republic of Cameroon", "the Kingdom of
    France", whatever the model made of "State", "City" or "Kingdom".

    The part after "of" must be a place the model tagged or one the gazetteer knows.
    Left alone: a name that runs on past the place ("Republic of Texas Brewery") or
    began before the polity words ("Bank of the Republic of Korea" tagged whole).
    """
    if "of" not in words:
        return tags
    n = len(words)
    for i in range(1, n - 1):
        if words[i] != "of" or not words[i - 1][:1].isupper() or place_key(words[i - 1]) not in POLITY_WORDS:
            continue
        start = i - 1
        while start > 0 and i - start < _MAX_POLITY_WORDS:
            before = words[start - 1]
            if before in POSSESSIVES and start > 1:
                before = words[start - 2]
                step = 2
            else:
                step = 1
            if not before[:1].isupper() or place_key(before) not in POLITY_QUALIFIERS:
                break
            start -= step
        if start > 0 and tags[start].startswith("I-"):
            continue
        tagged = tags[i + 1] == "B-LOC"
        if tagged:
            end = span_end(tags, i + 2)
        elif words[i + 1][:1].isupper():
            end = next(
                (
                    i + 1 + length
                    for length in range(min(3, n - i - 1), 0, -1)
                    if all(w[:1].isalnum() for w in words[i + 1 : i + 1 + length])
                    and resolve_place(" ".join(words[i + 1 : i + 1 + length]))
                ),
                0,
            )
        else:
            continue
        if not end or (end < n and words[end][:1].isupper() and words[end][:1].isalpha()):
            continue
        if not tagged and resolve_place(" ".join(words[start:end])) is None:
            continue
        stop = span_end(tags, end)
        for k in range(start, stop):
            tags[k] = "O"
        set_span(tags, start, end, "LOC")
    return tags
