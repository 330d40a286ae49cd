"""People and places: the `Entity` value and `recognise_entities(text)`.

A linear-chain CRF (python-crfsuite, the library NLTK's `CRFTagger` wraps) tags NLTK
tokens with BIO labels over PER/LOC/ORG; its features are in `entity_features`. The
model and its lexicon ship in `models/` and load once per process, without network.
After tagging, names are made consistent across the document (a name tagged once is
tagged everywhere), people get their full in-article name and places their GeoNames
canonical name, country and coordinates.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from search.analysis.entity_features import FeatureExtractor
from search.analysis.people import (
    TITLE_WORDS,
    clean_person_name,
    is_title,
    merge_within_article,
    strip_titles,
)
from search.analysis.places import (
    Place,
    demonym_country,
    place_key,
    place_kinds,
    resolve_place,
)
from search.analysis.tokenize import tokenize

PERSON = "person"
PLACE = "place"
ORGANISATION = "organisation"

MODEL_DIR = Path(__file__).resolve().parent / "models"
_LABELS = {"PER": PERSON, "LOC": PLACE, "ORG": ORGANISATION}
_MAX_CONSISTENCY_WORDS = 4
_EDGE_PUNCTUATION = frozenset("<>()[]{}\"'“”‘’,;:*")
WINDOW = 2  # tokens of context tagged around each capitalised word


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of a named entity in a text.

    `start`/`end` are character offsets into the analysed text, `text` is the
    mention as written and `canonical` the name the index stores and facets on
    ("Benjamin Netanyahu" for "Mr. Netanyahu", "United States" for "U.S.").
    Places may carry their ISO 3166 country code and coordinates; organisations may
    carry the country of a place their name contains ("Bank of Japan": JP).
    """

    label: str
    start: int
    end: int
    text: str
    canonical: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class EntityTagger:
    """The trained CRF with its feature extractor; tags documents of token strings."""

    def __init__(self, model_dir: Path = MODEL_DIR):
        lexicon = json.loads((model_dir / "lexicon.json").read_text())
        self.features = FeatureExtractor(lexicon)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_dir / "entities.crfsuite"))
        # A crfsuite tagger keeps the sequence it is tagging: one caller at a time.
        self._lock = threading.Lock()

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Return IOB2 tags (PER/LOC/ORG/MISC) for each token of each sentence of one document."""
        features = self.features
        doc_case = None
        tagged = []
        # Consistency compares names as re-cased, so "NETANYAHU" in a headline meets
        # the body's "Netanyahu".
        as_read: list[Sequence[str]] = []
        for words in sentences:
            if not words:
                tagged.append([])
                as_read.append(words)
                continue
            recased_words, recased = features.recase(words)
            if recased:
                if doc_case is None:
                    doc_case = features.document_case(sentences)
                recased_words, _ = features.recase(words, doc_case)
            tags = self._tag_sentence(recased_words, recased)
            tags = mark_titled_people(recased_words, tags, features.first_names)
            tagged.append(mark_demonym_phrases(words, mark_companies(words, tags)))
            as_read.append(recased_words)
        return make_consistent(as_read, tagged)

    def _tag_sentence(self, words: list[str], recased: bool) -> list[str]:
        # Only stretches within WINDOW tokens of a capitalised word are given to the
        # CRF: elsewhere a name is all but impossible, and this halves the work on news.
        n = len(words)
        tags = ["O"] * n
        segments: list[list[int]] = []
        for i, w in enumerate(words):
            if w[:1].isupper():
                lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
                if segments and lo <= segments[-1][1]:
                    segments[-1][1] = hi
                else:
                    segments.append([lo, hi])
        tag = self._tagger.tag
        features = self.features
        for lo, hi in segments:
            xseq = features.sentence_features(words, recased, lo, hi)
            with self._lock:
                tags[lo:hi] = tag(xseq)
        return tags


def _spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    out = []
    i = 0
    n = len(tags)
    while i < n:
        tag = tags[i]
        if tag == "O":
            i += 1
            continue
        typ = tag[2:]
        j = i + 1
        while j < n and tags[j] == "I-" + typ:
            j += 1
        out.append((typ, i, j))
        i = j
    return out


# Words that end a company's name: a name before them is an organisation, whatever
# the CRF thought of it ("Borden Inc", "Siemens AG"). Compared without a final period.
COMPANY_DESIGNATORS = frozenset(
    """Inc Corp Corporation Co Cos Ltd Limited Plc PLC LLC LLP LP AG SA NV GmbH SpA AB
    ASA Bhd Berhad KK Pty Oy Oyj SE Holdings Bancorp Bancshares Industries Group""".split()  # noqa: SIM905 (a word list reads better as text)
)


def mark_companies(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where a name followed or ended by a company designator is an ORG
    that includes the designator."""
    n = len(words)
    for typ, start, end in _spans(tags):
        last = words[end - 1].rstrip(".")
        follows = end < n and tags[end] == "O" and words[end].rstrip(".") in COMPANY_DESIGNATORS
        if follows:
            end += 1
        elif last not in COMPANY_DESIGNATORS or typ == "ORG":
            continue
        tags[start] = "B-ORG"
        for k in range(start + 1, end):
            tags[k] = "I-ORG"
    return tags


_COMPASS = frozenset({"West", "East", "North", "South", "WEST", "EAST", "NORTH", "SOUTH"})


def mark_demonym_phrases(words: Sequence[str], tags: list[str]) -> list[str]:
    """Return tags where "West German", "South Korean" and the like are MISC: a demonym,
    not the place its first word looks like."""
    for typ, start, end in _spans(tags):
        if (typ == "LOC" and end - start == 1 and words[start] in _COMPASS
                and end < len(words) and demonym_country(words[end])):
            tags[start] = "B-MISC"
            if tags[end] == "O" or tags[end].startswith("B-"):
                tags[end] = "I-MISC"
    return tags


# Capitalised spellings of the title words, for a quick test of a whole sentence.
_TITLE_FORMS = frozenset(
    form for t in TITLE_WORDS for form in (t.capitalize(), t.capitalize() + ".", t.upper())
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "miss", "sir", "dame"})


def mark_titled_people(words: Sequence[str], tags: list[str], first_names: frozenset[str]
                       ) -> list[str]:
    """Return tags where a title followed by a first name and more capitalised words
    ("Secretary of State Antony Blinken"), or an honorific followed by a capitalised
    word ("Mr. Blinken"), is a person, whatever the CRF made of it."""
    if not any(w in _TITLE_FORMS for w in words):
        return tags  # the common case, in one pass of set look-ups
    n = len(words)
    i = 0
    while i < n - 1:
        key = words[i].lower().rstrip(".")
        nxt = words[i + 1]
        if not (is_title(words[i]) and words[i][:1].isupper() and nxt[:1].isupper()
                and not is_title(nxt)):
            i += 1
            continue
        if nxt in first_names or key in _HONORIFICS:
            j = i + 1
            while j < n and words[j][:1].isupper() and not is_title(words[j]) and \
                    words[j].rstrip(".") not in COMPANY_DESIGNATORS:
                j += 1
            if j - (i + 1) >= (1 if key in _HONORIFICS else 2):
                # The title is outside the name (spans cut here are repaired below).
                tags[i] = "O"
                tags[i + 1] = "B-PER"
                for k in range(i + 2, j):
                    tags[k] = "I-PER"
                i = j
                continue
        i += 1
    # A span cut off by the rewrite must still start with B-.
    for k in range(n):
        if tags[k].startswith("I-") and (k == 0 or tags[k - 1] == "O" or
                                         tags[k - 1][2:] != tags[k][2:]):
            tags[k] = "B-" + tags[k][2:]
    return tags


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and not is_title(word)


def make_consistent(sentences: Sequence[Sequence[str]], tagged: list[list[str]]
                    ) -> list[list[str]]:
    """Return tags where every occurrence of a name tagged somewhere in the document
    carries that name's majority label; a person's surname alone counts as the person."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    surnames: dict[str, Counter[str]] = defaultdict(Counter)
    for words, tags in zip(sentences, tagged, strict=True):
        for typ, start, end in _spans(tags):
            name = tuple(words[start:end])
            votes[name][typ] += 1
            if typ == "PER" and end - start >= 2 and _is_name_word(words[end - 1]):
                # A full name is strong evidence for its surname used alone.
                surnames[words[end - 1]]["PER"] += 2
    if not votes:
        return tagged
    for word, count in surnames.items():
        key = (word,)
        if key not in votes or votes[key]["PER"] + count["PER"] >= sum(votes[key].values()):
            votes[key]["PER"] += count["PER"]
    label = {name: c.most_common(1)[0][0] for name, c in votes.items()}
    first_words = {name[0] for name in label}
    result = []
    for words, tags in zip(sentences, tagged, strict=True):
        tags = list(tags)
        n = len(words)
        i = 0
        while i < n:
            if words[i] not in first_words or not words[i][:1].isupper():
                i += 1
                continue
            for length in range(min(_MAX_CONSISTENCY_WORDS, n - i), 0, -1):
                typ = label.get(tuple(words[i:i + length]))
                if typ is None:
                    continue
                inside_other = (
                    tags[i].startswith("I-")
                    or (i + length < n and tags[i + length].startswith("I-"))
                )
                if not inside_other:
                    tags[i] = "B-" + typ
                    for k in range(i + 1, i + length):
                        tags[k] = "I-" + typ
                i += length - 1
                break
            i += 1
        result.append(tags)
    return result


_tagger: EntityTagger | None = None
_tagger_lock = threading.Lock()


def entity_tagger() -> EntityTagger:
    """Return the process-wide tagger, loading the model on first use."""
    global _tagger
    if _tagger is None:
        with _tagger_lock:
            if _tagger is None:
                _tagger = EntityTagger()
    return _tagger


def _is_person_descriptor(word: str) -> bool:
    return bool(demonym_country(word)) or place_kinds().get(word.lower()) == "country"


@lru_cache(maxsize=65_536)
def _resolve_part(name: str) -> Place | None:
    """Return the place of the longest leading or trailing run of words of `name` that
    the gazetteer knows ("West Los Angeles" -> Los Angeles), if it is a city or bigger."""
    words = name.split()
    for length in range(len(words) - 1, 0, -1):
        # "New X" is rarely a part of X (New England, New Guinea).
        trailing = [] if words[-length - 1] == "New" else [" ".join(words[-length:])]
        for part in (*trailing, " ".join(words[:length])):
            if not part[:1].isupper() or place_key(part) not in place_kinds():
                continue  # alternate spellings are too loose for a part of a name
            place = resolve_place(part)
            if place is not None and place.country:
                return place
    return None


def entity_spans(words: Sequence[str], tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Return (PER/LOC/ORG, first token, end token) spans of one tagged sentence (MISC left out),
    with titles stripped from people ("President Joe Biden" -> "Joe Biden")."""
    out = []
    for typ, start, end in _spans(tags):
        if typ not in _LABELS:
            continue  # MISC: other names, learnt only to keep them out of LOC
        if typ == "PER":
            start += strip_titles(words[start:end], _is_person_descriptor)
            if start >= end:
                continue
        out.append((typ, start, end))
    return out


def recognise_entities(text: str, *, tagger: EntityTagger | None = None) -> list[Entity]:
    """Return the people, places and organisations named in `text`, sorted by start.

    Offsets are character offsets into `text` (text[e.start:e.end] == e.text).
    People carry their full in-article name as canonical ("Netanyahu" after "Benjamin
    Netanyahu"); places their GeoNames name, ISO-2 country and coordinates if known.
    An organisation whose name contains a well-known place carries that place's
    country ("Bank of Japan": JP), a weaker signal than a place, as demonyms are.
    `tagger` defaults to the shipped model (loaded once per process).
    """
    spans = tokenize(text)
    sentences = [[text[s:e] for s, e in sentence] for sentence in spans]
    tagged = (tagger or entity_tagger()).tag_document(sentences)

    raw: list[tuple[str, int, int, str]] = []
    for offsets, words, tags in zip(spans, sentences, tagged, strict=True):
        for typ, start, end in entity_spans(words, tags):
            char_start = offsets[start][0]
            char_end = offsets[end - 1][1]
            # Tickers and quotes glued to a name ("Ferruzzi>") are not part of it.
            while char_start < char_end and text[char_start] in _EDGE_PUNCTUATION:
                char_start += 1
            while char_end > char_start and text[char_end - 1] in _EDGE_PUNCTUATION:
                char_end -= 1
            if char_start < char_end:
                raw.append((typ, char_start, char_end, text[char_start:char_end]))

    people = merge_within_article(
        clean_person_name(t) for typ, _, _, t in raw if typ == "PER"
    )
    entities = []
    for typ, start, end, mention in raw:
        label = _LABELS[typ]
        if typ == "PER":
            entities.append(Entity(label, start, end, mention,
                                   people[clean_person_name(mention)]))
        elif typ == "LOC":
            place = resolve_place(mention)
            if place is not None:
                entities.append(Entity(label, start, end, mention, place.canonical,
                                       place.country, place.lat, place.lon))
                continue
            canonical = " ".join(mention.split())
            part = _resolve_part(canonical)
            if part is None:
                entities.append(Entity(label, start, end, mention, canonical))
            else:
                # "West Los Angeles": its own name, in the country of the part we know.
                entities.append(Entity(label, start, end, mention, canonical, part.country,
                                       part.lat, part.lon))
        else:
            named = _named_country(mention)
            entities.append(Entity(label, start, end, mention, " ".join(mention.split()), named))
    return entities


_NAMED_KINDS = frozenset({"country", "state", "region", "capital", "city1m", "city100k"})


@lru_cache(maxsize=65_536)
def _named_country(name: str) -> str | None:
    """Return the country of the first well-known place named inside an organisation's
    name ("Bank of Japan" -> JP, "Chicago Pacific Corp" -> US), else None."""
    kinds = place_kinds()
    words = name.split()
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        for length in (3, 2, 1):
            if i + length > len(words):
                continue
            key = place_key(" ".join(words[i:i + length]))
            if kinds.get(key) in _NAMED_KINDS:
                place = resolve_place(key)
                if place is not None and place.country:
                    return place.country
    return None
