"""The shape of the house: arrows that run one way, checked on every run.

The contracts live in pyproject.toml ([tool.importlinter]); grimp, the graph
import-linter builds, counts imports anywhere in a module, inside functions too."""

from __future__ import annotations

import os
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 700


def test_the_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(REPO)
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def _cycle(graph, modules: set[str]) -> list[str] | None:
    """Return one import cycle among `modules`, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if state.get(imported) == 1:
                return path[path.index(imported) :] + [imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(modules):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_module_of_search_or_api_is_in_an_import_cycle():
    graph = grimp.build_graph("search", "api", cache_dir=None)
    # A package's __init__ re-exports its modules; the arrows that matter run between modules.
    packages = {m for m in graph.modules if (REPO / m.replace(".", os.sep) / "__init__.py").exists()}
    modules = set(graph.modules) - packages
    assert _cycle(graph, modules) is None


def test_the_cycle_check_finds_a_cycle():
    class Graph:
        imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}

        def find_modules_directly_imported_by(self, module):
            return self.imports[module]

    assert _cycle(Graph(), {"a", "b", "c", "d"}) == ["a", "b", "c", "a"]
    Graph.imports["c"] = set()
    assert _cycle(Graph(), {"a", "b", "c", "d"}) is None


@pytest.mark.parametrize("package", ["search", "api"])
def test_no_module_is_over_700_lines(package):
    long = {
        str(path.relative_to(REPO)): n
        for path in (REPO / package).rglob("*.py")
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
