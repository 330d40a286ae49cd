"""The patches of Whoosh's internals write the very files Whoosh's own code writes."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from whoosh.codec.whoosh3 import W3FieldWriter

from search import ingest
from search.index import open_existing
from search.whoosh_internals import WHOOSH_ADD_POSTINGS, _direct_add_postings
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
