"""Snippets with matched terms marked, from the character offsets stored in the postings.

Whoosh's own highlighter re-analyses each hit's whole body (with NLTK, that was
most of a query's time). The body field stores each term's character offsets,
so we read the offsets of the query's terms in the page's documents and cut
snippets around the densest runs of matches. Only a frequent term, or a query of
many terms, is found by analysing the page's ten texts again (`pre_analyze`, as
ingest did): reaching ten documents through its long postings costs more.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from search.analysis.tokenize import pre_analyze
from search.whoosh_internals import TermNotFound

MAX_TERMS = 200


def query_terms(user_query, reader, fieldname: str) -> list[str]:
    """Return the terms of `fieldname` that `user_query` matches, prefixes and wildcards expanded."""
    from whoosh.query import MultiTerm

    terms: set[str] = set()
    stack = [user_query]
    while stack:
        q = stack.pop()
        if isinstance(q, MultiTerm):
            for field, text in q.expanded_terms(reader):
                if field == fieldname and len(terms) < MAX_TERMS:
                    terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
        elif q.is_leaf():
            for field, text in q.terms(phrases=True):
                if field == fieldname:
                    terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
        else:
            stack.extend(q.children())
    return sorted(terms)


# A term in more documents than this is found in the page's texts by analysing them
# again, not through its postings: skipping to a page's documents in the postings of
# "said" (450,000 documents of 514,000) read 4,500 block headers, 40 ms a query. So are
# all the terms of a query of more than POSTINGS_TERMS terms ("bank*": 35 terms, each
# opened in each of 11 segments, 50 ms).
FREQUENT_TERM_DOCS = 20_000
POSTINGS_TERMS = 4


def match_spans(
    reader, fieldname: str, terms: Iterable[str], docnums: list[int], texts: Callable[[int], str] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Return, for each docnum, the sorted (start, end) character spans of `terms` in
    `fieldname`: from the postings' stored offsets, or for frequent terms, when `texts`
    gives a document's text of the field, from that text analysed as ingest did."""
    spans: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
    wanted = sorted(set(docnums))
    terms = list(terms)[:MAX_TERMS]
    frequent: set[str] = set(terms) if texts is not None and len(terms) > POSTINGS_TERMS else set()
    for term in terms:
        if term in frequent:
            continue
        if texts is not None and reader.doc_frequency(fieldname, term) > FREQUENT_TERM_DOCS:
            frequent.add(term)
            continue
        try:
            matcher = reader.postings(fieldname, term)
        except TermNotFound:  # a term absent from the index has no spans
            continue
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                # Each entry is (position, startchar, endchar).
                spans[docnum].extend((start, end) for _, start, end in matcher.value_as("characters"))
    if frequent:
        for docnum in wanted:
            spans[docnum].extend((start, end) for stem, _, start, end in pre_analyze(texts(docnum)).tokens
                                 if stem in frequent)
    for docnum in spans:
        spans[docnum].sort()
    return spans


def snippets(text: str, spans: list[tuple[int, int]], width: int = 240, count: int = 2) -> list[str]:
    """Return up to `count` HTML snippets of about `width` characters around the densest
    runs of `spans`; text is escaped and each span is wrapped in <mark>."""
    if not spans:
        return []
    chosen: list[tuple[int, int]] = []
    remaining = list(spans)
    while remaining and len(chosen) < count:
        best_start, best_score = 0, -1
        for i, (start, _) in enumerate(remaining):
            window_end = start + width - 40
            score = len({text[s:e].lower() for s, e in remaining[i:] if s < window_end})
            if score > best_score:
                best_start, best_score = i, score
        start = remaining[best_start][0]
        lo, hi = _widen(text, start - 40, start - 40 + width)
        chosen.append((lo, hi))
        remaining = [s for s in remaining if s[1] <= lo or s[0] >= hi]
    chosen.sort()
    return [_render(text, lo, hi, [s for s in spans if s[0] >= lo and s[1] <= hi]) for lo, hi in chosen]


def _widen(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Clamp to the text and move the edges out of the middle of words."""
    lo, hi = max(0, lo), min(len(text), hi)
    if lo > 0:
        space = text.rfind(" ", max(0, lo - 20), lo)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.find(" ", hi, hi + 20)
        hi = space if space >= 0 else hi
    return lo, hi


def _render(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    parts, pos = [], lo
    for s, e in spans:
        if s < pos:
            continue
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:hi], quote=False))
    snippet = " ".join("".join(parts).split())
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")
