"""Score `extract_quotes` against the hand-labelled quotes of `scripts/data/quotes/`.

    python scripts/eval_quotes.py [--split dev|test|all] [--show]

For direct quotes and for all attributions, per split: span precision/recall/F1,
exact (after trimming marks and edge punctuation) and by overlap (at least half the
words of the longer span shared); speaker accuracy over overlapping pairs (surname
match; null matches null), also over those whose gold speaker is a person; end to
end (overlapping span and right speaker). Documents labelled for direct quotes only
(`"labelled": "direct"`) count for direct quotes, not for all attributions.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from search.analysis import extract_quotes, recognise_entities

DATA = Path(__file__).resolve().parent / "data" / "quotes"
_TRIM = " \t\n\"“”‘’'.,;:!?"
_WORD = re.compile(r"\w+")


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def words(text: str, start: int, end: int) -> set[int]:
    return {start + m.start() for m in _WORD.finditer(text[start:end])}


def surname(name: str | None) -> str | None:
    return name.split()[-1].lower() if name else None


def score(docs: list[dict], kinds: set[str], show: bool = False) -> dict[str, float]:
    n_gold = n_pred = exact = overlap = speaker_ok = e2e = named = named_ok = 0
    for doc in docs:
        text = doc["text"]
        gold = [q for q in doc["quotes"] if q["kind"] in kinds]
        pred = [q for q in doc["predicted"] if q.kind in kinds]
        n_gold += len(gold)
        n_pred += len(pred)
        taken: set[int] = set()
        for g in gold:
            g_span = trimmed(text, g["start"], g["end"])
            g_words = words(text, *g_span)
            best, best_shared, is_exact = None, 0, False
            for k, p in enumerate(pred):
                if k in taken:
                    continue
                p_span = trimmed(text, p.start, p.end)
                if p_span == g_span:
                    best, is_exact = k, True
                    break
                shared = len(g_words & words(text, *p_span))
                if shared * 2 >= max(len(g_words), len(words(text, *p_span)), 1) and \
                        shared > best_shared:
                    best, best_shared = k, shared
            if best is None:
                if show:
                    print(f"  MISS {doc['id']} {g['kind']} {g['speaker']}: "
                          f"{text[g['start']:g['end']][:70]!r}")
                continue
            taken.add(best)
            overlap += 1
            exact += is_exact
            p = pred[best]
            named += g["speaker"] is not None
            if surname(p.speaker) == surname(g["speaker"]):
                speaker_ok += 1
                named_ok += g["speaker"] is not None
                e2e += 1
            elif show:
                print(f"  SPKR {doc['id']} gold={g['speaker']} got={p.speaker} "
                      f"({text[p.speaker_start or 0:p.speaker_end or 0]!r})")
        if show:
            for k, p in enumerate(pred):
                if k not in taken:
                    print(f"  EXTRA {doc['id']} {p.kind} {p.speaker}: "
                          f"{text[p.start:p.end][:70]!r}")

    def f1(hit: int) -> tuple[float, float, float]:
        p = hit / n_pred if n_pred else 0.0
        r = hit / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    return {"gold": n_gold, "predicted": n_pred, "exact": f1(exact), "overlap": f1(overlap),
            "speaker": speaker_ok / overlap if overlap else 0.0,
            "speaker_named": named_ok / named if named else 0.0, "end_to_end": f1(e2e)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--show", action="store_true", help="list misses and wrong speakers")
    parser.add_argument("--show-direct", action="store_true", help="with --show, for direct too")
    args = parser.parse_args()
    for split in ("dev", "test") if args.split == "all" else (args.split,):
        with open(DATA / f"{split}.jsonl", encoding="utf-8") as f:
            docs = [json.loads(line) for line in f]
        for doc in docs:
            doc["predicted"] = extract_quotes(doc["text"], recognise_entities(doc["text"]))
        print(f"{split}: {len(docs)} documents")
        full = [d for d in docs if d.get("labelled") != "direct"]  # the rest label direct only
        for name, kinds, scored in (("direct", {"direct"}, docs),
                                    ("all", {"direct", "mixed", "indirect"}, full)):
            s = score(scored, kinds, show=args.show and (name == "all" or args.show_direct))
            print(f"  {name:6} gold {s['gold']:3} predicted {s['predicted']:3}  "
                  + "  ".join(f"{k} P/R/F1 {p:.2f}/{r:.2f}/{f:.2f}" for k, (p, r, f) in
                              (("exact", s["exact"]), ("overlap", s["overlap"])))
                  + f"  speaker {s['speaker']:.2f} (persons {s['speaker_named']:.2f})  end-to-end P/R/F1 "
                  + "{:.2f}/{:.2f}/{:.2f}".format(*s["end_to_end"]))


if __name__ == "__main__":
    main()
