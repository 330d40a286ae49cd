"""Who said what: `extract_quotes(text)` finds quotations and the people they are attributed to.

Rules over the text and the recognised people, no second NLP pass:

- Direct quotes are the words between double quotation marks (straight or curly;
  single marks inside them are nested quotes). A quote left open at a paragraph's end
  continues into the next paragraph when that one opens with a mark.
- A direct quote's attribution is looked for beside it, in its sentence ("…," said X;
  "…," X said; X said: "…"), then in the sentence after it, then, for a quote that
  stands alone, in the quote before it in the paragraph or in the paragraph before.
- Indirect speech is a speech verb after its subject with a reported clause ("X said
  [that] …", "according to X, …"); a clause holding a short quote is `mixed`.
- A speaker is a recognised person's canonical name. A pronoun is the person it most
  likely refers to (the last speaker, else the last person named, by gender where first
  names or titles tell it); a role ("the minister") is the person the article names
  with that role. Anything else (an agency, "officials") has no speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis.entities import PERSON, Entity, recognise_entities
from search.analysis.quote_cues import (
    ASKING_VERBS,
    BARE_CLAUSE_VERBS,
    FEMALE_PRONOUNS,
    GROUP_PRONOUNS,
    INTRODUCER_VERBS,
    MALE_PRONOUNS,
    NAMING_VERBS,
    NOUN_CUES,
    PARTICIPLE_CUES,
    ROLE_WORDS,
    SPEECH_VERBS,
    trie_pattern,
)
from search.analysis.quote_marks import (
    clause_end,
    inside_quote,
    paragraphs,
    person_genders,
    quote_spans,
    sentence_ends,
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


_CUE = trie_pattern(SPEECH_VERBS)
_CUE_WORD = re.compile(rf"\b({_CUE}|[Aa]ccording to)\b")
_VERB_FIRST = re.compile(rf"^[\s,;:]*({_CUE})\b")
_SUBJECT_FIRST = re.compile(rf"^[\s,;:]*([^.!?\"“”]{{1,90}}?)\s+(?:(?:also|then|later|has|had"
                            rf"|have)\s+)?({_CUE})\b")
_CUE_BEFORE = re.compile(rf"\b({_CUE}|[Aa]ccording to)\b((?:\s+[^\s.!?,:\"“”]+){{0,6}}?)"
                         r"(\s*[,:]|\s+that)?\s*$")
_DASH = re.compile(r"^\s*[-—–―]\s*")
_INTRODUCER = re.compile(rf"\b({trie_pattern(INTRODUCER_VERBS)})\b((?:\s+[^\s.!?:]+){{0,14}}?)"
                         r"(\s+as|\s*[,:])?\s*$")
_COORDINATED = re.compile(rf"\s+(?:{_CUE}|\w+ed)\s+(?:to|at|with|on)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){{0,2}}$")
_PRONOUN = re.compile(r"\b(he|she|they|it|we)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
_CLAUSE_STOP = frozenset({"to", "by", "in", "on", "at", "for", "of", "with", "about", "as", "and",
                          "but", "or", "so", "him", "her", "them", "us", "me", "why", "how",
                          "goodbye", "hello", "yes", "no", "nothing", "anything", "something",
                          "too", "this", "sorry", "thanks"})
_TOLD_OBJECT = re.compile(r"^\s+(?:(?:the|a|an|his|her|their)\s+)?(?:[A-Z][\w.'’-]*\s+){1,4}|"
                          r"^\s+(?:the|a|an|his|her|their)\s+\w+\s+|^\s+(?:reporters|journalists"
                          r"|him|her|them|us|me)\s+")
_PASSIVE = re.compile(r"\b(?:is|was|were|are|be|been|being|not|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
_AUXILIARY = re.compile(r"(?:\s+(?:also|then|later|has|have|had|previously|publicly|had|has))+\s*$")
_SHORT_QUOTE_WORDS = 4


def extract_quotes(text: str, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Return the attributed quotations of `text`, direct, mixed and indirect, by start.

    `entities` is `recognise_entities(text)`, computed when not given.
    """
    if entities is None:
        entities = recognise_entities(text)
    return _Extractor(text, entities).run()


class _Extractor:
    def __init__(self, text: str, entities: Sequence[Entity]):
        self.text = text
        self.people = [e for e in entities if e.label == PERSON]
        self.person_starts = [e.start for e in self.people]
        self.paragraphs = paragraphs(text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.sentence_ends = sentence_ends(text)
        self.spoken: list[tuple[int, Quote]] = []  # (position, quote) of resolved speakers
        self.genders = person_genders(text, self.people)

    def run(self) -> list[Quote]:
        marks = quote_spans(self.text, self.paragraphs)
        quotes: list[Quote] = []
        used: set[int] = set()
        for sent_start, sent_end in self._sentences():
            quotes.extend(self._indirect(sent_start, sent_end, marks, used))
        for i, (start, end, open_at, close_at) in enumerate(marks):
            if i in used:
                continue
            quote = self._direct(start, end, open_at, close_at, marks, i, quotes)
            if quote is not None:
                quotes.append(quote)
        quotes.sort(key=lambda q: q.start)
        return quotes

    # -- structure ---------------------------------------------------------------

    def _sentences(self) -> list[tuple[int, int]]:
        out = []
        for p_start, p_end in self.paragraphs:
            lo = bisect.bisect_left(self.sentence_ends, p_start)
            hi = bisect.bisect_right(self.sentence_ends, p_end)
            start = p_start
            for end in self.sentence_ends[lo:hi]:
                out.append((start, end))
                start = end
            if start < p_end:
                out.append((start, p_end))
        return out

    def _paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def _sentence_bounds(self, pos: int) -> tuple[int, int]:
        p_start, p_end = self.paragraphs[self._paragraph_of(pos)]
        i = bisect.bisect_right(self.sentence_ends, pos)
        start = self.sentence_ends[i - 1] if i and self.sentence_ends[i - 1] > p_start else p_start
        end = self.sentence_ends[i] if i < len(self.sentence_ends) else p_end
        return start, min(end, p_end)

    # -- direct quotes -------------------------------------------------------------

    def _direct(self, start, end, open_at, close_at, marks, i, found) -> Quote | None:
        text = self.text
        para = self._paragraph_of(open_at)
        p_start, p_end = self.paragraphs[self._paragraph_of(close_at)]
        next_open = marks[i + 1][2] if i + 1 < len(marks) else len(text)
        prev_close = marks[i - 1][3] + 1 if i else 0
        after_end = min(self._sentence_bounds(close_at + 1)[1], next_open, p_end)
        after = text[close_at + 1:after_end]
        words = len(_WORD.findall(text[start:end]))
        content = text[start:end].rstrip("\"“”' ")
        new_sentence = content[-1:] in (".", "!", "?") and after.lstrip()[:1].isupper()
        complete = content[-1:] in (",", ".", "!", "?") or after.lstrip()[:1] in (",", "-", "—")
        attribution = None if new_sentence or not complete else self._after(close_at + 1, after)
        if attribution is None:
            b_start = max(self._sentence_bounds(open_at)[0], prev_close,
                          self.paragraphs[para][0])
            attribution = self._before(b_start, text[b_start:open_at], words)
        lead = text[self.paragraphs[para][0]:open_at].rstrip()
        stands_alone = words >= _SHORT_QUOTE_WORDS and (not lead or lead[-1] in ".!?\"”")
        if attribution is None and stands_alone:
            attribution = self._next_sentence(close_at, p_end, next_open) or self._dash_line(close_at)
        if attribution is None and lead.endswith(":"):  # an introducer before an earlier quote
            s_start = max(self._sentence_bounds(open_at)[0], self.paragraphs[para][0])
            attribution = self._introduced(s_start, text[s_start:open_at], words)
        if attribution is None and stands_alone:
            attribution = self._carried(open_at, para, found)
        if attribution is None:
            return None
        return self._make(start, end, DIRECT, *attribution)

    def _after(self, offset: int, after: str):
        match = _VERB_FIRST.match(after)
        if match:
            rest_start = offset + match.end()
            person = self._person_in(rest_start, offset + len(after), first=True, gap=40)
            if person is not None:
                return person.start, person.end, match.group(1), person
            pron = re.match(r"\s+(he|she|they|it)\b", after[match.end():], re.IGNORECASE)
            if pron:
                return rest_start + pron.start(1), rest_start + pron.end(1), match.group(1), None
            phrase = re.match(r"\s+([^,.;]{2,60})", after[match.end():])
            if phrase:
                return (rest_start + phrase.start(1), rest_start + phrase.end(1), match.group(1),
                        None)
            return None
        match = _SUBJECT_FIRST.match(after)
        if match and len(_WORD.findall(match.group(1))) <= 10:
            return self._subject(offset + match.start(1), offset + match.end(1), match.group(2))
        match = _DASH.match(after)
        if match:
            person = self._person_in(offset + match.end(), offset + len(after), first=True, gap=2)
            if person is not None:
                return person.start, person.end, None, person
        return None

    def _before(self, offset: int, before: str, words: int = 0):
        match = _CUE_BEFORE.search(before)
        while match and match.group(2) and not match.group(3):  # a later cue may fit
            match = _CUE_BEFORE.search(before, match.end(1))
        if not match:
            if before.rstrip().endswith(":"):
                match = _CUE_WORD.search(before)
            if not match:
                return self._introduced(offset, before, words)
        cue = match.group(1)
        if cue.lower() == "according to":
            person = self._person_in(offset + match.end(1), offset + len(before), first=True,
                                     gap=60)
            if person is None:
                return None
            return person.start, person.end, cue, person
        return self._subject(offset, offset + match.start(1), cue)

    def _introduced(self, offset: int, before: str, words: int = 0):
        """An attribution by a verb that introduces the quote ("X defended the record:", or
        for a quote of `words` >= 4 words, "X called it")."""
        match = _INTRODUCER.search(before)
        naming = match is not None and match.group(1).lower() in NAMING_VERBS and words >= _SHORT_QUOTE_WORDS
        if match is None or not (match.group(3) or naming):
            return None
        return self._subject(offset, offset + match.start(1), match.group(1))

    def _dash_line(self, close_at: int):
        """A stand-alone quote signed on the next line ("— Name")."""
        para = self._paragraph_of(close_at) + 1
        if para >= len(self.paragraphs):
            return None
        p_start, p_end = self.paragraphs[para]
        match = _DASH.match(self.text[p_start:p_end])
        if match is None or match.end() == 0 or p_end - p_start - match.end() > 80:
            return None
        person = self._person_in(p_start + match.end(), p_end, first=True, gap=30)
        return (person.start, person.end, None, person) if person is not None else None

    def _next_sentence(self, close_at: int, p_end: int, next_open: int):
        """An attribution opening the sentence after the quote ("…." Rathbun wrote)."""
        text = self.text
        start = close_at + 1
        if text[start:start + 1].strip() not in ("", ) or text[close_at - 1] not in ".!?":
            return None
        end = min(self._sentence_bounds(start + 1)[1], next_open, p_end)
        match = _SUBJECT_FIRST.match(text[start:end])
        if match and len(_WORD.findall(match.group(1))) <= 5:
            return self._subject(start + match.start(1), start + match.end(1), match.group(2))
        return None

    def _carried(self, open_at: int, para: int, found: list[Quote]):
        """A stand-alone quote: the speaker of the quote just before it in this or the
        previous paragraph, or of a paragraph before that ends "X said:"."""
        p_start = self.paragraphs[para][0]
        text = self.text
        if para:
            prev_start, prev_end = self.paragraphs[para - 1]
            if text[prev_start:prev_end].rstrip().endswith((":", ",")):
                tail_start = self._sentence_bounds(prev_end - 1)[0]
                got = self._before(tail_start, text[tail_start:prev_end])
                if got is not None:
                    return got
        lo = self.paragraphs[para - 1][0] if para else p_start
        for pos, quote in reversed(self.spoken):
            if pos < lo:
                break
            if (pos < open_at and quote.speaker_start is not None
                    and (quote.kind == DIRECT or pos >= p_start)):
                return quote.speaker_start, quote.speaker_end, quote.cue, quote.speaker
        return None

    # -- indirect speech -----------------------------------------------------------

    def _indirect(self, s_start: int, s_end: int, marks, used: set[int]) -> list[Quote]:
        text = self.text
        sentence = text[s_start:s_end]
        out: list[Quote] = []
        for match in _CUE_WORD.finditer(sentence):
            cue = match.group(1)
            at = s_start + match.start()
            if inside_quote(marks, at) or any(q.start <= at < q.end for q in out):
                continue
            if cue in NOUN_CUES and not self._names_before(s_start, at):
                continue
            if cue.lower() == "according to":
                quote = self._according(s_start, s_end, match, marks, used)
                if quote is not None:
                    out.append(quote)
                continue
            low = cue.lower()
            if _PASSIVE.search(sentence[:match.start()]) or match.start() == 0:
                continue
            rest = sentence[match.end():]
            skip = 0
            if low in {"told", "tells", "tell"} | ASKING_VERBS:
                obj = _TOLD_OBJECT.match(rest)
                if obj is None:
                    continue
                skip = obj.end()
            that = re.match(r"(?:\s+[^\s,.;:\"“”]+){0,5}?\s+that\b", rest[skip:])
            if that and re.search(r"\b(?:so|such|now)\s+that$|\b(?:all|what)\b", that.group()):
                that = None
            if that:
                skip += that.end()
            elif low in ASKING_VERBS:
                if not rest[skip:].lstrip().startswith("to ") and not rest[skip:].lstrip().startswith("not "):
                    continue
            elif low not in BARE_CLAUSE_VERBS:
                continue
            clause_start = s_start + match.end() + skip
            while clause_start < s_end and text[clause_start] in " ,":
                clause_start += 1
            first = _WORD.match(text, clause_start)
            if first is None or (not that and first.group().lower() in _CLAUSE_STOP):
                continue
            stop = clause_end(text, clause_start, s_end)
            if len(_WORD.findall(text[clause_start:stop])) < 3:
                continue
            subject = None
            if low in PARTICIPLE_CUES:
                earlier = [q for q in out if q.speaker_start is not None]
                if earlier:
                    q = earlier[-1]
                    subject = (q.speaker_start, q.speaker_end, cue, q.speaker)
            if subject is None:
                subject = self._subject(s_start, s_start + match.start(), cue)
            if subject is None:
                continue
            inner = [k for k, m in enumerate(marks) if clause_start <= m[2] < stop]
            if inner and marks[inner[0]][2] == clause_start:
                continue  # "X wrote that "…"": a direct quote, found with the marks
            used.update(inner)
            stop = max([stop, *(marks[k][1] for k in inner)])
            kind = MIXED if inner else INDIRECT
            out.append(self._make(clause_start, stop, kind, *subject))
        return out

    def _according(self, s_start, s_end, match, marks, used) -> Quote | None:
        text = self.text
        at = s_start + match.start()
        person = self._person_in(s_start + match.end(), s_end, first=True, gap=60)
        source_end = person.end if person else None
        if source_end is None:
            m = re.match(r"\s+([^,.;]{2,80})", text[s_start + match.end():s_end])
            if not m:
                return None
            source_end = s_start + match.end() + m.end(1)
        comma = text.find(",", source_end, s_end)
        if comma < 0 and person is not None and text[s_start:at].strip(" ,") == "":
            comma = source_end  # "According to X the …"
        after = clause_end(text, comma + 1, s_end) if comma >= 0 else comma
        if comma >= 0 and len(_WORD.findall(text[comma + 1:after])) >= 4:
            clause_start, stop = comma + 1, after
        else:
            clause_start, stop = s_start, at
        while clause_start < stop and text[clause_start] in " ,":
            clause_start += 1
        while stop > clause_start and text[stop - 1] in " ,":
            stop -= 1
        if len(_WORD.findall(text[clause_start:stop])) < 3:
            return None
        inner = [k for k, m in enumerate(marks) if clause_start <= m[2] < stop]
        used.update(inner)
        speaker_start = person.start if person else s_start + match.end() + 1
        return self._make(clause_start, stop, MIXED if inner else INDIRECT, speaker_start,
                          source_end, match.group(1), person)

    # -- speakers ------------------------------------------------------------------

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
            if earlier is not None and len(_WORD.findall(text[earlier.end:verb.start()])) <= 2:
                person = earlier
                cue_at = verb.start()
        if person is not None:
            between = text[person.end:cue_at]
            if (len(_WORD.findall(between)) <= 2 or re.fullmatch(r"\s*,[^.!?\"“”]{1,120},\s*", between)
                    or re.fullmatch(r"\s*'s statement\s*", between)):
                return person.start, person.end, cue, person
        tail = text[lo:cue_at].rstrip(" ,")
        pron = re.search(r"\b(he|she|they|it|we)\s+(?:\w+\s+)?$", tail, re.IGNORECASE)
        if pron:
            return lo + pron.start(1), lo + pron.end(1), cue, None
        phrase = re.search(r"([^,;:.!?\"“”]{2,90}?)\s*$", tail)
        if not phrase or not phrase.group(1).strip():
            return None
        return lo + phrase.start(1), lo + phrase.end(1), cue, None

    def _names_before(self, s_start: int, at: int) -> bool:
        """Whether the word before `at` is a name or a pronoun, so a noun-like cue is a verb."""
        words = _WORD.findall(self.text[max(s_start, at - 30):at])
        return bool(words) and (words[-1][:1].isupper() or words[-1].lower() in
                                {"he", "she", "they", "it", "we", "officials", "also"})

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

    def _resolve(self, s_start: int, s_end: int) -> str | None:
        mention = self.text[s_start:s_end].strip()
        low = mention.lower()
        if low in GROUP_PRONOUNS:
            return None
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            gender = "m" if low in MALE_PRONOUNS else "f"
            para = self._paragraph_of(s_start)
            lo = self.paragraphs[max(0, para - 2)][0]
            for pos, quote in reversed(self.spoken):
                if pos < lo:
                    break
                if (quote.speaker and pos < s_start
                        and self.genders.get(quote.speaker, gender) == gender):
                    return quote.speaker
            i = bisect.bisect_left(self.person_starts, s_start)
            for person in reversed(self.people[max(0, i - 12):i]):
                if self.genders.get(person.canonical, gender) == gender:
                    return person.canonical
            return None
        words = low.split()
        roles = [w for w in words if w in ROLE_WORDS]
        if roles and words[0] in {"the", "a", "an", "his", "her", "its"}:
            i = bisect.bisect_left(self.person_starts, s_start)
            for person in reversed(self.people[:i]):
                if roles[-1] in self.text[max(0, person.start - 40):person.start].lower():
                    return person.canonical
        return None
