"""Who said what: `extract_quotes(text)` finds quotations and the people they are attributed to.

Rules over the text and the recognised people, no second NLP pass:

- Direct quotes are the words between double quotation marks (straight or curly;
  single marks inside them are nested quotes), or between single curly marks outside
  them (‘…’, as some outlets quote). A quote left open at a paragraph's end continues
  into the next paragraph when that one opens with a mark. Titles' and initials' full
  stops ("Mr. Biden", "U.S.") are read as no sentence end.
- A direct quote's attribution is looked for beside it, in its sentence ("…," said X;
  "…," X said; X said: "…"), then in the sentence after it, then, for a quote that
  stands alone, in the quote before it in the paragraph or in the paragraph before (or a
  paragraph ending "X spoke to reporters …"), or after a sentence of its own paragraph, in
  the speaker of a quote before it there or the person that sentence is about ("Trump was
  blunt. "…""). After a colon, the sentence's speech verb or person subject attributes it
  ("Pelosi put it simply: "…""). Titles in marks after "dubbed"/"called" or inside a
  sentence ('the magazine "NME"') are no quotes; a short lower-case phrase after a naming
  verb ("called Mr. Murtha "a good man"") is a mixed quote of the object and the phrase.
- Indirect speech (`quote_indirect`) is a speech verb after its subject with a reported
  clause ("X said [that] …", "according to X, …"); a clause holding a short quote is `mixed`.
- Speakers (`quote_speakers`) are recognised people's canonical names; pronouns (to the
  nearest subject or speaker of that gender, else, before anyone is named, the next) and
  roles ("the minister", "the senator" for "Sen. X", "the Republican nominee") are
  resolved to them; "a spokesman for X" and "X's office" speak for X; a name the
  recogniser missed counts after a title or role ("team member Rodaba Noori"), and a lone
  surname is the full name given earlier ("Senator John Doakes" … "Doakes said"); anything
  else (an agency, "officials") has no speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from search.analysis.entities import PERSON, Entity, recognise_entities
from search.analysis.quote_cues import DESCRIBING_VERBS, INTRODUCER_VERBS, NAMING_VERBS, NOUN_CUES, trie_pattern
from search.analysis.quote_indirect import IndirectSpeech
from search.analysis.quote_marks import (
    mask_title_stops,
    paragraphs,
    person_genders,
    quote_spans,
    sentence_ends,
)
from search.analysis.quote_speakers import CUE, CUE_WORD, DIRECT, MIXED, WEEKDAY, WORD, Quote

__all__ = ["Quote", "extract_quotes"]

_ACCORDING_FIRST = re.compile(r"^[\s,;:]*([Aa]ccording to)\b")
_VERB_FIRST = re.compile(rf"^[\s,;:]*({CUE})\b")
_SUBJECT_FIRST = re.compile(
    rf"^[\s,;:]*([^.!?\"“”]{{1,90}}?)\s+(?:(?:also|then|later|has|had"
    rf"|have)\s+)?({CUE})\b"
)
_CUE_BEFORE = re.compile(
    rf"\b({CUE}|[Aa]ccording to)\b((?:\s+[^\s.!?,:\"“”]+){{0,6}}?)"
    r"(?:\s*,\s+(?:in|on|at|during|after|before|via|through|as)\s[^,.!?:\"“”]{1,40}?)?"
    r"(\s*[,:]|\s+that)?\s*$"
)
# "In his words, "…"": the pronoun's person said it.
_IN_WORDS = re.compile(r"\b[Ii]n\s+(his|her)\s+(?:own\s+)?words\s*,?\s*$")
# What may stand between a cue and its quote with no comma or colon: a day, an audience
# ("said Tuesday "…"", "told reporters "…"", "said in a statement "…"").
_BARE_OBJECT = re.compile(
    r"(?:\s+(?:on|in|at|to|a|an|the|late|early|last|this|his|her|their))*"
    r"\s+(?:statement|interview|speech|reporters|journalists|supporters|"
    rf"today|yesterday|{WEEKDAY}"
    r"|morning|afternoon|evening|night)"
)
# A quote opened right after its cue ("Philonise, when he said, "…""): that is its attribution.
_CUE_RIGHT_BEFORE = re.compile(rf"\b(?:{CUE})\s*[,:]?\s*$")
# A word right before a mark that is no speech verb: what follows in marks is part of the
# sentence ("the British music magazine "NME,"").
_NAME_BEFORE = re.compile(rf"(?<![\w'’-])(?!(?:{CUE})\b)[A-Za-z][\w'’-]*\s*$")
_DASH = re.compile(r"^\s*[-—–―]\s*")
_INTRODUCER = re.compile(
    rf"\b({trie_pattern(INTRODUCER_VERBS)})\b((?:\s+[^\s.!?:]+){{0,14}}?)"
    r"(\s+as|\s*[,:])?\s*$"
)
_SHORT_QUOTE_WORDS = 4
_NAMING_WORDS = 12
# A paragraph's last sentence that has a person speak without a speech verb before a quote
# standing alone: "Sen. Marco Rubio spoke to reporters outside the Capitol."
_SPEAKING_LEAD = re.compile(
    r"\s*(?:[A-Z][\w.\u2024'’-]*\s+){0,3}?([A-Z][\w'’-]+)(?:,[^,.!?\"“”]{1,80},)?"
    r"\s+(?:also\s+|later\s+)?"
    r"(spoke|addressed|responded|replied|answered|explained|argued|testified|"
    r"wrote|tweeted|posted|appeared|took questions)\b"
)
# Quoted words that are a title or name: every word of four letters or more capitalised.
# A phrase, not a sentence: its first letter is lower case ("a good man and a patriot").
_LOWER_FIRST = re.compile(r"[^\w]*[a-z]")
_TITLE_CASED = re.compile(r"\W*(?:(?:[A-Z][\w'’-]*|[\w'’-]{1,3}|\d[\w,.]*)(?![\w'’-])\W*)+")


def extract_quotes(text: str, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Return the attributed quotations of `text`, direct, mixed and indirect, by start.

    `entities` is `recognise_entities(text)`, computed when not given.
    """
    if entities is None:
        entities = recognise_entities(text)
    return _Extractor(text, entities).run()


class _Extractor(IndirectSpeech):
    def __init__(self, text: str, entities: Sequence[Entity]):
        # Offsets are all the extractor gives back, so it reads a copy whose title stops
        # ("Mr.", "Sen.") are no full stops; sentences come from the text itself.
        title_stops: list[int] = []
        self.sentence_ends = sentence_ends(text, title_stops)
        self.text = mask_title_stops(text, title_stops)
        self.people = [e for e in entities if e.label == PERSON]
        self.person_starts = [e.start for e in self.people]
        self.others = sorted((e.start, e.end) for e in entities if e.label != PERSON)
        self.other_starts = [start for start, _ in self.others]
        self.surnames = None
        self.paragraphs = paragraphs(text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.spoken: list[tuple[int, Quote]] = []  # (position, quote) of resolved speakers
        self.genders = person_genders(text, self.people)

    def run(self) -> list[Quote]:
        marks = quote_spans(self.text, self.paragraphs)
        self.marked = [(open_at, close_at) for _, _, open_at, close_at in marks]
        self.marked_opens = [open_at for open_at, _ in self.marked]
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
        after = text[close_at + 1 : after_end]
        words = len(WORD.findall(text[start:end]))
        content = text[start:end].rstrip("\"“”' ")
        new_sentence = content[-1:] in (".", "!", "?") and after.lstrip()[:1].isupper()
        complete = content[-1:] in (",", ".", "!", "?") or after.lstrip()[:1] in (",", "-", "—")
        b_start = max(self._sentence_bounds(open_at)[0], prev_close, self.paragraphs[para][0])
        attribution = None
        phrase = _LOWER_FIRST.match(content) is not None  # "called it "a disgrace"": no sentence
        if (
            words <= 3
            and _TITLE_CASED.fullmatch(content)
            and _NAME_BEFORE.search(text, max(b_start, open_at - 40), open_at)
        ):
            return None  # a name in marks inside a sentence ('the music magazine "NME,"'), not a quote
        if _CUE_RIGHT_BEFORE.search(text, max(b_start, open_at - 40), open_at):
            attribution = self._before(b_start, text[b_start:open_at], words, phrase)
        if attribution is None and (complete or self._speaker_right_after(close_at + 1, after)) and not new_sentence:
            attribution = self._after(close_at + 1, after)
        if attribution is None:
            attribution = self._before(b_start, text[b_start:open_at], words, phrase)
        lead = text[self.paragraphs[para][0] : open_at].rstrip()
        # alone: opening its paragraph or after a sentence's end (not in a list of titles in marks:
        # 'songs as "Please, Please, Please," "It's a Man's World,"')
        after_sentence = not lead or lead[-1] in ".!?" or (lead[-1] in '"”' and lead[-2:-1] in (".", "!", "?"))
        stands_alone = words >= _SHORT_QUOTE_WORDS and after_sentence
        if attribution is None and stands_alone:
            attribution = self._next_sentence(close_at, p_end, next_open) or self._dash_line(close_at)
        if attribution is None and lead.endswith(":"):  # an introducer before an earlier quote
            s_start = max(self._sentence_bounds(open_at)[0], self.paragraphs[para][0])
            attribution = self._introduced(s_start, text[s_start:open_at], words)
        if attribution is None and lead.endswith(":"):  # "X put it simply: "…""
            attribution = self._colon_subject(self._sentence_bounds(open_at)[0], open_at)
        if attribution is None and stands_alone:
            attribution = self._carried(open_at, para, found)
        if attribution is None and after_sentence and lead and words >= 2:
            attribution = self._same_paragraph(open_at, para, words)
        if attribution is None:
            return None
        cue = (attribution[2] or "").lower()
        if cue in NAMING_VERBS and _TITLE_CASED.fullmatch(content):
            return None  # a name in marks ("dubbed "A Celebration of Freedom""), not a quote
        if (cue in NAMING_VERBS or cue in DESCRIBING_VERBS) and words <= _NAMING_WORDS and _LOWER_FIRST.match(content):
            # "called Mr. Murtha "a good man"", "what he called "the huge phenomenon"": a phrase
            # in marks that names something, part of the speaker's clause: mixed (a long one
            # is a quotation: "characterized the conflict as "another small skirmish in …"")
            return self._make(self._named_object(b_start, open_at, attribution[2], start), end, MIXED, *attribution)
        return self._make(start, end, DIRECT, *attribution)

    def _named_object(self, lo: int, open_at: int, cue: str, start: int) -> int:
        """Where a naming verb's object starts ("called [the charges] "baseless""), when it
        stands between the verb and the quote; else the quote's own start."""
        at = self.text.rfind(cue, lo, open_at)
        if at < 0:
            return start
        obj = at + len(cue)
        while obj < open_at and self.text[obj].isspace():
            obj += 1
        return obj if obj < open_at and len(WORD.findall(self.text[obj:open_at])) <= 8 else start

    def _colon_subject(self, s_start: int, open_at: int):
        """A quote after a colon: the first speech verb of its sentence outside marks ("X told
        Sky News any process "must be …": "…""), else a person or "he"/"she" as the
        sentence's subject ("Speaker Nancy Pelosi put it simply: "…"")."""
        s_start = max(s_start, self.paragraphs[self._paragraph_of(open_at)][0])
        for match in CUE_WORD.finditer(self.text, s_start, open_at):
            if not self._in_marks(match.start()):
                return self._subject(s_start, match.start(1), match.group(1))
        colon = self.text.rindex(":", s_start, open_at)
        lead = self._lead_subject(s_start, colon, "")
        if lead is None:
            return None
        if isinstance(lead[3], Entity) or self.text[lead[0] : lead[1]].lower() in ("he", "she"):
            return lead[0], lead[1], None, lead[3]
        return None

    def _after(self, offset: int, after: str):
        match = _ACCORDING_FIRST.match(after)
        if match:  # '"…," according to Senate Majority Leader Mitch McConnell.'
            source = offset + match.end()
            person = self._person_in(source, offset + len(after), first=True, gap=60)
            if person is not None:
                return person.start, person.end, match.group(1), person
            phrase = re.match(r"\s+([^,.;]{2,60})", after[match.end() :])
            return (source + phrase.start(1), source + phrase.end(1), match.group(1), None) if phrase else None
        match = _VERB_FIRST.match(after)
        if match:
            rest_start = offset + match.end()
            person = self._person_in(rest_start, offset + len(after), first=True, gap=40)
            if person is not None:
                return person.start, person.end, match.group(1), person
            pron = re.match(r"\s+(he|she|they|it)\b", after[match.end() :], re.IGNORECASE)
            if pron:
                return rest_start + pron.start(1), rest_start + pron.end(1), match.group(1), None
            phrase = re.match(r"\s+([^,.;]{2,60})", after[match.end() :])
            if phrase:
                return (rest_start + phrase.start(1), rest_start + phrase.end(1), match.group(1), None)
            return None
        match = _SUBJECT_FIRST.match(after)
        if match and match.group(2).lower() in NOUN_CUES and not self._person_or_pronoun_before(offset + match.end(1)):
            match = None  # "… "a trick," meant to make Islamic states acknowledge": no cue
        if match and len(WORD.findall(match.group(1))) <= 10:
            return self._subject(offset + match.start(1), offset + match.end(1), match.group(2))
        match = _DASH.match(after)
        if match:
            person = self._person_in(offset + match.end(), offset + len(after), first=True, gap=2)
            if person is not None:
                return person.start, person.end, None, person
        return None

    def _speaker_right_after(self, offset: int, after: str) -> bool:
        """Whether a person or "he"/"she" and a cue follow a quote's mark with no comma
        ('"It is time to move on" Smith wrote on Facebook.')."""
        match = _SUBJECT_FIRST.match(after)
        if match is None or len(WORD.findall(match.group(1))) > 4:
            return False
        person = self._person_in(offset, offset + match.end(1), first=True, gap=2)
        return person is not None or match.group(1).strip().lower() in ("he", "she")

    def _person_or_pronoun_before(self, at: int) -> bool:
        """Whether a recognised person or "he"/"she" ends right before `at`."""
        person = self._person_in(max(0, at - 60), at, first=False, gap=0)
        if person is not None and not self.text[person.end : at].strip():
            return True
        return bool(re.search(r"\b(?:he|she|they|He|She|They)\s*$", self.text[max(0, at - 6) : at]))

    def _before(self, offset: int, before: str, words: int = 0, phrase: bool = False):
        in_words = _IN_WORDS.search(before)
        if in_words is not None:
            s_start, s_end = offset + in_words.start(1), offset + in_words.end(1)
            who = self._referent("m" if in_words.group(1) == "his" else "f", s_start)
            return s_start, s_end, "words", who
        match = _CUE_BEFORE.search(before)
        while (
            match and match.group(2) and not match.group(3) and not _BARE_OBJECT.fullmatch(match.group(2))
        ):  # a later cue may fit
            match = _CUE_BEFORE.search(before, match.end(1))
        if not match:
            if before.rstrip().endswith(":"):
                match = CUE_WORD.search(before)
            if not match:
                return self._introduced(offset, before, words, phrase)
        cue = match.group(1)
        if cue.lower() == "according to":
            person = self._person_in(offset + match.end(1), offset + len(before), first=True, gap=60)
            if person is None:
                return None
            return person.start, person.end, cue, person
        return self._subject(offset, offset + match.start(1), cue)

    def _introduced(self, offset: int, before: str, words: int = 0, phrase: bool = False):
        """An attribution by a verb that introduces the quote ("X defended the record:", or
        for a quote of `words` >= 4 words or a lower-case `phrase`, "X called it")."""
        match = _INTRODUCER.search(before)
        naming = (
            match is not None
            and match.group(1).lower() in NAMING_VERBS
            and (words >= _SHORT_QUOTE_WORDS or phrase)
            and not before.endswith("so-", 0, match.start(1))
            and not re.match(r"\s+(?:for|on|upon)\b", match.group(2))
        )  # "called for": no naming
        if match is None or not (match.group(3) or naming):
            return None
        if (match.group(3) or "").strip() == "as" and words < _SHORT_QUOTE_WORDS:
            return None  # "described their feelings as "somewhat favorable"": a phrase, not speech
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
        if text[start : start + 1].strip() not in ("",) or text[close_at - 1] not in ".!?":
            return None
        end = min(self._sentence_bounds(start + 1)[1], next_open, p_end)
        match = _SUBJECT_FIRST.match(text[start:end])
        if match and len(WORD.findall(match.group(1))) <= 5:
            return self._subject(start + match.start(1), start + match.end(1), match.group(2))
        return None

    def _same_paragraph(self, open_at: int, para: int, words: int):
        """A quote after a sentence of its paragraph, unattributed: the speaker of a quote
        before it in the paragraph ('"I don't know," Trump replied. "Maybe it's true."'), else,
        for a quote of four words or more, the person who is the subject of the sentence
        before ('Trump was blunt. "We are going to win Florida."')."""
        p_start = self.paragraphs[para][0]
        for pos, quote in reversed(self.spoken):
            if pos < p_start:
                break
            if pos < open_at and quote.speaker_start is not None and quote.kind == DIRECT:
                return quote.speaker_start, quote.speaker_end, quote.cue, quote.speaker
        if words < _SHORT_QUOTE_WORDS:
            return None
        s_start = max(p_start, self._sentence_bounds(len(self.text[:open_at].rstrip()) - 1)[0])
        person = self._person_in(s_start, open_at, first=True, gap=30)
        if person is None or self._in_marks(person.start) or not self._is_subject(person):
            return None
        return person.start, person.end, None, person

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
            if pos < open_at and quote.speaker_start is not None:
                return quote.speaker_start, quote.speaker_end, quote.cue, quote.speaker
        if para:  # "Kevin McCarthy spoke to reporters on Tuesday." then the quote alone
            prev_start, prev_end = self.paragraphs[para - 1]
            s_start = max(prev_start, self._sentence_bounds(prev_end - 1)[0])
            lead = _SPEAKING_LEAD.match(text, s_start, prev_end)
            person = self._person_in(s_start, prev_end, first=True, gap=30) if lead else None
            if (
                person is not None
                and person.end == s_start + lead.end(1)
                and self._person_in(person.end, prev_end, first=True, gap=0) is None
            ):
                return person.start, person.end, lead.group(2), person
        return None
