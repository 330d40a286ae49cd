"""Posting lists as numpy arrays, the input of vectorised scoring (search/scoring.py).

Whoosh keeps each posting list as blocks of 128 postings, each a zlib-compressed
pickle of (docnum deltas, weights, values). Its matchers walk them posting by
posting in Python, which is most of a query's time on a large hit set ("said" at
100,000 articles: 81,617 postings). Decoding the blocks into arrays is faster,
but still a pickle per block (the positions and offsets come along).

So after each commit we write, for every new segment, a *sidecar* of flat arrays
for the text fields: per term, its document numbers and weights, with the
vocabulary in Whoosh's order. Searchers map these files read-only, so reading a
posting list costs two slices. A segment without a sidecar (an index written by
an older version, or an ingest stopped between its commit and the sidecar) is
read from Whoosh's blocks instead: slower, same answers. Sidecars sit in
`postings/<segment id>/` beside the segment and are written to a temporary
folder and renamed, so a reader never sees half of one; the folders of segments
that merging removed are deleted after the next commit.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import struct
import threading
import zlib
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from pathlib import Path

import numpy as np
from whoosh import formats

from search.whoosh_internals import WHOOSH3_HEADER_MAGIC, TermNotFound, posting_bytes, term_info, term_infos
from search.whoosh_internals import segment_id as segment_id

# Every field the facet columns read (search/facets.py, COLUMN_FIELDS) and the text fields.
SIDECAR_FIELDS = (
    "title",
    "body",
    "people",
    "places",
    "organisations",
    "countries",
    "organisation_evidence",
    "person_evidence",
)
SIDECAR_DIR = "postings"
SIDECAR_VERSION = 4  # 4: organisations and the evidence of what a name is
# Posting lists decoded from blocks (segments without a sidecar): the most recent,
# up to this many postings per segment (12 bytes each).
_DECODED_POSTINGS = 2_000_000


@dataclass(frozen=True, slots=True)
class PostingList:
    """One term's postings in one segment: ascending local document numbers and weights."""

    docs: np.ndarray  # uint32 or int64
    weights: np.ndarray  # float32 or uint16 (term frequencies times the field boost)


EMPTY = PostingList(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


# Reading Whoosh's blocks


_BLOCK_LENGTH = struct.Struct("!i")


def _blocks(reader, terminfo, values: bool = False) -> Iterator[tuple[int, tuple, object, tuple]]:
    """Yield (postings in block, docnum deltas, weights, values if `values`) of each block
    of a posting list. The reader's files seek: use a reader of this thread only."""
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # W3TermInfo keeps struct.unpack's tuple
        length = length[0]
    raw = posting_bytes(reader, offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a Whoosh 3 posting list")
    buffer = io.BytesIO(raw)
    position = 4
    while position < length:
        block_length = _BLOCK_LENGTH.unpack_from(raw, position)[0]
        last = block_length < 0
        end = position + 4 + abs(block_length)
        buffer.seek(position + 4)
        count, _, _, compression, _, _ = pickle.load(buffer)  # the block's info
        data = raw[buffer.tell() : end]
        if compression:
            data = zlib.decompress(data)
        deltas, weights, block_values = pickle.loads(data)
        yield count, deltas, weights, block_values if values else ()
        position = end
        if last:
            return


def _weights(weights, count: int) -> np.ndarray:
    if weights is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(count, weights, dtype=np.float32)
    return np.array(weights, dtype=np.float32)


def decode_postings(reader, terminfo) -> PostingList:
    """Return the posting list that `terminfo` points to, decoded from Whoosh's blocks."""
    if terminfo.is_inlined():
        ids, weights, _ = terminfo.inlined_postings()
        return PostingList(np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32))
    docs, weights = [], []
    for count, deltas, block_weights, _ in _blocks(reader, terminfo):
        docs.append(np.cumsum(np.array(deltas, dtype=np.int64)))
        weights.append(_weights(block_weights, count))
    if not docs:
        return EMPTY
    return PostingList(np.concatenate(docs), np.concatenate(weights))


class _Column:
    """One array of a sidecar, gathered in a small buffer and written to disk block by
    block: memory holds a block, not the segment (a segment's positions alone are
    about 150 per article)."""

    BLOCK = 1 << 20  # entries held before they go to disk

    def __init__(self, folder: Path, name: str, typecode: str):
        self.path = folder / f"{name}.npy"
        self.raw_path = folder / f"{name}.raw"
        self.buffer = array(typecode)
        self.raw = self.raw_path.open("wb")
        self.size = 0

    def __len__(self) -> int:
        return self.size + len(self.buffer)

    def extend(self, values) -> None:
        self.buffer.extend(values)
        if len(self.buffer) >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        self.buffer.tofile(self.raw)
        self.size += len(self.buffer)
        del self.buffer[:]

    def save(self, narrow: Callable[[np.ndarray], np.dtype] | None = None) -> int:
        """Write the .npy file, in the dtype `narrow` picks from the whole array (else the
        buffer's own), and return the number of entries."""
        self._flush()
        self.raw.close()
        dtype = np.dtype(self.buffer.typecode)
        try:
            if self.size == 0:
                np.save(self.path, np.zeros(0, dtype=dtype))
                return 0
            source = np.memmap(self.raw_path, dtype=dtype, mode="r", shape=(self.size,))
            target = np.lib.format.open_memmap(
                self.path, mode="w+", dtype=narrow(source) if narrow else dtype, shape=(self.size,)
            )
            for start in range(0, self.size, self.BLOCK):
                target[start : start + self.BLOCK] = source[start : start + self.BLOCK]
            target.flush()
            del source, target
            return self.size
        finally:
            self.raw_path.unlink(missing_ok=True)


def _narrow_weights(weights: np.ndarray) -> np.dtype:
    # Weights are term frequencies times the field boost: whole numbers, as a rule.
    for start in range(0, len(weights), _Column.BLOCK):
        block = weights[start : start + _Column.BLOCK]
        if block.max() >= 65536 or not np.all(block == np.round(block)):
            return np.dtype(np.float32)
    return np.dtype(np.uint16)


def _narrow_counts(counts: np.ndarray) -> np.dtype:
    return np.dtype(np.uint16 if counts.max() < 65536 else np.uint32)


class _FieldArrays:
    """One field's postings, term after term, written to disk as they come: most terms
    have a handful of postings, so values are gathered in Python arrays (numpy calls
    per term would cost more than the decoding) and flushed block by block."""

    def __init__(self, folder: Path, fieldname: str, positions_format: str | None):
        self.folder, self.fieldname = folder, fieldname
        self.positions_format = positions_format
        self.terms: list[bytes] = []
        self.pointers = [0]
        self.position_pointers = [0]
        self.docs = _Column(folder, f"{fieldname}.docs", "I")
        self.weights = _Column(folder, f"{fieldname}.weights", "f")
        if positions_format:
            self.counts = _Column(folder, f"{fieldname}.counts", "I")
            self.positions = _Column(folder, f"{fieldname}.positions", "I")

    def add(self, reader, tbytes: bytes, terminfo) -> None:
        kind = self.positions_format
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            self.docs.extend(ids)
            self.weights.extend(weights)
            if kind:
                self._add_positions(values)
        else:
            for count, deltas, weights, values in _blocks(reader, terminfo, values=kind is not None):
                self.docs.extend(accumulate(deltas))  # each block starts from 0
                if weights is None:
                    self.weights.extend([1.0] * count)
                elif isinstance(weights, float):
                    self.weights.extend([weights] * count)
                else:
                    self.weights.extend(weights)
                if kind:
                    self._add_positions(values)
        self.terms.append(tbytes)
        self.pointers.append(len(self.docs))
        if kind:
            self.position_pointers.append(len(self.positions))

    def _add_positions(self, values) -> None:
        # Whoosh pickles per posting its position deltas (with character offsets:
        # (delta, start delta, length) triples), without the pickle's final STOP byte.
        characters = self.positions_format == "characters"
        for value in values:
            code = pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")
            self.counts.extend((len(code),))
            self.positions.extend(accumulate(t[0] for t in code) if characters else accumulate(code))

    def save(self) -> dict:
        folder, fieldname = self.folder, self.fieldname
        postings = self.docs.save()
        self.weights.save(_narrow_weights)
        # The terms, end to end, and where each ends (a term may hold any byte).
        (folder / f"{fieldname}.terms").write_bytes(b"".join(self.terms))
        np.save(folder / f"{fieldname}.term_ends.npy", np.cumsum([len(t) for t in self.terms], dtype=np.int64))
        np.save(folder / f"{fieldname}.pointers.npy", np.array(self.pointers, dtype=np.int64))
        if self.positions_format:
            # Positions of all postings, term after term; per term where they start.
            self.counts.save(_narrow_counts)
            self.positions.save()
            np.save(folder / f"{fieldname}.position_pointers.npy", np.array(self.position_pointers, dtype=np.int64))
        return {"terms": len(self.terms), "postings": postings, "positions": bool(self.positions_format)}


def _positions_format(field) -> str | None:
    if isinstance(field.format, formats.Characters):
        return "characters"
    if type(field.format) is formats.Positions:
        return "positions"
    return None


def term_positions(reader, fieldname: str, tbytes: bytes, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (which of `wanted` each position belongs to, the positions) of term `tbytes`
    in the `wanted` local document numbers (ascending, each holding the term), decoded
    from Whoosh's blocks; only the blocks that hold wanted documents are decoded."""
    terminfo = term_info(reader, fieldname, tbytes)
    decode = reader.schema[fieldname].format.decode_positions
    found: list[list[int]] = []
    if terminfo.is_inlined():
        ids, _, values = terminfo.inlined_postings()
        by_doc = dict(zip(ids, values, strict=True))
        found = [decode(by_doc[int(d)]) for d in wanted]
    else:
        i, n = 0, len(wanted)
        for _count, deltas, _, values in _blocks(reader, terminfo, values=True):
            if i >= n:
                break
            ids = np.cumsum(np.array(deltas, dtype=np.int64))
            if wanted[i] > ids[-1]:
                continue
            here = wanted[i:][wanted[i:] <= ids[-1]]
            found.extend(decode(values[j]) for j in np.searchsorted(ids, here).tolist())
            i += len(here)
    lengths = [len(p) for p in found]
    owner = np.repeat(np.arange(len(found), dtype=np.int64), lengths)
    flat = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=sum(lengths))
    return owner, flat


# Sidecars


def sidecar_root(index_dir: str | os.PathLike) -> Path:
    return Path(index_dir) / SIDECAR_DIR


def sidecar_exists(index_dir: str | os.PathLike | None, reader) -> bool:
    return index_dir is not None and (sidecar_root(index_dir) / segment_id(reader) / "meta.json").exists()


def segment_readers(reader) -> list[tuple[object, int]]:
    """Return (segment reader, first document number) of each segment of `reader`. An
    empty index has none (Whoosh gives it one EmptyReader, which has no segment)."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def write_sidecar(index_dir: str | os.PathLike, reader) -> Path | None:
    """Write the sidecar of one segment reader (if it has none); return its folder."""
    root = sidecar_root(index_dir)
    target = root / segment_id(reader)
    if target.exists():
        if _meta(target, reader) is not None:
            return None
        shutil.rmtree(target, ignore_errors=True)  # from an older version: rewrite it
    temporary = root / f".{segment_id(reader)}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    meta = {"version": SIDECAR_VERSION, "doc_count": reader.doc_count_all(), "fields": {}}
    for fieldname in SIDECAR_FIELDS:
        if fieldname not in reader.schema or fieldname not in reader.indexed_field_names():
            continue
        arrays = _FieldArrays(temporary, fieldname, _positions_format(reader.schema[fieldname]))
        for tbytes, terminfo in term_infos(reader, fieldname):
            arrays.add(reader, tbytes, terminfo)
        meta["fields"][fieldname] = arrays.save()
    (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    try:
        os.rename(temporary, target)
    except OSError:  # another process wrote it first
        shutil.rmtree(temporary, ignore_errors=True)
        return None
    return target


def _meta(folder: Path, reader) -> dict | None:
    """Return the sidecar's description if it is of this version and this segment."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != SIDECAR_VERSION:
        return None
    if meta.get("doc_count") != reader.doc_count_all() or not isinstance(meta.get("fields"), dict):
        return None
    return meta


def write_sidecars(index_dir: str | os.PathLike, ix, min_documents: int = 0) -> int:
    """Write the sidecars the index's segments of at least `min_documents` lack, and
    delete those of segments that no longer exist; return how many were written."""
    written = 0
    with ix.reader() as top:
        readers = [r for r, _ in segment_readers(top)]
        current = {segment_id(r) for r in readers}
        for reader in readers:
            if reader.doc_count_all() >= min_documents and write_sidecar(index_dir, reader) is not None:
                written += 1
    root = sidecar_root(index_dir)
    if root.exists():
        for entry in root.iterdir():
            name = entry.name
            if name.startswith("."):
                # A temporary folder of a writer that died (or is still writing:
                # its pid is alive); leave live writers alone.
                pid = name.rsplit(".", 2)[-2] if name.count(".") >= 2 else ""
                if pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(entry, ignore_errors=True)
            elif name not in current:
                shutil.rmtree(entry, ignore_errors=True)
    return written


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_STRIDE = 32  # terms between two of _Terms' sample


class _Terms(Sequence[bytes]):
    """A field's terms of one segment, in Whoosh's (bytewise) order, as one blob and the
    ends of its terms: looked up by binary search. A list and a dict of them took 8 MiB a
    segment of 14,000 articles (47 of a warmed server's 144 MiB at 76,000 articles), and
    the memory grew with the number of segments."""

    def __init__(self, blob: bytes, ends: np.ndarray):
        self._blob = blob
        self._ends = array("q", np.asarray(ends, dtype=np.int64).tobytes())  # 8 bytes a term
        self._sample = [self[i] for i in range(0, len(self._ends), _STRIDE)]

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self._ends)
        return self._blob[self._ends[row - 1] if row else 0 : self._ends[row]]

    def row(self, tbytes: bytes) -> int | None:
        """Return the row of `tbytes`, or None: bisect a sample of every _STRIDE-th term
        (in C), then the stretch of _STRIDE terms it points to."""
        block = bisect_right(self._sample, tbytes) - 1
        if block < 0:
            return None
        low, high = block * _STRIDE, min((block + 1) * _STRIDE, len(self._ends))
        while low < high:
            middle = (low + high) // 2
            if self[middle] < tbytes:
                low = middle + 1
            else:
                high = middle
        return low if low < len(self._ends) and self[low] == tbytes else None

    def starting_with(self, prefix: bytes) -> list[bytes]:
        """Return the terms that start with `prefix`, in order (bytewise, as Whoosh's
        `expand_prefix` gives them)."""
        block = max(bisect_right(self._sample, prefix) - 1, 0)
        low, high = block * _STRIDE, len(self._ends)
        while low < high:  # the first term not below `prefix`
            middle = (low + high) // 2
            if self[middle] < prefix:
                low = middle + 1
            else:
                high = middle
        found = []
        while low < len(self._ends) and (term := self[low]).startswith(prefix):
            found.append(term)
            low += 1
        return found

    def index(self, tbytes: bytes, *_) -> int:
        row = self.row(tbytes)
        if row is None:
            raise KeyError(tbytes)
        return row


class _Sidecar:
    """One field of one segment's sidecar, memory-mapped."""

    def __init__(self, folder: Path, fieldname: str, with_positions: bool):
        blob = (folder / f"{fieldname}.terms").read_bytes()
        ends = np.load(folder / f"{fieldname}.term_ends.npy")
        if (int(ends[-1]) if len(ends) else 0) != len(blob):
            raise ValueError(f"sidecar {folder} is inconsistent")
        self.terms = _Terms(blob, ends)
        self.pointers = np.load(folder / f"{fieldname}.pointers.npy", mmap_mode="r")
        self.docs = np.load(folder / f"{fieldname}.docs.npy", mmap_mode="r")
        self.weights = np.load(folder / f"{fieldname}.weights.npy", mmap_mode="r")
        if len(self.pointers) != len(self.terms) + 1:
            raise ValueError(f"sidecar {folder} is inconsistent")
        self.counts = self.positions = self.position_pointers = None
        if with_positions:
            self.counts = np.load(folder / f"{fieldname}.counts.npy", mmap_mode="r")
            self.positions = np.load(folder / f"{fieldname}.positions.npy", mmap_mode="r")
            self.position_pointers = np.load(folder / f"{fieldname}.position_pointers.npy", mmap_mode="r")

    def term_positions(self, tbytes: bytes, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As the module's term_positions, from the arrays."""
        row = self.terms.index(tbytes)
        start, end = int(self.pointers[row]), int(self.pointers[row + 1])
        where = np.searchsorted(self.docs[start:end], wanted)
        counts = np.asarray(self.counts[start:end], dtype=np.int64)
        firsts = int(self.position_pointers[row]) + np.cumsum(counts) - counts
        wanted_counts = counts[where]
        owner = np.repeat(np.arange(len(wanted), dtype=np.int64), wanted_counts)
        offsets = np.repeat(firsts[where] - (np.cumsum(wanted_counts) - wanted_counts), wanted_counts)
        return owner, np.asarray(self.positions[offsets + np.arange(len(offsets))], dtype=np.int64)

    def get(self, tbytes: bytes) -> PostingList | None:
        row = self.terms.row(tbytes)
        if row is None:
            return None
        start, end = int(self.pointers[row]), int(self.pointers[row + 1])
        return PostingList(self.docs[start:end], self.weights[start:end])


class SegmentPostings:
    """The posting lists of one segment: from its sidecar when it has one, else decoded
    from Whoosh's blocks (the last few kept). Shared by threads: the blocks are read
    through the calling thread's own reader of the segment."""

    def __init__(self, reader, index_dir: str | os.PathLike | None):
        self.sidecars: dict[str, _Sidecar] = {}
        self._decoded: OrderedDict[tuple[str, bytes], PostingList] = OrderedDict()
        self._decoded_size = 0
        self._lock = threading.Lock()
        self.complete = False  # True once read from a sidecar
        folder = sidecar_root(index_dir) / segment_id(reader) if index_dir is not None else None
        meta = _meta(folder, reader) if folder is not None else None
        if meta is not None:
            try:
                self.sidecars = {
                    name: _Sidecar(folder, name, field.get("positions", False))
                    for name, field in meta["fields"].items()
                }
                # A field the segment does not index has no sidecar file: its
                # lookups go to Whoosh, which finds nothing.
                self.complete = True
            except (OSError, ValueError, KeyError):
                self.sidecars = {}  # unreadable: read Whoosh's blocks instead

    def terms_starting_with(self, fieldname: str, prefix: bytes) -> list[bytes] | None:
        """Return the field's terms that start with `prefix` from the sidecar; None without
        one (the caller asks Whoosh)."""
        if not self.complete:
            return None
        sidecar = self.sidecars.get(fieldname)
        return [] if sidecar is None else sidecar.terms.starting_with(prefix)

    def whole_field(self, fieldname: str) -> tuple[list[bytes], np.ndarray, np.ndarray] | None:
        """Return (terms, pointers, documents) of a field from the sidecar: the postings
        of term i are documents[pointers[i]:pointers[i + 1]]. None without a sidecar;
        no terms if the segment does not index the field."""
        if not self.complete:
            return None
        sidecar = self.sidecars.get(fieldname)
        if sidecar is None:
            return [], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint32)
        return sidecar.terms, np.asarray(sidecar.pointers), sidecar.docs

    def positions(self, reader, fieldname: str, tbytes: bytes, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (which of `wanted` each position belongs to, the positions) of a term in
        the `wanted` local documents (ascending, each holding the term)."""
        sidecar = self.sidecars.get(fieldname)
        if sidecar is not None and sidecar.positions is not None:
            return sidecar.term_positions(tbytes, wanted)
        return term_positions(reader, fieldname, tbytes, wanted)

    def get(self, reader, fieldname: str, tbytes: bytes) -> PostingList:
        """Return the postings of `tbytes` in `fieldname` (EMPTY if the segment lacks it)."""
        sidecar = self.sidecars.get(fieldname)
        if sidecar is not None:
            return sidecar.get(tbytes) or EMPTY
        key = (fieldname, tbytes)
        with self._lock:
            found = self._decoded.get(key)
            if found is not None:
                self._decoded.move_to_end(key)
                return found
        try:
            terminfo = term_info(reader, fieldname, tbytes)
        except TermNotFound:
            found = EMPTY
        else:
            found = decode_postings(reader, terminfo)
        with self._lock:
            if key not in self._decoded:
                self._decoded[key] = found
                self._decoded_size += len(found.docs)
            while self._decoded_size > _DECODED_POSTINGS and len(self._decoded) > 1:
                _, dropped = self._decoded.popitem(last=False)
                self._decoded_size -= len(dropped.docs)
        return found
