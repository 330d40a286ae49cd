"""Reliability at the edges, with real indexes: empty, full disk, read-only, damaged, two ingests.

The full disk is a 1 MB tmpfs and the read-only index a read-only bind mount (root ignores
file modes, so chmod would prove nothing): those tests need root and skip without it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.app import create_app
from search import ingest, open_index
from tests.conftest import CORPUS_SIZE, REPO

sys.path.insert(0, str(REPO / "scripts"))
import crash_test  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=str(REPO))


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `newsindex ARGS` as a user would; no output of it may hold a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=ENV, capture_output=True, text=True, timeout=timeout
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def count(index: Path) -> tuple[int, int]:
    """(documents, distinct ids) of the index."""
    return crash_test.index_state(index)


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs; unmounted afterwards whatever happens."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    try:
        mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder))
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield folder
    finally:
        unmount(folder)


@pytest.fixture
def read_only(tmp_path, corpus):
    """(the index, the same index through a read-only bind mount); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    index = tmp_path / "index"
    ingest(index, [corpus], workers=1)
    view = tmp_path / "ro"
    view.mkdir()
    try:
        mount("--bind", str(index), str(view))
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot bind-mount here: {exc}")
    try:
        try:
            mount("-o", "remount,bind,ro", str(view))
        except subprocess.CalledProcessError as exc:
            pytest.skip(f"cannot remount read-only here: {exc}")
        yield index, view
    finally:
        unmount(view)


def assert_json_error(response, code: int, words: str) -> dict:
    assert response.status_code == code, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == code
    assert words in body["message"], body["message"]
    return body


# An empty index


def test_an_empty_folder_makes_an_empty_index_that_every_command_and_endpoint_serves(tmp_path):
    empty, index = tmp_path / "empty", tmp_path / "index"
    empty.mkdir()
    result = cli("ingest", "--index", str(index), "--quiet", str(empty))
    assert result.returncode == 0
    assert result.stdout.startswith("nothing to ingest: no articles in"), result.stdout
    searched = cli("search", "--index", str(index), "oil")
    assert searched.returncode == 0 and searched.stdout.startswith("0 articles"), searched.stderr
    stats = cli("stats", "--index", str(index), "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["articles"] == 0
    checked = cli("check", "--index", str(index))
    assert checked.returncode == 0 and "no damage found" in checked.stdout
    assert cli("export", "--index", str(index)).returncode == 0

    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    assert client.get("/api/v1/health").get_json() == {"status": "ok", "articles": 0}
    assert client.get("/api/v1/stats").get_json()["articles"] == 0
    for url in (
        "/api/v1/search",
        "/api/v1/search?q=oil&facets=people,places,month,year",
        "/api/v1/people",
        "/api/v1/places?prefix=pa",
        "/api/v1/timeline?series=q:oil",
        "/api/v1/search/export",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert client.get("/api/v1/search?q=oil").get_json()["total"] == 0
    page = client.get("/?q=oil")
    assert page.status_code == 200 and "There are no articles yet." in page.get_data(as_text=True)


def test_an_ingest_killed_before_its_first_commit_leaves_a_working_empty_index(tmp_path):
    corpus = tmp_path / "corpus"
    crash_test.write_corpus(corpus, 3000, random.Random(4))
    index = tmp_path / "index"
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", "--index", str(index), "--quiet", "--workers", "1", str(corpus)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(index.glob("_articles_*.toc")) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the index is created: kill inside the first batch of 2,000
    process.kill()
    process.wait()
    searched = cli("search", "--index", str(index))
    assert searched.returncode == 0 and searched.stdout.startswith("0 articles"), searched.stderr
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/search").get_json()["total"] == 0


# A full disk


def test_a_full_disk_stops_the_ingest_with_a_message_and_a_rerun_after_growing_it_finishes(small_disk, tmp_path):
    corpus = tmp_path / "corpus"
    crash_test.write_corpus(corpus, 600, random.Random(5))
    index = small_disk / "index"
    command = ("ingest", "--index", str(index), "--quiet", "--workers", "1", "--batch-size", "20", str(corpus))
    failed = cli(*command)
    assert failed.returncode == 1
    assert "the disk is full" in failed.stderr and str(index) in failed.stderr, failed.stderr
    assert failed.stderr.count("\n") == 1  # one line

    # The index holds its last commit, and serves it.
    docs, distinct = count(index)
    assert 0 < docs == distinct < 600
    searched = cli("search", "--index", str(index), "--json")
    assert searched.returncode == 0 and json.loads(searched.stdout)["total"] == docs
    assert cli("check", "--index", str(index)).returncode == 0
    assert not (index / "articles.tmp").exists()

    mount("-o", "remount,size=64m", str(small_disk))
    finished = cli(*command)
    assert finished.returncode == 0, finished.stderr
    assert count(index) == (600, 600)
    assert cli("check", "--index", str(index)).returncode == 0


def test_a_post_to_a_full_disk_is_a_507_in_the_error_shape(small_disk, corpus):
    index = small_disk / "index"
    ingest(index, [corpus], workers=1)
    filler = small_disk / "filler"
    with open(filler, "wb") as f, pytest.raises(OSError):
        while True:
            f.write(b"x" * 65536)
            f.flush()
    client = create_app({"INDEX_DIR": str(index), "TESTING": True, "API_TOKEN": "t"}).test_client()
    articles = [{"id": f"new-{n}", "date": "2024-05-01", "body": "Oil prices rose in Paris. " * 200} for n in range(30)]
    response = client.post("/api/v1/articles", json=articles, headers={"Authorization": "Bearer t"})
    assert_json_error(response, 507, "the disk is full")
    filler.unlink()
    assert client.get("/api/v1/search").get_json()["total"] == CORPUS_SIZE  # the last commit, whole
    response = client.post("/api/v1/articles", json=articles, headers={"Authorization": "Bearer t"})
    assert response.status_code == 200 and response.get_json()["added"] == 30


# A read-only index


def test_a_read_only_index_serves_searches_and_refuses_writes_clearly(read_only, corpus):
    index, view = read_only
    searched = cli("search", "--index", str(view), "--json", "oil")
    assert searched.returncode == 0 and json.loads(searched.stdout)["total"] > 0
    refused = cli("ingest", "--index", str(view), "--quiet", str(corpus))
    assert refused.returncode == 1
    assert "the file system is read-only" in refused.stderr and str(view) in refused.stderr, refused.stderr
    deleted = cli("delete", "--index", str(view), "000_7483b6d759d5b458")
    assert deleted.returncode == 1 and "read-only" in deleted.stderr

    client = create_app({"INDEX_DIR": str(view), "TESTING": True, "API_TOKEN": "t"}).test_client()
    assert client.get("/api/v1/search?q=oil").get_json()["total"] > 0
    response = client.post(
        "/api/v1/articles",
        json={"id": "x", "date": "2024-01-01", "body": "Text."},
        headers={"Authorization": "Bearer t"},
    )
    assert_json_error(response, 503, "read-only")
    assert count(index) == (CORPUS_SIZE, CORPUS_SIZE)


# A damaged index


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def test_a_truncated_segment_file_is_reported_by_check_and_answered_with_a_503(tmp_path, corpus):
    index = tmp_path / "index"
    ingest(index, [corpus], workers=1)
    [stored] = index.glob("*._stored.col")
    _truncate(stored)

    checked = cli("check", "--index", str(index))
    assert checked.returncode == 1
    assert "DAMAGED: stored article 0 cannot be read" in checked.stdout, checked.stdout
    assert "check --repair" in checked.stdout
    report = json.loads(cli("check", "--index", str(index), "--json").stdout)
    assert report["ok"] is False and report["segments"][0]["damaged"] is True

    searched = cli("search", "--index", str(index), "oil")
    assert searched.returncode == 1 and "the index is damaged" in searched.stderr, searched.stderr
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    body = assert_json_error(client.get("/api/v1/search?q=oil"), 503, "the index is damaged")
    assert "newsindex check" in body["message"]
    assert client.get("/?q=oil").status_code == 503

    # Repair: drop the damaged segment, ingest the sources again.
    repaired = cli("check", "--index", str(index), "--repair")
    assert "dropped segment" in repaired.stdout
    assert cli("ingest", "--index", str(index), "--quiet", str(corpus)).returncode == 0
    assert cli("check", "--index", str(index)).returncode == 0
    assert count(index) == (CORPUS_SIZE, CORPUS_SIZE)


def test_damaged_posting_arrays_degrade_searches_and_optimize_rewrites_them(tmp_path, corpus):
    index = tmp_path / "index"
    ingest(index, [corpus], workers=1)
    whole = open_index(index).search(q="oil").total
    [docs] = index.glob("postings/*/body.docs.npy")
    _truncate(docs)
    assert open_index(index).search(q="oil").total == whole  # read from Whoosh's postings instead
    checked = cli("check", "--index", str(index))
    assert checked.returncode == 1 and "posting arrays" in checked.stdout
    assert cli("optimize", "--index", str(index)).returncode == 0
    assert cli("check", "--index", str(index)).returncode == 0


def test_a_missing_segment_file_is_a_clear_message(tmp_path, corpus):
    index = tmp_path / "index"
    ingest(index, [corpus], workers=1)
    [terms] = index.glob("*.trm")
    terms.unlink()
    searched = cli("search", "--index", str(index), "oil")
    assert searched.returncode == 1 and "the index is damaged" in searched.stderr, searched.stderr
    checked = cli("check", "--index", str(index))
    assert checked.returncode == 1 and ".trm is missing" in checked.stdout
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    assert_json_error(client.get("/api/v1/search?q=oil"), 503, "the index is damaged")


# Two ingests at once


def test_a_second_ingest_waits_for_the_first_and_nothing_is_lost(tmp_path):
    corpus, more = tmp_path / "corpus", tmp_path / "more"
    crash_test.write_corpus(corpus, 400, random.Random(6))
    more.mkdir()
    for n in range(20):
        (more / f"b{n:03d}.txt").write_text(f" date 2024-06-{1 + n:02d} Extra item {n} from Paris about oil prices.\n")
    index = tmp_path / "index"
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "ingest",
        "--index",
        str(index),
        "--quiet",
        "--workers",
        "1",
        "--batch-size",
        "50",
    ]
    first = subprocess.Popen(
        command + [str(corpus)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(2.0)
    refused = cli("ingest", "--index", str(index), "--quiet", "--wait", "0", str(more))
    second = cli("ingest", "--index", str(index), "--quiet", "--wait", "300", str(more))
    _, first_errors = first.communicate(timeout=300)
    assert first.returncode == 0 and "Traceback" not in first_errors
    if refused.returncode != 0:  # refused while the first ran, in one line
        assert refused.returncode == 1
        assert "the index is locked by another ingest or delete; gave up" in refused.stderr, refused.stderr
    assert second.returncode == 0, second.stderr
    assert count(index) == (420, 420)


# The write endpoints' answers, as documented


def test_write_endpoints_answer_401_with_a_challenge_and_403_when_writes_are_off(built_index):
    on = create_app({"INDEX_DIR": str(built_index), "TESTING": True, "API_TOKEN": "t"}).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dDp0"}):
        response = on.delete("/api/v1/articles/nope", headers=headers)
        assert_json_error(response, 401, "bearer token")
        assert response.headers["WWW-Authenticate"] == "Bearer"
    off = create_app({"INDEX_DIR": str(built_index), "TESTING": True}).test_client()
    assert_json_error(off.delete("/api/v1/articles/nope"), 403, "write endpoints are off")
    spec = off.get("/api/v1/openapi.json").get_json()
    for path, method in (("/api/v1/articles", "post"), ("/api/v1/articles/{article_id}", "delete")):
        operation = spec["paths"][path][method]
        assert {"401", "403", "503"} <= set(operation["responses"]), (path, sorted(operation["responses"]))
        assert operation["security"] == [{"bearerAuth": []}]
    assert "413" in spec["paths"]["/api/v1/articles"]["post"]["responses"]
    assert "507" in spec["paths"]["/api/v1/articles"]["post"]["responses"]
