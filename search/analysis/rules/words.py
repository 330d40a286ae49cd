"""The word lists the rules read, and the word tests more than one family of rules makes.

Data only: a rule's words are here, its logic in its family's module. Lists are grouped
by the family that reads them; the first group is read by several.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.analysis.people import TITLE_WORDS, is_title
from search.analysis.places import place_key, place_kinds

# ---- read by several families ------------------------------------------------------------

MAX_CONSISTENCY_WORDS = 4  # the longest name made consistent, or matched as a place
ARTICLES = frozenset({"The", "the", "THE"})

# Words that end a company's name: a name before them is an organisation, whatever
# the CRF thought of it ("Borden Inc", "Siemens AG"). Compared without a final period.
COMPANY_DESIGNATORS = frozenset(
    """Inc Corp Corporation Co Cos Ltd Limited Plc PLC LLC LLP LP AG SA NV GmbH SpA AB
    ASA Bhd Berhad KK Pty Oy Oyj SE Holdings Bancorp Bancshares Industries Group""".split()  # noqa: SIM905 (a word list reads better as text)
)
_DESIGNATOR_KEYS = frozenset(d.lower() for d in COMPANY_DESIGNATORS)
PARTNERS = frozenset({"and", "&"})  # "Merrill Lynch and Co", "Morgan Stanley & Co"

# Kinds of gazetteer names that are almost always the place when written capitalised
# on their own: countries, US states, regions, capitals and cities of a million.
KNOWN_PLACE_KINDS = frozenset({"country", "state", "region", "capital", "city1m"})

CALENDAR_WORDS = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Today Yesterday
    Tomorrow""".split()  # noqa: SIM905
)

# Nouns that end an organisation's name, never a person's: "Federal Reserve Board", "New
# China News Agency" are no people whatever the model said.
ORGANISATION_HEADS = frozenset(
    """Agency Board Bank Exchange Association Institute University College Council
    Commission Ministry Department Committee Corporation Company Party Union Federation
    Fund Authority Service Services Court Organisation Organization Administration
    Bureau Reserve Trust Foundation Society Press Airlines Group""".split()  # noqa: SIM905
)
# Heads that name a body with "of"/"for" and a name after them: "Organization of the
# Petroleum Exporting Countries", "Centers for Disease Control and Prevention".
BODY_HEADS = ORGANISATION_HEADS | frozenset(
    """Centers Center Centre Centres Institutes Office League Alliance Conference Coalition
    Movement Front Confederation Chamber Academy Order""".split()  # noqa: SIM905
)


def is_designator(word: str) -> bool:
    """Return True for a company designator as written ("Corp", "Corp.", "AG"), or in a
    headline's capitals ("CORP")."""
    key = word.rstrip(".")
    return key in COMPANY_DESIGNATORS or key.isupper() and key.lower() in _DESIGNATOR_KEYS


# Words of an amount after a number: "fined Lloyds Banking Group 64 million pounds".
AMOUNT_WORDS = frozenset({"million", "billion", "trillion", "mln", "bln", "pounds", "euros", "dollars", "yen",
                           "percent", "pct", "%", "shares", "tonnes", "barrels"})


def is_amount(words: Sequence[str], k: int) -> bool:
    """A number at k that an amount's word follows: no team's number ("Schalke 04")."""
    return k + 1 < len(words) and words[k].replace(",", "").replace(".", "").isdigit() \
        and words[k + 1] in AMOUNT_WORDS


def is_name_word(word: str) -> bool:
    """Return True for a capitalised word that is no title: a word of a person's name."""
    return word[:1].isupper() and not is_title(word)


def known_place(words: Sequence[str]) -> str | None:
    """Return the gazetteer kind of a run of words, None when it names no place."""
    return place_kinds().get(place_key(" ".join(words))) if words else None


# ---- organisations -----------------------------------------------------------------------

# Designators a legal name often runs on after with "of": "Prudential Insurance Co of
# America". After these only ", of X" is the seat; the place in the name is still a
# place of the article, nested in the organisation (see entities._places_in_name).
NAME_RUNS_ON = frozenset(
    {"Co", "Cos", "Corp", "Corporation", "Group", "Holdings", "Industries", "Bancorp", "Bancshares"}
)
ANY_ARTICLES = ARTICLES | {"A", "An", "AN"}

# Words of wire services' financial tables ("Shr profit 25 cts", "Oper net", "Qtr ended
# Jan 31"): capitalised at the start of a line, never a name.
MONTH_ABBREVIATIONS = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()  # noqa: SIM905
)
TABLE_WORDS = MONTH_ABBREVIATIONS | frozenset(
    "Shr Shrs Oper Qtr Qtly Avg Revs Mths Mos Cts Dlrs Mln Mlns Bln Pct Div Vs".split()  # noqa: SIM905
)
COMPASS_ADJECTIVES = frozenset({"Western", "Eastern", "Northern", "Southern"})
# Words that end the name of a market index ("Dow Jones Industrial Average", "Nikkei
# Index"): a name ending in one is neither a person nor an organisation.
INDEX_WORDS = frozenset({"Average", "Averages", "Index", "Indices", "Indexes", "Indicator"})
# Words that end a currency's name ("U.S. Dlrs", "the U.S. Currency"): no organisation.
# Acronyms of things, roles and measures that news writes in capitals and that name
# no organisation, person or place: "its IPO", "the CEO", "GDP", "LNG prices", "AI".
COMMON_ACRONYMS = frozenset(
    """IPO IPOs CEO CEOs CFO COO CTO CIO EPS GDP GNP CPI PPI PMI ETF ETFs SPAC SPACs AI EV
    EVs ESG LNG LPG ATM ATMs DNA RNA PPE ICU HIV AIDS TV GMT EST EDT BST CET PDT PST FOB
    SDR SDRs LIBOR FRN FRNs PSBR RPI CDS CDO MBS REIT REITs OTC YTD QE VAT SUV SUVs
    GPS LED OEM PC PCs CD CDs IT MAX""".split()  # noqa: SIM905
)
# Holidays and feasts, which the model takes for people or places ("Congress's Easter
# recess"); a two-word name holding one ("Christmas Island") is left alone.
HOLIDAYS = frozenset(
    """Easter Christmas Xmas Thanksgiving Ramadan Eid Hanukkah Chanukah Passover Diwali
    Halloween Pentecost Lent Advent Epiphany Hogmanay Kwanzaa""".split()  # noqa: SIM905
)
# Words of the pandemic that the model reads as places or organisations ("COVID",
# "Covid-19"), and what names a virus's variant ("the Delta variant").
PANDEMIC_WORDS = frozenset(
    """COVID COVID-19 Covid Covid-19 COVID19 Coronavirus SARS-CoV-2 SARS-CoV MERS Ebola Zika""".split()  # noqa: SIM905
)
VARIANT_WORDS = frozenset({"variant", "variants", "strain", "strains", "subvariant", "subvariants"})
# Competitions, which CoNLL's guidelines call no organisation (the leagues that run
# them, "the NFL", "UEFA", are): "in the Champions League", "the Bundesliga opener". A
# nation's adjective before one is part of it ("English Premier League").
COMPETITIONS = frozenset(
    """Premier League|Champions League|Europa League|Conference League|Bundesliga|Serie A|Serie B|
    La Liga|Ligue 1|Eredivisie|Primeira Liga|Super Lig|Championship|Super Bowl|World Cup|
    World Series|Stanley Cup|Grand Prix|Olympics|Olympic Games|Paralympics|Tour de France|
    Six Nations|Ryder Cup|Davis Cup|FA Cup|League Cup|Copa America|Euro 2020|Euro 2024""".replace(
        "\n", "").replace("    ", "").split("|")  # noqa: SIM905
)
# Firms named after their founders or partners that the model reads as people; the
# archive's evidence mends them in facets, this list in each article. A surname that
# is often a person's alone (Ford, Dell, Bloomberg) is not listed.
FOUNDERS_FIRMS = frozenset(
    """Goldman Sachs|Morgan Stanley|Merrill Lynch|Wells Fargo|Lehman Brothers|
    Bear Stearns|Dean Witter|Paine Webber|Piper Sandler|Evercore|
    Lazard|Kidder Peabody|Salomon Brothers|Smith Barney|Drexel Burnham|Shearson Lehman|
    Cantor Fitzgerald|Jefferies|Keefe Bruyette|Stifel|Sanford Bernstein|Dow Jones|
    Walt Disney|Johnson Controls|Hewlett Packard|Boeing|Toyota|Nissan|Michelin|Cargill|
    Reuters|Nasdaq""".replace("\n", "").replace("    ", "").split("|")  # noqa: SIM905
)
# Stock exchanges named in one word, which the model may take for places.
EXCHANGE_NAMES = frozenset({"Nasdaq", "NASDAQ", "NYSE", "Euronext", "Xetra", "Bursa", "Nymex", "NYMEX"})

CURRENCY_WORDS = frozenset({"Dlr", "Dlrs", "Dollar", "Dollars", "Currency", "Currencies"})
# Words that open a firm's name, never a person's ("Banque Paribas", "Banco Central").
ORGANISATION_OPENERS = frozenset(
    """Bank Banque Banco Banca Banc Bancorp Caisse Compagnie Compania Companhia Societe
    Société Sociedad Groupe Grupo Gruppo Credit Crédit Kredietbank""".split()  # noqa: SIM905
)

# ---- people ------------------------------------------------------------------------------

# Capitalised spellings of the title words, for a quick test of a whole sentence.
TITLE_FORMS = frozenset(form for t in TITLE_WORDS for form in (t.capitalize(), t.capitalize() + ".", t.upper()))
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "miss", "sir", "dame"})

# Verbs of saying and thinking: a lone name right before one ("Tarlo explains"), or
# after one at the end of a clause ("says Tarlo ."), is someone speaking.
# Not "said" after the name: companies and towns say things in news ("Motorola said").
SPEECH_AFTER = frozenset(
    """explains explained thought argues argued writes wrote recalls recalled admits
    admitted insists insisted believes""".split()  # noqa: SIM905
)
SPEECH_BEFORE = frozenset(
    "says said explains explained told added argues writes recalls admits".split()  # noqa: SIM905
)
CLAUSE_ENDS = frozenset({".", ",", ";", "!", "?"})
# Places a government or its people speak for ("Tokyo said", "Ontario says").
SPEAKING_PLACE_KINDS = frozenset({"country", "state", "region", "capital", "city1m", "city100k"})

# Lower-case nouns for a person's role or kin, before a name: "his nephew Rastiz", "the
# emperor Caracalla", "his rival Prabowo Subianto" (not "manufacturer": firms are too).
ROLE_NOUNS = frozenset(
    """king queen emperor empress pharaoh prince princess daughter son nephew niece wife
    husband brother sister mother father uncle aunt cousin grandson granddaughter knight
    rival governor writer author poet singer actor actress composer painter
    philosopher historian novelist spokesman spokeswoman businessman lawyer attorney
    boyfriend girlfriend colleague reporter journalist economist""".split()  # noqa: SIM905
)
SURNAME_PARTICLES = frozenset(
    {"de", "du", "des", "del", "da", "di", "van", "von", "der", "den", "la", "le", "al", "bin", "ben"}
)

# A regnal number or an epithet after a person's name is part of it: "Thutmose III",
# "Lucas Cranach the Elder", "Friedrich the Great". Not "I", the pronoun.
REGNAL_NUMBERS = frozenset(
    "II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII".split()  # noqa: SIM905
)
EPITHETS = frozenset(
    """Great Elder Younger Good Bold Bald Fat Pious Wise Conqueror Confessor Lionheart
    Magnificent Terrible Fair Just Navigator Apostate Lawgiver Unready""".split()  # noqa: SIM905
)

# Punctuation a name does not run over: brackets, colons, slashes. Not dashes: text
# split at hyphens has them inside names ("Joseph Gordon - Levitt").
NAME_BREAKS = frozenset({")", "]", "}", ">", ":", ";", "/", "|", ":-)", ":)"})
OPENING_BRACKETS = ("(", "[", "{", "<")

# Titles that make a name after them a person's, whatever the model thought: "Emperor
# Meiji" is no place. (Not "Saint", "General", "Prince" alone: "St. Louis", "General
# Santos" and "Prince Rupert" are places, and the gazetteer keeps those.)
PERSONAL_TITLES = frozenset(
    """emperor empress king queen princess pope sultan sheikh emir mr mrs ms dr sir dame
    president senator governor mayor chancellor premier ayatollah imam rabbi cardinal
    archbishop bishop""".split()  # noqa: SIM905
)

# ---- places ------------------------------------------------------------------------------

COMPASS = frozenset({"West", "East", "North", "South", "WEST", "EAST", "NORTH", "SOUTH"})

# Religions and other creeds the model takes for places ("spread Islam to the coast",
# "converted to Catholicism"): a lone word ending in -ism, or one of these.
CREEDS = frozenset({"Islam", "Christianity", "Christendom", "Shinto"})

POSSESSIVES = frozenset({"'s", "’s"})
# Places well enough known that "X 's" before other capitalised words is the place.
OWNER_KINDS = frozenset({"country", "state", "region", "capital", "city1m"})

# Common nouns that are part of places' names ("OHIO RIVER", re-cased "Ohio river"):
# the heads of facilities and natural features (`mark_facilities`), and the nouns of
# buildings, land and divisions that name places when capitalised.
PLACE_HEADS = frozenset(
    """center centre airport stadium museum park square station bridge tower building
    palace gardens garden complex harbour harbor port river lake sea ocean gulf bay
    delta island islands isles canal mountain mountains valley street avenue road
    boulevard gym arena""".split()  # noqa: SIM905
)
PLACE_NOUNS = PLACE_HEADS | frozenset(
    """railway hall house castle cathedral church abbey temple isle strait mount hill
    hills county city town village district province state region beach coast forest
    desert falls peninsula basin plain plains""".split()  # noqa: SIM905
)

NAME_LINKS = frozenset(
    {
        "of",
        "and",
        "de",
        "du",
        "des",
        "del",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "bin",
        "ben",
        "y",
        "the",
        "for",
        "&",
    }
)
MULTIWORD_PLACE_KINDS = KNOWN_PLACE_KINDS
LIST_SEPARATORS = frozenset({",", "and"})

DIRECTIONS = frozenset(
    """north south east west northeast northwest southeast southwest""".split()  # noqa: SIM905
)
RANGE_DASHES = frozenset({"-", "--", "---", "–", "—"})
LARGE_PLACE_KINDS = frozenset({"country", "state"})

# ---- the document ------------------------------------------------------------------------

LANGUAGE_WORDS = frozenset({"language", "languages", "speakers", "speaking", "dialect", "dialects"})
LANGUAGE_FORMS = frozenset(f for w in LANGUAGE_WORDS for f in (w, w.capitalize(), w.upper()))

# ---- places inside hyphenated words ------------------------------------------------------

# Capitalised parts of a hyphenated word that are not places and do not make it a name:
# combining forms ("Sino-", "Anglo-"), prefixes ("Anti-", "Non-"), and the party letter
# of "D-Kan." (demonyms, "Saudi-led", are tested separately).
HYPHEN_PREFIXES = frozenset(
    """anti non pro ex post pre mid trans pan sino anglo franco indo afro euro russo italo
    greco austro judeo hispano luso nippo d r i""".split()  # noqa: SIM905
)
PARTY_LETTERS = frozenset({"d", "r", "i"})
# Kinds that are a place in any hyphenated word; a city of 100,000 only before a
# lower-case part ("Cincinnati-based", not "Bristol-Myers").
HYPHEN_PLACE_KINDS = frozenset({"country", "state", "capital", "city1m"})
HYPHEN_MINOR_KINDS = frozenset({"city100k"})


# A possessive's token, as the tokenizer writes it ("Apple 's", "Reuters '").
POSSESSIVE_MARKS = ("'s", "’s", "'", "’")
# Words that join a name's parts but never end one ("Nicholson 's and sold").
JOINTS = frozenset(
    {"and", "&", "of", "the", "for", "in", "at", "on", "with", "along", ",", "-", "to", "by", "from", "'", "’"}
)
