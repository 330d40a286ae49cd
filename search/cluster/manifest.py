"""DIR/cluster.json: what a sharded index is made of.

The manifest lists the shards (folder, owner at the last ingest, article count),
the generation (one more after every ingest or delete that changed something) and
the last ingest's report. It is written to a temporary file and renamed over the old
one, so a reader sees the old manifest or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from search.cluster.routing import shard_name
from search.errors import IndexNotFoundError

MANIFEST_FILE = "cluster.json"
ROUTING = "blake2b-64(id) mod shards"


@dataclass(frozen=True)
class ShardEntry:
    name: str  # folder under the index folder: shard-00
    owner: str | None = None  # the worker that wrote it last
    articles: int = 0


@dataclass(frozen=True)
class Manifest:
    shards: tuple[ShardEntry, ...]
    generation: int = 0
    routing: str = ROUTING
    last_ingest: str | None = None
    last_ingest_report: dict | None = None
    version: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.shards)

    def shard_path(self, root: str | os.PathLike, number: int) -> Path:
        return Path(root) / self.shards[number].name

    def with_shards(self, **changes) -> Manifest:
        return replace(self, **changes)


def new_manifest(shards: int) -> Manifest:
    return Manifest(tuple(ShardEntry(shard_name(i)) for i in range(shards)))


def manifest_exists(root: str | os.PathLike) -> bool:
    return (Path(root) / MANIFEST_FILE).is_file()


def read_manifest(root: str | os.PathLike) -> Manifest:
    """Return the manifest of the sharded index at `root`; raise IndexNotFoundError if none."""
    try:
        data = json.loads((Path(root) / MANIFEST_FILE).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexNotFoundError(
            f"no sharded index at {root} (run 'newsindex ingest --cluster ADDR --index {root}' first)"
        ) from None
    except (OSError, ValueError) as exc:
        raise IndexNotFoundError(f"cannot read the manifest of {root}: {exc}") from None
    return Manifest(
        shards=tuple(ShardEntry(**s) for s in data["shards"]),
        generation=data.get("generation", 0),
        routing=data.get("routing", ROUTING),
        last_ingest=data.get("last_ingest"),
        last_ingest_report=data.get("last_ingest_report"),
        version=data.get("version", 1),
    )


def write_manifest(root: str | os.PathLike, manifest: Manifest) -> None:
    """Write the manifest atomically (a temporary file renamed over the old one)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    data = asdict(manifest)
    data.pop("extra", None)
    target = root / MANIFEST_FILE
    tmp = root / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
