"""Measure the people, places and organisations lists against hand labels.

    python scripts/eval_facets.py INDEX [--labels DIR] [--size 100] [--unlabelled N]

For each kind, the names the list shows first (what `GET /api/v1/people?size=100`
returns, through `search.open_index(INDEX).entities(kind, size=100)`) are compared with
the labels in DIR (default: scripts/data/facet_labels/reuters), one TSV per kind
(`people.tsv`, `places.tsv`, `organisations.tsv`: name, verdict yes/no, what it
really is, note). Printed per kind:

- precision of the top N: labelled "yes" / labelled names in the top N;
- the same weighted by articles (each name counts as often as the list's count);
- the names in the top N that have no label yet, with their counts, so a new index
  shows what still needs labelling;
- for "no" labels, the count of names and articles by what they really are.

Organisations are not a facet yet: until `entities("organisations")` exists, they are
counted here from the entities stored with each article (label "organisation", their
canonical name, one count per article; body only, as titles' entities are not stored).
Once the engine lists them, its list is used instead.

Places listed twice are found from the gazetteer, not from the labels, among the
first 1,000 places: two listed names that resolve to the same place (`check_places.place_identity`), and a listed
name that is a subdivision of a city named after it (`check_places.subdivision_parent`).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_places import place_identity, subdivision_parent  # noqa: E402

from search import InvalidRequest, open_index  # noqa: E402
from search.analysis.places import resolve_place  # noqa: E402
from search.answers import as_data  # noqa: E402

KINDS = ("people", "places", "organisations")
DEFAULT_LABELS = REPO / "scripts" / "data" / "facet_labels" / "reuters"


def read_labels(path: Path) -> dict[str, tuple[bool, str, str]]:
    """Return name -> (is right, what it is, note) from a labels TSV (header row first)."""
    labels: dict[str, tuple[bool, str, str]] = {}
    if not path.exists():
        return labels
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            verdict = row["verdict"].strip().lower()
            if verdict not in ("yes", "no"):
                raise SystemExit(f"{path}: {row['name']!r}: verdict must be yes or no")
            labels[row["name"]] = (verdict == "yes", row.get("what", "").strip(),
                                   (row.get("note") or "").strip())
    return labels


def stored_organisations(index_path: Path) -> Counter[str]:
    """Return articles per organisation's canonical name, from the stored entities."""
    from whoosh import index as whoosh_index

    counts: Counter[str] = Counter()
    ix = whoosh_index.open_dir(str(index_path), indexname="articles")
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            counts.update({entity[3] for entity in fields.get("entities") or []
                           if entity[0] == "organisation"})
    return counts


def top_names(engine, index_path: Path, kind: str, size: int) -> tuple[list[tuple[str, int]], str]:
    """Return the first `size` (name, count) pairs of a list and where they came from."""
    try:
        results = as_data(engine.entities(kind, size=size))["results"]
        return [(r["value"], r["count"]) for r in results], "engine"
    except InvalidRequest:
        if kind != "organisations":
            raise
    counts = stored_organisations(index_path)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]
    return ranked, "stored entities (not a facet yet)"


def place_duplicates(names: list[tuple[str, int]]) -> list[str]:
    """Return the listed places that are one place under two names, per the gazetteer."""
    found = []
    by_identity: dict[tuple, list[str]] = defaultdict(list)
    for name, _ in names:
        place = resolve_place(name)
        if place is None:
            continue
        by_identity[place_identity(place)].append(name)
        parent = subdivision_parent(place)
        if parent is not None:
            found.append(f"{name} is a subdivision of {parent.name}")
    found += [" = ".join(group) for group in by_identity.values() if len(group) > 1]
    return found


def evaluate(kind: str, names: list[tuple[str, int]], labels, unlabelled_shown: int) -> dict:
    """Print and return the figures of one list against its labels."""
    right = wrong = right_w = wrong_w = 0
    unlabelled = []
    false_by_what: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, count in names:
        if name not in labels:
            unlabelled.append((name, count))
            continue
        ok, what, _ = labels[name]
        if ok:
            right, right_w = right + 1, right_w + count
        else:
            wrong, wrong_w = wrong + 1, wrong_w + count
            false_by_what[what or "?"].append((name, count))
    labelled = right + wrong
    precision = right / labelled if labelled else float("nan")
    weighted = right_w / (right_w + wrong_w) if right_w + wrong_w else float("nan")
    print(f"  top {len(names)}: {labelled} labelled, precision {precision:.2f} "
          f"({right}/{labelled}), weighted by articles {weighted:.2f} "
          f"({right_w}/{right_w + wrong_w})")
    if false_by_what:
        print("  not what the list says, by what they are (names, articles):")
        for what, items in sorted(false_by_what.items(), key=lambda kv: -sum(c for _, c in kv[1])):
            shown = ", ".join(f"{n} ({c})" for n, c in items[:8]) + (" ..." if len(items) > 8 else "")
            print(f"    {what}: {len(items)}, {sum(c for _, c in items)} - {shown}")
    if unlabelled:
        print(f"  unlabelled ({len(unlabelled)}):", ", ".join(
            f"{n} ({c})" for n, c in unlabelled[:unlabelled_shown])
            + (" ..." if len(unlabelled) > unlabelled_shown else ""))
    return {"kind": kind, "precision": precision, "weighted": weighted, "labelled": labelled,
            "unlabelled": [n for n, _ in unlabelled]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS,
                        help="folder with people.tsv, places.tsv, organisations.tsv")
    parser.add_argument("--size", type=int, default=100, help="names per list (default 100)")
    parser.add_argument("--unlabelled", type=int, default=200,
                        help="unlabelled names printed per list")
    args = parser.parse_args(argv)
    engine = open_index(args.index)
    print(f"{args.index}: {engine.stats().articles} articles; labels {args.labels}")
    for kind in KINDS:
        names, source = top_names(engine, args.index, kind, args.size)
        print(f"{kind} (from {source}):")
        evaluate(kind, names, read_labels(args.labels / f"{kind}.tsv"), args.unlabelled)
        if kind == "places":
            listed, _ = top_names(engine, args.index, kind, 1000)
            duplicates = place_duplicates(listed)
            print(f"  listed twice among the first {len(listed)} places (gazetteer): "
                  f"{len(duplicates)}" + "".join(f"\n    {d}" for d in duplicates))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
