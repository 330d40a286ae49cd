"""The newsindex command: ingest summary and exit codes, search table and JSON, stats, delete."""

from __future__ import annotations

import json
import subprocess
import sys

from api.cli import EXIT_OK, EXIT_SKIPPED, main
from tests.conftest import CORPUS_SIZE, EXAMPLE_ID, REPO
from tests.plain import open_plain


def test_ingest_search_stats_delete(tmp_path, corpus, capsys):
    index = str(tmp_path / "ix")
    assert main(["ingest", "--index", index, "--quiet", str(corpus)]) == EXIT_OK
    assert f"added {CORPUS_SIZE}, updated 0, unchanged 0, skipped 0" in capsys.readouterr().out

    assert main(["ingest", "--index", index, "--quiet", str(corpus)]) == EXIT_OK
    assert f"added 0, updated 0, unchanged {CORPUS_SIZE}" in capsys.readouterr().out

    assert main(["search", "--index", index, "Rafah"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("2 articles")
    assert EXAMPLE_ID in out and "[Rafah]" in out
    assert "people: " in out and "Benjamin Netanyahu (2)" in out and "month: 2024-03 (1), 2024-04 (1)" in out

    assert main(["search", "--index", index, "--json", "--person", "Angela Merkel"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in answer["results"]} == {"merkel-paris", "merkel-berlin"}

    assert main(["stats", "--index", index, "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["articles"] == CORPUS_SIZE

    assert main(["delete", "--index", index, "oil-opec"]) == EXIT_OK
    assert "deleted 1" in capsys.readouterr().out


def test_ingest_exit_code_says_something_was_skipped(tmp_path, corpus, capsys):
    (corpus / "bad.txt").write_text("no date line\n")
    assert main(["ingest", "--index", str(tmp_path / "ix"), "--quiet", str(corpus)]) == EXIT_SKIPPED
    captured = capsys.readouterr()
    assert f"added {CORPUS_SIZE}" in captured.out and "skipped 1" in captured.out
    assert "bad.txt:1: no date line" in captured.err


def test_bad_search_arguments_are_usage_errors(tmp_path, corpus, capsys):
    index = str(tmp_path / "ix")
    main(["ingest", "--index", index, "--quiet", str(corpus)])
    assert main(["search", "--index", index, "--from", "2024-99"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["search", "--index", str(tmp_path / "missing"), "x"]) == 1
    assert "no index" in capsys.readouterr().err


def test_help_explains_each_command():
    out = subprocess.run([sys.executable, "-m", "api.cli", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("ingest", "search", "serve", "stats", "delete"):
        assert command in out
    serve = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--host" in serve and "127.0.0.1" in serve and "--port" in serve and "--index" in serve


def test_export_writes_every_hit_as_csv(tmp_path, corpus, capsys):
    index = str(tmp_path / "ix")
    main(["ingest", "--index", index, "--quiet", str(corpus)])
    capsys.readouterr()
    assert main(["export", "--index", index, "prices OR energy", "--format", "csv"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,date,headline,title,url,source,people,places,organisations,score"

    assert len(lines) - 1 == open_plain(index).search(q="prices OR energy")["total"] == 5


def test_ingest_with_optimize_leaves_one_segment(tmp_path, corpus, capsys):

    index = str(tmp_path / "ix")
    assert main(["ingest", "--index", index, "--quiet", "--batch-size", "3", str(corpus)]) == EXIT_OK
    assert open_plain(index).stats()["segments"] > 1
    (corpus / "new.txt").write_text(" date 2024-05-01 A new article about Lisbon.")
    assert main(["ingest", "--index", index, "--quiet", "--batch-size", "3", "--optimize", str(corpus)]) == EXIT_OK
    stats = open_plain(index).stats()
    assert stats["segments"] == 1 and stats["articles"] == 11


def test_serve_on_a_taken_port_says_so_without_a_traceback(tmp_path, corpus, capsys):
    import socket

    from api.cli import EXIT_FAILED

    index = str(tmp_path / "ix")
    assert main(["ingest", "--index", index, "--quiet", str(corpus)]) == EXIT_OK
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--index", index, "--port", str(port)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err
    assert "Traceback" not in err


def test_a_closed_output_pipe_is_not_reported_as_a_damaged_index(built_index):
    # `newsindex stats | true`: the reader is gone before anything is written. That says
    # nothing about the index, so no message may blame it, and there is no traceback.
    command = f"{sys.executable} -m api.cli stats --index {built_index} | true"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.stderr == ""
