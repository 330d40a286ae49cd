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


def surface_word(searcher, fieldname: str, stem: str) -> str | None:
    """Return a word as written in the archive for the indexed `stem`, read from the
    character offsets of one of its postings (no re-analysis)."""
    try:
        matcher = searcher.reader().postings(fieldname, stem)
    except TermNotFound:
        return None
    if not matcher.is_active():
        return None
    docnum = matcher.id()
    chars = matcher.value_as("characters")
    if not chars:
        return None
    _, start, end = chars[0]
    body = searcher.stored_fields(docnum).get(fieldname, "")
    word = body[start:end]
    return word.lower() if word else None


def spelling_candidates(reader, fieldname: str, stem: str, maxdist: int = 2) -> list[tuple[str, int]]:
    """Return indexed terms within `maxdist` edits of `stem` (sharing its first letter)
    with their document frequencies, best first: a term one edit away counts ten
    times as much as one two edits away, so a common word beats a one-off typo."""
    scored: dict[str, tuple[float, int]] = {}
    for distance in range(1, maxdist + 1):
        for term in reader.terms_within(fieldname, stem, distance, prefix=1):
            if term != stem and term not in scored:
                frequency = reader.doc_frequency(fieldname, term)
                if frequency >= 2:
                    scored[term] = (frequency / 10 ** (distance - 1), frequency)
    ranked = sorted(scored.items(), key=lambda item: -item[1][0])
    return [(term, frequency) for term, (_, frequency) in ranked]


def suggestion(snapshot: Snapshot, request: SearchRequest, total: int) -> Suggestion | None:
    """Return the corrected query words and names with what they find, when a
    better-spelt search finds more articles than `total`; else None."""
    if total >= SUGGEST_BELOW:
        return None
    changes: dict = {}
    if request.q:
        corrected = corrected_query(snapshot.searcher, request.q)
        if corrected and corrected != request.q:
            changes["q"] = corrected
    for kind in PAGE_KINDS:
        names = list(getattr(request, kind.param))
        fixed = [
            n if snapshot.columns.resolve(kind.field, n)
            else (closest_names(snapshot.columns, kind.field, n, 1) or [n])[0]
            for n in names
        ]
        if fixed != names:
            changes[kind.param] = tuple(fixed)
    if not changes:
        return None
    try:
        new_total = snapshot.hits(replace(request, **changes)).total
    except InvalidRequest:  # a correction can make a valid query invalid ("zq*" to "z*")
        return None
    if new_total <= total:
        return None
    return Suggestion(total=new_total, **changes)


def corrected_query(searcher, q: str) -> str | None:
    """Return `q` with each word the index barely knows replaced by its likeliest
    spelling as the archive writes it, or None when nothing changes."""
    reader = searcher.reader()
    pieces, position, changed = [], 0, False
    for start, end in word_spans(q):
        word = q[start:end]
        if not word.isalpha() or word in ("AND", "OR", "NOT"):
            continue
        stems = pre_analyze(word).tokens
        if len(stems) != 1:
            continue
        stem = stems[0][0]
        if reader.doc_frequency("body", stem) >= 2:
            continue
        candidates = spelling_candidates(reader, "body", stem)
        if not candidates:
            continue
        replacement = surface_word(searcher, "body", candidates[0][0])
        if replacement and replacement != word.lower():
            pieces.append(q[position:start] + replacement)
            position, changed = end, True
    if not changed:
        return None
    return "".join(pieces) + q[position:]
