"""NLTK sentence and word tokenization with character offsets, as a Whoosh tokenizer.

Punkt normally loads trained parameters that NLTK's data downloader fetches, which
cannot work offline; we instantiate it with our own parameters (newswire abbreviations), and use
NLTK's Treebank-style word tokenizer, whose `span_tokenize` keeps character offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from whoosh.analysis import (
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)

# Abbreviations that end with a period but rarely end a sentence in news text,
# lower-cased and without their final period, as Punkt stores them.
NEWS_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep pres supt insp rev fr
    st sr jr mt ft hon messrs mme jan feb mar apr jun jul aug sep sept oct nov dec inc
    corp co ltd plc bros dept univ assn intl natl no nos vol pp fig approx est vs etc al
    u.s u.k u.n e.u u.s.a u.s.s.r p.m a.m d.c n.y l.a ala ariz ark calif colo conn del
    fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex
    va vt wash wis wyo
    """.split()
)

# English stop words (the classic list NLTK ships in its downloadable corpus,
# which we cannot download; kept here so analysis needs no data files).
ENGLISH_STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now d ll m o re ve y ain aren couldn didn doesn
    hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
    """.split()
)

_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_FALLBACK_TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]", re.UNICODE)


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Return the shared Punkt sentence tokenizer with our newswire parameters."""
    params = PunktParameters()
    params.abbrev_types = set(NEWS_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


# Flags that the stdlib's `re` shares with the `regex` module.
_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.VERBOSE | re.ASCII


def _stdlib_pattern(pattern):
    """Return NLTK's pattern compiled by `re` (NLTK 3.9+ wraps each in a time-limited
    `regex` pattern, `nltk.redos.TimedPattern`)."""
    if isinstance(pattern, re.Pattern):
        return pattern
    return re.compile(pattern.pattern, pattern.flags & _RE_FLAGS)


class _WordTokenizer(NLTKWordTokenizer):
    """NLTK's Treebank-style word tokenizer, its own rules run by the stdlib's `re`.

    NLTK 3.9+ sends every regular expression through a guard against catastrophic
    backtracking in caller-supplied patterns: the `regex` engine under a timeout.
    The tokenizer's patterns are NLTK's fixed ones, linear on any input, and the
    guard made word tokenization 40% of the recogniser's time. Same tokens: a test
    compares the two on news text.
    """

    STARTING_QUOTES = [(_stdlib_pattern(p), r) for p, r in NLTKWordTokenizer.STARTING_QUOTES]
    PUNCTUATION = [(_stdlib_pattern(p), r) for p, r in NLTKWordTokenizer.PUNCTUATION]
    PARENS_BRACKETS = (_stdlib_pattern(NLTKWordTokenizer.PARENS_BRACKETS[0]), NLTKWordTokenizer.PARENS_BRACKETS[1])
    CONVERT_PARENTHESES = [(_stdlib_pattern(p), r) for p, r in NLTKWordTokenizer.CONVERT_PARENTHESES]
    DOUBLE_DASHES = (_stdlib_pattern(NLTKWordTokenizer.DOUBLE_DASHES[0]), NLTKWordTokenizer.DOUBLE_DASHES[1])
    ENDING_QUOTES = [(_stdlib_pattern(p), r) for p, r in NLTKWordTokenizer.ENDING_QUOTES]
    CONTRACTIONS2 = [_stdlib_pattern(p) for p in NLTKWordTokenizer.CONTRACTIONS2]
    CONTRACTIONS3 = [_stdlib_pattern(p) for p in NLTKWordTokenizer.CONTRACTIONS3]


_word_tokenizer = _WordTokenizer()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) character offsets of each sentence in `text`.

    Paragraph breaks (blank lines) always end a sentence, whatever Punkt thinks, and so
    does a line break in a paragraph whose lines are lines of their own, not prose
    wrapped at a width (`paragraph_lines`): a caption, a byline, a dateline or a
    sub-heading without a full stop does not run into the sentence after it.
    """
    spans: list[tuple[int, int]] = []
    tokenizer = sentence_tokenizer()
    for para in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*\Z)", text, re.DOTALL):
        paragraph = para.group()
        for line_start, line_end in paragraph_lines(paragraph):
            base = para.start() + line_start
            for start, end in tokenizer.span_tokenize(paragraph[line_start:line_end]):
                spans.append((base + start, base + end))
    return spans


_LINE = re.compile(r"[^\n]*\S[^\n]*")
# Prose wrapped at a terminal's width: lines of 60 to 100 characters ("Reporting by Jane
# Doe; Editing by John Roe" is shorter, a CoNLL-style line of one sentence often longer).
_WRAP_WIDTHS = range(60, 101)


def paragraph_lines(paragraph: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the parts of a paragraph that sentences may
    not cross: its lines, a line that starts in lower case joined to the one before, or
    the whole paragraph if it is prose wrapped at a width (every line but the last is
    60 to 100 characters)."""
    if "\n" not in paragraph:
        return [(0, len(paragraph))]
    lines = [(m.start(), m.end()) for m in _LINE.finditer(paragraph)]
    texts = [paragraph[a:b].strip() for a, b in lines]
    if all(len(t) in _WRAP_WIDTHS for t in texts[:-1]):
        return [(0, len(paragraph))]
    parts = [lines[0]]
    for (start, end), text in zip(lines[1:], texts[1:], strict=True):
        if text[:1].islower():
            parts[-1] = (parts[-1][0], end)  # "... the government would" + "not change"
        else:
            parts.append((start, end))
    return parts


def word_spans(sentence: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the words of one sentence, shifted by `offset`.

    A curly apostrophe splits as a straight one does ("Apple’s" -> "Apple", "’s"), not
    into a quote and a stray "s": the tokenizer reads a copy of the same length."""
    if "’" in sentence:
        sentence = sentence.replace("’", "'")
    try:
        spans = _word_tokenizer.span_tokenize(sentence)
        return [(offset + s, offset + e) for s, e in spans]
    except ValueError:
        # NLTK's alignment of normalised quotes can fail on unusual input; a
        # regex split keeps the offsets right rather than losing the sentence.
        return [(offset + m.start(), offset + m.end()) for m in _FALLBACK_TOKEN.finditer(sentence)]


@lru_cache(maxsize=8)
def tokenize(text: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Return the word spans of `text`, grouped by sentence.

    Cached for the last few texts: ingest tokenizes each body twice, once to
    recognise its people and places and once to index it, and NLTK's word
    tokenizer is the costliest step of analysis. The answer is shared: do not
    mutate it (it is made of tuples for that reason)."""
    return tuple(tuple(word_spans(text[s:e], s)) for s, e in sentence_spans(text))


class NltkTokenizer(Tokenizer):
    """A Whoosh tokenizer that splits with Punkt and NLTK's word tokenizer.

    Tokens keep positions and character offsets, so phrase queries and
    highlighting work; tokens without a letter or digit (punctuation) are dropped.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        for sentence in _sentences_for_index(value):
            for start, end in sentence:
                text = value[start:end]
                if not _WORD_CHAR.search(text):
                    continue
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                    pos += 1
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token


def _sentences_for_index(value: str) -> list[list[tuple[int, int]]]:
    # Short query strings skip Punkt: it adds nothing there and costs time.
    if len(value) < 200 and "\n" not in value:
        return [word_spans(value)]
    return tokenize(value)


_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?\.?$")
_CLITICS = frozenset({"s", "n't", "nt", "d", "ll", "re", "ve", "m"})


class _CliticAcronymFilter(Filter):
    """Drop the clitics NLTK splits off ('s, n't), strip edge apostrophes, and
    write dotted acronyms without dots so that "U.S." and "US" match."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text.strip("'’")
            if not text or text in _CLITICS:
                continue
            if "." in text and _ACRONYM.match(text):
                text = text.replace(".", "")
            t.text = text
            yield t


def snowball_stem(word: str) -> str:
    """Return NLTK's English Snowball stem of `word`."""
    return _snowball.stem(word)


_snowball = SnowballStemmer("english")
# Stems of the words seen in this process: Snowball costs about 50 us a word, and a
# worker meets each word of its vocabulary many times. Shared by indexing (pre_analyze)
# and the recogniser's features, whose lexicon fills it with common words at start-up.
_STEMS: dict[str, str] = {}
_STEMS_LIMIT = 200_000


def cached_stem(word: str) -> str:
    """Return `snowball_stem(word)`, remembered for the process (up to a bound)."""
    stem = _STEMS.get(word)
    if stem is None:
        if len(_STEMS) > _STEMS_LIMIT:
            _STEMS.clear()
        stem = _STEMS[word] = snowball_stem(word)
    return stem


class PreAnalyzed(str):
    """A field's tokens, analysed already (in an ingest worker process), as
    (text, position, startchar, endchar) tuples, for NewsAnalyzer to replay.

    It is an (empty) str so that Whoosh hands it to the field's analyzer; a
    tuple would take Whoosh's own pre-tokenized path, which loses offsets.
    """

    tokens: tuple[tuple[str, int, int, int], ...]

    def __new__(cls, tokens):
        value = super().__new__(cls, "")
        value.tokens = tuple(tokens)
        return value

    def __reduce__(self):
        return (PreAnalyzed, (self.tokens,))


class NewsAnalyzer(CompositeAnalyzer):
    """The analysis pipeline, which also replays PreAnalyzed tokens unchanged.

    Ingest analyses text in worker processes and sends the tokens to the one
    Whoosh writer, so the writer's process does no NLTK work.
    """

    def __call__(self, value, no_morph=False, **kwargs):
        if isinstance(value, PreAnalyzed):
            return _replay(value, **kwargs)
        return super().__call__(value, no_morph=no_morph, **kwargs)


def _replay(tokens: PreAnalyzed, positions=False, chars=False, mode="", **kwargs) -> Iterator[Token]:
    token = Token(positions, chars, mode=mode, **kwargs)
    for text, pos, start, end in tokens.tokens:
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = pos
        if chars:
            token.startchar, token.endchar = start, end
        yield token


def text_analyzer() -> NewsAnalyzer:
    """Return the analyzer for body and title: NLTK tokens, lower case, stop words, Snowball."""
    return NewsAnalyzer(
        NltkTokenizer(),
        _CliticAcronymFilter(),
        LowercaseFilter(),
        StopFilter(stoplist=ENGLISH_STOP_WORDS, minsize=1),
        StemFilter(stemfn=snowball_stem, cachesize=100_000),
    )


def pre_analyze(text: str, sentences: Sequence[Sequence[tuple[int, int]]] | None = None) -> PreAnalyzed:
    """Return the analysed tokens of `text`, to be indexed later by NewsAnalyzer.

    The same tokens as text_analyzer() gives (tests/test_articles.py checks it),
    in one loop: Whoosh's chain of generator filters cost 0.9 ms an article, a
    fifth of ingest analysis. Steps, as in the chain: NLTK words with a letter
    or digit, numbered; clitics dropped and acronyms undotted; lower case; stop
    words dropped, the kept words numbered on from the first one's position (as
    StopFilter's renumbering does); Snowball stems, cached. `sentences`, if given, are
    the word spans `tokenize(text)` would give (the caller has them already)."""
    tokens = []
    raw = 0
    kept = None
    stems = _STEMS
    for sentence in _sentences_for_index(text) if sentences is None else sentences:
        for start, end in sentence:
            word = text[start:end]
            if not _WORD_CHAR.search(word):
                continue
            position = raw
            raw += 1
            word = word.strip("'’")
            if not word or word in _CLITICS:
                continue
            if "." in word and _ACRONYM.match(word):
                word = word.replace(".", "")
            word = word.lower()
            if word in ENGLISH_STOP_WORDS:
                continue
            kept = position if kept is None else kept + 1
            stem = stems.get(word)
            if stem is None:
                stem = cached_stem(word)
            tokens.append((stem, kept, start, end))
    return PreAnalyzed(tokens)
