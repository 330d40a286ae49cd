"""`check_index(path)`: verify an index the way Lucene's CheckIndex does, and repair what can be.

For each segment the table of contents names: its files exist; it opens; every stored
article reads and has an id; the date column agrees with the stored dates; every term of the
term dictionary reads, and its posting list decodes with as many postings as the dictionary
says, ascending, inside the segment; the posting arrays (search/postings.py), when present,
hold the same terms and the same postings. Then, over the index: no id twice.

What repairs what:

- posting arrays missing, outdated or damaged: searches already ignore arrays they cannot
  read and fall back to Whoosh's postings (slower, same answers); `newsindex optimize`
  rewrites all of them (it merges the index into one new segment), `check --repair` rewrites
  just the damaged ones.
- a damaged segment (a file missing, truncated or overwritten): its articles cannot be read
  back, so neither optimize nor an ingest can repair it (both read it). `check --repair`
  drops the segment from the index (its articles are gone from it); ingesting the same
  sources again then adds exactly those articles back, the others being unchanged.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from search.postings import SIDECAR_FIELDS, _meta, _Sidecar, decode_postings, sidecar_root
from search.storage_errors import (
    DAMAGE_ERRORS,
    INDEX_NAME,
    IndexDamagedError,
    IndexStorageError,
    error_name,
    storage_error,
)

REQUIRED_EXTENSIONS = (".trm", ".pst", "._stored.col")


@dataclass
class SegmentCheck:
    """What checking one segment found."""

    id: str
    documents: int = 0  # live (not deleted) articles, as the table of contents says
    deleted: int = 0
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    stored_read: int = 0
    terms: int = 0
    postings: int = 0
    posting_arrays: str = "missing"  # ok, missing, outdated, damaged
    problems: list[str] = field(default_factory=list)  # damage of Whoosh's files: articles lost
    array_problems: list[str] = field(default_factory=list)  # damage of the posting arrays only

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


@dataclass
class IndexCheck:
    """What checking an index found; `ok` is False when anything is damaged."""

    path: str
    generation: int | None = None
    segments: list[SegmentCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # of the index as a whole
    notes: list[str] = field(default_factory=list)  # harmless findings (leftover files)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return sum(s.documents for s in self.segments)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(s.problems or s.array_problems for s in self.segments)

    @property
    def damaged_segments(self) -> list[SegmentCheck]:
        return [s for s in self.segments if s.damaged]

    def first_problem(self) -> str | None:
        for problem in self.problems:
            return problem
        for segment in self.segments:
            for problem in segment.problems:
                return f"segment {segment.id}: {problem}"
        return None

    def as_dict(self) -> dict:
        return {
            "index": self.path,
            "ok": self.ok,
            "generation": self.generation,
            "articles": self.articles,
            "segments": [{**asdict(s), "damaged": s.damaged} for s in self.segments],
            "problems": self.problems,
            "notes": self.notes,
            "repair": repair_advice(self),
            "seconds": round(self.seconds, 3),
        }


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}" + (f": {Path(str(error.filename)).name}" if error.filename else "")
    return f"{error_name(error)}: {error}"


def check_index(path: str | Path, postings: bool = True) -> IndexCheck:
    """Return what is damaged in the index at `path` (see the module docstring).
    Raises IndexNotFoundError without an index; IndexStorageError if its folder cannot be read."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from search.index import IndexNotFoundError, index_exists

    started = time.perf_counter()
    path = Path(path)
    if not index_exists(path):
        raise IndexNotFoundError(f"no index at {path}")
    report = IndexCheck(str(path))
    storage = FileStorage(str(path))
    try:
        toc = TOC.read(storage, INDEX_NAME)
    except OSError as exc:
        translated = storage_error(path, exc, "check")
        if translated is None or isinstance(translated, IndexDamagedError):
            report.problems.append(f"the table of contents cannot be read ({_describe(exc)})")
            return report
        raise translated from exc
    except Exception as exc:  # noqa: BLE001 - whatever unpickling a damaged file raises
        report.problems.append(f"the table of contents cannot be read ({_describe(exc)})")
        return report
    report.generation = toc.generation
    try:
        names = {name: storage.file_length(name) for name in storage.list()}
    except OSError as exc:
        translated = storage_error(path, exc, "check")
        raise (translated or exc) from exc
    ids: Counter[str] = Counter()
    for segment in toc.segments:
        report.segments.append(_check_segment(path, storage, toc.schema, segment, names, ids, postings))
    twice = [i for i, n in ids.items() if n > 1]
    if twice:
        report.problems.append(f"{len(twice)} ids are indexed twice (first: {twice[0]!r})")
    _leftovers(report, path, names, {s.id for s in report.segments})
    report.seconds = time.perf_counter() - started
    return report


def _check_segment(path: Path, storage, schema, segment, names: dict, ids: Counter, postings: bool) -> SegmentCheck:
    from whoosh.reading import SegmentReader

    prefix = segment.segment_id()
    result = SegmentCheck(segment.segment_id(), segment.doc_count(), segment.deleted_count())
    result.files = {n: size for n, size in names.items() if n.startswith(prefix + ".")}
    if segment.doc_count_all():
        for ext in REQUIRED_EXTENSIONS:
            if prefix + ext not in result.files:
                result.problems.append(f"file {prefix + ext} is missing")
    try:
        reader = SegmentReader(storage, schema, segment)
    except Exception as exc:  # noqa: BLE001
        result.problems.append(f"cannot be opened ({_describe(exc)})")
        return result
    try:
        _check_stored(reader, result, ids)
        whoosh_lengths = _check_terms(reader, result) if postings else None
        _check_arrays(path, reader, result, whoosh_lengths)
    finally:
        with contextlib.suppress(Exception):  # a damaged reader may fail to close; nothing to keep
            reader.close()
    return result


def _check_stored(reader, result: SegmentCheck, ids: Counter) -> None:
    dates = None
    try:
        if reader.has_column("date"):
            dates = reader.column_reader("date")
    except Exception as exc:  # noqa: BLE001
        result.problems.append(f"the date column cannot be read ({_describe(exc)})")
    for docnum in range(reader.doc_count_all()):
        if reader.is_deleted(docnum):
            continue
        try:
            stored = reader.stored_fields(docnum)
        except Exception as exc:  # noqa: BLE001
            result.problems.append(f"stored article {docnum} cannot be read ({_describe(exc)})")
            return
        if not isinstance(stored, dict) or not stored.get("id"):
            result.problems.append(f"stored article {docnum} has no id")
            return
        ids[stored["id"]] += 1
        result.stored_read += 1
        if dates is not None:
            try:
                column_date = dates[docnum]
            except Exception as exc:  # noqa: BLE001
                result.problems.append(f"the date column cannot be read ({_describe(exc)})")
                dates = None
                continue
            if isinstance(stored.get("date"), datetime) and column_date != stored["date"]:
                result.problems.append(
                    f"the date column says {column_date!r} for article {stored['id']!r}, "
                    f"stored {stored['date']:%Y-%m-%d}"
                )
                dates = None
    if result.stored_read != reader.doc_count():
        result.problems.append(f"{result.stored_read} stored articles read, the segment counts {reader.doc_count()}")


def _check_terms(reader, result: SegmentCheck) -> dict[str, list[int]] | None:
    """Read every term and decode its postings; return the posting counts per field, term
    after term (in Whoosh's order), or None if the terms could not all be read."""
    lengths: dict[str, list[int]] = {}
    limit = reader.doc_count_all()
    try:
        for (fieldname, tbytes), terminfo in reader._terms.items():
            found = decode_postings(reader, terminfo)
            docs = np.asarray(found.docs)
            expected = terminfo.doc_frequency()
            if len(docs) != expected:
                raise ValueError(
                    f"term {fieldname}:{tbytes[:40]!r} has {len(docs)} postings, the dictionary says {expected}"
                )
            if len(docs) and (docs.min() < 0 or docs.max() >= limit or np.any(np.diff(docs) <= 0)):
                raise ValueError(f"term {fieldname}:{tbytes[:40]!r} has postings outside the segment or out of order")
            lengths.setdefault(fieldname, []).append(len(docs))
            result.terms += 1
            result.postings += len(docs)
    except Exception as exc:  # noqa: BLE001
        result.problems.append(f"terms and postings cannot be read ({_describe(exc)})")
        return None
    return lengths


def _check_arrays(path: Path, reader, result: SegmentCheck, whoosh_lengths: dict[str, list[int]] | None) -> None:
    folder = sidecar_root(path) / result.id
    if not folder.exists():
        result.posting_arrays = "missing"
        return
    meta = _meta(folder, reader)
    if meta is None:
        result.posting_arrays = "outdated"
        return
    try:
        for name, info in meta["fields"].items():
            if name not in SIDECAR_FIELDS:
                raise ValueError(f"unknown field {name!r}")
            sidecar = _Sidecar(folder, name, info.get("positions", False))
            pointers = np.asarray(sidecar.pointers)
            if pointers[-1] != len(sidecar.docs) or len(sidecar.weights) != len(sidecar.docs):
                raise ValueError(f"{name}: the arrays' lengths disagree")
            if len(sidecar.terms) != info["terms"] or len(sidecar.docs) != info["postings"]:
                raise ValueError(
                    f"{name}: {len(sidecar.terms)} terms and {len(sidecar.docs)} postings, "
                    f"its description says {info['terms']} and {info['postings']}"
                )
            if len(sidecar.docs) and int(np.max(sidecar.docs)) >= reader.doc_count_all():
                raise ValueError(f"{name}: postings outside the segment")
            if sidecar.positions is not None and (
                sidecar.position_pointers[-1] != len(sidecar.positions) or len(sidecar.counts) != len(sidecar.docs)
            ):
                raise ValueError(f"{name}: the positions' lengths disagree")
            if whoosh_lengths is not None and np.diff(pointers).tolist() != whoosh_lengths.get(name, []):
                raise ValueError(f"{name}: the posting counts differ from Whoosh's postings")
        if whoosh_lengths is not None:
            for name in set(whoosh_lengths) & set(SIDECAR_FIELDS) - set(meta["fields"]):
                raise ValueError(f"{name}: no arrays for a field the segment indexes")
    except Exception as exc:  # noqa: BLE001
        result.posting_arrays = "damaged"
        result.array_problems.append(f"posting arrays: {_describe(exc)}")
        return
    result.posting_arrays = "ok"


def _leftovers(report: IndexCheck, path: Path, names: dict, live: set[str]) -> None:
    from whoosh.index import TOC

    pattern = TOC._segment_pattern(INDEX_NAME)
    stray = sorted({m.group(1) for n in names if (m := pattern.match(n)) and m.group(1) not in live})
    if stray:
        report.notes.append(
            f"files of {len(stray)} uncommitted segments (a stopped writer's); the next commit removes them"
        )
    root = sidecar_root(path)
    if root.is_dir():
        orphans = [e.name for e in root.iterdir() if not e.name.startswith(".") and e.name not in live]
        if orphans:
            report.notes.append(f"posting arrays of {len(orphans)} merged segments; the next commit removes them")


def repair_advice(report: IndexCheck) -> list[str]:
    """Return what to run to repair what `report` found, in order."""
    advice = []
    if report.problems and not report.segments:
        advice.append("the table of contents is damaged: restore the index from a backup or ingest into a new one")
    damaged = report.damaged_segments
    if damaged:
        lost = sum(s.documents for s in damaged)
        advice.append(
            f"newsindex check --repair --index {report.path}: drops the {len(damaged)} damaged segment(s) "
            f"({lost} articles); then ingest the same sources again to add those articles back"
        )
    if any(s.array_problems for s in report.segments) and not damaged:
        advice.append(
            f"newsindex check --repair --index {report.path} (or newsindex optimize): "
            "rewrites the damaged posting arrays"
        )
    if any("indexed twice" in p for p in report.problems):
        advice.append("ids indexed twice: delete them (newsindex delete ID) and ingest their sources again")
    missing = [s for s in report.segments if s.posting_arrays in ("missing", "outdated") and not s.damaged]
    if missing:
        advice.append(
            f"{len(missing)} segment(s) without current posting arrays (searches are slower, answers the "
            "same): newsindex optimize, or the next ingest, writes them"
        )
    return advice


def repair_index(path: str | Path, report: IndexCheck, wait: float = 5.0) -> list[str]:
    """Drop the segments `report` found damaged and rewrite damaged posting arrays;
    return what was done."""
    from search.index import open_existing, writer_for
    from search.postings import write_sidecars

    done = []
    damaged = {s.id for s in report.damaged_segments}
    if report.problems and not report.segments:
        return ["nothing repaired: the table of contents is damaged"]
    for segment in report.segments:
        if segment.array_problems or segment.posting_arrays == "outdated":
            shutil.rmtree(sidecar_root(path) / segment.id, ignore_errors=True)
    ix = open_existing(path)
    if damaged:
        writer = writer_for(ix, timeout=wait)
        try:
            writer.segments = [s for s in writer.segments if s.segment_id() not in damaged]
            writer._setup_doc_offsets()
            writer.commit(merge=False)
        except BaseException:
            writer.cancel()
            raise
        for segment in report.damaged_segments:
            shutil.rmtree(sidecar_root(path) / segment.id, ignore_errors=True)
            done.append(f"dropped segment {segment.id} ({segment.documents} articles): ingest the sources again")
    written = write_sidecars(path, open_existing(path))
    if written:
        done.append(f"wrote the posting arrays of {written} segment(s)")
    return done or ["nothing to repair"]


# Diagnosis of an unexpected error at the edges (CLI, HTTP)

_diagnoses: dict[tuple[str, int | None], str | None] = {}
_diagnoses_lock = threading.Lock()


def diagnose(path: str | Path, error: BaseException) -> IndexStorageError | None:
    """Return `error` as the index's storage error if it is one (an OSError about the
    index, or a decoder's error that a check of the index explains); None otherwise.
    A check runs at most once per index generation."""
    if isinstance(error, IndexStorageError):
        return error
    if isinstance(error, OSError):
        return storage_error(path, error)
    if not isinstance(error, DAMAGE_ERRORS):
        return None
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    try:
        generation = TOC._latest_generation(FileStorage(str(path)), INDEX_NAME)
    except Exception:  # noqa: BLE001
        generation = None
    key = (str(Path(path).resolve()), generation)
    with _diagnoses_lock:
        if key not in _diagnoses:
            try:
                found = check_index(path, postings=True).first_problem()
            except IndexStorageError as exc:
                found = exc.detail
            except Exception:  # noqa: BLE001 - no index, or the check itself failed: not a diagnosis
                found = None
            _diagnoses[key] = found
        found = _diagnoses[key]
    return IndexDamagedError(path, found, "read") if found else None
