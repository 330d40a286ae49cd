"""Sharded ingest and delete through a Dask cluster.

The coordinator (the `newsindex ingest --cluster` process) reads the articles,
routes each to its shard by a stable hash of its id (routing.py) and sends batches
to the workers as plain Dask tasks. A worker analyses the batch (NLTK, the
recogniser: the expensive part) and writes it into the shard with the single-index
ingest (search.index.ingest): unchanged articles are skipped by their hash, changed
ones replace their old version. One batch per shard is in flight at a time, so a
shard has one writer (Whoosh's lock refuses a second one anyway). A batch prefers the
shard's owner but may run elsewhere: when a worker dies, the scheduler runs its batch
again on another worker, and the re-run skips whatever the dead one had committed.
Interrupted and re-run, every article ends up exactly once, in its one shard.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from search import index as idx
from search.articles import DEFAULT_MAX_BYTES, Article, Skipped, read_articles
from search.cluster.manifest import (
    Manifest,
    ShardEntry,
    manifest_exists,
    new_manifest,
    read_manifest,
    write_manifest,
)
from search.cluster.routing import shard_of
from search.errors import InvalidRequest

DEFAULT_SHARDS = 4
DEFAULT_BATCH = 500  # articles per task: a few seconds of analysis, one commit
MAX_QUEUED_PER_SHARD = 2  # batches read ahead per shard before the reader waits


def ingest_shard(path: str, articles: list[Article]) -> idx.IngestReport:
    """Analyse and write one batch into one shard (runs on a worker)."""
    return idx.ingest(path, articles, batch_size=len(articles) + 1, workers=1)


def delete_from_shard(path: str, ids: list[str]) -> tuple[list[str], list[str]]:
    """Delete ids from one shard (runs on a worker)."""
    if not idx.index_exists(path):
        return [], list(ids)
    return idx.delete(path, ids)


def shard_document_count(path: str) -> int:
    if not idx.index_exists(path):
        return 0
    with idx.open_existing(path).searcher() as searcher:
        return searcher.doc_count()


def _workers(client) -> list[str]:
    workers = sorted(client.scheduler_info().get("workers", {}))
    if not workers:
        raise RuntimeError("the cluster has no workers")
    return workers


def open_manifest(root: str | os.PathLike, shards: int | None) -> Manifest:
    """Return the manifest of `root`, or a new one of `shards` shards; the number of
    shards of an existing index cannot change (every article would move)."""
    if manifest_exists(root):
        manifest = read_manifest(root)
        if shards is not None and shards != manifest.count:
            raise InvalidRequest(
                {
                    "shards": [
                        f"the index at {root} has {manifest.count} shards; resharding is not supported "
                        f"(ingest into a new folder)"
                    ]
                }
            )
        return manifest
    if shards is not None and not 1 <= shards <= 256:
        raise InvalidRequest({"shards": ["must be between 1 and 256"]})
    if idx.index_exists(root):
        raise InvalidRequest({"index": [f"{root} holds a single index; a sharded one needs its own folder"]})
    return new_manifest(shards or DEFAULT_SHARDS)


def cluster_ingest(
    root: str | os.PathLike,
    sources: Iterable[str | os.PathLike] | Iterable[Article],
    client,
    *,
    shards: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int], None] | None = None,
) -> idx.IngestReport:
    """Ingest `sources` into the sharded index at `root` through the cluster of `client`;
    return the summed report. Incremental and idempotent as the single-index ingest."""
    from distributed import as_completed

    started = time.perf_counter()
    root = Path(root)
    manifest = open_manifest(root, shards)
    count = manifest.count
    workers = _workers(client)
    owners = {i: workers[i % len(workers)] for i in range(count)}
    paths = {i: str(manifest.shard_path(root, i)) for i in range(count)}
    write_manifest(
        root,
        manifest.with_shards(
            shards=tuple(ShardEntry(s.name, owners[i], s.articles) for i, s in enumerate(manifest.shards))
        ),
    )
    sources = list(sources)
    if sources and all(isinstance(s, Article) for s in sources):
        items: Iterable[Article | Skipped] = sources  # type: ignore[assignment]
    else:
        items = read_articles(sources, max_bytes=max_bytes)  # type: ignore[arg-type]

    report = idx.IngestReport()
    pending: dict[int, dict[str, Article]] = {i: {} for i in range(count)}
    queued: dict[int, deque[list[Article]]] = {i: deque() for i in range(count)}
    running: dict[int, object] = {}  # shard -> its one batch in flight
    sizes: dict[object, int] = {}

    def finished(future) -> None:
        result: idx.IngestReport = future.result()  # a batch that failed everywhere raises here
        report.added += result.added
        report.updated += result.updated
        report.unchanged += result.unchanged
        report.skipped.extend(result.skipped)
        if progress:
            progress(sizes.pop(future, 0))

    def pump(block: bool) -> None:
        """Collect finished batches and start each idle shard's next one."""
        while True:
            for shard, future in list(running.items()):
                if future.done():
                    del running[shard]
                    finished(future)
            for shard, batches in queued.items():
                if shard not in running and batches:
                    batch = batches.popleft()
                    future = client.submit(
                        ingest_shard,
                        paths[shard],
                        batch,
                        workers=[owners[shard]],
                        allow_other_workers=True,
                        pure=False,
                        retries=1,
                    )
                    running[shard] = future
                    sizes[future] = len(batch)
            if not block or not running:
                return
            next(iter(as_completed(list(running.values()), loop=client.loop)))  # the first batch to finish

    interrupted = False
    try:
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            shard = shard_of(item.id, count)
            pending[shard][item.id] = item  # a repeated id: the last version wins, as in one index
            if len(pending[shard]) >= batch_size:
                queued[shard].append(list(pending[shard].values()))
                pending[shard] = {}
                pump(block=False)
                while len(queued[shard]) > MAX_QUEUED_PER_SHARD:
                    pump(block=True)
        for shard, batch in pending.items():
            if batch:
                queued[shard].append(list(batch.values()))
        while running or any(queued.values()):
            pump(block=True)
    except KeyboardInterrupt:
        interrupted = True  # what the shards committed stays; a re-run finishes the work
        for future in running.values():
            future.cancel()
    finally:
        report.seconds = time.perf_counter() - started
        report.interrupted = interrupted
        _finish_manifest(root, manifest, owners, paths, report)
    return report


def _finish_manifest(root: Path, manifest: Manifest, owners: dict, paths: dict, report: idx.IngestReport) -> None:
    counts = {i: shard_document_count(p) for i, p in paths.items()}
    changed = report.indexed > 0 or any(counts[i] != s.articles for i, s in enumerate(manifest.shards))
    write_manifest(
        root,
        manifest.with_shards(
            shards=tuple(ShardEntry(s.name, owners[i], counts[i]) for i, s in enumerate(manifest.shards)),
            generation=manifest.generation + (1 if changed else 0),
            last_ingest=datetime.now(UTC).isoformat(timespec="seconds"),
            last_ingest_report={k: v for k, v in report.as_dict().items() if k != "skipped"}
            | {"skipped": len(report.skipped)},
        ),
    )


def cluster_delete(root: str | os.PathLike, ids: Iterable[str], client) -> tuple[list[str], list[str]]:
    """Delete articles from the sharded index at `root`; return (deleted, not found)."""
    manifest = read_manifest(root)
    wanted = list(dict.fromkeys(ids))
    by_shard: dict[int, list[str]] = {}
    for article_id in wanted:
        by_shard.setdefault(shard_of(article_id, manifest.count), []).append(article_id)
    workers = _workers(client)
    futures = {
        shard: client.submit(
            delete_from_shard,
            str(manifest.shard_path(root, shard)),
            shard_ids,
            workers=[workers[shard % len(workers)]],
            allow_other_workers=True,
            pure=False,
        )
        for shard, shard_ids in by_shard.items()
    }
    deleted: set[str] = set()
    for future in futures.values():
        done, _missing = future.result()
        deleted.update(done)
    if deleted:
        counts = {i: shard_document_count(str(manifest.shard_path(root, i))) for i in range(manifest.count)}
        write_manifest(
            root,
            manifest.with_shards(
                shards=tuple(ShardEntry(s.name, s.owner, counts[i]) for i, s in enumerate(manifest.shards)),
                generation=manifest.generation + 1,
            ),
        )
    return [i for i in wanted if i in deleted], [i for i in wanted if i not in deleted]
