"""Every use of Whoosh's private internals, in one place.

The engine reads Whoosh's files faster than Whoosh's public API allows (posting
blocks decoded into numpy arrays, numeric columns read in one slice, field
lengths as one array) and patches how Whoosh names new files. All of that
touches names Whoosh does not promise to keep: after a Whoosh upgrade this module
is the one to check (`tests/test_whoosh_internals.py` exercises each function
against Whoosh's own public answers).
"""

from __future__ import annotations

import heapq
import secrets
from collections.abc import Iterator
from itertools import chain, groupby
from operator import itemgetter

import numpy as np
from whoosh.codec import base as _codec_base
from whoosh.codec.base import FieldWriter, OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PerDocReader, _lenfield
from whoosh.filedb import compound as _compound
from whoosh.filedb import filestore as _filestore
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.util.numeric import _length_byte_cache
from whoosh.writing import SegmentWriter

__all__ = [
    "BYTE_TO_LENGTH",
    "TermNotFound",
    "WHOOSH3_HEADER_MAGIC",
    "length_column",
    "numeric_column",
    "posting_bytes",
    "segment_id",
    "term_info",
    "term_infos",
    "remember_missing_columns",
    "use_direct_posting_writes",
    "use_streamed_merges",
    "use_unseeded_file_names",
]

# Whoosh stores a field's length per document as one byte; this decodes it.
BYTE_TO_LENGTH = np.array(_length_byte_cache, dtype=np.float64)


def posting_bytes(reader, offset: int, length: int) -> bytes:
    """Return the raw bytes of a posting list of one segment reader."""
    return reader._terms._postfile.get(offset, length)


def term_info(reader, fieldname: str, tbytes: bytes):
    """Return the terminfo of a term in one segment reader; raises TermNotFound."""
    return reader._terms.term_info(fieldname, tbytes)


def term_infos(reader, fieldname: str) -> Iterator[tuple[bytes, object]]:
    """Yield (term bytes, terminfo) of every term of `fieldname` in one segment reader, in order."""
    for (name, tbytes), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield tbytes, info


def length_column(reader, fieldname: str):
    """Return the column reader of a field's per-document lengths, or None."""
    return reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)


def numeric_column(column) -> np.ndarray:
    """Return a Whoosh NumericColumn reader's values as one array (its file holds
    big-endian numbers for the first documents; the rest have the default)."""
    dtype = np.dtype(column._typecode).newbyteorder(">")
    raw = column._dbfile.get(column._basepos, column._count * dtype.itemsize)
    values = np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="))
    if column._count < column._doccount:
        values = np.concatenate([values, np.full(column._doccount - column._count, column._default, values.dtype)])
    return values[: column._doccount]


def segment_id(reader) -> str:
    """Return the id of a segment reader's segment (stable across processes)."""
    return reader.segment().segment_id()


_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _unseeded_name(size: int = 28) -> str:
    return "".join(secrets.choice(_NAME_CHARS) for _ in range(size))


def use_unseeded_file_names() -> None:
    """Make Whoosh name new segments and temporary files from the operating system's
    randomness. Whoosh uses the `random` module, so a program that seeds it
    (random.seed(0), or Hypothesis between examples) makes the same name twice, and
    a second commit overwrites a live segment's files: the index is lost."""
    _codec_base.random_name = _unseeded_name
    _filestore.random_name = _unseeded_name
    _compound.random_name = _unseeded_name


def remember_missing_columns() -> None:
    """Make a segment's per-document reader remember that a column is missing. Whoosh
    asks for a field's length column at every posting it writes (at each commit and
    merge) and, for a field without lengths (ids, names, dates: 17 of every 100
    postings here), looks for the file again each time: an os.stat per posting. A
    written segment's columns do not change, so the first answer holds."""
    if getattr(W3PerDocReader._cached_reader, "_remembers_missing", False):
        return
    looked_up = W3PerDocReader._cached_reader

    def _cached_reader(self, fieldname, column):
        readers = self._readers
        if fieldname in readers:
            return readers[fieldname]
        reader = looked_up(self, fieldname, column)
        readers[fieldname] = reader  # None too: no such column
        return reader

    _cached_reader._remembers_missing = True
    W3PerDocReader._cached_reader = _cached_reader


# Whoosh's own, kept for tests/test_whoosh_internals.py to compare the files it writes.
WHOOSH_ADD_POSTINGS = FieldWriter.add_postings


def _direct_add_postings(self, schema, lengths, items) -> None:
    """W3FieldWriter.add_postings with the same calls and files, less Python per posting:
    a field's lengths are decoded once into a list instead of a column lookup (and, for
    fields without lengths, a file check) for each posting, and each posting goes to
    the postings writer without two method hops. A commit of 2,000 articles writes
    about 200,000 postings, after the last article is analysed, on one core."""
    finish_term, finish_field, start_term = self.finish_term, self.finish_field, self.start_term
    lastfn = lasttext = None
    field_lengths = None
    add_posting = None
    for fieldname, btext, docnum, weight, value in items:
        if lastfn is not None and fieldname < lastfn:
            raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
        if fieldname == lastfn and lasttext and btext < lasttext:
            raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
        if fieldname != lastfn:
            if lasttext is not None:
                finish_term()
            if lastfn is not None:
                finish_field()
            self.start_field(fieldname, schema[fieldname])
            lastfn, lasttext = fieldname, None
            field_lengths = _decoded_lengths(lengths, fieldname)
        if docnum == -1:
            continue  # a spelling word (Whoosh writes none for these)
        if btext != lasttext:
            if lasttext is not None:
                finish_term()
            start_term(btext)
            lasttext = btext
            add_posting = self._postwriter.add_posting
        # As doc_field_length: the decoded length byte, falsy (not stored) when 0.
        add_posting(
            docnum, weight, b"" if value is None else value, field_lengths[docnum] if field_lengths is not None else 0
        )
    if lasttext is not None:
        finish_term()
    if lastfn is not None:
        finish_field()


def _decoded_lengths(lengths, fieldname: str) -> list | None:
    """Return each document's length of `fieldname` as doc_field_length gives it, or
    None when the segment keeps no lengths for it (every length is then 0)."""
    if not lengths:
        return None
    column = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return [_length_byte_cache[b] if b else None for b in numeric_column(column).tolist()] + [None]


def use_direct_posting_writes() -> None:
    """Make Whoosh's segment writer use `_direct_add_postings` (commits and merges)."""
    W3FieldWriter.add_postings = _direct_add_postings


# Whoosh's own, kept for tests/test_whoosh_internals.py to compare the files it writes.
WHOOSH_ADD_READER = SegmentWriter.add_reader
WHOOSH_FLUSH_SEGMENT = SegmentWriter._flush_segment
WHOOSH_CANCEL = SegmentWriter.cancel
_TERM = itemgetter(0, 1)  # of a posting: field name, term bytes
_FIRST = itemgetter(0)


def _streamed_add_reader(self, reader) -> None:
    """SegmentWriter.add_reader that leaves a merged segment's postings where they are
    until the flush. Whoosh copies every posting of every merged segment into its
    sorting pool, which spills them to pickled run files and sorts them back: at a
    1,000,000-article ingest the writer spent most of its merges there. A segment's
    postings are already in (field, term, document) order, and merged segments take
    consecutive document numbers, so the flush can stream them instead."""
    if not isinstance(reader, SegmentReader):
        return WHOOSH_ADD_READER(self, reader)
    self._check_state()
    basedoc = self.docnum
    fieldnames = set(self.schema.names()) | {name for name in reader.indexed_field_names() if name in self.schema}
    docmap = self.write_per_doc(fieldnames, reader)
    # The merge policy closes its reader when this returns: the flush reads its own.
    own = SegmentReader(self.storage, self.schema, reader.segment())
    self.__dict__.setdefault("_streamed_segments", []).append((own, basedoc, docmap))
    self._added = True
    return None


def _streamed_postings(self, pooled):
    """Return the pool's postings merged with the postings of the segments added by
    `_streamed_add_reader`, in the order Whoosh's sorting pool gives them. The streams
    are merged term by term (a heap step per term and stream, not per posting); for
    a term, the pool's postings come first and then each segment's in the order they
    were added, which is document order (heapq.merge keeps ties in stream order)."""
    segments = self.__dict__.get("_streamed_segments")
    if not segments:
        return pooled
    streams = [((term, list(group)) for term, group in groupby(pooled, key=_TERM))]
    streams.extend(_segment_terms(self.schema, reader, basedoc, docmap) for reader, basedoc, docmap in segments)
    return chain.from_iterable(group for _, group in heapq.merge(*streams, key=_FIRST))


def _segment_terms(schema, reader, basedoc: int, docmap: dict | None):
    """Yield ((field name, term bytes), postings) for each term of a segment reader,
    its postings renumbered as SegmentWriter._process_posts does."""
    for fieldname, btext in reader.all_terms():
        if fieldname not in schema:
            continue
        matcher = reader.postings(fieldname, btext)
        is_active, next_posting = matcher.is_active, matcher.next
        docid, weight, value = matcher.id, matcher.weight, matcher.value
        postings = []
        append = postings.append
        while is_active():
            docnum = docid()
            append((fieldname, btext, basedoc + docnum if docmap is None else docmap[docnum], weight(), value()))
            next_posting()
        yield (fieldname, btext), postings


def _close_streamed(self) -> None:
    for reader, _, _ in self.__dict__.pop("_streamed_segments", ()):
        reader.close()


def _streamed_flush_segment(self) -> None:
    """SegmentWriter._flush_segment, with the postings of `_streamed_postings`."""
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    try:
        self.fieldwriter.add_postings(self.schema, pdr, _streamed_postings(self, self.pool.iter_postings()))
        self.fieldwriter.close()
    finally:
        _close_streamed(self)
        if pdr:
            pdr.close()


def _streamed_cancel(self) -> None:
    try:
        WHOOSH_CANCEL(self)
    finally:
        _close_streamed(self)


def use_streamed_merges() -> None:
    """Make Whoosh's segment writer merge segments with `_streamed_add_reader`."""
    SegmentWriter.add_reader = _streamed_add_reader
    SegmentWriter._flush_segment = _streamed_flush_segment
    SegmentWriter.cancel = _streamed_cancel
