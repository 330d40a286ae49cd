"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

A short, CI-sized run with every check and no exclusions; scripts/contract_check.py runs
the same checks with more examples (against the app, or a live server). No response may
be a 5xx, every response must be documented and match its schema, a request the
document calls valid must not be refused with a 4xx, nor an invalid one accepted: the
document describes dates, cursors, pages and timeline series exactly as the server reads
them (api/schemas.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from search import ingest
from tests.conftest import ARTICLES, EXAMPLE

TOKEN = "fuzz-token"

# schemathesis' pytest integration wants the schema at import time (its fixture
# loader does not work with this pytest), so the index is built here.
_folder = Path(tempfile.mkdtemp(prefix="newsindex-fuzz-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
ingest(_folder / "index", [ARTICLES, EXAMPLE], workers=1)
_app = create_app({"INDEX_DIR": str(_folder / "index"), "API_TOKEN": TOKEN})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("NEWSINDEX_FUZZ_EXAMPLES", "30")),  # more for a long local run
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # CI explores a fixed set of examples: schemathesis (4.32.5) still sometimes sends an
    # array-of-strings query parameter an "integer" as negative data (place=7978886), a
    # string once in the URL, and reports the 200 as a contract failure (its issues
    # #3962/#4600 family). Local runs, and scripts/contract_check.py, stay random.
    derandomize=os.environ.get("CI", "").lower() in ("1", "true"),
)
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
