"""Token features for the people/places CRF, shared by training and recognition.

Features per token: the word and its lower case, shape, affixes, flags (title word,
first name, demonym, usually-lower-case word), gazetteer membership (GeoNames
countries, states, regions, cities by size, matched over up to four tokens), the
same for the neighbours at +-1 and +-2, and sentence position.

All-capitals sentences (Reuters headlines, some whole wires) are re-cased before
features are taken: a word gets the casing it has elsewhere in the same document, or
the casing it usually has in the training corpora, or else Title case.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from search.analysis.people import TITLE_WORDS
from search.analysis.places import demonym_country, place_key, place_kinds
from search.analysis.tokenize import cached_stem as snowball_stem  # shared with indexing

_LOWER_RUN = re.compile(r"[a-z]+")
_UPPER_RUN = re.compile(r"[A-Z]+")
_DIGIT_RUN = re.compile(r"[0-9]+")

MAX_GAZETTEER_WORDS = 4
# Places re-cased as names in all-capitals sentences, alone or as a multi-word name.
_RECASE_KINDS = frozenset({"country", "state", "capital", "city1m"})
_RECASE_MULTI_KINDS = _RECASE_KINDS | {"region"}
_NAME_PARTICLES = frozenset({"of", "and", "the", "de", "del", "la", "le", "du", "da"})
DEFAULT_AFFIXES = ("p3", "s2", "s3", "s4")


def word_shape(word: str) -> str:
    """Return a short shape of `word`: "Xx" for "Rafah" and "Kühn", "X.X." for "U.S.",
    "d" for "2024"."""
    if not word.isascii():
        # Letters of any script: "László" is shaped like "Laszlo", not "Xáxx".
        word = "".join("A" if c.isupper() else "a" if c.isalpha() else "0" if c.isdigit() else c for c in word)
    shape = _DIGIT_RUN.sub("d", _UPPER_RUN.sub("X", _LOWER_RUN.sub("x", word)))
    return shape[:6]


def is_all_caps_sentence(words: Sequence[str]) -> bool:
    """Return True if a sentence is written in capitals (a headline, an all-caps wire)."""
    upper = sum(map(str.isupper, words))
    if upper < 2:
        return False
    # Words with a cased letter: upper case differs from lower case.
    cased = sum(1 for w in words if w.lower() != w.upper())
    return upper >= 0.8 * cased


class FeatureExtractor:
    """Turns sentences (lists of token strings) into CRF feature lists.

    `lexicon` holds three word lists learnt from the training corpora: "lower" (words
    usually written in lower case), "upper" (usually in capitals, e.g. "NATO") and
    "first_names" (first tokens of multi-word person names, and census first names);
    optionally "surnames" (frequent US census surnames).
    """

    def __init__(self, lexicon: dict[str, list[str]]):
        self.lower_words = frozenset(lexicon["lower"])
        # Stems catch inflections the lexicon lacks ("SETTLES" -> "settles" via "settled").
        self.lower_stems = frozenset(snowball_stem(w) for w in self.lower_words)
        self.upper_words = frozenset(lexicon["upper"])
        self.first_names = frozenset(lexicon["first_names"])
        self.surnames = frozenset(lexicon.get("surnames", ()))
        # Affix features the model was trained with: "p3" = 3-letter prefix, "s4" = suffix.
        self.affixes = [(a[0], int(a[1:])) for a in lexicon.get("affixes", DEFAULT_AFFIXES)]
        self.kinds = place_kinds()
        # Multi-word gazetteer names indexed by their first word.
        self.multi: dict[str, dict[tuple[str, ...], str]] = {}
        for key, kind in self.kinds.items():
            parts = tuple(key.split())
            if 1 < len(parts) <= MAX_GAZETTEER_WORDS:
                self.multi.setdefault(parts[0], {})[parts] = kind
        self._static: dict[str, tuple[list[str], list[list[str]], bool]] = {}

    # ---- casing -----------------------------------------------------------------

    def recase_word(self, word: str, document_case: dict[str, str] | None = None) -> str:
        """Return the likely mixed-case form of a word written in capitals."""
        lower = word.lower()
        if document_case and lower in document_case:
            return document_case[lower]
        if lower in self.upper_words or not word.isalpha() and "." in word:
            return word
        if lower in self.lower_words or (
            lower.isalpha() and snowball_stem(lower) in self.lower_stems and lower not in self.first_names
        ):
            return lower
        return word[:1] + word[1:].lower()

    @staticmethod
    def document_case(sentences: Sequence[Sequence[str]]) -> dict[str, str]:
        """Return lower -> the most frequent mid-sentence spelling in mixed-case sentences,
        for the words of the document's all-capitals sentences."""
        caps = [is_all_caps_sentence(words) for words in sentences]
        wanted = {w.lower() for words, c in zip(sentences, caps, strict=True) if c for w in words}
        spellings = wanted | {w.capitalize() for w in wanted}
        counts: Counter[str] = Counter()
        for words, c in zip(sentences, caps, strict=True):
            if c:
                continue
            for w in words[1:]:
                if w in spellings:
                    counts[w] += 1
        best: dict[str, str] = {}
        for w, _ in counts.most_common():
            best.setdefault(w.lower(), w)
        return best

    def recase(
        self, words: Sequence[str], document_case: dict[str, str] | None = None, places: bool = True
    ) -> tuple[list[str], bool]:
        """Return the words re-cased if the sentence is in capitals, and whether it was.

        `places=False` re-cases word by word only, as the shipped model was trained:
        training on place-aware re-casing cost 0.7 (people) and 1.5 (places) points of
        held-out F1, while using it when tagging gains places in capital headlines."""
        if not is_all_caps_sentence(words):
            return list(words), False
        recased = [self.recase_word(w, document_case) for w in words]
        if places:
            self._recase_places(words, recased, document_case)
        return recased, True

    def _recase_places(self, words: Sequence[str], recased: list[str], document_case: dict[str, str] | None) -> None:
        """Title-case the well-known places of an all-capitals sentence that word-by-word
        re-casing made lower case: "NEW ZEALAND" is no "new Zealand", and "FRANCE" or
        "HAMBURG" no inflection of "franc" or "hamburger"."""
        kinds = self.kinds
        n = len(words)
        i = 0
        while i < n:
            word = words[i]
            entries = self.multi.get(word.lower())
            matched = 0
            if entries:
                keys = tuple(place_key(w) for w in words[i : i + MAX_GAZETTEER_WORDS])
                for length in range(min(MAX_GAZETTEER_WORDS, n - i), 1, -1):
                    if entries.get(keys[:length]) in _RECASE_MULTI_KINDS:
                        matched = length
                        break
            if matched:
                for k in range(i, i + matched):
                    if recased[k].islower() and recased[k] not in _NAME_PARTICLES:
                        recased[k] = recased[k].capitalize()
                i += matched
                continue
            lower = word.lower()
            if (
                recased[i].islower()
                and word.isalpha()
                and lower not in self.lower_words
                and not (document_case and lower in document_case)
                and kinds.get(lower) in _RECASE_KINDS
            ):
                recased[i] = word.capitalize()
            i += 1

    # ---- features ---------------------------------------------------------------

    def _word_features(self, word: str) -> tuple[list[str], list[list[str]], bool]:
        cached = self._static.get(word)
        if cached is not None:
            return cached
        lower = word.lower()
        shape = word_shape(word)
        own = ["w=" + word, "l=" + lower, "sh=" + shape]
        for kind, size in self.affixes:
            own.append(f"{kind}{size}=" + (lower[:size] if kind == "p" else lower[-size:]))
        flags = []
        if word[:1].isupper():
            flags.append("cap")
        key = lower.rstrip(".")
        title = key in TITLE_WORDS and word[:1].isupper()
        if title:
            flags.append("title")
        if word in self.first_names:
            flags.append("first")
        if word in self.surnames:
            flags.append("surname")
        if lower in self.lower_words:
            flags.append("lex_lower")
        if demonym_country(word):
            flags.append("demonym")
        kind = self.kinds.get(place_key(word)) if word[:1].isupper() else None
        if kind:
            flags.append("gaz=" + kind)
        own.extend(flags)
        neighbours = []
        for offset in ("-2:", "-1:", "+1:", "+2:"):
            feats = [offset + "l=" + lower, offset + "sh=" + shape]
            if offset in ("-1:", "+1:"):
                feats.extend(offset + f for f in flags)
            neighbours.append(feats)
        result = (own, neighbours, title)
        if len(self._static) < 500_000:
            self._static[word] = result
        return result

    def _gazetteer_spans(self, words: Sequence[str], lo: int, hi: int) -> list[str | None]:
        """Return multi-word gazetteer tags ("B-country", "I-city1m", None) of the tokens
        lo..hi; a name that starts before lo is not seen."""
        n = len(words)
        tags: list[str | None] = [None] * (hi - lo)
        multi = self.multi
        i = lo
        while i < hi:
            first = words[i]
            entries = multi.get(first.lower()) if first[:1].isupper() else None
            matched = 0
            if entries:
                keys = [place_key(w) for w in words[i : i + MAX_GAZETTEER_WORDS]]
                for length in range(min(MAX_GAZETTEER_WORDS, n - i), 1, -1):
                    kind = entries.get(tuple(keys[:length]))
                    if kind:
                        tags[i - lo] = "B-" + kind
                        for j in range(i + 1, min(i + length, hi)):
                            tags[j - lo] = "I-" + kind
                        matched = length
                        break
            i += matched or 1
        return tags

    def sentence_features(
        self, words: Sequence[str], recased: bool = False, start: int = 0, end: int | None = None
    ) -> list[list[str]]:
        """Return one feature list per token of a (re-cased) sentence, or of its
        tokens start..end (features still see the whole sentence)."""
        n = len(words)
        end = n if end is None else end
        lo = max(0, start - 3)
        statics = [self._word_features(w) for w in words[lo : min(n, end + 2)]]
        gaz = self._gazetteer_spans(words, lo, end)
        out = []
        last_title = -10
        for i in range(lo, start):
            if statics[i - lo][2]:
                last_title = i
        for i in range(start, end):
            k = i - lo
            own = statics[k][0]
            feats = ["bias", *own]
            if i == 0:
                feats.append("first_token")
            if i - last_title <= 3:
                feats.append("after_title")
            if statics[k][2]:
                last_title = i
            feats.extend(statics[k - 2][1][0] if i >= 2 else ("-2:BOS",))
            feats.extend(statics[k - 1][1][1] if i >= 1 else ("BOS",))
            feats.extend(statics[k + 1][1][2] if i + 1 < n else ("EOS",))
            feats.extend(statics[k + 2][1][3] if i + 2 < n else ("+2:EOS",))
            if gaz[i - lo]:
                feats.append("mgaz=" + gaz[i - lo])
            if recased:
                feats.append("recased")
            out.append(feats)
        return out
