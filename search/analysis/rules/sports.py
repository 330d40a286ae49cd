"""Rules for sports teams, on one sentence's tags, run on the document around its
consistency (a team read once is read alike in the whole article).

- `mark_sports_teams`: the teams of a results line ("Arsenal 2 Chelsea 1") or a
  standings row ("Barcelona 5 4 1 0 12 3 13") are organisations, clubs named after a
  city included; a nation's team stays its place, as newswire tags them;
- `mark_match_sides`: so are the two sides of a result in prose ("Juventus beat AC
  Milan 2-1"), without a score when a side is a club ("Liverpool beat Chelsea") or the
  sentence speaks of goals or a league;
- `mark_sports_sides`: both, for a sentence that `may_hold_results`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.analysis.places import place_key, place_kinds
from search.analysis.rules.spans import set_span, span_end
from search.analysis.rules.words import ANY_ARTICLES, CALENDAR_WORDS, TABLE_WORDS

MAX_TEAM_WORDS = 4  # "Queens Park Rangers", "Paris Saint Germain"
_MAX_SCORE_DIGITS = 3  # basketball's "104"
_TEAM_JOINTS = frozenset({"de", "of", "and", "&"})
# What may stand right before a team's name on a results or standings line: the line's
# start, a heading's colon, or the figures and closing bracket of the line before.
_LINE_OPENERS = frozenset({":", ";", ",", ")", "-", "--", "."})
# Gazetteer kinds of the nations whose national teams play ("Scotland" is a region).
_NATION_KINDS = frozenset({"country", "region"})


def _is_figure(word: str) -> bool:
    """A figure of a standings table: "12", "-3", ".578", "1,204", or a dash for none."""
    body = word.lstrip("+-").replace(",", "").replace(".", "", 1)
    return body.isdigit() or word in ("-", "--")


def _team_runs(words: Sequence[str]) -> list[tuple[int, int, int]]:
    """Return (start, end, figures) for each run of capitalised words that opens a
    line (the sentence's start, after a colon, or after figures) and is followed by
    figures; bracketed words (a match's scorers) are skipped."""
    n = len(words)
    runs = []
    i = 0
    while i < n:
        word = words[i]
        if word == "(":
            close = next((j for j in range(i + 1, min(n, i + 40)) if words[j] == ")"), None)
            i = i + 1 if close is None else close + 1
            continue
        if not (word[:1].isupper() and word[:1].isalpha()) or i > 0 and not (
                words[i - 1] in _LINE_OPENERS or _is_figure(words[i - 1])):
            i += 1
            continue
        end = i + 1
        while end < n and end - i < MAX_TEAM_WORDS and (
                words[end][:1].isupper() and words[end][:1].isalpha()
                or words[end] in _TEAM_JOINTS and end + 1 < n and words[end + 1][:1].isupper()):
            end += 1
        k = end
        while k < n and _is_figure(words[k]):
            k += 1
        if k > end:
            runs.append((i, end, k - end))
        i = max(k, i + 1)
    return runs


def _is_team_name(words: Sequence[str], tags: Sequence[str], start: int, end: int,
                  first_names: frozenset[str]) -> bool:
    """Return False for a run that is a person's name (a golfer's line "Tom Lehman 68
    70 72 65"), or holds a date, a table word or a figure ("Jan 31", "Wheat May7")."""
    span = words[start:end]
    if any(w.capitalize() in CALENDAR_WORDS or w.rstrip(".").capitalize() in TABLE_WORDS
           or not w.replace(".", "").replace("-", "").replace("'", "").isalpha() for w in span):
        return False  # "Jan 31", "May7 285": dates and contract months are no teams
    return end - start < 2 or not (span[0] in first_names or tags[start] == "B-PER"
                                   and tags[end - 1] == "I-PER")


def mark_sports_teams(words: Sequence[str], tags: list[str],
                      first_names: frozenset[str] = frozenset()) -> list[str]:
    """Return tags where the teams of a results line ("Arsenal 2 Chelsea 1", "Bolton 2
    ( Blake 40 ) Charlton 1") or of a standings table ("Barcelona 5 4 1 0 12 3 13",
    baseball's "New York 74 54 .578") are organisations, clubs named after their
    city included, as newswire tags them; a country's national team stays its place.

    A results line is two names each followed by one score of up to three digits; a
    standings row is a name followed by two whole numbers and at least two figures
    more (or a baseball percentage). A person's name ("Tom Lehman 68 70 72 65"), a
    date ("Jan 31") or a table word is left alone."""
    if sum(map(str.isdigit, words)) < 2:
        return tags  # nearly every sentence, at C speed
    runs = [run for run in _team_runs(words)
            if _is_team_name(words, tags, run[0], run[1], first_names)]
    teams = []
    for r, (start, end, figures) in enumerate(runs):
        first, second = words[end], words[end + 1] if figures > 1 else ""
        if figures >= 3 and first.isdigit() and second.isdigit() and \
                len(first) <= _MAX_SCORE_DIGITS and len(second) <= _MAX_SCORE_DIGITS and (
                figures >= 4 or words[end + 2].startswith(".")):  # not a heading's years
            teams.append((start, end))
            continue
        if figures != 1 or not first.isdigit() or len(first) > _MAX_SCORE_DIGITS:
            continue
        # One score: a results line pairs it with the next name and its one score.
        for other in (runs[r - 1] if r > 0 else None, runs[r + 1] if r + 1 < len(runs) else None):
            if other is None or other[2] != 1 or not words[other[1]].isdigit() or \
                    len(words[other[1]]) > _MAX_SCORE_DIGITS:
                continue
            before, after = (other, runs[r]) if other[0] < start else (runs[r], other)
            gap = words[before[1] + 1:after[0]]
            if not gap or gap[0] == "(" and gap[-1] == ")":
                teams.append((start, end))
                break
    kinds = place_kinds()
    for start, end in teams:
        # The figures are no part of the name ("Wimbledon 1" read as one name).
        for k in range(end, span_end(tags, end)):
            tags[k] = "O"
        country = kinds.get(place_key(" ".join(words[start:end]))) in _NATION_KINDS
        set_span(tags, start, end, "LOC" if country else "ORG")
    return tags


# A match's result in prose: "Juventus beat AC Milan 2-1", "Ajax drew with Vitesse 1-1".
_MATCH_SCORE = re.compile(r"\d{1,3}-\d{1,3}")  # "2-1", basketball's "116-98"
RESULT_VERBS = frozenset(
    """beat beats defeated defeat defeats drew draw draws lost thrashed crushed edged
    routed overcame trounced hammered downed stunned upset outclassed""".split()  # noqa: SIM905
)
_RESULT_LINKS = frozenset({"with", "to", "against", "at"})  # "drew at Fulham": the away side
# A number that ends a team's name ("Schalke 04", "49ers"), not a score or a year.
_TEAM_NUMBER = re.compile(r"0\d|\d{2}ers")


def _capitalised_run(words: Sequence[str], start: int, step: int) -> int:
    """Return the far end of the run of capitalised words from `start` going `step`
    (-1: back, the run's first index; 1: on, its end), at most MAX_TEAM_WORDS words."""
    k = start
    while 0 <= k < len(words) and abs(k - start) < MAX_TEAM_WORDS and words[k] not in ANY_ARTICLES and (
            words[k][:1].isupper() and words[k][:1].isalpha() or k != start and _TEAM_NUMBER.fullmatch(words[k])):
        k += step  # "Schalke 04", "San Francisco 49ers"
    return k + 1 if step < 0 else k


# Words of team sports that tell a result without a score from an election's or a
# tennis match's ("Liverpool beat Chelsea with a late goal").
_TEAM_WORDS = frozenset(
    """goal goals striker midfielder defender goalkeeper derby league club stadium header
    penalty touchdown quarterback innings wicket wickets inning playoff playoffs""".split()  # noqa: SIM905
)


def _club_like(words: Sequence[str], tags: Sequence[str], start: int, end: int) -> bool:
    """A side that is a club when it wins or loses: a city or town (not a nation), or a
    name the model read as an organisation ("Liverpool", "Tottenham Hotspur")."""
    kind = place_kinds().get(place_key(" ".join(words[start:end])))
    return tags[start] == "B-ORG" and span_end(tags, start + 1) == end or (
        kind is not None and kind not in _NATION_KINDS)


# A capitalised word right before a whole number of up to three digits ("Arsenal 2",
# "Barcelona 5"), or a match's score ("2-1"): what every line these rules read holds.
_NAME_THEN_FIGURE = re.compile(r"(?:^| )(?:[A-Z]\S* \d{1,3}|\d{1,2}-\d{1,2})(?= |$)")


def may_hold_results(words: Sequence[str]) -> bool:
    """Return True if a sentence may hold a result or a standings row: one search at C
    speed, so that the rules read the few sentences that can."""
    return not RESULT_VERBS.isdisjoint(words) or _NAME_THEN_FIGURE.search(" ".join(words)) is not None


def mark_sports_sides(words: Sequence[str], tags: list[str],
                      first_names: frozenset[str] = frozenset()) -> list[str]:
    """Return tags after `mark_sports_teams` and `mark_match_sides` (for a sentence that
    `may_hold_results`)."""
    return mark_match_sides(words, mark_sports_teams(words, tags, first_names), first_names)


def mark_match_sides(words: Sequence[str], tags: list[str],
                     first_names: frozenset[str] = frozenset()) -> list[str]:
    """Return tags where the two sides of a match's result in prose are teams ("PSV
    Eindhoven beat Feyenoord 3-1", "Ajax drew with Vitesse Arnhem 1-1"): organisations,
    clubs named after a city included; a nation's team stays its place. Only a sentence
    with one score, as a match has; a tennis match's sets ("Graf beat Seles 6-3 6-4")
    are several, and a side named with a first name ("Steffi Graf") is a person: the
    sentence is left alone. Two surnames with one score ("Hendry beat Davis 9-5") are
    taken for teams."""
    verbs, nouns = not RESULT_VERBS.isdisjoint(words), not _RESULT_NOUNS.isdisjoint(words)
    if not (verbs or nouns):
        return tags  # at C speed
    scores = [k for k, w in enumerate(words) if _MATCH_SCORE.fullmatch(w)]
    if len(scores) == 1 and nouns:
        _mark_opponent(words, tags, scores[0], first_names)  # "a 2-1 win over Hertha Berlin"
    if len(scores) > 1 or not verbs:
        return tags
    first_verb = 1
    sporting = False  # a scored result of teams: the sentence's other results are teams'
    if scores:
        verb = next((k for k in range(1, scores[0]) if words[k] in RESULT_VERBS), None)
        if verb is None:
            return tags
        if verb + 1 == scores[0]:  # "Arsenal lost 2-1 at home to Burnley"
            sporting = _mark_sides(words, tags, verb, None, first_names, _after_score(words, verb + 1))
        else:
            sporting = _mark_sides(words, tags, verb, scores[0], first_names)
        first_verb = scores[0] + 1  # "..., while Liverpool drew at Fulham"
    for verb in range(first_verb, len(words) - 1):
        if words[verb] in RESULT_VERBS:  # "Liverpool beat Chelsea , while Leeds drew with Everton"
            _mark_sides(words, tags, verb, None, first_names, sporting=sporting)
    return tags


_VENUES = frozenset({"home", "away"})
# A scored result named as a noun, and the words before the side it was against: "a
# 2-1 win over Hertha Berlin", "a 3-0 defeat by Chelsea", "the 1-1 draw with Newcastle".
_RESULT_NOUNS = frozenset({"win", "victory", "defeat", "loss", "draw", "thrashing", "rout"})
_OPPONENT_LINKS = frozenset({"over", "against", "by", "to", "with", "at"})
# A competition's word in a sentence tells a sport ("top of the Bundesliga").
_COMPETITION_WORDS = frozenset({"Bundesliga", "League", "Liga", "Serie", "Ligue", "Eredivisie", "Cup"})


def _mark_opponent(words: Sequence[str], tags: list[str], score: int, first_names: frozenset[str]) -> None:
    """Tag the side after a scored result's noun ("a 2-1 win over Hertha Berlin", "a
    1-1 draw by West Bromwich Albion") as a team; a side the model read as a person only
    in a sentence that speaks of a team sport or when it is a club, and a side named
    with a first name is a person's ("a 6-4 win over Roger Federer"). A city that is the
    sentence's subject is the other club ("Liverpool were held to ...")."""
    k = score + 1
    if k + 2 > len(words) or words[k] not in _RESULT_NOUNS or words[k + 1] not in _OPPONENT_LINKS:
        return
    start = k + 2 + (words[k + 2] in ("the", "The") if k + 2 < len(words) else 0)
    end = _capitalised_run(words, start, 1)
    if end == start or tags[start].startswith("I-") or words[start] in first_names and end - start >= 2 and (
            place_kinds().get(place_key(words[end - 1])) is None):
        return  # not "Roger Federer"; "Hertha Berlin" is a club
    if tags[start] == "B-PER" and not (_club_like(words, tags, start, end) or not _TEAM_WORDS.isdisjoint(words)
                                       or not _COMPETITION_WORDS.isdisjoint(words)):
        return  # "a 6-4 win over Federer"
    for j in range(start, span_end(tags, end)):
        tags[j] = "O"
    nation = place_kinds().get(place_key(" ".join(words[start:end]))) in _NATION_KINDS
    set_span(tags, start, end, "LOC" if nation else "ORG")
    if nation:
        return
    # The sentence's subject, a city read as a person or place, is the other club:
    # "Liverpool were held to a 1-1 draw by West Bromwich Albion" (not "Klopp said").
    first = int(words[0] in ("The", "the"))
    subject = _capitalised_run(words, first, 1)
    kind = place_kinds().get(place_key(" ".join(words[first:subject])))
    if first < subject < score and span_end(tags, first + 1) == subject and tags[first] in ("B-PER", "B-LOC") \
            and kind is not None and kind not in _NATION_KINDS:
        set_span(tags, first, subject, "ORG")


def _after_score(words: Sequence[str], k: int) -> int:
    """Return where the other side starts after a score at k: "2-1 to Burnley", "2-1 at
    home to Burnley", "3-0 away to Wolves"."""
    k += 1
    if k + 1 < len(words) and words[k] == "at" and words[k + 1] in _VENUES:
        k += 2
    elif k < len(words) and words[k] in _VENUES:
        k += 1
    return k


def _mark_sides(words: Sequence[str], tags: list[str], verb: int, score: int | None,
                first_names: frozenset[str], after: int | None = None, sporting: bool = False) -> bool:
    """Tag the two sides around the result verb at `verb` as teams, when they are: the
    score (if any) right after the second, no side named with a first name, and without
    a score, a club and no person on either side, or a sentence with a team sport's
    words or a team's scored result (`sporting`). The second side starts after a link
    word ("drew with") at `after`, or right after the verb. Return True if they were
    tagged."""
    first = _capitalised_run(words, verb - 1, -1)
    other = verb + 1 if after is None else after
    other += other < len(words) and words[other] in _RESULT_LINKS
    if other < len(words) and words[other] in ("the", "The"):
        other += 1  # "beat the Miami Heat"
    end = _capitalised_run(words, other, 1)
    if first == verb or end == other or score is not None and end != score:
        return False  # the score comes right after the second side
    sides = [(first, verb), (other, end)]
    if any(b - a >= 2 and words[a] in first_names for a, b in sides):
        return False  # "Stephen Hendry beat Ronnie O'Sullivan 9-5"
    if score is None and after is None and not sporting and _TEAM_WORDS.isdisjoint(words) and (
            not any(_club_like(words, tags, a, b) for a, b in sides)
            or any(tags[a] == "B-PER" and span_end(tags, a + 1) == b for a, b in sides)):
        return False  # "Biden beat Trump", "Nadal beat Federer"
    # Whatever name the model read over the two sides and the verb goes.
    lo = first
    while lo > 0 and tags[lo].startswith("I-"):
        lo -= 1
    for k in range(lo, span_end(tags, end)):
        tags[k] = "O"
    kinds = place_kinds()
    for a, b in sides:
        nation = kinds.get(place_key(" ".join(words[a:b]))) in _NATION_KINDS
        set_span(tags, a, b, "LOC" if nation else "ORG")
    return True
