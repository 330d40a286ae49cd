"""`ClusterBackend`: the engine's front door over a sharded index on a Dask cluster.

One `ShardHost` actor per worker holds that worker's shards. A search is
  1. statistics: every shard's document count, field lengths and the document
     frequencies of the query's terms (only when results are ranked by score);
  2. search: every shard scores with the summed statistics and answers its total,
     its best page-window of (score, date, id) and its facet counts;
  3. render: the owners of the merged page's hits make their snippets.
Each phase is one actor call per worker, sent to all at once and awaited against a
per-phase deadline (ActorFutures cannot be waited on together). A host that fails is
dropped at once, one that misses its deadline (a hung worker: Dask notices only after
minutes) is shunned; the answer is partial, with `shards: {total, successful,
failed}`. A keeper thread re-creates the lost shards on the surviving or new workers
(Dask never restores an actor whose worker died), so they come back without a restart.

The corpus's names (vocabulary, aliases, counts) form a `View`, rebuilt whenever a
shard reports a generation the view does not know (after an ingest or a delete).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from search import index as idx
from search.analysis import analysis_version
from search.answers import (
    Article,
    EntityList,
    EntityPage,
    PeriodCount,
    SearchResult,
    ShardCounts,
    Stats,
    Timeline,
    TopArticle,
)
from search.articles import Article as InputArticle
from search.cluster import merge
from search.cluster.ingest import cluster_delete, cluster_ingest
from search.cluster.manifest import read_manifest
from search.cluster.merge import ShardsUnavailableError
from search.cluster.placement import Placement, _Host
from search.cluster.quotes import QuoteAnswers
from search.cluster.routing import shard_of
from search.cluster.shard import CorpusStatistics, View
from search.cluster.similar import SimilarAnswers
from search.cluster.spelling import SpellingAnswers
from search.errors import ArticleNotFoundError, EntityNotFoundError
from search.explore import (
    QUOTES_ON_PAGE,
    RECENT_FORMS,
    associations_from_counts,
    timeline_from_days,
    timeline_requests,
)
from search.facets import ENTITY_FIELDS, histogram
from search.kinds import BY_FIELD, ORGANISATIONS, PAGE_KINDS, PEOPLE, PLACES, kind
from search.query import SearchRequest, date_facet_from_days, encode_cursor, facet_from_counts
from search.results import entity_list_request, ranked_names
from search.suggest import closest_names

PHASE_SHARE = 0.3  # of the request's time limit, a phase's deadline
EXPORT_CHUNK = 500
STATISTICS_KEPT = 512  # queries whose corpus statistics are kept (per view)


@dataclass
class _Phase:
    """What one phase got: each shard's value, and the shards that failed."""

    values: dict[str, object]
    failed: set[str]
    stale: bool = False


class ClusterBackend(Placement, QuoteAnswers, SimilarAnswers, SpellingAnswers):
    """A SearchBackend over the shards listed in DIR/cluster.json, served by Dask actors."""

    def __init__(
        self,
        path: str | os.PathLike,
        address: str | None = None,
        *,
        client=None,
        time_limit: float | None = 10.0,
        phase_timeout: float | None = None,
        keeper: bool = True,
    ):
        from distributed import Client

        self.path = Path(path)
        self.manifest = read_manifest(self.path)
        self.shard_paths = {s.name: str(self.path / s.name) for s in self.manifest.shards}
        self.names = tuple(self.shard_paths)
        self._own_client = client is None
        self.client = client or Client(address, direct_to_workers=True, timeout="10s", set_as_default=False)
        self.time_limit = time_limit or 10.0
        # A phase waits for a host at most this long: a hung host costs one phase of the
        # request, the others still have the time to answer without it.
        self.phase_timeout = phase_timeout or self.time_limit * PHASE_SHARE
        self._hosts: dict[str, _Host] = {}
        self._shunned: dict[str, float] = {}
        self._lock = threading.RLock()
        self._recover_lock = threading.Lock()
        self._view: View | None = None
        self._statistics_cache: OrderedDict[tuple, CorpusStatistics] = OrderedDict()
        self._corpus_names: merge.CorpusNames | None = None
        self._view_failed: set[str] = set()
        self._stop = threading.Event()
        self.recover()
        self._keeper = None
        if keeper:
            self._keeper = threading.Thread(target=self._keep, name="newsindex-shard-keeper", daemon=True)
            self._keeper.start()

    # Hosts: placement and recovery

    def close(self) -> None:
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=2)
        if self._own_client:
            self.client.close()

    # Scatter and gather

    def _deadline(self, deadline: float) -> float:
        return min(deadline, time.monotonic() + self.phase_timeout)

    def _scatter(self, method: str, deadline: float, args_of=None, **kwargs) -> tuple[dict[str, dict], set[str]]:
        """Call `method` on every healthy host (with `args_of(host)` kwargs, None to skip
        it) at once; return (answers per shard, failed shards)."""
        with self._lock:
            hosts = [h for h in self._hosts.values() if h.healthy]
        calls = []
        failed = set(self.names) - {s for h in hosts for s in h.shards}
        for host in hosts:
            extra = args_of(host) if args_of else {}
            if extra is None:
                continue
            try:
                calls.append((host, getattr(host.actor, method)(**kwargs, **extra)))
            except Exception:
                self._drop(host, hung=False)
                failed |= host.shards
        answers: dict[str, dict] = {}
        started = time.monotonic()
        phase_deadline = self._deadline(deadline)
        # Only a host that had the phase's whole time is hung; when the request's own
        # time runs out first, the host is late for this answer, not dropped.
        had_its_time = phase_deadline < deadline
        late = [(h, f) for h, f in calls if self._take(h, f, phase_deadline, answers, failed) is None]
        if late and len(late) == len(calls) and had_its_time:
            # No host answered in the phase's time: the machine is slow (a loaded CI
            # runner, a burst of requests), not every host hung. Wait for the first
            # answer up to the request's deadline, then give the others as long again.
            late = self._wait_for_a_first(late, started, deadline, answers, failed)
        for host, _ in late:
            if had_its_time:
                self._drop(host, hung=True)
            failed |= host.shards
        return answers, failed

    def _take(self, host: _Host, future, until: float, answers: dict, failed: set) -> bool | None:
        """Wait for a host's answer until `until`; True when it answered (into `answers`),
        False when it failed (its shards into `failed`), None when it is late."""
        try:
            out = future.result(timeout=max(until - time.monotonic(), 0.001))
        except TimeoutError:
            return None
        except Exception:
            self._drop(host, hung=False)
            failed |= host.shards
            return False
        if isinstance(out, dict) and out.get("need_view"):
            answers.update({s: {"need_view": True} for s in host.shards})
        elif isinstance(out, dict):
            answers.update(out)
        return True

    def _wait_for_a_first(self, late: list, started: float, deadline: float, answers: dict, failed: set) -> list:
        """Poll the late hosts until one answers (or the request's deadline); then wait for
        the others until it took them twice as long as the first; return those still late."""
        first = None
        while first is None and late and time.monotonic() < deadline:
            for item in [item for item in late if item[1].done()]:
                late.remove(item)
                if self._take(*item, deadline, answers, failed):
                    first = time.monotonic()
            if first is None:
                time.sleep(0.002)
        if first is None:
            return late
        grace = min(deadline, first + (first - started))
        return [(h, f) for h, f in late if self._take(h, f, grace, answers, failed) is None]

    def _run(self, phase: str, deadline: float, per_shard: dict | None = None, **kwargs) -> _Phase:
        """Run a phase of the current view on the shards (all, or those of `per_shard`)."""
        view = self._ensure_view(deadline)
        for _attempt in range(2):

            def args_of(host: _Host):
                if per_shard is None:
                    return {"per_shard": None}
                mine = {s: a for s, a in per_shard.items() if s in host.shards}
                return {"per_shard": mine} if mine else None

            answers, failed = self._scatter("run", deadline, args_of, phase=phase, view_key=view.key, **kwargs)
            if any("need_view" in a for a in answers.values()):
                self._send_view(view, deadline)
                continue
            break
        wanted = set(per_shard) if per_shard is not None else set(self.names)
        values, stale = {}, False
        for name in wanted:
            answer = answers.get(name)
            if answer is None or name in failed:
                failed.add(name)
            elif "ok" in answer:
                values[name] = answer["ok"]
            else:
                stale |= bool(answer.get("stale"))
                failed.add(name)
        return _Phase(values, failed & wanted, stale)

    # The corpus's names

    def _ensure_view(self, deadline: float) -> View:
        view = self._view
        if view is not None:
            return view
        with self._lock:
            if self._view is not None:
                return self._view
            answers, failed = self._scatter("raw_counts", deadline)
            raw, key = [], []
            for name in self.names:
                answer = answers.get(name)
                if answer and "ok" in answer:
                    generation, counts = answer["ok"]
                    raw.append(counts)
                    key.append((name, generation))
                else:
                    failed.add(name)
            if not key:
                raise ShardsUnavailableError("no shard of the index answered")
            # Which people the archive's evidence shows are organisations is judged on the
            # corpus's counts; the names' counts after that judgement are then the shards'
            # (a moved name and an organisation's own name count once per article).
            moved, unlisted = merge.judgement(raw)
            if moved or unlisted:
                answers, judged_failed = self._scatter(
                    "judged_counts", deadline, generations=dict(key), moved=moved, unlisted=unlisted
                )
                raw = [answers[name]["ok"] for name, _ in key if "ok" in answers.get(name, {})]
                key = [(name, g) for name, g in key if "ok" in answers.get(name, {})]
                failed |= judged_failed | {name for name in self.names if name not in dict(key)}
                if not key:
                    raise ShardsUnavailableError("no shard of the index answered")
            vocab, aliases = merge.merged_vocabulary(raw)
            view = View(tuple(key), vocab, aliases, moved, unlisted)
            self._send_view(view, deadline)
            self._view = view
            totals = self._run("counts", deadline, request=SearchRequest.build(size=1, facets=[]), fields=ENTITY_FIELDS)
            self._corpus_names = merge.corpus_names(
                vocab,
                aliases,
                {
                    f: merge.add_sparse(len(vocab[f]), [v["counts"][f] for v in totals.values.values()])
                    for f in ENTITY_FIELDS
                },
                moved,
                unlisted,
            )
            self._view_failed = failed | totals.failed
            return view

    def _send_view(self, view: View, deadline: float) -> None:
        self._scatter("set_view", deadline, view=view)

    def _invalidate(self, view: View) -> None:
        with self._lock:
            if self._view is view:
                self._view = None

    def _names(self, deadline: float) -> merge.CorpusNames:
        self._ensure_view(deadline)
        return self._corpus_names

    def _shards(self, failed: set[str]) -> ShardCounts:
        return ShardCounts(len(self.names), len(self.names) - len(failed), len(failed))

    def _with_view(self, work, deadline: float):
        """Run `work(view)` (which returns (answer, failed, stale)), rebuilding the view
        once when a shard has moved on to a new generation."""
        for _attempt in range(3):
            view = self._ensure_view(deadline)
            answer, failed, stale = work(view)
            if not stale:
                break
            self._invalidate(view)
        if len(failed) == len(self.names):
            raise ShardsUnavailableError("no shard of the index answered in time")
        return answer, failed

    # Search

    def search(self, request: SearchRequest | None = None, *, with_suggestion: bool = True, **params) -> SearchResult:
        request = request or SearchRequest.build(**params)
        started = time.perf_counter()
        deadline = time.monotonic() + self.time_limit

        def work(view: View):
            corpus, failed = None, set()
            scored = request.sort == "relevance" and bool(request.q)
            if scored:
                corpus, failed, stale = self._statistics(view, request.q, deadline)
                if stale:
                    return None, failed, True
            found = self._run("search", deadline, corpus=corpus, request=request, window=request.page * request.size)
            return (found, scored), failed | found.failed, found.stale

        (found, scored), failed = self._with_view(work, deadline)
        names = self._corpus_names
        candidates = [c + (shard,) for shard, value in found.values.items() for c in value["candidates"]]
        candidates.sort(key=merge.order_key(scored, request.sort == "oldest"))
        start, limit = (request.page - 1) * request.size, request.page * request.size
        page = candidates[start:limit]
        hits = self._render(request, page, deadline, failed)
        facets = {}
        for name in request.facets:
            if name in BY_FIELD:
                counts = merge.add_sparse(len(names.vocab[name]), [v["counts"][name] for v in found.values.values()])
                selected = getattr(request, BY_FIELD[name].param)
                facets[name] = facet_from_counts(names.vocab[name], name, counts, request.facet_size, selected)
            else:
                days = merge.joined_days([v["days"] for v in found.values.values()])
                facets[name] = date_facet_from_days(name, days, request)
        total = sum(v["total"] for v in found.values.values())
        partial = bool(failed) or any(v["partial"] for v in found.values.values())
        wanted = with_suggestion and (request.q or any(getattr(request, k.param) for k in PAGE_KINDS)) and not partial
        return SearchResult(
            total=total,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            page=request.page,
            size=request.size,
            sort=request.sort,
            results=hits,
            facets=facets,
            next=encode_cursor(request.page + 1) if total > limit else None,
            suggestion=self.suggestion(request, total) if wanted else None,
            partial=partial,
            shards=self._shards(failed),
        )

    def _statistics(self, view: View, q: str, deadline: float) -> tuple[CorpusStatistics, set[str], bool]:
        """Return the corpus's statistics of `q`'s terms at the view's generations (kept for
        the view: paging and drill-down ask again), the shards that failed, and whether a
        shard has moved on."""
        with self._lock:
            cached = self._statistics_cache.get((view.key, q))
        if cached is not None:
            return cached, set(), False
        answers, failed = self._scatter("statistics", deadline, q=q)
        generations = view.generations
        doc_count, lengths, frequencies = 0, {}, {}
        for name in self.names:
            answer = answers.get(name)
            if not answer or "ok" not in answer:
                failed.add(name)
                continue
            value = answer["ok"]
            if generations.get(name) != value["generation"]:
                return None, failed, True
            doc_count += value["doc_count_all"]
            for f, n in value["field_length"].items():
                lengths[f] = lengths.get(f, 0) + n
            for term, n in value["doc_frequency"].items():
                frequencies[term] = frequencies.get(term, 0) + n
        corpus = CorpusStatistics(doc_count, lengths, frequencies)
        if not failed:
            with self._lock:
                self._statistics_cache[(view.key, q)] = corpus
                while len(self._statistics_cache) > STATISTICS_KEPT:
                    self._statistics_cache.popitem(last=False)
        return corpus, failed, False

    def _render(self, request: SearchRequest, page: list, deadline: float, failed: set[str]) -> tuple:
        if not page:
            return ()
        per_shard: dict[str, dict] = {}
        for score, _day, _id, docnum, shard in page:
            per_shard.setdefault(shard, {"request": request, "page": []})["page"].append((docnum, score))
        rendered = self._run("render", deadline, per_shard=per_shard)
        failed |= rendered.failed
        by_shard = {s: iter(hits) for s, hits in rendered.values.items()}
        return tuple(next(by_shard[shard]) for *_, shard in page if shard in by_shard)

    def export(self, request: SearchRequest, max_rows: int) -> tuple[int, Iterator[dict]]:
        deadline = time.monotonic() + self.time_limit
        whole = replace(request, page=1, size=max(1, max_rows), facets=())

        def work(view: View):
            corpus, failed = None, set()
            scored = whole.sort == "relevance" and bool(whole.q)
            if scored:
                corpus, failed, stale = self._statistics(view, whole.q, deadline)
                if stale:
                    return None, failed, True
            found = self._run("search", deadline, corpus=corpus, request=whole, window=max(1, max_rows))
            return (found, scored), failed | found.failed, found.stale

        (found, scored), _failed = self._with_view(work, deadline)
        candidates = [c + (shard,) for shard, value in found.values.items() for c in value["candidates"]]
        candidates.sort(key=merge.order_key(scored, whole.sort == "oldest"))
        candidates = candidates[:max_rows]
        total = sum(v["total"] for v in found.values.values())

        def rows() -> Iterator[dict]:
            for start in range(0, len(candidates), EXPORT_CHUNK):
                chunk = candidates[start : start + EXPORT_CHUNK]
                per_shard: dict[str, dict] = {}
                for score, _day, _id, docnum, shard in chunk:
                    per_shard.setdefault(shard, {"page": []})["page"].append((docnum, score))
                got = self._run("rows", time.monotonic() + self.time_limit, per_shard=per_shard)
                by_shard = {s: iter(r) for s, r in got.values.items()}
                for *_, shard in chunk:
                    if shard in by_shard:  # a shard lost mid-export: its rows are missing
                        yield next(by_shard[shard])

        return total, rows()

    # Articles, lists, pages, timelines

    def article(self, article_id: str) -> Article:
        deadline = time.monotonic() + self.time_limit
        shard = self.names[shard_of(article_id, len(self.names))]

        def work(view):
            got = self._run("article", deadline, per_shard={shard: {"article_id": article_id}})
            return got.values.get(shard), got.failed, got.stale

        for _attempt in range(3):
            view = self._ensure_view(deadline)
            found, failed, stale = work(view)
            if not stale:
                break
            self._invalidate(view)
        if failed:
            raise ShardsUnavailableError(f"the shard of article {article_id!r} did not answer")
        if found is None:
            raise ArticleNotFoundError(article_id)
        return found

    def entities(self, kind_name: str, *, prefix: str | None = None, size: int | None = 20, **filters) -> EntityList:
        request, prefix, size = entity_list_request(kind_name, prefix, size, filters)
        deadline = time.monotonic() + self.time_limit

        def work(view):
            got = self._run("counts", deadline, request=request, fields=(kind_name,))
            return got, got.failed, got.stale

        got, failed = self._with_view(work, deadline)
        names = self._corpus_names
        counts = merge.add_sparse(len(names.vocab[kind_name]), [v["counts"][kind_name] for v in got.values.values()])
        answer = ranked_names(names, kind_name, counts, prefix, size)
        return replace(answer, partial=bool(failed), shards=self._shards(failed))

    def entity(self, kind_name: str, name: str, *, size: int = 10, **filters) -> EntityPage:
        if kind_name not in {k.field for k in PAGE_KINDS}:
            raise ValueError(f"kind must be one of {', '.join(k.field for k in PAGE_KINDS)}, not {kind_name!r}")
        entity_kind = kind(kind_name)
        request = SearchRequest.build(**filters, size=1, facets=[])
        deadline = time.monotonic() + self.time_limit
        names = self._names(deadline)
        canonical = names.resolve(kind_name, name)
        value = names.value_id(kind_name, canonical) if canonical is not None else None
        if value is None or not names.totals[kind_name][value]:
            raise EntityNotFoundError(kind_name, name, closest_names(names, kind_name, name))

        def work(view):
            got = self._run("entity", deadline, field_name=kind_name, canonical=canonical, request=request)
            return got, got.failed, got.stale

        got, failed = self._with_view(work, deadline)
        names = self._corpus_names
        parts = list(got.values.values())
        mentions = sum(p["mentions"] for p in parts)
        days = merge.joined_days([p["days"] for p in parts])
        timeline = tuple(
            PeriodCount(label, first.isoformat(), last.isoformat(), count)
            for label, first, last, count in histogram(days, "month")
        )
        top: tuple = ()
        if mentions:
            param = entity_kind.param
            narrowed = replace(request, size=size, **{param: (*getattr(request, param), canonical)})
            top = self.search(narrowed, with_suggestion=False).results
        scope = sum(p["scope"] for p in parts)

        def associated(field_name: str):
            size_of = len(names.vocab[field_name])
            together = merge.add_sparse(size_of, [p["together"][field_name] for p in parts])
            overall = merge.add_sparse(size_of, [p["overall"][field_name] for p in parts])
            exclude = canonical if field_name == kind_name else None
            return tuple(associations_from_counts(names, field_name, together, overall, scope, mentions, exclude, size))

        forms = merge.surface_forms([r for p in parts for r in p["recent"]], RECENT_FORMS)
        aliases = sorted((set(forms) | set(names.expand(kind_name, canonical))) - {canonical})
        return EntityPage(
            name=canonical,
            kind=kind_name,
            aliases=tuple(aliases),
            articles=int(mentions),
            first_date=_iso_day(days.min()) if len(days) else None,
            last_date=_iso_day(days.max()) if len(days) else None,
            timeline=timeline,
            people=associated(PEOPLE.field),
            places=associated(PLACES.field),
            top_articles=tuple(TopArticle(r.id, r.date, r.headline) for r in top),
            organisations=associated(ORGANISATIONS.field),
            quotes=self._speaker_quotes(canonical, request, QUOTES_ON_PAGE, deadline)
            if kind_name == PEOPLE.field
            else None,
            partial=bool(failed),
            shards=self._shards(failed),
        )

    def timeline(self, series: list[str], *, interval: str = "month", date_from=None, date_to=None) -> Timeline:
        requests, bounds = timeline_requests(series, interval, date_from, date_to)
        deadline = time.monotonic() + self.time_limit

        def work(view):
            got = self._run("timeline", deadline, requests=[r for _, r in requests])
            return got, got.failed, got.stale

        got, failed = self._with_view(work, deadline)
        parts = list(got.values.values())
        found = [(text, merge.joined_days([p["series"][i] for p in parts])) for i, (text, _) in enumerate(requests)]
        everything = merge.joined_days([p["all"] for p in parts])
        answer = timeline_from_days(found, everything, interval, bounds)
        return replace(answer, partial=bool(failed), shards=self._shards(failed))

    def stats(self) -> Stats:
        deadline = time.monotonic() + self.time_limit
        answers, failed = self._scatter("stats", deadline)
        values = []
        for name in self.names:
            answer = answers.get(name)
            if answer and "ok" in answer:
                values.append(answer["ok"])
            else:
                failed.add(name)
        if not values:
            raise ShardsUnavailableError("no shard of the index answered")
        try:
            names = self._names(deadline)
            people = int(np.count_nonzero(names.totals[PEOPLE.field]))
            places = int(np.count_nonzero(names.totals[PLACES.field]))
            organisations = int(np.count_nonzero(names.totals[ORGANISATIONS.field]))
        except ShardsUnavailableError:
            people = places = organisations = 0
        firsts = [v["first_day"] for v in values if v["first_day"] is not None]
        lasts = [v["last_day"] for v in values if v["last_day"] is not None]
        manifest = read_manifest(self.path)
        versions = {v["analysis_version"] for v in values}
        version = versions.pop() if len(versions) == 1 else None
        return Stats(
            articles=sum(v["articles"] for v in values),
            date_from=_iso_day(min(firsts)) if firsts else None,
            date_to=_iso_day(max(lasts)) if lasts else None,
            people=people,
            places=places,
            organisations=organisations,
            segments=sum(v["segments"] for v in values),
            segments_with_posting_arrays=sum(v["segments_with_posting_arrays"] for v in values),
            index_bytes=sum(v["index_bytes"] for v in values),
            last_ingest=manifest.last_ingest,
            last_ingest_report=manifest.last_ingest_report,
            analysis_version=version,
            analysis_current=version == analysis_version(),
            shards=self._shards(failed),
        )

    # Writing

    def ingest(self, sources: Iterable[str | os.PathLike] | Iterable[InputArticle], **options) -> idx.IngestReport:
        allowed = {k: v for k, v in options.items() if k in ("batch_size", "max_bytes", "progress", "shards")}
        report = cluster_ingest(self.path, sources, self.client, **allowed)
        self.manifest = read_manifest(self.path)
        return report

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        return cluster_delete(self.path, ids, self.client)


def _iso_day(number) -> str:
    return np.datetime64(int(number), "D").astype(object).isoformat()


def open_cluster(path: str | os.PathLike, address: str | None = None, **options) -> ClusterBackend:
    """Return the backend of the sharded index at `path`, served by the cluster at `address`."""
    return ClusterBackend(path, address, **options)
