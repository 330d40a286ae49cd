"""People and places: the `Entity` value and `recognise_entities(text)`.

A linear-chain CRF (python-crfsuite, the library NLTK's `CRFTagger` wraps) tags NLTK
tokens with BIO labels over PER/LOC/ORG/MISC; its features are in `entity_features`.
The model and its lexicon ship in `models/` and load once per process, without network.
After tagging, the rules of the `rules` package (in the order its `__init__` gives)
fix what the model gets wrong in news text and make names consistent across the
document (a name tagged once is tagged everywhere); people get their full in-article
name and places their GeoNames canonical name, country and coordinates. The
well-known places named inside an organisation's name ("Bank of Japan") are places of
the article too, nested in it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from search.analysis.entity_features import FeatureExtractor
from search.analysis.organisations import firms_taken_for_people, merge_organisations_within_article
from search.analysis.people import (
    clean_person_name,
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
from search.analysis.rules import (
    apply_document_rules,
    apply_sentence_rules,
    hyphenated_places,
    tag_spans,
)
from search.analysis.tokenize import tokenize

PERSON = "person"
PLACE = "place"
ORGANISATION = "organisation"

MODEL_DIR = Path(__file__).resolve().parent / "models"
_LABELS = {"PER": PERSON, "LOC": PLACE, "ORG": ORGANISATION}
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
            if any("’" in w for w in words):
                # The model and the rules learnt straight apostrophes ("Apple 's").
                words = [w.replace("’", "'") for w in words]
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
            tagged.append(
                apply_sentence_rules(
                    words, recased_words, recased, tags, features.first_names, features.lower_words, features.surnames
                )
            )
            as_read.append(recased_words)
        return apply_document_rules(as_read, tagged, features.first_names, features.lower_words)

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
    for typ, start, end in tag_spans(tags):
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
    tagger = tagger or entity_tagger()
    tagged = tagger.tag_document(sentences)

    raw: list[tuple[str, int, int, str]] = []
    for offsets, words, tags in zip(spans, sentences, tagged, strict=True):
        # Places inside hyphenated words ("Texas-based", "U.S.-Japan"): only that part.
        for first, start, last, end in hyphenated_places(words, tags, tagger.features.lower_words):
            char_start, char_end = offsets[first][0] + start, offsets[last][0] + end
            raw.append(("LOC", char_start, char_end, text[char_start:char_end]))
        for typ, start, end in entity_spans(words, tags):
            char_start = offsets[start][0]
            char_end = offsets[end - 1][1]
            # Tickers and quotes glued to a name ("Ferruzzi>") are not part of it.
            while char_start < char_end and (text[char_start] in _EDGE_PUNCTUATION or text[char_start].isspace()):
                char_start += 1
            while char_end > char_start and (text[char_end - 1] in _EDGE_PUNCTUATION or text[char_end - 1].isspace()):
                char_end -= 1
            if typ == "PER":  # "Gordon Brown Monday paid tribute": the day is no name
                day = _TRAILING_DAY.search(text, char_start, char_end)
                if day is not None and day.start() > char_start:
                    char_end = day.start()
            if char_start < char_end:
                raw.append((typ, char_start, char_end, text[char_start:char_end]))

    raw.sort(key=lambda r: (r[1], -r[2]))
    raw = firms_taken_for_people(raw)
    people = merge_within_article(clean_person_name(t) for typ, _, _, t in raw if typ == "PER")
    organisations = merge_organisations_within_article(
        ((start, end, t) for typ, start, end, t in raw if typ == "ORG"), text
    )
    entities = []
    for typ, start, end, mention in raw:
        label = _LABELS[typ]
        if typ == "PER":
            entities.append(Entity(label, start, end, mention, people[clean_person_name(mention)]))
        elif typ == "LOC":
            place = resolve_place(mention)
            if place is not None:
                entities.append(
                    Entity(label, start, end, mention, place.canonical, place.country, place.lat, place.lon)
                )
                continue
            canonical = " ".join(mention.split())
            part = _resolve_part(canonical)
            if part is None:
                entities.append(Entity(label, start, end, mention, canonical))
            else:
                # "West Los Angeles": its own name, in the country of the part we know.
                entities.append(Entity(label, start, end, mention, canonical, part.country, part.lat, part.lon))
        else:
            named = _places_in_name(mention, tagger.features.first_names, tagger.features.lower_words)
            entities.append(
                Entity(label, start, end, mention, organisations[(start, end)], named[0][2].country if named else None)
            )
            # The places an organisation's name contains are places of the article
            # too, nested in it: "Bank of Japan" is about Japan.
            for offset, offset_end, place in named:
                entities.append(
                    Entity(
                        PLACE,
                        start + offset,
                        start + offset_end,
                        text[start + offset : start + offset_end],
                        place.canonical,
                        place.country,
                        place.lat,
                        place.lon,
                    )
                )
    entities.sort(key=lambda e: (e.start, -e.end))
    return entities


_TRAILING_DAY = re.compile(r"\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$")
_NAMED_KINDS = frozenset({"country", "state", "region", "capital", "city1m", "city100k"})
# One word of a name, not after "of", is a place only if it is one of these: "Marine
# Midland Bank", "Toyota Motor Corp" and "Commonwealth Edison" name no place.
_NAMED_ALONE_KINDS = frozenset({"country", "state", "capital", "city1m"})
_NAME_WORD = re.compile(r"[^\s,;:()<>\"“”]+")
_OF_WORDS = frozenset({"of", "de", "du", "del", "di", "da", "for", "in"})


@lru_cache(maxsize=65_536)
def _places_in_name(
    name: str, first_names: frozenset[str], lower_words: frozenset[str]
) -> tuple[tuple[int, int, Place], ...]:
    """Return the well-known places named inside an organisation's name, as (start,
    end, place) with offsets into `name`: "Bank of Japan" -> Japan, "Chicago Pacific
    Corp" -> Chicago, "Hongkong and Shanghai Banking" -> Hong Kong, Shanghai.

    Each place has a country and is a country, US state, region, capital or city of
    100,000. One word that is a first name, a common word, a region or a city under a
    million is a place only after "of" ("Bank of Jordan", not "Jordan Marsh Co";
    "City of Reading", not "Reading Co"; not "Toyota Motor Corp" or "Marine Midland").
    """
    kinds = place_kinds()
    words = [(m.start(), m.end(), m.group()) for m in _NAME_WORD.finditer(name)]
    found = []
    i = 0
    while i < len(words):
        word = words[i][2]
        if not word[:1].isupper():
            i += 1
            continue
        after_of = i > 0 and words[i - 1][2].lower() in _OF_WORDS
        matched = 0
        for length in (3, 2, 1):
            if i + length > len(words) or not all(w[2][:1].isupper() for w in words[i : i + length]):
                continue
            key = place_key(" ".join(w[2] for w in words[i : i + length]))
            if kinds.get(key) not in _NAMED_KINDS:
                continue
            if (
                length == 1
                and not after_of
                and (word in first_names or key in lower_words or kinds[key] not in _NAMED_ALONE_KINDS)
            ):
                break
            place = resolve_place(key)
            if place is not None and place.country:
                found.append((words[i][0], words[i + length - 1][1], place))
                matched = length
            break
        i += matched or 1
    return tuple(found)
