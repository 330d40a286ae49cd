"""Exploring beyond keyword hits: who appears with whom, attention over time,
similar articles and spelling suggestions. Pure functions over the cached facet
columns and a Whoosh searcher; `search.engine` exposes them."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from search.facets import FacetColumns

MIN_ASSOCIATION_COUNT = 2


@dataclass(frozen=True)
class Association:
    """A name that co-occurs with another more often than their frequencies predict."""

    value: str
    count: int  # articles that mention both
    score: float  # log-likelihood ratio (G²)

    def as_dict(self) -> dict:
        return {"value": self.value, "count": self.count, "score": round(self.score, 2)}


def log_likelihood_ratio(k11, k12, k21, k22) -> np.ndarray:
    """Return Dunning's G² for 2x2 contingency tables given cell by cell (numpy arrays).

    k11: both, k12: the first without the second, k21: the second without the
    first, k22: neither. G² is 0 for independence and grows with the evidence
    of association; unlike raw co-occurrence it does not favour names that are
    everywhere."""
    k = np.stack([k11, k12, k21, k22]).astype(np.float64)
    n = k.sum(axis=0)
    rows = np.stack([k[0] + k[1], k[0] + k[1], k[2] + k[3], k[2] + k[3]])
    cols = np.stack([k[0] + k[2], k[1] + k[3], k[0] + k[2], k[1] + k[3]])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(k > 0, k * np.log(k * n / (rows * cols)), 0.0)
    return np.maximum(2.0 * terms.sum(axis=0), 0.0)


def associations(
    columns: FacetColumns,
    field: str,
    with_docs: np.ndarray,
    scope_docs: np.ndarray | None,
    exclude: str | None,
    size: int,
) -> list[Association]:
    """Return the values of `field` most associated with the documents `with_docs`
    (those mentioning one name) within `scope_docs` (None: every live document)."""
    together = columns.counts(field, with_docs)
    overall = columns.counts(field, scope_docs)
    n = int(columns.live.sum()) if scope_docs is None else len(scope_docs)
    e = len(with_docs)
    if e == 0 or n == 0:
        return []
    k11 = together
    k12 = e - k11
    k21 = overall - k11
    k22 = n - e - k21
    scores = log_likelihood_ratio(k11, k12, k21, k22)
    # Only names that are over-represented among the documents, seen often enough.
    minimum = MIN_ASSOCIATION_COUNT if e >= 5 else 1
    rest = max(n - e, 1)
    keep = (k11 >= minimum) & (k11 / e > k21 / rest)
    if exclude is not None:
        vocab_ids = columns._value_ids(field)
        if exclude in vocab_ids:
            keep[vocab_ids[exclude]] = False
    candidates = np.flatnonzero(keep)
    order = sorted(candidates.tolist(), key=lambda i: (-scores[i], -k11[i]))[:size]
    vocab = columns.vocab[field]
    return [Association(vocab[i], int(k11[i]), float(scores[i])) for i in order]


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


def surface_forms(stored_documents, label: str, canonical_of, canonical: str, limit: int = 20) -> list[str]:
    """Return how a name is written in the given stored documents, most frequent first."""
    seen: Counter[str] = Counter()
    for stored in stored_documents:
        body = stored.get("body", "")
        for entity_label, start, end, value, _country in stored.get("entities") or []:
            if entity_label == label and canonical_of(value) == canonical:
                seen[" ".join(body[start:end].split())] += 1
    return [form for form, _ in seen.most_common(limit)]


def surface_word(reader, searcher, fieldname: str, stem: str) -> str | None:
    """Return a word as written in the archive for the indexed `stem`, read from the
    character offsets of one of its postings (no re-analysis)."""
    try:
        matcher = reader.postings(fieldname, stem)
    except Exception:  # TermNotFound
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


SERIES_KEYS = ("q", "person", "place", "from", "to")
MAX_SERIES = 10
SUGGEST_BELOW = 5  # a query with fewer hits than this may get a "did you mean"


class EntityNotFoundError(KeyError):
    """No person or place of that name; `suggestions` are the closest known names."""

    def __init__(self, kind: str, name: str, suggestions: list[str]):
        super().__init__(name)
        self.kind, self.name, self.suggestions = kind, name, suggestions


def parse_series(text: str) -> dict:
    """Return the filters of one timeline series, written `key:value` pairs joined by ';'
    ("person:Ronald Reagan", "q:oil;place:Japan"). Raises ValueError naming the problem."""
    filters: dict = {"person": [], "place": []}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition(":")
        key = key.strip()
        if not sep or key not in SERIES_KEYS or not value.strip():
            raise ValueError(f"{part.strip()!r} is not key:value with a key among {', '.join(SERIES_KEYS)}")
        value = value.strip()
        if key in ("person", "place"):
            filters[key].append(value)
        elif key == "q":
            filters["q"] = value
        else:
            filters["date_from" if key == "from" else "date_to"] = value
    if not any(filters.get(k) for k in ("q", "person", "place", "date_from", "date_to")):
        raise ValueError("an empty series")
    return filters


class ExploreMixin:
    """NewsIndex's exploration answers: entity pages, timelines, similar articles,
    spelling suggestions. Uses the engine's _view, _query and _run."""

    def entity(self, kind: str, name: str, *, size: int = 10, **filters) -> dict:
        """Return the page of one person or place: counts, dates, timeline, the names most
        associated with it and its top articles, within the articles `filters` select."""
        from search.facets import histogram
        from search.query import SearchRequest

        if kind not in ("people", "places"):
            raise ValueError(f"kind must be people or places, not {kind!r}")
        request = SearchRequest.build(**filters, size=1, facets=[])
        searcher, columns = self._view()
        canonical = columns.resolve(kind, name)
        if canonical is None or not len(columns.docs_with(kind, canonical)):
            raise EntityNotFoundError(kind, name, closest_names(columns, kind, name))
        scope = self._run(searcher, columns, self._query(columns, request)[1], request).docnums
        mentions = columns.docs_with(kind, canonical)
        if scope is not None:
            mentions = np.intersect1d(mentions, scope, assume_unique=True)
        days = columns.days[mentions]
        timeline = [
            {"period": label, "from": first.isoformat(), "to": last.isoformat(), "count": count}
            for label, first, last, count in histogram(days, "month")
        ]
        filter_key = "person" if kind == "people" else "place"
        narrowed = dict(filters)
        narrowed[filter_key] = [*(filters.get(filter_key) or []), canonical]
        top = self.search(**narrowed, size=size, facets=[])["results"] if len(mentions) else []
        recent = mentions[np.argsort(-days, kind="stable")[:100]]
        label = "person" if kind == "people" else "place"
        forms = surface_forms(
            (searcher.stored_fields(int(d)) for d in recent), label,
            (lambda v: columns.canonical("people", v)) if kind == "people" else (lambda v: v), canonical,
        )
        aliases = sorted((set(forms) | set(columns.expand(kind, canonical))) - {canonical})
        return {
            "name": canonical,
            "kind": kind,
            "aliases": aliases,
            "articles": int(len(mentions)),
            "first_date": _iso_day(days.min()) if len(days) else None,
            "last_date": _iso_day(days.max()) if len(days) else None,
            "timeline": timeline,
            "people": [a.as_dict() for a in associations(
                columns, "people", mentions, scope, canonical if kind == "people" else None, size)],
            "places": [a.as_dict() for a in associations(
                columns, "places", mentions, scope, canonical if kind == "places" else None, size)],
            "top_articles": [{"id": r["id"], "date": r["date"], "headline": r["headline"]} for r in top],
        }

    def timeline(
        self, series: list[str], *, interval: str = "month", date_from=None, date_to=None
    ) -> dict:
        """Return articles per period for each series, zero-filled over a shared range,
        with each series' share of all articles in the period."""
        from search.facets import INTERVALS, MAX_BUCKETS, period_bounds, period_keys
        from search.query import InvalidRequest, SearchRequest, parse_period

        errors: dict[str, list[str]] = {}
        if interval not in INTERVALS:
            errors["interval"] = [f"must be one of {', '.join(INTERVALS)}"]
        if not series:
            errors["series"] = ["give at least one series, e.g. series=person:Ronald Reagan"]
        elif len(series) > MAX_SERIES:
            errors["series"] = [f"at most {MAX_SERIES} series"]
        requests = []
        for n, text in enumerate(series[:MAX_SERIES]):
            try:
                filters = parse_series(text)
                filters.setdefault("date_from", date_from)
                filters.setdefault("date_to", date_to)
                requests.append((text, SearchRequest.build(**filters, size=1, facets=[])))
            except ValueError as exc:
                errors.setdefault("series", []).append(f"series {n + 1}: {exc}")
            except InvalidRequest as exc:
                errors.setdefault("series", []).append(f"series {n + 1}: {exc}")
        bounds = {}
        for key, value in (("from", date_from), ("to", date_to)):
            if value:
                try:
                    bounds[key] = parse_period(str(value), end=key == "to")
                except ValueError as exc:
                    errors[key] = [str(exc)]
        if errors:
            raise InvalidRequest(errors)
        searcher, columns = self._view()
        found = []
        for text, request in requests:
            docnums = self._run(searcher, columns, self._query(columns, request)[1], request).docnums
            found.append((text, columns.day_numbers(docnums)))
        everything = columns.day_numbers(None)
        keys = [period_keys(days, interval) for _, days in found if len(days)]
        epoch = np.datetime64("1970-01-01")
        first = period_keys(np.array([(np.datetime64(bounds["from"]) - epoch).astype(int)]), interval)[0] \
            if "from" in bounds else (min(int(k.min()) for k in keys) if keys else None)
        last = period_keys(np.array([(np.datetime64(bounds["to"]) - epoch).astype(int)]), interval)[0] \
            if "to" in bounds else (max(int(k.max()) for k in keys) if keys else None)
        if first is None or last is None or first > last:
            return {"interval": interval, "buckets": [], "series": [
                {"series": text, "total": 0, "counts": [], "share": []} for text, _ in found]}
        # Zero-filled over the range; a range too long for that (to=9999-12-31, or articles
        # dated across centuries) keeps only the periods in which some article is dated.
        if int(last) - int(first) + 1 <= MAX_BUCKETS:
            periods = np.arange(int(first), int(last) + 1)
        else:
            periods = np.unique(period_keys(everything, interval))
            periods = periods[(periods >= int(first)) & (periods <= int(last))]

        def per_period(days) -> np.ndarray:
            keys = period_keys(days, interval)
            keys = keys[np.isin(keys, periods)]
            return np.bincount(np.searchsorted(periods, keys), minlength=len(periods)).astype(np.int64)

        all_counts = per_period(everything).astype(np.float64)
        totals = [(*period_bounds(int(p), interval), int(c)) for p, c in zip(periods, all_counts, strict=True)]
        answer_series = []
        for text, days in found:
            counts = per_period(days)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(all_counts > 0, counts / all_counts, 0.0)
            answer_series.append({
                "series": text,
                "total": int(counts.sum()),
                "counts": counts.tolist(),
                "share": [round(float(s), 4) for s in share],
            })
        return {
            "interval": interval,
            "buckets": [
                {"period": label, "from": a.isoformat(), "to": b.isoformat(), "total": count}
                for label, a, b, count in totals
            ],
            "series": answer_series,
        }

    def similar(self, article_id: str, *, size: int = 10) -> dict:
        """Return the articles most like one article (its key terms, people and places),
        never the article itself, each with the reasons it matched."""
        from whoosh import query as wq

        from search.analysis.tokenize import pre_analyze
        from search.engine import ArticleNotFoundError, _split
        from search.highlight import match_spans

        if not isinstance(size, int) or not 1 <= size <= 100:
            from search.query import InvalidRequest

            raise InvalidRequest({"size": ["must be between 1 and 100"]})
        searcher, columns = self._view()
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            raise ArticleNotFoundError(article_id)
        stored = searcher.stored_fields(docnum)
        terms = searcher.key_terms([docnum], "body", numterms=20)
        people = columns.canonical_list("people", _split(stored.get("people")))
        places = _split(stored.get("places"))
        clauses = [wq.Term("body", t, boost=float(w)) for t, w in terms]
        clauses += [wq.Term("people", raw, boost=1.5) for p in people for raw in columns.expand("people", p)]
        clauses += [wq.Term("places", p, boost=1.0) for p in places]
        if not clauses:
            return {"id": article_id, "results": []}
        hits = searcher.search(wq.Or(clauses), limit=size + 1)
        others = [(hit.docnum, hit.score) for hit in hits if hit.docnum != docnum][:size]
        body = stored.get("body", "")
        surface: dict[str, str] = {}
        for stem, _pos, start, end in pre_analyze(body).tokens:
            surface.setdefault(stem, body[start:end].lower())
        reader = searcher.reader()
        present = {t: match_spans(reader, "body", [t], [d for d, _ in others]) for t, _ in terms}
        results = []
        for other, score in others:
            fields = searcher.stored_fields(other)
            their_people = set(columns.canonical_list("people", _split(fields.get("people"))))
            their_places = set(_split(fields.get("places")))
            results.append({
                "id": fields["id"],
                "date": _iso_day_of(fields.get("date")),
                "headline": fields.get("headline", ""),
                "score": round(float(score), 4),
                "shared_terms": [surface.get(t, t) for t, _ in terms if present[t].get(other)],
                "shared_people": [p for p in people if p in their_people],
                "shared_places": [p for p in places if p in their_places],
            })
        return {"id": article_id, "results": results}

    def suggestion(self, request, total: int) -> dict | None:
        """Return {"q"/"person"/"place": corrected, "total": n} when a better-spelt
        query finds more articles than `total`, else None."""
        from dataclasses import replace

        if total >= SUGGEST_BELOW:
            return None
        searcher, columns = self._view()
        changes: dict = {}
        if request.q:
            corrected = self._corrected_q(searcher, request.q)
            if corrected and corrected != request.q:
                changes["q"] = corrected
        for key, field in (("person", "people"), ("place", "places")):
            names = list(getattr(request, key))
            fixed = [
                n if columns.resolve(field, n) else (closest_names(columns, field, n, 1) or [n])[0]
                for n in names
            ]
            if fixed != names:
                changes[key] = fixed
        if not changes:
            return None
        better = replace(request, **{k: (tuple(v) if k != "q" else v) for k, v in changes.items()})
        new_total = self._run(searcher, columns, self._query(columns, better)[1], better).total
        if new_total <= total:
            return None
        return {**changes, "total": new_total}

    def _corrected_q(self, searcher, q: str) -> str | None:
        from search.analysis.tokenize import pre_analyze, word_spans

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
            replacement = surface_word(reader, searcher, "body", candidates[0][0])
            if replacement and replacement != word.lower():
                pieces.append(q[position:start] + replacement)
                position, changed = end, True
        if not changed:
            return None
        return "".join(pieces) + q[position:]


def _iso_day(number) -> str:
    return (np.datetime64(int(number), "D")).astype(object).isoformat()


def _iso_day_of(value) -> str | None:
    from search.query import iso_date

    return iso_date(value)
