"""Rules applied to the CRF's tags, for one sentence or one document, and their order.

Each rule fixes a kind of error the model makes on news text, and has a test on the
sentence that showed it:

- organisations (`organisations`, `firms`, `sports`): names before a company designator ("Borden Inc",
  "Goldman, Sachs and Co", "Walt" + "Disney Co"; a person "of" a firm is the two), in
  a wire's angle brackets, or ending in an organisation's
  noun ("Federal Reserve Board") or before a stock's exchange code ("Alphabet
  (GOOGL.O)"); the teams of sports results and standings lines ("Arsenal 2 Chelsea
  1") and the sides of a match's result in prose ("Juventus beat AC Milan 2-1"), clubs
  named after their city included; acronyms and designators alone are no
  people, and wire-table words are no names; a place or demonym inside an organisation's name
  ("U.S. Federal Trade Commission", "Russian Foreign Ministry", "Bank of England") is
  part of the one organisation; an organisation's name ends before a possessive and
  the common words after it, and never in a joint word ("and", "of"); a "place"
  ending in a newspaper's noun ("Dallas Morning News") is an organisation, an
  "organisation" ending in "Act" a law; an "organisation" that lists names ("Spotify ,
  Uber and Snapchat") is those names; a name after a firm's noun ("state oil company
  Ecopetrol", "sugar producer Beghin-Say") is a firm, unless it is a person's full name;
- people (`people`): a title before a first name starts one; a lone name that speaks
  ("Tarlo explains"), is joined to a person ("Aoun and Hariri") or follows a role noun
  ("the emperor Caracalla") is one; a common word and an initial before a name ("Series
  A. Moody") and a well-known city ending a headline's "person" ("FERRUZZI PARIS") are
  no part of it; "the Elder", "III", ", Jr." and "de" belong to the
  name (forms of address, "Your Honor", are none: `search.analysis.people` strips them
  with titles);
- places (`places`, `hyphenated`): a well-known place the model left untagged or tagged
  otherwise is one, as is a facility or natural feature named like an organisation
  ("Kennedy Space Center"), a polity named with "of" ("State of Texas"), "Sweden 's"
  before what it owns, and a place inside a hyphenated word ("Texas-based"); a place
  span holds only the place ("The United States", "Invercargill New Zealand");
  demonyms ("West German") and creeds ("Islam") are no places;
- the document (`document`): a name tagged once is tagged alike throughout (a surname
  as its full name, a firm's short name as the firm, and the first word of a firm named
  with a designator, alone, as the firm: "Purolator" after "Purolator Courier Corp",
  but not "in downtown Norfolk"); a name used as a language ("the
  Eegimaa language") is no place; a capitalised common word starting a sentence is no
  name.

The rules read their words from `words` and edit spans with `spans`; no family imports
another. They run in three stages, in the order written here and nowhere else:
`apply_sentence_rules` on each sentence as the model tagged it, `apply_document_rules`
on the whole document, and `hyphenated_places` on each sentence last, as
`entities.recognise_entities` turns tags into entities.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.analysis.rules.document import (
    drop_capitalised_common_words,
    make_consistent,
    mark_languages,
    name_firms_by_first_word,
)
from search.analysis.rules.firms import (
    mark_acronyms_and_ampersands,
    mark_described_firms,
    mark_named_bodies,
    split_people_of_firms,
)
from search.analysis.rules.hyphenated import hyphenated_places
from search.analysis.rules.organisations import (
    join_body_heads,
    join_organisation_names,
    mark_companies,
    mark_company_seats,
    mark_named_kinds,
    mark_names_that_are_no_people,
    mark_ticked_firms,
    split_coordinated_names,
    trim_organisation_edges,
)
from search.analysis.rules.people import (
    extend_person_epithets,
    mark_role_people,
    mark_speakers,
    mark_titled_people,
    mark_titled_places_as_people,
    split_headline_places,
    trim_initial_fragments,
    trim_name_edges,
)
from search.analysis.rules.places import (
    join_polity_names,
    mark_creeds,
    mark_demonym_phrases,
    mark_facilities,
    mark_known_places,
    mark_multiword_places,
    mark_possessive_places,
    split_at_lower_words,
    trim_place_edges,
)
from search.analysis.rules.spans import tag_spans
from search.analysis.rules.sports import mark_sports_sides, may_hold_results

__all__ = ["apply_document_rules", "apply_sentence_rules", "hyphenated_places", "tag_spans"]


def apply_sentence_rules(
    words: Sequence[str],
    recased_words: Sequence[str],
    recased: bool,
    tags: list[str],
    first_names: frozenset[str],
    lower_words: frozenset[str],
    surnames: frozenset[str] = frozenset(),
) -> list[str]:
    """Return one sentence's tags after the sentence rules, in order (`tags` is changed).

    `words` are the sentence as written, `recased_words` as the model read it (an
    all-capitals sentence re-cased, `recased` True); most rules read the latter.
    """
    if recased:
        tags = split_at_lower_words(recased_words, tags)
    tags = trim_name_edges(recased_words, tags)
    tags = mark_titled_people(recased_words, tags, first_names)
    tags = mark_possessive_places(recased_words, tags)
    tags = mark_demonym_phrases(words, mark_companies(words, tags))
    tags = split_people_of_firms(recased_words, tags, first_names)
    tags = mark_company_seats(recased_words, tags)
    tags = mark_creeds(recased_words, tags)
    tags = mark_known_places(recased_words, tags, first_names)
    tags = mark_multiword_places(recased_words, tags, first_names)
    tags = trim_place_edges(recased_words, tags)
    tags = mark_titled_places_as_people(recased_words, tags)
    tags = mark_names_that_are_no_people(recased_words, tags)
    tags = trim_initial_fragments(recased_words, tags, first_names, lower_words)
    if recased:
        tags = split_headline_places(recased_words, tags, first_names)
    tags = mark_facilities(recased_words, tags)
    tags = join_polity_names(recased_words, tags)
    tags = join_organisation_names(recased_words, tags)
    tags = trim_organisation_edges(recased_words, tags, recased, first_names)
    tags = join_body_heads(recased_words, tags)
    tags = split_coordinated_names(recased_words, tags, recased, surnames, lower_words)
    tags = mark_ticked_firms(recased_words, tags)
    if not recased:
        tags = mark_described_firms(words, tags, first_names, lower_words)
        tags = mark_acronyms_and_ampersands(words, tags, first_names, lower_words)
        tags = mark_named_bodies(words, tags)
    tags = mark_named_kinds(recased_words, tags)
    tags = mark_speakers(recased_words, tags, lower_words)
    return mark_role_people(recased_words, tags)


def apply_document_rules(
    sentences: Sequence[Sequence[str]], tagged: list[list[str]], first_names: frozenset[str],
    lower_words: frozenset[str] = frozenset(),
) -> list[list[str]]:
    """Return a document's tags after the document rules, in order, then the rule that
    extends people's names over epithets, which must see the names made consistent.
    `sentences` are as the model read them (re-cased where it re-cased them)."""
    tagged = mark_languages(sentences, tagged)
    # The teams of results lines and standings vote in the document's consistency
    # ("Chelsea 's manager" after "Arsenal 2 Chelsea 1"), and keep their label on those
    # lines whatever the prose voted.
    tagged = list(tagged)
    results = [i for i, words in enumerate(sentences) if may_hold_results(words)]
    for i in results:
        tagged[i] = mark_sports_sides(sentences[i], tagged[i], first_names)
    tagged = make_consistent(sentences, tagged, first_names)
    tagged = name_firms_by_first_word(sentences, tagged, first_names, lower_words)
    for i in results:
        tagged[i] = mark_sports_sides(sentences[i], tagged[i], first_names)
    tagged = drop_capitalised_common_words(sentences, tagged)
    return [extend_person_epithets(words, tags) for words, tags in zip(sentences, tagged, strict=True)]
