"""The sharded index on a Dask cluster (search/cluster): routing, the manifest,
answers exactly those of a single index of the same articles, idempotent ingest,
and partial answers when a worker is lost, then full ones once its shards are back.

Runs on an in-process `LocalCluster` (two workers, one thread each); the real
processes and SIGKILL are scripts/cluster_check.py's."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from api.app import create_app  # noqa: E402
from search import ingest, open_index  # noqa: E402
from search.answers import as_data  # noqa: E402
from search.articles import Article, read_articles  # noqa: E402
from search.cluster.backend import ClusterBackend, ShardsUnavailableError  # noqa: E402
from search.cluster.ingest import cluster_delete, cluster_ingest  # noqa: E402
from search.cluster.manifest import MANIFEST_FILE, read_manifest  # noqa: E402
from search.cluster.routing import shard_of  # noqa: E402
from search.errors import ArticleNotFoundError  # noqa: E402
from search.query import SearchRequest  # noqa: E402
from tests.conftest import ARTICLES, EXAMPLE  # noqa: E402

SHARDS = 4
COPIES = 3  # every article three times (ids <id>, <id>-r2, <id>-r3): equal scores, ties by id


def corpus_articles() -> list[Article]:
    originals = [a for a in read_articles([ARTICLES, EXAMPLE]) if isinstance(a, Article)]
    return originals + [replace(a, id=f"{a.id}-r{k}") for k in range(2, COPIES + 1) for a in originals]


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield local, client


@pytest.fixture(scope="module")
def built(tmp_path_factory, cluster):
    _, client = cluster
    root = tmp_path_factory.mktemp("cluster")
    articles = corpus_articles()
    ingest(root / "single", articles, workers=1)
    report = cluster_ingest(root / "sharded", articles, client, shards=SHARDS, batch_size=7)
    return root, report, len(articles)


@pytest.fixture(scope="module")
def both(built, cluster):
    root, _, _ = built
    sharded = ClusterBackend(root / "sharded", client=cluster[1])
    yield open_index(root / "single"), sharded
    sharded.close()


def _plain(answer) -> dict:
    data = as_data(answer)
    for key in ("took_ms", "shards", "partial"):
        data.pop(key, None)
    return data


# Routing and the manifest


def test_routing_is_a_stable_hash_of_the_id_not_pythons_salted_hash():
    assert [shard_of(i, 4) for i in ("a", "b", "oil-opec", "j-1", "000_7483b6d759d5b458")] == [3, 1, 3, 3, 0]
    spread = [0] * 4
    for i in range(4000):
        spread[shard_of(f"id-{i}", 4)] += 1
    assert min(spread) > 900, spread  # even: 1025 / 983 / 974 / 1018


def test_the_manifest_lists_every_shard_its_owner_and_count(built):
    root, report, count = built
    manifest = read_manifest(root / "sharded")
    assert report.added == count and not report.skipped
    assert [s.name for s in manifest.shards] == ["shard-00", "shard-01", "shard-02", "shard-03"]
    assert sum(s.articles for s in manifest.shards) == count
    assert all(s.owner and s.owner.startswith(("inproc://", "tcp://")) for s in manifest.shards)
    assert manifest.generation == 1
    assert json.loads((root / "sharded" / MANIFEST_FILE).read_text())["shards"][0]["name"] == "shard-00"
    assert not list((root / "sharded").glob(".*.tmp"))  # written to a temporary file, then renamed
    for number, entry in enumerate(manifest.shards):  # each article in its shard only
        held = open_index(root / "sharded" / entry.name).export(SearchRequest.build(), 1000)[1]
        assert all(shard_of(row["id"], SHARDS) == number for row in held)


# Exactly the single index's answers

SEARCHES = [
    {"q": "said"},
    {"q": "said", "page": 2, "size": 4},
    {"q": "oil OR trade", "size": 5},
    {"q": "president", "facets": ["people", "places", "countries", "month", "year"], "facet_size": 3},
    {"q": '"interest rates"'},
    {"q": "said NOT oil"},
    {"q": "pri*"},
    {},
    {"sort": "oldest", "size": 7, "page": 2},
    {"q": "said", "sort": "newest"},
    {"person": ["Joe Biden"]},
    {"q": "said", "place": ["London"], "date_from": "2023", "date_to": "2023-12"},
    {"place": ["Israel"], "place_scope": "country"},
    {"q": "said", "facets": ["organisations", "people"], "facet_size": 50},
]


@pytest.mark.parametrize("params", SEARCHES, ids=[json.dumps(p) for p in SEARCHES])
def test_searches_answer_as_the_single_index(both, params):
    single, sharded = both
    expected, got = single.search(**params), sharded.search(**params)
    assert _plain(got) == _plain(expected)
    assert got.shards.successful == SHARDS and not got.partial


def test_equal_scores_are_ordered_by_article_id_in_both(both):
    single, sharded = both
    for backend in both:
        results = backend.search(q="said", size=30).results
        for a, b in zip(results, results[1:], strict=False):
            assert (-a.score, a.id) < (-b.score, b.id)
    assert [h.id for h in single.search(size=30).results] == [h.id for h in sharded.search(size=30).results]


def test_cursors_page_through_the_same_hits(both):
    single, sharded = both
    first = sharded.search(q="said", size=4)
    second = sharded.search(SearchRequest.build(q="said", size=4, cursor=first.next))
    assert [h.id for h in second.results] == [h.id for h in single.search(q="said", size=4, page=2).results]


@pytest.mark.parametrize(
    "kind,options",
    [
        ("people", {}),
        ("places", {"size": 5}),
        ("countries", {}),
        ("people", {"prefix": "jo"}),
        ("places", {"q": "said", "date_from": "2024"}),
    ],
)
def test_entity_lists_answer_as_the_single_index(both, kind, options):
    single, sharded = both
    assert _plain(sharded.entities(kind, **options)) == _plain(single.entities(kind, **options))


def test_a_persons_page_answers_as_the_single_index(both):
    single, sharded = both
    for name in ("Joe Biden", "Benjamin Netanyahu"):
        expected = _plain(single.entity("people", name, size=5))
        assert _plain(sharded.entity("people", name, size=5)) == expected
    assert _plain(sharded.entity("places", "London")) == _plain(single.entity("places", "London"))


def test_a_two_series_timeline_answers_as_the_single_index(both):
    single, sharded = both
    series = ["person:Joe Biden", "q:oil;place:London"]
    assert _plain(sharded.timeline(series, interval="month")) == _plain(single.timeline(series, interval="month"))


def test_export_and_stats_answer_as_the_single_index(both):
    single, sharded = both
    request = SearchRequest.build(q="said", facets=[])
    (n1, rows1), (n2, rows2) = single.export(request, 1000), sharded.export(request, 1000)
    assert n1 == n2 and list(rows1) == list(rows2)
    a, b = as_data(single.stats()), as_data(sharded.stats())
    for key in (
        "articles",
        "date_from",
        "date_to",
        "people",
        "places",
        "organisations",
        "analysis_version",
        "analysis_current",
    ):
        assert a[key] == b[key], key
    assert b["shards"] == {"total": SHARDS, "successful": SHARDS, "failed": 0}


# The archive's judgement of names, over shards: "Salomon" is shown to be a firm in one
# shard ("Salomon said its") and merges into "Salomon Brothers" written in another; "Baker"
# alone is a person only through "Treasury Secretary James Baker" in a third.


@pytest.fixture(scope="module")
def judged(tmp_path_factory, cluster):
    from tests.test_organisations import write_corpus

    root = tmp_path_factory.mktemp("judged")
    corpus = write_corpus(root / "corpus")
    ingest(root / "single", [corpus], workers=1)
    cluster_ingest(root / "sharded", [corpus], cluster[1], shards=SHARDS)
    sharded = ClusterBackend(root / "sharded", client=cluster[1])
    yield open_index(root / "single"), sharded
    sharded.close()


def test_people_judged_organisations_across_shards_answer_as_the_single_index(judged):
    single, sharded = judged
    assert single.snapshot().columns.moved == {"Salomon": "Salomon"}  # the case this test is about
    for kind in ("people", "organisations"):
        assert _plain(sharded.entities(kind)) == _plain(single.entities(kind))
    assert [e.value for e in sharded.entities("organisations").results][:1] == ["Salomon Brothers"]
    for params in (
        {"facets": ["people", "organisations"]},
        {"q": "said", "organisation": ["Salomon Brothers"], "facets": ["people", "organisations"]},
        {"organisation": ["salomon"]},
        {"person": ["Baker"], "facets": ["organisations"]},
        {"person": ["Wagner"]},
    ):
        assert _plain(sharded.search(**params)) == _plain(single.search(**params)), params
    page = _plain(single.entity("organisations", "Salomon Brothers"))
    assert page["articles"] == 2 and "Salomon" in page["aliases"]
    assert _plain(sharded.entity("organisations", "Salomon Brothers")) == page
    expected = _plain(single.entity("people", "James Baker"))
    assert _plain(sharded.entity("people", "James Baker")) == expected


QUOTE_SEARCHES = [
    {},
    {"sort": "oldest", "size": 3, "page": 2},
    {"q": "summer", "size": 4},
    {"q": "rates OR trade OR exports", "page": 2, "size": 3},
    {"speaker": ["Joe Biden"], "facets": ["speaker", "month"]},
    {"kind": ["indirect"], "place": ["Israel"], "facet_size": 2},
]


@pytest.mark.parametrize("params", QUOTE_SEARCHES, ids=[json.dumps(p) for p in QUOTE_SEARCHES])
def test_quotes_answer_as_the_single_index(both, params):
    single, sharded = both
    expected, got = single.quotes(**params), sharded.quotes(**params)
    assert expected.total and expected.results  # the corpus has what this compares
    assert _plain(got) == _plain(expected)
    assert got.shards.successful == SHARDS and not got.partial


def test_quote_export_and_a_persons_quotes_answer_as_the_single_index(both):
    from search.quoting import QuoteRequest

    single, sharded = both
    for params in ({}, {"q": "summer", "sort": "newest"}):
        request = QuoteRequest.build(**params)
        (n1, rows1), (n2, rows2) = single.export_quotes(request, 1000), sharded.export_quotes(request, 1000)
        assert n1 == n2 > 3 and list(rows1) == list(rows2)
    page = single.entity("people", "Joe Biden", q="rates")
    assert page.quotes.total and _plain(sharded.entity("people", "Joe Biden", q="rates")) == _plain(page)


def test_similar_articles_answer_as_the_single_index(both):
    single, sharded = both
    for article_id, size in (("j-1", 10), ("biden-washington-r2", 4), ("merkel-paris-r3", 1)):
        expected = single.similar(article_id, size=size)
        assert expected.results  # (its copies at least)
        assert as_data(sharded.similar(article_id, size=size)) == as_data(expected)
    with pytest.raises(ArticleNotFoundError):
        sharded.similar("no-such-id")


def test_similar_key_terms_read_the_corpus_not_the_shard(both, built):
    # The article's own shard alone would choose other key terms: the corpus's are summed.
    from search.explore import body_frequencies, key_terms, similar_source

    single, _ = both
    root = built[0]
    snapshot = single.snapshot()
    reader = snapshot.searcher.reader()
    source = similar_source(snapshot, "j-1")
    whole = key_terms(
        source, body_frequencies(reader, dict(source.weights)), reader.doc_count_all(), reader.field_length("body")
    )
    assert whole == snapshot.searcher.key_terms([source.docnum], "body", numterms=20)  # Whoosh's own
    shard = open_index(root / "sharded" / f"shard-{shard_of('j-1', SHARDS):02d}").snapshot().searcher.reader()
    alone = key_terms(
        source, body_frequencies(shard, dict(source.weights)), shard.doc_count_all(), shard.field_length("body")
    )
    assert alone != whole


@pytest.mark.parametrize(
    "params",
    [
        {"q": "inflaton"},
        {"q": "presdent said"},
        {"q": "oill OR coffe"},
        {"q": "exprts"},
        {"person": ["Joe Bidn"]},
        {"q": "said", "place": ["Londn"]},
    ],
)
def test_suggestions_answer_as_the_single_index(both, params):
    single, sharded = both
    expected = single.search(**params)
    assert expected.suggestion is not None  # the case this test is about
    assert _plain(sharded.search(**params)) == _plain(expected)
    request = SearchRequest.build(**params)
    assert sharded.suggestion(request, 0) == single.suggestion(request, 0)


def test_an_article_is_read_from_its_shard(both):
    single, sharded = both
    assert as_data(sharded.article("j-1-r2")) == as_data(single.article("j-1-r2"))


def test_the_api_serves_a_sharded_index(built, cluster):
    root, _, count = built
    app = create_app({"INDEX_DIR": str(root / "sharded"), "CLUSTER": cluster[0].scheduler_address, "TESTING": True})
    client = app.test_client()
    answer = client.get("/api/v1/search?q=said&size=3").get_json()
    assert answer["shards"] == {"total": SHARDS, "successful": SHARDS, "failed": 0} and not answer["partial"]
    health = client.get("/api/v1/health").get_json()
    assert health == {"status": "ok", "articles": count, "shards": {"total": 4, "successful": 4, "failed": 0}}
    single = create_app({"INDEX_DIR": str(root / "single"), "TESTING": True}).test_client()
    assert "shards" not in single.get("/api/v1/health").get_json()
    app.extensions["newsindex"].get().close()


# Ingest: idempotent, replacing, deleting


def test_reingest_changes_nothing_a_changed_article_replaces_and_delete_works(tmp_path, cluster):
    _, client = cluster
    articles = corpus_articles()[:12]
    root = tmp_path / "sharded"
    cluster_ingest(root, articles, client, shards=3)
    before = read_manifest(root)
    again = cluster_ingest(root, articles, client)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 12)
    assert read_manifest(root).generation == before.generation
    changed = replace(articles[0], body=articles[0].body + " A late correction.")
    report = cluster_ingest(root, [changed], client)
    assert (report.added, report.updated) == (0, 1)
    assert sum(s.articles for s in read_manifest(root).shards) == 12
    deleted, missing = cluster_delete(root, [articles[1].id, "no-such-id"], client)
    assert deleted == [articles[1].id] and missing == ["no-such-id"]
    assert sum(s.articles for s in read_manifest(root).shards) == 11
    with pytest.raises(Exception, match="3 shards"):
        cluster_ingest(root, articles, client, shards=4)


# Faults


def test_a_lost_worker_gives_partial_answers_then_its_shards_come_back(built):
    root, _, count = built
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        backend = ClusterBackend(root / "sharded", client=client, phase_timeout=2.0, keeper=False)
        try:
            full = backend.search(q="said", facets=["people"])
            assert full.shards.successful == SHARDS and full.total == 7 * COPIES
            lost = next(iter(local.workers.values()))
            client.sync(lost.close)
            answer = backend.search(q="said", facets=["people"])  # never an error: a partial answer
            assert answer.partial and answer.shards.failed == 2 and answer.shards.successful == 2
            assert 0 < answer.total < full.total
            assert backend.entities("people").partial
            deadline = time.monotonic() + 30
            while backend.served() != set(backend.names) and time.monotonic() < deadline:
                backend.recover()  # what the keeper thread does every half second
                time.sleep(0.2)
            again = backend.search(q="said", facets=["people"])
            assert not again.partial and again.shards.successful == SHARDS
            assert _plain(again) == _plain(full)
            assert backend.stats().articles == count
        finally:
            backend.close()


class _Stopped:
    """The actor of a stopped (SIGSTOP) worker: calls are sent and never answered."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: concurrent.futures.Future()


def test_a_hung_worker_gives_partial_answers_within_the_time_limit(built, cluster):
    root, _, _ = built
    backend = ClusterBackend(root / "sharded", client=cluster[1], time_limit=5.0, keeper=False)
    try:
        full = backend.search(q="said", facets=["people"])
        hung = next(iter(backend._hosts.values()))
        hung.actor = _Stopped()
        started = time.monotonic()
        answer = backend.search(q="said", facets=["people"])
        assert time.monotonic() - started < 5.0
        assert answer.partial and answer.shards.failed == len(hung.shards) and 0 < answer.total < full.total
        started = time.monotonic()
        assert backend.search(q="said").partial  # the hung host is not waited for again
        assert time.monotonic() - started < 0.5
        backend.recover()  # what the keeper does: its shards go to the other worker
        again = backend.search(q="said", facets=["people"])
        assert not again.partial and _plain(again) == _plain(full)
    finally:
        backend.close()


class _Slow:
    """The actor of a worker on a loaded machine: every answer comes, `delay` seconds late."""

    def __init__(self, actor, delay: float):
        self._actor, self._delay = actor, delay

    def __getattr__(self, name):
        def call(*args, **kwargs):
            answer = getattr(self._actor, name)(*args, **kwargs).result()
            future = concurrent.futures.Future()
            threading.Timer(self._delay, future.set_result, [answer]).start()
            return future

        return call


def test_a_slow_machine_is_not_taken_for_hung_workers(built, cluster):
    """Every host slower than a phase's share of the time limit, but within the limit: the
    answer is whole (before, every host was dropped as hung and the answer was a 503)."""
    root, _, _ = built
    backend = ClusterBackend(root / "sharded", client=cluster[1], time_limit=8.0, keeper=False)
    try:
        full = backend.search(q="said", facets=["people"])  # (its corpus statistics are kept)
        for host in backend._hosts.values():
            host.actor = _Slow(host.actor, delay=backend.phase_timeout * 1.1)  # 2.6 s a phase
        answer = backend.search(q="said", facets=["people"])
        assert not answer.partial and _plain(answer) == _plain(full)
        assert all(host.healthy for host in backend._hosts.values())
    finally:
        backend.close()


@contextlib.contextmanager
def _one_worker(built):
    """A cluster of one in-process worker of its own, and a backend over the sharded index."""
    root, _, _ = built
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        backend = ClusterBackend(root / "sharded", client=client, keeper=False)
        try:
            yield local, client, backend
        finally:
            backend.close()


def test_a_worker_that_joins_takes_an_even_share_of_the_shards(built):
    with _one_worker(built) as (local, client, backend):
        alone = backend.search(q="said", facets=["people"])
        assert [len(h.shards) for h in backend._hosts.values()] == [SHARDS]
        local.scale(2)
        client.wait_for_workers(2, timeout=30)
        backend.recover()  # what the keeper does when a worker holds no shard
        assert sorted(len(h.shards) for h in backend._hosts.values()) == [SHARDS // 2, SHARDS // 2]
        assert backend.served() == set(backend.names)
        answer = backend.search(q="said", facets=["people"])
        assert not answer.partial and _plain(answer) == _plain(alone)


def test_no_shard_answering_is_an_unavailable_index(built):
    with _one_worker(built) as (_, _, backend):
        backend.search(q="said")
        for host in backend._hosts.values():
            host.healthy = False  # as after a failed call, with no keeper to re-create them
        with pytest.raises(ShardsUnavailableError):
            backend.search(q="said")


def test_the_cluster_mode_is_optional_for_the_single_index(tmp_path):
    # `search` imports no Dask: the cluster package loads it only when used.
    import subprocess
    import sys

    code = "import sys, search, search.engine, api.app; print('distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "False", out.stderr
