"""Warming: a fresh engine, and one whose index an ingest changed, answers its first query
from columns and posting arrays loaded before it was asked."""

from __future__ import annotations

import time

from search import ingest, open_index
from search.engine import warm_if_present
from tests.conftest import CORPUS_SIZE


def test_warm_loads_the_columns_and_follows_commits(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    engine = open_index(path)
    assert not engine._columns  # nothing is loaded before the first query
    report = engine.warm(follow=True)
    assert report["articles"] == CORPUS_SIZE and report["bytes_read"] > 0
    assert engine._ix.latest_generation() in engine._columns

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "zep.txt").write_text(" date 2024-06-01 A zeppelin flew over Berlin.")
    ingest(path, [tmp_path / "new"], workers=1)
    generation = engine._ix.latest_generation()
    deadline = time.time() + 20
    while generation not in engine._columns and time.time() < deadline:
        time.sleep(0.1)
    assert generation in engine._columns  # built by the follower, before any query
    assert engine.search(q="zeppelin").total == 1


def test_warming_a_server_without_an_index_yet_does_nothing(tmp_path):
    def missing():
        return open_index(tmp_path / "nothing here")

    assert warm_if_present(missing) is None
