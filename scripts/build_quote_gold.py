"""Turn the hand labels of `data/quotes/labels.txt` into gold JSON Lines with offsets.

    python scripts/build_quote_gold.py GUM_TEXTS.jsonl GMB_TEXTS.jsonl

GUM_TEXTS.jsonl comes from `gum_quote_texts.py`, GMB_TEXTS.jsonl from
`gmb_quote_texts.py`. Each label names its words as written ("first words ... last
words" for long ones); this finds them in the text, in label order, and the speaker's
mention nearest to them. Writes `dev.jsonl` and `test.jsonl` beside the labels: one
document a line, `{"id", "source_url", "text", "quotes": [{"start", "end", "kind",
"speaker", "speaker_text", "speaker_start", "speaker_end", "cue"}]}`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "quotes"
REFERENCE = Path("/work/shared/examples/000_7483b6d759d5b458.txt")
# Chosen before labelling: GUM's own dev and test news documents plus three more; of the
# second batch (GMB runs, US federal speeches), the last GMB run.
TEST_DOCS = {"GUM_news_homeopathic", "GUM_news_iodine", "GUM_news_nasa", "GUM_news_sensitive",
             "GUM_news_korea", "GUM_news_taxes", "GUM_news_warming", "GMB_25000"}


def find_span(text: str, content: str, cursor: int) -> tuple[int, int]:
    """Return the offsets of `content` ("head ... tail" allowed) at or after `cursor`."""
    head, _, tail = content.partition(" ... ")
    for origin in (cursor, 0):
        start = text.find(head, origin)
        if start < 0:
            continue
        if not tail:
            return start, start + len(head)
        end = text.find(tail, start + len(head))
        if end >= 0:
            return start, end + len(tail)
    raise ValueError(f"not found: {content!r}")


def nearest(text: str, needle: str, start: int, end: int) -> tuple[int, int] | None:
    best = None
    at = text.find(needle)
    while at >= 0:
        distance = max(start - (at + len(needle)), at - end, 0)
        if best is None or distance < best[0]:
            best = (distance, at)
        at = text.find(needle, at + 1)
    return None if best is None else (best[1], best[1] + len(needle))


def main(*text_files: str) -> None:
    docs: dict[str, dict] = {}
    for path in text_files:
        with open(path, encoding="utf-8") as f:
            docs.update((d["id"], d) for d in map(json.loads, f))
    docs["reference_rafah"] = {"id": "reference_rafah", "source_url": "/work/shared/examples",
                               "text": REFERENCE.read_text(encoding="utf-8")}
    out: dict[str, list[dict]] = {"dev": [], "test": []}
    doc = None
    cursor = 0
    for line in (DATA / "labels.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            # "@ ID direct": only the document's direct quotes are labelled
            doc_id, _, scope = line[2:].strip().partition(" ")
            doc = dict(docs[doc_id], quotes=[])
            if scope:
                doc["labelled"] = scope
            out["test" if doc["id"] in TEST_DOCS else "dev"].append(doc)
            cursor = 0
            continue
        kind, speaker, speaker_text, cue, content = (p.strip() for p in line.split(" | ", 4))
        start, end = find_span(doc["text"], content, cursor)
        cursor = start
        mention = nearest(doc["text"], speaker_text, start, end) if speaker_text != "-" else None
        doc["quotes"].append({
            "start": start, "end": end, "kind": kind,
            "speaker": None if speaker == "-" else speaker,
            "speaker_text": None if speaker_text == "-" else speaker_text,
            "speaker_start": mention[0] if mention else None,
            "speaker_end": mention[1] if mention else None,
            "cue": None if cue == "-" else cue,
        })
    for split, items in out.items():
        with open(DATA / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for d in items:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        n = sum(len(d["quotes"]) for d in items)
        print(f"{split}: {len(items)} documents, {n} quotes")


if __name__ == "__main__":
    main(*sys.argv[1:])
