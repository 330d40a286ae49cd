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
from functools import lru_cache

from search.analysis.entities import Entity
from search.analysis.quote_cues import (
    FEMALE_NAMES,
    FEMALE_PRONOUNS,
    GROUP_PRONOUNS,
    MALE_NAMES,
    MALE_PRONOUNS,
    PARTICIPLE_CUES,
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
# A day of the week, as news dates what was said ("said Tuesday").
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_COORDINATED = re.compile(rf"\s+(?:{CUE}|\w+ed)\s+(?:to|at|with|on)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){{0,2}}$")
_AUXILIARY = re.compile(r"(?:\s+(?:also|then|later|has|have|had|previously|publicly|had|has))+\s*$")


# A pronoun subject right before its verb, perhaps with an adverb ("But he", "she later").
_PRONOUN_SUBJECT = re.compile(r"\b(he|she|they|it|we)(?:\s+\w+ly)?$", re.IGNORECASE)
_LEAD_SUBJECT = re.compile(
    r"\s*((?:he|she|they|it|we)\b|(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})",
    re.IGNORECASE,
)
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
_VERB_AFTER = re.compile(
    rf"(?:\s*,[^,.!?\"“”]{{1,80}},)?\s+(?:(?:also|then|later|again|has|had|have"
    rf"|is|was|will|would|could|did|does|may|might|must|can|previously|"
    rf"earlier|first|recently|once|never|still|now)\s+)*(?:{CUE}|[a-z]+ed|"
    rf"[a-z]+s|{trie_pattern(_IRREGULAR_PAST)})\b"
)
# An organisation named after a person: "the Trump campaign", "the Obama administration".
_ORGANISATION_AFTER = re.compile(r"\s+(campaign|administration|camp|foundation|transition(?:\s+team)?)\b")
# People a story may leave unnamed: "he" after them is one of them, not someone named later.
_UNNAMED_SOURCE = re.compile(
    r"\b(?:source|official|spokes(?:man|woman|person)|analyst|executive|diplomat|aide"
    r"|lawyer|attorney|expert|dealer|trader|economist|banker|witness|resident|man"
    r"|woman|officer)\b",
    re.IGNORECASE,
)
_QUOTED_AS = re.compile(r"\bquot(?:ed|es|ing)\s+([^.!?\"“”]{1,80}?)\s+as\s+$")
# A clause's opening adverbial ("On Sunday, ", "In a statement Thursday, ", "Meanwhile, ").
_ADVERBIAL = re.compile(
    r"(?:(?:On|In|At|During|After|Before|Meanwhile|Separately|Also|However|"
    r"Later|Earlier|Last|Speaking|Since|Despite|Following|But|And)\b[^,.!?\"“”]{0,60},\s*)+"
)
_MAIN_VERB = re.compile(
    rf"\s(?:has|have|had|is|was|were|are|will|would|could|did|does|also|"
    rf"{trie_pattern(_IRREGULAR_PAST)}|[a-z]+ed|{CUE})\b"
)
_NAME_WORD = r"(?:[A-Z][\w'’-]*[\w]|[A-Z][.\u2024])"
_NAME_PARTICLES = frozenset({"de", "van", "von", "bin", "al", "la", "le", "da", "del", "di"})
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?:{'|'.join(sorted(_NAME_PARTICLES))})\s+)?{_NAME_WORD}){{0,3}})"
_SPEAKS_FOR = re.compile(rf"\bspokes(?:man|woman|person)\s+(?:for|of)\s+(?:(?:the\s+)?[a-z]+\s+)?{_NAME}(?:'s|’s)?\s*$")
_OFFICE_OF = re.compile(rf"(?:^|\s){_NAME}(?:'s|’s)\s+(?:office|spokes(?:man|woman|person))\s*$")
_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES
_PERSONAL_TITLES = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "senator",
        "congressman",
        "congresswoman",
        "aide",
        "adviser",
        "advisor",
        "publicist",
        "lawyer",
        "attorney",
    }
)
_TITLE_BEFORE = re.compile(r"\b([A-Za-z]+)[.\u2024]?,?\s*$")
_NAME_TOKEN = re.compile(r"[A-Z][\w'’-]*\w|[A-Z][.\u2024]")
_STOPS = ".\u2024,"
# Words before a name that show it is a person's ("spokesman Jay Carney", "Sen. Cruz").
_NAME_TITLES = ROLE_WORDS | {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "sgt",
    "adm",
    "prof",
    "rev",
    "member",
    "candidate",
    "congressman",
    "congresswoman",
    "lawmaker",
    "activist",
    "analyst",
    "economist",
    "resident",
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "nominee",
    "hopeful",
}
# Capitalised words that are not part of a person's name.
_NOT_NAME_WORDS = frozenset(
    """
    ministry department house council party agency office police army court committee
    commission bank times post news press network government university association union
    group corp inc company foundation institute service services watch center centre board
    organization organisation league front movement agency airlines reuters associated
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december the a an this that it he she
    they we i his her their its our white senate congress pentagon kremlin
    republicans democrats republican democratic democrat state states united nations
    """.split()  # noqa: SIM905
)
# A first name (or a title and a first name) right before a surname: "Senator John Doakes", "Mark Q. Zorbalt".
_FIRST_BEFORE = re.compile(r"(?:\b([A-Za-z]+)[.\u2024]?\s+)?\b([A-Z][a-z]+)\s+(?:[A-Z][.\u2024]\s+)?$")
# A party label as a role ("the Kentucky Republican") and how a name is marked with it ("(R-Ky.)").
_PARTY_MARK = {"republican": "R", "democrat": "D"}
_VERB_SUBJECTS = SOURCE_NOUNS | {"he", "she", "they", "it", "we", "also"}


# Titles written short before a name ("Sen. Ted Cruz" is the senator).
_ROLE_ABBREVIATIONS = {
    "senator": "sen",
    "representative": "rep",
    "congressman": "rep",
    "congresswoman": "rep",
    "governor": "gov",
    "general": "gen",
    "president": "pres",
    "secretary": "sec",
}
# Words before a role that make it another office ("the Prime Minister" is no minister of the
# article's): a role after any other capitalised word ("the Texas senator", "the Republican
# nominee") may be the bare role.
_OFFICE_MODIFIERS = frozenset(
    """
    prime foreign defense defence interior finance deputy vice chief home health justice
    attorney secretary general press state executive assistant acting
    """.split()  # noqa: SIM905
)
# A title before a name as the role it gives ("Sen." a senator, "Minister" a minister).
_TITLE_ROLES = {**{role: role for role in ROLE_WORDS}, **{abbr: role for role, abbr in _ROLE_ABBREVIATIONS.items()}}
# Roles any office holder may have besides their title ("Rep. Jason Chaffetz" is "the Utah Republican").
_ANY_OFFICE_ROLES = frozenset({"republican", "democrat", "candidate", "nominee", "lawmaker", "official", "leader"})
# Roles of people a story quotes for someone else or leaves unnamed.
_SOURCE_ROLES = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "aide",
        "adviser",
        "advisor",
        "lawyer",
        "attorney",
        "analyst",
        "strategist",
        "consultant",
        "operative",
        "pollster",
        "activist",
        "administrator",
        "editor",
        "curator",
        "representative",
    }
)
_FEMALE_ROLES = frozenset({"spokeswoman", "chairwoman", "congresswoman"})
_MALE_ROLES = frozenset({"spokesman", "chairman", "congressman"})


@lru_cache(maxsize=256)
def _role_patterns(role: str) -> tuple[re.Pattern, re.Pattern]:
    """Return how a role names a person: as a title before the name ("Defense Minister
    General Raul Baduel") and in apposition after it ("Elizabeth Warren, a Massachusetts
    Democrat,")."""
    head, _, last = role.rpartition(" ")
    abbreviation = _ROLE_ABBREVIATIONS.get(last)
    written = re.escape(role) + (
        rf"|{re.escape(head + ' ' if head else '')}{abbreviation}[.\u2024]" if abbreviation else ""
    )
    titled = re.compile(
        rf"(?i:\b(?:{written}))(?:\s+of\s+[A-Z][\w\u2024.'’-]*"
        rf"|\s+[A-Z][\w\u2024.'’-]*)*,?\s+$"
    )
    apposed = re.compile(rf",\s+(?:a|an|the)\s+(?:[\w\u2024.'’-]+\s+){{0,4}}?(?i:{re.escape(role)})\b")
    return titled, apposed


class SpeakerResolution:
    """Speaker rules of the extractor; the subclass holds the text, people and paragraphs."""

    text: str
    people: list[Entity]
    person_starts: list[int]
    paragraphs: list[tuple[int, int]]
    spoken: list[tuple[int, Quote]]
    genders: dict[str, str]
    others: list[tuple[int, int]]  # places and organisations, by start
    surnames: dict[str, str] | None  # last word of each person's name -> the name, when asked
    other_starts: list[int]

    marked: list[tuple[int, int]]  # (open mark, close mark) of each quote, by start
    marked_opens: list[int]

    def _paragraph_of(self, pos: int) -> int:
        raise NotImplementedError

    def _in_marks(self, pos: int) -> bool:
        """Whether `pos` lies inside quotation marks (a name there is quoted, not a subject)."""
        i = bisect.bisect_right(self.marked_opens, pos) - 1
        return i >= 0 and pos < self.marked[i][1]

    def _is_subject(self, person: Entity) -> bool:
        """Whether a verb follows `person` (perhaps after an apposition): a clause's subject."""
        return _VERB_AFTER.match(self.text, person.end) is not None

    def _subject(self, lo: int, cue_at: int, cue: str):
        """Return (start, end, cue, person-or-name) for the subject of a cue at `cue_at`."""
        text = self.text
        quoted = _QUOTED_AS.search(text, lo, cue_at) if cue.lower() == "saying" else None
        if quoted is not None:  # "He quoted Ms. Rice as saying": Rice
            person = self._person_in(quoted.start(1), quoted.end(1), first=False, gap=0)
            if person is not None:
                return person.start, person.end, cue, person
            return quoted.start(1), quoted.end(1), cue, None
        if cue.lower() in PARTICIPLE_CUES:
            lead = self._lead_subject(lo, cue_at, cue)
            if lead is not None:
                return lead
        aux = _AUXILIARY.search(text, lo, cue_at)
        if aux:
            cue_at = aux.start()
        person = self._person_in(lo, cue_at, first=False, gap=0)
        if person is not None and re.fullmatch(r",?\s+and\s+", text[person.end : cue_at]):
            # "X tweeted to Y and said": X, the subject of both verbs
            verb = _COORDINATED.search(text, lo, person.start)
            earlier = self._person_in(lo, verb.start(), first=False, gap=0) if verb else None
            if earlier is not None and len(WORD.findall(text[earlier.end : verb.start()])) <= 2:
                person = earlier
                cue_at = verb.start()
        if person is not None and re.fullmatch(r"\s*(?:that|which)\s*", text[person.end : cue_at]):
            person = None  # "a poster of President Mubarak that says": the poster says it
        if person is not None and text[person.end : person.end + 2] in ("'s", "’s"):
            # "Kellyanne Conway, Trump's campaign manager, said": the name the apposition follows
            earlier = self._person_in(lo, person.start, first=False, gap=0)
            if earlier is not None and re.fullmatch(r"\s*,[^.!?\"“”,]{0,60}", text[earlier.end : person.start]):
                person = earlier
        if person is not None and _ORGANISATION_AFTER.match(text, person.end, cue_at):
            # "The Trump campaign said": an organisation named after the person speaks
            return person.start, _ORGANISATION_AFTER.match(text, person.end, cue_at).end(1), cue, None
        if person is not None:
            between = text[person.end : cue_at]
            if (
                len(WORD.findall(between)) <= 2
                or re.fullmatch(r"\s*,[^.!?\"“”]{1,120},\s*", between)
                or re.fullmatch(r"\s*'s statement\s*", between)
            ):
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

    def _lead_subject(self, lo: int, cue_at: int, cue: str):
        """For a participle ("…, saying"), the subject of the clause it hangs on: the words
        before that clause's verb ("Iran's supreme leader has dismissed …, saying")."""
        text = self.text
        start = lo + len(text[lo:cue_at]) - len(text[lo:cue_at].lstrip())
        opener = _ADVERBIAL.match(text, start, cue_at)
        if opener:
            start = opener.end()
        verb = _MAIN_VERB.search(text, start, cue_at)
        if verb is None or verb.start() == start or len(WORD.findall(text[start : verb.start()])) > 10:
            return None
        end = verb.start()
        while end > start and text[end - 1] in " ,":
            end -= 1
        # the subject's head comes first: "Sen. Lindsey Graham (R-S.C.), a frequent Trump critic,"
        person = self._person_in(start, end, first=True, gap=25) or self._person_in(start, end, first=False, gap=0)
        if person is not None:
            return person.start, person.end, cue, person
        return start, end, cue, None

    def _names_before(self, s_start: int, at: int) -> bool:
        """Whether the word before `at` is a name or a pronoun, so a noun-like cue is a verb."""
        words = WORD.findall(self.text[max(s_start, at - 30) : at])
        return bool(words) and (words[-1][:1].isupper() or words[-1].lower() in _VERB_SUBJECTS)

    def _person_in(self, lo: int, hi: int, first: bool, gap: int) -> Entity | None:
        i = bisect.bisect_left(self.person_starts, lo)
        j = bisect.bisect_left(self.person_starts, hi)
        if i >= j:
            return None
        person = self.people[i] if first else self.people[j - 1]
        if person.end > hi:
            return None
        if first and gap and len(self.text[lo : person.start]) > gap:
            return None
        return person

    def _make(self, start, end, kind, s_start, s_end, cue, who) -> Quote:
        if isinstance(who, Entity):
            speaker = who.canonical
        elif isinstance(who, str):
            speaker = who
        else:
            speaker = self._resolve(s_start, s_end) or self._named_in(s_start, s_end)
        quote = Quote(start, end, kind, speaker, s_start, s_end, cue)
        bisect.insort(self.spoken, (start, quote), key=lambda item: item[0])
        return quote

    def _subjects_before(self, at: int, lo: int):
        """Yield the people named from `lo` to `at`, nearest first (at most 12), who are
        outside quotation marks and the subject of a verb or a quote's speaker."""
        speakers = {q.speaker_start for pos, q in self.spoken if lo <= pos < at}
        i = bisect.bisect_left(self.person_starts, at)
        for person in reversed(self.people[max(0, i - 12) : i]):
            if person.start < lo:
                return
            if not self._in_marks(person.start) and (
                person.start in speakers or _VERB_AFTER.match(self.text, person.end)
            ):
                yield person

    def _referent(self, gender: str, at: int) -> str | None:
        """Return who "he"/"she" at `at` refers to: the nearest person before it, of that
        gender or unknown, who is the subject of a verb ("Trump also mocked Rubio. "…," he
        said": Trump, not Rubio) or was quoted; else the last speaker, else the last person."""
        para = self._paragraph_of(at)
        lo = self.paragraphs[max(0, para - 2)][0]
        i = bisect.bisect_left(self.person_starts, at)
        for person in self._subjects_before(at, lo):
            if self.genders.get(person.canonical, gender) == gender:
                return person.canonical
        for pos, quote in reversed(self.spoken):
            if pos < lo:
                break
            if quote.speaker and pos < at and self.genders.get(quote.speaker, gender) == gender:
                return quote.speaker
        for person in reversed(self.people[max(0, i - 12) : i]):
            if self.genders.get(person.canonical, gender) == gender and not self._in_marks(person.start):
                return person.canonical
        # no one named before: a story may name the speaker only after the quote ('"…," he
        # said.' then 'Bennett says …'): the first person of that gender who is the subject of
        # a verb in this paragraph or the two after it
        if _UNNAMED_SOURCE.search(self.text, self.paragraphs[max(0, para - 1)][0], at):
            return None  # "A source close to the management … He said": the source, unnamed
        hi = self.paragraphs[min(len(self.paragraphs) - 1, para + 2)][1]
        for person in self.people[i : i + 6]:
            if person.start >= hi:
                break
            if (
                self.genders.get(person.canonical, gender) == gender
                and not self._in_marks(person.start)
                and _VERB_AFTER.match(self.text, person.end)
            ):
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
        roles = [k for k, w in enumerate(words) if w in ROLE_WORDS]
        if roles and _DETERMINER.fullmatch(mention.split()[0]) and words[0] not in ("a", "an"):
            # "the defense minister" is not the prime minister: the role with its modifier
            k = roles[-1]
            role = words[k]
            modifier = mention.split()[k - 1] if k > 1 else ""
            if k > 1 and not _DETERMINER.fullmatch(words[k - 1]) and words[k - 1].isalpha():
                role = f"{words[k - 1]} {role}"
            if modifier.isupper() and len(modifier) > 1:
                # an acronym ("the NSC spokesman") stands for words the title spells out
                # ("National Security Council spokesman, Gordon Johndroe"): the bare role
                role = words[k]
            i = bisect.bisect_left(self.person_starts, s_start)
            roles_tried = [role]
            if role != words[k] and modifier[:1].isupper() and words[k - 1] not in _OFFICE_MODIFIERS:
                roles_tried.append(words[k])  # "the Texas senator": a senator
            for tried in roles_tried:
                found = self._titled_person(tried, i, s_start, s_end)
                if found is not None:
                    return found
            party = _PARTY_MARK.get(words[k])
            if party is not None:  # "the Kentucky Republican": the last person marked (R-Ky.)
                for person in reversed(self.people[max(0, i - 12) : i]):
                    after = self.text[person.end : person.end + 120]
                    if re.match(rf"\s*[(,]\s*{party}-", after) or _role_patterns(words[k])[1].match(after):
                        return person.canonical
            # else the person the story is about there: the last one before who is the subject
            # of a verb or was quoted ("Donald Trump attacked Hillary Clinton …" then "…," the
            # Republican nominee said")
            if (k > 1 and words[k - 1] in _OFFICE_MODIFIERS) or words[k] in _SOURCE_ROLES:
                # "the prime minister" is nobody the article titled so; "the spokesman" who
                # speaks for the person the story is about is not that person
                return None
            gender = "f" if words[k] in _FEMALE_ROLES else "m" if words[k] in _MALE_ROLES else None
            return self._salient(s_start, gender, words[k])
        return None

    def _titled_person(self, role: str, i: int, s_start: int, s_end: int) -> str | None:
        """The person named with `role` as a title or in apposition before the mention (people
        before index `i`), else as a title in the next sentences."""
        # the role as the person's title: "Defense Minister General Raul Baduel"
        titled, apposed = _role_patterns(role)
        for person in reversed(self.people[:i]):
            if titled.search(self.text, max(0, person.start - 60), person.start) or apposed.match(
                self.text, person.end, min(s_start, person.end + 80)
            ):
                return person.canonical
        # a lead that names the role before the person ("Venezuela's defense minister
        # says …" then "Defense Minister Raul Baduel said …"): the next sentences
        for person in self.people[i : i + 4]:
            if person.start - s_end > 300:
                break
            if titled.search(self.text, max(0, person.start - 60), person.start):
                return person.canonical
        return None

    def _salient(self, at: int, gender: str | None, role: str) -> str | None:
        """The nearest person before `at`, in its paragraph or the one before, who is the subject
        of a verb or was quoted, of `gender` when it is known, and titled with no other role
        ("Foreign Minister Sergei Lavrov" is not "the minister"'s … "the governor")."""
        lo = self.paragraphs[max(0, self._paragraph_of(at) - 1)][0]
        for person in self._subjects_before(at, lo):
            if gender is None or self.genders.get(person.canonical, gender) == gender:
                title = re.findall(r"[A-Za-z]+", self.text[max(0, person.start - 25) : person.start])[-1:]
                other = (
                    title
                    and title[0].lower() in _TITLE_ROLES
                    and role not in _ANY_OFFICE_ROLES
                    and _TITLE_ROLES[title[0].lower()] != role
                )
                return None if other else person.canonical
        return None

    def _named_in(self, s_start: int, s_end: int) -> str | None:
        """Return the person a mention names though the recogniser missed them: whom a
        spokesman or an office speaks for ("a spokeswoman for Pelosi", "Warren's office"), or
        a name after a title or role ("team member Rodaba Noori", "Sen. Cruz"), or two or
        three capitalised words that are no place or organisation; a recognised person's
        surname gives that person's name."""
        mention = self.text[s_start:s_end]
        last = mention.rstrip(" ,").rsplit(None, 1)[-1:]
        if not last or not (
            last[0][:1].isupper()
            or last[0].isdigit()
            or last[0] in ("office", "spokesman", "spokeswoman", "spokesperson")
        ):
            return None  # no name ends the mention: most mentions, cheaply
        match = (_SPEAKS_FOR.search(mention) if "spokes" in mention else None) or (
            _OFFICE_OF.search(mention) if last[0][:1].islower() else None
        )
        personal = False  # a title only a person has, right before the name ("spokeswoman AshLee Strong")
        if match is not None:
            titled, words = True, match.group("name").split()
            start = s_start + match.start("name")
        else:
            titled, words, start = self._trailing_name(mention, s_start)
            if not words:
                return None
            if not titled and start == s_start + len(mention) - len(mention.lstrip()):
                # the name is the whole mention: a title may stand just before it, out of the
                # subject's words ("Ryan's spokeswoman, AshLee Strong, said")
                title = _TITLE_BEFORE.search(self.text, max(0, s_start - 30), s_start)
                titled = title is not None and title.group(1).lower() in _NAME_TITLES
                personal = titled and title.group(1).lower() in _PERSONAL_TITLES
            else:
                before = mention[: start - s_start].replace(",", " ").split()[-1:]
                personal = titled and bool(before) and before[0].lower().rstrip(_STOPS) in _PERSONAL_TITLES
            cut = max((k for k, w in enumerate(words[:-1]) if w.lower().rstrip(_STOPS) in _NOT_NAME_WORDS), default=-1)
            if cut >= 0:  # "CEO of the Refugee Council Enver Solomon": the words after the body
                titled = any(w.lower().rstrip(_STOPS) in _NAME_TITLES for w in mention.split())
                start += len(" ".join(words[: cut + 1])) + 1
                words = words[cut + 1 :]
        if self.surnames is None:
            self.surnames = {p.canonical.split()[-1].lower(): p.canonical for p in self.people}
        known = self.surnames.get(words[-1].lower())
        if known is not None:
            return known
        if len(words) == 1 and not titled:
            return self._full_name_before(words[0], s_start)
        name = " ".join(words)
        # untitled, only a first name everyone knows makes capitalised words a name
        if not (titled or (2 <= len(words) <= 3 and words[0].lower() in _FIRST_NAMES)):
            return None
        if any(w.lower().rstrip(_STOPS) in _NOT_NAME_WORDS for w in words):
            return None
        # a place or organisation recognised there is no person, unless a personal title or a known
        # first name says it is (the recogniser takes "AshLee Strong", "Nancy Pelosi" for bodies)
        if not (personal or (len(words) >= 2 and words[0].lower() in _FIRST_NAMES)) and self._other_entity(
            start, start + len(name)
        ):
            return None
        return name

    def _full_name_before(self, surname: str, before: int) -> str | None:
        """A lone capitalised word ("Doakes said") that the text named earlier with a first
        name or a title the recogniser missed ("Senator John Doakes"): that full name,
        unless a recognised person is named so there (their name is found otherwise)."""
        if surname.lower().rstrip(_STOPS) in _NOT_NAME_WORDS or not surname[:1].isupper():
            return None
        text = self.text
        at = text.find(surname, 0, before)
        while at >= 0:
            lead = _FIRST_BEFORE.search(text, max(0, at - 40), at)
            if lead is not None and not text[at + len(surname) : at + len(surname) + 1].isalnum():
                title, first = (lead.group(1) or "").lower(), lead.group(2)
                if (first.lower() in _FIRST_NAMES or title in _NAME_TITLES) and not self._other_entity(
                    lead.start(2), at + len(surname)
                ):
                    i = bisect.bisect_left(self.person_starts, lead.start(2) - 40)
                    if any(p.start < at + len(surname) and p.end > lead.start(2) for p in self.people[i : i + 4]):
                        return None
                    return text[lead.start(2) : at + len(surname)].replace("\u2024", ".")
            at = text.find(surname, at + 1, before)
        return None

    @staticmethod
    def _trailing_name(mention: str, offset: int) -> tuple[bool, list[str], int]:
        """Return whether a title or role comes first, the capitalised words ending
        `mention` (an age after them skipped: "Smith, 45,") and where they start."""
        tokens = mention.replace(",", " ").split()
        if tokens and tokens[-1].isdigit() and len(tokens[-1]) <= 3:
            tokens.pop()
        words: list[str] = []
        while (
            tokens
            and len(words) < 4
            and (_NAME_TOKEN.fullmatch(tokens[-1]) or (words and tokens[-1] in _NAME_PARTICLES))
        ):
            words.insert(0, tokens.pop())
        while words and words[0] in _NAME_PARTICLES:
            tokens.append(words.pop(0))
        if not words:
            return False, [], offset
        titled = bool(tokens) and tokens[-1].lower().rstrip(_STOPS) in _NAME_TITLES
        return titled, words, offset + mention.rfind(words[0], 0, len(mention) - len(words[-1]) + 1)

    def _other_entity(self, lo: int, hi: int) -> bool:
        """Whether a place or organisation was recognised in [lo, hi)."""
        i = bisect.bisect_left(self.other_starts, lo - 60)
        return any(s < hi and e > lo for s, e in self.others[i : i + 8])
