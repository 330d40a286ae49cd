"""Did you mean: spelling corrections of a query's words and of unknown names,
offered when a search finds few articles and the corrected one finds more."""

from __future__ import annotations

import difflib
from dataclasses import replace

import numpy as np

from search.analysis.tokenize import pre_analyze, word_spans
from search.answers import Suggestion
from search.errors import InvalidRequest
from search.facets import FacetColumns
from search.kinds import PAGE_KINDS
from search.query import SearchRequest
from search.snapshot import Snapshot
from search.whoosh_internals import TermNotFound

SUGGEST_BELOW = 5  # a query with fewer hits than this may get a "did you mean"


def closest_names(columns: FacetColumns, field: str, name: str, size: int = 5) -> list[str]:
    """Return known names of `field` closest in spelling to `name` (whole names or any word)."""
    counts = columns.counts(field, None)
    vocab = columns.vocab[field]
    wanted = name.lower().strip()
    scored: list[tuple[float, int, str]] = []
    matcher = difflib.SequenceMatcher(a=wanted)
    for i in np.flatnonzero(counts).tolist():
        value = vocab[i]
        best = 0.0
        for candidate in (value.lower(), *value.lower().split()):
            matcher.set_seq2(candidate)
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, matcher.ratio())
        if best >= 0.75:
            scored.append((best, int(counts[i]), value))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [value for _, _, value in scored[:size]]


class IndexSpelling:
    """What a query's correction reads from one index: how many articles hold a stem,
    the indexed terms spelt like it, and how the archive writes a term. A sharded index
    answers the same questions from its shards' sums (search/cluster/spelling.py)."""

    def __init__(self, snapshot: Snapshot, fieldname: str = "body"):
        self.snapshot = snapshot
        self.reader = snapshot.searcher.reader()
        self.fieldname = fieldname

    def doc_frequencies(self, stems: list[str]) -> dict[str, int]:
        return {stem: self.reader.doc_frequency(self.fieldname, stem) for stem in stems}

    def candidates(self, stems: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
        return {stem: spelling_candidates(self.reader, self.fieldname, stem) for stem in stems}

    def surfaces(self, terms: list[str]) -> dict[str, tuple[str, str]]:
        ids = self.snapshot.columns.id_rank
        return {t: found for t in terms if (found := surface_word(self.snapshot, self.fieldname, t, ids))}


def surface_word(snapshot: Snapshot, fieldname: str, stem: str, order_ids) -> tuple[object, str] | None:
    """Return (the id order of the article, the word) of the indexed `stem` as written in
    the article of the lowest id holding it, read from the character offsets of its
    posting (no re-analysis); `order_ids[docnum]` orders articles by id."""
    searcher = snapshot.searcher
    try:
        matcher = searcher.reader().postings(fieldname, stem)
    except TermNotFound:
        return None
    docs = np.fromiter(matcher.all_ids(), dtype=np.int64)
    docs = docs[snapshot.columns.live[docs]] if len(docs) else docs
    if not len(docs):
        return None
    if order_ids.dtype.kind in "iu":
        first = int(docs[np.argmin(order_ids[docs])])
    else:  # article ids (a shard's): the lowest
        first = min(docs.tolist(), key=lambda d: order_ids[d])
    matcher = searcher.reader().postings(fieldname, stem)
    matcher.skip_to(first)
    chars = matcher.value_as("characters") if matcher.is_active() and matcher.id() == first else None
    if not chars:
        return None
    _, start, end = chars[0]
    word = searcher.stored_fields(first).get(fieldname, "")[start:end]
    return (_order_value(order_ids[first]), word.lower()) if word else None


def _order_value(value):
    return value.decode("utf-8") if isinstance(value, bytes) else int(value)


def spelling_candidates(reader, fieldname: str, stem: str, maxdist: int = 2) -> dict[str, tuple[int, int]]:
    """Return the indexed terms within `maxdist` edits of `stem` (sharing its first
    letter), each with (edits, document frequency)."""
    found: dict[str, tuple[int, int]] = {}
    for distance in range(1, maxdist + 1):
        for term in reader.terms_within(fieldname, stem, distance, prefix=1):
            if term != stem and term not in found:
                found[term] = (distance, reader.doc_frequency(fieldname, term))
    return found


def ranked_candidates(found: dict[str, tuple[int, int]]) -> list[tuple[str, int]]:
    """Return the candidates seen in at least 2 articles with their document frequencies,
    best first: a term one edit away counts ten times as much as one two edits away, so
    a common word beats a one-off typo; ties go to fewer edits, then alphabetical order."""
    kept = [(term, d, n) for term, (d, n) in found.items() if n >= 2]
    kept.sort(key=lambda t: (-(t[2] / 10 ** (t[1] - 1)), t[1], t[0]))
    return [(term, n) for term, _, n in kept]


def suggestion(snapshot: Snapshot, request: SearchRequest, total: int) -> Suggestion | None:
    """Return the corrected query words and names with what they find, when a
    better-spelt search finds more articles than `total`; else None."""
    if total >= SUGGEST_BELOW:
        return None
    return suggested(request, total, IndexSpelling(snapshot), snapshot.columns, lambda r: snapshot.hits(r).total)


def suggested(request: SearchRequest, total: int, spelling, columns: FacetColumns, count) -> Suggestion | None:
    """Return the suggestion of `request` (which found `total`), reading the spelling of
    words from `spelling` (an IndexSpelling or the like), names from `columns`, and
    counting a corrected request's articles with `count(request)`."""
    if total >= SUGGEST_BELOW:
        return None
    changes: dict = {}
    if request.q:
        corrected = corrected_query(spelling, request.q)
        if corrected and corrected != request.q:
            changes["q"] = corrected
    for kind in PAGE_KINDS:
        names = list(getattr(request, kind.param))
        fixed = [
            n if columns.resolve(kind.field, n) else (closest_names(columns, kind.field, n, 1) or [n])[0] for n in names
        ]
        if fixed != names:
            changes[kind.param] = tuple(fixed)
    if not changes:
        return None
    try:
        new_total = count(replace(request, **changes))
    except InvalidRequest:  # a correction can make a valid query invalid ("zq*" to "z*")
        return None
    if new_total <= total:
        return None
    return Suggestion(total=new_total, **changes)


def corrected_query(spelling, q: str) -> str | None:
    """Return `q` with each word the index barely knows replaced by its likeliest
    spelling as the archive writes it, or None when nothing changes."""
    words = []
    for start, end in word_spans(q):
        word = q[start:end]
        if not word.isalpha() or word in ("AND", "OR", "NOT"):
            continue
        stems = pre_analyze(word).tokens
        if len(stems) == 1:
            words.append((start, end, word, stems[0][0]))
    if not words:
        return None
    frequencies = spelling.doc_frequencies(sorted({stem for *_, stem in words}))
    rare = sorted({stem for *_, stem in words if frequencies.get(stem, 0) < 2})
    best = {}
    for stem, found in (spelling.candidates(rare) if rare else {}).items():
        ranked = ranked_candidates(found)
        if ranked:
            best[stem] = ranked[0][0]
    surfaces = spelling.surfaces(sorted(set(best.values()))) if best else {}
    pieces, position, changed = [], 0, False
    for start, end, word, stem in words:
        if stem not in best or best[stem] not in surfaces:
            continue
        replacement = surfaces[best[stem]][1]
        if replacement and replacement != word.lower():
            pieces.append(q[position:start] + replacement)
            position, changed = end, True
    if not changed:
        return None
    return "".join(pieces) + q[position:]
