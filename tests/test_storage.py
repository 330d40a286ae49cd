"""How a server reads the index's files: by pread through one descriptor per file, so the
page cache is not counted in its resident memory, threads share descriptors, and the
files of a merged-away segment are let go."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

from search import ingest, open_index
from search.index import optimize
from search.storage import CHUNK, PositionalFile, _descriptor


def _mapped_files(folder: Path) -> list[str]:
    """The files under `folder` that this process maps into memory."""
    prefix = str(folder.resolve())
    with open("/proc/self/maps") as maps:
        return sorted({line.split()[-1] for line in maps if prefix in line and "/postings/" not in line})


def _open_files(folder: Path) -> list[str]:
    prefix = str(folder.resolve())
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(prefix):
            found.append(target)
    return found


def test_searching_maps_no_whoosh_file_and_threads_share_descriptors(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1)
    engine = open_index(path)
    engine.warm()
    answers = []

    def ask():
        answers.append(engine.search(q="said", facets=["people", "places", "month"]).total)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(answers)) == 1 and answers[0] > 0
    # Whoosh's files (terms, postings, stored fields) are read, not mapped: only the
    # posting arrays under postings/ are memory-mapped.
    assert _mapped_files(path) == []
    opened = _open_files(path)
    assert opened and len(opened) == len(set(opened))  # one descriptor per file, not per thread


def test_a_merged_away_segment_is_let_go(tmp_path, corpus):
    path = tmp_path / "ix"
    ingest(path, [corpus], workers=1, batch_size=3)
    engine = open_index(path)
    before = engine.search(q="said").total
    optimize(path)
    assert engine.search(q="said").total == before  # the thread's searcher is reopened
    gc.collect()
    deleted = [name for name in _open_files(path) if not os.path.exists(name) or name.endswith("(deleted)")]
    assert deleted == []


def test_positional_file_reads_like_a_file(tmp_path):
    data = bytes(range(256)) * (3 * CHUNK // 256) + b"last line\nand more"
    target = tmp_path / "f"
    target.write_bytes(data)
    first, second = PositionalFile(_descriptor(str(target))), PositionalFile(_descriptor(str(target)))
    assert first.read(10) == data[:10] and second.read(3) == data[:3]  # own positions
    first.seek(CHUNK - 5)
    assert first.read(10) == data[CHUNK - 5 : CHUNK + 5]  # across a chunk's end
    assert first.pread(2 * CHUNK, CHUNK + 7) == data[2 * CHUNK : 3 * CHUNK + 7]
    first.seek(-18, 2)
    assert first.readline() == b"last line\n" and first.read() == b"and more" and first.read() == b""
    buffer = bytearray(4)
    second.seek(100)
    assert second.readinto(buffer) == 4 and bytes(buffer) == data[100:104] and second.tell() == 104
    assert second.peek(1)[:4] == data[104:108] and second.tell() == 104
