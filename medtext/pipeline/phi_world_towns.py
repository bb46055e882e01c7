"""Non-US towns of ``world_places.tsv`` after a place cue, before a country, or after a postcode.

:func:`world_towns` finds ``moved to Lyon``, ``born in Rio de Janeiro``, ``Nairobi, Kenya`` and
``75008 Paris``, and leaves out ordinary words, eponyms, drugs, months and countries.

Example:
    >>> text = "Born in Guadalajara, moved to Lyon; trip to Nairobi, Kenya. Lives in Bath."
    >>> [text[s:e] for s, e, _ in world_towns(text)]
    ['Guadalajara', 'Lyon', 'Nairobi']
"""

from __future__ import annotations

import re
from functools import lru_cache

from medtext.pipeline.phi_lexicons import drug_words, lexicons, world_places
from medtext.pipeline.phi_name_shapes import INSTITUTION_WORDS, NOT_NAME_NEIGHBOURS, anchored_matches
from medtext.pipeline.phi_words import cue_starts as _cue_starts
from medtext.pipeline.phi_words import cue_words

# -- non-US towns after a place cue, or next to a country or a postcode ---------------------------------
# "moved to Lyon", "born in Rio de Janeiro", "Nairobi, Kenya", "75008 Paris": up to four words after the cue,
# the longest run that is a town of world_places.tsv (small words such as "de" may sit inside).
_PLACE_CUE_WORDS = ("in", "from", "to", "near", "visiting")
_SMALL_WORDS = frozenset("de del da do dos das la le les el am an on upon sur en di".split())
_TOWN_WORD = r"[A-Z][A-Za-z'-]*[A-Za-z]"
_TOWN_WORDS = rf"({_TOWN_WORD}(?:[ \t](?:{_TOWN_WORD}|{'|'.join(sorted(_SMALL_WORDS))})){{0,3}})"
_PLACE_CUE = re.compile(r"(?i:in|from|to|near|visiting)[ \t]{1,2}" + _TOWN_WORDS + r"(?![A-Za-z0-9'-])")
_TOWN_BEFORE = re.compile(r"(?<![A-Za-z0-9'-])" + _TOWN_WORDS + r"\Z")
_COUNTRY_AFTER = re.compile(r",[ \t]*([A-Z][A-Za-z.'-]*)")  # a capitalised word after a comma
_POSTCODE_BEFORE = re.compile(r"(?<![\w/.:,-])\d{4,5}[ \t]{1,2}" + _TOWN_WORDS + r"(?=[ \t]*(?:[,\n]|\Z))")
_RUN_WORD = re.compile(r"[^ \t]+")
# A word of :func:`cue_words` made of four or five digits (words there are runs of ASCII letters and digits and
# non-ASCII characters): one search instead of a look at every word of the note.
_CODE_WORD = re.compile(r"(?<![0-9A-Za-z\x80-\U0010ffff])[0-9]{4,5}(?![0-9A-Za-z\x80-\U0010ffff])")
_MONTHS = frozenset("january february march april may june july august september october november december".split())
# Towns that are far more often an eponym, a device, a brand or a US state in clinical text (MTSamples, ADE).
_NOT_TOWNS = frozenset(
    "soma chiari oswestry sugita kasai moro balfour asahi atlantis gore cine tono perm vite federal kawasaki hashimoto "
    "shone fleet carolina dakota jersey hampshire columbia".split()
)
# A word after the town that makes it an eponym ("Pisa syndrome", "Kasai portoenterostomy", "Sugita frame").
_EPONYM_HEADS = frozenset(
    "disease syndrome malformation complex sign signs test score index scale questionnaire classification criteria "
    "procedure operation repair portoenterostomy clip frame plate retractor reflex reflexes phenomenon fracture "
    "deformity tumor tumour lesion ulcer anomaly effect catheter tube drain needle technique method approach incision "
    "grade stage staging protocol maneuver manoeuvre position thyroiditis disability wire stent valve pump".split()
)
_NEXT_WORD = re.compile(r"(?:'s\b|[ \t]{1,2}([A-Za-z]+))")
# Words before "in" / "from" / "to" / "near" that make the word after them a place for sure.
_PLACE_VERBS = frozenset(
    "lives living live lived resides residing reside resided born raised grew moved moving move relocated relocating emigrated "
    "immigrated returned returning transferred transfered flew flown travelled traveled traveling travelling travel trip "
    "trips vacation vacationing vacationed visit visiting holiday stay staying stayed".split()
)


def _town_like(word: str, lex: object, sure: bool) -> bool:
    """One capitalised word that may be a town: four letters or more, never written in lower case in clinical text, no
    word of ``not_phi.tsv`` (US states, weekdays, languages, devices), month, country, drug, title, kin or institution
    word, nor an eponym of :data:`_NOT_TOWNS`; a Census first name or surname only after a verb of place
    (``moved to Florence``, not ``call from Florence``)."""
    lower = word.lower()
    if len(lower) <= 3 or lex.common_count(lower) or lower in lex.not_phi or lower in _MONTHS or lower in _NOT_TOWNS:  # type: ignore[attr-defined]
        return False
    if lower in NOT_NAME_NEIGHBOURS or lower in INSTITUTION_WORDS or lower in drug_words() or lower in world_places().countries:
        return False
    return sure or not (lex.first_rank(lower) or lex.surname_rank(lower))  # type: ignore[attr-defined]


def _is_town(words: list[str], lex: object, sure: bool) -> bool:
    """Whether the words are a known non-US town: one word that passes :func:`_town_like`, or several that are not
    all ordinary words and do not end with a small word."""
    if words[-1] in _SMALL_WORDS:
        return False
    name = " ".join(words).lower()
    places = world_places()
    if not places.town_population(name):
        return False
    if len(words) == 1:
        return _town_like(words[0], lex, sure)
    return not all(lex.common_count(w.lower()) for w in words) and name not in places.countries  # type: ignore[attr-defined]


def _town_after(text: str, start: int, end: int, lex: object, sure: bool) -> tuple[int, int] | None:
    """The longest run of words at the start of ``text[start:end]`` that is a town (:func:`_is_town`)."""
    words = list(_RUN_WORD.finditer(text, start, end))
    for size in range(len(words), 0, -1):
        if _is_town([m.group() for m in words[:size]], lex, sure):
            return None if _eponym(text, words[size - 1].end()) else (start, words[size - 1].end())
    return None


def _eponym(text: str, end: int) -> bool:
    """Whether the town ending at ``end`` is an eponym: a possessive, or a word such as ``syndrome`` after it."""
    m = _NEXT_WORD.match(text, end)
    return bool(m) and (m.group(1) is None or m.group(1).lower() in _EPONYM_HEADS)


def _town_ending(text: str, start: int, end: int, lex: object) -> tuple[int, int] | None:
    """The longest run of words at the end of ``text[start:end]`` that is a town (:func:`_is_town`, sure cue)."""
    words = list(_RUN_WORD.finditer(text, start, end))
    for skip in range(len(words)):
        if _is_town([m.group() for m in words[skip:]], lex, True):
            return words[skip].start(), end
    return None


def _place_verb_before(text: str, at: int) -> bool:
    """Whether a word of :data:`_PLACE_VERBS` comes right before the cue at ``at`` (``moved to``, ``lives nearby in``)."""
    words = text[max(0, at - 40) : at].lower().split()[-3:]
    return any(w.strip(".,;:") in _PLACE_VERBS for w in words)


def world_towns(text: str, words: frozenset[bytes] | None = None) -> list[tuple[int, int, str]]:
    """Non-US towns (:func:`~medtext.pipeline.phi_lexicons.world_places`, read only when needed): a capitalised town
    after a place cue (``moved to Lyon``, ``born in Rio de Janeiro``, ``returned from Mumbai``), before a comma and a
    country (``Nairobi, Kenya``) or after a postcode (``75008 Paris``). Ordinary and medical words, drugs, months,
    countries and US states are left out (``in Bath``, ``in Reading``, ``to Nice``), and Census names are towns only
    after a verb of place (``moved to Florence``), a country or a postcode.

    Example:
        >>> text = "Born in Guadalajara, moved to Lyon; trip to Nairobi, Kenya. Lives in Bath."
        >>> [text[s:e] for s, e, _ in world_towns(text)]
        ['Guadalajara', 'Lyon', 'Nairobi']
    """
    low = text.lower()
    present = cue_words(text) if words is None else words
    lex = lexicons()
    found: set[tuple[int, int]] = set()
    for m in anchored_matches(_PLACE_CUE, text, _cue_starts(low, present, _PLACE_CUE_WORDS)):
        span = _town_after(text, m.start(1), m.end(1), lex, _place_verb_before(text, m.start()))
        if span:
            found.add(span)
    if "," in text:
        found.update(_towns_before_countries(text, lex))
    if _CODE_WORD.search(text):
        for m in _POSTCODE_BEFORE.finditer(text):
            code = text[m.start() : m.start(1)].strip()
            # after a year ("In 2010 Victoria, ...") only a town that is no Census name
            span = _town_after(text, m.start(1), m.end(1), lex, not (len(code) == 4 and code[:2] in ("19", "20")))
            if span:
                found.add(span)
    return [(s, e, "LOCATION") for s, e in sorted(found)]


def _towns_before_countries(text: str, lex: object) -> list[tuple[int, int]]:
    """``Nairobi, Kenya``, ``Leeds, UK``: the town right before a comma and a country name."""
    out = []
    for m in _COUNTRY_AFTER.finditer(text):
        heads = _country_heads()  # the place list is read only here, for a note that has ", Word"
        head = m.group(1).lower()
        names = heads.get(head) or heads.get(head.rstrip("."), ())
        if not names:  # the first word of no country (most commas): no town to look for
            continue
        before = _TOWN_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before and any(_country_at(text, m.start(1), name) for name in names):
            span = _town_ending(text, before.start(1), m.start(), lex)
            if span:
                out.append(span)
    return out


@lru_cache(maxsize=1)
def _country_heads() -> dict[str, tuple[str, ...]]:
    """Country names (lower case) by their first word (``new`` -> ``new zealand``, ``new caledonia``)."""
    heads: dict[str, list[str]] = {}
    for name in world_places().countries:
        heads.setdefault(name.split(" ", 1)[0], []).append(name)
    return {head: tuple(names) for head, names in heads.items()}


def _country_at(text: str, at: int, name: str) -> bool:
    """Whether the country ``name`` (lower case) is written at ``at``, as whole words."""
    written = " ".join(text[at : at + len(name) + 8].lower().split())
    return written.startswith(name) and (len(written) == len(name) or not written[len(name)].isalpha())
