"""The `newsindex` command: ingest, search, quotes, export, serve, stats, delete, optimize.

Exit codes: 0 success; 1 failure (no index, index locked, the disk full or
read-only, a damaged index, `check` found damage); 2 usage error; 3 ingest
finished but skipped some input (listed on stderr); 130 interrupted (what was
committed stays). Failures are one line on stderr, never a traceback
(NEWSINDEX_DEBUG=1 shows it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

DEFAULT_INDEX = os.environ.get("NEWSINDEX_INDEX_DIR", "indexes/default")
DEFAULT_CLUSTER = os.environ.get("NEWSINDEX_CLUSTER") or None
CLUSTER_COMMANDS = ("ingest", "search", "quotes", "export", "serve", "stats", "delete")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEFAULT_LOCK_WAIT = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    from search import IndexLockedError, IndexNotFoundError, InvalidRequest
    from search.storage_errors import IndexStorageError

    try:
        return args.run(args)
    except (IndexNotFoundError, IndexLockedError, IndexStorageError) as exc:
        print(f"newsindex: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except InvalidRequest as exc:
        for name, messages in exc.errors.items():
            print(f"newsindex: --{name}: {' '.join(messages)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsindex: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`newsindex stats | head -1`): nothing is wrong
        # with the index, so say nothing; stdout goes to devnull so the exit flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:  # the last resort: one line, not a traceback
        return _unexpected(args, exc)


def _unexpected(args, exc: Exception) -> int:
    from search.check import diagnose

    if os.environ.get("NEWSINDEX_DEBUG"):
        raise exc
    index = getattr(args, "index", None)
    found = diagnose(index, exc) if index else None
    if found is not None:
        print(f"newsindex: {found}", file=sys.stderr)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"newsindex: {where}{exc.strerror or exc}", file=sys.stderr)
    else:
        print(f"newsindex: unexpected error ({type(exc).__name__}: {exc}); "
              "NEWSINDEX_DEBUG=1 shows where", file=sys.stderr)
    return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsindex",
        description="Index news articles (people, places, dates) and search them.",
        epilog="Exit codes: 0 ok, 1 failed, 2 usage, 3 ingest skipped some input, 130 interrupted.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument(
            "--index", default=DEFAULT_INDEX, metavar="DIR",
            help=f"index folder (default: {DEFAULT_INDEX}; env NEWSINDEX_INDEX_DIR)",
        )
        if name in CLUSTER_COMMANDS:
            sub.add_argument(
                "--cluster", default=DEFAULT_CLUSTER, metavar="ADDR",
                help="a Dask scheduler (tcp://HOST:PORT): DIR is a sharded index its workers write and serve "
                "(needs the cluster extra; env NEWSINDEX_CLUSTER)",
            )
        sub.set_defaults(run=run, command=name)
        return sub

    p = command("ingest", "Add article files, folders (recursive) or JSON Lines to the index. "
                "Re-running is idempotent; changed articles replace their old version.", run_ingest)
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt articles, .jsonl or .jsonl.gz files, folders")
    p.add_argument("--workers", type=int, default=None, help="analysis processes (default: all cores)")
    p.add_argument("--batch-size", type=int, default=2000, help="articles per commit (default: 2000)")
    p.add_argument("--max-bytes", type=int, default=None, help="skip files larger than this (default: 20 MB)")
    p.add_argument("--shards", type=int, default=None,
                   help="with --cluster: shards of a new sharded index (default 4; fixed once created)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--optimize", action="store_true",
        help="merge the index into one segment afterwards (slower ingest, faster queries; see 'optimize')",
    )
    p.add_argument(
        "--wait", type=float, default=DEFAULT_LOCK_WAIT, metavar="SECONDS",
        help="when another ingest or delete holds the index, wait this long for it before giving up "
        f"(default: {DEFAULT_LOCK_WAIT:g}; 0: give up at once)",
    )

    p = command("search", "Search the index and print a table of hits and facet counts.", run_search)
    p.add_argument("q", nargs="?", default="", help='query: words (AND), OR, NOT, "phrase", prefix*')
    _search_filters(p)
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"), help="order (default: relevance with a query)")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=10, help="hits per page (max 100)")
    p.add_argument(
        "--facets", default="people,places,month",
        help="comma-separated: people,places,organisations,countries,month,year",
    )
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")

    p = command("quotes", "Search quotations: who said what. Each result is one quote; "
                "counts count quotes.", run_quotes)
    p.add_argument("q", nargs="?", default="", help="words to find within the quoted words (query syntax as search)")
    p.add_argument("--speaker", action="append", default=[], help="who said it (repeatable: any of them)")
    _search_filters(p)
    p.add_argument("--kind", action="append", default=[], choices=("direct", "mixed", "indirect"),
                   help="only quotes of this kind (repeatable)")
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"), help="order (default: relevance with a query)")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=10, help="quotes per page (max 100)")
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")

    p = command("export", "Write every hit of a search, in order, as CSV or NDJSON to standard output.", run_export)
    p.add_argument("q", nargs="?", default="", help="query, as for search")
    _search_filters(p)
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"))
    # The choices are search.export.FORMATS, written out so that --help need not import the engine.
    p.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    p.add_argument("--max-rows", type=int, default=100_000, help="row cap (default: 100000)")

    p = command("serve", "Serve the web page and the JSON API (waitress; --debug for Flask's dev server).", run_serve)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default: 5000)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (default: 8)")
    p.add_argument("--debug", action="store_true", help="Flask's development server with the debugger")

    p = command("stats", "Show the article count, date range, index size and last ingest.", run_stats)
    p.add_argument("--json", action="store_true")

    p = command("delete", "Delete articles by id.", run_delete)
    p.add_argument("ids", nargs="+", metavar="ID")

    command(
        "optimize",
        "Merge the index's segments into one: queries after a large ingest get faster "
        "(30 mixed queries on 10k articles: p50 6.1 -> 4.8 ms). Also rewrites every segment's "
        "posting arrays (repairs missing or damaged ones).",
        run_optimize,
    )

    p = command(
        "check",
        "Verify the index like Lucene's CheckIndex: open every segment, read every stored article, "
        "term and posting list and the posting arrays, and compare their counts. Exit 1 if anything is "
        "damaged. Repairs: 'newsindex optimize' (or --repair) rewrites damaged or missing posting "
        "arrays; a damaged segment cannot be read back by anything, so --repair drops it and an "
        "ingest of the same sources adds its articles back.",
        run_check,
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--repair", action="store_true",
        help="drop damaged segments (their articles leave the index) and rewrite damaged posting arrays",
    )
    return parser


def _search_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--person", action="append", default=[], help="only articles mentioning this person (repeatable)"
    )
    p.add_argument("--place", action="append", default=[], help="only articles mentioning this place (repeatable)")
    p.add_argument("--organisation", action="append", default=[],
                   help="only articles mentioning this organisation (repeatable)")
    p.add_argument("--from", dest="date_from", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", help="up to this date, inclusive")


def _open(args):
    """Return the backend of --index: the single index, or with --cluster the sharded one."""
    if getattr(args, "cluster", None):
        from search.cluster.backend import open_cluster

        return open_cluster(args.index, args.cluster, keeper=False)
    from search import open_index

    return open_index(args.index)


def run_export(args) -> int:
    from tqdm import tqdm

    from search import SearchRequest
    from search.export import csv_lines, ndjson_lines

    request = SearchRequest.build(
        q=args.q, person=args.person, place=args.place, organisation=args.organisation, date_from=args.date_from,
        date_to=args.date_to, sort=args.sort, facets=[],
    )
    total, rows = _open(args).export(request, max(1, args.max_rows))
    written = min(total, args.max_rows)
    with tqdm(total=written, unit="row", file=sys.stderr, dynamic_ncols=True) as bar:

        def counted(rows):
            for row in rows:
                bar.update(1)
                yield row

        lines = csv_lines(counted(rows)) if args.format == "csv" else ndjson_lines(counted(rows))
        for chunk in lines:
            sys.stdout.write(chunk)
    if total > written:
        print(f"newsindex: wrote the first {written} of {total} rows (--max-rows)", file=sys.stderr)
    return EXIT_OK


def run_ingest(args) -> int:
    from tqdm import tqdm

    from search import ingest
    from search.articles import DEFAULT_MAX_BYTES

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"newsindex: {p}: no such file or folder", file=sys.stderr)
    total = _count_inputs(args.paths)
    bar = tqdm(total=total or None, unit="article", disable=args.quiet or None, file=sys.stderr, dynamic_ncols=True)
    try:
        if args.cluster:
            from distributed import Client

            from search.cluster.ingest import DEFAULT_BATCH, cluster_ingest

            with Client(args.cluster, timeout="10s", set_as_default=False) as client:
                report = cluster_ingest(
                    args.index, args.paths, client, shards=args.shards,
                    batch_size=min(args.batch_size, DEFAULT_BATCH),
                    max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=bar.update,
                )
        else:
            report = waiting_for_the_lock(
                lambda: ingest(
                    args.index, args.paths, batch_size=args.batch_size, workers=args.workers,
                    max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=bar.update,
                ),
                args.wait, args.index,
            )
    finally:
        bar.close()
    if not (report.added or report.updated or report.unchanged or report.skipped or report.interrupted):
        print(f"nothing to ingest: no articles in {', '.join(args.paths)}"
              " (.txt files, .jsonl or .jsonl.gz files, or folders of them)")
        return EXIT_SKIPPED if missing else EXIT_OK
    if args.optimize and not args.cluster and not report.interrupted and report.indexed:
        from search import optimize

        optimize(args.index)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"skipped {len(report.skipped)} in {report.seconds:.1f}s"
            + (" (interrupted: run again to finish)" if report.interrupted else "")
        )
    for item in report.skipped:
        print(f"skipped {item}", file=sys.stderr)
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_SKIPPED if report.skipped or missing else EXIT_OK


def _count_inputs(paths) -> int:
    """Return a cheap estimate of how many articles `paths` hold, for the progress bar's ETA."""
    from search.articles import JSONL_SUFFIXES, TEXT_SUFFIXES

    count = 0
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                files.extend(Path(root) / n for n in names if not n.startswith("."))
        elif path.exists():
            files.append(path)
    for f in files:
        name = f.name
        if name.endswith(".jsonl"):
            try:
                with open(f, "rb") as stream:
                    count += sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
            except OSError:
                pass
        elif name.endswith(TEXT_SUFFIXES) or (f in map(Path, paths) and not name.endswith(JSONL_SUFFIXES)):
            count += 1
    return count


def waiting_for_the_lock(write, wait: float, index: str):
    """Return `write()`, retried while another writer holds the index's lock, for up to
    `wait` seconds (the engine refuses at once, before reading any input)."""
    import time

    from search import IndexLockedError

    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while True:
        try:
            return write()
        except IndexLockedError as exc:
            if time.monotonic() >= deadline:
                waited = f" after waiting {wait:g}s" if wait > 0 else ""
                raise IndexLockedError(
                    f"{index}: the index is locked by another ingest or delete; gave up{waited} "
                    "(run again when it has finished, or pass --wait SECONDS)"
                ) from exc
            if not told:
                print(f"newsindex: {index}: another ingest or delete is writing; waiting up to {wait:g}s",
                      file=sys.stderr)
                told = True
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


def run_check(args) -> int:
    from search.check import check_index, repair_advice, repair_index

    report = check_index(args.index)
    repaired = repair_index(args.index, report) if args.repair and not report.ok else []
    if args.json:
        print(json.dumps({**report.as_dict(), "repaired": repaired}, indent=2))
    else:
        print(f"index {report.path}: generation {report.generation}, {len(report.segments)} segments, "
              f"{report.articles} articles ({report.seconds:.1f}s)")
        for problem in report.problems:
            print(f"  DAMAGED: {problem}")
        for s in report.segments:
            state = "DAMAGED" if s.damaged else ("posting arrays damaged" if s.array_problems else "OK")
            print(f"segment {s.id}: {s.documents} articles, {s.deleted} deleted, {len(s.files)} files: {state}")
            print(f"  stored articles read: {s.stored_read}; terms: {s.terms}; postings: {s.postings}; "
                  f"posting arrays: {s.posting_arrays}")
            for problem in s.problems + s.array_problems:
                print(f"  DAMAGED: {problem}")
        for note in report.notes:
            print(f"note: {note}")
        damaged = report.damaged_segments
        if report.ok:
            print("no damage found")
        else:
            lost = sum(s.documents for s in damaged)
            print(f"DAMAGED: {len(damaged)} of {len(report.segments)} segments ({lost} articles)"
                  + (", posting arrays" if any(s.array_problems for s in report.segments) else ""))
        for line in repaired or repair_advice(report):
            print(("repaired: " if repaired else "repair: ") + line)
    return EXIT_OK if report.ok else EXIT_FAILED


def run_search(args) -> int:
    from api.schemas import SearchResponseSchema

    result = _open(args).search(
        q=args.q, person=args.person, place=args.place, organisation=args.organisation, date_from=args.date_from,
        date_to=args.date_to, sort=args.sort, page=args.page, size=args.size,
        facets=args.facets.split(",") if args.facets else [],
    )
    answer = SearchResponseSchema().dump(result)  # as the API answers it
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{answer['total']} articles ({answer['took_ms']} ms)")
    for n, hit in enumerate(answer["results"], start=(answer["page"] - 1) * answer["size"] + 1):
        print(f"{n:>4}. {hit['date']}  {hit['id']}  {_clip(hit['title'] or hit['headline'], 80)}")
        for snippet in hit["snippets"][:1]:
            print(f"      {_clip(_plain(snippet), 110)}")
        if hit["people"] or hit["places"]:
            people, places = ", ".join(hit["people"][:5]), ", ".join(hit["places"][:5])
            print(f"      people: {people or '-'} | places: {places or '-'}"
                  + (f" | organisations: {', '.join(hit['organisations'][:5])}" if hit["organisations"] else ""))
    for name, facet in answer["facets"].items():
        values = [f"{v['value']} ({v['count']})" for v in facet["results"]]
        if name in ("month", "year"):
            values = [f"{v['value']} ({v['count']})" for v in facet["results"] if v["count"]]
        print(f"{name}: {', '.join(values) or '-'}{' …' if facet['truncated'] else ''}")
    if answer["next"]:
        print(f"more: --page {answer['page'] + 1}")
    return EXIT_OK


def run_quotes(args) -> int:
    from api.schemas import QuoteResponseSchema

    result = _open(args).quotes(
        q=args.q, speaker=args.speaker, kind=args.kind, person=args.person, place=args.place,
        organisation=args.organisation,
        date_from=args.date_from, date_to=args.date_to, sort=args.sort, page=args.page, size=args.size,
    )
    answer = QuoteResponseSchema().dump(result)  # as the API answers it
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{answer['total']} quotes ({answer['took_ms']} ms)")
    for n, hit in enumerate(answer["results"], start=(answer["page"] - 1) * answer["size"] + 1):
        who = hit["speaker"] or "(unattributed)"
        print(f"{n:>4}. {hit['date']}  {who}, {hit['cue'] or '-'} ({hit['kind']}):")
        print(f"      \u201c{_clip(_plain(hit['text']), 110)}\u201d")
        print(f"      {hit['id']}  {_clip(hit['headline'], 90)}")
    speakers = answer["facets"].get("speaker")
    if speakers:
        values = [f"{v['value']} ({v['count']})" for v in speakers["results"]]
        print(f"speakers: {', '.join(values) or '-'}{' …' if speakers['truncated'] else ''}")
    if answer["next"]:
        print(f"more: --page {answer['page'] + 1}")
    return EXIT_OK


def _plain(snippet: str) -> str:
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_serve(args) -> int:
    from api.app import create_app
    from search.engine import warm_if_present

    app = create_app({"INDEX_DIR": args.index, "CLUSTER": args.cluster})
    if not args.cluster:
        warm_if_present(app.extensions["newsindex"].get, follow=True)  # before it listens: first queries as fast
    url = f"http://{args.host}:{args.port}"
    print(f"newsindex: serving {args.index}: page {url}/, API {url}/api/v1/search (docs {url}/api/v1/docs)",
          file=sys.stderr)
    try:
        if args.debug:
            app.run(host=args.host, port=args.port, debug=True)
            return EXIT_OK
        import waitress

        waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="newsindex")
    except OSError as exc:  # the address is taken (another server) or not this machine's
        print(f"newsindex: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
              "stop the other server or pass --port", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def run_stats(args) -> int:
    from api.schemas import StatsSchema

    stats = StatsSchema().dump(_open(args).stats())
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return EXIT_OK


def run_delete(args) -> int:
    if args.cluster:
        from distributed import Client

        from search.cluster.ingest import cluster_delete

        with Client(args.cluster, timeout="10s", set_as_default=False) as client:
            deleted, missing = cluster_delete(args.index, args.ids, client)
    else:
        from search import delete

        deleted, missing = delete(args.index, args.ids)
    print(f"deleted {len(deleted)}" + (f"; not found: {', '.join(missing)}" if missing else ""))
    return EXIT_OK if not missing else EXIT_FAILED


def run_optimize(args) -> int:
    from search import optimize

    optimize(args.index)
    print("optimized")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
