"""Rebuild the Wikinews documents of GUM as articles (JSON Lines) for a second index.

    python scripts/gum_wikinews.py [--data ../shared/data/ner] OUT.jsonl
    newsindex ingest OUT.jsonl --index /tmp/wikinews-dev

GUM's `news` and `interview` genres are Wikinews texts (CC BY 2.5): modern, non-business
news, the sample the facet labels of issue 15 check besides Reuters. The converted files
in ../shared/data/ner hold only `token TAG` lines with `-DOCSTART-` between documents, in
alphabetical order of GUM's file names within each split (academic, bio, court,
interview, news, voyage), so a document's name comes from its position, per GUM's
`splits.md` (V11.1.0). The text is rebuilt from the tokens with plain detokenisation
rules; the headline is the first sentence, the date the first "Month D, YYYY" the
text gives (else 2000-01-01). Gold tags are ignored: the facets are labelled by hand.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# GUM V11.1.0 splits.md, the six genres kept in ../shared/data/ner, in file order.
SPLITS: dict[str, list[tuple[str, list[str]]]] = {
    "train": [
        ("academic", "art census economics enjambment epistemic games huh implicature lighting "
                     "mutation replication salinity theropod thrones".split()),
        ("bio", "bernoulli chao enfant fillmore galois goode gordon hadid higuchi holt jerome "
                "marbles moreau nida padalecki theodorus".split()),
        ("court", "carpet equality fire prince property".split()),
        ("interview", "ants brotherhood chomsky cocktail daly dungeon herrick licen mcguire "
                      "mckenzie messina onion peres shalev stardust".split()),
        ("news", "afghan asylum clock crane defector election expo flag hackers ie9 imprisoned "
                 "korea lanterns questionnaire soccer stampede taxes warhol warming "
                 "worship".split()),
        ("voyage", "chatham cleveland cuba fortlee guadeloupe isfahan lodz merida phoenix "
                   "socotra sydfynske thailand tulsa york".split()),
    ],
    "dev": [
        ("academic", ["exposure", "librarians"]), ("bio", ["byron", "emperor"]),
        ("court", ["loan", "negligence"]), ("interview", ["cyclone", "gaming"]),
        ("news", ["homeopathic", "iodine"]), ("voyage", ["athens", "coron"]),
    ],
    "test": [
        ("academic", ["discrimination", "eegimaa"]), ("bio", ["dvorak", "jespersen"]),
        ("court", ["insanity", "mitigation"]), ("interview", ["hill", "libertarian"]),
        ("news", ["nasa", "sensitive"]), ("voyage", ["oakland", "vavau"]),
    ],
}
WIKINEWS_GENRES = ("interview", "news")

_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_DATE = re.compile(r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r") (\d{1,2}) ?, (\d{4})\b")
_NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve",
                    "'ll", "'d", "'m", "’s", "-"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "-"}
_QUOTES = {'"', "'", "‘", "’", "“", "”"}


def read_documents(path: Path) -> list[list[list[str]]]:
    """Return the documents of a converted GUM file: lists of sentences of tokens."""
    docs: list[list[list[str]]] = []
    sentence: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                docs.append([])
                continue
            if not line.strip():
                if sentence:
                    docs[-1].append(sentence)
                    sentence = []
                continue
            sentence.append(line.rsplit(" ", 1)[0])
    if sentence:
        docs[-1].append(sentence)
    return docs


def detokenise(tokens: list[str]) -> str:
    """Return the sentence text of UD tokens: no space before closing punctuation and
    clitics, none after opening brackets or around hyphens ("self - medicating"), quotes
    paired."""
    out: list[str] = []
    open_quotes: set[str] = set()
    glue_next = False
    for token in tokens:
        glue = glue_next or token in _NO_SPACE_BEFORE
        glue_next = token in _NO_SPACE_AFTER
        if token in _QUOTES:
            kind = "'" if token in "'‘’" else '"'
            if kind in open_quotes:
                glue = True
            else:
                glue_next = True
            open_quotes ^= {kind}
        if out and not glue:
            out.append(" ")
        out.append(token)
    return "".join(out)


def wikinews_articles(data: Path) -> list[dict]:
    """Return the Wikinews documents of GUM as article records (id, date, title, body)."""
    records = []
    for split, genres in SPLITS.items():
        docs = read_documents(data / f"gum_ner.{split}.conll.gz")
        names = [(genre, name) for genre, group in genres for name in group]
        if len(docs) != len(names):
            raise SystemExit(f"{split}: {len(docs)} documents, splits.md lists {len(names)}")
        for (genre, name), sentences in zip(names, docs, strict=True):
            if genre not in WIKINEWS_GENRES:
                continue
            lines = [detokenise(s) for s in sentences]
            found = _DATE.search(" ".join(lines[:8]))
            day = date(2000, 1, 1)
            if found:
                month, dd, yyyy = found.groups()
                day = date(int(yyyy), _MONTHS.index(month.lower()) + 1, int(dd))
            records.append({
                "id": f"GUM_{genre}_{name}", "date": day.isoformat(), "title": lines[0],
                "body": "\n\n".join(lines[1:]), "source": f"Wikinews via GUM ({split})",
            })
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    args = parser.parse_args(argv)
    records = wikinews_articles(args.data)
    with args.out.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} Wikinews documents -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
