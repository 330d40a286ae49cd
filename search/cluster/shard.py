"""One shard, read as part of a corpus: corpus-wide term statistics and names.

A shard is a self-contained single index. What makes its answers parts of the
corpus's answers:

- `CorpusSearcher` scores with the corpus's document count, field lengths and
  document frequencies (gathered from every shard in a first phase), so a hit
  scores exactly what it scores in a single index of the same articles;
- its facet columns are built over the corpus's vocabulary of names, merged
  (aliases, case variants) from the corpus's counts (`View`), so value ids and
  counts line up across shards and a coordinator adds them;
- ties are ordered by article id, and each candidate carries its id.

Every method answers plain picklable values: the coordinator's merge.py combines
them. Nothing here imports Dask.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from search import explore, quoting
from search import index as idx
from search import results as answering
from search.answers import Article, Hit
from search.errors import ArticleNotFoundError
from search.facets import ENTITY_FIELDS, FacetColumns, columns_with_vocabulary, raw_value_counts, segment_parts
from search.kinds import BY_FIELD, ORGANISATIONS, PEOPLE, PLACES, kind
from search.query import SearchRequest, make_parser, parse_query
from search.scoring import SegmentCache, Unsupported, VectorSearch
from search.snapshot import Snapshot
from search.suggest import IndexSpelling, surface_word

GENERATIONS = 3  # searchers (and their columns) kept per shard
# Within a request's phases, a check of the shard's folder for a newer generation is trusted
# this long; the phases that start a view or a ranked search always check.
FRESH_SECONDS = 0.2
SCORED_FIELDS = ("title", "body")
ASSOCIATED = (PEOPLE.field, PLACES.field, ORGANISATIONS.field)  # an entity page's associations


class StaleShard(Exception):
    """The shard has moved on to a generation the coordinator's view does not know."""


@dataclass(frozen=True)
class View:
    """The corpus's names, merged from every shard's counts at given generations."""

    key: tuple[tuple[str, int], ...]  # (shard, generation) it was built from
    vocab: dict[str, tuple[str, ...]]
    aliases: dict[str, dict[str, str]]
    # The archive's judgement of its people (search.facets.judge_names), from all shards'
    # counts: names moved to the organisations, and names not listed.
    moved: dict[str, str] = field(default_factory=dict)
    unlisted: frozenset[str] = frozenset()

    @property
    def generations(self) -> dict[str, int]:
        return dict(self.key)


@dataclass(frozen=True)
class CorpusStatistics:
    """What BM25F reads from the whole corpus: all shards' sums."""

    doc_count_all: int
    field_length: dict[str, int]
    doc_frequency: dict[tuple[str, bytes], int] = field(default_factory=dict)


class CorpusSearcher(Searcher):
    """A Whoosh searcher whose idf and average field lengths are the corpus's.

    Whoosh's BM25F scorer and our vectorised one (search/scoring.py) both read them
    from the top-level searcher, so this covers both paths."""

    corpus: CorpusStatistics | None = None

    def _corpus(self) -> CorpusStatistics | None:
        return self.get_parent().corpus

    def idf(self, fieldname, text):
        corpus = self._corpus()
        if corpus is None:
            return super().idf(fieldname, text)
        tbytes = text if isinstance(text, bytes) else self.schema[fieldname].to_bytes(text)
        frequency = corpus.doc_frequency.get((fieldname, tbytes))
        if frequency is None:  # a term the first phase did not see: this shard's own count
            frequency = self.get_parent().reader().doc_frequency(fieldname, tbytes)
        return math.log(corpus.doc_count_all / (frequency + 1)) + 1

    def avg_field_length(self, fieldname, default=None):
        corpus = self._corpus()
        if corpus is None:
            return super().avg_field_length(fieldname, default)
        if not self.schema[fieldname].scorable:
            return default
        return corpus.field_length.get(fieldname, 0) / (corpus.doc_count_all or 1)


@dataclass
class _State:
    """One generation of a shard."""

    searcher: Searcher
    parts: list
    live: np.ndarray
    article_ids: np.ndarray  # bytes per docnum
    columns: OrderedDict = field(default_factory=OrderedDict)  # view key -> FacetColumns


def sparse(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (ids, counts) of the nonzero counts."""
    ids = np.flatnonzero(counts)
    return ids.astype(np.int32), counts[ids].astype(np.int64)


def day_counts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (distinct day numbers, articles on each)."""
    values, counts = np.unique(days, return_counts=True)
    return values.astype(np.int32), counts.astype(np.int64)


class Shard:
    """One shard's index, its searchers per generation and its columns per view."""

    def __init__(self, name: str, path: str | os.PathLike, time_limit: float | None = 10.0):
        self.name = name
        self.path = Path(path)
        self.time_limit = time_limit
        self.ix = idx.open_or_create(self.path)  # a shard no article was routed to is empty
        self.parser = make_parser(self.ix.schema)
        self.segments = SegmentCache(self.path)
        self._segment_columns: dict = {}
        self._states: OrderedDict[int, _State] = OrderedDict()
        self._checked = 0.0  # when the folder was last checked for a newer generation
        self._lock = threading.RLock()

    # Generations

    def latest(self, force: bool = True) -> tuple[int, _State]:
        """Return the newest generation and its state, opening it if the index changed.
        Unless `force`d, a check of the index folder made less than FRESH_SECONDS ago is
        trusted (each check lists the folder: on a shared file system, a round trip)."""
        with self._lock:
            if self._states:
                generation, state = next(reversed(self._states.items()))
                now = time.monotonic()
                if not force and now - self._checked < FRESH_SECONDS:
                    return generation, state
                if state.searcher.up_to_date():
                    self._checked = now
                    return generation, state
            searcher = self.ix.searcher()
            generation = searcher.reader().generation()
            parts, live = segment_parts(searcher, self._segment_columns, self.segments.postings)
            ids = [p.article_ids for p, _ in parts if p.doc_count]
            article_ids = np.concatenate(ids) if ids else np.zeros(0, dtype="S1")
            self._states[generation] = _State(searcher, parts, live, article_ids)
            self._checked = time.monotonic()
            while len(self._states) > GENERATIONS:
                _, old = self._states.popitem(last=False)
                old.searcher.close()
            return generation, self._states[generation]

    def close(self) -> None:
        """Close this shard's searchers."""
        with self._lock:
            while self._states:
                self._states.popitem()[1].searcher.close()

    def _state(self, view: View) -> _State:
        wanted = view.generations.get(self.name)
        generation, state = self.latest(force=False)
        if wanted != generation:  # (a view made after a commit this shard has not checked for)
            generation, state = self.latest()
        if wanted is None or wanted != generation:
            raise StaleShard(self.name)
        return state

    def columns(self, view: View, index: dict | None = None) -> FacetColumns:
        state = self._state(view)
        with self._lock:
            columns = state.columns.get(view.key)
            if columns is None:
                columns = columns_with_vocabulary(
                    state.parts, state.live, view.vocab, view.aliases, index, view.moved, view.unlisted
                )
                state.columns[view.key] = columns
                while len(state.columns) > 2:
                    state.columns.popitem(last=False)
        return columns

    def snapshot(self, view: View, corpus: CorpusStatistics | None = None, index: dict | None = None) -> Snapshot:
        """Return a snapshot of the view's generation, scoring with `corpus`'s statistics."""
        state = self._state(view)
        columns = self.columns(view, index)
        searcher = state.searcher
        if corpus is not None:
            searcher = CorpusSearcher(
                state.searcher.reader(), weighting=state.searcher.weighting, closereader=False, fromindex=self.ix
            )
            searcher.corpus = corpus
        try:
            vector = VectorSearch(searcher, self.segments.segments(state.searcher), columns.live)
        except Unsupported:
            vector = None
        return Snapshot(searcher, columns, self.parser, vector, self.time_limit)

    # Phase 0: the names and their counts, to judge the people and merge the vocabulary

    def raw_counts(self) -> tuple[int, dict[str, dict[str, int]]]:
        """Return the generation and the live counts of every name and piece of evidence."""
        generation, state = self.latest()
        return generation, raw_value_counts(state.parts, state.live)

    def judged_counts(self, generation: int, moved: dict[str, str], unlisted: frozenset[str]) -> dict:
        """Return the live counts of the names after the corpus's judgement of the people
        (organisations gain the moved names, once per article); raises StaleShard if the
        shard is no longer at `generation`."""
        latest, state = self.latest()
        if latest != generation:
            raise StaleShard(self.name)
        return raw_value_counts(state.parts, state.live, ENTITY_FIELDS, moved, unlisted)

    # Phase 1: term statistics

    def statistics(self, q: str) -> dict:
        """Return this shard's generation, document count, field lengths and the document
        frequencies of `q`'s terms (prefixes and wildcards expanded to the words held)."""
        generation, state = self.latest()
        reader = state.searcher.reader()
        frequencies: dict[tuple[str, bytes], int] = {}
        if q:
            parsed = parse_query(self.parser, q)
            # (Whoosh's Query.existing_terms reuses its `fieldname` argument as a loop
            # variable and drops terms: the leaves are walked here instead.)
            schema = reader.schema
            for leaf in parsed.leaves() if parsed is not None else ():
                for fieldname, text in leaf.expanded_terms(reader, phrases=True):
                    if fieldname not in schema:
                        continue
                    try:
                        tbytes = text if isinstance(text, bytes) else schema[fieldname].to_bytes(text)
                    except ValueError:
                        continue
                    frequencies[(fieldname, tbytes)] = reader.doc_frequency(fieldname, tbytes)
        return {
            "generation": generation,
            "doc_count_all": reader.doc_count_all(),
            "field_length": {f: reader.field_length(f) for f in SCORED_FIELDS if f in reader.schema},
            "doc_frequency": frequencies,
        }

    # Phase 2: search

    def search(
        self,
        view: View,
        corpus: CorpusStatistics | None,
        request: SearchRequest,
        window: int,
        index: dict | None = None,
    ) -> dict:
        """Return this shard's part of a search: its total, its best `window` hits as
        (score, day, id, docnum), and its facet counts over the whole hit set."""
        snapshot = self.snapshot(view, corpus, index)
        _, full_query = snapshot.select(request)
        hits = snapshot.hits(replace(request, page=1, size=window), full_query)
        ids = self._state(view).article_ids
        days = snapshot.columns.days
        candidates = [(score, int(days[docnum]), ids[docnum].decode("utf-8"), docnum) for docnum, score in hits.page]
        counts = {
            name: sparse(snapshot.columns.counts(name, hits.docnums)) for name in request.facets if name in BY_FIELD
        }
        dated = any(name not in BY_FIELD for name in request.facets)
        return {
            "total": hits.total,
            "partial": hits.partial,
            "candidates": candidates,
            "counts": counts,
            "days": day_counts(snapshot.columns.day_numbers(hits.docnums)) if dated else None,
        }

    def render(
        self, view: View, request: SearchRequest, page: list[tuple[int, float | None]], index: dict | None = None
    ) -> tuple[Hit, ...]:
        """Return the hits of (docnum, score) pairs with their snippets."""
        snapshot = self.snapshot(view, None, index)
        user_query = parse_query(self.parser, request.q) if request.q else None
        return answering.page_hits(snapshot, user_query, page)

    def rows(self, view: View, page: list[tuple[int, float | None]], index: dict | None = None) -> list[dict]:
        """Return export rows of (docnum, score) pairs."""
        from search.answers import as_data

        snapshot = self.snapshot(view, None, index)
        return [
            {**as_data(snapshot.summary(snapshot.stored(d))), "score": round(float(s), 4) if s is not None else None}
            for d, s in page
        ]

    # Lists, pages, timelines

    def counts(self, view: View, request: SearchRequest, fields: tuple[str, ...], index: dict | None = None) -> dict:
        """Return the number of selected articles (all live ones if the request selects
        none) and per field the counts of its values, sparse."""
        snapshot = self.snapshot(view, None, index)
        columns = snapshot.columns
        if request.selects_articles:
            docs = snapshot.hits(request).docnums
            total = int(columns.live.sum()) if docs is None else len(docs)
            return {"articles": total, "counts": {f: sparse(columns.counts(f, docs)) for f in fields}}
        return {
            "articles": int(columns.live.sum()),
            "counts": {f: sparse(columns.live_counts(f)) for f in fields},
        }

    def entity(
        self, view: View, field_name: str, canonical: str, request: SearchRequest, index: dict | None = None
    ) -> dict:
        """Return this shard's part of an entity page: counts for the associations, the
        days of the mentions, and the surface forms of its latest mentions."""
        snapshot = self.snapshot(view, None, index)
        columns = snapshot.columns
        scope = snapshot.hits(request).docnums
        mentions = columns.docs_with(field_name, canonical)
        if scope is not None:
            mentions = np.intersect1d(mentions, scope, assume_unique=True)
        days = columns.days[mentions]
        ids = self._state(view).article_ids
        recent = mentions[explore.recent_order(days, columns.id_rank[mentions])[: explore.RECENT_FORMS]]
        label = kind(field_name).label
        merges = field_name in (PEOPLE.field, ORGANISATIONS.field)
        canonical_of = (lambda v: columns.canonical(field_name, v)) if merges else (lambda v: v)
        forms = [
            (
                int(columns.days[d]),
                ids[d].decode("utf-8"),
                _mentions_as_written(snapshot.stored(int(d)), label, canonical_of, canonical),
            )
            for d in recent
        ]
        return {
            "mentions": len(mentions),
            "days": day_counts(days),
            "scope": int(columns.live.sum()) if scope is None else len(scope),
            "together": {f: sparse(columns.counts(f, mentions)) for f in ASSOCIATED},
            "overall": {
                f: sparse(columns.live_counts(f) if scope is None else columns.counts(f, scope)) for f in ASSOCIATED
            },
            "recent": forms,
        }

    def timeline(self, view: View, requests: list[SearchRequest], index: dict | None = None) -> dict:
        """Return the days of each series' articles and of all articles, as day counts."""
        snapshot = self.snapshot(view, None, index)
        columns = snapshot.columns
        return {
            "series": [day_counts(columns.day_numbers(snapshot.hits(r).docnums)) for r in requests],
            "all": day_counts(columns.day_numbers(None)),
        }

    # Similar articles: the source, statistics, hits, then the hits from their shards

    def similar_source(self, view: View, article_id: str, index: dict | None = None):
        """Return the explore.SimilarSource of an article of this shard, or None."""
        try:
            return explore.similar_source(self.snapshot(view, None, index), article_id)
        except ArticleNotFoundError:
            return None

    def term_statistics(
        self, view: View, words: list[str], terms: list[tuple[str, str]], index: dict | None = None
    ) -> dict:
        """Return the collection statistics similar articles are ranked with: document
        count, field lengths, the body frequency of each of `words` held here, and the
        document frequency of those words in the body and of the (field, text) `terms`."""
        reader = self._state(view).searcher.reader()
        schema = reader.schema
        frequencies = explore.body_frequencies(reader, words)
        wanted = [("body", w) for w in frequencies] + [(f, t) for f, t in terms if f in schema]
        doc_frequency = {}
        for fieldname, text in wanted:
            tbytes = schema[fieldname].to_bytes(text)
            doc_frequency[(fieldname, tbytes)] = reader.doc_frequency(fieldname, tbytes)
        return {
            "doc_count_all": reader.doc_count_all(),
            "field_length": {f: reader.field_length(f) for f in SCORED_FIELDS if f in schema},
            "frequency": frequencies,
            "doc_frequency": doc_frequency,
        }

    def similar_hits(self, view: View, corpus: CorpusStatistics, q, window: int, index: dict | None = None) -> list:
        """Return this shard's best `window` hits of a similar-articles query as (score, day, id, docnum)."""
        snapshot = self.snapshot(view, corpus, index)
        hits = snapshot.hits(explore.similar_request(window), q, scored=True)
        ids = self._state(view).article_ids
        return [(score, 0, ids[docnum].decode("utf-8"), docnum) for docnum, score in hits.page]

    def similar_render(
        self, view: View, page: list[tuple[int, float]], source, terms: list[str], index: dict | None = None
    ) -> list:
        return explore.similar_hits(self.snapshot(view, None, index), page, source, terms)

    # Did you mean: this shard's part of the questions a correction asks (search.suggest)

    def spelling_frequencies(self, view: View, stems: list[str], index: dict | None = None) -> dict[str, int]:
        return IndexSpelling(self.snapshot(view, None, index)).doc_frequencies(stems)

    def spelling_candidates(self, view: View, stems: list[str], index: dict | None = None) -> dict:
        return IndexSpelling(self.snapshot(view, None, index)).candidates(stems)

    def spelling_surfaces(self, view: View, terms: list[str], index: dict | None = None) -> dict:
        """Return (the lowest article id holding it, the word as written there) per term."""
        snapshot = self.snapshot(view, None, index)
        ids = self._state(view).article_ids
        return {t: found for t in terms if (found := surface_word(snapshot, "body", t, ids))}

    # Quotes: statistics, matches, then the page's quotes from their shards

    def quote_statistics(self, view: View, q: str, index: dict | None = None) -> dict:
        """Return this shard's live articles and the document frequencies of `q`'s terms
        within quoted words."""
        statistics = quoting.quote_statistics(self.snapshot(view, None, index), q)
        return {"doc_count": statistics.doc_count, "doc_frequency": statistics.doc_frequency}

    def quotes(
        self,
        view: View,
        request: quoting.QuoteRequest,
        corpus: quoting.QuoteStatistics | None,
        window: int,
        index: dict | None = None,
    ) -> dict:
        """Return this shard's part of a quote search: its count, its first `window` quotes
        in the request's order (ties by article id), quotes per speaker and per day."""
        snapshot = self.snapshot(view, None, index)
        found, partial = quoting.matching_quotes(snapshot, request, corpus, self._state(view).article_ids)
        return {
            "total": len(found),
            "partial": partial,
            "candidates": quoting.ordered_quotes(found, request)[:window],
            "speakers": quoting.speaker_counts(found),
            "days": day_counts(np.array([f.day for f in found], dtype=np.int32)),
        }

    def quote_hits(self, view: View, found: list, index: dict | None = None) -> list:
        snapshot = self.snapshot(view, None, index)
        return [quoting.quote_hit(snapshot, f) for f in found]

    def quote_rows(self, view: View, found: list, index: dict | None = None) -> list[dict]:
        snapshot = self.snapshot(view, None, index)
        return [quoting.export_row(snapshot, f) for f in found]

    def speaker_quotes(
        self,
        view: View,
        name: str,
        filters: SearchRequest,
        size: int,
        corpus: quoting.QuoteStatistics | None,
        index: dict | None = None,
    ) -> dict:
        """Return this shard's part of a person's quotes: (count, latest, most relevant),
        each quote with its sort key."""
        snapshot = self.snapshot(view, None, index)
        total, recent, relevant = quoting.speaker_quote_parts(
            snapshot, name, filters, size, corpus, self._state(view).article_ids
        )
        return {"total": total, "recent": recent, "relevant": relevant}

    def article(self, view: View, article_id: str, index: dict | None = None) -> Article | None:
        try:
            return answering.article(self.snapshot(view, None, index), article_id)
        except ArticleNotFoundError:
            return None

    def stats(self) -> dict:
        """Return this shard's article count, dates, segments and size."""
        _, state = self.latest()
        searcher = state.searcher
        live_days = np.concatenate([p.days for p, _ in state.parts])[state.live] if state.parts else np.zeros(0)
        segments = self.segments.segments(searcher)
        meta = idx.read_meta(self.path)
        return {
            "articles": searcher.doc_count(),
            "first_day": int(live_days.min()) if len(live_days) else None,
            "last_day": int(live_days.max()) if len(live_days) else None,
            "segments": len(segments),
            "segments_with_posting_arrays": sum(s.postings.complete for s in segments),
            "index_bytes": idx.folder_bytes(self.path),
            "analysis_version": meta.get("analysis_version"),
        }


def _mentions_as_written(stored: dict, label: str, canonical_of, canonical: str) -> list[str]:
    """Return how the article writes each mention of `canonical`, in order (repeats kept:
    the coordinator counts them as explore.surface_forms does)."""
    body = stored.get("body", "")
    return [
        " ".join(body[start:end].split())
        for entity_label, start, end, value, _country in stored.get("entities") or []
        if entity_label == label and canonical_of(value) == canonical
    ]


def vocabulary_index(view: View) -> dict[str, dict[str, int]]:
    """Return value -> id per field of a view (built once per view, shared by its shards)."""
    return {name: {v: i for i, v in enumerate(view.vocab[name])} for name in ENTITY_FIELDS}
