"""Text structure for `quotes`: paragraphs, sentences, quotation-mark spans, clause ends
and the gender first names and titles tell."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from search.analysis.entities import Entity
from search.analysis.quote_cues import FEMALE_NAMES, FEMALE_TITLES, MALE_NAMES, MALE_TITLES

_PARAGRAPH = re.compile(r"\n\s*\n")
_MARK = re.compile(r"[\"“”]")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Jr|Sr|No|vs|Prof|Lt|Col|Capt"
    r"|Inc|Co|Corp|Ltd|U\.S|U\.N|U\.K|Jan|Feb|Aug|Sept|Oct|Nov|Dec)"
    r"|\b[A-Z])$"
)
# A title's or an initial's full stop before a capital ("Mr. Biden said", "U.S. Senate"):
# not a sentence end, so the attribution rules, which stop at full stops, read across it.
# A title's or an initial's full stop before a capital ("Mr. Biden said", "U.S. Senate"):
# not a sentence end, so the attribution rules, which stop at full stops, read across it.
ABBREVIATION_STOP = "\u2024"  # one dot leader: not a full stop, not a word character
_SINGLE_CLOSE = re.compile(r"(?<=[.,!?])’|(?<=[^\s.,!?s])’(?=[\s.,;:!?)—–-]|$)|(?<=s)’(?=[.,;:!?)—–-]|$|\s+[^a-z\s])")
_PRONOUN_AFTER = re.compile(r"\b([Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er)\b")
_CLAUSE_BREAK = re.compile(r"[.!?\"“”]")
_PARTY_STATE = re.compile(r"\((?:[DRI]|Ind)-[A-Z][A-Za-z]*(\.)\)")
_INITIAL_DOT = re.compile(r"\.(?=[A-Z]\.)")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph (blank-line separated, blank lines excluded)."""
    out = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        if match.start() > start:
            out.append((start, match.start()))
        start = match.end()
    if start < len(text) or not out:
        out.append((start, len(text)))
    return out


def sentence_ends(text: str, title_stops: list[int] | None = None) -> list[int]:
    """Return the offsets just after each sentence end that is not an abbreviation; the
    abbreviations' full stops before a capital ("Mr. Biden") go to `title_stops`."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text, max(0, match.start() - 6), match.start()):
            ends.append(match.end())
        elif title_stops is not None and text[match.start()] == ".":
            title_stops.append(match.start())
    return ends


def mask_title_stops(text: str, stops: list[int]) -> str:
    """Return `text` with the full stops at `stops` (titles', initials': see
    `sentence_ends`) replaced by `ABBREVIATION_STOP`, same length, so offsets hold."""
    # initials ("U.S. officials believe", "D.C."), whatever follows them
    initials = {
        at
        for m in _INITIAL_DOT.finditer(text)
        if text[m.start() - 1].isupper() and not text[m.start() - 2 : m.start() - 1].isalnum()
        for at in (m.start(), m.start() + 2)
    }
    # a party and state after a name ("Ryan (R-Wis.) said"): no sentence end either
    initials.update(m.start(1) for m in _PARTY_STATE.finditer(text))
    if initials:
        stops = sorted(initials.union(stops))
    if not stops:
        return text
    parts = []
    last = 0
    for at in stops:
        parts.append(text[last:at])
        parts.append(ABBREVIATION_STOP)
        last = at + 1
    parts.append(text[last:])
    return "".join(parts)


def quote_spans(text: str, paragraphs) -> list[tuple[int, int, int, int]]:
    """Return (start, end, open mark, close mark) of each double-quoted stretch."""
    spans: list[list[int]] = []
    carried = False  # the last paragraph ended inside a quote
    for p_start, p_end in paragraphs:
        open_at = None
        for match in _MARK.finditer(text, p_start, p_end):
            i = match.start()
            mark = match.group()
            if open_at is None:
                before = text[i - 1] if i > p_start else " "
                after = text[i + 1] if i + 1 < p_end else " "
                closer = mark == "”" or (
                    mark == '"' and not before.isspace() and before not in "([{—–-/" and not after.isalnum()
                )
                if closer and carried and spans:
                    spans[-1][1], spans[-1][3] = i, i  # the quote ran over a paragraph break
                    carried = False
                    continue
                if closer:
                    continue
                # A quote continued in this paragraph stays one span.
                open_at = spans.pop()[2] if carried and i == p_start and spans else i
                carried = False
            else:
                spans.append([open_at + 1, i, open_at, i])
                open_at = None
        carried = open_at is not None
        if carried:
            spans.append([open_at + 1, p_end, open_at, p_end])
    out = []
    for start, end, open_at, close_at in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end, open_at, close_at))
    if "‘" in text:
        out = sorted(out + _single_spans(text, paragraphs, out))
    return out


def _single_spans(text: str, paragraphs, doubles) -> list[tuple[int, int, int, int]]:
    """Return the spans in single curly marks (‘…’) that lie outside double-quoted ones:
    some outlets quote that way. A closing ’ is one that ends a word before a space or
    punctuation, not an apostrophe (don’t) nor, before a lower-case word, a plural's (voters’)."""
    spans = []
    for p_start, p_end in paragraphs:
        at = text.find("‘", p_start, p_end)
        while at >= 0:
            nxt = text[at + 1 : at + 2]
            if nxt.isalnum() and (at == p_start or text[at - 1] in " \t\n([—–-") and not inside_quote(doubles, at):
                close = _SINGLE_CLOSE.search(text, at + 2, p_end)
                if close is not None:
                    c = close.start()
                    spans.append((at + 1, c, at, c))
                    at = text.find("‘", c + 1, p_end)
                    continue
            at = text.find("‘", at + 1, p_end)
    return spans


def inside_quote(marks, pos: int) -> bool:
    """Whether `pos` lies between the marks of one of `marks` (from `quote_spans`)."""
    i = bisect.bisect_right(marks, (pos, 1 << 60)) - 1
    return i >= 0 and marks[i][2] < pos < marks[i][3]


def clause_end(text: str, start: int, s_end: int) -> int:
    """Return where a reported clause starting at `start` ends: the sentence end, or
    before a trailing attribution (", according to", ", he said"), edge punctuation off."""
    end = s_end
    for stop in (
        ", according to",
        ", adding",
        ", said",
        ", he said",
        ", she said",
        ", saying",
        ", stating",
        ", writing",
    ):
        at = text.find(stop, start, end)
        if at >= 0:
            end = at
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    if end < s_end and text[end : end + 1] in '"”' and text[end - 1 : end] not in '"”':
        end += 1
    return end


def person_genders(text: str, people: Sequence[Entity]) -> dict[str, str]:
    """Return "m"/"f" for people whose first name or a title before a mention tells it."""
    genders: dict[str, str] = {}
    for person in people:
        first = person.canonical.split()[0].lower() if person.canonical else ""
        before = text[max(0, person.start - 12) : person.start].lower()
        title = re.findall(r"[a-z]+", before)[-1:] or [""]
        if title[0] in MALE_TITLES or first in MALE_NAMES:
            genders.setdefault(person.canonical, "m")
        elif title[0] in FEMALE_TITLES or first in FEMALE_NAMES:
            genders.setdefault(person.canonical, "f")
    # Else the first pronoun after a mention in its sentence, no other person between
    # ("Clinton said her plan"): a weaker sign, taken only where the names say nothing.
    for k, person in enumerate(people):
        if person.canonical in genders:
            continue
        stop = people[k + 1].start if k + 1 < len(people) else len(text)
        match = _PRONOUN_AFTER.search(text, person.end, min(stop, person.end + 80))
        if match and not _CLAUSE_BREAK.search(text, person.end, match.start()):
            genders.setdefault(person.canonical, "m" if match.group(1).lower() in ("he", "his", "him") else "f")
    return genders
