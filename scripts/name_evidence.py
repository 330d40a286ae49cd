"""Count the corpus-level evidence of what each labelled person really is.

    python scripts/name_evidence.py CORPUS [--labels DIR] [--all]

For each name of DIR/people.tsv labelled "no" (with --all, every name), counts over the
whole corpus (anything `newsindex ingest` reads) how often the text writes it

- as an organisation: with a company designator ("Merrill Lynch and Co", "Salomon
  Brothers Inc"), before a ticker ("FORD <F>"), after "shares of" or before "shares",
  or with "it"/"its" ("Salomon said it", "Drexel said its");
- as a person: after a title ("Mr", "President", "Secretary", "Chairman", ...), after
  a first name of the census list, or with "he"/"she" ("Wright said he").

and prints one example of each, so the next phase (issue 15: corpus-level evidence for
what a name is) can see which false person each kind of evidence catches. The name
searched is the list's name, or the word the articles really write for it (the
`SEARCH_AS` table: "Series A. Moody" is written "Moody's").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_tools import iter_articles  # noqa: E402

SEARCH_AS = {
    "Series A. Moody": "Moody", "Dlr - Usda": "USDA", "Carl C. Icahn-led TWA": "TWA",
    "POINT/PUROLATOR": "Purolator", "Lyonnais": "Credit Lyonnais", "Eastman Kodak": "Kodak",
    "Susan Phillips": "Phillips", "Dudley Taft": "Taft", "Boyd Jefferies": "Jefferies",
    "NV Philips": "Philips", "Merrell Dow": "Merrell Dow", "Poor": "Poor",
}
DESIGNATORS = (r"Inc|Corp|Co|Ltd|PLC|Plc|Group|Brothers|Bros|Holdings|Corporation|Company|"
               r"Securities|Investors Service|Capital Markets|AG|NV|SA|Bank|Industries")
TITLES = (r"Mr|Mrs|Ms|Dr|President|Secretary|Chairman|chairman|Minister|minister|Senator|Sen|"
          r"Rep|Governor|Speaker|spokesman|Chancellor|Premier|Director|director|Commissioner")
# Words before a name that are not first names even if the census lists them.
NOT_FIRST = {"Will", "May", "Mark", "Bill", "Grant", "Dean", "Chase", "Sterling", "Price", "Royal"}


def patterns(term: str) -> dict[str, re.Pattern]:
    """Return the evidence patterns of one name (case-insensitive name, cased context)."""
    t = r"(?i:" + re.escape(term) + r")(?:'s)?"
    return {
        "designator": re.compile(
            r"\b" + t + r",?(?:\s+(?:and|&)\s+Co\b|(?:\s+[A-Z][\w.&'-]*){0,2}\s+(?:" + DESIGNATORS + r")\b)"),
        "ticker": re.compile(r"\b" + t + r"\b[^<\n.]{0,30}<[A-Z][A-Z.]{0,6}>"),
        "shares": re.compile(r"\b(?:(?i:shares) of\s+(?:[A-Z][\w.&-]*\s+){0,3}?" + t + r"\b|"
                             + t + r"\s+(?i:shares|stock)\b)"),
        "it/its": re.compile(r"\b" + t + r"\b(?:\s+\w+){0,3}?\s+(?:said|says)\s+(?:it|its)\b"),
        "title": re.compile(r"\b(?:" + TITLES + r")\.?\s+(?:[A-Z][\w.-]*\s+){0,2}" + t + r"\b"),
        # The word before must be a census first name: checked on the match.
        "first name": re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?" + t + r"\b"),
        "he/she": re.compile(r"\b" + t + r"\b(?:\s+\w+){0,3}?\s+(?:said|says)\s+(?:he|she)\b"),
    }


ORG = ("designator", "ticker", "shares", "it/its")
PERSON = ("title", "first name", "he/she")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--labels", type=Path, default=REPO / "scripts" / "data" / "facet_labels" / "reuters")
    parser.add_argument("--all", action="store_true", help="every labelled name, not only the false people")
    args = parser.parse_args(argv)
    with (args.labels / "people.tsv").open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream, delimiter="\t") if args.all or r["verdict"] == "no"]
    census = json.loads((REPO / "scripts" / "data" / "census_names.json").read_text())
    first_names = set(census["first_names"]) - NOT_FIRST
    texts = [" ".join((a.title + "\n" + a.body).split()) for a in iter_articles(args.corpus)]
    print(f"{len(texts)} articles; counts are articles with the pattern ({', '.join(ORG)} | "
          f"{', '.join(PERSON)})")
    for row in rows:
        term = SEARCH_AS.get(row["name"], row["name"].split()[-1] if row["verdict"] == "yes" else row["name"])
        found: Counter[str] = Counter()
        example: dict[str, str] = {}
        lowered = term.lower()
        candidates = [text for text in texts if lowered in text.lower()]
        for pattern_name, pattern in patterns(term).items():
            for text in candidates:
                m = next((m for m in pattern.finditer(text) if pattern_name != "first name"
                          or m.group(1) in first_names), None)
                if m:
                    found[pattern_name] += 1
                    example.setdefault(pattern_name, text[max(0, m.start() - 25):m.end() + 15])
        org = sum(found[k] for k in ORG)
        person = sum(found[k] for k in PERSON)
        verdict = "organisation" if org > person else "person" if person > org else "undecided"
        print(f"{row['name']} [{row['verdict']}: {row['what']}] as {term!r}: "
              + " ".join(f"{k}={found[k]}" for k in ORG) + " | "
              + " ".join(f"{k}={found[k]}" for k in PERSON) + f" -> {verdict}")
        for k in (*ORG, *PERSON):
            if k in example:
                print(f"    {k}: ...{example[k]}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
