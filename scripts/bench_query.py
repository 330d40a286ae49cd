"""Query benchmark: our engine against plain Whoosh and SQLite FTS5, same texts, same run.

    python scripts/bench_query.py CORPUS [--articles 10000] [--repeat 5]
    python scripts/bench_query.py --index DIR [--repeat 5]       # reuse a built index

Builds (or reuses) our index of the first N articles of CORPUS, then, from the
texts *stored in our index* (so all three see the same articles, people and
places): a plain Whoosh index (StandardAnalyzer, no NLP; people/places/month as
fields so Whoosh's own `groupedby` facets can count them) and an SQLite FTS5
database (porter tokenizer; people/places tables and a month column).

A fixed, mixed set of queries (terms, AND, phrases, OR, prefixes, person, place
and date filters, sort by date, page 20, match-all) is run after a warm-up,
`--repeat` times, engines interleaved query by query so noise hits all alike:

    ours+facets   open_index().search(..., facets=[people, places, month])
    ours          the same with facets=[]
    whoosh        plain Whoosh: top 10 (page) with stored fields, no total
    whoosh+facets plain Whoosh: the same with groupedby people/places/month (Count)
    fts5          SQLite FTS5: top 10 with stored fields
    fts5+facets   SQLite FTS5: top 10 + one statement with three GROUP BY facets
    fts5+fac+snip the same with snippet() highlights of the body, the work ours does

Latency percentiles are over all timed runs (queries x repeats); ratios are
ours/FTS5 at each percentile, and the median over queries of the per-query
ratio of medians (the figure least moved by noise). RSS is measured in a fresh
process that only opens our index and runs the set with facets.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_tools import instrument, load_articles, restore  # noqa: E402

# One query: q in Whoosh syntax (FTS5 uses `fts` if given, else q), filters, sort, page.
QUERIES: list[dict] = [
    {"name": "term oil", "q": "oil"},
    {"name": "term coffee", "q": "coffee"},
    {"name": "term dollar", "q": "dollar"},
    {"name": "term bank", "q": "bank"},
    {"name": "term said (common)", "q": "said"},
    {"name": "term earthquake (rare)", "q": "earthquake"},
    {"name": "AND oil prices", "q": "oil prices"},
    {"name": "AND wheat export", "q": "wheat export"},
    {"name": "AND interest rates", "q": "interest rates"},
    {"name": "AND trade deficit", "q": "trade deficit"},
    {"name": "phrase stock exchange", "q": '"stock exchange"'},
    {"name": "phrase interest rates", "q": '"interest rates"'},
    {"name": "phrase crude oil", "q": '"crude oil"'},
    {"name": "OR gold silver", "q": "gold OR silver"},
    {"name": "OR sugar cocoa", "q": "sugar OR cocoa"},
    {"name": "prefix export*", "q": "export*"},
    {"name": "prefix bank*", "q": "bank*"},
    {"name": "person only", "person": ["Paul Volcker"]},
    {"name": "dollar + person", "q": "dollar", "person": ["Paul Volcker"]},
    {"name": "place only", "place": ["Japan"]},
    {"name": "trade + place", "q": "trade", "place": ["Japan"]},
    {"name": "oil + place", "q": "oil", "place": ["Iran"]},
    {"name": "date range only", "date_from": "1987-03-01", "date_to": "1987-03-15"},
    {"name": "oil + month", "q": "oil", "date_from": "1987-04-01", "date_to": "1987-04-30"},
    {"name": "coffee + place + month", "q": "coffee", "place": ["Brazil"],
     "date_from": "1987-03-01", "date_to": "1987-03-31"},
    {"name": "oil sort newest", "q": "oil", "sort": "newest"},
    {"name": "bank sort oldest", "q": "bank", "sort": "oldest"},
    {"name": "oil page 20", "q": "oil", "page": 20},
    {"name": "said page 20", "q": "said", "page": 20},
    {"name": "match all, newest", "sort": "newest"},
]
FACETS = ["people", "places", "month"]
PAGE = 10
ENGINES = ("ours+facets", "ours", "whoosh", "whoosh+facets", "fts5", "fts5+facets", "fts5+fac+snip")


def sort_of(spec: dict) -> str:
    return spec.get("sort") or ("relevance" if spec.get("q") else "newest")


# Our engine


def ours_params(spec: dict, facets: bool) -> dict:
    return {
        "q": spec.get("q", ""), "person": spec.get("person", []), "place": spec.get("place", []),
        "date_from": spec.get("date_from"), "date_to": spec.get("date_to"), "sort": sort_of(spec),
        "page": spec.get("page", 1), "size": PAGE, "facets": FACETS if facets else [],
    }


def build_ours(index_dir: Path, corpus: str, n: int, workers: int | None) -> None:
    from search import ingest

    articles = load_articles(corpus, n)
    started = time.perf_counter()
    report = ingest(index_dir, articles, workers=workers)
    print(f"built our index: {report.added:,} articles in {time.perf_counter() - started:.0f} s")


def stored_articles(index_dir: Path):
    """Yield (id, day, title, body, people, places) of every live article in our index."""
    from search import open_index

    ix = open_index(index_dir)
    with ix._ix.searcher() as searcher:  # the stored fields are all we need here
        for doc in searcher.all_stored_fields():
            yield (
                doc["id"], doc["date"].date(), doc.get("title", ""), doc.get("body", ""),
                _split(doc.get("people")), _split(doc.get("places")),
            )


def _split(value) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


# Plain Whoosh

# Whoosh raises reading the term vector of a document with no value, so empty
# people/places get this placeholder, dropped from the facet counts.
NO_VALUE = "-"


def build_whoosh(index_dir: Path, docs: list) -> None:
    from whoosh import fields, index
    from whoosh.analysis import StandardAnalyzer

    analyzer = StandardAnalyzer()
    # Term vectors let groupedby read each hit's values instead of walking every term's postings.
    names = dict(stored=False, commas=True, lowercase=False, scorable=False, vector=True)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        date=fields.DATETIME(stored=True, sortable=True),
        month=fields.ID(sortable=True),
        title=fields.TEXT(analyzer=analyzer, stored=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
        people=fields.KEYWORD(**names),
        places=fields.KEYWORD(**names),
    )
    ix = index.create_in(str(index_dir), schema)
    writer = ix.writer(limitmb=256)
    for doc_id, day, title, body, people, places in docs:
        writer.add_document(
            id=doc_id, date=datetime(day.year, day.month, day.day), month=day.isoformat()[:7],
            title=title, body=body, people=",".join(people) or NO_VALUE, places=",".join(places) or NO_VALUE,
        )
    writer.commit(optimize=True)


class PlainWhoosh:
    def __init__(self, index_dir: Path):
        from whoosh import index
        from whoosh.qparser import AndGroup, MultifieldParser

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=AndGroup)

    def query(self, spec: dict):
        from whoosh import query

        parts = []
        if spec.get("q"):
            parts.append(self.parser.parse(spec["q"]))
        parts += [query.Term("people", p) for p in spec.get("person", [])]
        parts += [query.Term("places", p) for p in spec.get("place", [])]
        if spec.get("date_from"):
            start = datetime.fromisoformat(spec["date_from"])
            end = datetime.fromisoformat(spec["date_to"]).replace(hour=23, minute=59, second=59)
            parts.append(query.DateRange("date", start, end))
        if not parts:
            return query.Every()
        return parts[0] if len(parts) == 1 else query.And(parts)

    def search(self, spec: dict, facets: bool) -> dict:
        from whoosh import sorting

        sort = sort_of(spec)
        page = spec.get("page", 1)
        kwargs: dict = {"limit": page * PAGE}
        if sort != "relevance":
            kwargs.update(sortedby="date", reverse=sort == "newest")
        if facets:
            kwargs["groupedby"] = {
                "people": sorting.FieldFacet("people", allow_overlap=True),
                "places": sorting.FieldFacet("places", allow_overlap=True),
                "month": sorting.FieldFacet("month"),
            }
            kwargs["maptype"] = sorting.Count
        results = self.searcher.search(self.query(spec), **kwargs)
        hits = [(h["id"], h.get("title")) for h in results[(page - 1) * PAGE: page * PAGE]]
        out: dict = {"hits": hits}
        if facets:
            groups = {name: results.groups(name) for name in FACETS}
            for name in ("people", "places"):
                groups[name].pop(NO_VALUE, None)
            out["total"] = sum(groups["month"].values())
            out["facets"] = {
                name: sorted(g.items(), key=lambda kv: (-kv[1], str(kv[0])))[: 10 if name != "month" else None]
                for name, g in groups.items()
            }
        return out


# SQLite FTS5


def build_fts5(db_path: Path, docs: list) -> None:
    con = sqlite3.connect(db_path)
    con.executescript(
        """
        CREATE TABLE articles(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, date TEXT, month TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
        CREATE TABLE people(doc INTEGER, name TEXT);
        CREATE TABLE places(doc INTEGER, name TEXT);
        """
    )
    with con:
        for rowid, (doc_id, day, title, body, people, places) in enumerate(docs, start=1):
            con.execute("INSERT INTO articles VALUES (?, ?, ?, ?)", (rowid, doc_id, day.isoformat(),
                                                                     day.isoformat()[:7]))
            con.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", (rowid, title, body))
            con.executemany("INSERT INTO people VALUES (?, ?)", [(rowid, p) for p in people])
            con.executemany("INSERT INTO places VALUES (?, ?)", [(rowid, p) for p in places])
    con.executescript(
        """
        CREATE INDEX articles_date ON articles(date);
        CREATE INDEX people_doc ON people(doc, name);
        CREATE INDEX people_name ON people(name, doc);
        CREATE INDEX places_doc ON places(doc, name);
        CREATE INDEX places_name ON places(name, doc);
        INSERT INTO fts(fts) VALUES ('optimize');
        ANALYZE;
        """
    )
    con.close()


class Fts5:
    def __init__(self, db_path: Path):
        self.con = sqlite3.connect(db_path, check_same_thread=False)
        self.con.execute("PRAGMA cache_size = -262144")  # 256 MiB: a warm server, like the others
        self.con.execute("PRAGMA mmap_size = 1073741824")

    @staticmethod
    def hit_query(spec: dict) -> tuple[str, list]:
        """Return SQL selecting the matching rowids (as `doc`) and its parameters."""
        where, params = [], []
        if spec.get("q"):
            source = "fts JOIN articles a ON a.rowid = fts.rowid"
            where.append("fts MATCH ?")
            params.append(spec.get("fts", spec["q"]))
        else:
            source = "articles a"
        for name in spec.get("person", []):
            where.append("a.rowid IN (SELECT doc FROM people WHERE name = ?)")
            params.append(name)
        for name in spec.get("place", []):
            where.append("a.rowid IN (SELECT doc FROM places WHERE name = ?)")
            params.append(name)
        if spec.get("date_from"):
            where.append("a.date BETWEEN ? AND ?")
            params += [spec["date_from"], spec["date_to"]]
        sql = f"SELECT a.rowid AS doc FROM {source}" + (f" WHERE {' AND '.join(where)}" if where else "")
        return sql, params

    def search(self, spec: dict, facets: bool, snippets: bool = False) -> dict:
        hits_sql, params = self.hit_query(spec)
        sort = sort_of(spec)
        order = {"relevance": "fts.rank", "newest": "a.date DESC", "oldest": "a.date ASC"}[sort]
        page = spec.get("page", 1)
        # The stored title comes from the FTS table's content, as the others read stored fields.
        title = "fts.title" if spec.get("q") else "(SELECT title FROM fts WHERE fts.rowid = a.rowid)"
        if snippets and spec.get("q"):
            # Highlighted passages of the body, as our engine returns (about 240 characters).
            title += ", snippet(fts, 1, '<mark>', '</mark>', ' … ', 40)"
        top_sql = (
            f"SELECT a.id, {title} FROM {hits_sql.split(' FROM ', 1)[1]} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        hits = self.con.execute(top_sql, [*params, PAGE, (page - 1) * PAGE]).fetchall()
        out: dict = {"hits": hits}
        if facets:
            sql = f"""
                WITH hits(doc) AS MATERIALIZED ({hits_sql})
                SELECT * FROM (SELECT 'people', p.name, count(*) AS c FROM hits JOIN people p ON p.doc = hits.doc
                               GROUP BY p.name ORDER BY c DESC, p.name LIMIT 10)
                UNION ALL
                SELECT * FROM (SELECT 'places', p.name, count(*) AS c FROM hits JOIN places p ON p.doc = hits.doc
                               GROUP BY p.name ORDER BY c DESC, p.name LIMIT 10)
                UNION ALL
                SELECT 'month', a.month, count(*) FROM hits JOIN articles a ON a.rowid = hits.doc GROUP BY a.month
            """
            groups: dict[str, list] = {name: [] for name in FACETS}
            for kind, value, count in self.con.execute(sql, params):
                groups[kind].append((value, count))
            out["total"] = sum(c for _, c in groups["month"])
            out["facets"] = groups
        return out


# Running


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mib(field: str = "VmRSS") -> float:
    """Return this process's resident memory (VmRSS) or its peak (VmHWM), in MiB.

    Not ru_maxrss: Linux carries ru_maxrss across fork and exec, so a child started by
    this (large) process would report the parent's peak as its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_rss(index_dir: Path, rounds: int) -> dict:
    """Open our index in this (fresh) process, run the set with and without facets; return RSS."""
    import search

    before = rss_mib()
    ix = search.open_index(index_dir)
    opened = rss_mib()
    for _ in range(rounds):
        for spec in QUERIES:
            ix.search(**ours_params(spec, facets=True))
            ix.search(**ours_params(spec, facets=False))
    return {
        "imports_mib": before, "opened_mib": opened, "after_set_mib": rss_mib(),
        "peak_mib": rss_mib("VmHWM"),
        "articles": ix.stats().articles,
    }


def print_breakdown(ours, rounds: int) -> None:
    """Time the stages of our search by wrapping the engine's internal steps (names may change)."""
    import search.engine as engine
    import search.results as results
    import search.snapshot as snapshot

    spent: dict[str, float] = {}
    stages = [
        (engine.NewsIndex, "snapshot", "searcher and facet columns"),
        (snapshot.Snapshot, "hits", "score, collect hit set"),
        (results, "_hit", "page: stored fields and snippets"),
        (results, "facet_values", "people/places facet counts"),
        (results, "date_facet", "month facet"),
    ]
    originals = instrument(stages, spent)
    try:
        started = time.perf_counter()
        for _ in range(rounds):
            for spec in QUERIES:
                ours.search(**ours_params(spec, True))
        total = time.perf_counter() - started
    finally:
        restore(originals)
    n = rounds * len(QUERIES)
    print(f"\nwhere ours+facets spends its time ({rounds} x {len(QUERIES)} queries, "
          f"{total / n * 1000:.1f} ms/query mean):")
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:36} {seconds / n * 1000:8.2f} ms/query {seconds / total * 100:6.1f}%")


def print_exploration(ours, repeat: int) -> None:
    """Time the exploration answers (the explore issue's bar: p95 < 100 ms at 100k): the
    page of the most frequent person and of the most frequent place, and a two-series
    timeline, each `repeat` times after one warm-up."""
    person = ours.entities("people", size=1).results[0].value
    place = ours.entities("places", size=1).results[0].value
    calls = {
        f"person page ({person})": lambda: ours.entity("people", person),
        f"place page ({place})": lambda: ours.entity("places", place),
        "timeline, 2 series": lambda: ours.timeline([f"person:{person}", "q:oil"], interval="month"),
    }
    print(f"\nexploration, ms over {max(repeat, 5)} runs each (bar at 100k: p95 < 100 ms)")
    for name, call in calls.items():
        call()
        values = []
        for _ in range(max(repeat, 5)):
            started = time.perf_counter()
            call()
            values.append((time.perf_counter() - started) * 1000)
        print(f"  {name:40} p50 {percentile(values, 50):8.1f}  p95 {percentile(values, 95):8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="folder of .txt articles or .jsonl (not needed with --index)")
    parser.add_argument("--articles", type=int, default=10_000, help="first N articles (replicated if needed)")
    parser.add_argument("--index", type=Path, help="our index: reused if it exists, else built and kept there")
    parser.add_argument("--work", type=Path, default=None, help="where to build the baselines (default: temp)")
    parser.add_argument("--workers", type=int, default=None, help="ingest workers when building ours")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query on each engine")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, metavar="ROUNDS",
                        help="also profile ours+facets over ROUNDS runs of the set; print the top functions")
    parser.add_argument("--breakdown", type=int, default=0, metavar="ROUNDS",
                        help="also time the stages of ours+facets (search, results and snippets, facets)")
    parser.add_argument("--per-query", action="store_true", help="print each query's medians and totals")
    parser.add_argument("--rss-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.rss_only:
        print(json.dumps(serve_rss(args.index, rounds=2)))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-query-"))
    work.mkdir(parents=True, exist_ok=True)
    from search.index import index_exists

    index_dir = args.index or work / "ours"
    if not index_exists(index_dir):
        if not args.corpus:
            parser.error("no index at --index and no CORPUS to build it from")
        build_ours(index_dir, args.corpus, args.articles, args.workers)

    started = time.perf_counter()
    docs = list(stored_articles(index_dir))
    whoosh_dir, fts_path = work / f"whoosh-{len(docs)}", work / f"fts5-{len(docs)}.sqlite"
    if not (whoosh_dir / "_MAIN_1.toc").exists():
        whoosh_dir.mkdir(parents=True, exist_ok=True)
        build_whoosh(whoosh_dir, docs)
    if not fts_path.exists():
        build_fts5(fts_path.with_suffix(".tmp"), docs)
        fts_path.with_suffix(".tmp").rename(fts_path)
    print(f"baselines ready in {time.perf_counter() - started:.0f} s: {whoosh_dir}, {fts_path}")
    n_docs = len(docs)
    del docs

    from search import open_index

    ours = open_index(index_dir)
    plain = PlainWhoosh(whoosh_dir)
    fts = Fts5(fts_path)
    run = {
        "ours+facets": lambda s: ours.search(**ours_params(s, True)),
        "ours": lambda s: ours.search(**ours_params(s, False)),
        "whoosh": lambda s: plain.search(s, False),
        "whoosh+facets": lambda s: plain.search(s, True),
        "fts5": lambda s: fts.search(s, False),
        "fts5+facets": lambda s: fts.search(s, True),
        "fts5+fac+snip": lambda s: fts.search(s, True, snippets=True),
    }

    print(f"articles: {n_docs:,}  queries: {len(QUERIES)}  repeat: {args.repeat}  warm-up: {args.warmup}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
          f"python {platform.python_version()}; sqlite {sqlite3.sqlite_version}")
    print(f"segments: ours {ours.stats().segments}, plain Whoosh {len(plain.searcher.reader().leaf_readers())}")
    totals: dict[str, dict[str, int]] = {}
    for _ in range(args.warmup):
        for spec in QUERIES:
            for engine in ENGINES:
                out = run[engine](spec)
                total = getattr(out, "total", None) if not isinstance(out, dict) else out.get("total")
                if total is not None:
                    totals.setdefault(spec["name"], {})[engine] = total

    times: dict[str, dict[str, list[float]]] = {e: {s["name"]: [] for s in QUERIES} for e in ENGINES}
    for r in range(args.repeat):
        for spec in QUERIES:
            engines = ENGINES if r % 2 == 0 else tuple(reversed(ENGINES))
            for engine in engines:
                t = time.perf_counter()
                run[engine](spec)
                times[engine][spec["name"]].append((time.perf_counter() - t) * 1000)

    if args.per_query:
        print()
        print(f"{'query':26}" + "".join(f"{e:>14}" for e in ENGINES) + "   hits ours/whoosh/fts5")
        for spec in QUERIES:
            name = spec["name"]
            t = totals.get(name, {})
            print(f"{name:26}" + "".join(f"{statistics.median(times[e][name]):11.2f} ms" for e in ENGINES)
                  + f"   {t.get('ours+facets', '?')}/{t.get('whoosh+facets', '?')}/{t.get('fts5+facets', '?')}")

    # Stemming makes ours and FTS5 agree within a few percent; more is a bug in one of them.
    differ = [
        f"{name} ({t['ours+facets']} vs {t['fts5+facets']})" for name, t in totals.items()
        if abs(t["ours+facets"] - t["fts5+facets"]) > 0.1 * max(t["fts5+facets"], 10)
    ]
    if differ:
        print(f"\nWARNING: our hit count differs from FTS5's by more than 10% on: {'; '.join(differ)}")

    print()
    print(f"latency over {len(QUERIES)} queries x {args.repeat} runs, ms")
    print(f"{'engine':14} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}")
    summary = {}
    for engine in ENGINES:
        values = [v for vs in times[engine].values() for v in vs]
        summary[engine] = {p: percentile(values, p) for p in (50, 95, 99)}
        print(f"{engine:14} {summary[engine][50]:8.2f} {summary[engine][95]:8.2f} {summary[engine][99]:8.2f} "
              f"{statistics.fmean(values):8.2f}")

    def per_query_ratio(a: str, b: str) -> float:
        return statistics.median(
            statistics.median(times[a][s["name"]]) / statistics.median(times[b][s["name"]]) for s in QUERIES
        )

    print()
    for a, b in (("ours+facets", "fts5+facets"), ("ours+facets", "fts5+fac+snip"), ("ours", "fts5"),
                 ("ours+facets", "whoosh+facets"),
                 ("ours", "whoosh")):
        ratios = "  ".join(f"p{p} {summary[a][p] / summary[b][p]:.2f}" for p in (50, 95, 99))
        print(f"ratio {a}/{b}: {ratios}  median per-query {per_query_ratio(a, b):.2f}")
    verdict = "PASS" if summary["ours+facets"][50] <= summary["fts5+facets"][50] else "FAIL"
    print(f"bar 'facets no slower than FTS5' (p50): {verdict};  ours+facets p95 {summary['ours+facets'][95]:.1f} ms "
          f"(bar at 100k: < 50 ms)")

    print_exploration(ours, args.repeat)

    rss = subprocess.run(
        [sys.executable, __file__, "--rss-only", "--index", str(index_dir)],
        check=True, capture_output=True, text=True,
    )
    figures = json.loads(rss.stdout.strip().splitlines()[-1])
    print(f"RSS, fresh process serving our index of {figures['articles']:,} articles: after imports "
          f"{figures['imports_mib']:.0f} MiB, opened {figures['opened_mib']:.0f} MiB, after the set twice "
          f"{figures['after_set_mib']:.0f} MiB, peak {figures['peak_mib']:.0f} MiB (bar at 100k: < 1024 MiB)")

    if args.breakdown:
        print_breakdown(ours, args.breakdown)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            for spec in QUERIES:
                run["ours+facets"](spec)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"\nprofile of ours+facets, {args.profile} x {len(QUERIES)} queries, top 20 by cumulative time:")
        stats.sort_stats("cumulative").print_stats(20)
        print("top 15 by own time:")
        stats.sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
