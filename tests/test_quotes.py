"""Who said what: quotations and their speakers as `extract_quotes` finds them."""

from pathlib import Path

import pytest

from search.analysis import Quote, extract_quotes

EXAMPLE = Path("/work/shared/examples/000_7483b6d759d5b458.txt")


def said(text: str) -> list[tuple[str, str, str | None]]:
    """Each quote as (kind, quoted words, speaker)."""
    return [(q.kind, text[q.start : q.end], q.speaker) for q in extract_quotes(text)]


def quote_starting(text: str, words: str) -> Quote:
    return next(q for q in extract_quotes(text) if text[q.start : q.end].startswith(words))


@pytest.fixture(scope="module")
def article() -> str:
    if not EXAMPLE.exists():
        pytest.skip("the reference article is not on this machine")
    return EXAMPLE.read_text(encoding="utf-8")


def test_reference_article_direct_quotes_and_their_speakers(article):
    direct = [(words[:30], who) for kind, words, who in said(article) if kind == "direct"]
    assert direct == [
        ("I also said that we have no wa", "Benjamin Netanyahu"),
        ("I told him that I hoped we wou", "Benjamin Netanyahu"),
        ("But a major ground operation i", "Antony Blinken"),
        ("It risks killing more civilian", "Antony Blinken"),
    ]


def test_he_said_resolves_to_the_person_named_before(article):
    quote = quote_starting(article, "But a major ground operation")
    assert article[quote.speaker_start : quote.speaker_end] == "he"
    assert quote.speaker == "Antony Blinken"
    assert quote.cue == "said"


def test_quote_attributed_only_by_the_paragraph_before(article):
    quote = quote_starting(article, "I told him that I hoped")
    assert quote.speaker == "Benjamin Netanyahu"
    assert quote.speaker_end < quote.start  # the mention is in the paragraph before


def test_partly_quoted_clause_is_mixed(article):
    quote = quote_starting(article, "Israel is ready to")
    assert quote.kind == "mixed"
    assert article[quote.start : quote.end] == 'Israel is ready to "do it alone" in Rafah if necessary'
    assert quote.speaker == "Benjamin Netanyahu"


def test_quote_interrupted_by_its_attribution_is_two_quotes_of_one_speaker():
    text = (
        '"We are ready to talk," Angela Merkel told reporters in Berlin on Monday, '
        '"but we will not negotiate under threat."'
    )
    assert said(text) == [
        ("direct", "We are ready to talk,", "Angela Merkel"),
        ("direct", "but we will not negotiate under threat.", "Angela Merkel"),
    ]


def test_curly_quotation_marks():
    text = "“The harvest was the worst in ten years,” said Pedro Alvarez, a farmer near Seville."
    assert said(text) == [("direct", "The harvest was the worst in ten years,", "Pedro Alvarez")]


def test_speaker_named_by_role_is_the_person_with_that_role():
    text = (
        "Foreign Minister Sergei Lavrov met his Chinese counterpart in Moscow on Tuesday.\n\n"
        '"Our positions are very close," the minister said after the talks.'
    )
    quote = quote_starting(text, "Our positions")
    assert text[quote.speaker_start : quote.speaker_end] == "the minister"
    assert quote.speaker == "Sergei Lavrov"


def test_role_without_a_named_person_has_no_speaker():
    text = '"We will appeal the ruling," a company spokesman said on Friday.'
    assert said(text) == [("direct", "We will appeal the ruling,", None)]


def test_indirect_speech_with_said_that():
    text = "Angela Merkel said on Monday that the talks had failed because of the blockade."
    quote = quote_starting(text, "the talks")
    assert (quote.kind, quote.speaker, quote.cue) == ("indirect", "Angela Merkel", "said")
    assert text[quote.start : quote.end] == "the talks had failed because of the blockade"


def test_according_to_attributes_the_clause():
    text = "According to Hamdullah Mohib, the team was twice denied visas before the contest."
    assert said(text) == [("indirect", "the team was twice denied visas before the contest", "Hamdullah Mohib")]


def test_quote_running_across_paragraphs_is_one_quote():
    text = (
        'Caitlin Boswell said: "People fleeing danger need quicker decisions.\n\n'
        '"No one should lose the right to refuge over a form."'
    )
    assert said(text) == [
        (
            "direct",
            'People fleeing danger need quicker decisions.\n\n"No one should lose the right to refuge over a form.',
            "Caitlin Boswell",
        ),
    ]


def test_text_without_speech_has_no_quotes():
    text = (
        "The Taipei lantern festival opened on Saturday night. Hundreds of thousands of "
        'people crowded onto the memorial grounds to see the "year of the pig" lanterns.'
    )
    assert extract_quotes(text) == []


def test_quotes_are_plain_values_for_the_index():
    quote = extract_quotes('"It is over," said John Smith.')[0]
    assert all(
        isinstance(v, (int, str))
        for v in (quote.start, quote.end, quote.kind, quote.speaker, quote.speaker_start, quote.speaker_end, quote.cue)
    )


@pytest.mark.parametrize(
    "text, words, speaker, cue",
    [
        (
            "During questions on Wednesday, Prime Minister Rishi Sunak defended the record: "
            '"We are working as quickly as we possibly can to clear the backlog."',
            "We are working",
            "Rishi Sunak",
            "defended",
        ),
        (
            'Senator Elizabeth Warren called the ruling "a disgrace to the rule of law" on Tuesday.',
            "the ruling",
            "Elizabeth Warren",
            "called",
        ),
        (
            '"We will never give up on the people of this state, not now and not ever."\n\n— Governor Kathy Hochul',
            "We will never",
            "Kathy Hochul",
            None,
        ),
        (
            'President Donald Trump tweeted to Senator Mitch McConnell and said "the deal is off for good now".',
            "the deal is off",
            "Donald Trump",
            "said",
        ),
        (
            "President Donald Trump tweeted to Senator Mitch McConnell and said the deal was off for good now.",
            "the deal was off",
            "Donald Trump",
            "said",
        ),
    ],
)
def test_introducers_signature_lines_and_coordinated_verbs(text, words, speaker, cue):
    quote = quote_starting(text, words)
    assert (quote.speaker, quote.cue) == (speaker, cue)


def test_a_naming_verb_before_a_short_name_is_no_quote():
    assert extract_quotes('The senator called the group "Anonymous" in her speech.') == []


def test_say_after_a_plural_source_is_the_verb():
    text = "Finnish authorities say Russian military aircraft have repeatedly violated the airspace."
    assert said(text) == [("indirect", "Russian military aircraft have repeatedly violated the airspace", None)]


def test_a_clause_may_open_with_at_least():
    text = "Officials say at least 25 other fighters were wounded during intense strikes."
    assert [words for _, words, _ in said(text)] == ["at least 25 other fighters were wounded during intense strikes"]


def test_a_coordinated_speech_verb_takes_the_sentence_subject():
    text = (
        "Prime Minister Zurab Zhvania met officials in Washington.\n\n"
        "He also expressed satisfaction with his visit, which began Sunday, and says the "
        "United States has a great deal of interest in Georgia."
    )
    quote = quote_starting(text, "the United States")
    assert (text[quote.speaker_start : quote.speaker_end], quote.speaker) == ("He", "Zurab Zhvania")


def test_a_role_in_the_lead_is_the_person_named_with_it_next():
    text = (
        "Venezuela's defense minister says his country is considering building unmanned "
        "planes.\n\nDefense Minister General Raul Baduel said Monday in Caracas that "
        "Venezuela has made progress."
    )
    assert quote_starting(text, "his country").speaker == "Raul Baduel"


def test_a_title_with_a_full_stop_does_not_hide_the_speaker():
    text = '"We have to do better than this," Mr. Biden said on Tuesday.'
    assert said(text) == [("direct", "We have to do better than this,", "Biden")]


def test_he_refers_to_the_subject_not_to_the_person_acted_on():
    text = 'Donald Trump attacked Jeb Bush on Monday. Trump also mocked Marco Rubio. "He is a lightweight," he said.'
    assert said(text)[0][2] == "Donald Trump"


def test_she_refers_to_the_woman_a_pronoun_has_shown():
    text = 'Warren met Schumer on Monday, and Warren said her plan was ready. "We agreed on very little," she said.'
    assert quote_starting(text, "We agreed").speaker == "Warren"


def test_but_he_said_is_a_pronoun_subject():
    text = (
        "Former general William Odom said he does not favor the bill. But he said "
        "the president has squandered the nation's influence in the war."
    )
    assert quote_starting(text, "the president has").speaker == "William Odom"


def test_single_curly_marks_quote_outside_double_ones():
    text = "‘We will never give up,’ Bernie Sanders told supporters on Tuesday."
    assert said(text) == [("direct", "We will never give up,", "Bernie Sanders")]
    nested = '"He told me ‘no way’ on the bill," Nancy Pelosi said.'
    assert said(nested) == [("direct", "He told me ‘no way’ on the bill,", "Nancy Pelosi")]


def test_a_plural_possessive_does_not_close_a_single_quote():
    text = "‘The workers’ pay must rise this year,’ Elizabeth Warren said."
    assert said(text) == [("direct", "The workers’ pay must rise this year,", "Elizabeth Warren")]


def test_cue_and_audience_before_a_quote_without_a_comma():
    text = 'Ted Cruz told reporters "the bill is dead on arrival."'
    assert said(text) == [("direct", "the bill is dead on arrival.", "Ted Cruz")]
    place = '"It is time to say goodbye," Microsoft says on "The Internet Explorer 6 Countdown".'
    assert [words for _, words, _ in said(place)] == ["It is time to say goodbye,"]


def test_a_spokesman_or_an_office_speaks_for_the_person():
    text = (
        "Senator Elizabeth Warren left Washington on Friday.\n\n"
        '"The senator has no comment," a spokesman for Warren said.\n\n'
        "Warren's office said the senator would not attend the hearing."
    )
    assert [who for _, _, who in said(text)] == ["Elizabeth Warren", "Elizabeth Warren"]


def test_a_name_the_recogniser_missed_after_a_role_is_the_speaker():
    text = '"We are so interested because we find a big chance," team member Rodaba Noori told reporters.'
    quote = quote_starting(text, "We are so interested")
    assert quote.speaker is not None and quote.speaker.endswith("Noori")


def test_a_participle_takes_the_subject_of_its_clause_not_a_name_inside_it():
    text = (
        "President George Bush has rejected calls for withdrawing troops from Iraq, "
        'saying it would be a "huge mistake" at this point.'
    )
    assert quote_starting(text, "it would be").speaker == "George Bush"


def test_quoted_as_saying_is_said_by_the_person_quoted():
    text = (
        "Prime Minister Zurab Zhvania met Condoleezza Rice on Monday.\n\n"
        "He quoted Ms. Rice as saying that Washington recognizes Georgia's territorial "
        "integrity."
    )
    assert quote_starting(text, "Washington recognizes").speaker == "Condoleezza Rice"


def test_an_anonymous_official_is_nobody_named():
    text = (
        "Secretary of State Condoleezza Rice is resting after surgery.\n\n"
        "A senior administration official told VOA Dr. Rice underwent a short operation "
        "at a Washington hospital on Friday."
    )
    assert quote_starting(text, "Dr. Rice underwent").speaker is None


def test_any_speech_verb_after_a_quote_attributes_it():
    assert said('"We will win this fight!" Bernie Sanders exclaimed.') == [
        ("direct", "We will win this fight!", "Bernie Sanders")
    ]
    assert said('"I think he is a nice man," Donald Trump joked.')[0][2] == "Donald Trump"


def test_according_to_before_a_whole_quote_is_direct():
    text = 'According to Hillary Clinton, "the system is rigged."'
    assert said(text) == [("direct", "the system is rigged.", "Hillary Clinton")]


def test_a_place_time_or_verb_after_said_is_no_reported_clause():
    assert said("Barack Obama said after the meeting with Republican leaders.") == []
    text = "What Donald Trump said was a mistake, according to aides."
    assert [words for _, words, _ in said(text)] == ["What Donald Trump said was a mistake"]


def test_a_role_given_in_apposition_names_the_person():
    text = 'Sen. Elizabeth Warren, a Massachusetts Democrat, spoke on Tuesday. "It is wrong," the Democrat said.'
    assert said(text) == [("direct", "It is wrong,", "Elizabeth Warren")]


def test_told_an_outlet_with_a_colon_is_a_direct_quote():
    text = 'On Wednesday, Suella Braverman told GB News: "It is clear that we have a problem."'
    assert said(text) == [("direct", "It is clear that we have a problem.", "Suella Braverman")]


def test_told_any_short_object_that():
    text = (
        "The energy minister Hassan Younes told the state-owned newspaper Al-Ahram that "
        "Egypt plans to build a nuclear power plant."
    )
    assert said(text) == [("indirect", "Egypt plans to build a nuclear power plant", "Hassan Younes")]


def test_a_quote_standing_alone_continues_the_speaker_of_the_paragraph_before():
    text = (
        "Antony Blinken told reporters that the United States shares the goal.\n\n"
        '"But a ground operation is not the way to achieve it, and we were very clear."'
    )
    assert quote_starting(text, "But a ground").speaker == "Antony Blinken"


def test_a_colon_after_a_short_quote_opens_a_direct_quote_of_the_same_speaker():
    text = (
        'After the leak, Enver Solomon told Sky News any process "must be well thought out": '
        '"Moves to reduce the backlog are welcome but the answer is not yet more hurdles."'
    )
    quotes = said(text)
    assert quotes[0][:2] == ("mixed", 'any process "must be well thought out"')
    assert quotes[1][:2] == (
        "direct",
        "Moves to reduce the backlog are welcome but the answer is not yet more hurdles.",
    )
    assert quotes[0][2] == quotes[1][2]


def test_a_colon_after_a_person_subject_attributes_the_quote():
    text = 'Speaker Nancy Pelosi put it simply: "This is about the Constitution."'
    assert said(text) == [("direct", "This is about the Constitution.", "Nancy Pelosi")]
    assert said('The document put it simply: "This is about the Constitution."') == []


def test_a_lone_surname_is_the_full_name_given_earlier_though_no_person_was_recognised():
    text = 'Sen. Tiva Quorlenn voted against the bill.\n\n"It is a disaster for working families," Quorlenn said.'
    assert [q.speaker for q in extract_quotes(text, [])] == ["Tiva Quorlenn"]
    text = 'The Ford Motor Co. plant closed on Monday.\n\n"It is a sad day for the town," Ford said.'
    assert [q.speaker for q in extract_quotes(text, [])] == [None]


def test_a_name_inside_a_quote_is_no_antecedent_of_he():
    text = (
        "Speaking to Time Out Magazine, the crooner says the contest dismayed him.\n\n"
        '"I had it out with Simon Cowell when I met him and suggested he open clubs," he said.'
    )
    assert [q.speaker for q in extract_quotes(text) if q.kind == "direct"] == [None]


def test_a_title_in_marks_after_dubbed_is_no_quote():
    text = 'The concert, dubbed "A Celebration of Freedom," features The Temptations.'
    assert said(text) == []
    assert said('Donald Trump dubbed the plan "a total disaster for everyone involved."')[0][2] == "Donald Trump"
    text = 'Kofi Annan called for more forces in Darfur to prevent "yet more death and suffering."'
    assert [kind for kind, _, _ in said(text)] != ["direct"]


def test_a_quote_the_reported_clause_runs_past_is_mixed():
    text = 'Shimon Peres said "there exists no basis in reality for the claims published" by the British newspaper.'
    assert [kind for kind, _, _ in said(text)] == ["mixed"]
    assert said('Shimon Peres said "there exists no basis in reality."')[0][0] == "direct"


def test_a_short_phrase_after_described_as_is_no_direct_quote():
    text = 'Another 27 percent of voters described their feelings as "somewhat favorable," the poll found.'
    assert "direct" not in [kind for kind, _, _ in said(text)]


def test_a_thing_that_says_is_not_the_person_before_that():
    text = 'Egyptians walk by a poster of President Hosni Mubarak that says: "We support you."'
    assert [who for _, _, who in said(text)] == [None]


def test_adding_and_a_quote_is_a_direct_quote_of_the_same_speaker():
    text = '"This would be a grave mistake," Mitch McConnell said, adding, "We will fight it."'
    assert said(text) == [
        ("direct", "This would be a grave mistake,", "Mitch McConnell"),
        ("direct", "We will fight it.", "Mitch McConnell"),
    ]
    text = '"It is wrong," Antony Blinken said, adding that Israel faces growing isolation.'
    assert said(text)[1] == ("indirect", "Israel faces growing isolation", "Antony Blinken")


def test_a_party_label_with_a_state_is_the_person_marked_with_that_party():
    text = (
        "Sen. Mitch McConnell (R-Ky.) spoke on Monday. Chuck Schumer replied later.\n\n"
        '"This would be a grave mistake," the Kentucky Republican said.'
    )
    assert said(text) == [("direct", "This would be a grave mistake,", "Mitch McConnell")]


def test_a_quote_alone_after_a_person_spoke_is_theirs():
    text = (
        "Sen. Marco Rubio spoke to reporters outside the Capitol.\n\n"
        '"We need a vote on this now. The country cannot wait any longer."'
    )
    assert said(text) == [("direct", "We need a vote on this now. The country cannot wait any longer.", "Marco Rubio")]
    text = (
        "Sen. Marco Rubio spoke to Chuck Schumer outside the Capitol.\n\n"
        '"We need a vote on this now. The country cannot wait any longer."'
    )
    assert said(text) == []


# Voice of America sentences (public domain; the GMB runs of scripts/data/quotes/).
def test_a_phrase_in_marks_after_a_naming_verb_is_mixed_not_direct():
    text = 'Mr. Cheney Monday called Mr. Murtha "a good man and a patriot."'
    assert said(text) == [("mixed", 'Mr. Murtha "a good man and a patriot.', "Cheney")]
    text = (
        "Israeli Prime Minister Ariel Sharon has called on the new Palestinian leadership to show it "
        "wants peace by ending propaganda against Israel.\n\nHe urged the Palestinian leadership to end "
        'the demonizing of Israel and Jews, which he called "the root cause of suicide bombings and terrorism."'
    )
    quote = quote_starting(text, "the root cause")
    assert (quote.kind, quote.speaker) == ("mixed", "Ariel Sharon")
    # a long passage is a quotation all the same
    text = (
        'He characterized the conflict as "another small skirmish in a war that Scientology has been '
        'waging for almost 15 years, since the early days of newsgroups."'
    )
    assert [kind for kind, _, _ in said(text)] == ["direct"]


def test_titles_in_marks_inside_a_sentence_are_no_quotes():
    text = (
        'Mr. Brown is known by millions of fans as "The Godfather of Soul" thanks to such classic songs '
        'as "Please, Please, Please," "It\'s a Man\'s World," and "Papa\'s Got a Brand New Bag."'
    )
    assert said(text) == []
    text = (
        'Speaking to the British music magazine "NME," the 63-year-old Rolling Stones guitarist '
        "acknowledges ingesting his father's cremated remains."
    )
    assert [q for q in extract_quotes(text) if q.kind == "direct"] == []


def test_a_noun_like_cue_after_a_quote_needs_a_person_or_pronoun_before_it():
    text = (
        'He also called Israel\'s recent withdrawal from the Gaza Strip "a trick," meant to make '
        "Islamic states acknowledge Israel."
    )
    assert [q for q in extract_quotes(text) if q.kind == "direct"] == []


def test_he_before_anyone_is_named_is_the_person_named_next():
    text = (
        "Speaking to the British edition of Time Out Magazine, the 80-year-old crooner says his recent "
        "appearance on the popular TV talent contest left him dismayed at its treatment of contestants.\n\n"
        '"I had it out with Simon [ Cowell ] when I met him and suggested that he should open up tiny clubs '
        'across the countries so the kids could break in and learn properly," he said.\n\n'
        "Bennett says Cowell shrugged off his suggestion, saying he was too busy making money."
    )
    assert quote_starting(text, "I had it out").speaker == "Bennett"


def test_in_his_words_attributes_the_quote_after_it():
    text = (
        "In a statement Friday, Barzani said the U.S. group's report has some unrealistic and "
        'inappropriate recommendations.\n\nHe said, in his words, "we are in no way abiding by the report."'
    )
    assert quote_starting(text, "we are in no way").speaker == "Barzani"
    text = (
        "IOC president Jacques Rogge has already said none of the cities broke rules designed to stamp "
        'out corruption in the bidding process.\n\nIn his words, "There is nothing wrong with having a '
        'conversation with a major politician from a bid city."'
    )
    quote = quote_starting(text, "There is nothing wrong")
    assert (quote.kind, quote.speaker, text[quote.speaker_start : quote.speaker_end]) == (
        "direct",
        "Jacques Rogge",
        "his",
    )


def test_a_role_with_an_acronym_is_the_person_titled_with_the_words_spelled_out():
    text = (
        "U.S. National Security Council spokesman, Gordon Johndroe, said Thursday the United States mourns "
        '"the loss of innocent life" in Karachi.\n\nThe NSC spokesman added, "Extremists will not be '
        "allowed to stop Pakistanis from selecting their representatives through an open and democratic "
        'process."'
    )
    assert quote_starting(text, "Extremists").speaker == "Gordon Johndroe"


def test_an_organisation_named_after_a_person_speaks_for_itself():
    # Voice of America (GMB), public domain
    text = "The Obama administration says it plans to approve more than $6 billion in arms sales to Taiwan."
    quote = quote_starting(text, "it plans")
    assert (quote.speaker, text[quote.speaker_start : quote.speaker_end]) == (None, "Obama administration")


# US political news forms (made-up sentences in the outlets' style).
@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Sen. Ted Cruz of Texas criticized the plan.\n\n"
            '"This is a disaster for working families," the senator said in a statement.',
            "This is",
            "Ted Cruz",
        ),
        (
            "Donald Trump attacked Hillary Clinton at a rally in Florida.\n\n"
            '"She is a liar and everybody knows it," the Republican nominee said.',
            "She is",
            "Donald Trump",
        ),
        (
            '"We are not going to let this stand," Kellyanne Conway, Trump\'s campaign manager, said on MSNBC.',
            "We are not",
            "Kellyanne Conway",
        ),
        ('"The plan is dead," according to Senate Majority Leader Mitch McConnell.', "The plan", "Mitch McConnell"),
        ('"We will pass this bill," Ryan (R-Wis.) said.', "We will pass", "Ryan"),
        (
            "The plan would cost $1 trillion, according to Sen. Bernie Sanders, who spoke in Iowa.",
            "The plan would cost",
            "Bernie Sanders",
        ),
    ],
)
def test_titles_roles_appositions_and_according_to_in_political_news(text, words, speaker):
    assert quote_starting(text, words).speaker == speaker


def test_a_role_modified_by_another_office_is_not_the_bare_role():
    text = (
        'Foreign Minister Sergei Lavrov met the envoy on Monday.\n\n"We will not accept this," the Prime Minister said.'
    )
    assert quote_starting(text, "We will not").speaker != "Sergei Lavrov"


def test_a_quote_after_a_sentence_of_its_paragraph_is_its_subjects_or_the_speaker_before():
    text = 'Trump was blunt. "We are going to win Florida, believe me."'
    assert said(text) == [("direct", "We are going to win Florida, believe me.", "Trump")]
    text = '"I don\'t know," Trump replied when asked about the report. "Maybe it\'s true."'
    assert [speaker for _, _, speaker in said(text)] == ["Trump", "Trump"]
    text = 'The crowd was blunt. "We are going to win Florida, believe me."'
    assert said(text) == []  # no person is the subject: no speaker to give it


def test_more_speech_verbs_after_a_quote():
    assert said('"We\'re going to win," Trump repeated.') == [("direct", "We're going to win,", "Trump")]


def test_according_to_after_said_is_no_reported_clause():
    text = '"This is a sad day for America," Clinton said, according to a pool report.'
    assert said(text) == [("direct", "This is a sad day for America,", "Clinton")]


def test_the_subject_before_a_colon_is_the_name_it_opens_with_not_one_in_its_apposition():
    text = 'Sen. Lindsey Graham (R-S.C.), a frequent Trump critic, was blunter: "He is a kook."'
    assert said(text) == [("direct", "He is a kook.", "Lindsey Graham")]


def test_a_short_phrase_after_a_naming_verb_is_the_speakers_mixed_quote():
    # Voice of America (GMB), public domain
    text = 'Iran\'s foreign ministry spokesman called the charges "baseless".'
    assert said(text) == [("mixed", 'the charges "baseless', None)]
    text = 'Former Secretary of State Colin Powell called Trump "a national disgrace" in leaked emails.'
    assert said(text) == [("mixed", 'Trump "a national disgrace', "Colin Powell")]
    assert said('Trump attacked the so-called "experts" on Monday.') == []


def test_a_name_after_a_personal_title_is_a_person_though_recognised_as_a_body():
    text = (
        "Ryan's spokeswoman, AshLee Strong, said the speaker would not campaign with Trump.\n\n"
        '"The speaker is focused on the House," she said.'
    )
    assert [speaker for _, _, speaker in said(text)] == ["AshLee Strong", "AshLee Strong"]


def test_a_party_role_is_the_titled_person_the_story_is_about():
    text = (
        'Rep. Jason Chaffetz announced he would no longer vote for Trump.\n\n"I\'m out," the Utah Republican told CNN.'
    )
    assert quote_starting(text, "I'm out").speaker == "Jason Chaffetz"


def test_a_day_after_the_verb_is_no_part_of_the_reported_clause():
    # Voice of America (GMB), public domain
    text = (
        "Mr. Bush said Wednesday he is thinking of American military personnel serving abroad, as well as "
        "their families."
    )
    assert said(text) == [
        ("indirect", "he is thinking of American military personnel serving abroad, as well as their families", "Bush")
    ]


def test_a_name_and_cue_right_after_a_quote_without_a_comma_attribute_it():
    text = '"It is time to move on" Smith wrote on Facebook.'
    assert said(text) == [("direct", "It is time to move on", "Smith")]


@pytest.mark.parametrize(
    "text",
    [
        "Donald Trump held a rally in Florida on Monday.\n\n"
        '"We are going to make America great again," the real estate mogul told the crowd.',
        'Donald Trump held a rally in Florida on Monday.\n\n"We are going to win," the businessman said.',
    ],
)
def test_an_epithet_is_the_person_the_story_is_about(text):
    assert [speaker for _, _, speaker in said(text)] == ["Donald Trump"]


def test_the_former_holder_of_an_office_is_the_person_the_story_is_about():
    text = 'Hillary Clinton spoke in Iowa. "We will win Iowa," the former secretary of state said.'
    assert said(text) == [("direct", "We will win Iowa,", "Hillary Clinton")]


def test_he_after_an_unnamed_source_is_not_someone_named_later():
    text = (
        "A source close to the management side insisted that timing was on his side. He said the board "
        "would vote this week.\n\nSumner Redstone declined to comment."
    )
    assert quote_starting(text, "the board would vote").speaker is None


def test_a_spokesman_is_not_the_person_the_story_is_about():
    text = (
        "John Smith announced new coins on Monday.\n\n"
        "The spokesman said the price would be fixed just before they go on sale."
    )
    assert quote_starting(text, "the price would be fixed").speaker is None
