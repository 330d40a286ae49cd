"""Where shards are served: one host actor per worker, re-created and rebalanced.

Dask never restores an actor whose worker died, so the coordinator does: a keeper
thread gives every shard without a healthy host to a live worker, and moves shards to
a worker that holds none (a replacement that joined) until the load is even. A worker
that missed a phase's deadline (hung) gets no shards for SHUN_SECONDS. `Placement` is a
part of `ClusterBackend` (search/cluster/backend.py).
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field

log = logging.getLogger("newsindex.cluster")

SHUN_SECONDS = 30.0  # a worker that missed a deadline gets no shards for this long
KEEPER_INTERVAL = 0.5
SHARD_SHARE = 0.8  # of a phase's deadline, a shard's own search time limit (it answers partial first)


@dataclass
class _Host:
    address: str
    actor: object
    shards: set[str] = field(default_factory=set)
    healthy: bool = True
    future: object = None  # the actor's Dask future: the actor lives as long as it is held


class Placement:
    """The hosts of a ClusterBackend's shards: placement, recovery and balance."""

    def _workers(self) -> list[str]:
        try:
            workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
        except TypeError:  # older distributed: no n_workers
            workers = self.client.scheduler_info().get("workers", {})
        now = time.monotonic()
        return sorted(w for w in workers if self._shunned.get(w, 0) < now)

    def served(self) -> set[str]:
        with self._lock:
            return {s for h in self._hosts.values() if h.healthy for s in h.shards}

    def recover(self, timeout: float = 10.0) -> None:
        """Give every shard without a healthy host to a live worker (re-creating actors),
        then move shards to workers that hold none (a replacement that joined) until the
        load is even."""
        from distributed import Actor  # noqa: F401  (the cluster extra must be installed)

        with self._recover_lock:
            workers = self._workers()
            with self._lock:
                for address, host in list(self._hosts.items()):
                    if not host.healthy or address not in workers:
                        del self._hosts[address]
                orphans = sorted(set(self.names) - self.served())
                load = {w: sorted(self._hosts[w].shards) if w in self._hosts else [] for w in workers}
            if not workers:
                return
            plan: dict[str, list[str]] = {}
            for name in orphans:
                target = min(workers, key=lambda w: (len(load[w]), w))
                load[target].append(name)
                plan.setdefault(target, []).append(name)
            for address, names in plan.items():
                self._place(address, names, timeout)
            for address, (donor, names) in self._moves(workers).items():
                if self._place(address, names, timeout):
                    with self._lock:
                        donor.shards.difference_update(names)
                    with contextlib.suppress(Exception):  # the donor closes them (not waited for)
                        donor.actor.remove(names)

    def _moves(self, workers: list[str]) -> dict[str, tuple[_Host, list[str]]]:
        """Return the shards to move to each worker that holds none, from the most loaded
        hosts, while a move makes the load more even."""
        with self._lock:
            load = {w: sorted(self._hosts[w].shards) if w in self._hosts else [] for w in workers}
            hosts = dict(self._hosts)
        moves: dict[str, tuple[_Host, list[str]]] = {}
        for idle in sorted(w for w in workers if w not in hosts):
            donor = max(hosts, key=lambda w: (len(load[w]), w), default=None)
            while donor is not None and len(load[donor]) - len(load[idle]) >= 2:
                name = load[donor].pop()
                load[idle].append(name)
                moves.setdefault(idle, (hosts[donor], []))[1].append(name)
                donor = max(hosts, key=lambda w: (len(load[w]), w))
        return moves

    def _balanced(self, workers: list[str]) -> bool:
        return not self._moves(workers)

    def _place(self, address: str, names: list[str], timeout: float) -> bool:
        """Open shards `names` on the worker at `address` (its host, or a new actor there)."""
        shards = {n: self.shard_paths[n] for n in names}
        try:
            with self._lock:
                host = self._hosts.get(address)
            if host is not None:
                host.actor.add(shards).result(timeout=timeout)
                with self._lock:
                    host.shards.update(names)
                return True
            from search.cluster.host import ShardHost

            future = self.client.submit(
                ShardHost,
                shards,
                self.phase_timeout * SHARD_SHARE,
                actor=True,
                workers=[address],
                allow_other_workers=False,
                pure=False,
            )
            # The actor proxy binds to the "current" client as it is unpickled:
            # ours, which need not be the process's default client.
            with self.client.as_current():
                actor = future.result(timeout=timeout)
            with self._lock:
                self._hosts[address] = _Host(address, actor, set(names), future=future)
            return True
        except Exception as exc:
            log.warning("cannot place shards %s on %s: %r", names, address, exc)
            self._shunned[address] = time.monotonic() + SHUN_SECONDS
            return False

    def _keep(self) -> None:
        while not self._stop.wait(KEEPER_INTERVAL):
            try:
                workers = self._workers()
                with self._lock:
                    lost = any(not h.healthy or a not in workers for a, h in self._hosts.items())
                if lost or self.served() != set(self.names) or not self._balanced(workers):
                    self.recover()
            except Exception:  # the keeper never dies; the next round tries again
                pass

    def _drop(self, host: _Host, hung: bool) -> None:
        with self._lock:
            host.healthy = False
            if hung:
                self._shunned[host.address] = time.monotonic() + SHUN_SECONDS
