"""Whether a word may be part of a name or a place: the word lists and tests the PHI cues share.

:func:`name_like` (a word that may continue a name), :func:`known_name` (a rarely written Census name),
:func:`unknown_word` (never written in lower case), the words that stand next to names without being
part of them (:data:`NOT_NAME_NEIGHBOURS`) or belong to an institution's name (:data:`INSTITUTION_WORDS`),
and :func:`anchored_matches` (a cue pattern tried only where a cue word starts).

Example:
    >>> from medtext.pipeline.phi_lexicons import lexicons
    >>> name_like("Zwarkowich", lexicons()), name_like("aware", lexicons())
    (True, False)
    >>> "hospital" in INSTITUTION_WORDS
    True
"""

from __future__ import annotations

import re
from itertools import repeat

COMMON_LIMIT = 20
# Words that belong to an institution's name next to a place word.
INSTITUTION_WORDS = frozenset(
    "st st. saint sacred heart holy cross memorial regional general university of medical center hospital hosp hosp. "
    "rehab rehabilitation county community mercy union shore eastern western northern southern north south east west "
    "health healthcare clinic campus house manor home nursing mary's mary agnes joseph's luke's vincent's".split()
)


# Words that follow or precede a name without being part of it (credentials, roles, ward words).
NOT_NAME_NEIGHBOURS = frozenset(
    "md rn np pa do phd rrt rt lpn lcsw licsw msw cm pt ot slp sw ccu icu micu sicu ccrn crnp mph ms mrs mr dr drs "
    "aware notified paged called here in at to and or with by from for of on re per via husband wife son daughter dtr "
    "brother sister girlfriend boyfriend friend friends mother father mom dad niece nephew fiance fiancee partner grandson "
    "granddaughter cousin aunt uncle neighbor proxy hcp family wedding ceo caseworker case worker nurse nurses attending "
    "resident intern fellow chaplain rabbi priest pastor pharmacist therapist physician surgeon team service".split()
)


def name_like(word: str, lex: object, lower_ok: bool = True) -> bool:
    """A word that may continue a name: never written in lower case in ordinary clinical text, no
    credential or function word, and (when short) a known first name or surname; written in lower case
    only where ``lower_ok`` (next to a name written in lower case)."""
    if not lower_ok and word.islower():
        return False
    lower = word.lower()
    if lower.endswith("'s"):
        lower = lower[:-2]
    if lower in NOT_NAME_NEIGHBOURS or lex.common_count(lower) or lex.never_phi(lower):  # type: ignore[attr-defined]
        return False
    if len(lower) <= 3 and not (lex.first_rank(lower) or lex.surname_rank(lower)):  # type: ignore[attr-defined]
        return False
    if not word.islower() or lex.first_rank(lower) or lex.surname_rank(lower):  # type: ignore[attr-defined]
        return True
    return len(lower) > 4 and not lower.endswith(_WORD_ENDINGS)


# Endings of ordinary lower-case words ("persists", "needed"), which an unknown lower-case name rarely has.
_WORD_ENDINGS = ("s", "ed", "ing", "ly", "tion", "ment", "ness", "ful", "able", "ible", "ive", "ous", "ize", "ise")


def capitalised_name_word(word: str) -> bool:
    """A word written with a capital that is no credential, relation or function word next to names.

    Example:
        >>> capitalised_name_word("Tasker"), capitalised_name_word("MD"), capitalised_name_word("tasker")
        (True, False, False)
    """
    return word[0].isupper() and word.lower() not in NOT_NAME_NEIGHBOURS


CUE_COMMON_LIMIT = 50


def anchored_matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """Matches of ``pattern`` anchored at each of ``starts`` (they may overlap).

    Example:
        >>> import re
        >>> [m.group() for m in anchored_matches(re.compile(r"a+"), "baaa", [1, 2, 0])]
        ['aaa', 'aa']
    """
    match = pattern.match
    return [m for m in map(match, repeat(text), starts) if m]


def unknown_word(word: str, lex: object) -> bool:
    """No part of ``word`` is ever written in lower case in ordinary clinical text, nor never PHI."""
    parts = word.lower().split("-")
    return not any(lex.common_count(p) or lex.never_phi(p) for p in parts)  # type: ignore[attr-defined]


def known_name(lower: str, lex: object) -> bool:
    """A Census first name or surname that is rarely written in lower case (``bishop``, not ``will``)."""
    return bool(lex.first_rank(lower) or lex.surname_rank(lower)) and lex.common_count(lower) < CUE_COMMON_LIMIT \
        and not lex.never_phi(lower)  # type: ignore[attr-defined]
