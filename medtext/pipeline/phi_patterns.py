"""Regular expressions of the ``phi`` component: units to classify, and sure-fire PHI.

Two jobs, each in its own module and imported from here too:

* :func:`units` (:mod:`phi_units`) cuts a text into the pieces the PHI model classifies: words
  (``O'Rourke``, ``García``: letters of any script with their combining marks), numbers, and date- or phone-shaped chunks (``7/23``,
  ``8/19/20``, ``410-555-9876``), each with a *kind*; punctuation is kept as
  context. Offsets are exact character offsets into the text.
* :func:`rule_spans` finds PHI that needs no model: de-identification
  placeholders, e-mail addresses, URLs, SSN-like numbers, full phone numbers,
  numbers after record/account cues, ISO dates, and ages over 89; and the
  identifiers of the HIPAA Safe Harbor list that have a cue word or a shape of
  their own (:func:`identifier_spans`, :mod:`phi_identifiers`): codes after SSN, licence, plate, VIN,
  serial, device, health-plan and other ID cues, international phone numbers,
  IP addresses, ZIP codes and postcodes, street addresses, P.O. boxes, dotted
  dates and bare web addresses. None of these is a feature of the model. This module
  holds the rules other than the identifiers.

Example:
    >>> [(u.text, u.kind) for u in units("Seen 7/23 by DR. KAY")]
    [('Seen', 'WORD'), ('7/23', 'MD'), ('by', 'WORD'), ('DR', 'WORD'), ('.', 'PUNCT'), ('KAY', 'WORD')]
    >>> [(s.label, s.start, s.end) for s in rule_spans("Call 617-555-0199 or a@b.org")]
    [('PHONE', 5, 17), ('EMAIL', 21, 28)]
"""

from __future__ import annotations

import re
from bisect import bisect_left

from medtext.pipeline.phi_identifiers import identifier_spans, identifier_spans_plain, web_spans
from medtext.pipeline.phi_rule_scan import RuleSpan, find_all, scan_at
from medtext.pipeline.phi_units import Unit, split_space, unit_kind_at, unit_strings, units
from medtext.pipeline.phi_words import CASE_FOLDS_TO_ASCII

__all__ = [
    "PLACEHOLDER", "RuleSpan", "Unit", "identifier_spans", "identifier_spans_plain", "rule_spans", "rule_spans_plain",
    "split_space", "unit_kind_at", "unit_strings", "units", "web_spans",
]

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
# A date with the month's name between dashes, slashes, dots or spaces, and a year: "02-Mar-2019", "2 Mar. 2019",
# "02-MAR-19" (a two-digit year after the same dash, slash or dot twice), "Mar-02-2019", "2019-Mar-02", "Mar-2019",
# "02-Mar" ("may" only as "May" / "MAY" there: "2-may" is no date).
_SEP = r"(?:[ \t]{0,2}[-/.][ \t]{0,2}|[ \t]{1,3})"
_NAMED_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_NAMED_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"{_NAMED_DAY}(?:st|nd|rd|th)?{_SEP}{_MONTH}\.?,?{_SEP}(?:(?:19|20)\d{{2}}|'\d{{2}})"
    rf"|{_NAMED_DAY}(?P<a>[-/.]){_MONTH}(?P=a)\d{{2}}"
    rf"|{_MONTH}\.?{_SEP}{_NAMED_DAY}(?:st|nd|rd|th)?,?{_SEP}(?:(?:19|20)\d{{2}}|'\d{{2}})"
    rf"|{_MONTH}(?P<b>[-/.]){_NAMED_DAY}(?P=b)\d{{2}}"
    rf"|(?:19|20)\d{{2}}(?P<c>[ \t]{{0,2}}[-/.][ \t]{{0,2}}){_MONTH}(?P=c){_NAMED_DAY}"
    rf"|{_MONTH}[-/.](?:19|20)\d{{2}}"
    rf"|{_NAMED_DAY}[-/.](?:(?!may\b){_MONTH}|(?-i:May|MAY))"
    rf")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"\b(?:in|since|of|year)\s+(?P<year>19\d{2}|20[0-2]\d)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![\d-])(?:1[89]|2\d)\d{2}-(?:1[0-2]|0?[1-9])-(?:3[01]|[12]\d|0?[1-9])(?![\d-])")
_PHONE_GROUPS = re.compile(
    r"(?<![\d-])\(?\d{3}\)?[ -]\d{3}[ -]?\d{4,5}(?![\d-])|(?<![\d-])\d{3}[ -]\d{7}(?!\d)"
    r"|(?<![\d-])\d{3}[-/.]\s?\d{3}[-/.]\s?\d{4}(?!\d)"
)
_APOSTROPHE_YEAR = re.compile(r"(?<![\w'])'(?P<year>\d{2})(?![\w'])")
# "KNEE REPLACEMENT 71'": a two-digit year with the apostrophe after it
_YEAR_APOSTROPHE = re.compile(r"(?<![\w'.])(?P<year>\d{2})'(?![\w'])")
# a month named alone after a preposition ("admitted in sept.", "since Nov"; not "may": "in may be")
_MONTH_ALONE = re.compile(
    rf"\b(?:in|since|during|of|last|next|this|early|late|mid|until|till|through|throughout|from|by)[ \t]{{1,2}}"
    rf"(?P<month>(?!may\b){_MONTH})\b(?![ \t]+(?:[0-3]?\d\b|of\b|'\d)|['\u2019])",
    re.IGNORECASE,
)
# a month named alone after "mid-" / "early-" / "late-" or after another month and a dash or "and", "to", "through"
# after a preposition ("in mid-June", "in the December-January timeframe", "the month of November and December")
_MONTH_JOINED = re.compile(
    rf"(?:\b(?:mid|early|late)-|\b(?:in|of|from|between|since|during|until|through|throughout|over)[ \t]{{1,2}}(?:the[ \t]{{1,2}})?"
    rf"{_MONTH}[ \t]*(?:-|and|to|through|or)[ \t]*)(?P<month>(?!may\b){_MONTH})\b(?![ \t]+(?:[0-3]?\d\b|of\b|'\d)|['\u2019])",
    re.IGNORECASE,
)
# a month named before "of this year" and the like ("a biopsy June of this year"; June is also a first name)
_MONTH_OF_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\.?[ \t]+of[ \t]+(?:this|last|next|that|the[ \t]+(?:same|following|previous|prior))[ \t]+year\b",
    re.IGNORECASE,
)
# a day of the month alone: "drawn on the 11th.", "since the 3rd, ..." (not "on the 2nd attempt")
_ORDINAL_DAY = re.compile(
    r"\b(?:on|since|from|until|till|by|before|after)[ \t]the[ \t](?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
    r"(?=[ \t]*(?:[.,;:)]|\n|\Z|(?:of|at|in)\b))",
    re.IGNORECASE,
)
# a year 1960-1999 standing alone (no clock time can read 19:60 or later)
_LATE_YEAR = re.compile(r"(?<![\d/.:-])19[6-9]\d(?![\d/.:-])")
_PAGER = re.compile(
    r"\b(?:pager|beeper|pg|page|cell|tel|phone|ph|fax)\b\W{0,12}(?:(?:number|no)\W{0,3})?(?P<number>\d{4,5})(?!\d)",
    re.IGNORECASE,
)
_AGE_WORDS = re.compile(r"\bage[ds]?\s*:?\s*(?P<age>(?:9\d|1[01]\d))\b", re.IGNORECASE)


_DIGIT_RUN = re.compile(r"[0-9]+")
# What makes the fast path inexact on a non-ASCII text: a non-ASCII decimal digit (\d, not [0-9]), or one of the
# four letters case-insensitive matching takes for ASCII ones (CASE_FOLDS_TO_ASCII). Without them \s is
# str.isspace and \w holds every str.isalpha as well (checked over every code point).
_NOT_FAST = re.compile(f"[{CASE_FOLDS_TO_ASCII}]|[^\\D0-9]")
# Where a match of each keyword rule can start (IGNORECASE; checked on the lower-cased ASCII text).
_ID_STARTS = ("mr", "med", "unit", "acc", "ssn", "social", "patient", "pt", "id", "policy", "member", "insurance")
_PAGER_STARTS = ("pag", "beeper", "pg", "cell", "tel", "ph", "fax")
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR_WORD_LENGTHS = (2, 4, 5)  # in/of, year, since
_LATE_19 = ("196", "197", "198", "199")


def rule_spans(text: str) -> list[RuleSpan]:
    """Sure-fire PHI spans, in text order, each once (may overlap; the component resolves overlaps).

    Same spans as running every rule over the whole text (:func:`rule_spans_plain`), but each
    rule is only tried where one of its matches can start: at a digit run, a keyword, a ``(``.
    A non-ASCII text takes the plain path only if it holds a non-ASCII decimal digit (``\\d`` that no
    ``[0-9]`` run sees) or one of the four letters ``İ ı ſ K`` (``lower`` changes the length of ``İ``;
    case-insensitive matching takes the four for ASCII letters): a ``°`` or ``µ`` keeps the fast path.

    Example:
        >>> [(s.label, s.start) for s in rule_spans("MRN: 00123456, seen March 3")]
        [('ID', 5), ('DATE', 20)]
    """
    if not text.isascii() and _NOT_FAST.search(text):
        return rule_spans_plain(text)
    found: list[RuleSpan] = []
    if "**" in text:
        found += [RuleSpan(m.start(), m.end(), "PLACEHOLDER") for m in PLACEHOLDER.finditer(text)]
    if "@" in text:
        found += [RuleSpan(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    low = text.lower()
    if "://" in text or "www." in low:
        found += [RuleSpan(m.start(), m.end(), "URL") for m in _URL.finditer(text)]
    found += web_spans(text, low)
    months = _keywords(low, _MONTH_STARTS)
    if months:
        found += [RuleSpan(m.start("month"), m.end("month"), "DATE")
                  for m in scan_at(_MONTH_ALONE, text, _word_before_starts(low, months))]
        found += [RuleSpan(m.start("month"), m.end("month"), "DATE") for m in scan_at(_MONTH_OF_YEAR, text, months)]
        found += [RuleSpan(m.start("month"), m.end("month"), "DATE")
                  for m in scan_at(_MONTH_JOINED, text, _joined_month_starts(low, months))]
    runs = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)]
    if not runs:  # every other rule needs a digit
        return sorted(set(found))
    # digit runs a rule can start at, by length ("123-45-6789" starts with a run of exactly three)
    three = [start for start, end in runs if end - start == 3]
    short = [start for start, end in runs if end - start <= 2]
    parens = find_all(text, "(")
    found += [RuleSpan(m.start(), m.end(), "ID") for m in scan_at(_SSN, text, three)]
    ones = [start for start, end in runs if end - start == 1 and text[start] == "1"]  # "+1 617 ..." without the "+"
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in scan_at(_PHONE, text, three + ones + parens + find_all(text, "+"))]
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in scan_at(_PHONE_GROUPS, text, three + parens)]
    if any(4 <= end - start <= 5 for start, end in runs):
        found += [RuleSpan(m.start("number"), m.end("number"), "PHONE")
                  for m in scan_at(_PAGER, text, _keywords(low, _PAGER_STARTS))]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in scan_at(_MONTH_DATE, text, short + months)]
    if months:  # every form has a month's name: it starts the match, or a number right before it does
        found += [RuleSpan(m.start(), m.end(), "DATE") for m in scan_at(_NAMED_DATE, text, _named_date_starts(low, months, runs))]
    found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in scan_at(_YEAR_AFTER, text, _year_word_starts(text, runs))]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in scan_at(_ISO_DATE, text, [start for start, end in runs if end - start == 4])]
    if "'" in text:
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in scan_at(_APOSTROPHE_YEAR, text, find_all(text, "'"))]
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE")
                  for m in scan_at(_YEAR_APOSTROPHE, text, [start for start, end in runs if end - start == 2])]
    if short:
        found += [RuleSpan(m.start("day"), m.end("day"), "DATE") for m in scan_at(_ORDINAL_DAY, text, _ordinal_day_starts(low, short))]
    found += [RuleSpan(m.start(), m.end(), "DATE")
              for m in scan_at(_LATE_YEAR, text, [start for start, end in runs if end - start == 4 and text[start : start + 3] in _LATE_19])]
    found += [RuleSpan(m.start("id"), m.end("id"), "ID") for m in scan_at(_ID, text, _keywords(low, _ID_STARTS))]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in scan_at(_AGE, text, short + three)]
    if "age" in low:
        found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in scan_at(_AGE_WORDS, text, _keywords(low, ("age",)))]
    found += identifier_spans(text, low, runs)
    return sorted(set(found))  # two rules may find the same span


def _named_date_starts(low: str, months: list[int], runs: list[tuple[int, int]]) -> list[int]:
    """Where ``_NAMED_DATE`` can start: a month keyword at the start of a word, or a digit run ending at most
    8 characters before one ("2nd - Mar", "2019-Mar")."""
    ends = [end for _, end in runs]
    out = []
    for at in months:
        if at and low[at - 1].isalpha():
            continue
        out.append(at)
        i = bisect_left(ends, at - 8)
        while i < len(ends) and ends[i] <= at:
            out.append(runs[i][0])
            i += 1
    return out


def _keywords(low: str, words: tuple[str, ...]) -> list[int]:
    out: list[int] = []
    for word in words:
        out += find_all(low, word)
    return out


def _joined_month_starts(low: str, months: list[int]) -> list[int]:
    """Where ``_MONTH_JOINED`` can start: ``mid-``/``early-``/``late-`` right before a month keyword, or
    the word (or two words) before an earlier month (``in December-January``, ``of November and December``)."""
    out = [at - len(w) for at in months for w in ("mid-", "late-", "early-") if at >= len(w) and low.startswith(w, at - len(w))]
    before = _word_before_starts(low, months)  # "in December-January", "in the December-January"
    return out + before + _word_before_starts(low, before)


def _word_before_starts(low: str, positions: list[int]) -> list[int]:
    """Start of the word right before each position that follows one or two spaces or tabs (``in  sept``)."""
    out = []
    for at in positions:
        space = at
        while space > at - 2 and space and low[space - 1] in " \t":
            space -= 1
        if space < at:
            start = space
            while start and low[start - 1].isalpha():
                start -= 1
            if start < space:
                out.append(start)
    return out


_ORDINAL_ENDS = ("st", "nd", "rd", "th")


def _ordinal_day_starts(low: str, short: list[int]) -> list[int]:
    """Where ``_ORDINAL_DAY`` can start: the word before ``the`` right before a one- or two-digit ordinal
    (``on the 11th``)."""
    out = []
    for start in short:
        end = start + 1 if start + 1 == len(low) or not low[start + 1].isdigit() else start + 2
        if low[end : end + 2] in _ORDINAL_ENDS and start >= 5 and low[start - 4 : start - 1] == "the" and low[start - 1] in " \t":
            out += _word_before_starts(low, [start - 4])
    return out


def _year_word_starts(text: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where ``_YEAR_AFTER`` can start: a year word, then the whitespace right before a 19xx/20xx digit run."""
    out = []
    for start, end in runs:
        if end - start == 4 and text[start : start + 2] in ("19", "20"):
            space = start
            while space and text[space - 1].isspace():
                space -= 1
            if space < start:
                out += [space - n for n in _YEAR_WORD_LENGTHS if space >= n]
    return out


def rule_spans_plain(text: str) -> list[RuleSpan]:
    """:func:`rule_spans` the straightforward way: every rule over the whole text."""
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
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _NAMED_DATE.finditer(text)]
    found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _YEAR_AFTER.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _ISO_DATE.finditer(text)]
    if "'" in text:
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _APOSTROPHE_YEAR.finditer(text)]
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _YEAR_APOSTROPHE.finditer(text)]
    found += [RuleSpan(m.start("month"), m.end("month"), "DATE") for m in _MONTH_ALONE.finditer(text)]
    found += [RuleSpan(m.start("month"), m.end("month"), "DATE") for m in _MONTH_OF_YEAR.finditer(text)]
    found += [RuleSpan(m.start("month"), m.end("month"), "DATE") for m in _MONTH_JOINED.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _LATE_YEAR.finditer(text)]
    found += [RuleSpan(m.start("day"), m.end("day"), "DATE") for m in _ORDINAL_DAY.finditer(text)]
    found += [RuleSpan(m.start("id"), m.end("id"), "ID") for m in _ID.finditer(text)]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _AGE.finditer(text)]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _AGE_WORDS.finditer(text)]
    found += identifier_spans_plain(text)
    return sorted(set(found))  # two rules may find the same span
