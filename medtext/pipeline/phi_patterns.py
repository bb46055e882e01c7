"""Regular expressions of the ``phi`` component: units to classify, and sure-fire PHI.

Two jobs:

* :func:`units` cuts a text into the pieces the PHI model classifies: words
  (``O'Rourke``), numbers, and date- or phone-shaped chunks (``7/23``,
  ``8/19/20``, ``410-555-9876``), each with a *kind*; punctuation is kept as
  context. Offsets are exact character offsets into the text.
* :func:`rule_spans` finds PHI that needs no model: de-identification
  placeholders, e-mail addresses, URLs, SSN-like numbers, full phone numbers,
  numbers after record/account cues, ISO dates, and ages over 89.

Example:
    >>> [(u.text, u.kind) for u in units("Seen 7/23 by DR. KAY")]
    [('Seen', 'WORD'), ('7/23', 'MD'), ('by', 'WORD'), ('DR', 'WORD'), ('.', 'PUNCT'), ('KAY', 'WORD')]
    >>> [(s.label, s.start, s.end) for s in rule_spans("Call 617-555-0199 or a@b.org")]
    [('PHONE', 5, 17), ('EMAIL', 21, 28)]
"""

from __future__ import annotations

import re
from typing import NamedTuple



class Unit(NamedTuple):
    """A piece of text: ``text[start:end]`` of a ``kind`` (WORD, NUM, MD, MDY, ..., PUNCT, NL)."""

    start: int
    end: int
    kind: str
    text: str


class RuleSpan(NamedTuple):
    """A PHI span found by a rule (no model needed)."""

    start: int
    end: int
    label: str


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
    ("WORD", r"[A-Za-z]+(?:'[A-Za-z]+)?"),
    ("NL", r"\n"),
    ("PUNCT", r"[^\sA-Za-z0-9]"),
)
_UNIT = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _UNIT_PARTS))
# Numbers glued to letters ("fx4/97", "QUARTERMAIN3") still start a unit of their own.
_BOUNDARY_OK = frozenset("WORD NL PUNCT".split())


# The same units in one C-level pass: ``findall`` gives (whitespace before, unit text) pairs.
# WORD and NL go first: no other kind can start with an ASCII letter or a newline, so the
# order does not change what matches; only the digit kinds and PUNCT ("(") compete.
_FIRST = ("WORD", "NL")
_UNIT_FLAT = re.compile(
    r"([^\S\n]*)("
    + "|".join(f"(?:{pattern})" for kind, pattern in sorted(_UNIT_PARTS, key=lambda kp: kp[0] not in _FIRST))
    + ")"
)


def unit_strings(text: str) -> list[tuple[str, str]]:
    """(whitespace before, text) of every unit of :func:`units`, without offsets or kinds.

    Example:
        >>> unit_strings("Seen  7/23")
        [('', 'Seen'), ('  ', '7/23')]
    """
    return _UNIT_FLAT.findall(text)


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


# Placeholders of de-identified text: "[**...**]" always; "**TAG" / "**TAG[...]" only for PHI tags
# (so emphasis such as "***SEE FLOW SHEET***" is not taken for one).
_PLACEHOLDER_TAGS = (
    "NAME|INSTITUTION|HOSPITAL|LOCATION|PLACE|DATE|PHONE|AGE|ID|MRN|ZIP|STREET|ADDRESS|EMAIL|ROOM|CITY|STATE|"
    "COUNTRY|URL|WEB|SSN|ACCOUNT|DEVICE|LICENSE|PAGER|FAX|INITIALS|NUM|DOCTOR|PATIENT|PROVIDER|CAREGIVER|"
    "COMPANY|ORGANIZATION|PROFESSION|YEAR|HOLIDAY|MONTH|DAY|TIME|CONTACT"
)
PLACEHOLDER = re.compile(
    rf"\[\*\*[^\]\n]{{0,80}}?\*\*\]|(?<!\*)\*\*(?:{_PLACEHOLDER_TAGS})[A-Z0-9_-]*(?:\[[^\]\n]{{0,60}}\])?"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_PHONE = re.compile(
    r"(?<![\d-])(?:\+?1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ ./-]{1,2})\d{3}[ .-]\d{4}(?!\d)(?:\s?(?:x|ext\.?)\s?\d{1,5})?",
    re.IGNORECASE,
)
_ID = re.compile(
    r"\b(?:MRN|MR\s?#|med(?:ical)?\s+rec(?:ord)?\s*(?:no\.?|number|#)|unit\s+(?:no\.?|number)|acc(?:oun)?t\.?\s*(?:no\.?|number|#)?"
    r"|account|SSN|social\s+security(?:\s+(?:no\.?|number))?|patient\s+id|pt\s+id|id\s*#|policy\s*(?:no\.?|number|#)|"
    r"member\s+id|insurance\s+(?:no\.?|number|id))\s*[:#]?\s*(?P<id>[A-Z]{0,3}-?\d[\dA-Z-]{3,})\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?P<age>(?:9\d|1[01]\d)(?:\.\d)?)(?=\s*(?:-\s*)?(?:y/?o\b|y\.o\.|yo\b|yrs?\b|years?\b|year-old|yr-old|-?yo\b))",
    re.IGNORECASE,
)
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_MONTH_DATE = re.compile(
    rf"\b{_MONTH}\.?,?\s+(?:of\s+)?(?:(?:19|20)\d{{2}}|'\d{{2}}|[0-3]?\d(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{{2}})?)"
    rf"|\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?:19|20)\d{{2}})?",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"\b(?:in|since|of|year)\s+(?P<year>19\d{2}|20[0-2]\d)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![\d-])(?:1[89]|2\d)\d{2}-(?:1[0-2]|0?[1-9])-(?:3[01]|[12]\d|0?[1-9])(?![\d-])")
_PHONE_GROUPS = re.compile(
    r"(?<![\d-])\(?\d{3}\)?[ -]\d{3}[ -]?\d{4,5}(?![\d-])|(?<![\d-])\d{3}[ -]\d{7}(?!\d)"
    r"|(?<![\d-])\d{3}[-/.]\s?\d{3}[-/.]\s?\d{4}(?!\d)"
)
_APOSTROPHE_YEAR = re.compile(r"(?<![\w'])'(?P<year>\d{2})(?![\w'])")
_PAGER = re.compile(
    r"\b(?:pager|beeper|pg|page|cell|tel|phone|ph|fax)\b\W{0,12}(?:(?:number|no)\W{0,3})?(?P<number>\d{4,5})(?!\d)",
    re.IGNORECASE,
)
_AGE_WORDS = re.compile(r"\bage[ds]?\s*:?\s*(?P<age>(?:9\d|1[01]\d))\b", re.IGNORECASE)


def rule_spans(text: str) -> list[RuleSpan]:
    """Sure-fire PHI spans, in text order (may overlap; the component resolves overlaps)."""
    found: list[RuleSpan] = []
    if "**" in text:
        found += [RuleSpan(m.start(), m.end(), "PLACEHOLDER") for m in PLACEHOLDER.finditer(text)]
    if "@" in text:
        found += [RuleSpan(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "URL") for m in _URL.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "ID") for m in _SSN.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _PHONE.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _PHONE_GROUPS.finditer(text)]
    found += [RuleSpan(m.start("number"), m.end("number"), "PHONE") for m in _PAGER.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _MONTH_DATE.finditer(text)]
    found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _YEAR_AFTER.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _ISO_DATE.finditer(text)]
    if "'" in text:
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _APOSTROPHE_YEAR.finditer(text)]
    found += [RuleSpan(m.start("id"), m.end("id"), "ID") for m in _ID.finditer(text)]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _AGE.finditer(text)]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _AGE_WORDS.finditer(text)]
    found.sort()
    return found
