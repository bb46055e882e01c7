"""The units the PHI model classifies: words, numbers and date- or phone-shaped chunks, each with a kind.

:func:`units` cuts a text into :class:`Unit` pieces (``O'Rourke``, ``García``: letters of any script
with their combining marks; ``7/23``, ``8/19/20``, ``410-555-9876``); punctuation is kept as context.
Offsets are exact character offsets into the text. :func:`unit_strings`, :func:`split_space` and
:func:`unit_kind_at` serve the model's vocabulary and scorer.

Example:
    >>> [(u.text, u.kind) for u in units("Seen 7/23 by DR. KAY")]
    [('Seen', 'WORD'), ('7/23', 'MD'), ('by', 'WORD'), ('DR', 'WORD'), ('.', 'PUNCT'), ('KAY', 'WORD')]
"""

from __future__ import annotations

import re
from typing import NamedTuple

from medtext.pipeline.phi_text import LETTER, MARK

class Unit(NamedTuple):
    """A piece of text: ``text[start:end]`` of a ``kind`` (WORD, NUM, MD, MDY, ..., PUNCT, NL)."""

    start: int
    end: int
    kind: str
    text: str


_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"
_Y = r"(?:\d{4}|\d{2})"
# Kinds in priority order: the first alternative that matches at a position wins.
_UNIT_PARTS = (
    ("PHONE", r"\(?\d{3}\)?[ ./-]{0,2}\d{3}[ .-]\d{4}(?!\d)"),
    ("ISO", r"(?:1[89]|2\d)\d{2}-[01]?\d-[0-3]?\d(?![\d/-])"),
    ("MDY", rf"{_M}[/-]{_D}[/-]{_Y}(?![\d/])"),
    ("MDMD", rf"{_M}/{_D}-{_M}/{_D}(?![\d/])"),
    ("MD", rf"{_M}/{_D}(?![\d/])"),
    ("MY", rf"{_M}/(?:19|20)?\d{{2}}(?![\d/])"),
    ("PHONE7", r"\d{3}-\d{4}(?!\d)"),
    ("RATIO", r"\d+(?:\.\d+)?(?:/\d*\.?\d+)+"),
    ("NUM", r"\d+(?:\.\d+)?"),
    # letters of any script and combining marks ("García", "Jose\u0301"); on ASCII text exactly [A-Za-z]
    ("WORD", rf"{LETTER}+(?:{MARK}+{LETTER}*)*(?:['\u2019]{LETTER}+(?:{MARK}+{LETTER}*)*)?"),
    ("NL", r"\n"),
    ("PUNCT", r"[^\sA-Za-z0-9]"),
)
_UNIT = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _UNIT_PARTS))


# The same units in one C-level pass: ``findall`` gives each unit's text with the whitespace before it.
# WORD and NL go first: no kind before them in _UNIT_PARTS can start with a letter or a newline, so
# the order does not change what matches; only the digit kinds and PUNCT ("(") compete.
_FIRST = ("WORD", "NL")


def _flat(parts: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """The unit pattern of ``parts`` for ``findall``. A match starts only where the whitespace before a unit
    starts, and takes it whole: no unit starts or ends with that whitespace, so this changes no match; it only
    keeps whitespace at the end of a text from being rescanned from each of its characters (10,000 tabs: seconds)."""
    return re.compile(
        r"(?<![^\S\n])[^\S\n]*+(?:"
        + "|".join(f"(?:{pattern})" for kind, pattern in sorted(parts, key=lambda kp: kp[0] not in _FIRST))
        + ")"
    )


_UNIT_FLAT = _flat(_UNIT_PARTS)
# The same on ASCII text, where a word is ``[A-Za-z]+`` with maybe one apostrophe inside (no combining mark, no
# curly apostrophe, no other script can occur): about 30% faster than the Unicode letter class.
_UNIT_FLAT_ASCII = _flat(tuple((kind, r"[A-Za-z]+(?:'[A-Za-z]+)?" if kind == "WORD" else pattern) for kind, pattern in _UNIT_PARTS))
_LEADING_SPACE = re.compile(r"[^\S\n]*")


def unit_strings(text: str) -> list[str]:
    """The text of every unit of :func:`units`, each with the whitespace before it (so they add up to ``text``,
    less trailing whitespace). :func:`split_space` takes one apart.

    Example:
        >>> unit_strings("Seen  7/23")
        ['Seen', '  7/23']
    """
    return (_UNIT_FLAT_ASCII if text.isascii() else _UNIT_FLAT).findall(text)


def split_space(unit_string: str) -> tuple[str, str]:
    """(whitespace, unit text) of one of :func:`unit_strings`."""
    cut = _LEADING_SPACE.match(unit_string).end()  # type: ignore[union-attr]
    return unit_string[:cut], unit_string[cut:]


def unit_kind_at(text: str, start: int) -> str:
    """Kind of the unit that starts at ``start`` (as :func:`units` gives it)."""
    match = _UNIT.match(text, start)
    return (match.lastgroup or "PUNCT") if match else "PUNCT"


def units(text: str) -> list[Unit]:
    """Cut ``text`` into classified units (whitespace other than newlines dropped)."""
    out = []
    for match in _UNIT.finditer(text):
        kind = match.lastgroup or "PUNCT"
        out.append(Unit(match.start(), match.end(), kind, match.group()))
    return out
