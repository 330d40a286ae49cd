"""Rebuild the Wikinews texts of GUM (news and interview) for quote labelling.

The tokens come from the shared `gum_ner.*.conll.gz` files; spacing and paragraph
breaks come from GUM's own CoNLL-U files of the same release (V11.1.0, `dep/`:
`SpaceAfter=No` and `# newpar`), which hold the same tokens. Writes one JSON line per
document, `{"id", "split", "source_url", "text"}`, for the labeller to read.

    python scripts/gum_quote_texts.py GUM_CHECKOUT/dep OUT.jsonl
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

NER_DIR = Path("/work/shared/data/ner")
GENRES = ("interview", "news")
# GUM's speech genre has no licence in its LICENSE.txt; these are works of the US federal
# government (floor speeches in the Congressional Record, presidential addresses, White
# House remarks), public domain under 17 U.S.C. 105. They are not in the shared NER files.
PUBLIC_DOMAIN_SPEECHES = ("GUM_speech_floyd", "GUM_speech_impeachment", "GUM_speech_inauguration",
                          "GUM_speech_maiden", "GUM_speech_nixon", "GUM_speech_remarks",
                          "GUM_speech_telescope")


def shared_documents() -> list[list[str]]:
    """Return the token lists of every document of the shared GUM NER files."""
    docs: list[list[str]] = []
    for split in ("train", "dev", "test"):
        with gzip.open(NER_DIR / f"gum_ner.{split}.conll.gz", "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("-DOCSTART-"):
                    docs.append([])
                elif line.strip():
                    docs[-1].append(line.rsplit(" ", 1)[0])
    return docs


def rebuild(conllu: str) -> tuple[list[str], str, str]:
    """Return the tokens, the text (paragraphs split by blank lines) and source URL."""
    tokens: list[str] = []
    parts: list[str] = []
    url = ""
    for line in conllu.splitlines():
        if line.startswith("# meta::sourceURL = "):
            url = line.split(" = ", 1)[1]
        elif line == "# newpar" or line.startswith("# newpar "):
            if parts:
                parts.append("\n\n")
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            tokens.append(cols[1])
            if parts and parts[-1] not in ("\n\n", "") and not parts[-1].endswith(" "):
                pass
            parts.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
        elif not line and parts and parts[-1] != "\n\n" and not parts[-1].endswith(" "):
            parts[-1] += " "  # a sentence ends: keep a space before the next
    text = "".join(parts)
    text = "\n\n".join(p.strip() for p in text.split("\n\n"))
    return tokens, text, url


def main(dep_dir: str, out: str) -> None:
    shared = {tuple(d): i for i, d in enumerate(shared_documents())}
    with open(out, "w", encoding="utf-8") as f:
        for path in sorted(Path(dep_dir).glob("GUM_*_*.conllu")):
            speech = path.stem in PUBLIC_DOMAIN_SPEECHES
            if path.stem.split("_")[1] not in GENRES and not speech:
                continue
            tokens, text, url = rebuild(path.read_text(encoding="utf-8"))
            if not speech and tuple(tokens) not in shared:
                raise SystemExit(f"{path.stem}: tokens differ from the shared CoNLL")
            f.write(json.dumps({"id": path.stem, "source_url": url, "text": text},
                               ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
