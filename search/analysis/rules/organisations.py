"""Rules for organisations, on one sentence's tags.

- `mark_companies`: a name before or ending in a company designator is an organisation
  that includes it ("Borden Inc", "Merrill Lynch and Co", "Goldman, Sachs and Co");
- `mark_company_seats`: "of X" after a company's complete name is its seat, a place
  ("Enercon Data Corp of Minneapolis"), and the name ends before "of";
- `mark_names_that_are_no_people`: a "person" in a wire's angle brackets ("<AMO>"),
  ending in an organisation's noun ("Federal Reserve Board"), made of designators
  ("Corp") or a short acronym ("GATT") is an organisation; wire-table words ("Shr",
  "Oper"), dates ("Jan 31") and a lone compass adjective ("Western") are no names;
- `join_organisation_names`: an organisation's name that holds a place or a demonym
  is one organisation, not a place and an organisation ("U.S. Securities and Exchange
  Commission", "Russian Foreign Ministry", "Bank of England");
- `mark_ticked_firms`: a name right before a stock's exchange code in brackets is an
  organisation ("Alphabet (GOOGL.O)");
- `split_coordinated_names`: an "organisation" that lists names is those names
  ("Spotify , Tesla , Uber and Snapchat", "University of California and Columbia
  University");
- `trim_organisation_edges`: an organisation's name ends before "'s" and the common
  words after it ("the Court 's questions") or after its head noun ("Columbia University
  's Developing Librarian"), and never in a joint ("Nicholson 's and");
- `mark_named_kinds`: a "place" ending in a newspaper's or lottery's noun is an
  organisation ("Dallas Morning News"), an "organisation" ending in "Act" a law.

The teams of sports results are in `sports`, firms named by the words around them
("drugmaker Pfizer", "shares of Moderna") in `firms`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.analysis.places import (
    demonym_country,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.rules.spans import set_span, span_end, tag_spans
from search.analysis.rules.words import (
    ANY_ARTICLES,
    BODY_HEADS,
    CALENDAR_WORDS,
    COMPASS_ADJECTIVES,
    CURRENCY_WORDS,
    INDEX_WORDS,
    JOINTS,
    KNOWN_PLACE_KINDS,
    MONTH_ABBREVIATIONS,
    NAME_RUNS_ON,
    ORGANISATION_HEADS,
    ORGANISATION_OPENERS,
    PARTNERS,
    POSSESSIVE_MARKS,
    TABLE_WORDS,
    is_amount,
    is_designator,
    is_name_word,
    known_place,
)

MAX_FOUNDER_WORDS = 2  # "Walt Disney Co", "Dean Witter Reynolds Inc"


def mark_companies(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a name followed or ended by a company designator, directly or
    after "and"/"&" ("Merrill Lynch and Co", "Goldman, Sachs and Co"), is an ORG that
    includes the designator, and the founder's name the model read as a person right
    before it too ("Walt" + "Disney Co")."""
    n = len(words)
    covered = 0  # the end of the last firm marked: its designator is no second firm
    for typ, start, end in tag_spans(tags):
        if start < covered:
            continue
        follows = end < n and tags[end] == "O" and is_designator(words[end])
        if (
            end + 1 < n
            and words[end] == ","
            and words[end + 1].rstrip(".") in _COMMA_DESIGNATORS
            and tags[end + 1] in ("O", "B-ORG")
            and (end + 2 == n or not words[end + 2][:1].isupper())
        ):
            end += 1  # "Constellation Power Source , Inc.": the comma and "Inc." too
            follows = True
        partners = (
            end + 1 < n
            and words[end] in PARTNERS
            and tags[end] == "O"
            and words[end + 1].rstrip(".").lower() in ("co", "cos")
            and not tags[end + 1].startswith("I-")
        )
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
            while first >= 2 and words[first - 1] == "," and tags[first - 2] != "O" and words[first - 2][:1].isupper():
                first -= 2
                while first > 0 and tags[first].startswith("I-"):
                    first -= 1
        if first == start and first > 0 and tags[first - 1] in ("B-PER", "I-PER") and typ == "ORG" \
                and is_name_word(words[first]):
            # "Walt" + "Disney Co", "Goldman" + "Sachs Group Inc": a firm named after its
            # founder, the founder's name read as a person right before the rest.
            person = first - 1
            while person > 0 and tags[person] == "I-PER":
                person -= 1
            if first - person <= MAX_FOUNDER_WORDS and tags[person] == "B-PER" and all(
                    is_name_word(w) and w.isalpha() for w in words[person:first]):
                first = person
        if typ == "ORG" and not (partners or follows) and first == start:
            continue
        set_span(tags, first, end, "ORG")
        covered = end
    return tags


# Designators written after a comma ("Enron Broadband Services, Inc.").
_COMMA_DESIGNATORS = frozenset({"Inc", "Ltd", "LLC", "LP", "L.P", "L.L.C", "PLC", "Plc"})

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
            span = words[first : first + size]
            if all(w[:1].isalnum() for w in span) and kinds.get(place_key(" ".join(span))) is not None:
                length = size
                break
        end = first + length
        if not length or (end < n and words[end][:1].isupper()) or (end < n and is_designator(words[end])):
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
        close = next((j for j in range(i + 2, min(n, i + _MAX_BRACKETED_WORDS + 2)) if words[j] == ">"), None)
        if close is None:
            continue
        inside = words[i + 1 : close]
        if (
            inside[0][:1].isupper()
            and all(w[:1].isupper() or w[:1].isdigit() or w in PARTNERS or w in (",", ".", "of", "-") for w in inside)
            and (close + 1 == n or not tags[close + 1].startswith("I-"))
        ):
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
    _join_partner_initials(words, tags)
    for typ, start, end in tag_spans(tags):
        span = words[start:end]
        if typ == "PER" and end - start == 1 and span[0] in COMPASS_ADJECTIVES:
            tags[start] = "O"  # "Western diplomats say"
        elif (
            _is_table_line(span)
            or (
                (span[0].rstrip(".") in MONTH_ABBREVIATIONS or span[0] in CALENDAR_WORDS)
                and end - start == 2
                and span[1].isdigit()
            )
            or (typ in ("PER", "ORG") and span[-1] in INDEX_WORDS)
            or (typ == "ORG" and end - start == 1 and (len(span[0].rstrip(".")) == 1 or demonym_country(span[0])))
        ):
            # Table words ("Shr nil vs"), a date, a market index ("Dow Jones Industrial
            # Average"), a lone letter ("class B", "S and P" cut) or a demonym
            # ("Philippine request") are no names.
            for k in range(start, end):
                tags[k] = "O"
        elif typ == "PER" and end - start >= 2 and span[0] in ORGANISATION_OPENERS:
            set_span(tags, start, end, "ORG")  # "Banque Paribas"
        elif typ == "ORG" and span[-1].rstrip(".") in CURRENCY_WORDS:
            # "50 billion U.S. Dlrs": the place stays, the currency is no organisation.
            for k in range(start, end):
                tags[k] = "O"
            if end - start > 1 and resolve_place(" ".join(span[:-1])) is not None:
                set_span(tags, start, end - 1, "LOC")
        elif (
            typ == "ORG"
            and is_designator(span[-1])
            and start > 0
            and (start > 1 or words[0] in ORGANISATION_OPENERS)
            and _name_word_before(words, tags, start)
        ):
            # "sole manager First Boston Corp", "Credit Suisse Group AG said": the model
            # left the first words out (a sentence's first word only if it opens names).
            first = start - 1
            while first > 1 and _name_word_before(words, tags, first):
                first -= 1
            set_span(tags, first, end, "ORG")
        elif typ == "PER" and (
            all(is_designator(w) for w in span)
            or end - start == 1
            and 2 <= len(span[0]) <= 4
            and span[0].isalpha()
            and span[0].isupper()
        ):
            # "Corp" alone, or an acronym in mixed-case text ("GATT", "USDA", "NYSE")
            set_span(tags, start, end, "ORG")
        elif typ == "PER" and end - start >= 2 and span[-1] in ORGANISATION_HEADS:
            while (
                start > 0
                and tags[start - 1] == "O"
                and words[start - 1][:1].isupper()
                and words[start - 1].isalpha()
                and words[start - 1] not in ANY_ARTICLES
            ):
                start -= 1
            set_span(tags, start, end, "ORG")
        elif (
            typ == "ORG"
            and span[0] in ORGANISATION_HEADS
            and start > 0
            and all(w[:1].isupper() for w in span)
            and _name_word_before(words, tags, start)
        ):
            # "Central Bank governor", "Swiss Bank Corp": the head's name, not a bare "Bank".
            first = start
            while first > 0 and _name_word_before(words, tags, first):
                first -= 1
            set_span(tags, first, end, "ORG")
    _join_split_organisations(words, tags)
    return tags


def _name_word_before(words: Sequence[str], tags: list[str], i: int) -> bool:
    """Return True when the word before position i is a capitalised word outside any
    name, or a one-word demonym or miscellaneous name, that can begin an organisation's
    name ("Central", "Swiss"); not an article or a day."""
    word = words[i - 1]
    return (
        (tags[i - 1] == "O" or tags[i - 1] == "B-MISC" and not tags[i].startswith("I-MISC"))
        and word[:1].isupper()
        and all(part[:1].isupper() and part.isalpha() for part in word.split("-"))  # "T-Mobile", not "A-minus"
        and word not in ANY_ARTICLES
        and word not in CALENDAR_WORDS
        and not word.isupper()
    )


def _is_table_line(span: Sequence[str]) -> bool:
    """Return True for words of a financial table ("Shr", "Oper net", "Shr nil vs"): a
    table word first, then only table words, lower-case words and figures."""
    if span[0].rstrip(".").capitalize() not in TABLE_WORDS:
        return False
    return all(w.rstrip(".").capitalize() in TABLE_WORDS or not w[:1].isupper() for w in span[1:])


def _join_partner_initials(words: Sequence[str], tags: list[str]) -> None:
    """Tag partners' initials joined by "and" ("S and P", "B and Q") as one organisation,
    whatever the model made of the letters."""
    n = len(words)
    for partner in PARTNERS:
        if partner not in words:
            continue
        i = 0
        while True:  # list.index: the sentence's words are searched at C speed
            try:
                i = words.index(partner, i + 1, n - 1)
            except ValueError:
                break
            if (
                _is_initial(words[i - 1])
                and _is_initial(words[i + 1])
                and tags[i - 1] in ("B-ORG", "B-PER", "O")
                and tags[i + 1] in ("B-ORG", "B-PER", "O")
                and (tags[i - 1] != "O" or tags[i + 1] != "O")
                and (i + 2 == n or not tags[i + 2].startswith("I-"))
            ):
                set_span(tags, i - 1, i + 2, "ORG")


def _join_split_organisations(words: Sequence[str], tags: list[str]) -> None:
    """Join a one-word organisation to the organisation right after it, as one name the
    model cut in two ("Federal" + "Home Loan Bank Board")."""
    if tags.count("B-ORG") < 2:
        return
    for i in range(len(tags) - 1):
        if (
            tags[i] == "B-ORG"
            and tags[i + 1] == "B-ORG"
            and words[i].isalpha()
            and words[i][:1].isupper()
            and not words[i].isupper()
        ):
            tags[i + 1] = "I-ORG"


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def join_organisation_names(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a place or a demonym written right before an organisation's
    name is part of it ("U.S. Securities and Exchange Commission", "Russian Foreign
    Ministry", "Indian Space Research Organisation"), and where "of" and a place after
    an organisation's head noun end its name ("Bank of England", "Housing Authority of
    New Orleans", "University of Chicago"), as the gold standards tag them: one
    organisation, the place nested in it (`recognise_entities` lists it too).

    A company designator before "of" stays the company's seat (`mark_company_seats`),
    and a name that runs on after the place is left as the model read it.
    """
    if "B-ORG" not in tags and "of" not in words:
        return tags
    n = len(words)
    for typ, start, end in tag_spans(tags):
        if typ != "ORG" or not words[start][:1].isupper():
            continue
        first = start
        if start > 0 and tags[start - 1] in ("I-LOC", "B-LOC") and words[start - 1] != ",":
            first = start - 1
            while first > 0 and tags[first] == "I-LOC":
                first -= 1
        elif (
            start > 0
            and tags[start - 1] in ("O", "B-MISC")
            and words[start - 1][:1].isupper()
            and demonym_country(words[start - 1])
        ):
            first = start - 1
        if first < start and all(
            w[:1].isupper() or w in ("of", "-", "&") or w[:1].isdigit() for w in words[first:start]
        ):
            set_span(tags, first, end, "ORG")
    if "of" not in words:
        return tags
    for j in range(1, n - 1):
        if words[j] != "of" or tags[j] != "O" or tags[j + 1] != "B-LOC":
            continue
        head = words[j - 1]
        if head not in ORGANISATION_HEADS or is_designator(head) or tags[j - 1].endswith(("PER", "LOC", "MISC")):
            continue
        end = span_end(tags, j + 2)
        if end < n and (words[end][:1].isupper() or tags[end] != "O"):
            continue  # "Bank of America Merrill Lynch": the model's reading stands
        if tags[j - 1] == "O":
            first = j - 1
            while first > 0 and tags[first - 1] == "O" and _name_word_before(words, tags, first):
                first -= 1
        else:
            first = j - 1
            while not tags[first].startswith("B-"):
                first -= 1
        set_span(tags, first, end, "ORG")
    return tags


# Roles written after an organisation's name ("Police Review Director", "Commission
# President"), which end no organisation's name unless "of" or "the" comes before.
_ROLE_TITLES = frozenset(
    """Director President Chairman Chairwoman Chairperson Chair Spokesman Spokeswoman
    Spokesperson Commissioner Minister Secretary CEO Speaker Leader Majority Minority
    Whip""".split()  # noqa: SIM905
)


# Bodies named after the one who leads them: "the Allawi government", "the Clinton
# administration" name a person.
_LEADERS_BODIES = frozenset({"government", "administration", "cabinet", "regime"})


def _is_common_word(word: str) -> bool:
    """A lower-case word ("department", "radio"), not a designator written small ("plc")."""
    return word.isalpha() and word.islower() and not is_designator(word.capitalize()) \
        and not is_designator(word.upper())


def _is_trailing_common_word(words: Sequence[str], k: int) -> bool:
    """A common word at k that ends no name: not an organisation's noun right after the
    capitalised name ("the Central bank", "the Likud party")."""
    return _is_common_word(words[k]) and not (
        words[k].capitalize() in ORGANISATION_HEADS and words[k - 1][:1].isupper())


def trim_organisation_edges(words: Sequence[str], tags: list[str], recased: bool = False,
                            first_names: frozenset[str] = frozenset()) -> list[str]:
    """Return tags where an organisation's name that runs over a possessive into common
    words ends before the possessive ("the Court 's questions" -> "Court"; "Macy 's"
    stays whole), and where a name ending in a joint word, a common word or a role
    ends before it ("Nicholson 's and" -> "Nicholson 's", "University of Leicester and"
    -> "University of Leicester", "CBC News the department" -> "CBC News", "Police
    Review Director" -> "Police Review"); a place before common words is a place
    ("Abbotsford high school"), one word before "government" a person ("the Allawi
    caretaker government"); a leading "The" before a body's or a firm's name is no part
    of it. In a `recased` all-capitals sentence a word made lower
    case may be the name's own ("NATIONAL ASSOCIATION OF HOME BUILDERS"). A name
    after the possessive is a name of its own: a person when it starts with a first
    name ("Tesla 's Elon Musk"), else an organisation ("Alphabet Inc 's Google")."""
    if "B-ORG" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if typ != "ORG" or end - start < 2:
            continue
        if words[start] in ("The", "the") and end - start >= 3 and words[end - 1] not in MEDIA_HEADS and (
                is_designator(words[end - 1]) or not BODY_HEADS.isdisjoint(words[start + 1 : end])):
            tags[start] = "O"  # "The Organization for Economic Cooperation and Development"
            start += 1
            tags[start] = "B-ORG"
        new_end = end
        owned = None  # the name after a possessive: (first, end, type)
        for k in range(start + 1, end - 1):
            after = words[k + 1 : end]
            person = after[0] in first_names and all(is_name_word(w) for w in after) and len(after) <= 3
            if words[k] in POSSESSIVE_MARKS and (
                all(w[:1].islower() or w in JOINTS for w in after)
                and any(w[:1].islower() and w not in JOINTS for w in after)
                or (words[k - 1] in ORGANISATION_HEADS or is_designator(words[k - 1]))
                or person
            ):
                # "Columbia University 's Developing Librarian project", "Apple Inc 's
                # Chief Executive": what the organisation owns is no part of its name.
                new_end = k
                if not recased and all(is_name_word(w) for w in after) and (
                        person or len(after) == 1 and is_designator(words[k - 1])):
                    owned = (k + 1, end, "PER" if person else "ORG")  # "Alphabet Inc 's Google"
                break
        if owned:
            for k in range(new_end, end):
                tags[k] = "O"
            set_span(tags, owned[0], owned[1], owned[2])
            end = new_end
        common = False
        while new_end - start > 1 and (
                words[new_end - 1] in JOINTS or not recased and _is_trailing_common_word(words, new_end - 1)
                or words[new_end - 1].isdigit() and words[new_end - 2] in JOINTS  # "Commission and 48"
                or is_amount(words, new_end - 1)  # "Lloyds Banking Group 64 million pounds"
                or words[new_end - 1] in _ROLE_TITLES and words[new_end - 2] not in JOINTS):
            # "CBC News the department", "BBC World Service radio", "the Police Review
            # Director": the common words and the role after the name are not in it.
            new_end -= 1
            common |= _is_common_word(words[new_end])
        if new_end < end:
            for k in range(new_end, end):
                tags[k] = "O"
            if common and not any(w[:1].isupper() for w in words[start:new_end]):
                for k in range(start, new_end):
                    tags[k] = "O"  # "the Dutch central bank": no name was left
            elif common and known_place(words[start:new_end]) in _LISTED_PLACE_KINDS:
                set_span(tags, start, new_end, "LOC")  # "Abbotsford high school"
            elif common and new_end - start == 1 and not _LEADERS_BODIES.isdisjoint(words[new_end:end]):
                set_span(tags, start, new_end, "PER")  # "the Allawi government"
    return tags


_LISTED_PLACE_KINDS = KNOWN_PLACE_KINDS | {"city100k"}


def _head_of_place(name: Sequence[str]) -> bool:
    """Return True for a head noun, "of" and a well-known place: "University of
    California", "Bank of Japan" (not "Department of Health")."""
    return len(name) >= 3 and name[0] in ORGANISATION_HEADS and name[1] == "of" and \
        known_place(name[2:]) in _LISTED_PLACE_KINDS


def split_coordinated_names(words: Sequence[str], tags: list[str], recased: bool = False,
                            surnames: frozenset[str] = frozenset(), lower_words: frozenset[str] = frozenset()
                            ) -> list[str]:
    """Return tags where an "organisation" that is a list of names is those names:
    "Spotify , Tesla , Uber and Snapchat", "Columbia University and Harvard University",
    "Bank of Japan and the Ministry of Finance" ("and the" always starts another name),
    "University of California and Columbia University" (a well-known place is a place).

    A list is names of one or two words joined by commas, or names that each end in an
    organisation's head noun or are a head noun of a well-known place ("University of
    California"), or one word on each side of "and" after a list's comma. Elsewhere two
    words joined by "and" are left as read: partners' names are one firm's ("Standard
    and Poor 's", "Procter and Gamble") as often as two firms'. One name is kept whole:
    a firm ending in its designator ("Procter and Gamble Co", "Goldman , Sachs and
    Co"), names joined by "&" ("Johnson & Johnson"), and names whose first part is
    not complete alone ("Securities and Exchange Commission", "Department of Health
    and Human Services"). Two single words joined by "and" are two firms when one of
    them is no common surname (`surnames`: "Apple and Google", not "Procter and
    Gamble"), not both are common words the lexicon knows, and neither is an initial
    or a demonym ("S and P"). ("Cable and Wireless" is split: "wireless" is not in
    the lexicon.) A `recased` all-capitals sentence is left alone: its words may be no
    names at all ("TOADS AND CATFISH")."""
    if recased or "B-ORG" not in tags or ("and" not in words and "," not in words):
        return tags
    for typ, start, end in tag_spans(tags):
        if typ != "ORG" or end - start < 3:
            continue
        span = words[start:end]
        cuts = [k for k, w in enumerate(span) if w in (",", "and")]
        if not cuts:
            continue
        joint = next((k for k in cuts if span[k] == "and" and k + 2 < len(span) and span[k + 1] == "the"
                      and span[k + 2][:1].isupper() and span[k - 1][:1].isupper()), None)
        if joint is not None:
            # "Bank of Japan and the Ministry of Finance": "and the" starts another name.
            set_span(tags, start, start + joint, "ORG")
            tags[start + joint] = tags[start + joint + 1] = "O"
            set_span(tags, start + joint + 2, end, "ORG")
            continue
        parts, first = [], 0
        for k in [*cuts, len(span)]:
            parts.append((first, k))
            first = k + 1
        if is_designator(words[end - 1]):
            # "Amazon.com Inc and Alphabet Inc", "Netflix and Walt Disney Co" are two firms;
            # "Procter and Gamble Co", "Marks and Spencer Group Plc" one.
            last_a, last_b = parts[-1]
            while last_b > last_a and is_designator(span[last_b - 1]):
                last_b -= 1
            if not (all(b - a >= 2 and is_designator(span[b - 1]) for a, b in parts)
                    or len(parts) == 2 and span[cuts[0]] == "and" and last_b - last_a >= 2 and cuts[0] == 1
                    and not is_designator(span[0]) and not is_designator(span[2]) and not known_place(span[:1])
                    and not any(w in POSSESSIVE_MARKS for w in span)):
                continue  # "Standard and Poor 's Corp", "Australia and New Zealand Banking Group"
            for a, b in parts:
                set_span(tags, start + a, start + b, "ORG")
            for k in cuts:
                tags[start + k] = "O"
            continue
        if any(b <= a or not span[a][:1].isupper() or not span[b - 1][:1].isupper()
               for a, b in parts):
            continue  # "Bureau of Alcohol , Tobacco and Firearms" has parts of no name
        if all(b - a >= 2 and is_designator(span[b - 1]) for a, b in parts[:-1]) and all(
                is_name_word(w) and not is_designator(w) for w in span[parts[-1][0]:]):
            # "Amazon.com Inc and Sequoia Capital": a firm's designator ends the firm.
            for a, b in parts:
                set_span(tags, start + a, start + b, "ORG")
            for k in cuts:
                tags[start + k] = "O"
            continue
        commas = "," in span
        # "Spotify , Tesla , Uber and Snapchat": after a comma, the end of a list.
        listed = start > 0 and words[start - 1] == "," and all(b - a == 1 for a, b in parts)
        headed = all(b - a >= 2 and (span[b - 1] in ORGANISATION_HEADS or _head_of_place(span[a:b]))
                     for a, b in parts)
        # "Apple and Google", "Uber and Lyft": two brands; partners' surnames
        # ("Procter and Gamble", "Black and Decker") stay one firm.
        brands = surnames and len(parts) == 2 and not commas and all(
            b - a == 1 and len(span[a]) > 2 and not demonym_country(span[a]) for a, b in parts) and any(
            span[a] not in surnames for a, _ in parts) and not all(span[a].lower() in lower_words for a, _ in parts)
        if not (commas and all(b - a <= 2 for a, b in parts) or listed or headed or brands):
            continue
        for k in range(start, end):
            tags[k] = "O"
        for a, b in parts:
            kind = known_place(span[a:b])
            known = kind in _LISTED_PLACE_KINDS or brands and kind is not None  # "Henan and Sichuan"
            set_span(tags, start + a, start + b, "LOC" if known else "ORG")
    return tags


# A stock's exchange code as news agencies write it after a firm: "TSLA.O", "DBKGn.DE",
# "9984.T" (symbol, a period, the exchange's letters).
_EXCHANGE_CODE = re.compile(r"[A-Z0-9][A-Za-z0-9]{0,7}\.[A-Z]{1,3}")
MAX_TICKED_WORDS = 5


def mark_ticked_firms(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where the capitalised name right before a stock's exchange code in
    brackets is an organisation: "Alphabet (GOOGL.O)", "chipmaker Nvidia Corp
    (NVDA.O)", "Germany 's Deutsche Bank (DBKGn.DE)". The name ends at a lower-case
    word, a possessive, an article or the bracket before it."""
    if "(" not in words:
        return tags
    n = len(words)
    for i in range(1, n - 2):
        if words[i] != "(" or words[i + 2] != ")" or not _EXCHANGE_CODE.fullmatch(words[i + 1]):
            continue
        start = i
        while start > max(0, i - MAX_TICKED_WORDS) and words[start - 1][:1].isupper() \
                and words[start - 1] not in ANY_ARTICLES and (start - 1 > 0 or tags[0] != "O"
                                                              or i - start == 0):
            start -= 1
        if start == i or tags[start].startswith("I-") and tags[start - 1].endswith("ORG"):
            continue  # no name, or the one before it is the firm's ("Bank of X")
        set_span(tags, start, i, "ORG")
    return tags


# Last words of the names of newspapers, broadcasters, lotteries and bands, which a
# place begins ("Dallas Morning News", "Connecticut Lottery") but which name no place.
MEDIA_HEADS = frozenset(
    """News Times Post Herald Tribune Journal Gazette Telegraph Chronicle Inquirer Observer
    Lottery Band Orchestra Symphony Club Police""".split()  # noqa: SIM905
)
# Last words of the names of laws, which are no organisations ("HEROES Act").
LAW_HEADS = frozenset({"Act", "Acts"})


def mark_named_kinds(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a "place" ending in a newspaper's, lottery's or band's noun is an
    organisation ("Dallas Morning News", "Connecticut Lottery"), and an "organisation"
    ending in "Act" is a law, another kind of name ("National Origins Act")."""
    if tags.count("O") == len(tags):
        return tags
    for typ, start, end in tag_spans(tags):
        if typ == "LOC" and end - start >= 2 and words[end - 1] in MEDIA_HEADS:
            set_span(tags, start, end, "ORG")
        elif typ == "ORG" and end - start >= 2 and words[end - 1] in LAW_HEADS:
            set_span(tags, start, end, "MISC")
    return tags


def join_body_heads(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where an organisation's name takes in the head noun and "of"/"for"
    before it that the model left out ("Organization of the Petroleum Exporting
    Countries", "Centers for Disease Control and Prevention"), with the capitalised
    words before the head, and the words before a head noun that starts it ("Federal
    Trade" + "Commission"); two organisations joined so are one ("State
    Administration" + "for" + "Market Regulation")."""
    if "B-ORG" not in tags:
        return tags
    for typ, start, end in tag_spans(tags):
        if typ != "ORG":
            continue
        k = start - 1
        if k >= 1 and words[k] == "the" and words[k - 1] in ("of", "for"):
            k -= 1  # "Organisation for the Prohibition of Chemical Weapons"
        if words[start] in ORGANISATION_HEADS and start > 0 and _name_word_before(words, tags, start):
            k = start  # "Federal Trade" + "Commission", cut apart by the model
        elif k < 1 or words[k] not in ("of", "for") or words[k - 1] not in BODY_HEADS:
            continue
        elif tags[k - 1] == "I-ORG" and k == start - 1:
            # "State Administration" + "for" + "Market Regulation": two halves of one body.
            first = k - 1
            while tags[first] != "B-ORG":
                first -= 1
            set_span(tags, first, end, "ORG")
            continue
        elif tags[k - 1] != "O":
            continue
        first = k - 1 if k < start else k
        while first > 0 and _name_word_before(words, tags, first) and words[first - 1] not in BODY_HEADS:
            first -= 1
        set_span(tags, first, end, "ORG")
    return tags
