"""Word lists for `quotes`: speech verbs, pronouns, roles and gendered titles."""

from __future__ import annotations

import re

# Verbs that report speech or belief, in the forms news uses them (lower case).
SPEECH_VERBS = frozenset(
    """
    said says say told tells tell added adds stated states claimed claims claim
    explained explains noted notes observed observes announced announces argued argues
    insisted insists warned warns reported reports revealed reveals asserted asserts
    admitted admits estimated estimates recommended recommends commented comments
    remarked remarks wrote writes suggested suggests denied denies confirmed confirms
    acknowledged acknowledges believes believe believed replied replies continued
    declared declares concluded concludes tweeted tweets stressed stresses emphasised
    emphasized maintained maintains predicted predicts recalled recalls agreed agrees
    complained complains cautioned cautions conceded concedes alleged alleges
    contended contends responded responds urged urges asked asks saying adding stating
    writing exclaimed shouted yelled chanted boasted bragged scoffed quipped joked mused
    vowed vows pledged promised promises testified recounted wondered answered countered
    retorted lamented complained pleaded cried whispered muttered proclaimed texted reads
    repeated charged snapped hinted teased groused griped protested objected
    interjected reasoned speculated confided reflected elaborated clarified emailed
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Of those, the ones that may introduce a reported clause without "that" ("X said the
# talks failed"); the others need "that" ("X noted that ...").
BARE_CLAUSE_VERBS = frozenset(
    """
    said says say told tells tell stated states claimed claims claim believes believe
    believed estimated estimates added adds warned warns reported reports insisted
    insists argued argues admitted admits confirmed confirms noted notes wrote writes
    saying adding
    """.split()  # noqa: SIM905
)
ASKING_VERBS = frozenset({"asked", "asks", "urged", "urges"})
# Verbs that introduce a quotation but do not report speech on their own: only before the
# quote's colon or comma ("Sunak defended the record: "…""), or, naming verbs, right
# before it ("X called the ruling "a disgrace"").
INTRODUCER_VERBS = frozenset(
    """
    defended defends dubbed called calls described describes labelled labeled branded
    termed characterized characterised posted shared jokes praised criticised criticized
    slammed blasted questioned echoed reiterated offered pointed
    """.split()  # noqa: SIM905
)
NAMING_VERBS = frozenset({"dubbed", "called", "calls", "labelled", "labeled", "branded", "termed"})
# Verbs that characterise something with a phrase in marks ("described it as "a farce"").
DESCRIBING_VERBS = frozenset({"described", "describes", "characterized", "characterised"})

MALE_PRONOUNS = frozenset({"he"})
FEMALE_PRONOUNS = frozenset({"she"})
GROUP_PRONOUNS = frozenset({"they", "it", "we"})
MALE_TITLES = frozenset(
    {
        "mr",
        "mister",
        "sir",
        "lord",
        "king",
        "prince",
        "father",
        "brother",
        "sheikh",
        "emir",
        "pope",
        "rabbi",
        "imam",
        "congressman",
    }
)
FEMALE_TITLES = frozenset(
    {
        "mrs",
        "ms",
        "miss",
        "madam",
        "madame",
        "dame",
        "lady",
        "queen",
        "princess",
        "sister",
        "congresswoman",
        "chairwoman",
        "spokeswoman",
    }
)
# Common first names whose gender news readers take for granted: enough to keep "she"
# from resolving to the last man named.
MALE_NAMES = frozenset(
    """
    john james robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald paul steven andrew kenneth joshua kevin brian
    george edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel frank gregory raymond alexander
    patrick jack dennis jerry tyler aaron jose henry adam douglas nathan peter zachary
    kyle walter harold jeremy ethan carl keith roger gerald christian terry sean arthur
    austin noah lawrence jesse joe bryan billy jordan albert dylan bruce willie gabriel
    alan juan logan wayne ralph roy eugene randy vincent russell louis philip bobby johnny
    bradley barack vladimir xi emmanuel boris antony tony bill mike jim tom steve dan
    hillary's ali mohammed muhammad ahmed omar hassan abdullah hamdullah najib
    """.split()  # noqa: SIM905
) - {"hillary's"}
FEMALE_NAMES = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda
    melissa deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela
    helen anna brenda pamela nicole emma samantha katherine christine debra rachel
    catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia
    kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline
    frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia
    judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
    natalie isabella charlotte rose alexis kayla hillary angela theresa ursula kamala
    nancy marine giorgia jacinda yvette suella lydia valeska kristen kristin kiara colette
    stefania caitlin sujata alia amneh sehar hilary elaine
    """.split()  # noqa: SIM905
)
# Roles by which a story names a person it has introduced ("the minister said").
ROLE_WORDS = frozenset(
    """
    minister president secretary spokesman spokeswoman spokesperson ambassador envoy
    senator governor mayor coach captain director chairman chairwoman professor chief
    premier chancellor commissioner prosecutor judge curator editor founder ceo leader
    administrator official lawyer attorney democrat republican congressman congresswoman
    lawmaker candidate nominee speaker representative strategist adviser advisor aide
    mogul billionaire businessman businesswoman tycoon magnate frontrunner front-runner
    contender challenger incumbent manager pollster analyst consultant operative activist
    """.split()  # noqa: SIM905
)
# Cues that are also nouns ("every claim will be"): a cue only after a name or pronoun.
NOUN_CUES = frozenset(
    {
        "claim",
        "claims",
        "report",
        "reports",
        "note",
        "notes",
        "comment",
        "comments",
        "remark",
        "remarks",
        "state",
        "states",
        "estimate",
        "estimates",
        "tweet",
        "tweets",
        "warns",
        "say",
    }
)
# Participles that continue the subject of the clause before ("he said, adding that").
PARTICIPLE_CUES = frozenset({"saying", "adding", "stating", "writing"})


def trie_pattern(words: frozenset[str] | set[str]) -> str:
    """Return a regex alternation of `words` factored by common prefixes: Python's `re`
    tries every branch of a flat alternation at each position, a trie only the few
    that share the letters read so far."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else f"(?:{'|'.join(branches)})"
        return (
            f"{body}?" if optional and len(branches) == 1 and len(body) == 1 else (f"(?:{body})?" if optional else body)
        )

    return build(trie)
