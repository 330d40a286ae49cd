"""The Whoosh index: schema, analysis of articles, incremental ingest, delete.

Ingest reads articles in this process, analyses them (NLTK tokens, people,
places) in worker processes, and writes with one Whoosh writer. It commits every
`batch_size` articles, so an interrupted ingest leaves the last commit readable
and a re-run finishes the work: unchanged articles are recognised by a content
hash and skipped, changed ones replace their old version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from whoosh import fields, index
from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from search.analysis import analysis_version, text_analyzer
from search.analysis.article import AnalysedArticle, analyse, quote_rows, quote_tokens
from search.articles import DEFAULT_MAX_BYTES, Article, Skipped, read_articles
from search.errors import IndexLockedError, IndexNotFoundError
from search.postings import write_sidecars
from search.storage import ReadStorage
from search.storage_errors import cancel_safely, translate_storage_errors
from search.whoosh_internals import (
    remember_missing_columns,
    use_direct_posting_writes,
    use_streamed_merges,
    use_unseeded_file_names,
)

use_unseeded_file_names()
remember_missing_columns()
use_direct_posting_writes()
use_streamed_merges()

INDEX_NAME = "articles"
# During a long ingest, segments this large get their posting arrays at once; the
# others at the end (at 100k articles, rewriting the arrays of every merged
# segment took 62 of 506 s).
PROMPT_ARRAYS_DOCUMENTS = 10_000
META_FILE = "newsindex.json"
SCHEMA_VERSION = 5  # 4: quotes (quotes, speakers, quote_kinds, quote_list); 5: organisations
# and the evidence of what a name is (organisation_evidence, person_evidence)


def build_schema() -> fields.Schema:
    """Return the index schema."""
    analyzer = text_analyzer()
    names = dict(stored=True, commas=True, lowercase=False, scorable=False)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        date=fields.DATETIME(stored=True, sortable=True),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        # chars=True stores each term's character offsets: snippets need no re-analysis.
        body=fields.TEXT(analyzer=analyzer, stored=True, phrase=True, chars=True),
        headline=fields.STORED(),
        url=fields.STORED(),
        source=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        people=fields.KEYWORD(**names),
        places=fields.KEYWORD(**names),
        countries=fields.KEYWORD(**names),
        organisations=fields.KEYWORD(**names),
        # Names the article shows to be organisations / people: weighed over the archive
        # when the facet columns are built (search/facets.py). Indexed only.
        organisation_evidence=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        person_evidence=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        entities=fields.STORED(),
        # Indexed, so a re-run finds unchanged articles before analysing them.
        hash=fields.ID(stored=True),
        # Who said what (search/quoting.py): quoted words with body offsets, speakers,
        # kinds present (any quote gives one), each quote as a plain list (quote_rows).
        quotes=fields.TEXT(analyzer=analyzer, phrase=True, chars=True),
        speakers=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        quote_kinds=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        quote_list=fields.STORED(),
    )


def _document(item: AnalysedArticle) -> dict:
    a = item.article
    return dict(
        id=a.id,
        date=datetime(a.date.year, a.date.month, a.date.day),
        title=item.title_tokens,
        _stored_title=a.title,
        body=item.body_tokens,
        _stored_body=a.body,
        headline=item.headline,
        url=a.url,
        source=a.source,
        people=",".join(item.people),
        places=",".join(item.places),
        countries=",".join(item.countries),
        organisations=",".join(item.organisations),
        organisation_evidence=",".join(item.organisation_evidence),
        person_evidence=",".join(item.person_evidence),
        entities=[[e.label, e.start, e.end, e.canonical, e.country] for e in item.entities],
        hash=indexed_hash(a),
        quotes=quote_tokens(item.body_tokens, item.quotes),
        speakers=",".join(item.speakers),
        quote_kinds=",".join(dict.fromkeys(q.kind for q in item.quotes)),
        quote_list=quote_rows(item.quotes),
    )


def _fields_of(schema, document: dict) -> dict:
    """Return the values of `document` that `schema` has a field for: an index made by an
    older version takes new articles without the fields it lacks (it answers empty
    organisation facets until it is rebuilt)."""
    return {k: v for k, v in document.items() if k.startswith("_stored_") and k[8:] in schema or k in schema}


def indexed_hash(article: Article) -> str:
    """Return the hash an index stores for an article: its content under this version of
    the analysis (`analysis_version`). After an upgrade that changes what analysis finds,
    an article re-read from the same file no longer matches, and is analysed again."""
    return hashlib.sha1(f"{analysis_version()}:{article.content_hash}".encode()).hexdigest()


# Opening and creating


# Merging. Whoosh's default policy (MERGE_SMALL) merges, at a commit, every segment
# up to a Fibonacci bound of their total size: with 2,000-article commits a document
# is merged 0.76 times on average in an ingest of 100,000 articles and 1.74 times in
# one of 1,000,000, in merges of up to 196,000 articles (at 50,000 articles, one merge
# of 42,000 took 365 of 976 s). So the rate fell with the size of the archive.
# Here segments of a tier (about the same size) are merged MERGE_FACTOR at a time,
# one merge per commit, and a segment of FINAL_DOCUMENTS or more is never merged again
# (`optimize` still merges all): an ingest of 100,000 articles already does every
# level of merging a larger one does, so the work per article stops growing, and a
# merge (at most about 6 x 14,000 articles) never stalls the writer for long.
MERGE_FACTOR = 6
TIER_BASE = 2000  # documents: a segment of fewer is in the lowest tier
FINAL_DOCUMENTS = TIER_BASE * MERGE_FACTOR**2


def _tier(documents: int) -> int:
    tier = 0
    while documents >= TIER_BASE * MERGE_FACTOR ** (tier + 1):
        tier += 1
    return tier


def merge_tiers(writer: SegmentWriter, segments: list) -> list:
    """A Whoosh merge policy: merge the MERGE_FACTOR smallest segments of the lowest
    tier that has that many, leaving segments of FINAL_DOCUMENTS or more alone; return
    the segments left as they are."""
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for segment in segments:
        if segment.doc_count_all() < FINAL_DOCUMENTS:
            tiers.setdefault(_tier(segment.doc_count_all()), []).append(segment)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= MERGE_FACTOR:
            chosen = sorted(tiers[tier], key=lambda s: s.doc_count_all())[:MERGE_FACTOR]
            for segment in chosen:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [s for s in segments if all(s is not c for c in chosen)]
    return list(segments)


def index_exists(path: str | os.PathLike) -> bool:
    return index.exists_in(str(path), indexname=INDEX_NAME)


def open_or_create(path: str | os.PathLike) -> index.Index:
    """Return the Whoosh index at `path`, creating the folder and index if needed."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    storage = ReadStorage(str(path))
    if index_exists(path):
        return storage.open_index(INDEX_NAME)
    # Two processes creating at once must not both write a first generation.
    lock = storage.lock("newsindex_create")
    if not lock.acquire(blocking=True):
        raise IndexLockedError(f"cannot create the index at {path}: locked")
    try:
        if index_exists(path):
            return storage.open_index(INDEX_NAME)
        return storage.create_index(build_schema(), INDEX_NAME)
    finally:
        lock.release()


@translate_storage_errors("open", decoding=True)
def open_existing(path: str | os.PathLike) -> index.Index:
    if not index_exists(path):
        raise IndexNotFoundError(f"no index at {path} (run 'newsindex ingest' first)")
    return ReadStorage(str(path)).open_index(INDEX_NAME)


def writer_for(ix: index.Index, timeout: float = 0.0) -> SegmentWriter:
    """Return a writer, or raise IndexLockedError when another writer holds the lock."""
    try:
        # Not compound: Whoosh reads a compound segment's sub-files into a BytesIO
        # copy (the stored texts, whole) for every searcher that touches them;
        # separate files are read in place.
        return cancel_safely(ix.writer(timeout=timeout, compound=False))
    except LockError:
        raise IndexLockedError(
            "the index is locked by another writer (an ingest or delete is running); try again later"
        ) from None


def folder_bytes(path: str | os.PathLike) -> int:
    """Bytes of the files under `path`; files that an ingest removes meanwhile count 0."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


def read_meta(path: str | os.PathLike) -> dict:
    try:
        return json.loads((Path(path) / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _write_meta(path: str | os.PathLike, **values) -> None:
    meta = read_meta(path)
    meta.update(values)
    target = Path(path) / META_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, indent=2), "utf-8")
    os.replace(tmp, target)


# Ingest


@dataclass
class IngestReport:
    """What an ingest did: counts, and each skipped item with its reason."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def indexed(self) -> int:
        return self.added + self.updated

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"file": s.file, "line": s.line, "reason": s.reason} for s in self.skipped],
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
        }


def _analyse_or_skip(article: Article) -> AnalysedArticle | Skipped:
    try:
        return analyse(article)
    except Exception as exc:  # one bad article never stops the batch
        return Skipped(article.origin or article.id, None, f"analysis failed: {exc!r}")


# Articles go to the analysis workers in chunks (one pickle and one result message each).
ANALYSIS_CHUNK = 8
# Batches the workers may analyse ahead of the writer. While the writer commits and
# merges, the workers go on with these. With one batch ahead they sat idle: in a
# 1,000,000-article ingest the articles read stood still for two minutes at each merge
# into a 72,000-article segment (one in every ten minutes), and the rate was about 105
# articles/s against 122 for 100,000. An analysed article holds about 21 KiB in the
# writer's process, so five batches of 2,000 cost about 210 MiB, whatever the size of
# the archive, and give the workers about 75 s of work.
READ_AHEAD_BATCHES = 5


def _analyse_chunk(articles: list[Article]) -> list[AnalysedArticle | Skipped]:
    return [_analyse_or_skip(a) for a in articles]


def _analysed(
    articles: Iterable[Article | Skipped], workers: int, read_ahead: int = 2000
) -> Iterator[AnalysedArticle | Skipped]:
    """Yield each item of `articles` analysed (or skipped), in input order. With several
    workers, at most `read_ahead` items (and a chunk) are read and not yet yielded."""
    if workers <= 1:
        for item in articles:
            yield item if isinstance(item, Skipped) else _analyse_or_skip(item)
        return
    # Not Pool.imap: its feeder thread reads the input as fast as the pipe to the
    # workers takes it, and its result thread keeps every result the consumer has
    # not taken yet. While the writer commits and merges, the workers went on and
    # their results piled up in this process. Here an item is read only when the
    # writer has taken one, so memory follows `read_ahead`, not the archive.
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = ctx.Pool(workers)
    limit = max(read_ahead, workers * ANALYSIS_CHUNK)
    # In input order: an AsyncResult of a chunk of articles, or a list of Skipped.
    pending: deque = deque()
    in_flight = 0  # items read and not yet yielded
    chunk: list[Article] = []
    try:

        def take_oldest() -> list[AnalysedArticle | Skipped]:
            nonlocal in_flight
            oldest = pending.popleft()
            results = oldest if isinstance(oldest, list) else oldest.get()
            in_flight -= len(results)
            return results

        for item in articles:
            if isinstance(item, Skipped):
                if chunk:
                    pending.append(pool.apply_async(_analyse_chunk, (chunk,)))
                    chunk = []
                pending.append([item])
            else:
                chunk.append(item)
                if len(chunk) >= ANALYSIS_CHUNK:
                    pending.append(pool.apply_async(_analyse_chunk, (chunk,)))
                    chunk = []
            in_flight += 1
            while in_flight > limit:
                yield from take_oldest()
        if chunk:
            pending.append(pool.apply_async(_analyse_chunk, (chunk,)))
        while pending:
            yield from take_oldest()
        pool.close()
    finally:
        pool.terminate()
        pool.join()


@translate_storage_errors("write to")
def ingest(
    path: str | os.PathLike,
    sources: Iterable[str | os.PathLike] | Iterable[Article],
    *,
    batch_size: int = 2000,
    workers: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Index the articles under `sources` (paths, or Article values) into the index at `path`.

    Returns an IngestReport. Raises IndexLockedError if another writer is active.
    On KeyboardInterrupt the uncommitted batch is dropped, the report says
    `interrupted`, and everything committed before stays.
    """
    started = time.perf_counter()
    sources = list(sources)
    if sources and all(isinstance(s, Article) for s in sources):
        items: Iterable[Article | Skipped] = sources  # type: ignore[assignment]
    else:
        items = read_articles(sources, max_bytes=max_bytes)  # type: ignore[arg-type]
    if workers is None:
        workers = os.cpu_count() or 1
    ix = open_or_create(path)
    report = IngestReport()
    # Take the lock before analysing, so a second ingest is refused at once.
    writer = writer_for(ix)
    unchanged = _UnchangedFilter(ix, report, progress)
    ids = _TermDigests("id")
    batch = _BatchWriter(writer, report, ids)
    try:
        for item in _analysed(unchanged.filter(items), workers, read_ahead=READ_AHEAD_BATCHES * batch_size):
            if progress:
                progress(1)
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            batch.add(item)
            if len(batch) >= batch_size:
                redo = batch.close()
                writer.commit(mergetype=merge_tiers)
                writer = None
                unchanged.stale = True
                # Small segments are soon merged into larger ones: their arrays wait
                # for the end of the ingest (meanwhile searches read Whoosh's blocks).
                _write_posting_arrays(path, ix, min_documents=PROMPT_ARRAYS_DOCUMENTS)
                writer = writer_for(ix, timeout=5.0)
                batch = _BatchWriter(writer, report, ids, redo)
        redo = batch.close()
        writer.commit(mergetype=merge_tiers)
        writer = None
        if redo:  # an id met twice in the last batch, its first version written
            writer = writer_for(ix, timeout=5.0)
            _BatchWriter(writer, report, ids, redo).close()
            writer.commit(mergetype=merge_tiers)
            writer = None
        _write_posting_arrays(path, ix)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if writer is not None:
            writer.cancel()
        report.seconds = time.perf_counter() - started
        _write_meta(
            path,
            schema_version=SCHEMA_VERSION,
            analysis_version=analysis_version(),
            last_ingest=datetime.now(UTC).isoformat(timespec="seconds"),
            last_ingest_report={k: v for k, v in report.as_dict().items() if k != "skipped"}
            | {"skipped": len(report.skipped)},
        )
    return report


class _UnchangedFilter:
    """Passes on only the articles the index does not hold already, counting the others
    as unchanged: a re-run over the same files analyses nothing. The indexed hash
    covers the id and the analysis version, so a match means this very article,
    unchanged, analysed as this version would (see `indexed_hash`)."""

    def __init__(self, ix: index.Index, report: IngestReport, progress: Callable[[int], None] | None):
        self.ix, self.report, self.progress = ix, report, progress
        self.stale = True  # set after each commit; the lookups then use a fresh searcher
        self.searcher = None
        self.usable = ix.schema["hash"].indexed  # indexes made before schema 3 stored it only
        self.hashes = _TermDigests("hash")
        self.may_hold: Callable[[str], bool] = lambda text: True

    def filter(self, items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        try:
            for item in items:
                if self.usable and isinstance(item, Article) and self._indexed(indexed_hash(item)):
                    self.report.unchanged += 1
                    if self.progress:
                        self.progress(1)
                    continue
                yield item
        finally:
            if self.searcher is not None:
                self.searcher.close()

    def _indexed(self, content_hash: str) -> bool:
        if self.stale:
            if self.searcher is not None:
                self.searcher.close()
            self.searcher = self.ix.searcher()
            self.may_hold = self.hashes.for_reader(self.searcher.reader())
            self.stale = False
        return self.may_hold(content_hash) and self.searcher.document_number(hash=content_hash) is not None


class _TermDigests:
    """Which terms of a field each segment holds, as sorted 64-bit digests, kept across
    commits by segment id (8 bytes an article). The ingest asks for every article
    whether its id and its hash are indexed; the answer is mostly no (a new article),
    and a Whoosh lookup costs 20-75 us per segment, so it grew with the segment count:
    here a miss costs one binary search in all segments' digests. A digest found (or a term of a
    deleted document) is confirmed by Whoosh."""

    def __init__(self, fieldname: str):
        self.fieldname = fieldname
        self._arrays: dict[str, np.ndarray] = {}

    def for_reader(self, reader) -> Callable[[str], bool]:
        """Return may_hold(text): False if no segment of `reader` holds the term."""
        arrays, alive = [], set()
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            if segment is None:
                continue
            key = segment.segment_id()
            alive.add(key)
            if key not in self._arrays:
                digests = [_digest(t) for t in leaf.lexicon(self.fieldname)] if self.fieldname in leaf.schema else []
                self._arrays[key] = np.sort(np.array(digests, dtype=np.uint64))
            arrays.append(self._arrays[key])
        for key in set(self._arrays) - alive:
            del self._arrays[key]
        digests = np.sort(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.uint64)

        def may_hold(text: str) -> bool:
            digest = np.uint64(_digest(text.encode("utf-8")))
            i = digests.searchsorted(digest)
            return bool(i < len(digests) and digests[i] == digest)

        return may_hold


def _digest(term: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(term, digest_size=8).digest(), "little")


class _BatchWriter:
    """Writes the articles of one batch (one commit) as they come out of analysis, so
    their postings build while the workers analyse the next ones rather than all after
    the last one; the commit that follows finds them added.

    An id met twice in a batch keeps its last version, as if the batch held only that
    one: counted once (added, updated or unchanged against the index before the batch),
    and, when its first version is in the writer already (Whoosh cannot take back a
    document it has not committed), written again after the commit (`close` returns
    those; the next batch, or a last small commit, writes them first, uncounted)."""

    def __init__(
        self,
        writer: SegmentWriter,
        report: IngestReport,
        ids: _TermDigests,
        redo: dict[str, AnalysedArticle] | None = None,
    ):
        self.writer, self.report = writer, report
        self.searcher = writer.searcher()  # the committed index; Whoosh closes it at commit
        self.may_hold = ids.for_reader(self.searcher.reader())
        # id -> [hash before the batch (None: not indexed), last hash met, hash the
        # commit will hold, whether its first version went into this writer, counted]
        self.seen: dict[str, list] = {}
        self.redo: dict[str, AnalysedArticle] = {}
        for item in (redo or {}).values():
            self.add(item, counted=False)

    def __len__(self) -> int:
        return len(self.seen)

    def add(self, item: AnalysedArticle, counted: bool = True) -> None:
        article_id, content = item.article.id, indexed_hash(item.article)
        state = self.seen.get(article_id)
        if state is None:
            existing = self.searcher.document(id=article_id) if self.may_hold(article_id) else None
            before = existing.get("hash") if existing is not None else None
            if existing is None:
                self.writer.add_document(**_fields_of(self.writer.schema, _document(item)))
            elif before != content:
                self.writer.update_document(**_fields_of(self.writer.schema, _document(item)))
            written = existing is None or before != content
            # An uncounted (rewritten) version is what the batch before left: later
            # versions in this batch are counted against it.
            self.seen[article_id] = [
                before if counted else content,
                content,
                content if written else before,
                written,
                counted,
            ]
            return
        state[1] = content
        state[4] = state[4] or counted
        if content == state[2]:
            self.redo.pop(article_id, None)
        elif state[3]:
            self.redo[article_id] = item
        else:  # the index's version is still there: this replaces it in this commit
            self.writer.update_document(**_fields_of(self.writer.schema, _document(item)))
            state[2], state[3] = content, True

    def close(self) -> dict[str, AnalysedArticle]:
        """Count the batch's articles; return those to write again after the commit."""
        for before, last, _, _, counted in self.seen.values():
            if not counted:
                continue
            if before is None:
                self.report.added += 1
            elif before == last:
                self.report.unchanged += 1
            else:
                self.report.updated += 1
        return self.redo


@translate_storage_errors("write to")
def delete(path: str | os.PathLike, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Delete articles by id; return (deleted ids, ids that were not in the index)."""
    ix = open_existing(path)
    writer = writer_for(ix, timeout=5.0)
    deleted, missing = [], []
    try:
        with writer.searcher() as searcher:
            for article_id in dict.fromkeys(ids):
                if searcher.document_number(id=article_id) is None:
                    missing.append(article_id)
                else:
                    writer.delete_by_term("id", article_id)
                    deleted.append(article_id)
        writer.commit(mergetype=merge_tiers)
    except BaseException:
        writer.cancel()
        raise
    _write_posting_arrays(path, ix)
    return deleted, missing


@translate_storage_errors("optimize", decoding=True)
def optimize(path: str | os.PathLike) -> None:
    """Merge all segments into one."""
    ix = open_existing(path)
    writer = writer_for(ix, timeout=5.0)
    try:
        writer.commit(optimize=True)
    except BaseException:
        writer.cancel()
        raise
    _write_posting_arrays(path, ix)


def _write_posting_arrays(path: str | os.PathLike, ix: index.Index, min_documents: int = 0) -> None:
    """Write the posting arrays of the segments a commit made (or merged), after it.
    They only speed searches up: if writing them fails, searches read Whoosh's postings."""
    try:
        write_sidecars(path, ix, min_documents)
    except OSError as exc:
        warnings.warn(f"could not write the posting arrays of {path}: {exc}", stacklevel=2)
