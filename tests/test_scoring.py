"""Vectorised scoring (search/scoring.py) against Whoosh's own matchers, on a real index.

The index is made of the test articles' paragraphs, recombined into 48 articles
over several dates and written in three ingests (so there are several segments),
with two articles deleted (so some postings are of deleted documents). Every
query is answered twice, by the posting arrays and by Whoosh's matchers, and the
answers must be the same: totals, pages in order, scores and facet counts.
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta

import pytest

from search import Article, delete, ingest, read_articles
from search.postings import SIDECAR_DIR
from tests.conftest import ARTICLES, EXAMPLE
from tests.plain import open_plain

QUERIES = [
    "oil",
    "said",
    "prices",
    "oil prices",
    "merkel",
    "Angela Merkel",
    "coffee OR oil",
    "oil NOT opec",
    "oil ANDMAYBE coffee",
    '"prime minister"',
    '"angela merkel"',
    '"the president said"',
    '"oil prices" OR coffee',
    "pric*",
    "mer*",
    "pr?ce",
    "oil~",
    "title:oil",
    "(oil OR coffee) AND (prices OR brazil)",
    "nosuchwordanywhere",
    '"nosuchword prices"',
    'people:"Angela Merkel"',
    "places:Brazil",
]
VARIANTS = [
    {},
    {"sort": "newest"},
    {"sort": "oldest", "page": 2, "size": 3},
    {"size": 2, "page": 2},
    {"date_from": "2023-02", "date_to": "2023-05"},
    {"place": ["Brazil"]},
    {"person": ["Angela Merkel"]},
]


def _articles() -> list[Article]:
    folder_articles = [a for a in read_articles([ARTICLES, EXAMPLE]) if isinstance(a, Article)]
    paragraphs = [p for a in folder_articles for p in a.body.split("\n\n") if p.strip()]
    rng = random.Random(7)
    out = []
    for i in range(48):
        body = "\n\n".join(rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(1, 4))))
        title = rng.choice(folder_articles).title
        out.append(Article(f"mix-{i:02d}", date(2023, 1, 1) + timedelta(days=7 * i), body, title=title))
    return out


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("scoring") / "index"
    articles = _articles()
    for part in (articles[:20], articles[20:35], articles[35:]):
        ingest(path, part, workers=1)
    delete(path, ["mix-03", "mix-30"])
    return path


def _answer(engine, q: str, params: dict) -> dict:
    found = engine.search(q=q, facets=["people", "places", "month"], **params)
    return {
        "total": found["total"],
        "ids": [r["id"] for r in found["results"]],
        "scores": [r["score"] for r in found["results"]],
        "facets": found["facets"],
    }


def _assert_same(vectorised, whoosh, queries=QUERIES, variants=VARIANTS):
    checked = 0
    for q in queries:
        for params in variants:
            ours, theirs = _answer(vectorised, q, params), _answer(whoosh, q, params)
            assert ours["total"] == theirs["total"], (q, params)
            assert ours["ids"] == theirs["ids"], (q, params)
            if "sort" in params:
                assert ours["scores"] == theirs["scores"] == [None] * len(ours["ids"])
            else:
                assert ours["scores"] == pytest.approx(theirs["scores"], rel=1e-6), (q, params)
            assert ours["facets"] == theirs["facets"], (q, params)
            checked += ours["total"]
    assert checked > 50 * len(variants)  # the queries do match things


def test_the_index_has_several_segments_each_with_posting_arrays(mixed_index):
    engine = open_plain(mixed_index)
    searcher = engine.snapshot().searcher
    segments = engine._segments.segments(searcher)
    assert len(segments) >= 2
    assert all(s.postings.complete for s in segments)
    folders = {p.name for p in (mixed_index / SIDECAR_DIR).iterdir()}
    assert folders == {r.segment().segment_id() for r, _ in searcher.reader().leaf_readers()}


def test_every_query_of_the_set_is_evaluated_over_the_arrays(mixed_index):
    from search.query import parse_query

    engine = open_plain(mixed_index)
    snapshot = engine.snapshot()
    for q in QUERIES:
        matches, partial = snapshot.vector.match(parse_query(snapshot.parser, q))  # no Unsupported
        assert not partial and len(matches.docs) == len(matches.scores)


def test_posting_arrays_answer_as_whoosh_does(mixed_index):
    _assert_same(open_plain(mixed_index), open_plain(mixed_index, vectorised=False))


def test_without_posting_arrays_whoosh_blocks_are_decoded_to_the_same_answers(mixed_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(mixed_index, copy)
    shutil.rmtree(copy / SIDECAR_DIR)
    engine = open_plain(copy)
    searcher = engine.snapshot().searcher
    assert not any(s.postings.complete for s in engine._segments.segments(searcher))
    _assert_same(engine, open_plain(copy, vectorised=False), variants=VARIANTS[:3])


def test_phrases_need_the_words_next_to_each_other_in_order(mixed_index):
    engine = open_plain(mixed_index)
    together = engine.search(q='"biden said"', size=100, facets=[])
    apart = engine.search(q="biden said", facets=[])
    reversed_ = engine.search(q='"said biden"', facets=[])
    assert 0 < together["total"] < apart["total"]
    assert reversed_["total"] < together["total"]
    for hit in together["results"]:
        assert re.search(r"biden\W+said", engine.article(hit["id"])["body"], re.IGNORECASE)


def test_deleted_articles_are_not_found(mixed_index):
    engine = open_plain(mixed_index)
    ids = {r["id"] for r in engine.search(q="said OR oil OR merkel", size=100, facets=[])["results"]}
    assert ids and not ids & {"mix-03", "mix-30"}


def test_optimize_merges_and_leaves_one_set_of_posting_arrays(mixed_index, tmp_path):
    from search import optimize

    copy = tmp_path / "index"
    shutil.copytree(mixed_index, copy)
    optimize(copy)
    assert len(list((copy / SIDECAR_DIR).iterdir())) == 1
    _assert_same(open_plain(copy), open_plain(copy, vectorised=False), variants=VARIANTS[:2])


def test_a_running_engine_picks_up_posting_arrays_written_after_it_opened(mixed_index, tmp_path):
    from search import index as idx
    from search.postings import write_sidecars

    copy = tmp_path / "index"
    shutil.copytree(mixed_index, copy)
    shutil.rmtree(copy / SIDECAR_DIR)
    engine = open_plain(copy)
    before = engine.search(q="oil prices", facets=["people"])
    searcher = engine.snapshot().searcher
    assert not any(s.postings.complete for s in engine._segments.segments(searcher))

    assert write_sidecars(copy, idx.open_existing(copy)) >= 2
    assert all(s.postings.complete for s in engine._segments.segments(searcher))
    after = engine.search(q="oil prices", facets=["people"])
    assert [r["id"] for r in after["results"]] == [r["id"] for r in before["results"]]
    assert after["facets"] == before["facets"]


def test_a_damaged_sidecar_is_ignored_and_rewritten(mixed_index, tmp_path):
    from search import index as idx
    from search.postings import write_sidecars

    copy = tmp_path / "index"
    shutil.copytree(mixed_index, copy)
    folder = next((copy / SIDECAR_DIR).iterdir())
    (folder / "meta.json").write_text("{not json", encoding="utf-8")
    expected = open_plain(copy, vectorised=False).search(q="said OR oil", facets=[])
    assert open_plain(copy).search(q="said OR oil", facets=[])["total"] == expected["total"]
    assert write_sidecars(copy, idx.open_existing(copy)) == 1
    engine = open_plain(copy)
    searcher = engine.snapshot().searcher
    assert all(s.postings.complete for s in engine._segments.segments(searcher))


def test_an_ingest_in_many_batches_ends_with_arrays_for_every_segment(tmp_path):
    path = tmp_path / "index"
    ingest(path, _articles(), workers=1, batch_size=10)
    engine = open_plain(path)
    stats = engine.stats()
    assert stats["segments"] >= 2
    assert stats["segments_with_posting_arrays"] == stats["segments"]
    assert len(list((path / SIDECAR_DIR).iterdir())) == stats["segments"]  # none left behind


def test_posting_arrays_written_block_by_block_are_the_same_files(mixed_index, tmp_path, monkeypatch):
    """Sidecars go to disk in blocks (memory holds a block, not the segment): in blocks
    of 5 entries they are byte for byte those written in one block."""
    import filecmp

    from search import index as idx
    from search import postings

    copies = {}
    for block in (5, postings._Column.BLOCK):
        monkeypatch.setattr(postings._Column, "BLOCK", block)
        copy = copies[block] = tmp_path / f"blocks-{block}"
        shutil.copytree(mixed_index, copy)
        shutil.rmtree(copy / SIDECAR_DIR)
        assert postings.write_sidecars(copy, idx.open_existing(copy)) >= 2
    small, whole = (copies[b] / SIDECAR_DIR for b in copies)
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(small) for p in small.rglob("*") if p.is_file())
    assert any(f.name == "body.positions.npy" for f in files)
    assert all(filecmp.cmp(small / f, whole / f, shallow=False) for f in files)
    assert not list(whole.rglob("*.raw"))
