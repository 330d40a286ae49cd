"""What the app shares between requests: the backend it serves, opened on first use."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from flask import current_app

from search import SearchBackend, open_index

EXTENSION = "newsindex"


class BackendHolder:
    """Opens the index on first use (it may not exist when the server starts) and keeps it."""

    def __init__(self, path: str | os.PathLike, time_limit: float, cluster: str | None = None):
        self.path = Path(path)
        self.time_limit = time_limit
        self.cluster = cluster  # a Dask scheduler's address: serve the sharded index at `path`
        self._backend: SearchBackend | None = None
        self._lock = threading.Lock()

    def get(self, create: bool = False) -> SearchBackend:
        """Return the backend; with `create`, an empty index is made if there is none."""
        if self._backend is None:
            with self._lock:
                if self._backend is None and self.cluster:
                    from search.cluster.backend import open_cluster

                    self._backend = open_cluster(self.path, self.cluster, time_limit=self.time_limit)
                elif self._backend is None:
                    self._backend = open_index(self.path, create=create, time_limit=self.time_limit)
        return self._backend


def backend(create: bool = False) -> SearchBackend:
    """Return the backend of the current app."""
    return current_app.extensions[EXTENSION].get(create)
