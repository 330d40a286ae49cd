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
# Fourth batch (dev only, direct quotes only): 6-sentence runs from two sentences before a
# sentence holding at least six words in quotation marks, with a person tag (GMB `per`) in it
# or the two sentences before; of the 297 such sentences outside earlier runs, every 8th in
# corpus order, skipping overlaps. Chosen by that rule before reading; only their direct
# quotes are labelled (see the README).
DIRECT_STARTS = (
    65,
    699,
    2260,
    3295,
    4744,
    6036,
    7388,
    8422,
    9226,
    10779,
    11642,
    13236,
    15098,
    15574,
    18466,
    19608,
    20622,
    23185,
    24365,
    25733,
    26941,
    27680,
    30292,
    30900,
    31669,
    32557,
    34835,
    35982,
    38558,
    40747,
    41570,
    42640,
    44057,
    45381,
    46810,
    47303,
    47815,
)
DIRECT_RUN = 6
# Then (same batch), since VOA seldom quotes whole sentences: 4-sentence runs from the sentence
# before every sentence that opens with a quotation mark or holds `, " said`, `: "` or ends in a
# quotation after `, "`, with a person tag in it or beside it (43 outside earlier runs; 35
# runs after skipping overlaps; the touching runs at 41352 and 41356 joined). Chosen by that
# rule before reading. Runs found on reading to be fables or jokes, not news, were dropped
# (37709 of the 6-sentence runs; 2550, 3236, 8404, 19407, 26852, 27414, 30392, 35221).
DIRECT_STARTS_2 = (
    74,
    184,
    1660,
    7220,
    15569,
    19813,
    20060,
    22923,
    23288,
    25953,
    28873,
    29700,
    29819,
    31922,
    35628,
    38307,
    38633,
    39203,
    39933,
    41352,
    41676,
    42314,
    43510,
    45140,
    45794,
    46109,
)
DIRECT_RUN_2 = 4
# A fifth batch (dev, direct quotes only), chosen by two rules before reading:
# - 6-sentence runs as in the fourth batch (a sentence with six or more words in marks and a
#   person tag in it or the two before, from two sentences before it), over the 179 such
#   sentences outside all earlier runs: the 5th of every 8 in corpus order, skipping overlaps;
DIRECT_STARTS_3 = (
    1515,
    3989,
    5721,
    7656,
    9107,
    11267,
    12490,
    15238,
    16938,
    20600,
    24590,
    27096,
    30563,
    31894,
    34122,
    36903,
    38212,
    40951,
    45563,
    47160,
)
# - 4-sentence runs from the sentence before each sentence (outside earlier runs, with a person
#   tag in it or the two before) whose marks open on a capital after a speech verb, a comma or a
#   colon and hold four words or more: a whole sentence quoted ("X said, "We …""), the form US
#   political news uses most. Runs found on reading to be fables or jokes were dropped (3235,
#   4459, 10713, 19394, 19409, 26853, 30393, 31129, 33479, 35867, 39596, 40802; and 19406 of
#   the rule above), and 47161, which overlaps 47160.
DIRECT_STARTS_4 = (785, 7858, 11470, 15512, 19997, 23340, 25832, 26580, 31560, 40873, 42027, 44286, 45854)


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
        glue = (
            not text
            or text.endswith(("(", "$"))
            or (open_mark and text.endswith('"'))
            or re.fullmatch(r"[.,;:!?)%]|'s|'|n't|'re|'ve|'ll|'d|'m", tok)
        )
        text += tok if glue else " " + tok
    return text


def main(out: str) -> None:
    sents = sentences()
    with open(out, "w", encoding="utf-8") as f:
        runs = [(start, RUN) for start in STARTS + POLITICAL_STARTS]
        runs += [(start, DIRECT_RUN) for start in DIRECT_STARTS]
        runs += [(start, 8 if start == 41352 else DIRECT_RUN_2) for start in DIRECT_STARTS_2]
        runs += [(start, DIRECT_RUN) for start in DIRECT_STARTS_3]
        runs += [(start, DIRECT_RUN_2) for start in DIRECT_STARTS_4]
        for start, length in runs:
            text = "\n\n".join(detokenise(s) for s in sents[start : start + length])
            f.write(
                json.dumps(
                    {"id": f"GMB_{start}", "source_url": f"{GMB}#sentences-{start}-{start + length - 1}", "text": text},
                    ensure_ascii=False,
                )
                + "\n"
            )


if __name__ == "__main__":
    main(sys.argv[1])
