"""Indirect speech: "X said [that] …", "according to X, …"; `mixed` when the reported
clause holds a quotation in marks."""

from __future__ import annotations

import re

from search.analysis.quote_cues import ASKING_VERBS, BARE_CLAUSE_VERBS, NOUN_CUES, PARTICIPLE_CUES
from search.analysis.quote_marks import clause_end, inside_quote
from search.analysis.quote_speakers import CUE_WORD, INDIRECT, MIXED, WEEKDAY, WORD, Quote, SpeakerResolution

_CLAUSE_STOP = frozenset(
    {
        "to",
        "by",
        "in",
        "on",
        "at",
        "for",
        "of",
        "with",
        "about",
        "as",
        "and",
        "but",
        "or",
        "so",
        "him",
        "her",
        "them",
        "us",
        "me",
        "why",
        "how",
        "goodbye",
        "hello",
        "yes",
        "no",
        "nothing",
        "anything",
        "something",
        "too",
        "this",
        "sorry",
        "thanks",
        "according",
        # a place or time after the verb, or a verb: no reported clause
        # ("said after the meeting", "what he said was wrong")
        "after",
        "before",
        "during",
        "following",
        "from",
        "into",
        "over",
        "through",
        "since",
        "under",
        "upon",
        "via",
        "was",
        "were",
        "is",
        "are",
        "had",
        "has",
        "have",
        "would",
        "will",
        "could",
        "should",
        "earlier",
        "later",
        "afterwards",
        "repeatedly",
        "publicly",
        "privately",
        "again",
        "then",
        "otherwise",
    }
)
_TOLD_OBJECT = re.compile(
    r"^\s+(?:(?:the|a|an|his|her|their)\s+)?(?:[A-Z][\w.'’-]*\s+){1,4}|"
    r"^\s+(?:the|a|an|his|her|their)\s+\w+\s+|^\s+(?:reporters|journalists"
    r"|him|her|them|us|me)\s+"
)
# "told the state-owned newspaper Al-Ahram that": any short object before "that"
_OBJECT_THAT = re.compile(
    r"(?:\s+(?!(?:how|why|what|whether|if|when|where|who)\b)[^\s,.;:\"“”]+){1,6}?"
    r"\s+that\b"
)
_COLON_QUOTE = re.compile(r"[^\"“”:.!?]{0,40}:\s*[\"“‘]")
_CONTINUED = re.compile(r"\s+(?!(?:he|she|they|it|we|said|says|added|adds)\b)[a-z]")
_COLON_OPEN = re.compile(r":\s*[\"“‘]")
_WHEN = re.compile(
    rf"(?:(?:on|late|early|last|this)\s+)?(?:{WEEKDAY}|today|yesterday"
    r"|tonight)(?:\s+(?:morning|afternoon|evening|night))?,?\s+(?=[A-Za-z])"
)
_PASSIVE = re.compile(r"\b(?:is|was|were|are|be|been|being|not|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


class IndirectSpeech(SpeakerResolution):
    """Reported clauses of a sentence, with their speakers."""

    def _indirect(self, s_start: int, s_end: int, marks, used: set[int]) -> list[Quote]:
        text = self.text
        sentence = text[s_start:s_end]
        out: list[Quote] = []
        for match in CUE_WORD.finditer(sentence):
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
            if _PASSIVE.search(sentence[: match.start()]) or match.start() == 0:
                continue
            rest = sentence[match.end() :]
            if ":" in rest[:45] and _COLON_QUOTE.match(rest):
                continue  # "X told GB News: "…"": a direct quote, found with the marks
            skip = 0
            if low in {"told", "tells", "tell"} | ASKING_VERBS:
                obj = _TOLD_OBJECT.match(rest)
                if obj is None and not (low in {"told", "tells", "tell"} and _OBJECT_THAT.match(rest)):
                    continue
                skip = obj.end() if obj is not None else 0
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
            when = _WHEN.match(text, clause_start, s_end)
            if when is not None:  # "said Monday he would …": the day is no part of what was said
                clause_start = when.end()
            first = WORD.match(text, clause_start + (text[clause_start : clause_start + 1] in '"“'))
            if (
                first is None
                or first.group().lower() in PARTICIPLE_CUES
                or (
                    not that
                    and first.group().lower() in _CLAUSE_STOP
                    and not text.startswith(("at least", "at most"), clause_start)
                )
            ):
                continue
            stop = clause_end(text, clause_start, s_end)
            for colon in _COLON_OPEN.finditer(text, clause_start, stop):
                if not inside_quote(marks, colon.start()):
                    stop = colon.start()  # "… "must be well thought out": "…"": the quote is direct
                    break
            if len(WORD.findall(text[clause_start:stop])) < 3:
                continue
            inner = [k for k, m in enumerate(marks) if clause_start <= m[2] < stop]
            if inner and marks[inner[0]][2] == clause_start and not _CONTINUED.match(text, marks[inner[0]][3] + 1):
                continue  # "X wrote that "…"": a direct quote, found with the marks (unless the
                # clause runs on: 'said "there is no basis for the claims" by the paper': mixed)
            subject = None
            if low in PARTICIPLE_CUES:
                earlier = [q for q in out if q.speaker_start is not None]
                if earlier:
                    q = earlier[-1]
                    subject = (q.speaker_start, q.speaker_end, cue, q.speaker)
                else:  # '"…," he said, adding that …': the subject of the verb before
                    verbs = [
                        m
                        for m in CUE_WORD.finditer(sentence, 0, match.start())
                        if m.group(1).lower() not in PARTICIPLE_CUES and not inside_quote(marks, s_start + m.start())
                    ]
                    if verbs:
                        lo = max([s_start, *(m[3] + 1 for m in marks if s_start <= m[3] < s_start + verbs[-1].start())])
                        subject = self._subject(lo, s_start + verbs[-1].start(), verbs[-1].group(1))
                        subject = subject and (*subject[:2], cue, subject[3])
            if subject is None:
                subject = self._subject(s_start, s_start + match.start(), cue)
            if subject is None:
                continue
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
            m = re.match(r"\s+([^,.;]{2,80})", text[s_start + match.end() : s_end])
            if not m:
                return None
            source_end = s_start + match.end() + m.end(1)
        comma = text.find(",", source_end, s_end)
        if comma < 0 and person is not None and text[s_start:at].strip(" ,") == "":
            comma = source_end  # "According to X the …"
        after = clause_end(text, comma + 1, s_end) if comma >= 0 else comma
        relative = comma >= 0 and re.match(r"\s*(?:who|whose|which|whom)\b", text[comma + 1 : after])
        if (
            comma >= 0
            and len(WORD.findall(text[comma + 1 : after])) >= 4
            and not (relative and len(WORD.findall(text[s_start:at])) >= 3)
        ):  # "…, according to X, who spoke
            clause_start, stop = comma + 1, after
        else:
            clause_start, stop = s_start, at
        while clause_start < stop and text[clause_start] in " ,":
            clause_start += 1
        while stop > clause_start and text[stop - 1] in " ,":
            stop -= 1
        if len(WORD.findall(text[clause_start:stop])) < 3:
            return None
        inner = [k for k, m in enumerate(marks) if clause_start <= m[2] < stop]
        if len(inner) == 1 and marks[inner[0]][2] == clause_start:
            return None  # 'according to X, "…"': a direct quote, found with the marks
        used.update(inner)
        speaker_start = person.start if person else s_start + match.end() + 1
        return self._make(
            clause_start, stop, MIXED if inner else INDIRECT, speaker_start, source_end, match.group(1), person
        )
