"""The patches of Whoosh's internals write the very files Whoosh's own code writes."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import SegmentWriter

from search import Article, ingest, read_articles
from search.index import delete, open_existing, optimize
from search.whoosh_internals import (
    WHOOSH_ADD_POSTINGS,
    WHOOSH_ADD_READER,
    WHOOSH_CANCEL,
    WHOOSH_FLUSH_SEGMENT,
    _direct_add_postings,
)
from tests.conftest import ARTICLES, CORPUS_SIZE, EXAMPLE


def _segment_files(index: Path) -> Counter:
    """(kind of file, digest of its bytes) of every segment file; names are random."""
    return Counter(
        (path.name.split(".", 1)[1], hashlib.sha1(path.read_bytes()).hexdigest())
        for path in index.glob("articles_*.*")
        if not path.name.endswith(".toc")
    )


def _build(path: Path, monkeypatch, add_postings) -> Counter:
    monkeypatch.setattr(W3FieldWriter, "add_postings", add_postings)
    # One article a commit: eleven segments, so merges write postings too.
    report = ingest(path, [ARTICLES, EXAMPLE], workers=1, batch_size=1)
    assert report.added == CORPUS_SIZE
    with open_existing(path).searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) < CORPUS_SIZE  # merged
    return _segment_files(path)


def test_direct_posting_writes_write_whooshs_bytes(tmp_path: Path, monkeypatch):
    ours = _build(tmp_path / "ours", monkeypatch, _direct_add_postings)
    whooshs = _build(tmp_path / "whoosh", monkeypatch, WHOOSH_ADD_POSTINGS)
    assert {kind for kind, _ in ours} >= {"pst", "trm"}
    assert ours == whooshs


def _build_with_updates(path: Path, monkeypatch, whooshs: bool) -> Counter:
    """Ingest one article a commit, change three articles (their old versions are
    deleted in segments that are then merged), delete one, and optimize: every kind of
    merge, with and without deletions."""
    if whooshs:
        monkeypatch.setattr(SegmentWriter, "add_reader", WHOOSH_ADD_READER)
        monkeypatch.setattr(SegmentWriter, "_flush_segment", WHOOSH_FLUSH_SEGMENT)
        monkeypatch.setattr(SegmentWriter, "cancel", WHOOSH_CANCEL)
    assert ingest(path, [ARTICLES, EXAMPLE], workers=1, batch_size=1).added == CORPUS_SIZE
    articles = [a for a in read_articles([ARTICLES, EXAMPLE]) if isinstance(a, Article)]
    changed = [replace(a, body=a.body + " A correction was appended.") for a in articles[1:9:3]]
    assert ingest(path, changed, workers=1, batch_size=1).updated == 3
    assert delete(path, [articles[0].id]) == ([articles[0].id], [])
    with open_existing(path).searcher() as searcher:
        assert searcher.reader().has_deletions()
    optimize(path)
    with open_existing(path).searcher() as searcher:
        assert not searcher.reader().has_deletions()
        assert searcher.doc_count() == CORPUS_SIZE - 1
    return _segment_files(path)


def test_streamed_merges_write_whooshs_bytes(tmp_path: Path, monkeypatch):
    ours = _build_with_updates(tmp_path / "ours", monkeypatch, whooshs=False)
    whooshs = _build_with_updates(tmp_path / "whoosh", monkeypatch, whooshs=True)
    assert {kind for kind, _ in ours} >= {"pst", "trm"}
    assert ours == whooshs


def test_streamed_merges_close_their_readers_when_a_merge_is_cancelled(tmp_path: Path):
    ingest(tmp_path / "ix", [ARTICLES, EXAMPLE], workers=1, batch_size=1)
    ix = open_existing(tmp_path / "ix")
    writer = ix.writer()
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            writer.add_reader(leaf)
    streamed = list(writer._streamed_segments)
    assert streamed and not any(reader.is_closed for reader, _, _ in streamed)
    writer.cancel()
    assert all(reader.is_closed for reader, _, _ in streamed)
    assert not hasattr(writer, "_streamed_segments")
