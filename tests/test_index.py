"""Ingest is incremental and idempotent; updates replace; deletes remove; interruption loses nothing."""

from __future__ import annotations

import pytest

from search import IndexLockedError, ingest
from search import delete as delete_articles
from search.index import open_or_create, writer_for
from tests.conftest import CORPUS_SIZE
from tests.plain import open_plain


def test_reingest_changes_nothing(tmp_path, corpus):
    path = tmp_path / "ix"
    first = ingest(path, [corpus], workers=1)
    assert (first.added, first.updated, first.unchanged, first.skipped) == (CORPUS_SIZE, 0, 0, [])
    again = ingest(path, [corpus], workers=1)
    assert (again.added, again.updated, again.unchanged) == (0, 0, CORPUS_SIZE)
    assert open_plain(path).stats()["articles"] == CORPUS_SIZE


def test_an_upgraded_analysis_reanalyses_unchanged_files(tmp_path, corpus, monkeypatch):
    """Articles analysed by an older recogniser are analysed again on the next ingest
    of the same files, not counted unchanged."""
    import search.index
    from search.analysis import analysis_version
    from search.index import read_meta

    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    assert read_meta(path)["analysis_version"] == analysis_version()
    assert open_plain(path).stats()["analysis_current"] is True
    monkeypatch.setattr(search.index, "analysis_version", lambda: "a newer recogniser")
    report = ingest(path, [corpus], workers=1)
    assert (report.added, report.updated, report.unchanged) == (0, CORPUS_SIZE, 0)
    assert read_meta(path)["analysis_version"] == "a newer recogniser"
    assert open_plain(path).stats()["analysis_current"] is False  # to this code
    again = ingest(path, [corpus], workers=1)
    assert (again.added, again.updated, again.unchanged) == (0, 0, CORPUS_SIZE)
    assert open_plain(path).stats()["articles"] == CORPUS_SIZE


def test_parallel_analysis_gives_the_same_index(tmp_path, corpus):
    one = open_index_after(tmp_path / "one", corpus, workers=1)
    two = open_index_after(tmp_path / "two", corpus, workers=2)
    for q in ("prices", "Rafah", ""):
        a, b = one.search(q=q, size=100), two.search(q=q, size=100)
        assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]]
        assert a["facets"] == b["facets"]


def open_index_after(path, corpus, workers):
    ingest(path, [corpus], workers=workers)
    return open_plain(path)


def test_changed_article_replaces_its_old_version(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    engine = open_plain(path)
    assert engine.search(q="tulips")["total"] == 0
    (corpus / "tokyo-trade.txt").write_text(" date 2024-02-21 Tulips from Amsterdam sold well in Tokyo.")
    report = ingest(path, [corpus], workers=1)
    assert (report.added, report.updated, report.unchanged) == (0, 1, CORPUS_SIZE - 1)
    assert [r["id"] for r in engine.search(q="tulips")["results"]] == ["tokyo-trade"]
    assert engine.search(q="Kishida")["total"] == 0
    assert engine.stats()["articles"] == CORPUS_SIZE  # replaced, not duplicated
    assert engine.article("tokyo-trade")["date"] == "2024-02-21"


def test_delete_removes_and_reports_unknown_ids(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    engine = open_plain(path)
    deleted, missing = delete_articles(path, ["oil-opec", "no-such-id"])
    assert (deleted, missing) == (["oil-opec"], ["no-such-id"])
    assert "oil-opec" not in [r["id"] for r in engine.search(q="oil", size=100)["results"]]
    assert engine.stats()["articles"] == CORPUS_SIZE - 1
    # Facets forget the deleted article too.
    places = engine.search(facets=["places"], facet_size=100)["facets"]["places"]["results"]
    assert "Riyadh" not in [v["value"] for v in places]


def test_bad_input_is_reported_and_the_rest_indexed(tmp_path, corpus):
    (corpus / "broken.txt").write_bytes(b"no date\nbody")
    (corpus / "feed.jsonl").write_text('{"id": "ok-1", "date": "2024-05-01", "body": "Fine."}\n[1]\n')
    report = ingest(tmp_path / "ix", [corpus], workers=2)
    assert report.added == CORPUS_SIZE + 1
    skipped = {(s.file.rsplit("/", 1)[-1], s.line) for s in report.skipped}
    assert skipped == {("broken.txt", 1), ("feed.jsonl", 2)}


def test_a_second_writer_is_refused_while_one_holds_the_lock(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    writer = writer_for(open_or_create(path))
    try:
        with pytest.raises(IndexLockedError):
            ingest(path, [corpus], workers=1)
        with pytest.raises(IndexLockedError):
            delete_articles(path, ["oil-opec"])
    finally:
        writer.cancel()
    assert ingest(path, [corpus], workers=1).unchanged == CORPUS_SIZE


def test_interrupted_ingest_keeps_committed_batches_and_a_rerun_completes(tmp_path, corpus):
    path = tmp_path / "ix"
    seen = 0

    def interrupt_after_five(n):
        nonlocal seen
        seen += n
        if seen == 5:
            raise KeyboardInterrupt

    report = ingest(path, [corpus], workers=1, batch_size=2, progress=interrupt_after_five)
    assert report.interrupted
    committed = open_plain(path).stats()["articles"]
    assert committed == 4  # two full batches of two; the fifth article was not committed
    rerun = ingest(path, [corpus], workers=1, batch_size=2)
    assert (rerun.added, rerun.unchanged) == (CORPUS_SIZE - 4, 4)
    assert open_plain(path).stats()["articles"] == CORPUS_SIZE


def test_searcher_sees_new_commits_without_reopening(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    engine = open_plain(path)
    assert engine.search(q="zeppelin")["total"] == 0
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "zep.txt").write_text(" date 2024-06-01 A zeppelin flew over Berlin.")
    ingest(path, [tmp_path / "new"], workers=1)
    assert engine.search(q="zeppelin")["total"] == 1
    assert engine.search(place=["Berlin"])["total"] == 2


def test_ingest_tokens_are_exactly_what_the_query_analyzer_makes():
    """pre_analyze (ingest, in the workers) and text_analyzer (queries, highlighting)
    must agree token for token, or stored positions and query terms drift apart."""
    from search import read_articles
    from search.analysis.tokenize import pre_analyze, text_analyzer
    from tests.conftest import ARTICLES, EXAMPLE

    analyzer = text_analyzer()
    texts = [a.body for a in read_articles([ARTICLES, EXAMPLE]) if hasattr(a, "body")]
    texts += [
        "The U.S. and the E.U. don't agree; it's Reuters' view that they'll talk.",
        "'Quoted' words, O'Neill's rock'n'roll -- 3.5 pct and 1,000 dlrs.",
        "Of the and a an: THE BANK OF JAPAN SAID IT WOULD.",
        "",
    ]
    for text in texts:
        expected = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]
        assert list(pre_analyze(text).tokens) == expected, text[:60]
    assert sum(len(pre_analyze(t).tokens) for t in texts) > 400


def test_word_tokens_are_nltks_own():
    """The word tokenizer runs NLTK's Treebank rules with the stdlib's `re` (NLTK's
    ReDoS guard made it slow): its spans must be NLTK's, quotes, dashes and all."""
    from nltk.tokenize import NLTKWordTokenizer

    from search import read_articles
    from search.analysis.tokenize import sentence_spans, word_spans
    from tests.conftest import ARTICLES, EXAMPLE

    texts = [a.body for a in read_articles([ARTICLES, EXAMPLE]) if hasattr(a, "body")]
    texts += [
        "He said \"it's over\" -- and ''quoted'' it (twice) [sic] {ok} <b>.",
        "Don't, can't, won't, gonna, wanna; I'm 5'11\" tall... U.S.-Japan $3.88 pct.",
        "«Bonjour» „so“ ‘single’ `back` 'tis O'Neill's rock'n'roll: 1,000 dlrs!?",
    ]
    nltk_tokenizer = NLTKWordTokenizer()
    sentences = [text[a:b] for text in texts for a, b in sentence_spans(text)]
    assert len(sentences) > 40
    for sentence in sentences:
        assert word_spans(sentence) == list(nltk_tokenizer.span_tokenize(sentence)), sentence


def test_a_program_that_seeds_random_does_not_make_ingests_overwrite_segments(tmp_path):
    """Whoosh names segments with the random module: seeded, two commits got the same
    segment name and the second overwrote the first's files (found by the API fuzzer,
    as Hypothesis seeds random between examples)."""
    import random
    from datetime import date

    from search import Article

    for i in range(3):
        random.seed(0)
        ingest(tmp_path / "ix", [Article(f"x{i}", date(2024, 1, 1), f"Some text about oil {i}.")], workers=1)
    engine = open_plain(tmp_path / "ix")
    assert engine.search(q="oil")["total"] == 3
    assert engine.stats()["segments"] == 3


def test_analysis_reads_no_further_ahead_of_a_slow_writer_than_its_bound():
    """Memory of a long ingest is bounded by the read-ahead, not the archive: with a
    writer slower than the analysis workers, articles are read only as it takes them
    (Pool.imap read ahead as fast as the workers' pipe took them, and kept every result)."""
    import time
    from datetime import date

    from search.articles import Article, Skipped
    from search.index import ANALYSIS_CHUNK, _analysed

    def article(n):
        return Article(id=f"a{n}", date=date(2024, 5, 1), title=f"Report {n}", body=f"Prices rose {n} points in Paris.")

    items = [Skipped(f"bad-{n}", None, "unreadable") if n % 50 == 7 else article(n) for n in range(400)]
    drawn = 0

    def reader():
        nonlocal drawn
        for item in items:
            drawn += 1
            yield item

    read_ahead, out, most_ahead = 20, [], 0
    for result in _analysed(reader(), workers=2, read_ahead=read_ahead):
        most_ahead = max(most_ahead, drawn - len(out))
        out.append(result)
        time.sleep(0.002)  # the writer is the slow side
    assert most_ahead <= read_ahead + ANALYSIS_CHUNK
    # Input order, skipped items in their places.
    assert [r.file if isinstance(r, Skipped) else r.article.id for r in out] == [
        i.file if isinstance(i, Skipped) else i.id for i in items
    ]
    assert "Paris" in out[1].places


def test_segments_merge_by_tier_and_large_ones_are_left_alone(tmp_path, corpus, monkeypatch):
    """Merging is by tier, MERGE_FACTOR segments of a size at a time, one merge per commit,
    and segments of FINAL_DOCUMENTS or more are not merged again: the work per article
    stops growing with the archive. Scaled down: tiers of 1 and 2+ articles, final at 4."""
    import search.index

    monkeypatch.setattr(search.index, "TIER_BASE", 1)
    monkeypatch.setattr(search.index, "MERGE_FACTOR", 2)
    monkeypatch.setattr(search.index, "FINAL_DOCUMENTS", 4)
    path = tmp_path / "ix"
    report = ingest(path, [corpus], workers=1, batch_size=1)
    assert report.added == CORPUS_SIZE
    # Ten commits of one article: [1] [1 1] [3] (two merged, plus the new one) [3 1]
    # [3 1 1] [3 3] [7] (final) [7 1] [7 1 1] [7 3].
    engine = open_plain(path)
    searcher = engine.snapshot().searcher
    sizes = sorted(r.doc_count_all() for r, _ in searcher.reader().leaf_readers())
    assert sizes == [3, 7]
    assert engine.stats()["segments_with_posting_arrays"] == 2
    assert engine.search(q="")["total"] == CORPUS_SIZE


def test_an_article_changed_back_to_an_earlier_version_is_updated_again(tmp_path):
    """The ingest's quick "not indexed" check sees terms of deleted documents too (the
    first version's hash stays in its segment): Whoosh confirms what it finds."""
    from datetime import date

    from search.articles import Article

    path = tmp_path / "ix"

    def version(body):
        return Article(id="story", date=date(2024, 5, 1), title="Story", body=body)

    first, second = version("Prices rose in Paris."), version("Prices fell in Paris.")
    assert ingest(path, [first], workers=1).added == 1
    assert ingest(path, [second], workers=1).updated == 1
    back = ingest(path, [first], workers=1)
    assert (back.added, back.updated, back.unchanged) == (0, 1, 0)
    assert open_plain(path).search(q="rose")["total"] == 1
    assert ingest(path, [first], workers=1).unchanged == 1


@pytest.mark.parametrize(("batch_size", "counts"), [(1, (3, 2, 0)), (2, (3, 2, 0)), (3, (3, 1, 0)), (100, (3, 0, 0))])
def test_an_id_met_twice_keeps_its_last_version_once(tmp_path, batch_size, counts):
    """Articles are written as analysis gives them, so a batch may meet an id whose first
    version is in the writer already: the index ends with the last version, once, and
    the report counts as when a batch kept only the last version of each id."""
    from datetime import date

    from search import Article
    from search.index import open_existing

    bodies = [
        ("a", "Oil rose in Tokyo."),
        ("b", "Gold fell."),
        ("a", "Oil fell in Tokyo."),
        ("c", "Rice rose."),
        ("a", "Oil was flat in Tokyo."),
    ]
    path = tmp_path / "index"
    report = ingest(
        path, [Article(id=i, date=date(2024, 1, 2), body=b) for i, b in bodies], workers=1, batch_size=batch_size
    )
    assert (report.added, report.updated, report.unchanged) == counts
    with open_existing(path).searcher() as searcher:
        assert searcher.doc_count() == 3
        assert [d["body"] for d in searcher.documents(id="a")] == ["Oil was flat in Tokyo."]
        assert [d["body"] for d in searcher.documents(id="c")] == ["Rice rose."]
