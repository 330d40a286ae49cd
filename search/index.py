"""The Whoosh index: schema, analysis of articles, incremental ingest, delete.

Ingest reads articles in this process, analyses them (NLTK tokens, people,
places) in worker processes, and writes with one Whoosh writer. It commits every
`batch_size` articles, so an interrupted ingest leaves the last commit readable
and a re-run finishes the work: unchanged articles are recognised by a content
hash and skipped, changed ones replace their old version.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import secrets
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from whoosh import fields, index
from whoosh.codec import base as whoosh_codec_base
from whoosh.filedb import compound as whoosh_compound
from whoosh.filedb import filestore as whoosh_filestore
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from search.analysis import (
    ORGANISATION,
    PERSON,
    PLACE,
    Entity,
    analysis_version,
    recognise_entities,
    text_analyzer,
)
from search.analysis.places import country_name, demonym_country
from search.analysis.tokenize import PreAnalyzed, pre_analyze, sentence_spans, tokenize
from search.articles import DEFAULT_MAX_BYTES, Article, Skipped, read_articles
from search.postings import write_sidecars
from search.storage_errors import cancel_safely, translate_storage_errors


def _unseeded_name(size: int = 28) -> str:
    return "".join(secrets.choice(_NAME_CHARS) for _ in range(size))


# Whoosh names new segments and temporary files with the `random` module, so a
# program that seeds it (random.seed(0), or Hypothesis between examples) makes the
# same name twice, and a second commit overwrites a live segment's files: the
# index is lost. Names come from the operating system's randomness instead.
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
whoosh_codec_base.random_name = _unseeded_name
whoosh_filestore.random_name = _unseeded_name
whoosh_compound.random_name = _unseeded_name

INDEX_NAME = "articles"
# During a long ingest, segments this large get their posting arrays at once; the
# others at the end (at 100k articles, rewriting the arrays of every merged
# segment took 62 of 506 s).
PROMPT_ARRAYS_DOCUMENTS = 10_000
META_FILE = "newsindex.json"
HEADLINE_CHARS = 200
SCHEMA_VERSION = 3


class IndexError_(Exception):
    """Base class of the index's errors."""


class IndexNotFoundError(IndexError_):
    """There is no newsindex index at the given path."""


class IndexLockedError(IndexError_):
    """Another writer (an ingest, a delete) holds the index's write lock."""


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
        entities=fields.STORED(),
        # Indexed, so a re-run finds unchanged articles before analysing them.
        hash=fields.ID(stored=True),
    )


@dataclass(frozen=True, slots=True)
class AnalysedArticle:
    """An article with what analysis found in it, ready to be written."""

    article: Article
    headline: str
    entities: tuple[Entity, ...]
    title_tokens: PreAnalyzed
    body_tokens: PreAnalyzed
    title_entities: tuple[Entity, ...] = ()
    demonym_countries: tuple[str, ...] = ()

    @property
    def all_entities(self) -> tuple[Entity, ...]:
        return self.title_entities + self.entities

    @property
    def people(self) -> tuple[str, ...]:
        return _unique(e.canonical for e in self.all_entities if e.label == PERSON)

    @property
    def places(self) -> tuple[str, ...]:
        return _unique(e.canonical for e in self.all_entities if e.label == PLACE)

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries of the article's places, then the weaker signals: countries
        named inside organisations' names ("Bank of Japan") and by demonyms ("Israeli")."""
        codes = [e.country for e in self.all_entities if e.label == PLACE and e.country]
        codes += [e.country for e in self.all_entities if e.label == ORGANISATION and e.country]
        codes += list(self.demonym_countries)
        return _unique(country_name(code) or code for code in codes)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    # Commas separate values in the index's keyword fields.
    return tuple(dict.fromkeys(v.replace(",", " ").strip() for v in values if v.strip()))


def headline_of(article: Article) -> str:
    """Return the title, or else the first sentence of the body, cut to a readable length."""
    if article.title:
        return article.title
    spans = sentence_spans(article.body[: HEADLINE_CHARS * 4])
    first = article.body[spans[0][0] : spans[0][1]] if spans else article.body
    first = " ".join(first.split())
    if len(first) > HEADLINE_CHARS:
        first = first[: HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def analyse(article: Article) -> AnalysedArticle:
    """Return `article` with its headline, the people and places it mentions, and the
    analysed tokens of its title and body."""
    # The recogniser sees title and body as one text, so a name is made the same
    # person in both. Without a title that text is the body itself, and indexing
    # the body below reuses its (cached) NLTK tokens. Title entities count for the
    # facets; body entities are stored with offsets into the body for the article page.
    if article.title:
        offset = len(article.title) + 2
        found = recognise_entities(article.title + "\n\n" + article.body)
        title_entities = tuple(e for e in found if e.start < offset)
        body_entities = tuple(
            replace(e, start=e.start - offset, end=e.end - offset) for e in found if e.start >= offset
        )
    else:
        title_entities, body_entities = (), tuple(recognise_entities(article.body))
    demonyms = demonym_countries(article.title) + demonym_countries(article.body)
    return AnalysedArticle(
        article,
        headline_of(article),
        body_entities,
        pre_analyze(article.title),
        pre_analyze(article.body),
        title_entities,
        demonyms,
    )


def demonym_countries(text: str) -> tuple[str, ...]:
    """Return the ISO codes of the countries whose demonyms `text` uses ("Israeli" -> IL)."""
    codes = []
    for sentence in tokenize(text) if text else ():
        for start, end in sentence:
            word = text[start:end]
            if word[:1].isupper():
                code = demonym_country(word)
                if code:
                    codes.append(code)
    return tuple(dict.fromkeys(codes))


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
        entities=[
            [e.label, e.start, e.end, e.canonical, e.country] for e in item.entities
        ],
        hash=indexed_hash(a),
    )


def indexed_hash(article: Article) -> str:
    """Return the hash an index stores for an article: its content under this version of
    the analysis (`analysis_version`). After an upgrade that changes what analysis finds,
    an article re-read from the same file no longer matches, and is analysed again."""
    return hashlib.sha1(f"{analysis_version()}:{article.content_hash}".encode()).hexdigest()


# Opening and creating


class MappedFileStorage(FileStorage):
    """A FileStorage that reads files through read-only memory maps.

    Segments are written uncompound (see writer_for), and Whoosh's FileStorage
    would read them with a read() system call for every posting block and
    stored document; a map serves the same bytes from the page cache. Each
    searcher opens its own maps (their positions are not shared between threads).
    """

    def open_file(self, name, **kwargs):
        import mmap

        with open(self._fpath(name), "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return StructFile(mapped, name=name, **kwargs)


def index_exists(path: str | os.PathLike) -> bool:
    return index.exists_in(str(path), indexname=INDEX_NAME)


def open_or_create(path: str | os.PathLike) -> index.Index:
    """Return the Whoosh index at `path`, creating the folder and index if needed."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    storage = MappedFileStorage(str(path))
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
    return MappedFileStorage(str(path)).open_index(INDEX_NAME)


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
            "skipped": [
                {"file": s.file, "line": s.line, "reason": s.reason} for s in self.skipped
            ],
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
        }


def _analyse_or_skip(article: Article) -> AnalysedArticle | Skipped:
    try:
        return analyse(article)
    except Exception as exc:  # one bad article never stops the batch
        return Skipped(article.origin or article.id, None, f"analysis failed: {exc!r}")


def _analysed(
    articles: Iterable[Article | Skipped], workers: int
) -> Iterator[AnalysedArticle | Skipped]:
    if workers <= 1:
        for item in articles:
            yield item if isinstance(item, Skipped) else _analyse_or_skip(item)
        return
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = ctx.Pool(workers)
    try:
        skipped: list[Skipped] = []

        def only_articles() -> Iterator[Article]:
            for item in articles:
                if isinstance(item, Skipped):
                    skipped.append(item)
                else:
                    yield item

        for result in pool.imap(_analyse_or_skip, only_articles(), chunksize=8):
            while skipped:
                yield skipped.pop(0)
            yield result
        yield from skipped
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
    batch: dict[str, AnalysedArticle] = {}
    unchanged = _UnchangedFilter(ix, report, progress)
    try:
        for item in _analysed(unchanged.filter(items), workers):
            if progress:
                progress(1)
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            batch[item.article.id] = item
            if len(batch) >= batch_size:
                _write_batch(writer, batch, report)
                writer.commit()
                writer = None
                unchanged.stale = True
                batch = {}
                # Small segments are soon merged into larger ones: their arrays wait
                # for the end of the ingest (meanwhile searches read Whoosh's blocks).
                _write_posting_arrays(path, ix, min_documents=PROMPT_ARRAYS_DOCUMENTS)
                writer = writer_for(ix, timeout=5.0)
        _write_batch(writer, batch, report)
        writer.commit()
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
            self.stale = False
        return self.searcher.document_number(hash=content_hash) is not None


def _write_batch(writer: SegmentWriter, batch: dict[str, AnalysedArticle], report: IngestReport) -> None:
    if not batch:
        return
    with writer.searcher() as searcher:
        for article_id, item in batch.items():
            existing = searcher.document(id=article_id)
            if existing is None:
                writer.add_document(**_document(item))
                report.added += 1
            elif existing.get("hash") == indexed_hash(item.article):
                report.unchanged += 1
            else:
                writer.update_document(**_document(item))
                report.updated += 1


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
        writer.commit()
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
