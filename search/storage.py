"""How the index's files are read: positional reads (pread) of one shared descriptor per file.

Whoosh reads a segment through file objects: every searcher (one per server thread) opens
its own. We used to give each a read-only memory map. A map serves bytes from the page
cache without a system call, but every page it touches counts in the process's resident
memory, once per map: at 76,000 articles a warmed process held 42 MiB of term files and
18 MiB of postings mapped after building its facet columns, and a server's resident memory
grew with the archive (1,000,000 articles are 5-6 GB of files), which is memory the
operating system can reclaim but a user, a container limit or an OOM killer counts.

`os.pread` reads the same bytes from the same page cache, so the first queries after a
warm-up are as fast, but the cached pages belong to the system, not to this process. It
takes its position as an argument, so one descriptor per file serves every thread: each
file object keeps only its own position. The descriptor is closed when the last file
object of it is gone (a merged-away segment's file is then really freed).

Posting arrays (search/postings.py) are still memory-mapped numpy arrays: a query touches
only the slices of its terms, and one map per segment is shared by every thread.
"""

from __future__ import annotations

import os
import threading
import weakref

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


class _Descriptor:
    """One open descriptor of one file, closed when no reader refers to it any more."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        self.size = os.fstat(self.fd).st_size
        self._finalizer = weakref.finalize(self, os.close, self.fd)


CHUNK = 4096  # bytes fetched by a small read (see PositionalFile.pread)

_descriptors: weakref.WeakValueDictionary[tuple, _Descriptor] = weakref.WeakValueDictionary()
_lock = threading.Lock()


def _descriptor(path: str) -> _Descriptor:
    """Return the shared descriptor of `path` (a new one when the file was replaced)."""
    status = os.stat(path)
    key = (path, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
    with _lock:
        found = _descriptors.get(key)
        if found is None:
            found = _descriptors[key] = _Descriptor(path)
        return found


class PositionalFile:
    """A read-only file object over a shared descriptor, with its own position."""

    def __init__(self, descriptor: _Descriptor):
        self._descriptor = descriptor
        self._position = 0
        self._chunk: tuple[int, bytes] = (0, b"")  # (position, bytes): replaced whole, never in part

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(self._descriptor.size - self._position, 0)
        data = self.pread(self._position, size)
        self._position += len(data)
        return data

    def pread(self, position: int, size: int) -> bytes:
        """Return `size` bytes at `position`. Whoosh reads its term files as many small
        pieces in order (a term, then its information), so a small read fetches CHUNK
        bytes and the next ones are served from them: one system call per CHUNK."""
        start, chunk = self._chunk
        offset = position - start
        if offset >= 0 and offset + size <= len(chunk):
            return chunk[offset : offset + size]
        if size >= CHUNK:
            return os.pread(self._descriptor.fd, size, position)
        chunk = os.pread(self._descriptor.fd, CHUNK, position)
        self._chunk = (position, chunk)
        return chunk[:size]

    def peek(self, size: int = 1) -> bytes:
        """Return bytes from the position on without moving it (at least `size` unless the
        file ends): pickle's C unpickler reads ahead through it, a few calls a pickle
        instead of one per opcode."""
        return self.pread(self._position, max(size, 512))

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while size < 0 or len(line) < size:
            chunk = self.pread(self._position + len(line), CHUNK)
            if not chunk:
                break
            end = chunk.find(b"\n")
            line += chunk if end < 0 else chunk[: end + 1]
            if end >= 0:
                break
        if size >= 0:
            del line[size:]
        self._position += len(line)
        return bytes(line)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._position, self._descriptor.size)[whence]
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._descriptor, self._chunk = _CLOSED, (0, b"")


class _Closed:
    fd = -1
    size = 0


_CLOSED = _Closed()


class PositionalStructFile(StructFile):
    """Whoosh's StructFile over a PositionalFile: `get` is one pread, not a seek and a read."""

    def get(self, position, length):
        return self.file.pread(position, length)


class ReadStorage(FileStorage):
    """A FileStorage whose files are read with pread through one descriptor per file
    (writing is Whoosh's own). Segments are written uncompound (see search.index.writer_for)."""

    def open_file(self, name, **kwargs):
        return PositionalStructFile(PositionalFile(_descriptor(self._fpath(name))), name=name, **kwargs)
