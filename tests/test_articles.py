"""Reading article files and JSON Lines: good input becomes Articles, bad input is named and skipped."""

from __future__ import annotations

import gzip
import json
import os
from datetime import date

import pytest

from search.articles import Article, Skipped, read_articles
from tests.conftest import ARTICLES, EXAMPLE, EXAMPLE_ID


def read(*paths, **kw):
    items = list(read_articles(paths, **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_example_article_reads_date_id_and_body():
    [article], skipped = read(EXAMPLE)
    assert skipped == []
    assert article.id == EXAMPLE_ID
    assert article.date == date(2024, 3, 23)
    assert article.title == ""
    # The body starts on the date line, after the date.
    assert article.body.startswith("US Secretary of State Antony Blinken has once again left")
    assert "\n\nThe tough message from Prime Minister Benjamin Netanyahu" in article.body


def test_folder_is_read_recursively_with_jsonl_bom_crlf_and_latin1():
    articles, skipped = read(ARTICLES)
    assert skipped == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {
        "merkel-paris",
        "oil-opec",
        "merkel-berlin",
        "biden-washington",
        "tokyo-trade",
        "coffee-brazil-bom-crlf",
        "macron-latin1",
        "j-1",
        "j-2",
    }
    assert by_id["biden-washington"].date == date(2024, 1, 15)  # full ISO timestamp
    coffee = by_id["coffee-brazil-bom-crlf"]
    assert coffee.date == date(2024, 3, 5) and "\r" not in coffee.body
    assert "Le président Emmanuel Macron a visité Lyon" in by_id["macron-latin1"].body
    j1 = by_id["j-1"]
    assert (j1.title, j1.url, j1.source) == (
        "Netanyahu rejects ceasefire call",
        "https://example.org/j-1",
        "Example Wire",
    )


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"no date line here\n\nbody", "no date line"),
        (b" date 2024-02-30 body text", "unparseable date"),
        (b" date yesterday body text", "unparseable date"),
        (b" date 2024-01-01\n\n   \n", "empty body"),
        (b"\x00\x01\x02binary\x00data" * 10, "binary file"),
        (b"", "empty file"),
    ],
)
def test_bad_files_are_skipped_with_file_and_reason(tmp_path, content, reason):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_bytes(b" date 2024-01-01 A good article about Paris.")
    articles, skipped = read(tmp_path)
    assert [a.id for a in articles] == ["good"]
    [item] = skipped
    assert item.file.endswith("bad.txt")
    assert reason in item.reason


def test_oversized_file_is_skipped(tmp_path):
    (tmp_path / "big.txt").write_bytes(b" date 2024-01-01 " + b"word " * 1000)
    articles, skipped = read(tmp_path, max_bytes=1000)
    assert articles == []
    assert "too large" in skipped[0].reason and "limit 1000" in skipped[0].reason


def test_jsonl_bad_lines_are_named_by_line_and_the_rest_is_read(tmp_path):
    lines = [
        json.dumps({"id": "a", "date": "2024-01-01", "body": "First."}),
        "[1, 2, 3]",
        "{not json",
        json.dumps({"id": "b", "date": "2024-01-02"}),
        json.dumps({"id": "c", "date": "2024-01-02", "body": 5}),
        json.dumps({"id": "d", "date": "2024-02-31", "body": "Bad date."}),
        json.dumps({"id": 7, "date": "2024-01-03", "body": "Numeric id."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    articles, skipped = read(tmp_path / "feed.jsonl")
    assert [a.id for a in articles] == ["a", "7"]
    reasons = {s.line: s.reason for s in skipped}
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "not a JSON object" in reasons[2]
    assert "invalid JSON" in reasons[3]
    assert "missing 'body'" in reasons[4]
    assert "'body' must be a string" in reasons[5]
    assert "date" in reasons[6]


def test_truncated_gzip_keeps_the_lines_before_the_break(tmp_path):
    records = [json.dumps({"id": f"g{i}", "date": "2024-01-01", "body": f"Article {i} " * 50}) for i in range(200)]
    data = gzip.compress(("\n".join(records) + "\n").encode())
    (tmp_path / "feed.jsonl.gz").write_bytes(data[: len(data) // 2])
    articles, skipped = read(tmp_path)
    assert 0 < len(articles) < 200
    assert [a.id for a in articles] == [f"g{i}" for i in range(len(articles))]
    assert len(skipped) == 1 and "gzip" in skipped[0].reason


def test_symlink_loop_and_missing_path_do_not_hang(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(" date 2024-01-01 Text.")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    articles, skipped = read(tmp_path, tmp_path / "missing")
    assert [a.id for a in articles] == ["x"]
    assert [s.reason for s in skipped] == ["no such file or folder"]


def test_json_escapes_of_half_surrogate_pairs_are_replaced_not_fatal(tmp_path):
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "s1", "date": "2024-01-01", "body": "Bad \\udae2 half, good \\ud83d\\ude00 pair."}\n'
    )
    [article], skipped = read(tmp_path)
    assert skipped == []
    assert article.body == "Bad \ufffd half, good \U0001f600 pair."
    article.body.encode("utf-8")
