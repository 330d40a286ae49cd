"""The coordinator's similar articles: the single index's key terms and ranking over shards.

An article's key terms are chosen by Whoosh's Bo1 model, which reads collection
frequencies: the article's shard gives its words and weights, every shard the
statistics of those words (summed here), so the same terms are chosen
(search.explore.key_terms). The query of those terms, the article's people and
places is then ranked as a search is, with the corpus's statistics, ties by article
id, and the hits are rendered by their shards. `SimilarAnswers` is a part of
`ClusterBackend` (search/cluster/backend.py).
"""

from __future__ import annotations

import time

from search import explore
from search.answers import Similar
from search.cluster.merge import ShardsUnavailableError
from search.cluster.routing import shard_of
from search.cluster.shard import CorpusStatistics
from search.errors import ArticleNotFoundError, InvalidRequest
from search.kinds import PEOPLE


class SimilarAnswers:
    """Similar articles over the shards of a ClusterBackend."""

    def similar(self, article_id: str, *, size: int = 10) -> Similar:
        if not isinstance(size, int) or not 1 <= size <= 100:
            raise InvalidRequest({"size": ["must be between 1 and 100"]})
        deadline = time.monotonic() + self.time_limit
        owner = self.names[shard_of(article_id, len(self.names))]

        def work(view):
            got = self._run("similar_source", deadline, per_shard={owner: {"article_id": article_id}})
            if got.stale:
                return None, got.failed, True
            if owner in got.failed:
                raise ShardsUnavailableError(f"the shard of article {article_id!r} did not answer")
            source = got.values.get(owner)
            if source is None:
                raise ArticleNotFoundError(article_id)
            people = [raw for p in source.people for raw in self._corpus_names.expand(PEOPLE.field, p)]
            statistics = self._run(
                "term_statistics",
                deadline,
                words=[w for w, _ in source.weights],
                terms=[(PEOPLE.field, t) for t in people] + [("places", p) for p in source.places],
            )
            if statistics.stale:
                return None, statistics.failed, True
            parts = list(statistics.values.values())
            frequencies: dict[str, int] = {}
            doc_frequency: dict = {}
            lengths: dict[str, int] = {}
            for part in parts:
                for word, n in part["frequency"].items():
                    frequencies[word] = frequencies.get(word, 0) + n
                for term, n in part["doc_frequency"].items():
                    doc_frequency[term] = doc_frequency.get(term, 0) + n
                for f, n in part["field_length"].items():
                    lengths[f] = lengths.get(f, 0) + n
            doc_count = sum(p["doc_count_all"] for p in parts)
            terms = explore.key_terms(source, frequencies, doc_count, lengths.get("body", 0))
            q = explore.similar_query(terms, people, source.places)
            if q is None:
                return (source, terms, []), statistics.failed, False
            corpus = CorpusStatistics(doc_count, lengths, doc_frequency)
            found = self._run("similar_hits", deadline, corpus=corpus, q=q, window=size + 1)
            candidates = [c + (shard,) for shard, hits in found.values.items() for c in hits]
            return (source, terms, candidates), statistics.failed | found.failed, found.stale

        (source, terms, candidates), failed = self._with_view(work, deadline)
        candidates.sort(key=lambda c: (-c[0], c[2]))
        page = [c for c in candidates if c[2] != article_id][:size]
        per_shard: dict[str, dict] = {}
        for score, _day, _id, docnum, shard in page:
            entry = per_shard.setdefault(shard, {"page": [], "source": source, "terms": [t for t, _ in terms]})
            entry["page"].append((docnum, score))
        rendered = self._run("similar_render", deadline, per_shard=per_shard) if per_shard else None
        by_shard = {s: iter(hits) for s, hits in (rendered.values.items() if rendered else ())}
        results = tuple(next(by_shard[shard]) for *_, shard in page if shard in by_shard)
        return Similar(article_id, results)
