"""Text-level helpers of the data checks: duplicate keys, suspicious encodings, length summary.

Two keys group texts: :func:`case_key` (case and spacing ignored: duplicates and leakage) and
:func:`loose_key` (also punctuation and Unicode compatibility forms ignored: near-duplicates).

Example:
    >>> case_key(" Fever  and Cough. "), loose_key("Fever, and cough!")
    ('fever and cough.', 'fever and cough')
    >>> suspicious("nÃ©phrite"), suspicious("the patient\\x92s"), suspicious("néphrite")
    (True, True, False)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# cp1252 characters that follow "Ã" / "Â" when UTF-8 text was decoded as cp1252 ("ÃŸ" for "ß", "Ã–" for "Ö")
_CP1252_TAIL = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
MOJIBAKE = re.compile(
    f"[\u00c3\u00c2][\u0080-\u00bf{_CP1252_TAIL}]"  # UTF-8 decoded as Latin-1 / cp1252: "Ã©", "Â°", "ÃŸ"
    "|\u00e2\u20ac"                                   # "â€™", "â€œ": UTF-8 quotes and dashes decoded as cp1252
    "|\ufffd"                                         # replacement character: bytes that could not be decoded
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"          # control characters (C0 but tab/newline/CR, DEL, C1: "\x92")
)
_WORD = re.compile(r"[^\W_]+")


def case_key(text: str) -> str:
    """``text`` with case and spacing ignored (duplicate texts, leakage)."""
    return " ".join(text.lower().split())


def loose_key(text: str) -> str:
    """``text`` with case, spacing, punctuation and compatibility forms (NFKC) ignored (near-duplicates);
    ``""`` for a text without letters or digits.

    >>> loose_key("Mortality was 16 % ( p < 0.05 )"), loose_key("...")
    ('mortality was 16 p 0 05', '')
    """
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def suspicious(text: str) -> bool:
    """Whether ``text`` has mojibake, replacement characters or control characters."""
    return MOJIBAKE.search(text) is not None


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter or a digit (not only punctuation and symbols).

    >>> has_words("- ."), has_words("(2)")
    (False, True)
    """
    return any(c.isalnum() for c in text)


def length_summary(texts: Iterable[str]) -> dict[str, int]:
    """Text lengths in characters: ``min``, ``p01``, ``median``, ``p99``, ``max`` (nearest rank); ``{}`` for none.

    >>> length_summary(["ab", "abcd", "abcdef"])
    {'min': 2, 'p01': 2, 'median': 4, 'p99': 6, 'max': 6}
    """
    lengths = sorted(len(t) for t in texts)
    if not lengths:
        return {}

    def rank(q: float) -> int:
        return lengths[min(len(lengths) - 1, max(0, round(q * (len(lengths) - 1))))]

    return {"min": lengths[0], "p01": rank(0.01), "median": rank(0.5), "p99": rank(0.99), "max": lengths[-1]}
