"""Rules applied to the CRF's tags, for one sentence or one document.

Each rule fixes a kind of error the model makes on news text, and has a test on the
sentence that showed it:

- organisations: names before a company designator ("Borden Inc", "Goldman, Sachs
  and Co"), in a wire's angle brackets, or ending in an organisation's noun ("Federal
  Reserve Board"); acronyms and designators alone are no people;
- people: a title before a first name starts one; a lone name that speaks ("Tarlo
  explains"), is joined to a person ("Aoun and Hariri") or follows a role noun ("the
  emperor Caracalla") is one; "the Elder", "III", ", Jr." and "de" belong to the name;
  forms of address, wire-table words and a capitalised common word starting a
  sentence are none;
- places: a well-known place the model left untagged or tagged otherwise is one, as
  is a facility or natural feature named like an organisation ("Kennedy Space
  Center"), a polity named with "of" ("State of Texas"), "Sweden 's" before what it
  owns, and a place inside a hyphenated word ("Texas-based"); a place span holds
  only the place ("The United States", "Invercargill New Zealand"); demonyms ("West
  German"), creeds ("Islam") and languages ("the Eegimaa language") are no places;
- the document: a name tagged once is tagged alike throughout (a surname as its full
  name, a firm's short name as the firm).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from search.analysis.people import (
    NAME_PARTICLES,
    NAME_SUFFIXES,
    is_title,
    title_key,
)
from search.analysis.places import (
    POLITY_QUALIFIERS,
    POLITY_WORDS,
    demonym_country,
    is_state_abbreviation,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.rules.spans import set_span, span_end, tag_spans
from search.analysis.rules.words import (
    ANY_ARTICLES,
    ARTICLES,
    CALENDAR_WORDS,
    CLAUSE_ENDS,
    COMPASS,
    COMPASS_ADJECTIVES,
    CREEDS,
    DIRECTIONS,
    EPITHETS,
    HONORIFICS,
    HYPHEN_MINOR_KINDS,
    HYPHEN_PLACE_KINDS,
    HYPHEN_PREFIXES,
    KNOWN_PLACE_KINDS,
    LANGUAGE_FORMS,
    LARGE_PLACE_KINDS,
    LIST_SEPARATORS,
    MAX_CONSISTENCY_WORDS,
    MONTH_ABBREVIATIONS,
    MULTIWORD_PLACE_KINDS,
    NAME_BREAKS,
    NAME_LINKS,
    NAME_RUNS_ON,
    OPENING_BRACKETS,
    ORGANISATION_HEADS,
    OWNER_KINDS,
    PARTNERS,
    PARTY_LETTERS,
    PERSONAL_TITLES,
    PLACE_HEADS,
    PLACE_NOUNS,
    POSSESSIVES,
    RANGE_DASHES,
    REGNAL_NUMBERS,
    ROLE_NOUNS,
    SPEAKING_PLACE_KINDS,
    SPEECH_AFTER,
    SPEECH_BEFORE,
    SURNAME_PARTICLES,
    TABLE_WORDS,
    TITLE_FORMS,
    is_designator,
    is_name_word,
    known_place,
)


def mark_companies(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a name followed or ended by a company designator, directly or
    after "and"/"&" ("Merrill Lynch and Co", "Goldman, Sachs and Co"), is an ORG that
    includes the designator."""
    n = len(words)
    for typ, start, end in tag_spans(tags):
        follows = end < n and tags[end] == "O" and is_designator(words[end])
        partners = end + 1 < n and words[end] in PARTNERS and tags[end] == "O" and \
            words[end + 1].rstrip(".").lower() in ("co", "cos") and \
            not tags[end + 1].startswith("I-")
        if partners:
            end += 2
        elif follows:
            end += 1
        elif not is_designator(words[end - 1]):
            continue
        first = start
        if end - start >= 3 and words[end - 2] in PARTNERS:
            # "Goldman , Sachs and Co", "Smith Barney , Harris Upham and Co": partners'
            # names before a comma belong to the firm.
            while first >= 2 and words[first - 1] == "," and tags[first - 2] != "O" \
                    and words[first - 2][:1].isupper():
                first -= 2
                while first > 0 and tags[first].startswith("I-"):
                    first -= 1
        if typ == "ORG" and not (partners or follows) and first == start:
            continue
        set_span(tags, first, end, "ORG")
    return tags


MAX_SEAT_WORDS = 3  # "of Salt Lake City"


def mark_company_seats(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where "of X" after a company's complete name gives the company's seat:
    X is a place and the company's name ends before "of" ("Enercon Data Corp of
    Minneapolis", "<I P Sharp Associates Ltd> of Toronto", "Daiwa Securities Co Ltd, of
    Tokyo").

    A name is complete when it ends with a company designator or with the ">" that
    closes a wire's bracketed company name. X must be a gazetteer place followed by no
    other capitalised word: "Ford Motor Co of Canada Ltd" is one name, and "Group of
    Five" names no place.
    """
    if "of" not in words:
        return tags  # the common case, in one pass at C speed
    n = len(words)
    kinds = place_kinds()
    for j in range(1, n - 1):
        if words[j] != "of" or not words[j + 1][:1].isupper():
            continue
        k = j - 2 if words[j - 1] == "," and j > 1 else j - 1
        word = words[k]
        if word != ">" and not is_designator(word):
            continue
        if k == j - 1 and word.rstrip(".") in NAME_RUNS_ON:
            continue  # "Public Service Co of New Hampshire": the legal name runs on
        if word == ">" and "<" not in words[:k]:
            continue
        first = j + 1
        length = 0
        for size in range(min(MAX_SEAT_WORDS, n - first), 0, -1):
            span = words[first:first + size]
            if all(w[:1].isalnum() for w in span) and \
                    kinds.get(place_key(" ".join(span))) is not None:
                length = size
                break
        end = first + length
        if not length or (end < n and words[end][:1].isupper()) or (
                end < n and is_designator(words[end])):
            continue
        place = resolve_place(" ".join(words[first:end]))
        if place is None or not place.country:
            continue
        # A name running on past its designator stops there; so does whatever it
        # swallowed after the place ("<Augusta Group> of Italy , rolled").
        stop = span_end(tags, end) if end < n and tags[end].startswith("I-") else end
        for i in range(k + 1, stop):
            tags[i] = "O"
        if word == ">" and tags[k].startswith("I-"):
            tags[k] = "O"
        tags[first] = "B-LOC"
        for i in range(first + 1, end):
            tags[i] = "I-LOC"
    return tags


def mark_demonym_phrases(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where "West German", "South Korean" and the like are MISC: a demonym,
    not the place its first word looks like."""
    for typ, start, end in tag_spans(tags):
        if (typ == "LOC" and end - start == 1 and words[start] in COMPASS
                and end < len(words) and demonym_country(words[end])):
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
        if word in CREEDS or (len(word) > 5 and word.endswith("ism") and word.isalpha()
                              and word[:1].isupper() and not word.isupper()):
            tags[i] = "B-MISC"
    return tags


def mark_titled_people(words: Sequence[str], tags: list[str], first_names: frozenset[str]
                       ) -> list[str]:
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
        if not (is_title(words[i]) and words[i][:1].isupper() and nxt[:1].isupper()
                and not is_title(nxt)):
            i += 1
            continue
        if nxt in first_names or key in HONORIFICS:
            j = i + 1
            while j < n and words[j][:1].isupper() and not is_title(words[j]) and \
                    not is_designator(words[j]):
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
        if tags[k].startswith("I-") and (k == 0 or tags[k - 1] == "O" or
                                         tags[k - 1][2:] != tags[k][2:]):
            tags[k] = "B-" + tags[k][2:]
    return tags


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _company_core(words: Sequence[str], start: int, end: int) -> tuple[str, ...]:
    """Return an organisation's name without the designators that end it ("Merrill
    Lynch" for "Merrill Lynch and Co", "Chrysler" for "Chrysler Corp"; also when the
    model ended the span before the designator), else ()."""
    stop = end
    while stop < len(words) and is_designator(words[stop]):
        stop += 1  # "Merrill Lynch and" tagged apart from its "Co"
    cut = stop
    while cut > start and (is_designator(words[cut - 1])
                           or words[cut - 1] in PARTNERS or words[cut - 1] == ","):
        cut -= 1
    if cut in (stop, start) or not words[cut - 1][:1].isupper():
        return ()
    return tuple(words[start:cut])


def make_consistent(sentences: Sequence[Sequence[str]], tagged: list[list[str]],
                    first_names: frozenset[str] = frozenset()) -> list[list[str]]:
    """Return tags where every occurrence of a name tagged somewhere in the document
    carries that name's majority label; a person's surname alone counts as the person,
    and is that person whatever else it was tagged if the full name starts with a known
    first name ("Diego Silang" ... "Silang 's group"), unless it is a well-known place."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    surnames: dict[str, Counter[str]] = defaultdict(Counter)
    first_named: set[str] = set()
    for words, tags in zip(sentences, tagged, strict=True):
        for typ, start, end in tag_spans(tags):
            name = tuple(words[start:end])
            votes[name][typ] += 1
            if typ == "ORG":
                core = _company_core(words, start, end)
                if core:
                    # A name written with a designator is a company's: "Merrill Lynch
                    # and Co" ... "Merrill Lynch said", "Chrysler Corp" ... "Chrysler";
                    # so is the first partner's name of "Goldman , Sachs and Co".
                    votes[core]["ORG"] += 2
                    if "," in core:
                        votes[core[:core.index(",")]]["ORG"] += 2
            if typ == "PER" and end - start >= 2 and is_name_word(words[end - 1]):
                # A full name is strong evidence for its surname used alone.
                surnames[words[end - 1]]["PER"] += 2
                if words[start] in first_names or any(_is_initial(w) for w in
                                                      words[start + 1:end - 1]):
                    first_named.add(words[end - 1])
    if not votes:
        return tagged
    kinds = place_kinds()
    for word, count in surnames.items():
        key = (word,)
        if key not in votes:
            votes[key]["PER"] += count["PER"]
            continue
        person = votes[key]["PER"] + count["PER"]
        other = sum(votes[key].values()) - votes[key]["PER"]
        # "Washington" after "Denzel Washington" may still be the city.
        known_place = kinds.get(place_key(word)) in KNOWN_PLACE_KINDS
        if person > other or not known_place and (person == other or word in first_named):
            votes[key] = Counter({"PER": 1})
        elif person == other:
            votes[key]["PER"] += count["PER"]  # a tie: the first label seen
    label = {name: c.most_common(1)[0][0] for name, c in votes.items()}
    first_words = {name[0] for name in label}
    result = []
    for words, tags in zip(sentences, tagged, strict=True):
        tags = list(tags)
        n = len(words)
        i = 0
        while i < n:
            if words[i] not in first_words or not words[i][:1].isupper():
                i += 1
                continue
            for length in range(min(MAX_CONSISTENCY_WORDS, n - i), 0, -1):
                typ = label.get(tuple(words[i:i + length]))
                if typ is None:
                    continue
                inside_other = (
                    tags[i].startswith("I-")
                    or (i + length < n and tags[i + length].startswith("I-"))
                )
                if not inside_other:
                    set_span(tags, i, i + length, typ)
                i += length - 1
                break
            i += 1
        result.append(tags)
    return result


def mark_speakers(words: Sequence[str], tags: list[str], lower_words: frozenset[str]
                  ) -> list[str]:
    """Return tags where a lone capitalised word the model made a place, or left untagged,
    is a person when it speaks ("Tarlo explains", "says Tarlo ."), is followed by ", who"
    ("Gomery , who led"), or is joined by "and"
    to a person ("Aoun and Hariri", "Kesha and Pebe"). Well-known places ("Tokyo said",
    "Budapest and Hans"), and common words ("I thought") are left alone."""
    n = len(words)
    for i, word in enumerate(words):
        who = i + 2 < n and words[i + 1] == "," and words[i + 2] == "who"
        if not word[:1].isupper() or len(word) < 3 or \
                tags[i] not in (("O", "B-LOC", "B-ORG") if who else ("O", "B-LOC")):
            continue
        if (i > 0 and words[i - 1][:1].isupper()) or (i + 1 < n and words[i + 1][:1].isupper()):
            continue
        if i + 1 < n and tags[i + 1].startswith("I-"):
            continue
        before = i > 0 and words[i - 1] in SPEECH_BEFORE and (
            i + 1 == n or words[i + 1] in CLAUSE_ENDS)
        after = (tags[i] == "B-LOC" or i > 0) and i + 1 < n and \
            words[i + 1] in SPEECH_AFTER or who
        # Not a plural: "Reagan and Republicans", "Sperry and Burroughs".
        joined = not word.endswith("s") and (
            (i + 2 < n and words[i + 1] == "and" and tags[i + 2] == "B-PER")
            or (i >= 2 and words[i - 1] == "and" and tags[i - 2][2:] == "PER"))
        if not (before or after or joined):
            continue
        if word.lower() in lower_words or not word.isalpha() or word.isupper() or \
                word in CALENDAR_WORDS:
            continue
        # A city of 100,000 may speak for its people ("Bangor said") but is seldom
        # joined to a person ("Chandler and Weller").
        kind = place_kinds().get(place_key(word))
        if kind in KNOWN_PLACE_KINDS or demonym_country(word) or (
                kind in SPEAKING_PLACE_KINDS and (before or after)):
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
        if words[i - 1] not in ROLE_NOUNS or not is_name_word(words[i]) or \
                tags[i] == "B-PER" or tags[i].startswith("I-") or words[i].isupper():
            continue
        j = i + 1
        while j < n and (is_name_word(words[j]) or (
                words[j] in SURNAME_PARTICLES and j + 1 < n and is_name_word(words[j + 1]))):
            j += 1
        if j < n and tags[j].startswith("I-"):
            continue
        name = " ".join(words[i:j])
        if demonym_country(words[i]) or kinds.get(place_key(name)) in KNOWN_PLACE_KINDS \
                or not all(w.isalpha() for w in words[i:j]) \
                or any(is_designator(w) for w in words[i:j]):
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
        epithet = words[end] == "the" and words[end + 1] in EPITHETS and tags[end] == "O" \
            and (end + 2 == n or not words[end + 2][:1].isupper())
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
        cut = next((k for k in range(start + 1, end) if words[k] in NAME_BREAKS
                    and not (edited and words[k] in ("]", ")"))
                    or words[k].startswith(OPENING_BRACKETS)), end)
        for k in range(cut, end):
            tags[k] = "O"
        end = cut
        if typ != "PER":
            continue
        if start > 0 and tags[start - 1] == "O" and words[start - 1].isalpha() and \
                words[start - 1].lower() in NAME_PARTICLES and \
                (start == 1 or words[start - 1][:1].islower() or tags[start - 2] == "O"):
            joined = start >= 2 and tags[start - 2][2:] == "PER"
            tags[start - 1] = "I-PER" if joined else "B-PER"
            for k in range(start, end):
                tags[k] = "I-PER"
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
    return frozenset(key.split()[0] for key, kind in place_kinds().items()
                     if kind in KNOWN_PLACE_KINDS and key)


def mark_known_places(words: Sequence[str], tags: list[str], first_names: frozenset[str]
                      ) -> list[str]:
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
        if tags[i] != "O" or not word[:1].isupper() or word in first_names or (
                (word.lower() if word.isalpha() else place_key(word).partition(" ")[0])
                not in first_words):
            i += 1
            continue
        matched = 0
        for length in range(min(MAX_KNOWN_PLACE_WORDS, n - i), 0, -1):
            span = words[i:i + length]
            # Every word must be one: place_key drops punctuation ("MOSCOW -").
            if any(t != "O" for t in tags[i:i + length]) or not all(
                    w[:1].isalnum() for w in span):
                continue
            if kinds.get(place_key(" ".join(span))) in KNOWN_PLACE_KINDS:
                matched = length
                break
        end = i + matched
        alone = matched and (end == n or not words[end][:1].isupper()) and (
            i == 0 or not words[i - 1][:1].isupper() or tags[i - 1] == "O" and i == 1)
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
        cuts = [k for k in range(start + 1, end)
                if words[k].isalpha() and words[k].islower() and words[k] not in NAME_LINKS
                and not (typ == "LOC" and words[k] in PLACE_NOUNS)]
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


def mark_multiword_places(words: Sequence[str], tags: list[str], first_names: frozenset[str]
                          ) -> list[str]:
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
            keys = tuple(place_key(w) for w in words[i:i + MAX_CONSISTENCY_WORDS])
            for length in range(min(MAX_CONSISTENCY_WORDS, n - i), 1, -1):
                if keys[:length] in entries and all(w[:1].isalnum() for w in
                                                     words[i:i + length]):
                    matched = length
                    break
        if not matched:
            i += 1
            continue
        end = i + matched
        inside = tags[i:end]
        before_ok = tags[i] == "O" or tags[i].startswith("B-")
        after_ok = end == n or not tags[end].startswith("I-") or all(
            not w[:1].isupper() for w in words[end:span_end(tags, end)])
        if any(t != "O" for t in inside) and not all(t.endswith("-LOC") for t in inside) \
                and before_ok and after_ok:
            stop = span_end(tags, end) if end < n and tags[end].startswith("I-") else end
            set_span(tags, i, end, "LOC")
            for k in range(end, stop):
                tags[k] = "O"
        i = end
    for typ, start, end in tag_spans(tags):
        span = words[start:end]
        if typ == "PER" and end - start == 1 and \
                kinds.get(place_key(span[0])) in ("country", "capital") and \
                span[0] not in first_names and span[0][:1].isupper():
            tags[start] = "B-LOC"
        elif end - start >= 3 and any(w in LIST_SEPARATORS for w in span) \
                and kinds.get(place_key(" ".join(span))) is None:
            pieces, piece = [], [start]
            for k in range(start, end):
                if words[k] in LIST_SEPARATORS:
                    pieces.append((piece[0], k))
                    piece = [k + 1]
            pieces.append((piece[0], end))
            if len(pieces) >= 2 and all(
                    b > a and kinds.get(place_key(" ".join(words[a:b]))) in KNOWN_PLACE_KINDS
                    for a, b in pieces):
                for k in range(start, end):
                    tags[k] = "O"
                for a, b in pieces:
                    set_span(tags, a, b, "LOC")
    return tags


def mark_titled_places_as_people(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a "place" that starts with a personal title and is no known
    place ("Emperor Meiji", "President Kennedy") is that person."""
    if "B-LOC" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if typ == "LOC" and end - start >= 2 and \
                words[start].lower().rstrip(".") in PERSONAL_TITLES and \
                words[start + 1][:1].isupper() and \
                resolve_place(" ".join(words[start:end])) is None:
            set_span(tags, start, end, "PER")
    return tags


# ---- names that are no people in news text ---------------------------------------------


_MAX_BRACKETED_WORDS = 10


def _mark_bracketed_companies(words: Sequence[str], tags: list[str]) -> None:
    """Tag a wire's bracketed company name as one organisation, whatever the model made
    of its parts: "<Smith Barney, Harris Upham and Co Inc>", "<Wagner and Brown>",
    the ticker "<AMO>". Only brackets around capitalised words and the joints of a
    company's name."""
    n = len(words)
    for i, word in enumerate(words):
        if word != "<":
            continue
        close = next((j for j in range(i + 2, min(n, i + _MAX_BRACKETED_WORDS + 2))
                      if words[j] == ">"), None)
        if close is None:
            continue
        inside = words[i + 1:close]
        if inside[0][:1].isupper() and all(
                w[:1].isupper() or w[:1].isdigit() or w in PARTNERS or w in (",", ".", "of", "-")
                for w in inside) and (close + 1 == n or not tags[close + 1].startswith("I-")):
            set_span(tags, i + 1, close, "ORG")


def mark_names_that_are_no_people(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a "person" ending in an organisation's head noun ("Reserve
    Board", "China News Agency") is that organisation, taking in the capitalised
    words before it ("Federal", "New"); a "person" of only company designators
    ("Corp") or a short acronym ("GATT") is an organisation, as is a name in a wire's
    angle brackets ("<AMO>", "<Westland Helicopter>"); and a name of financial-table
    words ("Shr", "Oper"), a date ("Jan 31") or a lone compass adjective ("Western
    diplomats say") is no name at all."""
    if tags.count("O") == len(tags):
        return tags  # the common case, in one pass at C speed
    if "<" in words:
        _mark_bracketed_companies(words, tags)
    for typ, start, end in tag_spans(tags):
        span = words[start:end]
        if typ == "PER" and end - start == 1 and span[0] in COMPASS_ADJECTIVES:
            tags[start] = "O"  # "Western diplomats say"
        elif all(w.rstrip(".") in TABLE_WORDS for w in span) or (
                (span[0].rstrip(".") in MONTH_ABBREVIATIONS or span[0] in CALENDAR_WORDS)
                and end - start == 2 and span[1].isdigit()):
            for k in range(start, end):
                tags[k] = "O"
        elif typ == "PER" and (
                all(is_designator(w) for w in span)
                or end - start == 1 and 2 <= len(span[0]) <= 4 and span[0].isalpha()
                and span[0].isupper()):
            # "Corp" alone, or an acronym in mixed-case text ("GATT", "USDA", "NYSE")
            set_span(tags, start, end, "ORG")
        elif typ == "PER" and end - start >= 2 and span[-1] in ORGANISATION_HEADS:
            while start > 0 and tags[start - 1] == "O" and words[start - 1][:1].isupper() \
                    and words[start - 1].isalpha() and words[start - 1] not in ANY_ARTICLES:
                start -= 1
            set_span(tags, start, end, "ORG")
    return tags


def drop_capitalised_common_words(sentences: Sequence[Sequence[str]],
                                  tagged: list[list[str]]) -> list[list[str]]:
    """Return tags where a one-word name starting a sentence is no name if the document
    writes that word in lower case more often than capitalised mid-sentence ("Western
    economists said", with "western creditors" elsewhere): the capital is the
    sentence's, not a name's."""
    starts = [(i, 1 if words[:1] and not words[0][:1].isalnum() else 0)
              for i, words in enumerate(sentences)]
    candidates = {}
    for i, first in starts:
        words, tags = sentences[i], tagged[i]
        if len(words) > first and tags[first][:2] == "B-" and \
                (len(words) == first + 1 or not tags[first + 1].startswith("I-")) and \
                words[first].isalpha() and words[first][1:].islower():
            candidates[words[first].lower()] = 0
    if not candidates:
        return tagged
    for words in sentences:
        for w in words[1:]:
            lower = w.lower()
            if lower in candidates:
                candidates[lower] += 1 if w == lower else -1
    for i, first in starts:
        words, tags = sentences[i], tagged[i]
        if len(words) > first and candidates.get(words[first].lower(), 0) > 0 and \
                tags[first][:2] == "B-":
            tags[first] = "O"
    return tagged


# Organisations named like places: "Kennedy Space Center", "Danube Delta", "Wembley
# Stadium" end in a place's head noun (`PLACE_HEADS`); not "Church", "House" or
# "Hall", as the Catholic Church, the White House and Hall of Fame act as organisations.


def mark_facilities(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where an "organisation" whose name ends in a place's head noun
    ("Kennedy Space Center", "British Museum", "Danube Delta") is a place, as the gold
    standards and CoNLL have it. Not a name with an organisation's head in it
    ("Savings Bank of Oak Harbour"), nor a person: John Tower and Michael Bay are
    people."""
    if "B-ORG" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if typ == "ORG" and end - start >= 2 and words[end - 1][:1].isupper() and \
                words[end - 1].lower() in PLACE_HEADS and \
                ORGANISATION_HEADS.isdisjoint(words[start:end - 1]):
            set_span(tags, start, end, "LOC")
    return tags


# ---- the edges of place names -----------------------------------------------------------


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
            if resolve_place(" ".join(head)) is None or (
                    dash and resolve_place(" ".join(tail)) is None):
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
        if words[i] != "of" or not words[i - 1][:1].isupper() or \
                place_key(words[i - 1]) not in POLITY_WORDS:
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
            end = next((i + 1 + length for length in range(min(3, n - i - 1), 0, -1)
                        if all(w[:1].isalnum() for w in words[i + 1:i + 1 + length])
                        and resolve_place(" ".join(words[i + 1:i + 1 + length]))), 0)
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


_MAX_LANGUAGE_WORDS = 2


def _language_before(words: Sequence[str], tags: Sequence[str], j: int) -> tuple[str, ...]:
    """Return the name right before the language word words[j], tagged or not ("the
    Eegimaa language"), or () when there is none or it is a well-known place."""
    end = j
    if tags[end - 1] != "O":
        start = end - 1
        while tags[start].startswith("I-"):
            start -= 1
    else:
        start = end
        while start > max(0, end - _MAX_LANGUAGE_WORDS) and tags[start - 1] == "O" and \
                words[start - 1][:1].isupper() and words[start - 1].isalpha() and \
                words[start - 1] not in ARTICLES:
            start -= 1
    name = tuple(words[start:end])
    if not name or tags[start][2:] in ("PER", "ORG") or \
            known_place(name) in KNOWN_PLACE_KINDS:
        return ()
    return name


def mark_languages(sentences: Sequence[Sequence[str]], tagged: list[list[str]]
                   ) -> list[list[str]]:
    """Return tags where a name that is a language somewhere in the document ("the
    Eegimaa language", "Bayot speakers") is MISC wherever it was tagged a place:
    a language named after its people is no place. A well-known place ("Texas
    speakers") is left alone."""
    languages = set()
    for words, tags in zip(sentences, tagged, strict=True):
        if LANGUAGE_FORMS.isdisjoint(words):
            continue  # nearly every sentence, at C speed
        for j in range(1, len(words)):
            if words[j] in LANGUAGE_FORMS:
                name = _language_before(words, tags, j)
                if name:
                    languages.add(name)
    if not languages:
        return tagged
    for words, tags in zip(sentences, tagged, strict=True):
        for typ, start, end in tag_spans(tags):
            if typ == "LOC" and tuple(words[start:end]) in languages:
                set_span(tags, start, end, "MISC")
    return tagged


# ---- places inside hyphenated words ("Texas-based", "U.S.-Japan", "D-Kan.") -------------

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


def _leading_place(words: Sequence[str], tags: Sequence[str], i: int, first: str,
                   minor: bool) -> int | None:
    """Return the first token of a multi-word place of untagged words that ends with
    `first`, the first part of words[i] ("New" for "New York-based"), else None."""
    for length in range(_MAX_PLACE_PREFIX_WORDS, 0, -1):
        j = i - length
        if j < 0 or not all(w[:1].isupper() and t[2:] in ("", "MISC")
                                for w, t in zip(words[j:i], tags[j:i], strict=True)):
            continue
        if _is_place_key(place_key(" ".join([*words[j:i], first])), minor):
            return j
    return None


def _places_in_word(words: Sequence[str], tags: Sequence[str], i: int,
                    lower_words: frozenset[str]) -> list[tuple[int, int, int, int]]:
    """Return the places named in the hyphenated words[i] (see `hyphenated_places`)."""
    word = words[i]
    whole = place_kinds().get(place_key(word))
    if whole is not None:
        # "Guinea-Bissau", "Winston-Salem": one name, not two places.
        return [(i, 0, i, len(word))] if whole in HYPHEN_PLACE_KINDS and \
            word[:1].isupper() else []
    parts = _PART_SEPARATOR.split(word)
    party = len(parts) == 2 and place_key(parts[0]) in PARTY_LETTERS
    kinds = [_hyphen_part(p, party, lower_words) for p in parts]
    lower_rest = all(p[:1].islower() or not p[:1].isalpha() for p in parts[1:])
    lead = None
    if parts[0][:1].isupper():
        lead = _leading_place(words, tags, i, parts[0], lower_rest)
    if NAME_PART in kinds[0 if lead is None else 1:]:
        return []  # "Bristol-Myers", "Hydro-Quebec", "Georgia-Pacific": a name
    if lead is None and i > 0 and tags[i - 1][2:] in ("", "MISC") and \
            words[i - 1][:1].isupper() and words[i - 1].isalpha() and \
            words[i - 1].lower() not in lower_words:
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


def hyphenated_places(words: Sequence[str], tags: list[str], lower_words: frozenset[str]
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
                untagged = [*tags[:start], *(["O"] * (k + 1 - start)), *tags[k + 1:]]
                places = _places_in_word(words, untagged, k, lower_words)
                if places and places[0][0] == start:
                    tags[start:k + 1] = untagged[start:k + 1]
                    tags[k + 1] = "B-" + typ
                    found.extend(places)
                break
    for i, word in enumerate(words):
        if ("-" in word or "/" in word) and len(word) > 2 and tags[i][2:] in ("", "MISC"):
            if any(f[2] == i for f in found):
                continue
            found.extend(_places_in_word(words, tags, i, lower_words))
    return sorted(found)
