"""Organisations' canonical names, and what one article shows a name to be.

- `organisation_name`: a mention as the index stores it, designators and punctuation
  dropped ("Merrill Lynch and Co Inc", "Merrill Lynch & Co." -> "Merrill Lynch");
- `merge_organisations_within_article`: one name per organisation of an article: a later
  lone "Salomon" is "Salomon Brothers", a ticker ("<SB>") is the firm written before
  it, an acronym ("GATT") the long form the article gives
  ("General Agreement on Tariffs and Trade");
- `name_evidence`: the names an article shows to be organisations (a designator, a
  ticker, the wire's angle brackets, "shares of", "its" as its pronoun) or people (a
  title, "he"/"she"/"his"/"her" as the pronoun; "it" says nothing either way). The
  index keeps them per article, and the facet columns weigh them over the whole archive
  (`search/facets.py`, `classify_people`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from search.analysis.people import TITLE_WORDS, name_key
from search.analysis.rules.words import ORGANISATION_HEADS, is_designator

_LEXICON = Path(__file__).resolve().parent / "models" / "lexicon.json"

# Designators that say what kind of firm it is, dropped from the canonical name as the
# legal forms are ("Morgan Stanley Group Inc" and "Morgan Stanley and Co" are one firm).
_GROUP_WORDS = frozenset({"group", "holdings", "cos"})
_PARTNER_WORDS = frozenset({"and", "&"})
# Small words an acronym's long form may skip ("General Agreement on Tariffs and Trade").
_ACRONYM_SKIPS = frozenset({"of", "and", "&", "the", "on", "for", "in", "de", "des", "du", "la", "le"})
_TICKER = re.compile(r"[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?")


def organisation_name(mention: str) -> str:
    """Return an organisation's name as the index stores it: single spaces, no commas,
    no leading "The" or trailing "'s", no designators at its ends ("Salomon Brothers
    Inc" -> "Salomon Brothers", "NV Philips" -> "Philips"); a name made only of
    designators ("Corp") stays as written."""
    words = mention.replace(",", " ").split()
    if words and words[-1].endswith(("'s", "’s")) and len(words[-1]) > 2:
        words[-1] = words[-1][:-2]
    words = [w for w in words if w not in ("-", "--")]
    kept = list(words)
    while len(kept) > 1 and _droppable(kept[-1]):
        kept.pop()
    # "Federal Industries Ltd" is not "Federal": a common word alone names no firm, so a
    # designator that is a word itself ("Industries", "Group") stays with it.
    if len(kept) == 1 < len(words) and kept[0].lower() in _common_words() and words[1].lower() in _common_words():
        kept.append(words[1])
    while len(kept) > 1 and (is_designator(kept[0]) and kept[0].rstrip(".").isupper() or kept[0].lower() == "the"):
        kept.pop(0)
    if not kept or all(w.lower() in _PARTNER_WORDS for w in kept):
        kept = words
    name = " ".join(kept).strip(" .;:-")
    return name or " ".join(words)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Return the words the recogniser's lexicon knows as usually written in lower case."""
    return frozenset(json.loads(_LEXICON.read_text(encoding="utf-8"))["lower"])


def _droppable(word: str) -> bool:
    key = word.rstrip(".").lower()
    return is_designator(word) or key in _GROUP_WORDS or key in _PARTNER_WORDS


def is_designator_only(name: str) -> bool:
    """Return True for a name made only of company designators ("Inc", "Co", "Corp")."""
    return all(_droppable(w) for w in name.split())


def is_acronym(name: str) -> bool:
    """Return True for a name written as an acronym: 2 to 8 capitals, periods allowed."""
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def acronym_of(name: str) -> str:
    """Return the initials of a long name's capitalised words ("General Agreement on
    Tariffs and Trade" -> "GATT")."""
    return "".join(w[0] for w in name.split() if w.lower() not in _ACRONYM_SKIPS and w[:1].isalpha())


def is_ticker_at(text: str, start: int, end: int) -> bool:
    """Return True when text[start:end] is written in angle brackets as a ticker ("<SB>")."""
    return (
        start > 0
        and text[start - 1] == "<"
        and text[end : end + 1] == ">"
        and _TICKER.fullmatch(text[start:end]) is not None
    )


def merge_organisations_within_article(
    mentions: Iterable[tuple[int, int, str]], text: str
) -> dict[tuple[int, int], str]:
    """Return each organisation mention's canonical name, keyed by (start, end).

    `mentions` are (start, end, mention) in text order. A ticker right after a firm
    ("Salomon Brothers Inc <SB>") is that firm wherever the article writes it; an
    acronym is the long form whose initials it is, when the article gives one; a name
    whose words begin a longer name of the article, and begin only one, is that name
    ("Salomon" after "Salomon Brothers Inc"); a bare head noun ("the Bank") is the one
    organisation of the article it begins or ends, or, of several, the nearest one
    written before it."""
    found = sorted(mentions)
    names = {(s, e): organisation_name(m) for s, e, m in found}
    tickers: dict[str, str] = {}
    previous: tuple[int, int, str] | None = None
    for s, e, _ in found:
        if is_ticker_at(text, s, e):
            if previous is not None and 0 <= s - previous[1] <= 3 and not is_ticker_at(text, previous[0], previous[1]):
                tickers.setdefault(text[s:e], previous[2])
        else:
            previous = (s, e, names[(s, e)])
    distinct = [n for n in dict.fromkeys(names.values()) if n not in tickers]
    keyed = {n: name_key(n).split() for n in distinct}
    longer: dict[str, str] = {}
    heads_of: dict[str, set[str]] = {}  # a bare head's several named organisations
    for name in distinct:
        words = keyed[name]
        if not words:
            continue
        head = False
        if is_acronym(name):
            forms = {
                n
                for n in distinct
                if n != name and len(keyed[n]) > 1 and acronym_of(n).upper() == name.replace(".", "")
            }
        else:
            # "the Bank" is the article's one bank: "World Bank" as well as "Bank of Japan".
            head = len(words) == 1 and name in ORGANISATION_HEADS
            forms = {
                n
                for n in distinct
                if len(keyed[n]) > len(words) and (keyed[n][: len(words)] == words or head and keyed[n][-1] == words[0])
            }
        if len(forms) == 1:
            longer[name] = forms.pop()
        elif forms:
            # A headline's capitals are the same name: "BANK OF ENGLAND", "Bank of England".
            by_key = {" ".join(keyed[n]): n for n in sorted(forms, key=lambda n: (not n.isupper(), n))}
            if len(by_key) == 1:
                longer[name] = by_key.popitem()[1]
            elif head:
                heads_of[name] = forms
    result = {}
    for (s, e), name in names.items():
        if is_ticker_at(text, s, e) and text[s:e] in tickers:
            name = tickers[text[s:e]]
        if name in heads_of:
            name = _nearest_named(s, heads_of[name], names)
        result[(s, e)] = longer.get(name, name)
    return result


def _nearest_named(start: int, forms: set[str], names: Mapping[tuple[int, int], str]) -> str:
    """Return which of an article's named organisations a bare head at `start` stands for
    ("the Bank" after "the World Bank" and before "Bank of Japan"): the last one written
    before it, else the first after it."""
    before = [(s, n) for (s, _), n in names.items() if n in forms and s < start]
    if before:
        return max(before)[1]
    return min((s, n) for (s, _), n in names.items() if n in forms)[1]


def firms_taken_for_people(raw: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """Return tagged mentions (PER/LOC/ORG, start, end, text) where a one-word "person"
    that begins the name of a firm the same text writes with a designator ("Salomon"
    with "Salomon Brothers Inc") is that firm, an ORG."""
    firms = [
        name_key(t).split() for typ, _, _, t in raw if typ == "ORG" and any(is_designator(w) for w in t.split()[1:])
    ]
    if not firms:
        return raw
    out = []
    for typ, start, end, text in raw:
        words = name_key(text).split()
        if typ == "PER" and len(words) == 1 and any(len(f) > 1 and f[0] == words[0] for f in firms):
            typ = "ORG"
        out.append((typ, start, end, text))
    return out


# What the words around a mention say it is. The name's own possessive is skipped.
_AFTER_PRONOUN = re.compile(r"(?:'s|’s)?(?:\s+[\w-]+){0,3}?\s+(?:said|says|added|reported)\s+(its|it|he|she|his|her)\b")
_AFTER_TICKER = re.compile(r"\s*(?:[A-Z][\w.&-]*\s+){0,3}?<[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?>")
_AFTER_SHARES = re.compile(r"(?:'s|’s)?\s+(?:common\s+)?(?:shares|stock)\b")
_BEFORE_SHARES = re.compile(r"\b[Ss]hares\s+of\s+(?:[A-Z][\w.&-]*\s+){0,3}$")
_FIRM_WORD = re.compile(r"\s*([A-Z][\w.'’-]*|and|&|,|['’]s\b)")
_BEFORE_TITLE = re.compile(r"([A-Za-z]+)\.?\s+$")
# "it" alone is no evidence: "Baker said it was a mistake" is as common as "Salomon said it".
# Titles that only a person takes ("Mr", "Secretary"); TITLE_WORDS also holds words of
# offices and firms alike ("Trade", "State", "New", "General").
_PERSON_TITLES = TITLE_WORDS - frozenset(
    """foreign defense defence finance interior trade economy economics energy agriculture
    health education labor labour treasury state home acting former late then new incoming
    outgoing deposed ousted exiled interim opposition rebel militant leader general chief
    deputy executive ceo founder co-founder private officer justice""".split()
)  # noqa: SIM905
_ORG_PRONOUNS = frozenset({"its"})
# "it" says nothing either way; only these make a person ("Moody's said it took the
# action" is no person's evidence).
_PERSON_PRONOUNS = frozenset({"he", "she", "his", "her"})


def _firm_follows(after: str) -> bool:
    """Return True when the words right after a name end a firm's name with a designator:
    directly ("Salomon Inc", "Poor's Corp") or after partners' names ("Duff and Phelps
    Corp", "Smith Barney, Harris Upham and Co"); "John Smith, Acme Corp's president" is no
    evidence: a comma alone does not make partners."""
    position, partners, words = 0, False, 0
    while words < 8:
        m = _FIRM_WORD.match(after, position)
        if m is None:
            return False
        word = m.group(1)
        position, words = m.end(), words + 1
        if is_designator(word):
            return partners or words == 1 or words == 2 and after.lstrip()[:1] in "'’,"
        partners = partners or word in ("and", "&")
    return False


def name_evidence(text: str, entities: Iterable) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (names shown to be organisations, names shown to be people) in one text.

    `entities` are the text's recognised entities (search.analysis.entities.Entity).
    The names are the canonical names the index stores: a person's ("Salomon", "Merrill
    Lynch" when the recogniser took the firm for a person) or an organisation's.
    Organisation evidence: a company designator or a ticker after the name, "shares of"
    before it or "shares" after it, "its" as its pronoun ("Salomon said its"), the
    wire's angle brackets around a name of words ("<Banque Paribas>"), and for a
    person's name the start of a designated firm's name in the same article ("Salomon"
    with "Salomon Brothers Inc"). Person evidence: a title before the name ("Mr
    Salomon", "Treasury Secretary Baker"), "he"/"she"/"his"/"her" as its pronoun; "it"
    is neither ("Moody's said it", "Baker said it was a mistake").
    """
    organisations: dict[str, None] = {}
    people: dict[str, None] = {}
    designated: list[list[str]] = []
    persons = []
    for e in entities:
        label = getattr(e, "label", "")
        if label not in ("person", "organisation"):
            continue
        after = text[e.end : e.end + 80]
        before = text[max(0, e.start - 60) : e.start]
        org = _shows_organisation(e.text, after, before) or _is_bracketed_name(text, e.start, e.end)
        if label == "organisation":
            if org and not is_ticker_at(text, e.start, e.end):
                organisations[e.canonical] = None
                designated.append(name_key(e.canonical).split())
            continue
        persons.append(e)
        pronoun = _AFTER_PRONOUN.match(after)
        title = _BEFORE_TITLE.search(before)
        if org:
            organisations[e.canonical] = None
        elif pronoun and pronoun.group(1) in _PERSON_PRONOUNS or title and title.group(1).lower() in _PERSON_TITLES:
            people[e.canonical] = None
    person_ends = {e.end for e in persons}
    for e in persons:
        if _partner_of_a_firm(text, e, person_ends):
            organisations[e.canonical] = None
    for e in persons:
        words = name_key(e.canonical).split()
        if e.canonical not in people and any(len(d) > len(words) and d[: len(words)] == words for d in designated):
            organisations[e.canonical] = None
    return tuple(organisations), tuple(n for n in people if n not in organisations)


# "Standard and Poor's": a word before "and" that the recogniser did not take for a person.
_PARTNER_BEFORE = re.compile(r"\b[A-Z][\w.'’-]*\s+(?:and|&)\s+$")
_PARTNER_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:and|&)\s+[A-Z][\w.'’-]*(?:'s|’s)?\s+"
    r"(?:said|says|rated|rates|cut|raised|lowered|upgraded|downgraded)\b"
)


def _partner_of_a_firm(text: str, e, person_ends: set[int]) -> bool:
    """Return True for a one-word name joined by "and" to another capitalised word, as
    partners' names make a firm: "Standard and Poor's" (the other word no person's),
    "Duff and Phelps said" (a firm's verb after both). A person named so carries a first
    name or a title elsewhere in the archive, which outweighs it."""
    if " " in e.canonical.strip():
        return False
    before = _PARTNER_BEFORE.search(text[max(0, e.start - 40) : e.start])
    if before and text[e.end : e.end + 2] in ("'s", "’s"):
        other_end = max(0, e.start - 40) + before.start() + len(before.group().split()[0])
        if other_end not in person_ends:
            return True
    return bool(_PARTNER_AFTER.match(text, e.end))


def _is_bracketed_name(text: str, start: int, end: int) -> bool:
    """Return True when text[start:end] is a wire's bracketed company name of words
    ("<Banque Paribas>", "<Wagner and Brown>"), as the wire writes a firm it has no
    ticker for; a ticker ("<SB>") is no name."""
    return (
        start > 0
        and text[start - 1] == "<"
        and text[end : end + 1] == ">"
        and not is_acronym(text[start:end])
        and any(c.islower() for c in text[start:end])
    )


def _shows_organisation(mention: str, after: str, before: str) -> bool:
    if any(is_designator(w) for w in mention.split()[1:]) or _firm_follows(after):
        return True
    if _AFTER_TICKER.match(after) or _AFTER_SHARES.match(after) or _BEFORE_SHARES.search(before):
        return True
    pronoun = _AFTER_PRONOUN.match(after)
    return bool(pronoun and pronoun.group(1) in _ORG_PRONOUNS)


def organisation_evidence_keys(counts: Mapping[str, int]) -> dict[str, int]:
    """Return evidence counts keyed by `name_key`, summing the spellings of one name."""
    keyed: dict[str, int] = {}
    for name, count in counts.items():
        key = name_key(name)
        keyed[key] = keyed.get(key, 0) + count
    return keyed


def judge_people(
    counts: Mapping[str, int],
    organisation_evidence: Mapping[str, int],
    person_evidence: Mapping[str, int],
    merged: Mapping[str, str],
) -> tuple[dict[str, str], set[str]]:
    """Return ({person name: organisation name}, {names not listed}) over the archive.

    `counts` holds the people facet's names with their article counts; the evidence
    maps hold, per `name_key`, the articles that show a name to be an organisation or a
    person (`name_evidence`); `merged` maps the single-word names that merge into a
    full name of the archive ("Netanyahu" -> "Benjamin Netanyahu", computed without the
    names moved here). A name with more organisation than person evidence is an
    organisation. Each name is judged on its own evidence, before any merge: what the
    archive says of "North" (North American Coal Corp) is nothing about "Oliver North".
    A single word that stays a person is listed only with evidence that it is one: a
    title or a personal pronoun somewhere in the archive, or a full name it merges into.
    """
    moved: dict[str, str] = {}
    unlisted: set[str] = set()
    for name in counts:
        key = name_key(name)
        as_org, as_person = organisation_evidence.get(key, 0), person_evidence.get(key, 0)
        if as_org > as_person:
            moved[name] = organisation_name(name)
        elif len(key.split()) == 1 and not as_person and name not in merged:
            unlisted.add(name)
    return moved, unlisted


_POSSESSIVES = ("'s", "’s")


def _spelling_key(name: str) -> str:
    """Return the key under which spellings of one name meet: "&" as "and", no final
    "'s" ("Standard & Poor's", "Standard and Poor" from "Standard and Poor's said")."""
    if name.endswith(_POSSESSIVES):
        name = name[:-2]
    return name_key(name.replace("&", " and "))


def merge_organisation_aliases(counts: Mapping[str, int]) -> dict[str, str]:
    """Map organisation names to the name of the archive they stand for: an acronym to
    the one long form whose initials it is ("GATT" -> "General Agreement on Tariffs and
    Trade", or the long form to the acronym when the archive writes that more), and a
    single word to the longer name it begins ("Salomon" -> "Salomon Brothers"), when that
    name is written more often than the word and is the only one or holds
    `ALIAS_DOMINANCE` of the articles of all candidates (the last partner's name
    counts as a beginning: "Poor" -> "Standard and Poor's"); names spelt alike but for punctuation ("Standard and
    Poor's", "Standard & Poor's") join under the most frequent, and a name without the
    final "'s" it is written with elsewhere ("Standard and Poor", from the possessive
    stripped off "Standard and Poor's said") under the one with it."""
    from search.analysis.people import ALIAS_DOMINANCE

    merged: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for name in counts:
        by_key.setdefault(_spelling_key(name), []).append(name)
    for spellings in by_key.values():
        if len(spellings) > 1:
            # A name ending in "'s" is one the archive wrote with more after it
            # ("Standard and Poor's Corp"): the "'s" is the name's, not a possessive.
            best = max(spellings, key=lambda n: (n.endswith(_POSSESSIVES), counts[n], n))
            merged.update({n: best for n in spellings if n != best})
    names = [n for n in counts if n not in merged]
    by_first: dict[str, list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    for name in names:
        words = name_key(name).split()
        if len(words) >= 2:
            by_first.setdefault(words[0], []).append(name)
            partners = _spelling_key(name).split()
            if len(partners) >= 3 and partners[-2] == "and":
                # The last partner's name alone is the firm too: "Poor" said it.
                by_first.setdefault(partners[-1], []).append(name)
            initials = acronym_of(name).upper()
            if len(initials) >= 3:
                by_initials.setdefault(initials, []).append(name)
    for name in names:
        words = name_key(name).split()
        if len(words) != 1:
            continue
        if is_acronym(name) and len(name.replace(".", "")) >= 3:
            forms = [n for n in by_initials.get(name.replace(".", ""), []) if n not in merged]
            if len(forms) == 1:  # the pair goes under the spelling the archive prefers
                short_wins = counts[name] > counts[forms[0]]
                merged.update({forms[0]: name} if short_wins else {name: forms[0]})
            continue
        candidates = by_first.get(words[0], [])
        if not candidates:
            continue
        best = max(candidates, key=lambda n: (counts[n], n))
        # "Texaco" is not "Texaco Canada": a word joins only a name the archive writes more.
        if counts[best] >= counts[name] and (
            len(candidates) == 1 or counts[best] >= ALIAS_DOMINANCE * sum(counts[n] for n in candidates)
        ):
            merged[name] = best
    for name, target in merged.items():
        seen = {name}
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        merged[name] = target
    return {n: t for n, t in merged.items() if n != t}
