"""Readers for the open NER corpora in ../shared/data/ner, mapped to one convention.

Our convention (what `recognise_entities` promises):
- PER: a person's name without titles ("Benjamin Netanyahu", not "Prime Minister ...").
- LOC: countries, cities, states, regions, geographic names, including a country or
  capital standing for its government ("Washington said ..."). Demonyms are not LOC.
  Sports teams named by a city are not places.
- ORG: organisations (kept as a label: it helps the model keep them out of LOC).
- MISC: other names (demonyms such as GMB's gpe, events, works, languages), a label
  the recogniser drops; learning it keeps unfamiliar capitalised words out of LOC.
- Dates and times are O.

Each reader yields documents: lists of sentences, each a list of (token, tag) pairs
with IOB2 tags over PER/LOC/ORG/MISC. Used by train_entities.py and eval_entities.py.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from search.analysis.people import is_title, strip_titles
from search.analysis.places import demonym_country, place_key, place_kinds
from search.analysis.rules import tag_spans as spans

Sentence = list[tuple[str, str]]
Document = list[Sentence]

# Organisations GMB sometimes tags as places.
_NOT_PLACES = {"u n", "un", "united nations", "eu", "nato", "european union", "african union"}
# Kinds of gazetteer names that, tagged ORG in a corpus, stand for a government or a
# national team named after its country: we call those places.
_METONYMIC_KINDS = {"country", "capital"}


def _is_descriptor(token: str) -> bool:
    key = place_key(token)
    return bool(demonym_country(token)) or place_kinds().get(key) in ("country", "capital")


def normalise(words: list[str], raw_spans: list[tuple[str, int, int]], corpus: str) -> Sentence:
    """Return a sentence in our convention from a corpus's own spans."""
    kinds = place_kinds()
    tags = ["O"] * len(words)
    for typ, start, end in raw_spans:
        text_key = place_key(" ".join(words[start:end]))
        label = None
        if typ in ("per", "PER"):
            label = "PER"
            start += strip_titles(words[start:end], _is_descriptor)
            if start >= end:
                continue
        elif typ in ("geo", "LOC"):
            label = "LOC"
            while start < end - 1 and words[start][:1].islower():
                start += 1  # GMB: "southern Afghanistan"
            if text_key in _NOT_PLACES:
                label = "ORG"
        elif typ == "gpe":
            # Mostly demonyms (MISC); a few are country names (LOC).
            label = "LOC" if kinds.get(text_key) in ("country", "region", "state") else "MISC"
        elif typ in ("art", "eve", "nat", "MISC"):
            label = "MISC"
        elif typ in ("org", "ORG"):
            label = "ORG"
            if end - start == 1 and start > 0 and words[start - 1] == "of" and \
                    is_title(words[start]):
                continue  # GMB: "Secretary of [State]", "Minister of [Interior]"
            metonymic = kinds.get(text_key) in _METONYMIC_KINDS or text_key == "washington"
            # GMB (news, no sports) tags a bare big city ORG only by mistake.
            metonymic |= corpus == "gmb" and kinds.get(text_key) in ("city1m", "city100k")
            if metonymic and corpus != "wikigold":
                label = "LOC"
        if label is None:
            continue
        for part_start, part_end in _split_at_commas(words, start, end, label):
            tags[part_start] = "B-" + label
            for k in range(part_start + 1, part_end):
                tags[k] = "I-" + label
    return list(zip(words, tags, strict=True))


def _split_at_commas(words: list[str], start: int, end: int, label: str
                     ) -> list[tuple[int, int]]:
    """Return the parts of a place written with its region ("Denver , Colorado"): UNER
    tags that as one place, CoNLL-2003 and our index as two (city, then state)."""
    if label != "LOC" or "," not in words[start:end]:
        return [(start, end)]
    parts = []
    part_start = start
    for k in range(start, end + 1):
        if k == end or words[k] == ",":
            if k > part_start:
                parts.append((part_start, k))
            part_start = k + 1
    return parts


def read_gmb(path: Path) -> Iterator[Document]:
    """Yield GMB in blocks of 20 sentences (the file has no document boundaries)."""
    with zipfile.ZipFile(path) as z, z.open("ner_dataset.csv") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="latin-1"))
        next(reader)
        sentences: list[tuple[list[str], list[str]]] = []
        words: list[str] = []
        tags: list[str] = []
        for row in reader:
            if row[0] and words:
                sentences.append((words, tags))
                words, tags = [], []
            words.append(row[1])
            tags.append(row[3])
        if words:
            sentences.append((words, tags))
    doc: Document = []
    for words, tags in sentences:
        doc.append(normalise(words, spans(tags), "gmb"))
        if len(doc) == 20:
            yield doc
            doc = []
    if doc:
        yield doc


def read_conll(path: Path, corpus: str) -> list[Document]:
    """Return the documents of a `token TAG` file (gzip), split at -DOCSTART-."""
    docs: list[Document] = []
    doc: Document = []
    words: list[str] = []
    tags: list[str] = []

    def flush_sentence():
        nonlocal words, tags
        if words:
            doc.append(normalise(words, spans(tags), corpus))
        words, tags = [], []

    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush_sentence()
                if doc:
                    docs.append(doc)
                doc = []
                continue
            if not line.strip():
                flush_sentence()
                continue
            token, tag = line.rsplit(" ", 1)
            words.append(token)
            tags.append(tag)
    flush_sentence()
    if doc:
        docs.append(doc)
    return docs


# Held-out gold sets for measuring: never trained on.
WIKIGOLD_TRAIN_DOCS = 100  # documents 0-99 train, 100-144 held out


def training_documents(data: Path) -> dict[str, list[Document]]:
    """Return the training documents by corpus."""
    wikigold = read_conll(data / "wikigold.conll.txt.gz", "wikigold")
    return {
        "gmb": list(read_gmb(data / "gmb_ner_dataset.csv.zip")),
        "gum_train": read_conll(data / "gum_ner.train.conll.gz", "gum"),
        "gum_dev": read_conll(data / "gum_ner.dev.conll.gz", "gum"),
        "uner_ewt_dev": read_conll(data / "uner_en_ewt.dev.conll.gz", "uner"),
        "wikigold_train": wikigold[:WIKIGOLD_TRAIN_DOCS],
    }


def heldout_documents(data: Path) -> dict[str, list[Document]]:
    """Return the held-out gold documents by set."""
    wikigold = read_conll(data / "wikigold.conll.txt.gz", "wikigold")
    return {
        "gum_test": read_conll(data / "gum_ner.test.conll.gz", "gum"),
        "uner_pud_test": read_conll(data / "uner_en_pud.test.conll.gz", "uner"),
        "uner_ewt_test": read_conll(data / "uner_en_ewt.test.conll.gz", "uner"),
        "wikigold_heldout": wikigold[WIKIGOLD_TRAIN_DOCS:],
    }
