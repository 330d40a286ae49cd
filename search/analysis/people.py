"""People: titles stripped from names, mentions merged within an article and across the index.

"Prime Minister Benjamin Netanyahu" is the person "Benjamin Netanyahu"; a later
"Netanyahu" or "Mr. Netanyahu" in the same article is the same person. Across the
index, `merge_people_aliases` lets a surname-only name count for the full name in
the corpus that ends with it, if that one is unique or holds most of its documents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

# Words that precede a name as a title or office and are not part of it (lower case,
# without a final period). Kept as one set so training data and runtime agree.
TITLE_WORDS = frozenset(
    """
    mr mrs ms miss mister madam madame dr doctor prof professor sir dame lord lady
    president vice prime minister premier chancellor secretary general gen sen senator
    rep representative congressman congresswoman gov governor mayor king queen prince
    princess emperor empress crown sheikh sheik emir ayatollah mullah imam pope cardinal
    archbishop bishop rev reverend father pastor rabbi judge justice chief deputy
    ambassador envoy speaker chairman chairwoman chairperson commissioner director
    colonel col lieutenant lt captain capt major maj sergeant sgt admiral adm commander
    cmdr marshal brigadier corporal private officer detective inspector superintendent
    attorney prosecutor coach foreign defense defence finance interior trade economy
    economics energy agriculture justice health education labor labour treasury state
    home acting former late then new incoming outgoing deposed ousted exiled interim
    opposition rebel militant leader spokesman spokeswoman spokesperson minister-president
    secretary-general under-secretary attorney-general co-founder founder ceo executive
    president-elect vice-president prime-minister undersecretary
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Nouns that complete an office in front of a name ("Chancellor of the Exchequer Nigel
# Lawson", "Commerce Secretary ..."); stripped like titles, but not features of the model.
OFFICE_WORDS = frozenset(
    """
    exchequer commerce transport transportation industry environment housing fisheries
    agriculture information communications culture tourism planning development
    affairs council cabinet parliament party bank board commission committee court
    government administration ministry department office
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words that stand for a person in place of a name: forms of address and parties to a
# case ("Your Honor", "Petitioner contends"). Stripped like titles; alone, no name.
ADDRESS_WORDS = frozenset(
    """
    honor honour excellency majesty highness lordship ladyship fellow petitioner
    respondent appellant appellee plaintiff defendant claimant
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Lower-case words that belong to names ("de Klerk", "bin Laden").
NAME_PARTICLES = frozenset(
    {
        "de",
        "da",
        "di",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "le",
        "la",
        "du",
        "al",
        "el",
        "bin",
        "ibn",
        "abu",
        "ter",
        "dos",
        "das",
    }
)

# Generation suffixes after a name ("Jr.", "III"), compared as `title_key` leaves them.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def title_key(token: str) -> str:
    """Return a token as looked up in `TITLE_WORDS` (lower case, no final period)."""
    return token.lower().rstrip(".")


def is_title(token: str) -> bool:
    """Return True if `token` is a title word ("President", "Mr.", "minister")."""
    return title_key(token) in TITLE_WORDS


def strip_titles(tokens: Sequence[str], is_descriptor: Callable[[str], bool] | None = None) -> int:
    """Return how many leading tokens of a person mention are titles and descriptors.

    Title words, lower-case words, possessive markers and stray punctuation are
    stripped from the left ("Israeli Prime Minister Benjamin Netanyahu" keeps
    "Benjamin Netanyahu" when `is_descriptor` says the demonym is one);
    at least one token is always kept unless every token is a title.
    """
    i = 0
    while i < len(tokens) - 1:
        tok = tokens[i]
        lower_word = tok[:1].islower() and tok.lower() not in NAME_PARTICLES
        descriptor = is_descriptor is not None and is_descriptor(tok)
        office = title_key(tok) in OFFICE_WORDS or title_key(tok) in ADDRESS_WORDS
        if is_title(tok) or office or not tok[:1].isalpha() or lower_word or descriptor:
            i += 1
            continue
        break
    if i == len(tokens) - 1 and (is_title(tokens[i]) or title_key(tokens[i]) in ADDRESS_WORDS):
        return len(tokens)
    return i


_SPACE = re.compile(r"\s+")


def clean_person_name(text: str) -> str:
    """Return a person's name as the index stores it: single spaces, no trailing 's,
    capitals of a headline undone ("NAKASONE" -> "Nakasone")."""
    name = _SPACE.sub(" ", text).strip()
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.isupper() and len(name) > 3:
        name = " ".join(w.capitalize() if w.isalpha() and len(w) > 2 else w for w in name.split())
    # A final period is kept only where it ends an initial or suffix ("Jr.").
    return name.strip(" ,;:-") if " " in name else name.strip(" ,.;:-")


def name_key(name: str) -> str:
    """Return a comparison key for a name: ASCII, lower case, single spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower()))


def surname(name: str) -> str:
    """Return the last name-word of a name ("Joe Biden Jr." -> "biden")."""
    words = name_key(name).split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def merge_within_article(names: Iterable[str]) -> dict[str, str]:
    """Map each person name of one article to its canonical (longest matching) form.

    A name whose words are a suffix of a longer name in the same article ("Netanyahu",
    "Benjamin Netanyahu") maps to the longer one, but only when that is unique: two
    different Smiths keep "Smith" as it is. A first-name-only mention is left alone.
    """
    distinct = list(dict.fromkeys(names))
    keyed = {n: name_key(n).split() for n in distinct}
    mapping: dict[str, str] = {}
    for name in distinct:
        words = keyed[name]
        if not words:
            mapping[name] = name
            continue
        candidates = {
            other for other in distinct if len(keyed[other]) > len(words) and keyed[other][-len(words) :] == words
        }
        # Keep only the longest candidates that are not themselves suffixes of each other.
        longest = {
            c
            for c in candidates
            if not any(len(keyed[d]) > len(keyed[c]) and keyed[d][-len(keyed[c]) :] == keyed[c] for d in candidates)
        }
        mapping[name] = next(iter(longest)) if len(longest) == 1 else name
    return mapping


# Share of a surname's full-name documents that one full name must hold for the bare
# surname to count as that person although namesakes exist ("Reagan" is Ronald Reagan
# in an archive that also names Nancy Reagan, far less often).
ALIAS_DOMINANCE = 0.8


def merge_people_aliases(counts: dict[str, int]) -> dict[str, str]:
    """Map surname-only canonical names to the full name in the corpus they stand for.

    `counts` holds each canonical person name of the index with its document count.
    The result maps a single-word name ("Netanyahu") to a multi-word name whose last
    word it is ("Benjamin Netanyahu") when that full name is the only one, or when it
    holds at least `ALIAS_DOMINANCE` of the documents of all full names ending with the
    surname (so "Smith" stays apart from two equally common Smiths); names not in the
    result stay as they are.
    """
    by_surname: dict[str, list[str]] = {}
    for name in counts:
        words = name_key(name).split()
        if len(words) >= 2:
            by_surname.setdefault(surname(name), []).append(name)
    merged: dict[str, str] = {}
    for name in counts:
        words = name_key(name).split()
        if len(words) != 1:
            continue
        full = by_surname.get(words[0], [])
        if not full:
            continue
        best = max(full, key=lambda n: (counts[n], n))
        if len(full) == 1 or counts[best] >= ALIAS_DOMINANCE * sum(counts[n] for n in full):
            merged[name] = best
    return merged
