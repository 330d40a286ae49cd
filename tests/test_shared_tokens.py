"""Analysis tokenizes an article's text once: the body's words and stems, taken from the
title-and-body text the recogniser tokenized, are those the body alone gives."""

from __future__ import annotations

from datetime import date

import pytest

from search.analysis.article import analyse, demonym_countries, sentences_after
from search.analysis.tokenize import cached_stem, pre_analyze, snowball_stem, tokenize
from search.articles import Article, read_articles
from tests.conftest import ARTICLES, EXAMPLE

BODIES = [
    "Short body, no newline.",
    "  Leading spaces. Then Mr. Smith said the U.S. economy grew 2.5 pct in Q3.\n\nA second "
    "paragraph follows.\n\n\n   A third, after more blank lines; Israeli officials agreed.",
    '\n\n"Quoted first," he said.\nSame paragraph after one newline. ' * 8,
]
TITLES = ["Oil prices rise", "Two\n\nparagraph title", "   ", "Title ending in spaces   ", "U.S."]


def _articles():
    found = [a for a in read_articles([ARTICLES, EXAMPLE]) if isinstance(a, Article)]
    assert any(a.title for a in found)
    return found


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("body", BODIES)
def test_the_bodys_sentences_are_the_same_taken_from_title_and_body(title, body):
    text = title + "\n\n" + body
    assert sentences_after(text, len(title) + 2) == tokenize(body)


def test_analysed_titled_articles_index_the_tokens_the_body_alone_gives():
    articles = [a for a in _articles() if a.title] + [
        Article(id=f"t{i}", date=date(2024, 1, 1), title=t, body=b)
        for i, (t, b) in enumerate((t, b) for t in TITLES for b in BODIES)
    ]
    for article in articles:
        item = analyse(article)
        assert item.body_tokens.tokens == pre_analyze(article.body).tokens, article.id
        assert item.title_tokens.tokens == pre_analyze(article.title).tokens, article.id
        expected = demonym_countries(article.title) + demonym_countries(article.body)
        assert item.demonym_countries == expected, article.id


def test_the_shared_stem_cache_gives_snowball_stems():
    for word in ("running", "nationalities", "said", "oil", "generously", "running"):
        assert cached_stem(word) == snowball_stem(word)
