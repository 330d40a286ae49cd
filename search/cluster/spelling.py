"""The coordinator's "did you mean": the single index's corrections from the shards' sums.

A correction asks how many articles hold each word of the query, which indexed terms
are spelt like the rare ones (with their edits and articles), and how the archive
writes the chosen term (in the article of the lowest id). `ShardSpelling` answers
those questions with one phase each, summing the shards' counts, and
search.suggest.suggested does the rest as it does for one index. `SpellingAnswers` is
a part of `ClusterBackend` (search/cluster/backend.py).
"""

from __future__ import annotations

import time
from dataclasses import replace

from search.answers import Suggestion
from search.query import SearchRequest
from search.suggest import SUGGEST_BELOW, suggested


class ShardSpelling:
    """search.suggest.IndexSpelling's questions, answered by every shard and summed."""

    def __init__(self, backend, deadline: float):
        self.backend = backend
        self.deadline = deadline

    def _parts(self, phase: str, **kwargs) -> list:
        return list(self.backend._run(phase, self.deadline, **kwargs).values.values())

    def doc_frequencies(self, stems: list[str]) -> dict[str, int]:
        total: dict[str, int] = {}
        for part in self._parts("spelling_frequencies", stems=stems):
            for stem, n in part.items():
                total[stem] = total.get(stem, 0) + n
        return total

    def candidates(self, stems: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
        merged: dict[str, dict[str, tuple[int, int]]] = {stem: {} for stem in stems}
        for part in self._parts("spelling_candidates", stems=stems):
            for stem, found in part.items():
                for term, (edits, n) in found.items():
                    seen = merged[stem].get(term)
                    merged[stem][term] = (edits, n) if seen is None else (min(seen[0], edits), seen[1] + n)
        return merged

    def surfaces(self, terms: list[str]) -> dict[str, tuple[str, str]]:
        best: dict[str, tuple[str, str]] = {}
        for part in self._parts("spelling_surfaces", terms=terms):
            for term, found in part.items():
                if term not in best or found[0] < best[term][0]:
                    best[term] = found
        return best


class SpellingAnswers:
    """Suggestions over the shards of a ClusterBackend."""

    def suggestion(self, request: SearchRequest, total: int) -> Suggestion | None:
        if total >= SUGGEST_BELOW:
            return None
        deadline = time.monotonic() + self.time_limit

        def count(corrected: SearchRequest) -> int:
            return self.search(replace(corrected, facets=()), with_suggestion=False).total

        return suggested(request, total, ShardSpelling(self, deadline), self._names(deadline), count)
