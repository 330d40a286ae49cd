"""Speakers of quotations: the `Quote` value and the rules that find who said it.

A speaker is a recognised person's canonical name. A pronoun is the person it most likely
refers to (the last speaker, else the last person named, by gender where first names or
titles tell it); a role ("the minister") is the person the article names with that role.
Anything else (an agency, "officials") has no speaker but keeps its mention.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from search.analysis.entities import Entity
from search.analysis.quote_cues import (
    FEMALE_PRONOUNS,
    GROUP_PRONOUNS,
    MALE_PRONOUNS,
    ROLE_WORDS,
    SPEECH_VERBS,
    trie_pattern,
)

DIRECT, MIXED, INDIRECT = "direct", "mixed", "indirect"


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed quotation: offsets of the quoted or reported words in the text (no
    marks), its kind (direct, mixed, indirect), the speaker's canonical name or None, the
    attributing mention's offsets (possibly a pronoun) and the cue ("said")."""

    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None


CUE = trie_pattern(SPEECH_VERBS)
CUE_WORD = re.compile(rf"\b({CUE}|[Aa]ccording to)\b")
WORD = re.compile(r"[\w'’-]+")
_COORDINATED = re.compile(rf"\s+(?:{CUE}|\w+ed)\s+(?:to|at|with|on)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){{0,2}}$")
_AUXILIARY = re.compile(r"(?:\s+(?:also|then|later|has|have|had|previously|publicly|had|has))+\s*$")


# A pronoun subject right before its verb, perhaps with an adverb ("But he", "she later").
_PRONOUN_SUBJECT = re.compile(r"\b(he|she|they|it|we)(?:\s+\w+ly)?$", re.IGNORECASE)
_LEAD_SUBJECT = re.compile(r"\s*((?:he|she|they|it|we)\b|(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?"
                           r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})", re.IGNORECASE)
_DETERMINER = re.compile(r"(?:the|a|an|his|her|its|[A-Z][\w.]*(?:'s|’s))$", re.IGNORECASE)
# Plural sources after which "say" is the verb, not the noun ("officials say", "have a say").
SOURCE_NOUNS = frozenset(
    """
    officials authorities witnesses reports experts sources analysts police critics residents
    officers lawmakers prosecutors investigators diplomats observers leaders scientists
    researchers doctors organizers organisers activists aides documents spokesmen
    """.split()  # noqa: SIM905
)
_IRREGULAR_PAST = frozenset(
    """
    met told went gave made took spoke wrote sent held led won lost ran began came left got
    saw thought felt sought brought kept put set hit became chose drew fought knew rose stood
    struck threw were took beat bought built caught cut dealt did fled flew forgave froze
    heard hid hung laid meant paid quit read rode sang sat shook shot slid sold spent split
    spread stole stuck swore swung taught tore understood withdrew wore
    """.split()  # noqa: SIM905
)
# What follows a person who is the subject of a clause: a verb, perhaps after an apposition
# ("Trump, who…, said"; "Obama also met"; "Clinton told"), not an object's "on Monday" or ".".
_VERB_AFTER = re.compile(rf"(?:\s*,[^,.!?\"“”]{{1,80}},)?\s+(?:(?:also|then|later|again|has|had|have"
                         rf"|is|was|will|would|could|did|does|may|might|must|can|previously|"
                         rf"earlier|first|recently|once|never|still|now)\s+)*(?:{CUE}|[a-z]+ed|"
                         rf"[a-z]+s|{trie_pattern(_IRREGULAR_PAST)})\b")
_VERB_SUBJECTS = SOURCE_NOUNS | {"he", "she", "they", "it", "we", "also"}


class SpeakerResolution:
    """Speaker rules of the extractor; the subclass holds the text, people and paragraphs."""

    text: str
    people: list[Entity]
    person_starts: list[int]
    paragraphs: list[tuple[int, int]]
    spoken: list[tuple[int, Quote]]
    genders: dict[str, str]

    def _paragraph_of(self, pos: int) -> int:
        raise NotImplementedError


    def _subject(self, lo: int, cue_at: int, cue: str):
        """Return (start, end, cue, person-or-name) for the subject of a cue at `cue_at`."""
        text = self.text
        aux = _AUXILIARY.search(text, lo, cue_at)
        if aux:
            cue_at = aux.start()
        person = self._person_in(lo, cue_at, first=False, gap=0)
        if person is not None and re.fullmatch(r",?\s+and\s+", text[person.end:cue_at]):
            # "X tweeted to Y and said": X, the subject of both verbs
            verb = _COORDINATED.search(text, lo, person.start)
            earlier = self._person_in(lo, verb.start(), first=False, gap=0) if verb else None
            if earlier is not None and len(WORD.findall(text[earlier.end:verb.start()])) <= 2:
                person = earlier
                cue_at = verb.start()
        if person is not None:
            between = text[person.end:cue_at]
            if (len(WORD.findall(between)) <= 2 or re.fullmatch(r"\s*,[^.!?\"“”]{1,120},\s*", between)
                    or re.fullmatch(r"\s*'s statement\s*", between)):
                return person.start, person.end, cue, person
        tail = text[lo:cue_at].rstrip(" ,")
        pron = _PRONOUN_SUBJECT.search(tail)
        if pron:
            return lo + pron.start(1), lo + pron.end(1), cue, None
        phrase = re.search(r"([^,;:.!?\"“”]{2,90}?)\s*$", tail)
        if not phrase or not phrase.group(1).strip():
            return None
        if phrase.group(1).strip().lower() in {"and", "but"}:
            # "He also met X, which began Sunday, and says …": the sentence's subject
            lead = _LEAD_SUBJECT.match(tail)
            if lead is None:
                return None
            person = self._person_in(lo + lead.start(1), lo + lead.end(1), first=True, gap=0)
            return lo + lead.start(1), lo + lead.end(1), cue, person
        return lo + phrase.start(1), lo + phrase.end(1), cue, None

    def _names_before(self, s_start: int, at: int) -> bool:
        """Whether the word before `at` is a name or a pronoun, so a noun-like cue is a verb."""
        words = WORD.findall(self.text[max(s_start, at - 30):at])
        return bool(words) and (words[-1][:1].isupper() or words[-1].lower() in
                                _VERB_SUBJECTS)

    def _person_in(self, lo: int, hi: int, first: bool, gap: int) -> Entity | None:
        i = bisect.bisect_left(self.person_starts, lo)
        j = bisect.bisect_left(self.person_starts, hi)
        if i >= j:
            return None
        person = self.people[i] if first else self.people[j - 1]
        if person.end > hi:
            return None
        if first and gap and len(self.text[lo:person.start]) > gap:
            return None
        return person

    def _make(self, start, end, kind, s_start, s_end, cue, who) -> Quote:
        if isinstance(who, Entity):
            speaker = who.canonical
        elif isinstance(who, str):
            speaker = who
        else:
            speaker = self._resolve(s_start, s_end)
        quote = Quote(start, end, kind, speaker, s_start, s_end, cue)
        bisect.insort(self.spoken, (start, quote), key=lambda item: item[0])
        return quote

    def _referent(self, gender: str, at: int) -> str | None:
        """Return who "he"/"she" at `at` refers to: the nearest person before it, of that
        gender or unknown, who is the subject of a verb ("Trump also mocked Rubio. "…," he
        said": Trump, not Rubio) or was quoted; else the last speaker, else the last person."""
        para = self._paragraph_of(at)
        lo = self.paragraphs[max(0, para - 2)][0]
        speakers = {q.speaker_start for pos, q in self.spoken if lo <= pos < at}
        i = bisect.bisect_left(self.person_starts, at)
        for person in reversed(self.people[max(0, i - 12):i]):
            if person.start < lo:
                break
            if self.genders.get(person.canonical, gender) == gender and (
                    person.start in speakers or _VERB_AFTER.match(self.text, person.end)):
                return person.canonical
        for pos, quote in reversed(self.spoken):
            if pos < lo:
                break
            if quote.speaker and pos < at and self.genders.get(quote.speaker, gender) == gender:
                return quote.speaker
        for person in reversed(self.people[max(0, i - 12):i]):
            if self.genders.get(person.canonical, gender) == gender:
                return person.canonical
        return None

    def _resolve(self, s_start: int, s_end: int) -> str | None:
        mention = self.text[s_start:s_end].strip()
        low = mention.lower()
        if low in GROUP_PRONOUNS:
            return None
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            return self._referent("m" if low in MALE_PRONOUNS else "f", s_start)
        words = low.split()
        roles = [w for w in words if w in ROLE_WORDS]
        if roles and _DETERMINER.fullmatch(mention.split()[0]):
            i = bisect.bisect_left(self.person_starts, s_start)
            for person in reversed(self.people[:i]):
                if roles[-1] in self.text[max(0, person.start - 40):person.start].lower():
                    return person.canonical
            # a lead that names the role before the person ("Venezuela's defense minister
            # says …" then "Defense Minister Raul Baduel said …"): the next sentences
            for person in self.people[i:i + 4]:
                if person.start - s_end > 300:
                    break
                if roles[-1] in self.text[max(0, person.start - 40):person.start].lower():
                    return person.canonical
        return None
