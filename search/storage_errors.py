"""The index's file-system failures as engine errors: disk full, read-only, permission denied, damaged.

Whoosh and numpy raise what the operating system or their decoders raise (`OSError` with an
errno, `struct.error`, `UnpicklingError`, ...). The engine turns those into one
`IndexStorageError(path, cause)` of a specific subclass, whose message names the index, the
cause and what to do; the edges (CLI, HTTP) only print it or pick a status for it.

A failed write never leaves anything visible: Whoosh makes a commit visible by renaming its
table of contents, last, so a writer that fails before then leaves the previous commit. What
it wrote meanwhile (segment files no commit names, its temporary folder) is removed here,
under the write lock, so a full disk gets its space back.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import pickle
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

F = TypeVar("F", bound=Callable)

INDEX_NAME = "articles"  # as search.index.INDEX_NAME (that module imports this one)


class IndexStorageError(Exception):
    """The index at `path` cannot be read or written; `cause` is the underlying error."""

    reason = "the file system refused"
    advice = ""

    def __init__(self, path: str | os.PathLike, cause: BaseException | str, action: str = "use"):
        self.path = str(path)
        self.cause = cause
        self.action = action
        super().__init__(self.message)

    @property
    def detail(self) -> str:
        cause = self.cause
        if isinstance(cause, OSError):
            where = f": {cause.filename}" if cause.filename else ""
            return f"{cause.strerror or cause}{where}"
        if isinstance(cause, BaseException):
            return f"{error_name(cause)}: {cause}"
        return str(cause)

    @property
    def message(self) -> str:
        text = f"cannot {self.action} the index at {self.path}: {self.reason} ({self.detail})"
        return f"{text}. {self.advice}" if self.advice else text

    def __str__(self) -> str:
        return self.message


class IndexDiskFullError(IndexStorageError):
    """No space (or quota) left on the index's file system."""

    reason = "the disk is full"
    advice = (
        "Nothing of the failed batch was kept; the index holds its last commit. "
        "Free some space and run the same ingest again to finish."
    )


class IndexReadOnlyError(IndexStorageError):
    """The index's file system is mounted read-only."""

    reason = "the file system is read-only"
    advice = "Searches still work. To change the index, mount it read-write or use a writable copy."


class IndexPermissionError(IndexStorageError):
    """This user may not read or write the index's files."""

    reason = "permission denied"
    advice = "Run as the index's owner or give this user access to its folder."


class IndexDamagedError(IndexStorageError):
    """A segment file is missing, truncated or corrupt."""

    reason = "the index is damaged"

    @property
    def advice(self) -> str:  # type: ignore[override]
        return f"Run 'newsindex check --index {self.path}' for a report of what is damaged and how to repair it."


def error_name(error: BaseException) -> str:
    """Return the exception's class name, with its module when the name alone says nothing
    (struct.error, zlib.error)."""
    name = type(error).__name__
    return f"{type(error).__module__}.{name}" if name == "error" else name


_BY_ERRNO: dict[int, type[IndexStorageError]] = {
    errno.ENOSPC: IndexDiskFullError,
    errno.EDQUOT: IndexDiskFullError,
    errno.EROFS: IndexReadOnlyError,
    errno.EACCES: IndexPermissionError,
    errno.EPERM: IndexPermissionError,
    errno.ENOENT: IndexDamagedError,  # a file the table of contents names is gone
    errno.EIO: IndexDamagedError,
}


def storage_error(path: str | os.PathLike, error: OSError, action: str = "use") -> IndexStorageError | None:
    """Return `error` as the index's storage error, or None if it concerns another file
    (an article being read, say) and is not the index's business."""
    if error.filename and not _inside(error.filename, path):
        return None
    kind = _BY_ERRNO.get(error.errno or 0, IndexStorageError)
    return kind(path, error, action)


def _inside(filename, folder) -> bool:
    try:
        return Path(os.fsdecode(filename)).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, ValueError, TypeError):
        return False


# What Whoosh's decoders raise when a file is truncated or overwritten.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    struct.error,
    pickle.UnpicklingError,
    EOFError,
    zlib.error,
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    OverflowError,
)


def translate_storage_errors(action: str, decoding: bool = False) -> Callable[[F], F]:
    """Decorate an engine function whose first argument is the index path: an `OSError`
    about the index becomes an IndexStorageError, after the failed writer's leftovers are
    removed; with `decoding`, so does a decoder's error (IndexDamagedError)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(path, *args, **kwargs):
            try:
                return function(path, *args, **kwargs)
            except OSError as exc:
                translated = storage_error(path, exc, action)
                if translated is None:
                    raise
                remove_leftovers(path)
                raise translated from exc
            except DAMAGE_ERRORS as exc:
                if not decoding:
                    raise
                remove_leftovers(path)
                raise IndexDamagedError(path, exc, action) from exc

        return wrapper  # type: ignore[return-value]

    return decorate


def cancel_safely(writer):
    """Return `writer` with a `cancel` that works even when Whoosh's fails (its files cannot
    be flushed on a full disk): the temporary folder goes and the lock is released anyway."""
    whoosh_cancel = writer.cancel

    def cancel() -> None:
        try:
            whoosh_cancel()
            return
        except Exception:  # whatever it was, the writer must still let go of the lock
            pass
        for part in ("perdocwriter", "fieldwriter"):
            with contextlib.suppress(Exception):
                getattr(writer, part).close()
        with contextlib.suppress(Exception):
            writer.pool.cleanup()
        with contextlib.suppress(Exception):
            writer._tempstorage.destroy()
        with contextlib.suppress(Exception):
            if writer.writelock:
                writer.writelock.release()
        writer.is_closed = True

    writer.cancel = cancel
    return writer


def remove_leftovers(path: str | os.PathLike) -> None:
    """Delete what failed writers left in the index folder: segment files that no commit
    names, Whoosh's temporary folder, this process's half-written posting arrays and meta
    file. Does nothing while another writer holds the lock (its files are not leftovers)."""
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    folder = Path(path)
    if not whoosh_index.exists_in(str(folder), indexname=INDEX_NAME):
        return
    storage = FileStorage(str(folder))
    try:
        lock = storage.lock(f"{INDEX_NAME}_WRITELOCK")
        if not lock.acquire(blocking=False):
            return
    except OSError:
        return  # a read-only folder holds no leftovers of ours
    try:
        with contextlib.suppress(Exception):
            toc = whoosh_index.TOC.read(storage, INDEX_NAME)
            whoosh_index.clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
        shutil.rmtree(folder / f"{INDEX_NAME}.tmp", ignore_errors=True)
        with contextlib.suppress(OSError):
            (folder / "newsindex.tmp").unlink(missing_ok=True)
        postings = folder / "postings"
        if postings.is_dir():
            for entry in postings.iterdir():
                if entry.name.startswith(".") and entry.name.endswith(f".{os.getpid()}.tmp"):
                    shutil.rmtree(entry, ignore_errors=True)
    finally:
        with contextlib.suppress(Exception):
            lock.release()
