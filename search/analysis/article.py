"""An article analysed: its headline, the people, places and organisations it mentions,
the countries they belong to, and the NLTK tokens of its title and body, ready to index."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from search.analysis.entities import ORGANISATION, PERSON, PLACE, Entity, recognise_entities
from search.analysis.places import country_name, demonym_country
from search.analysis.tokenize import PreAnalyzed, pre_analyze, sentence_spans, tokenize
from search.articles import Article

HEADLINE_CHARS = 200


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
