"""The analysis version changes with any file that shapes what analysis finds."""

import shutil

from search.analysis import ANALYSIS_DIR, analysis_files, files_digest


def test_every_python_file_of_analysis_is_hashed_however_deep():
    hashed = set(analysis_files())
    python_files = {p for p in ANALYSIS_DIR.rglob("*.py") if "__pycache__" not in p.parts}
    assert python_files <= hashed
    assert {p.relative_to(ANALYSIS_DIR).as_posix() for p in hashed} >= {
        "entities.py",
        "models/entities.crfsuite",
        "models/lexicon.json",
    }


def test_a_change_in_a_sub_package_changes_the_digest(tmp_path):
    root = tmp_path / "analysis"
    shutil.copytree(ANALYSIS_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "rules").mkdir(exist_ok=True)
    rule = root / "rules" / "a_rule.py"
    rule.write_text("RULE = 1\n")
    before = files_digest(root)

    rule.write_text("RULE = 2\n")
    assert files_digest(root) != before

    rule.write_text("RULE = 1\n")
    (root / "rules" / "__pycache__").mkdir()
    (root / "rules" / "__pycache__" / "a_rule.cpython-312.pyc").write_bytes(b"compiled")
    assert files_digest(root) == before  # compiled caches are no analysis
