"""Measure the people/places recogniser: held-out F1, speed, Reuters facet agreement.

    python scripts/eval_entities.py [--data ../shared/data/ner]
                                    [--reuters ../scratch/reuters] [--sample 2000]

1. Precision, recall and F1 (exact spans) for PER, LOC and ORG on the held-out gold sets
   (GUM test, UNER PUD test, UNER EWT test, Wikigold documents 100-144), mapped to
   our convention by ner_corpora.py; tagging runs document by document, as in use;
   the same documents as text, one sentence per line, through `recognise_entities`
   (our sentence splitter included; the places nested in organisations' names left
   out); then ORG on our newswire-style sentences (scripts/data/entities): the
   development sets, then a held-back set that no rule was made on.
2. Tokens per second of `recognise_entities` end to end (tokenization included), one
   process on one core, over the Reuters sample.
3. Agreement with the Reuters indexers' PEOPLE (surname match) and PLACES (country
   match, each recognised place counted with its country, the places nested in
   organisations' names included, as the API lists them) over the sample.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_corpora import heldout_documents, spans  # noqa: E402

from search.analysis.entities import (  # noqa: E402
    MODEL_DIR,
    ORGANISATION,
    PERSON,
    PLACE,
    EntityTagger,
    entity_spans,
    recognise_entities,
)
from search.analysis.people import name_key  # noqa: E402
from search.analysis.places import demonym_country, resolve_place  # noqa: E402
from search.analysis.tokenize import tokenize  # noqa: E402
from search.articles import parse_article_text  # noqa: E402

# Reuters place tags that the gazetteer does not spell the same way.
REUTERS_PLACES = {
    "usa": "US", "uk": "GB", "west-germany": "DE", "east-germany": "DD", "ussr": "SU",
    "hong-kong": "HK", "trinidad-tobago": "TT", "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE", "us-virgin-islands": "VI", "kampuchea": "KH",
    "zaire": "CD", "burma": "MM", "congo": "CG", "ivory-coast": "CI",
}
# Historical states: a city of the successor state supports the tag.
SUCCESSORS = {"SU": {"RU", "UA", "BY", "KZ", "GE", "AM", "AZ", "LT", "LV", "EE", "UZ"},
              "YU": {"RS", "HR", "SI", "BA", "MK", "ME"}, "CS": {"CZ", "SK"}, "DD": {"DE"}}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def heldout_scores(data: Path, tagger: EntityTagger) -> None:
    print("Held-out gold (exact spans; P / R / F1, gold count)")
    totals: Counter[str] = Counter()
    heldout = heldout_documents(data)
    for name, docs in heldout.items():
        counts = _count(docs, tagger)
        totals.update(counts)
        _print_scores(name, counts)
    _print_scores("all held-out", totals)
    # Headlines and some wires are in capitals: the same documents with the first
    # sentence of each written in capitals, scored on those sentences only.
    caps: Counter[str] = Counter()
    for docs in heldout.values():
        caps.update(_count(docs, tagger, headline_caps=True))
    _print_scores("1st sent. in CAPS", caps)


_LABEL_TYPES = {PERSON: "PER", PLACE: "LOC", ORGANISATION: "ORG"}


def heldout_as_text(data: Path, tagger: EntityTagger) -> None:
    """Score the held-out documents written as text, a sentence per line (as a caption
    or a byline without a full stop stands in news text), end to end."""
    counts: Counter[str] = Counter()
    for docs in heldout_documents(data).values():
        for doc in docs:
            text, gold = "", set()
            for sentence in doc:
                words, offsets = [w for w, _ in sentence], []
                for word in words:
                    offsets.append(len(text) + bool(offsets))
                    text += (" " if len(offsets) > 1 else "") + word
                gold |= {(t, offsets[a], offsets[b - 1] + len(words[b - 1]))
                         for t, a, b in spans([g for _, g in sentence]) if t in ("PER", "LOC", "ORG")}
                text += "\n"
            entities = recognise_entities(text, tagger=tagger)
            organisations = [(e.start, e.end) for e in entities if e.label == ORGANISATION]
            pred = {(_LABEL_TYPES[e.label], e.start, e.end) for e in entities if not (
                e.label == PLACE and any(a <= e.start and e.end <= b and (a, b) != (e.start, e.end)
                                         for a, b in organisations))}
            for label in ("PER", "LOC", "ORG"):
                g, p = {x for x in gold if x[0] == label}, {x for x in pred if x[0] == label}
                counts.update({label + "tp": len(g & p), label + "pred": len(p), label + "gold": len(g)})
    _print_scores("as text, by line", counts)


def _count(docs, tagger: EntityTagger, headline_caps: bool = False) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in docs:
        sentences = [[w for w, _ in s] for s in doc]
        if headline_caps:
            sentences[0] = [w.upper() for w in sentences[0]]
        tagged = tagger.tag_document(sentences)
        for i, (sentence, tags) in enumerate(zip(doc, tagged, strict=True)):
            if headline_caps and i > 0:
                break
            gold = {(t, i, a, b) for t, a, b in spans([g for _, g in sentence])}
            pred = {(t, i, a, b) for t, a, b in entity_spans(sentences[i], tags)}
            for label in ("PER", "LOC", "ORG"):
                g = {x for x in gold if x[0] == label}
                p = {x for x in pred if x[0] == label}
                counts[label + "tp"] += len(g & p)
                counts[label + "pred"] += len(p)
                counts[label + "gold"] += len(g)
    return counts


def _print_scores(name: str, counts: Counter[str]) -> None:
    parts = []
    for label in ("PER", "LOC", "ORG"):
        p, r, f = prf(counts[label + "tp"], counts[label + "pred"], counts[label + "gold"])
        parts.append(f"{label} {p:.3f} / {r:.3f} / {f:.3f} ({counts[label + 'gold']})")
    print(f"  {name:18s} " + "   ".join(parts))


def reuters_sample(reuters: Path, size: int) -> list[tuple[dict, str]]:
    """Return (gold record, article body) pairs: the body as the index analyses it, so
    without the file's "date YYYY-MM-DD" prefix (its first line is the headline)."""
    records = [json.loads(line) for line in (reuters / "gold.jsonl").open()]
    random.Random(3).shuffle(records)
    out = []
    for rec in records[:size]:
        text = (reuters / "articles" / rec["file"]).read_text(encoding="utf-8")
        out.append((rec, parse_article_text(text, rec["id"]).body))
    return out


def speed(sample: list[tuple[dict, str]], tagger: EntityTagger) -> None:
    texts = [text for _, text in sample]
    recognise_entities(texts[0], tagger=tagger)  # warm caches outside the timing
    n_tokens = sum(len(s) for t in texts for s in tokenize(t))
    # CPU time of this single-threaded process: on a shared machine, wall time also
    # counts the time other processes held the core.
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for text in texts:
        recognise_entities(text, tagger=tagger)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"Speed: {n_tokens} tokens, {n_tokens / cpu:,.0f} tokens/s of CPU time "
          f"({n_tokens / wall:,.0f} tokens/s wall) - recognise_entities end to end, one core")


def reuters_code(tag: str) -> str | None:
    if tag in REUTERS_PLACES:
        return REUTERS_PLACES[tag]
    place = resolve_place(tag.replace("-", " "))
    return place.country if place else None


def agreement(sample: list[tuple[dict, str]], tagger: EntityTagger) -> None:
    people_articles = people_all = people_tags = people_found = 0
    place_articles = place_all = place_tags = place_found = place_found_dem = 0
    place_found_org = 0
    unmapped: Counter[str] = Counter()
    for rec, text in sample:
        entities = recognise_entities(text, tagger=tagger)
        if rec["people"]:
            words = set()
            for e in entities:
                if e.label == PERSON:
                    words.update(name_key(e.canonical).split())
                    words.update(name_key(e.text).split())
            found = sum(1 for tag in rec["people"] if tag.split("-")[-1] in words)
            people_articles += 1
            people_tags += len(rec["people"])
            people_found += found
            people_all += found == len(rec["people"])
        if rec["places"]:
            countries = {e.country for e in entities if e.label == PLACE and e.country}
            # The same without the places nested in organisations' names ("Bank of Japan").
            orgs = [(e.start, e.end) for e in entities if e.label == ORGANISATION]
            outside = {e.country for e in entities if e.label == PLACE and e.country and
                       not any(a <= e.start and e.end <= b and (a, b) != (e.start, e.end)
                               for a, b in orgs)}
            demonyms = {demonym_country(w) for s in tokenize(text) for w in
                        (text[a:b] for a, b in s) if w[:1].isupper()} - {None}
            found = found_dem = found_org = 0
            for tag in rec["places"]:
                code = reuters_code(tag)
                if code is None:
                    unmapped[tag] += 1
                    continue
                accepted = {code} | SUCCESSORS.get(code, set())
                found += bool(accepted & countries)
                found_dem += bool(accepted & (countries | demonyms))
                found_org += bool(accepted & outside)
            place_articles += 1
            place_tags += len(rec["places"])
            place_found += found
            place_found_dem += found_dem
            place_found_org += found_org
            place_all += found == len(rec["places"])
    print(f"Reuters PEOPLE ({people_articles} tagged articles): every tag matched in "
          f"{people_all / people_articles:.1%} of articles; "
          f"{people_found / people_tags:.1%} of {people_tags} tags matched (surname)")
    print(f"Reuters PLACES ({place_articles} tagged articles): "
          f"{place_found / place_tags:.1%} of {place_tags} tags matched by a recognised "
          f"place's country; every tag matched in {place_all / place_articles:.1%} of "
          f"articles. Without the places nested in organisations' names "
          f"{place_found_org / place_tags:.1%}; adding demonyms (a weaker signal) "
          f"{place_found_dem / place_tags:.1%}")
    if unmapped:
        print("  unmapped Reuters place tags:", dict(unmapped))


ORG_SENTENCES = REPO / "scripts" / "data" / "entities" / "newswire_organisations.tsv"
# Written after the rules and never used to make one: the figure for text no rule was made on.
ORG_SENTENCES_HELD_BACK = ORG_SENTENCES.with_name("newswire_organisations_heldback.tsv")


def organisation_sentences(path: Path, tagger: EntityTagger) -> None:
    """Print organisations' exact-name P/R/F1 on our hand-labelled newswire-style
    sentences (the organisations each sentence names, as a set)."""
    tp = fp = fn = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, names = line.partition("\t")
        gold = {name for name in names.split("|") if name}
        found = {e.text for e in recognise_entities(text, tagger=tagger) if e.label == ORGANISATION}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    p, r, f = prf(tp, tp + fp, tp + fn)
    print(f"Newswire-style sentences ({path.name}): ORG P {p:.3f} / R {r:.3f} / F1 {f:.3f} ({tp + fn} gold)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "ner"))
    parser.add_argument("--reuters", default=str(REPO.parent / "scratch" / "reuters"))
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--model-dir", default=str(MODEL_DIR))
    parser.add_argument("--skip-heldout", action="store_true")
    args = parser.parse_args(argv)
    tagger = EntityTagger(Path(args.model_dir))
    if not args.skip_heldout:
        heldout_scores(Path(args.data), tagger)
        heldout_as_text(Path(args.data), tagger)
    organisation_sentences(ORG_SENTENCES, tagger)
    organisation_sentences(ORG_SENTENCES_HELD_BACK, tagger)
    sample = reuters_sample(Path(args.reuters), args.sample)
    speed(sample, tagger)
    agreement(sample, tagger)


if __name__ == "__main__":
    main()
