"""The coordinator's side: shards' partial answers combined into the corpus's.

Counts are added per value id (every shard counts over the same corpus-wide
vocabulary), day numbers are joined, and hits are merged by the key a single
index orders them by: score then article id, or date then article id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from search.errors import IndexNotFoundError
from search.facets import ALIAS_MERGES, ENTITY_FIELDS, FacetColumns, alias_map, judge_names


class ShardsUnavailableError(IndexNotFoundError):
    """No shard answered: the API answers 503 (as for a missing index), the CLI fails."""


@dataclass(frozen=True)
class CorpusNames(FacetColumns):
    """The corpus's names as a coordinator knows them: vocabulary, aliases and live
    counts per name, without any document (resolve, expand, prefixes, closest names)."""

    totals: dict = field(default_factory=dict)  # field -> live articles per value id

    def counts(self, name: str, docs) -> np.ndarray:
        return self.totals[name]


def summed_counts(raw: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    """Return, per field, every value of the shards' raw counts with the sum of its counts."""
    totals: dict[str, dict[str, int]] = {}
    for shard in raw:
        for name, values in shard.items():
            field_totals = totals.setdefault(name, {})
            for value, count in values.items():
                field_totals[value] = field_totals.get(value, 0) + count
    return totals


def judgement(raw: list[dict[str, dict[str, int]]]) -> tuple[dict[str, str], frozenset[str]]:
    """Return the corpus's (moved, unlisted) people from each shard's raw counts of the
    people and evidence fields, judged as one index judges its own (search.facets)."""
    moved, unlisted = judge_names(summed_counts(raw), ALIAS_MERGES)
    return moved, frozenset(unlisted)


def merged_vocabulary(raw: list[dict[str, dict[str, int]]]) -> tuple[dict, dict]:
    """Return (vocab, aliases) per field from each shard's names with live counts (after
    the judgement of the people), merged exactly as one index merges its own
    (search.facets.build_columns)."""
    summed = summed_counts(raw)
    vocab, aliases = {}, {}
    for name in ENTITY_FIELDS:
        totals = summed.get(name, {})
        names = sorted(totals)
        aliases[name] = alias_map({v: totals[v] for v in names}, ALIAS_MERGES.get(name)) if names else {}
        vocab[name] = tuple(sorted(set(names) - set(aliases[name])))
    return vocab, aliases


def corpus_names(
    vocab: dict, aliases: dict, totals: dict, moved: dict | None = None, unlisted: frozenset[str] = frozenset()
) -> CorpusNames:
    empty = np.zeros(0, dtype=np.int64)
    return CorpusNames(
        0,
        vocab,
        {},
        {},
        np.zeros(0, np.int32),
        np.zeros(0, bool),
        aliases,
        id_rank=empty,
        moved=dict(moved or {}),
        unlisted=frozenset(unlisted),
        totals=totals,
    )


def add_sparse(size: int, parts) -> np.ndarray:
    """Return the dense sum of sparse (ids, counts) pairs over `size` values."""
    total = np.zeros(size, dtype=np.int64)
    for ids, counts in parts:
        np.add.at(total, ids, counts)
    return total


def joined_days(parts) -> np.ndarray:
    """Return the day numbers of (days, counts) pairs as one array, one entry per article."""
    arrays = [np.repeat(days, counts) for days, counts in parts if len(days)]
    return np.concatenate(arrays).astype(np.int32) if arrays else np.zeros(0, dtype=np.int32)


def order_key(scored: bool, oldest: bool):
    """Return the sort key of (score, day, id, ...) candidates, as the single index orders."""
    if scored:
        return lambda c: (-c[0], c[2])
    if oldest:
        return lambda c: (c[1], c[2])
    return lambda c: (-c[1], c[2])


def surface_forms(recent: list[tuple[int, str, list[str]]], limit: int, count: int = 20) -> list[str]:
    """Return the most frequent ways a name is written in its `limit` latest mentions
    (newest first, one day's by id), counted in that order as explore.surface_forms does."""
    seen: Counter[str] = Counter()
    for _day, _id, forms in sorted(recent, key=lambda r: (-r[0], r[1]))[:limit]:
        for form in forms:
            seen[form] += 1
    return [form for form, _ in seen.most_common(count)]
