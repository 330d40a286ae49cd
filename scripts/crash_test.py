"""Kill -9 a real `newsindex ingest` at random moments and check that nothing is lost or duplicated.

    python scripts/crash_test.py [--kills 20] [--articles 600] [--seed 7]

After every kill the index must open and serve (a search through the engine and
/api/v1/health and /api/v1/search through the app answer, the search's total is the
index's count), hold every article committed before the kill (the count never drops)
and no duplicate ids; a final re-run must complete the corpus, to exactly N.
Prints one line per kill and a summary; exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Chancellor Angela Merkel met President Emmanuel Macron in Paris to discuss energy prices.",
    "Oil prices rose after Saudi Arabia said it would cut output, traders in London said.",
    "President Joe Biden said in Washington that interest rates had peaked.",
    "Japan's exports rose as shipments of cars to China recovered, officials in Tokyo said.",
    "Coffee prices fell in Brazil as the harvest began early in Minas Gerais.",
]


def write_corpus(folder: Path, count: int, rng: random.Random) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(rng.choice(SENTENCES) + f" Item {i} of the series." for _ in range(6))
        (folder / f"a{i:05d}.txt").write_text(f" date 2024-{1 + i % 12:02d}-{1 + i % 28:02d} {body}\n")


def index_state(index: Path) -> tuple[int, int]:
    """Return (documents, distinct ids) of the index, opening it as a reader would."""
    from whoosh import index as whoosh_index

    from search.index import INDEX_NAME

    if not whoosh_index.exists_in(str(index), indexname=INDEX_NAME):
        return 0, 0
    ix = whoosh_index.open_dir(str(index), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    return len(ids), len(set(ids))


def serves(index: Path, expected: int) -> str | None:
    """Return what is wrong when the index at `index` is opened and served, or None."""
    from whoosh import index as whoosh_index

    from api.app import create_app
    from search import open_index
    from search.index import INDEX_NAME

    if not whoosh_index.exists_in(str(index), indexname=INDEX_NAME):
        return None if expected == 0 else "the index is gone"
    try:
        total = open_index(index).search(size=1, facets=["month"]).total
    except Exception as exc:  # noqa: BLE001 - any failure is the finding
        return f"the engine cannot search it: {exc!r}"
    if total != expected:
        return f"a search finds {total} articles, the index holds {expected}"
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    for url in ("/api/v1/health", "/api/v1/search?q=prices&facets=month"):
        response = client.get(url)
        if response.status_code != 200 or not response.is_json:
            return f"{url} answers {response.status_code}"
    return None


def run(kills: int, articles: int, seed: int, workdir: Path, log=print) -> list[str]:
    rng = random.Random(seed)
    corpus, index = workdir / "corpus", workdir / "index"
    write_corpus(corpus, articles, rng)
    command = [sys.executable, "-m", "api.cli", "ingest", "--index", str(index), "--quiet",
               "--workers", "1", "--batch-size", "20", str(corpus)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    problems: list[str] = []
    committed = 0
    for n in range(1, kills + 1):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        docs, distinct = index_state(index)
        if docs != distinct:
            problems.append(f"kill {n}: {docs - distinct} duplicate documents")
        if distinct < committed:
            problems.append(f"kill {n}: {committed - distinct} committed articles lost")
        wrong = serves(index, distinct)
        if wrong:
            problems.append(f"kill {n}: {wrong}")
        committed = max(committed, distinct)
        log(f"kill {n:>2}: index opens and serves, {distinct} articles, {docs - distinct} duplicates")
    final = subprocess.run(command, env=env, capture_output=True, text=True)
    docs, distinct = index_state(index)
    log(f"re-run: exit {final.returncode}, {distinct} articles of {articles}, {docs - distinct} duplicates")
    if final.returncode != 0:
        problems.append(f"final ingest exited {final.returncode}: {final.stderr[-500:]}")
    wrong = serves(index, distinct)
    if wrong:
        problems.append(f"after the re-run: {wrong}")
    if (docs, distinct) != (articles, articles):
        problems.append(f"after the re-run: {docs} documents, {distinct} distinct, expected {articles}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        problems = run(args.kills, args.articles, args.seed, Path(tmp))
    print(f"{args.kills} kills: {len(problems)} problems")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
