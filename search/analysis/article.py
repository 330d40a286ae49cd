"""An article analysed: its headline, the people, places and organisations it mentions,
the countries they belong to, and the NLTK tokens of its title and body, ready to index."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace

from search.analysis.entities import ORGANISATION, PERSON, PLACE, Entity, recognise_entities
from search.analysis.organisations import is_designator_only, name_evidence
from search.analysis.places import country_name, demonym_country
from search.analysis.quotes import Quote, extract_quotes
from search.analysis.tokenize import PreAnalyzed, pre_analyze, sentence_spans, tokenize
from search.articles import Article

HEADLINE_CHARS = 200
QUOTE_GAP = 10  # positions between two quotes of an article: no phrase spans them


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
    quotes: tuple[Quote, ...] = ()  # offsets into the body
    # Names this article shows to be organisations / people (search.analysis.organisations).
    organisation_evidence: tuple[str, ...] = ()
    person_evidence: tuple[str, ...] = ()

    @property
    def speakers(self) -> tuple[str, ...]:
        """The canonical names of the people quoted, once each, in order."""
        return _unique(q.speaker for q in self.quotes if q.speaker)

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
    def organisations(self) -> tuple[str, ...]:
        # A designator alone ("Inc", "Co") names no organisation.
        return _unique(
            e.canonical for e in self.all_entities if e.label == ORGANISATION and not is_designator_only(e.canonical)
        )

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
        first = first[:HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def analyse(article: Article) -> AnalysedArticle:
    """Return `article` with its headline, the people and places it mentions, and the
    analysed tokens of its title and body."""
    # The recogniser sees title and body as one text, so a name is made the same
    # person in both. Without a title that text is the body itself, and indexing
    # the body below reuses its (cached) NLTK tokens. Title entities count for the
    # facets; body entities are stored with offsets into the body for the article page.
    # Quotes are extracted from the same text with the same entities, so a speaker
    # is the very canonical name the people facet shows; only the body's are kept.
    if article.title:
        offset = len(article.title) + 2
        text = article.title + "\n\n" + article.body
        found = recognise_entities(text)
        title_entities = tuple(e for e in found if e.start < offset)
        body_entities = tuple(
            replace(e, start=e.start - offset, end=e.end - offset) for e in found if e.start >= offset
        )
        quotes = body_quotes(extract_quotes(text, found), offset)
        # The body's words are among those the recogniser's tokenization found (cached).
        body_sentences = sentences_after(text, offset)
    else:
        text = article.body
        found = recognise_entities(text)
        title_entities, body_entities = (), tuple(found)
        quotes = tuple(extract_quotes(article.body, body_entities))
        body_sentences = None  # tokenize(body) is the recogniser's, cached
    organisation_evidence, person_evidence = name_evidence(text, found)
    demonyms = demonym_countries(article.title) + demonym_countries(article.body, body_sentences)
    return AnalysedArticle(
        article,
        headline_of(article),
        body_entities,
        pre_analyze(article.title),
        pre_analyze(article.body, body_sentences if len(article.body) >= 200 or "\n" in article.body else None),
        title_entities,
        demonyms,
        quotes,
        _unique(organisation_evidence),
        _unique(person_evidence),
    )


def body_quotes(quotes: Iterable[Quote], offset: int) -> tuple[Quote, ...]:
    """Return the quotes that lie in the body, their offsets moved into it (`offset`:
    where the body starts); an attributing mention in the title has no offsets."""
    moved = []
    for q in quotes:
        if q.start < offset:
            continue
        inside = q.speaker_start is not None and q.speaker_start >= offset
        moved.append(
            replace(
                q,
                start=q.start - offset,
                end=q.end - offset,
                speaker_start=q.speaker_start - offset if inside else None,
                speaker_end=q.speaker_end - offset if inside and q.speaker_end is not None else None,
            )
        )
    return tuple(moved)


def sentences_after(text: str, offset: int) -> tuple[tuple[tuple[int, int], ...], ...] | None:
    """Return `tokenize(text[offset:])` taken from `tokenize(text)`, when `text[:offset]` is
    a title and a blank line: paragraphs are split at blank lines before Punkt sees them,
    and sentences and words are found within a paragraph, so the body's are the same
    either way, moved by `offset`. None when a sentence has no word (it cannot be placed)."""
    sentences = tokenize(text)
    if any(not sentence for sentence in sentences):
        return None
    return tuple(
        tuple((start - offset, end - offset) for start, end in sentence)
        for sentence in sentences
        if sentence[0][0] >= offset
    )


def demonym_countries(text: str, sentences=None) -> tuple[str, ...]:
    """Return the ISO codes of the countries whose demonyms `text` uses ("Israeli" -> IL);
    `sentences`, if given, are `tokenize(text)`."""
    codes = []
    if sentences is None:
        sentences = tokenize(text) if text else ()
    for sentence in sentences:
        for start, end in sentence:
            word = text[start:end]
            if word[:1].isupper():
                code = demonym_country(word)
                if code:
                    codes.append(code)
    return tuple(dict.fromkeys(codes))


def quote_rows(quotes) -> list[list]:
    """Return quotes as the index stores them: [start, end, kind, speaker, speaker_start,
    speaker_end, cue] each, offsets into the body."""
    return [[q.start, q.end, q.kind, q.speaker, q.speaker_start, q.speaker_end, q.cue] for q in quotes]


def quote_tokens(body_tokens: PreAnalyzed, quotes) -> PreAnalyzed:
    """Return the body's tokens that lie inside the quotes, for the `quotes` field: the
    same terms and character offsets as the body's, renumbered so that the positions
    of one quote stay consecutive and two quotes are QUOTE_GAP apart."""
    tokens = body_tokens.tokens
    starts = [t[2] for t in tokens]
    out: list[tuple[str, int, int, int]] = []
    running = 0
    for q in quotes:
        i = bisect.bisect_left(starts, q.start)
        first = None
        while i < len(tokens) and tokens[i][3] <= q.end:
            text, pos, start, end = tokens[i]
            first = pos if first is None else first
            out.append((text, running + pos - first, start, end))
            i += 1
        if first is not None:
            running = out[-1][1] + QUOTE_GAP
    return PreAnalyzed(out)
