"""Rules over a whole document's tags: what one sentence says about a name holds in all.

- `mark_languages`: a name that is a language somewhere ("the Eegimaa language",
  "Bayot speakers") is no place anywhere in the document;
- `make_consistent`: a name tagged once is tagged alike throughout, by majority; a
  surname alone counts as its full name, a firm's short name ("Merrill Lynch") as the
  firm ("Merrill Lynch and Co");
- `name_firms_by_first_word`: the first word of a firm's name written with a
  designator, used alone, is the firm ("Purolator" after "Purolator Courier Corp");
- `drop_capitalised_common_words`: a one-word name starting a sentence is none if the
  document writes the word in lower case more often ("Western" and "western").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from search.analysis.places import (
    demonym_country,
    place_key,
    place_kinds,
)
from search.analysis.rules.spans import set_span, tag_spans
from search.analysis.rules.words import (
    ARTICLES,
    KNOWN_PLACE_KINDS,
    LANGUAGE_FORMS,
    MAX_CONSISTENCY_WORDS,
    ORGANISATION_OPENERS,
    PARTNERS,
    is_designator,
    is_name_word,
    known_place,
)


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _company_names(words: Sequence[str], start: int, end: int) -> tuple[tuple[str, ...], ...]:
    """Return an organisation's name without the designators that end it ("Merrill
    Lynch" for "Merrill Lynch and Co", "Chrysler" for "Chrysler Corp"; also when the
    model ended the span before the designator), then with each of them in turn
    ("Federal", "Federal Industries" for "Federal Industries Ltd"); ((),) when no
    designator ends it."""
    stop = end
    while stop < len(words) and is_designator(words[stop]):
        stop += 1  # "Merrill Lynch and" tagged apart from its "Co"
    cut = stop
    while cut > start and (is_designator(words[cut - 1]) or words[cut - 1] in PARTNERS or words[cut - 1] == ","):
        cut -= 1
    if cut in (stop, start) or not words[cut - 1][:1].isupper():
        return ((),)
    return (
        tuple(words[start:cut]),
        *(tuple(words[start:k]) for k in range(cut + 1, stop) if is_designator(words[k - 1])),
    )


def make_consistent(
    sentences: Sequence[Sequence[str]], tagged: list[list[str]], first_names: frozenset[str] = frozenset()
) -> list[list[str]]:
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
                core, *longer = _company_names(words, start, end)
                for name_with_designator in longer:
                    # "Federal Industries Ltd" ... "Federal Industries launches"
                    votes[name_with_designator]["ORG"] += 2
                if core:
                    # A name written with a designator is a company's: "Merrill Lynch
                    # and Co" ... "Merrill Lynch said", "Chrysler Corp" ... "Chrysler";
                    # so is the first partner's name of "Goldman , Sachs and Co".
                    votes[core]["ORG"] += 2
                    if "," in core:
                        votes[core[: core.index(",")]]["ORG"] += 2
            if typ == "PER" and end - start >= 2 and is_name_word(words[end - 1]):
                # A full name is strong evidence for its surname used alone.
                surnames[words[end - 1]]["PER"] += 2
                if words[start] in first_names or any(_is_initial(w) for w in words[start + 1 : end - 1]):
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
                typ = label.get(tuple(words[i : i + length]))
                if typ is None:
                    continue
                inside_other = tags[i].startswith("I-") or (i + length < n and tags[i + length].startswith("I-"))
                if not inside_other:
                    set_span(tags, i, i + length, typ)
                i += length - 1
                break
            i += 1
        result.append(tags)
    return result


def _firm_first_words(
    sentences: Sequence[Sequence[str]], tagged: list[list[str]], first_names: frozenset[str],
    lower_words: frozenset[str],
) -> set[str]:
    """Return the first words of the document's firms named with a designator and two
    or more other words ("Purolator" of "Purolator Courier Corp"; after a founder's
    first name the second, "Labatt" of "John Labatt Ltd") that name nothing
    else: no first name, common word, well-known place, demonym, bank-like opener, or
    surname of a person the document names in full."""
    firsts: set[str] = set()
    surnames: set[str] = set()
    for words, tags in zip(sentences, tagged, strict=True):
        for typ, start, end in tag_spans(tags):
            if typ == "PER" and end - start >= 2:
                surnames.add(words[end - 1])
            elif typ == "ORG" and end - start >= 3:
                core = _company_names(words, start, end)[0]
                if len(core) >= 2 and core[1] not in PARTNERS:
                    firsts.add(core[0])
                    if core[0] in first_names:
                        firsts.add(core[1])  # "Labatt" of "John Labatt Ltd", the founder's surname
    kinds = place_kinds()
    return {
        w for w in firsts - surnames
        if len(w) > 2 and w.isalpha() and w[:1].isupper() and w[1:2].islower() and w not in first_names
        and w.lower() not in lower_words and w not in ORGANISATION_OPENERS and demonym_country(w) is None
        and kinds.get(place_key(w)) not in KNOWN_PLACE_KINDS
    }


def name_firms_by_first_word(
    sentences: Sequence[Sequence[str]], tagged: list[list[str]], first_names: frozenset[str],
    lower_words: frozenset[str],
) -> list[list[str]]:
    """Return tags where the first word of a firm named with a designator ("Purolator
    Courier Corp"), used alone, is that firm: tagged as a one-word name of another
    kind, or untagged inside a sentence ("83 pct of Purolator common")."""
    firsts = _firm_first_words(sentences, tagged, first_names, lower_words)
    if not firsts:
        return tagged
    for words, tags in zip(sentences, tagged, strict=True):
        n = len(words)
        for i, word in enumerate(words):
            if word not in firsts or i + 1 < n and (
                tags[i + 1].startswith("I-") or tags[i + 1] == "O" and words[i + 1][:1].isupper()
            ):
                continue  # part of a longer name: "Purolator Courier", "PUERTO RICAN"
            in_place = i + 2 < n and words[i + 1] == "," and known_place(words[i + 2 : i + 3])
            if tags[i] == "B-LOC" and (i > 0 and words[i - 1].lower() in _LOCATIVES or in_place):
                continue  # the place: "downtown Norfolk", "Teberebie, Ghana"
            if tags[i] in ("B-PER", "B-LOC", "B-MISC") or tags[i] == "O" and i > 0:
                tags[i] = "B-ORG"
    return tagged


_LOCATIVES = frozenset({"in", "at", "near", "downtown", "outside", "around", "across", "to"})


def drop_capitalised_common_words(sentences: Sequence[Sequence[str]], tagged: list[list[str]]) -> list[list[str]]:
    """Return tags where a one-word name starting a sentence is no name if the document
    writes that word in lower case more often than capitalised mid-sentence ("Western
    economists said", with "western creditors" elsewhere): the capital is the
    sentence's, not a name's."""
    starts = [(i, 1 if words[:1] and not words[0][:1].isalnum() else 0) for i, words in enumerate(sentences)]
    candidates = {}
    for i, first in starts:
        words, tags = sentences[i], tagged[i]
        if (
            len(words) > first
            and tags[first][:2] == "B-"
            and (len(words) == first + 1 or not tags[first + 1].startswith("I-"))
            and words[first].isalpha()
            and words[first][1:].islower()
        ):
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
        if len(words) > first and candidates.get(words[first].lower(), 0) > 0 and tags[first][:2] == "B-":
            tags[first] = "O"
    return tagged


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
        while (
            start > max(0, end - _MAX_LANGUAGE_WORDS)
            and tags[start - 1] == "O"
            and words[start - 1][:1].isupper()
            and words[start - 1].isalpha()
            and words[start - 1] not in ARTICLES
        ):
            start -= 1
    name = tuple(words[start:end])
    if not name or tags[start][2:] in ("PER", "ORG") or known_place(name) in KNOWN_PLACE_KINDS:
        return ()
    return name


def mark_languages(sentences: Sequence[Sequence[str]], tagged: list[list[str]]) -> list[list[str]]:
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
