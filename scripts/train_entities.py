"""Train the people/places CRF from the open corpora in ../shared/data/ner.

    python scripts/train_entities.py [DATA_DIR] [--out search/analysis/models]

Writes `entities.crfsuite` (python-crfsuite's binary model) and `lexicon.json`
(casing lists and first names learnt from the training split). Reproducible: the
only randomness (which sentences are upper-cased to teach headline text) uses a
fixed seed, and L-BFGS is deterministic. See ner_corpora.py for what is trained on
and what is held out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_corpora import spans, training_documents  # noqa: E402

from search.analysis.entity_features import FeatureExtractor  # noqa: E402

SEED = 20261124
UPPERCASE_SHARE = 0.04  # sentences shown in capitals, as headlines are
C1 = 0.3  # stronger L1 than crfsuite's usual 0.05 prunes affix/word weights learnt from noise
C2 = 0.05
MAX_ITERATIONS = 150
MIN_FEATURE_FREQ = 2
TRAIN_AFFIXES = "p3,s2,s3"  # a 4-letter suffix mostly memorised single words
# GMB is a silver standard; the small gold corpora are shown more than once so that
# their conventions weigh more against its noise (3 -> 5: people F1 +1 on the held-out sets;
# 5 -> 8: places F1 +1.3, people -0.1).
GOLD_REPEATS = 8


CENSUS_NAMES = Path(__file__).resolve().parent / "data" / "census_names.json"


def build_lexicon(docs) -> dict[str, list[str]]:
    """Return casing lists and first names learnt from the training sentences, with the
    census first names and surnames of data/census_names.json."""
    casing: dict[str, Counter[str]] = {}
    first_names: Counter[str] = Counter()
    for doc in docs:
        for sentence in doc:
            words = [w for w, _ in sentence]
            tags = [t for _, t in sentence]
            for w in words[1:]:
                if w.isalpha():
                    style = "lower" if w.islower() else "upper" if w.isupper() and len(w) > 1 \
                        else "title" if w[:1].isupper() else "other"
                    casing.setdefault(w.lower(), Counter())[style] += 1
            for typ, start, end in spans(tags):
                if typ == "PER" and end - start >= 2 and words[start][:1].isupper():
                    first_names[words[start]] += 1
    lower = sorted(w for w, c in casing.items() if c.most_common(1)[0][0] == "lower"
                   and sum(c.values()) >= 2)
    upper = sorted(w for w, c in casing.items() if c.most_common(1)[0][0] == "upper"
                   and sum(c.values()) >= 2)
    lower_set = set(lower)
    census = json.loads(CENSUS_NAMES.read_text())
    names = {n for n, c in first_names.items() if c >= 2 and n.lower() not in lower_set}
    names.update(census["first_names"])
    return {"lower": lower, "upper": upper, "first_names": sorted(names),
            "surnames": census["surnames"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data" / "ner"))
    parser.add_argument("--out", default=str(REPO / "search" / "analysis" / "models"))
    parser.add_argument("--iterations", type=int, default=MAX_ITERATIONS)
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    parser.add_argument("--gold-repeats", type=int, default=GOLD_REPEATS,
                        help="times the hand-annotated corpora are shown (GMB once)")
    parser.add_argument("--affixes", default=TRAIN_AFFIXES,
                        help="affix features, e.g. p3,s2,s3 (prefix/suffix and length)")
    parser.add_argument("--gmb-share", type=float, default=1.0,
                        help="share of GMB's 20-sentence blocks used")
    args = parser.parse_args(argv)
    data = Path(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    corpora = training_documents(data)
    if args.gmb_share < 1.0:
        step = round(1 / args.gmb_share)
        corpora["gmb"] = corpora["gmb"][::step]
    docs = [doc for name in sorted(corpora) for doc in corpora[name]]
    for name in sorted(corpora):
        n_tok = sum(len(s) for d in corpora[name] for s in d)
        print(f"{name}: {len(corpora[name])} documents, {n_tok} tokens")
    lexicon = build_lexicon(docs)
    lexicon["affixes"] = args.affixes.split(",") if args.affixes else []
    docs = [doc for name in sorted(corpora)
            for _ in range(1 if name == "gmb" else args.gold_repeats) for doc in corpora[name]]
    (out / "lexicon.json").write_text(json.dumps(lexicon, separators=(",", ":")) + "\n")
    print(f"lexicon: {len(lexicon['lower'])} lower, {len(lexicon['upper'])} upper, "
          f"{len(lexicon['first_names'])} first names")

    extractor = FeatureExtractor(lexicon)
    rng = random.Random(SEED)
    trainer = pycrfsuite.Trainer(verbose=False)
    n_tokens = 0
    for doc in docs:
        sentences = [[w for w, _ in s] for s in doc]
        doc_case = extractor.document_case(sentences)
        for sentence, words in zip(doc, sentences, strict=True):
            tags = [t for _, t in sentence]
            if rng.random() < UPPERCASE_SHARE:
                words = [w.upper() for w in words]
            # Word-by-word re-casing (no places): see FeatureExtractor.recase.
            words, recased = extractor.recase(words, doc_case, places=False)
            trainer.append(extractor.sentence_features(words, recased), tags)
            n_tokens += len(words)
    print(f"features for {n_tokens} tokens in {time.perf_counter() - t0:.0f} s")
    trainer.set_params({
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.minfreq": MIN_FEATURE_FREQ,
        "feature.possible_transitions": True,
    })
    model_path = out / "entities.crfsuite"
    trainer.train(str(model_path))
    print(f"trained in {time.perf_counter() - t0:.0f} s; model {model_path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
