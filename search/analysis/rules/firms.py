"""Rules for firms named by what is around them, on one sentence's tags.

- `mark_described_firms`: a name after a firm's noun ("state oil company Ecopetrol",
  "sugar producer Beghin-Say", "health regulator Anvisa"), before one in an apposition
  ("Stellantis, the carmaker formed by"), before "shares", "analysts" or "founder", or
  before what a firm's possessive owns ("Nike's sales") is a firm, unless it is a
  person's full name or a well-known place;
- `split_people_of_firms`: a person "of" a firm is the two ("William Siedenburg of
  Smith Barney Harris Upham and Co");
- `mark_acronyms_and_ampersands`: common acronyms, holidays, pandemic words ("COVID",
  "the Delta variant") and common words alone name nothing, competitions no
  organisation or place ("Champions League", "Bundesliga"); exchanges, legislatures
  read as people, firms named after founders, "OPEC+", a name after "shares of" or
  joined by "and" to a firm ("Sanofi and GlaxoSmithKline"), and names joined by "&" are
  organisations; a first name after a firm's possessive starts a person;
- `mark_named_bodies`: a name ending in an organisation's noun ("the World Trade
  Organization", "Hong Kong Monetary Authority") or before a body's noun ("its Amaq news
  agency"), a brand's inner capitals ("SpaceX", "easyJet"), a word after "shares of", "Moody's
  Investors Service", "S&P Global Ratings" and a team before a role and a person
  ("Liverpool manager Juergen Klopp") are organisations; a verb, a country's possessive
  or a role inside an organisation's name ends it ("U.S. Justice Department sued
  Google", "Eni and France's Total", "NATO Secretary-General Jens Stoltenberg").

All run on mixed-case sentences only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.analysis.people import is_title
from search.analysis.places import demonym_country
from search.analysis.rules.spans import set_span, span_end, tag_spans
from search.analysis.rules.words import (
    CALENDAR_WORDS,
    COMMON_ACRONYMS,
    COMPETITIONS,
    EXCHANGE_NAMES,
    FOUNDERS_FIRMS,
    HOLIDAYS,
    JOINTS,
    KNOWN_PLACE_KINDS,
    MONTH_ABBREVIATIONS,
    ORGANISATION_HEADS,
    PANDEMIC_WORDS,
    POSSESSIVE_MARKS,
    VARIANT_WORDS,
    is_designator,
    is_name_word,
    known_place,
)

# Nouns that describe a firm when a name follows them ("French sugar producer
# Beghin-Say", "brokerage house Fauchier-Magnan", "U.S. drugmaker Pfizer"), and words
# that follow a firm's name ("Beghin-Say president", "Purolator shares"). Nouns that
# also describe people (rival, developer, producer of films) are left out or need
# a name that starts with no first name.
FIRM_NOUNS = frozenset(
    """company firm producer maker carmaker automaker drugmaker chipmaker planemaker
    steelmaker lender bank insurer reinsurer retailer airline carrier conglomerate
    brokerage broker miner refiner utility shipper shipbuilder publisher distributor
    manufacturer subsidiary unit affiliate supplier exporter importer trader operator
    group giant partner bidder acquirer startup start-up regulator watchdog auditor""".split()  # noqa: SIM905
)
_FIRM_HOUSES = frozenset({"house", "concern", "manager", "fund"})  # "brokerage house X"
FIRM_FOLLOWERS = frozenset(
    """shares stock stockholders shareholders chairman CEO founder co-founder analysts vaccine""".split()  # noqa: SIM905
)
# What a firm's possessive owns and a person's seldom does: "Nike 's sales", "Tesla 's
# shares" (not "Trump 's vaccine plan").
FIRMS_OWN = frozenset(
    """shares stock shareholders stockholders subsidiary subsidiaries unit CEO revenue revenues
    sales""".split()  # noqa: SIM905
)
MAX_DESCRIBED_WORDS = 4


def _name_run(words: Sequence[str], tags: Sequence[str], i: int) -> int:
    """Return the end of the capitalised name starting at i, untagged or tagged as one
    span ("Beghin-Say", "Smith Barney"); i when none starts there."""
    if tags[i] != "O":
        end = span_end(tags, i + 1)
        return end if end - i <= MAX_DESCRIBED_WORDS else i
    end = i
    while (end < len(words) and end - i < MAX_DESCRIBED_WORDS and tags[end] == "O"
           and (words[end][:1].isupper() or words[end] == "&" and end > i)):
        end += 1
    return end


def mark_described_firms(
    words: Sequence[str], tags: list[str], first_names: frozenset[str], lower_words: frozenset[str]
) -> list[str]:
    """Return tags where a name right after a firm's noun ("sugar producer Beghin-Say",
    "drugmaker Pfizer") or before one in an apposition ("Stellantis , the carmaker
    formed by"), right before "shares" or "chairman" ("Purolator shares"), or
    untagged before a body's noun ("its Amaq news agency") is an organisation, unless
    the model took it for a place (but for the apposition and a place no gazetteer
    knows), it starts with a first name or a title, or it is a calendar word ("the
    company Tuesday said")."""
    n = len(words)
    for i in range(n):
        if not words[i][:1].isupper() or tags[i].startswith("I-") or tags[i] == "B-ORG" or tags[i] == "B-LOC" and not (
                _apposed_firm_noun(words, span_end(tags, i + 1)) or i and words[i - 1] in FIRM_NOUNS):
            continue  # a "place" only after a firm's noun or as its apposition: "regulator Anvisa"
        word = words[i]
        before = words[i - 1] if i else ""
        described = before in FIRM_NOUNS or before in _FIRM_HOUSES and i >= 2 and words[i - 2] in FIRM_NOUNS
        end = _name_run(words, tags, i)
        if end == i:
            continue
        owned = end + 1 < n and words[end] in POSSESSIVE_MARKS and words[end + 1] in FIRMS_OWN
        followed = (words[end] in FIRM_FOLLOWERS or owned) and tags[i] != "O" and (
            end - i == 1 or tags[i] == "B-PER" and word not in first_names) if end < n else False
        # "Goldman Sachs analysts", "Nike 's sales"
        # "its Amaq news agency", "Russia 's SVR foreign intelligence service": an untagged
        # name before a body's noun.
        followed = followed or tags[i] == "O" and end < n and _body_noun_after(words, end) and all(
            part[:1].isupper() for part in word.split("-"))  # not "New York-based subsidiary"
        apposed = _apposed_firm_noun(words, end)
        if i == 0 and tags[i] == "O" and not apposed:
            continue  # the sentence's capital: "Horrible service ."
        if not (described or followed or apposed):
            continue
        if tags[i] == "B-PER" and end - i > 1 and not followed:
            continue  # a full name: "miner Ange-Marie Kenney", "money broker Joachim Schmidt"
        if (len(word.rstrip(".")) < 2 or is_designator(word) or word in first_names or is_title(word)
                or word in CALENDAR_WORDS or word in MONTH_ABBREVIATIONS or word.lower() in lower_words
                or known_place(words[i:end])):
            continue
        if tags[i] == "B-MISC" or any(w in JOINTS or w == "'s" for w in words[i:end]):
            continue
        set_span(tags, i, end, "ORG")
    return tags


# What may follow a firm's noun in an apposition that describes the firm ("Stellantis,
# the carmaker formed by ..."), not a person ("Musk, the company's chief executive",
# "Li, a bank analyst").
_APPOSITION_ENDS = frozenset({",", ".", ";", "that", "which", "whose", "formed", "founded", "based", "owned",
                              "controlled", "run", "said", "says", "in", "of", "with", "behind", "known"})
MAX_APPOSITION_WORDS = 4  # "the world's largest carmaker": up to three words before the noun


def _apposed_firm_noun(words: Sequence[str], k: int) -> bool:
    """True when ", the"/", a" and a firm's noun follow the name ending at k, perhaps after
    lower-case adjectives, and the noun ends the description: "Stellantis , the carmaker
    formed by", "Pfizer , the U.S. drugmaker ,"."""
    if k + 2 >= len(words) or words[k] != "," or words[k + 1] not in ("the", "a", "an"):
        return False
    for j in range(k + 2, min(k + 2 + MAX_APPOSITION_WORDS, len(words))):
        if words[j] in FIRM_NOUNS:
            return j + 1 < len(words) and words[j + 1] in _APPOSITION_ENDS
        if words[j] in POSSESSIVE_MARKS or not words[j].replace(".", "").replace("-", "").isalpha():
            return False
    return False


MAX_PERSON_WORDS = 3  # "William J. Siedenburg"


def split_people_of_firms(words: Sequence[str], tags: list[str], first_names: frozenset[str]) -> list[str]:
    """Return tags where a name that runs from a person over "of" into a firm is the
    person and the firm: "William Siedenburg of Smith Barney Harris Upham and Co",
    "Alan Hargreaves of Hoare Govett Asia Ltd" (a full name first, a designator or an
    organisation's noun last)."""
    k = -1
    while True:  # at C speed: an "of" inside a name ("I-" tag) or nothing to do
        try:
            k = words.index("of", k + 1)
        except ValueError:
            return tags
        if tags[k][:1] == "I":
            break
    for typ, start, end in tag_spans(tags):
        if typ not in ("ORG", "PER") or end - start < 4 or words[start] not in first_names:
            continue
        if not (is_designator(words[end - 1]) or words[end - 1] in ORGANISATION_HEADS):
            continue
        of = next((k for k in range(start + 2, min(start + 2 + MAX_PERSON_WORDS, end - 1)) if words[k] == "of"), None)
        if of is None or not all(is_name_word(w) for w in words[start + 1 : of]):
            continue
        set_span(tags, start, of, "PER")
        tags[of] = "O"
        set_span(tags, of + 1, end, "ORG")
    return tags


# Lower-case nouns of bodies that follow a body's name, perhaps after one adjective:
# "Amaq news agency", "SVR foreign intelligence service", "Teamsters union".
BODY_NOUNS = frozenset({"agency", "service", "union", "party", "militia", "network", "newspaper", "daily",
                        "airline", "carrier", "broadcaster", "exchange", "regulator", "watchdog", "institute",
                        "foundation", "unit", "subsidiary"})


def _body_noun_after(words: Sequence[str], k: int) -> bool:
    """True when a body's noun follows at k, or one or two lower-case words before it."""
    for j in range(k, min(k + 3, len(words))):
        if words[j] in BODY_NOUNS:
            return True
        if not words[j].isalpha() or not words[j].islower() or words[j] in JOINTS:
            return False  # not "an Asian-Pacific tour by exchange executives"
    return False


# Bodies named in one word that the model may take for people ("House Speaker").
LEGISLATURES = frozenset({"House", "Senate", "Congress", "Parliament", "Knesset", "Duma", "Bundestag", "Politburo"})
_SHARE_WORDS = frozenset({"shares", "stake", "stock", "stakes", "shareholders", "stockholders"})
_ANALYSTS = frozenset({"analysts", "analyst", "economists", "economist", "strategists", "strategist"})


def _owned_as_shares(words: Sequence[str], i: int) -> bool:
    """A name after "shares of", "stake in" ("sending shares of Moderna higher") or
    "analysts at" ("analysts at JPMorgan")."""
    return i >= 2 and (words[i - 1] == "of" and words[i - 2].lower() in _SHARE_WORDS
                       or words[i - 1] == "in" and words[i - 2] in ("stake", "stakes")
                       or words[i - 1] == "at" and words[i - 2] in _ANALYSTS)


MAX_LISTED_WORDS = 3  # "Royal Caribbean", "Norwegian Cruise Line"


def _listed_with_firms(words: Sequence[str], tags: Sequence[str], start: int, end: int) -> bool:
    """A name joined by "and" to an organisation ("Moderna and AstraZeneca"), or between
    two organisations in a list ("Apple , Moderna and Pfizer"), as tagged so far; a place
    after a firm's comma is its seat ("Central Bank and Trust Co , Glenmora , La.")."""
    before = start >= 2 and tags[start - 2][2:] == "ORG" and words[start - 1]
    after = end + 1 < len(words) and tags[end + 1] == "B-ORG" and words[end]
    return before == "and" or after == "and" or before == "," and after == ","


def _untagged_name_word(word: str, first_names: frozenset[str], lower_words: frozenset[str]) -> bool:
    """A capitalised word that may start a firm's name: no first name, common word,
    title or calendar word ("Sanofi", not "Analysts" or "Monday")."""
    return len(word) > 2 and word.isalpha() and word[:1].isupper() and word not in first_names \
        and word.lower() not in lower_words and not is_title(word) and word not in CALENDAR_WORDS


def _is_competition(name: Sequence[str]) -> bool:
    """A competition's name, perhaps after a nation's adjective: "Bundesliga", "English
    Premier League", "Turkish Grand Prix"."""
    if len(name) > 1 and demonym_country(name[0]) is not None:
        name = name[1:]
    return " ".join(name) in COMPETITIONS


def mark_acronyms_and_ampersands(words: Sequence[str], tags: list[str], first_names: frozenset[str] = frozenset(),
                                 lower_words: frozenset[str] = frozenset()) -> list[str]:
    """Return tags where a common acronym ("IPO", "CEO", "GDP", "AI"), a holiday
    ("Easter", "Christmas Eve"), a pandemic word or a variant ("COVID", "the Delta
    variant") or common words in lower case (`lower_words`: "office") are no name, and a
    competition ("Bundesliga") no organisation or place; a firm named after its founders
    ("Goldman Sachs"), a group of states ("OPEC+"), an exchange ("Nasdaq", "NYSE"), a
    legislature taken for a person ("House Speaker"), a name after "shares of" or listed
    with firms ("shares of Moderna and AstraZeneca"; of several words, with no first name
    or title), an untagged name joined by "and" to a firm ("Sanofi and GlaxoSmithKline";
    not a partner of a designated firm, "Wyrough and Loser Inc") is an organisation; and
    names joined by "&" are one firm ("Johnson &
    Johnson", "Marks & Spencer", "Procter & Gamble Co"); a first name after a firm's
    possessive starts a person ("Facebook 's Mark Zuckerberg"). Runs on mixed-case
    sentences only: in a headline's capitals every word looks like an acronym.
    """
    n = len(words)
    spans = tag_spans(tags)
    for typ, start, end in spans:
        if all(w.islower() and w in lower_words for w in words[start:end]) or (
                words[start] in HOLIDAYS and not known_place(words[start:end])  # not "Christmas Island"
        ) or words[start] in PANDEMIC_WORDS or end < n and words[end] in VARIANT_WORDS:
            for j in range(start, end):
                tags[j] = "O"  # "Boris Johnson 's office", "Christmas Eve", "COVID", "the Delta variant"
            continue
        if typ != "MISC" and _is_competition(words[start:end]):
            set_span(tags, start, end, "MISC")  # "the English Premier League", "Bundesliga"
            continue
        if typ == "PER" and " ".join(words[start:end]) in FOUNDERS_FIRMS:
            set_span(tags, start, end, "ORG")  # "Goldman Sachs", "Morgan Stanley"
            continue
        if end - start != 1:
            if typ == "PER" and end - start <= MAX_LISTED_WORDS and words[start] not in first_names and (
                    start == 0 or not is_title(words[start - 1])) and all(
                    is_name_word(w) and w.isalpha() for w in words[start:end]) and (
                    _listed_with_firms(words, tags, start, end)):
                set_span(tags, start, end, "ORG")  # "Apple and Caribbean Cruises"
            continue
        word = words[start]
        if word in COMMON_ACRONYMS or word in HOLIDAYS:
            tags[start] = "O"
        elif typ in ("LOC", "PER") and (
            word in EXCHANGE_NAMES
            or typ == "PER" and word in LEGISLATURES
            or (_owned_as_shares(words, start) or _listed_with_firms(words, tags, start, end))
            and word[:1].isupper() and word not in first_names and not known_place([word])
        ):
            tags[start] = "B-ORG"
    for i, word in enumerate(words):
        # "Sanofi and GlaxoSmithKline", "Exxon and Vantage Drilling": an untagged name
        # joined by "and" to a firm (a name's last word only if it is all of the name).
        if tags[i] != "O" or not _untagged_name_word(words[i], first_names, lower_words):
            continue
        if i >= 2 and words[i - 1] == "and" and tags[i - 2][2:] == "ORG":
            end = i + 1
            while end < n and end - i < MAX_LISTED_WORDS and tags[end] == "O" and words[end][:1].isupper() \
                    and words[end].isalpha():
                end += 1
            if not known_place(words[i:end]):
                set_span(tags, i, end, "ORG")
        elif i + 2 < n and words[i + 1] == "and" and tags[i + 2] == "B-ORG" and (
                i == 0 or not words[i - 1][:1].isupper()) and not known_place([word]) and not (
                is_designator(words[span_end(tags, i + 3) - 1])):  # "Wyrough and Loser Inc" is one firm
            tags[i] = "B-ORG"
    for i in range(1, n - 2):
        # "Facebook 's Mark Zuckerberg": a first name after an organisation's possessive
        # starts a person, whatever the model made of it.
        if (words[i] in POSSESSIVE_MARKS and tags[i - 1][2:] == "ORG" and tags[i] == "O"
                and words[i + 1] in first_names and is_name_word(words[i + 2])
                and tags[i + 1] in ("O", "B-ORG") and not tags[i + 2].startswith("B-")):
            end = i + 3
            while end < n and end - i <= 3 and is_name_word(words[end]) and tags[end] in ("O", "I-ORG"):
                end += 1
            runs_on = end < n and (words[end] in JOINTS or is_designator(words[end]))
            if not (runs_on or is_designator(words[end - 1]) or words[end - 1] in ORGANISATION_HEADS
                    or known_place(words[i + 1 : i + 2])):
                set_span(tags, i + 1, end, "PER")  # not "Sun Co 's Sun Refining and Marketing Co"
    for i, word in enumerate(words):
        if word.endswith("+") and len(word) > 2 and word[:-1].isalpha() and word[:-1].isupper() \
                and not tags[i].startswith("I-") and (i + 1 == n or not tags[i + 1].startswith("I-")):
            tags[i] = "B-ORG"  # "OPEC+"
    if "&" not in words:
        return tags
    for i in range(1, n - 1):
        if words[i] != "&" or not is_name_word(words[i - 1]) or not is_name_word(words[i + 1]) \
                or not words[i - 1].rstrip(".").isalpha() or not words[i + 1].isalpha():
            continue  # "D&P-8" is a rating
        if tags[i - 1].startswith("I-") and tags[i - 1][2:] != "ORG" and tags[i] == "O":
            continue  # "Mary Smith & Bob" is two people
        first = i - 1
        while first > 0 and tags[first].startswith("I-"):
            first -= 1
        end = span_end(tags, i + 2) if tags[i + 1] != "O" else i + 2
        while end < n and tags[end] == "O" and is_designator(words[end]):
            end += 1
        if tags[first] == "O" and (first == 0 or tags[first - 1] == "O") and not is_name_word(words[first]):
            continue
        set_span(tags, first, end, "ORG")
    return tags


# Roles that end an organisation's name when a person's name follows ("NATO
# Secretary-General Jens Stoltenberg").
ROLES_BEFORE_NAMES = frozenset(
    """Secretary-General Director-General President Chairman Chairwoman Chair CEO
    Spokesman Spokeswoman Governor Commissioner""".split()  # noqa: SIM905
)
_RATING_AGENCY_WORDS = frozenset({"Investors", "Service", "Analytics", "Ratings", "Global"})
MAX_HEADED_WORDS = 6
# Lower-case words inside names ("Banco de Bilbao", "Rabobank Nederland en ..."): no verbs.
_NAME_PARTICLES = frozenset({"de", "del", "della", "di", "da", "do", "dos", "du", "des", "la", "le", "van", "von",
                             "der", "den", "y", "e", "et", "und", "en", "al", "bin", "el", "fuer", "für",
                             "zur", "zum", "am", "im", "voor", "pour", "per", "og", "och"})
# A capital after lower-case letters inside a word: brands ("SpaceX", "BioNTech",
# "PayPal"), not surnames with a prefix ("McCarthy", "DeSantis", "LeBron").
# and "easyJet", not "iPhone" or a lost space ("guitarHe")
_CAMEL_CASE = re.compile(r"[A-Z][a-z]+[A-Z][A-Za-z]*|[a-z]{3,4}[A-Z][a-z]+")
_NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Von", "Du", "Fitz", "O'")


def mark_named_bodies(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags after the rules below, in this order: bodies named by their head noun
    or a body noun after them, brands written with inner capitals, firms after "shares
    of", the rating agencies' names, a possessive that ends a name, teams before a
    role, and names cut at a verb, a country's possessive or a role inside them."""
    _mark_headed_bodies(words, tags)
    _mark_shares_and_agencies(words, tags)
    _mark_teams_before_roles(words, tags)
    _split_organisations(words, tags)
    return tags


def _capitalised(word: str) -> bool:
    """A capitalised word, each part of a hyphenated one too ("T-Mobile", not
    "Oporto-based"), and no calendar word."""
    return all(part[:1].isupper() and part.isalpha() for part in word.split("-")) and word not in CALENDAR_WORDS


def _mark_headed_bodies(words: Sequence[str], tags: list[str]) -> None:
    """A "place" or an untagged run of capitalised words ending in an organisation's noun
    is an organisation ("Hong Kong Monetary Authority", "the World Trade Organization";
    not "West Bank"), as is a one-word "place" before a body's noun ("its Amaq news
    agency", "the Ifo institute"; not "the Paris exchange"), and a word with a brand's
    inner capitals ("SpaceX", "BioNTech"; not "McCarthy")."""
    n = len(words)
    for typ, start, end in tag_spans(tags):
        if typ != "LOC":
            continue
        kind = known_place(words[start:end])
        if end - start >= 2 and words[end - 1] in ORGANISATION_HEADS and kind is None:
            set_span(tags, start, _of_name_end(words, tags, end), "ORG")
        elif end - start == 1 and _body_noun_after(words, end) and kind not in KNOWN_PLACE_KINDS:
            set_span(tags, start, end, "ORG")
    i = 0
    while i < n:
        if tags[i] == "B-LOC" and i + 1 < n and tags[i + 1] in ("O", "I-LOC"):
            # "Hong Kong" + "Monetary Authority": a place and the name of its body.
            place_end = span_end(tags, i + 1)
            end = place_end
            while end < n and end - i < MAX_HEADED_WORDS and tags[end] == "O" and _capitalised(words[end]):
                end += 1
            if end - place_end >= 1 and words[end - 1] in ORGANISATION_HEADS:
                end = _of_name_end(words, tags, end)
                set_span(tags, i, end, "ORG")
                i = end
                continue
        if tags[i] == "O" and _CAMEL_CASE.fullmatch(words[i]) and not words[i].startswith(_NAME_PREFIXES):
            tags[i] = "B-ORG"
            i += 1
            continue
        if tags[i] != "O" or not _capitalised(words[i]):
            i += 1
            continue
        end = i
        while end < n and end - i < MAX_HEADED_WORDS and tags[end] == "O" and (
                _capitalised(words[end]) or words[end] in ("of", "for") and end > i):
            end += 1
        if end - i >= 2 and words[end - 1] in ORGANISATION_HEADS and (i > 0 or words[i] not in ("The", "A")):
            set_span(tags, i, end, "ORG")
        i = end if end > i else i + 1


def _of_name_end(words: Sequence[str], tags: list[str], end: int) -> int:
    """Return the end of a body's name whose head ends at `end`, taking in "of" or "for"
    and the capitalised words after it ("Chicago Board" + "of Trade")."""
    n = len(words)
    if end + 1 < n and words[end] in ("of", "for") and tags[end] == "O" and _capitalised(words[end + 1]):
        end += 1
        while end < n and _capitalised(words[end]) and not tags[end].startswith("B-PER"):
            end += 1
    return end


def _mark_shares_and_agencies(words: Sequence[str], tags: list[str]) -> None:
    """An untagged word after "shares of" or "analysts at" is a firm ("Shares of Tesla
    rose"); "Moody 's" with "Investors Service" after it, and a firm written with "&"
    with the words after it ("S&P Global Ratings"), are one organisation; a team's or
    firm's possessive before another name is no part of its name ("Manchester United
    's Marcus Rashford"; "Moody 's" keeps its own)."""
    n = len(words)
    for i in range(2, n):
        if (tags[i] == "O" and _capitalised(words[i]) and _owned_as_shares(words, i)
                and (i + 1 == n or not words[i + 1][:1].isupper())
                and known_place(words[i : i + 1]) not in KNOWN_PLACE_KINDS):
            tags[i] = "B-ORG"
    for i in range(n - 1):
        if words[i] == "Moody" and words[i + 1] in POSSESSIVE_MARKS and not tags[i].startswith("I-"):
            end = i + 2
            while end < n and words[end] in _RATING_AGENCY_WORDS:
                end += 1
            set_span(tags, i, end, "ORG")
    for typ, start, end in tag_spans(tags):
        if typ == "ORG" and end < n and tags[end] == "O" and words[end] in _RATING_AGENCY_WORDS and any(
                "&" in w for w in words[start:end]):
            while end < n and tags[end] == "O" and words[end] in _RATING_AGENCY_WORDS:
                end += 1
            set_span(tags, start, end, "ORG")
    for typ, start, end in tag_spans(tags):
        if typ == "ORG" and end - start >= 2 and words[end - 1] in POSSESSIVE_MARKS and end < n and \
                words[end][:1].isupper() and words[end - 2] != "Moody":
            tags[end - 1] = "O"


# Plural nouns of a body's people or parts that the model reads into its name at a
# sentence's start ("Shares of Zoom fell", "Representatives for Amazon did not respond").
_MEMBERS_OF = frozenset({"Shares", "Representatives", "Officials", "Analysts", "Spokesmen", "Executives",
                         "Members", "Employees", "Investors", "Shareholders", "Units", "Lawyers"})


def _split_organisations(words: Sequence[str], tags: list[str]) -> None:
    """Cut the people of a body off its name ("Shares of Zoom", "Representatives for
    Amazon"), and cut an organisation's name at a lower-case verb inside it ("U.S. Justice
    Department sued Google"; name particles such as "de" or "fuer" stay), at a
    country's possessive after "and" ("Eni and France 's Total": two firms and the
    country), and at a role before a person's name ("NATO Secretary-General Jens" +
    "Stoltenberg": NATO and a person)."""
    n = len(words)
    for typ, start, end in tag_spans(tags):
        if typ == "ORG" and end - start >= 3 and words[start] in _MEMBERS_OF and words[start + 1] in (
                "of", "for", "at"):
            tags[start] = tags[start + 1] = "O"
            set_span(tags, start + 2, end, "ORG")  # "Shares of" + "Zoom"
    for typ, start, end in tag_spans(tags):
        inner = next((k for k in range(start + 1, end - 1) if words[k].isalpha() and words[k].islower()
                      and words[k] not in JOINTS and words[k] not in _NAME_PARTICLES), None)
        if typ == "ORG" and inner is not None and words[inner - 1][:1].isupper() and words[inner + 1][:1].isupper():
            tags[inner] = "O"
            set_span(tags, start, inner, "ORG")
            set_span(tags, inner + 1, end, "ORG")
    for typ, start, end in tag_spans(tags):
        cut = next((k for k in range(start + 2, end - 1) if words[k] in POSSESSIVE_MARKS
                    and words[k - 2] == "and" and known_place(words[k - 1 : k]) in KNOWN_PLACE_KINDS), None)
        if typ == "ORG" and cut is not None and cut - 2 > start:
            set_span(tags, start, cut - 2, "ORG")
            tags[cut - 2] = tags[cut] = "O"
            set_span(tags, cut - 1, cut, "LOC")
            set_span(tags, cut + 1, end, "ORG")
    for typ, start, end in tag_spans(tags):
        if typ != "ORG" or end - start < 3:
            continue
        role = next((k for k in range(start + 1, end - 1) if words[k] in ROLES_BEFORE_NAMES), None)
        if role is None or not all(is_name_word(w) for w in words[role + 1 : end]):
            continue
        person_end = span_end(tags, end + 1) if end < n and tags[end] == "B-PER" else end
        for k in range(role, person_end):
            tags[k] = "O"
        set_span(tags, start, role, "ORG")
        set_span(tags, role + 1, person_end, "PER")


# Roles in a team, written between the team and a person's name ("Real Madrid coach
# Zinedine Zidane", "Mercedes driver Lewis Hamilton").
TEAM_ROLES = frozenset(
    """coach manager driver striker midfielder defender goalkeeper forward captain boss
    quarterback pitcher teammate""".split()  # noqa: SIM905
)
# Places whose name is a nation's team, which newswire tags as the place.
_NATION_KINDS = frozenset({"country", "region", "state"})


def _mark_teams_before_roles(words: Sequence[str], tags: list[str]) -> None:
    """Tag the name before a team role and a person's name as a team ("Tottenham Hotspur
    manager Jose Mourinho"), a club named after its city included; a nation's team
    ("England coach Gareth Southgate") stays its place."""
    n = len(words)
    for k in range(1, n - 1):
        if words[k] not in TEAM_ROLES or not words[k + 1][:1].isupper() or not words[k - 1][:1].isupper():
            continue
        if tags[k] == "I-PER":
            # "Liverpool manager Juergen Klopp" read as one person: the team, then the person.
            first = k - 1
            while first > 0 and tags[first].startswith("I-"):
                first -= 1
            set_span(tags, k + 1, span_end(tags, k + 1), "PER")
            tags[k] = "O"
            set_span(tags, first, k, "LOC" if known_place(words[first:k]) in _NATION_KINDS else "ORG")
            continue
        end = k
        start = end - 1
        if tags[start].startswith("I-"):
            while start > 0 and tags[start].startswith("I-"):
                start -= 1
        else:
            while start > 0 and tags[start - 1] == "O" and words[start - 1][:1].isupper() and \
                    words[start - 1] not in ("The", "A") and end - start < 4:
                start -= 1
        if tags[start] == "B-PER" and span_end(tags, start + 1) - start > 1:
            continue  # a person's full name before the role
        if known_place(words[start:end]) in _NATION_KINDS or not all(is_name_word(w) for w in words[start:end]) \
                or demonym_country(words[start]):
            continue  # "England coach", "Dutch forward"
        set_span(tags, start, end, "ORG")
