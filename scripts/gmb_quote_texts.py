"""Rebuild runs of Voice of America sentences from the shared GMB file for quote labelling.

The GMB extract (`/work/shared/data/ner/gmb_ner_dataset.csv.zip`, see its SOURCE.md) keeps
sentences in corpus order but has no document boundaries, so a "document" here is a fixed
run of consecutive sentences, one a paragraph, chosen by position before any was read.
The tokens are detokenised by the rules below. Writes one JSON line per run,
`{"id", "source_url", "text"}`, in the format of `gum_quote_texts.py`.

    python scripts/gmb_quote_texts.py OUT.jsonl
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile

GMB = "/work/shared/data/ner/gmb_ner_dataset.csv.zip"
RUN = 30  # sentences a document
STARTS = (1000, 3000, 5000, 13000, 17000, 25000)  # 9000 was dropped: not news (factbook, fables)
# Third batch (dev only): runs chosen, before reading, as the windows richest in US political
# names (Bush, Congress, Senator, ...) and quotation marks beside a speech verb, so dev looks
# more like political news; they are mostly indirect speech, since VOA rarely quotes directly.
POLITICAL_STARTS = (3570, 25430, 32760, 44430)


def sentences() -> list[list[str]]:
    """Return the token lists of the GMB sentences, in corpus order."""
    out: list[list[str]] = []
    with zipfile.ZipFile(GMB) as z, z.open("ner_dataset.csv") as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="latin-1"))
        next(rows)
        for row in rows:
            if row[0]:
                out.append([])
            out[-1].append(row[1])
    return out


def detokenise(tokens: list[str]) -> str:
    """Return the sentence as running text: no space before punctuation or inside marks."""
    text = ""
    open_mark = False
    for tok in tokens:
        if tok == '"':
            text += (" " if text else "") + tok if not open_mark else tok
            open_mark = not open_mark
            continue
        glue = (not text or text.endswith(("(", "$")) or (open_mark and text.endswith('"'))
                or re.fullmatch(r"[.,;:!?)%]|'s|'|n't|'re|'ve|'ll|'d|'m", tok))
        text += tok if glue else " " + tok
    return text


def main(out: str) -> None:
    sents = sentences()
    with open(out, "w", encoding="utf-8") as f:
        for start in STARTS + POLITICAL_STARTS:
            text = "\n\n".join(detokenise(s) for s in sents[start:start + RUN])
            f.write(json.dumps({"id": f"GMB_{start}", "source_url": f"{GMB}#sentences-{start}-"
                                f"{start + RUN - 1}", "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
