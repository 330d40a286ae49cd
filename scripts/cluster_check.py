"""Cluster check with real processes on loopback: the sharded index against a single one.

    python scripts/cluster_check.py [--articles 4000] [--corpus DIR|FILE] [--work DIR]

Starts `dask scheduler` and two `dask worker --nworkers 1 --nthreads 1 --no-nanny`,
ingests the first N articles of the corpus (default: the Reuters development set in
../shared/data) into one index and, with --cluster, into 4 shards, killing a worker
with SIGKILL mid-ingest and starting a replacement. Serves both (newsindex serve and
newsindex serve --cluster) and compares them side by side through the HTTP API:
totals, ids in order, scores to 4 decimals, every facet, page 2, filters, sort by
date, the people and places lists, a person's page, a two-series timeline, an NDJSON
export and the stats count, and the organisations, quotes (and their export), similar
articles and suggestions. Then SIGSTOPs (hangs) the worker holding the most shards while
queries run: every answer must be 200 (partial) or a JSON 503, none slower than the
time limit, and full and exact again within 60 s (its shards move to the other worker);
before that, SIGKILLs one (the same rules), starts a replacement and times how long until
answers are full and exact again (at most 60 s after it joins); then re-runs the cluster
ingest, which must change nothing. Every process it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "reuters21578" / "reuters21578-dev.tar.gz"
PROCESSES: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], log: Path) -> subprocess.Popen:
    log_file = open(log, "w")  # noqa: SIM115 (the process writes to it after we return)
    process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO,
                               start_new_session=True)
    PROCESSES.append(process)
    return process


def stop_all() -> None:
    for process in PROCESSES:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in PROCESSES:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def worker(scheduler: str, work: Path, n: int) -> subprocess.Popen:
    return start([str(BIN / "dask"), "worker", scheduler, "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                  "--no-dashboard", "--local-directory", str(work / f"dask-w{n}")], work / f"worker{n}.log")


def wait_for_workers(scheduler: str, count: int, timeout: float = 60) -> None:
    from distributed import Client

    with Client(scheduler, timeout="20s") as client:
        client.wait_for_workers(count, timeout=timeout)


def get(url: str, timeout: float = 30) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(body) if kind.startswith("application/json") else body
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, body


def wait_http(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if get(base + "/api/v1/health", timeout=30)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base} did not come up")


def corpus_file(corpus: Path | None, count: int, work: Path) -> Path:
    """Write the first `count` articles of the corpus (sorted ids) as JSON Lines."""
    sys.path.insert(0, str(REPO))
    from search import Article, read_articles

    source = corpus or DEFAULT_CORPUS
    if str(source).endswith(".tar.gz"):
        target = work / "corpus"
        if not target.exists():
            with tarfile.open(source) as tar:
                tar.extractall(target, filter="data")
        source = target
    articles = sorted((a for a in read_articles([source]) if isinstance(a, Article)), key=lambda a: a.id)[:count]
    out = work / "articles.jsonl"
    with open(out, "w", encoding="utf-8") as handle:
        for a in articles:
            handle.write(json.dumps({"id": a.id, "date": a.date.isoformat(), "title": a.title, "body": a.body,
                                     "url": a.url, "source": a.source}) + "\n")
    return out


QUERIES = [
    "q=oil", "q=oil&page=2", "q=trade+OR+tariff&size=20", "q=%22interest+rates%22", "q=bank+NOT+japan",
    "q=prof*", "sort=newest", "sort=oldest&page=3", "q=oil&sort=newest",
    "q=said&facets=people,places,countries,month,year&facet_size=20",
    "q=oil&place=Saudi+Arabia", "place=Japan&place_scope=country", "q=grain&from=1987-03&to=1987-03-20",
    "q=said&facets=organisations,people&facet_size=50", "q=oill", "q=pricse+rise", "person=Reagen",
]
QUOTES = ["", "q=oil", "size=20&sort=oldest&page=2", "q=rates+OR+prices&facets=speaker,month&facet_size=20"]


KIND_PARAM = {"people": "person", "organisations": "organisation"}


def plain(answer: dict) -> dict:
    answer = dict(answer)
    for key in ("took_ms", "shards", "partial"):
        answer.pop(key, None)
    return answer


def compare(single: str, sharded: str) -> list[str]:
    """Return the differences between the two servers' answers (empty: identical)."""
    problems = []
    pairs = [f"/api/v1/search?{q}" for q in QUERIES]
    pairs += ["/api/v1/people?size=50", "/api/v1/places?size=50", "/api/v1/people?prefix=ja",
              "/api/v1/places?q=oil&size=30", "/api/v1/organisations?size=50"]
    for kind in ("people", "organisations"):
        status, names = get(single + f"/api/v1/{kind}?size=2")
        top = names["results"][0]["value"] if status == 200 and names["results"] else None
        if top:
            pairs.append(f"/api/v1/{kind}/" + urllib.parse.quote(top))
            pairs.append(f"/api/v1/search?{KIND_PARAM[kind]}={urllib.parse.quote(top)}&facets=people,organisations")
    pairs.append("/api/v1/timeline?series=q:oil&series=place:Japan;q:trade&interval=month")
    pairs += [f"/api/v1/quotes?{q}" for q in QUOTES]
    status, quotes = get(single + "/api/v1/quotes?facets=speaker")
    speakers = quotes["facets"]["speaker"]["results"] if status == 200 else []
    if speakers:
        pairs.append("/api/v1/quotes?speaker=" + urllib.parse.quote(speakers[0]["value"]))
    status, hits = get(single + "/api/v1/search?q=oil&size=3")
    for hit in hits["results"] if status == 200 else []:
        pairs.append(f"/api/v1/articles/{urllib.parse.quote(hit['id'])}/similar")
    for path in pairs:
        (s1, a), (s2, b) = get(single + path), get(sharded + path)
        if s1 != s2 or plain(a) != plain(b):
            problems.append(f"{path}: {s1} vs {s2}")
        elif isinstance(b, dict) and b.get("partial"):
            problems.append(f"{path}: partial")
    (s1, e1), (s2, e2) = get(single + "/api/v1/search/export?q=oil&format=ndjson"), \
        get(sharded + "/api/v1/search/export?q=oil&format=ndjson")
    if s1 != s2 or e1 != e2:
        problems.append("export differs")
    (s1, e1), (s2, e2) = get(single + "/api/v1/quotes/export?q=oil&format=ndjson"), \
        get(sharded + "/api/v1/quotes/export?q=oil&format=ndjson")
    if s1 != s2 or e1 != e2:
        problems.append("quote export differs")
    (_, st1), (_, st2) = get(single + "/api/v1/stats"), get(sharded + "/api/v1/stats")
    for key in ("articles", "date_from", "date_to", "people", "places"):
        if st1[key] != st2[key]:
            problems.append(f"stats {key}: {st1[key]} vs {st2[key]}")
    return problems


TIME_LIMIT = 10.0  # the servers' search time limit (NEWSINDEX_SEARCH_TIME_LIMIT)


class Load:
    """Searches the server one after another in a thread; counts the answers by status
    (and partial) and keeps the slowest answer's seconds."""

    def __init__(self, base: str):
        self.base, self.statuses, self.slowest = base, {}, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                status, body = get(self.base + f"/api/v1/search?{QUERIES[n % len(QUERIES)]}", timeout=60)
            except OSError as exc:
                status, body = type(exc).__name__, None
            self.slowest = max(self.slowest, time.monotonic() - started)
            n += 1
            key = str(status) + (" partial" if isinstance(body, dict) and body.get("partial") else "")
            self.statuses[key] = self.statuses.get(key, 0) + 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def shards_per_worker(scheduler: str) -> dict[int, int]:
    """Return the number of shards each live worker process serves (its actors'), by pid."""
    from distributed import Client

    def held(dask_worker) -> tuple[int, int]:
        return os.getpid(), sum(len(getattr(a, "shards", ())) for a in dask_worker.state.actors.values())

    with Client(scheduler, timeout="20s") as client:
        return dict(client.run(held).values())


def wait_exact(single: str, sharded: str, since: float, limit: float) -> float | None:
    """Return the seconds from `since` until the sharded server answers with every shard
    and exactly as the single one (None: not within `limit` seconds)."""
    while time.monotonic() - since < limit:
        status, body = get(sharded + "/api/v1/health")
        if status == 200 and body["shards"]["successful"] == body["shards"]["total"] and not compare(single, sharded):
            return time.monotonic() - since
        time.sleep(1)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cluster-check-"))
    work.mkdir(parents=True, exist_ok=True)
    failures = []
    try:
        corpus = corpus_file(args.corpus, args.articles, work)
        port = free_port()
        scheduler = f"tcp://127.0.0.1:{port}"
        start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
              work / "scheduler.log")
        workers = [worker(scheduler, work, 1), worker(scheduler, work, 2)]
        wait_for_workers(scheduler, 2)
        print(f"cluster: {scheduler}, 2 workers; {args.articles} articles in {corpus}")

        started = time.perf_counter()
        subprocess.run([str(BIN / "newsindex"), "ingest", str(corpus), "--index", str(work / "single"),
                        "--workers", "2", "--quiet"], check=True, cwd=REPO)
        print(f"single index: {time.perf_counter() - started:.1f} s")

        # Cluster ingest, with a worker killed mid-way and a replacement started.
        started = time.perf_counter()
        ingest = subprocess.Popen([str(BIN / "newsindex"), "ingest", str(corpus), "--index", str(work / "sharded"),
                                   "--cluster", scheduler, "--shards", "4", "--quiet", "--json"],
                                  stdout=subprocess.PIPE, text=True, cwd=REPO)
        PROCESSES.append(ingest)
        time.sleep(8)
        os.kill(workers[0].pid, signal.SIGKILL)
        print(f"SIGKILL worker 1 at {time.perf_counter() - started:.1f} s of the cluster ingest")
        workers.append(worker(scheduler, work, 3))
        out, _ = ingest.communicate(timeout=1800)
        report = json.loads(out)
        print(f"cluster ingest: {time.perf_counter() - started:.1f} s, exit {ingest.returncode}, "
              f"added {report['added']}, updated {report['updated']}, unchanged {report['unchanged']}")
        manifest = json.loads((work / "sharded" / "cluster.json").read_text())
        counts = [s["articles"] for s in manifest["shards"]]
        print(f"manifest: generation {manifest['generation']}, shards {counts} (sum {sum(counts)})")
        if sum(counts) != args.articles:
            failures.append(f"shards hold {sum(counts)} articles, not {args.articles}")

        # Side by side.
        p1, p2 = free_port(), free_port()
        os.environ["NEWSINDEX_SEARCH_TIME_LIMIT"] = str(TIME_LIMIT)
        start([str(BIN / "newsindex"), "serve", "--index", str(work / "single"), "--port", str(p1)], work / "s1.log")
        start([str(BIN / "newsindex"), "serve", "--index", str(work / "sharded"), "--cluster", scheduler,
               "--port", str(p2)], work / "s2.log")
        single, sharded = f"http://127.0.0.1:{p1}", f"http://127.0.0.1:{p2}"
        wait_http(single)
        wait_http(sharded)
        problems = compare(single, sharded)
        print(f"side by side: {len(QUERIES)} searches, 5 lists, person and organisation pages and filters, "
              f"a timeline, {len(QUOTES) + 1} quote searches, similar articles, suggestions, two exports, stats: "
              + ("identical" if not problems else f"{len(problems)} differences"))
        for p in problems:
            print("  ", p)
        failures += problems

        # SIGKILL a worker while queries run.
        held = shards_per_worker(scheduler)
        victim = max((w for w in workers if w.poll() is None), key=lambda w: held.get(w.pid, 0))
        load = Load(sharded)
        time.sleep(2)

        os.kill(victim.pid, signal.SIGKILL)
        killed = time.monotonic()
        time.sleep(3)
        workers.append(worker(scheduler, work, 4))
        joined = time.monotonic()
        recovered = wait_exact(single, sharded, joined, 60)
        load.stop()
        print(f"SIGKILL a worker holding {held.get(victim.pid, 0)} shards mid-query: answers {load.statuses}; "
              f"slowest {load.slowest:.1f} s; a replacement joined {joined - killed:.1f} s later; full and exact "
              + (f"{recovered:.1f} s after it joined" if recovered is not None else "not within 60 s"))
        if any(not k.startswith(("200", "503")) for k in load.statuses):
            failures.append(f"SIGKILL: answers other than 200/503: {load.statuses}")
        if recovered is None:
            failures.append("SIGKILL: not full and exact again within 60 s of a replacement joining")

        # SIGSTOP (a hung worker) while queries run: partial answers within the time limit.
        held = shards_per_worker(scheduler)
        victim = max((w for w in workers if w.poll() is None), key=lambda w: held.get(w.pid, 0))
        load = Load(sharded)
        time.sleep(2)
        os.kill(victim.pid, signal.SIGSTOP)
        stopped = time.monotonic()
        recovered = wait_exact(single, sharded, stopped, 60)
        time.sleep(2)
        load.stop()
        os.kill(victim.pid, signal.SIGCONT)
        print(f"SIGSTOP a worker holding {held.get(victim.pid, 0)} shards mid-query: answers {load.statuses}; "
              f"slowest {load.slowest:.1f} s (time limit {TIME_LIMIT:g} s); full and exact again after "
              + (f"{recovered:.1f} s" if recovered is not None else "more than 60 s"))
        if any(not k.startswith(("200", "503")) for k in load.statuses):
            failures.append(f"SIGSTOP: answers other than 200/503: {load.statuses}")
        if load.slowest > TIME_LIMIT + 1:
            failures.append(f"SIGSTOP: an answer took {load.slowest:.1f} s, over the time limit")
        if recovered is None:
            failures.append("SIGSTOP: not full and exact again within 60 s")

        # Re-run: nothing changes.
        out = subprocess.run([str(BIN / "newsindex"), "ingest", str(corpus), "--index", str(work / "sharded"),
                              "--cluster", scheduler, "--quiet", "--json"], capture_output=True, text=True,
                             cwd=REPO).stdout
        again = json.loads(out)
        after = json.loads((work / "sharded" / "cluster.json").read_text())
        print(f"re-run: added {again['added']}, updated {again['updated']}, unchanged {again['unchanged']}; "
              f"generation {manifest['generation']} -> {after['generation']}")
        if again["added"] or again["updated"] or after["generation"] != manifest["generation"]:
            failures.append("the re-run changed something")
        if compare(single, sharded):
            failures.append("answers differ after the re-run")
    finally:
        stop_all()
    print("OK" if not failures else f"FAILED: {failures}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
