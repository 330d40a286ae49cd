"""Fixtures: real indexes built from real article files in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.app import create_app
from search import ingest
from tests.plain import open_plain

HERE = Path(__file__).parent
REPO = HERE.parent
ARTICLES = HERE / "articles"
EXAMPLE = REPO / "examples" / "000_7483b6d759d5b458.txt"
EXAMPLE_ID = "000_7483b6d759d5b458"
CORPUS_SIZE = 10  # 5 .txt in folders + BOM/CRLF + Latin-1 + 2 JSON lines + the example


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with the test articles and the bundled example article."""
    folder = tmp_path / "corpus"
    shutil.copytree(ARTICLES, folder)
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    return folder


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """One index over the corpus, shared by read-only tests."""
    root = tmp_path_factory.mktemp("shared")
    folder = root / "corpus"
    shutil.copytree(ARTICLES, folder)
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    path = root / "index"
    report = ingest(path, [folder], workers=1)
    assert report.added == CORPUS_SIZE, report.as_dict()
    return path


@pytest.fixture(scope="session")
def engine(built_index):
    return open_plain(built_index)


@pytest.fixture(scope="session")
def client(built_index):
    app = create_app({"INDEX_DIR": str(built_index), "TESTING": True})
    return app.test_client()


@pytest.fixture
def write_client(tmp_path, corpus):
    """An app over a private index, with the write endpoints on."""
    path = tmp_path / "index"
    ingest(path, [corpus], workers=1)
    app = create_app({"INDEX_DIR": str(path), "TESTING": True, "API_TOKEN": "s3cret"})
    return app.test_client()
