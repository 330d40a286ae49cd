"""`ShardHost`: the Dask actor of one worker, holding all the shards it serves.

All synchronous actor methods of a worker run on one thread, so one actor per
worker answers for all its shards with one call per phase (an actor call costs
about 0.5 ms; a plain task round trip 11 ms). Each call answers per shard: a value,
or a marker the coordinator acts on ("stale": the shard has a newer generation than
the coordinator's view; "need_view": this host has not been sent the view yet;
"error": the shard failed).
"""

from __future__ import annotations

import traceback
from collections import OrderedDict

from search.cluster.shard import Shard, StaleShard, View, vocabulary_index

VIEWS = 2  # views kept: the current one and the one before, for requests in flight
PHASES = (
    "search",
    "render",
    "rows",
    "counts",
    "entity",
    "timeline",
    "article",
    "quote_statistics",
    "quotes",
    "quote_hits",
    "quote_rows",
    "speaker_quotes",
    "similar_source",
    "term_statistics",
    "similar_hits",
    "similar_render",
    "spelling_frequencies",
    "spelling_candidates",
    "spelling_surfaces",
)


class ShardHost:
    """The shards one worker serves (a Dask actor; plain Python otherwise)."""

    def __init__(self, shards: dict[str, str], time_limit: float | None = 10.0):
        self.time_limit = time_limit
        self.shards: dict[str, Shard] = {}
        self.views: OrderedDict[tuple, tuple[View, dict]] = OrderedDict()
        self.add(shards)

    def add(self, shards: dict[str, str]) -> list[str]:
        """Open more shards (name -> folder); return every shard held."""
        for name, path in shards.items():
            if name not in self.shards:
                self.shards[name] = Shard(name, path, self.time_limit)
        return sorted(self.shards)

    def remove(self, names: list[str]) -> list[str]:
        """Close shards (moved to another worker); return every shard still held."""
        for name in names:
            shard = self.shards.pop(name, None)
            if shard is not None:
                shard.close()
        return sorted(self.shards)

    def held(self) -> list[str]:
        return sorted(self.shards)

    def raw_counts(self, names: list[str] | None = None) -> dict:
        return {name: self._guard(shard.raw_counts) for name, shard in self._chosen(names)}

    def judged_counts(self, generations: dict[str, int], moved: dict[str, str], unlisted: frozenset[str]) -> dict:
        return {
            name: self._guard(shard.judged_counts, generations[name], moved, unlisted)
            for name, shard in self._chosen(list(generations))
        }

    def set_view(self, view: View) -> bool:
        if view.key not in self.views:
            self.views[view.key] = (view, vocabulary_index(view))
            while len(self.views) > VIEWS:
                self.views.popitem(last=False)
        return True

    def statistics(self, q: str, names: list[str] | None = None) -> dict:
        return {name: self._guard(shard.statistics, q) for name, shard in self._chosen(names)}

    def stats(self, names: list[str] | None = None) -> dict:
        return {name: self._guard(shard.stats) for name, shard in self._chosen(names)}

    def run(self, phase: str, view_key: tuple, per_shard: dict | None = None, **kwargs) -> dict:
        """Run one phase on the shards named in `per_shard` (name -> its own arguments)
        or on all held shards with `kwargs`; answer per shard."""
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase}")
        found = self.views.get(view_key)
        if found is None:
            return {"need_view": True}
        view, index = found
        names = list(per_shard) if per_shard is not None else list(self.shards)
        answers = {}
        for name in names:
            shard = self.shards.get(name)
            if shard is None:
                answers[name] = {"error": "not held"}
                continue
            arguments = {**kwargs, **(per_shard or {}).get(name, {})}
            answers[name] = self._guard(getattr(shard, phase), view, index=index, **arguments)
        return answers

    def _chosen(self, names):
        return [(n, s) for n, s in self.shards.items() if names is None or n in names]

    @staticmethod
    def _guard(method, *args, **kwargs):
        try:
            return {"ok": method(*args, **kwargs)}
        except StaleShard:
            return {"stale": True}
        except Exception as exc:  # one shard's failure is that shard's, not the host's
            return {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc(limit=5)}
