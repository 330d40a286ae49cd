"""Query-string URLs: this request's parameters with some added, removed or replaced.

Both the JSON API (`toggle_url`, `next_url`) and the web page (its links) build
their URLs here, so a filter toggles the same way in both."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode


def changed(params: Mapping[str, list[str]], **changes) -> dict[str, list[str]]:
    """Return `params` (name -> values) with each changed parameter replaced: None or
    an empty list removes it, a string or a list sets its values."""
    result = {k: list(v) for k, v in params.items()}
    for key, value in changes.items():
        result.pop(key, None)
        if value is None or value == [] or value == "":
            continue
        result[key] = list(value) if isinstance(value, (list, tuple)) else [value]
    return result


def toggled(values: Iterable[str], value: str, selected: bool | None = None) -> list[str]:
    """Return `values` without `value` (any case) when it is `selected` (by default:
    when it is among them), else with it added."""
    values = list(values)
    kept = [v for v in values if v.lower() != value.lower()]
    if selected is None:
        selected = len(kept) != len(values)
    return kept if selected else values + [value]


def url(path: str, params: Mapping[str, list[str]], order: Iterable[str] | None = None) -> str:
    """Return `path` with `params` as its query string (in `order` when given)."""
    keys = list(order) if order is not None else list(params)
    pairs = [(k, v) for k in keys for v in params.get(k, [])]
    return path + ("?" + urlencode(pairs) if pairs else "")
