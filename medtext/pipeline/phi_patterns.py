"""Regular expressions of the ``phi`` component: units to classify, and sure-fire PHI.

Two jobs:

* :func:`units` cuts a text into the pieces the PHI model classifies: words
  (``O'Rourke``, ``García``: letters of any script with their combining marks), numbers, and date- or phone-shaped chunks (``7/23``,
  ``8/19/20``, ``410-555-9876``), each with a *kind*; punctuation is kept as
  context. Offsets are exact character offsets into the text.
* :func:`rule_spans` finds PHI that needs no model: de-identification
  placeholders, e-mail addresses, URLs, SSN-like numbers, full phone numbers,
  numbers after record/account cues, ISO dates, and ages over 89; and the
  identifiers of the HIPAA Safe Harbor list that have a cue word or a shape of
  their own (:func:`identifier_spans`): codes after SSN, licence, plate, VIN,
  serial, device, health-plan and other ID cues, international phone numbers,
  IP addresses, ZIP codes and postcodes, street addresses, P.O. boxes, dotted
  dates and bare web addresses. None of these is a feature of the model.

Example:
    >>> [(u.text, u.kind) for u in units("Seen 7/23 by DR. KAY")]
    [('Seen', 'WORD'), ('7/23', 'MD'), ('by', 'WORD'), ('DR', 'WORD'), ('.', 'PUNCT'), ('KAY', 'WORD')]
    >>> [(s.label, s.start, s.end) for s in rule_spans("Call 617-555-0199 or a@b.org")]
    [('PHONE', 5, 17), ('EMAIL', 21, 28)]
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_left
from itertools import pairwise
from typing import NamedTuple

from medtext.pipeline.phi_text import LETTER, MARK
from medtext.pipeline.phi_words import cue_starts, cue_words, word_starts


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
    # letters of any script and combining marks ("García", "Jose\u0301"); on ASCII text exactly [A-Za-z]
    ("WORD", rf"{LETTER}+(?:{MARK}+{LETTER}*)*(?:['\u2019]{LETTER}+(?:{MARK}+{LETTER}*)*)?"),
    ("NL", r"\n"),
    ("PUNCT", r"[^\sA-Za-z0-9]"),
)
_UNIT = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _UNIT_PARTS))
# Numbers glued to letters ("fx4/97", "WESTWING3") still start a unit of their own.
_BOUNDARY_OK = frozenset("WORD NL PUNCT".split())


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


# -- identifiers of the HIPAA Safe Harbor list: a cue word, or a shape no clinical value has --------------
# "SSN 123 45 6789", "DL D1234567", "License plate 7ABC123", "serial SN-4421-AB", "Medicare ID 1EG4-TE5-MK73",
# "NPI 1234567893": an identifying cue, an optional "no." / "number" / "#" / "ID", then one code with at least
# three digits (checked by _id_like). Cues that are ordinary words ("plate", "case", "study", "device") count
# only with "no." / "number" / "#" / "ID" after them.
_ID_CUE_WORDS = (
    r"ssn|ss[ \t]?\#|soc(?:ial)?\.?[ \t]+sec(?:urity)?\.?|driver'?s?[ \t]+licen[cs]e|licen[cs]e[ \t]+plate|licen[cs]e"
    r"|(?-i:DL)|dl(?=[ \t]*\#)|lic\.?[ \t]+plate|health[ \t]+plan|vin|vehicle[ \t]+id(?:entification)?|serial|s/n|(?-i:SN)(?=[ \t]*[\#:])|udi|npi|dea|upin|medicare|medicaid"
    r"|mbi|hicn|subscriber|beneficiary|passport|fingerprint|biometric|voice[ \t]?print|(?:iris|retina(?:l)?)[ \t]+scan"
    r"|accession|nhs|identifier|id"
    r"|(?:plate|lic|hospital|encounter|visit|case|study|specimen|employee|certificate|chart|record|device|claim|badge"
    r"|group|member)\.?"
    r"(?=[ \t]*(?:no\b|num|\#|id\b|identifier|ref))"
)
_ID_LINK = r"(?:[ \t]*(?:no\b\.?|num(?:ber)?\b\.?|\#|id\b|identifier\b|ref(?:erence)?\b\.?)){0,2}[ \t]*[:\#=]?[ \t]*"
_ID_CODE = r"\d{3}(?P<sep>[ .])\d{2}(?P=sep)\d{4}|\d{3}[ ]\d{3}[ ]\d{4}|(?:\(\d{2,4}\))?[A-Z0-9]+(?:-[A-Z0-9]+)*"
_CUED_ID = re.compile(
    rf"(?<![\w/-])(?:{_ID_CUE_WORDS})(?![A-Za-z0-9]){_ID_LINK}(?P<id>{_ID_CODE})(?![\w-]|\.\w)", re.IGNORECASE
)
# The words a match of _CUED_ID starts with (lower case; the pattern checks the rest); "s/n" is looked for apart
# (its first word, "s", starts too many words).
_CUED_ID_WORDS = (
    "ssn", "ss", "soc", "social", "driver", "drivers", "licence", "license", "lic", "dl", "vin", "vehicle", "serial",
    "sn", "udi", "npi", "dea", "upin", "medicare", "medicaid", "mbi", "hicn", "subscriber", "beneficiary", "passport",
    "fingerprint", "biometric", "voice", "voiceprint", "iris", "retina", "retinal", "accession", "nhs", "identifier", "id",
    "plate", "hospital", "encounter", "visit", "case", "study", "specimen", "employee", "certificate", "chart", "record",
    "device", "claim", "badge", "group", "health", "member",
)
_MIN_ID_DIGITS = 3
# A phone number with a country code ("+44 20 7946 0958", "+33 1 42 68 53 00"), or after a phone word a national
# number with a trunk zero ("tel 020 7946 0958"): 8 to 15 digits in all (checked by _phone_like).
_INTL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]\d{1,8}){1,6}(?![\w]|[.-]\d)")
_TRUNK_PHONE = re.compile(
    r"\b(?:phone|telephone|tel|cell|mobile|fax|pager)\b\.?(?:[ \t]*(?:no\b\.?|number|\#))?[ \t]*[:\#]?[ \t]*"
    r"(?P<number>\(?0\d{1,4}\)?(?:[ .-]\d{2,5}){1,5})(?![\w]|[.-]\d)",
    re.IGNORECASE,
)
_TRUNK_PHONE_WORDS = ("phone", "telephone", "tel", "cell", "mobile", "fax", "pager")
_PHONE_DIGITS = (8, 15)
# An IP address (HIPAA lists them with web addresses: label URL): four dotted numbers 0-255, no blood gas
# ("80/48/7.45.34.7": after a slash, or a pH of 6.xx or 7.xx first); an IPv6 address
# written compressed ("2001:db8::8a2e:370:7334") or in full, checked by the ipaddress module.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w./])(?![67]\.\d\d\.){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]|\.\d)")
_MIN_IPV6_GROUPS = 3
# A ZIP code after a state (", IL 62704", ", Massachusetts 02115-5804") or a ZIP cue ("zip code: 90210"); a UK
# postcode ("SW1A 1AA"; not "C5 6TH": an ordinal); a Canadian one ("M5V 2T6"); a post-office box.
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA"
    "|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAMES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois"
    "|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri"
    "|montana|nebraska|nevada|new[ \t]+hampshire|new[ \t]+jersey|new[ \t]+mexico|new[ \t]+york|north[ \t]+carolina"
    "|north[ \t]+dakota|ohio|oklahoma|oregon|pennsylvania|rhode[ \t]+island|south[ \t]+carolina|south[ \t]+dakota"
    "|tennessee|texas|utah|vermont|virginia|washington|west[ \t]+virginia|wisconsin|wyoming"
)
_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
_BEFORE_ZIP = re.compile(
    rf"(?:,[ \t]*(?:(?:{_STATES})\.?|(?i:{_STATE_NAMES})),?|(?i:\b(?:zip|zip[ \t]?code|postal[ \t]+code|post[ \t]?code)\b)[ \t]*[:\#]?)"
    r"[ \t]{0,2}\Z"
)
_POSTCODE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?[ ]\d(?!ST\b|ND\b|RD\b|TH\b)[ABD-HJLNP-UW-Z]{2}"
    r"|[A-Z]\d[A-Z][ ]\d[A-Z]\d)(?![\w-])"
)
_PO_BOX = re.compile(r"(?<![\w.])p\.?[ \t]?o\.?[ \t]*box[ \t]*\#?[ \t]*\d{1,6}(?![\w-])", re.IGNORECASE)
# A date with dots and a four-digit year ("07.02.1948").
_DOTTED_DATE = re.compile(r"(?<![\d.])(?:3[01]|[12]\d|0?[1-9])\.(?:3[01]|[12]\d|0?[1-9])\.(?:19|20)\d{2}(?!\d|\.\d)")
# A street address: house number, one to three capitalised words, a street word, maybe an apartment
# ("1423 Maple Grove Rd, Apt 4B", "77 Sunset Boulevard", "12 HARROW STREET"); "Dr" is left out (the title).
_STREET_WORDS = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Court|Ct|Way|Place|Pl|Terrace|Circle|Highway|Hwy"
    r"|Parkway|Pkwy|STREET|AVENUE|AVE|ROAD|BOULEVARD|BLVD|LANE)"
)
_STREET_BYTES = frozenset(
    b"street st avenue ave road rd boulevard blvd lane ln drive court ct way place pl terrace circle highway hwy parkway pkwy".split()
)
_ADDRESS = re.compile(
    rf"(?<![\w/.:,-])\d{{1,5}}[A-Za-z]?[ \t]+(?:(?:[A-Z][a-z]+|[A-Z]{{2,}})[ \t]+){{1,3}}{_STREET_WORDS}(?![A-Za-z])\.?"
    r"(?:,?[ \t]*(?:Apt|Apartment|Unit|Suite|Ste|APT|UNIT|SUITE)\.?[ \t]*\#?[ \t]*[A-Za-z0-9-]{1,6}(?![\w-]))?"
)
# A web address without "http" or "www" ("patientportal.example.com/jdoe").
_BARE_URL = re.compile(
    r"(?<![\w@./-])(?:[A-Za-z0-9-]{2,}\.)+(?:com|org|net|edu|gov|info)(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?(?![\w@-])",
    re.IGNORECASE,
)
_TLDS = (".com", ".org", ".net", ".edu", ".gov", ".info")


def _id_like(code: str) -> bool:
    """A code of at least three digits and four characters: no short count (``serial 3``, ``ID 12-lead``)."""
    return sum(ch.isdigit() for ch in code) >= _MIN_ID_DIGITS and len(code) >= 4


def _phone_like(number: str) -> bool:
    """Between 8 and 15 digits (a full international number)."""
    return _PHONE_DIGITS[0] <= sum(ch.isdigit() for ch in number) <= _PHONE_DIGITS[1]


def _ipv6_like(address: str) -> bool:
    """A valid IPv6 address with at least three written groups (no clock time: ``10:30::``)."""
    if sum(1 for group in address.split(":") if group) < _MIN_IPV6_GROUPS:
        return False
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return True


def _ipv6_spans(text: str, fast: bool = False) -> list[RuleSpan]:
    """IPv6 addresses; only tried when the text has ``::`` or seven colons. ``fast``: only where a match can
    start (up to four characters before two colons with at most four hex digits between them)."""
    if "::" not in text and text.count(":") < 7:
        return []
    matches = _scan(_IPV6, text, _ipv6_starts(text)) if fast else _IPV6.finditer(text)
    return [RuleSpan(m.start(), m.end(), "URL") for m in matches if _ipv6_like(m.group())]


_HEX = frozenset("0123456789abcdefABCDEF")


def _ipv6_starts(text: str) -> list[int]:
    """Where ``_IPV6`` can start: up to four characters before a colon followed, after at most four hex digits,
    by another colon."""
    colons = _positions(text, ":")
    out = []
    for first, second in pairwise(colons):
        if second - first <= 5 and all(ch in _HEX for ch in text[first + 1 : second]):
            out += range(max(0, first - 4), first + 1)
    return out


def _zip_spans(text: str, fives: list[int]) -> list[RuleSpan]:
    """ZIP codes (LOCATION) among the five-digit runs starting at ``fives``: after ``, ST``, a state's name or a
    ZIP cue."""
    out = []
    for start in fives:
        m = _ZIP.match(text, start)
        if m and _BEFORE_ZIP.search(text, max(0, start - 24), start):
            out.append(RuleSpan(start, m.end(), "LOCATION"))
    return out


def identifier_spans_plain(text: str) -> list[RuleSpan]:
    """The identifier rules above over the whole text (see :func:`identifier_spans`)."""
    found = [RuleSpan(m.start("id"), m.end("id"), "ID") for m in _CUED_ID.finditer(text) if _id_like(m.group("id"))]
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _INTL_PHONE.finditer(text) if _phone_like(m.group())]
    found += [RuleSpan(m.start("number"), m.end("number"), "PHONE") for m in _TRUNK_PHONE.finditer(text)
              if _phone_like(m.group("number"))]
    found += [RuleSpan(m.start(), m.end(), "URL") for m in _IPV4.finditer(text)]
    found += _ipv6_spans(text)
    found += _zip_spans(text, [m.start() for m in _ZIP.finditer(text)])
    found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _POSTCODE.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _PO_BOX.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _DOTTED_DATE.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _ADDRESS.finditer(text)]
    found += [RuleSpan(m.start(), m.end(), "URL") for m in _BARE_URL.finditer(text) if _web_address(m.group())]
    return found


def identifier_spans(text: str, low: str, runs: list[tuple[int, int]]) -> list[RuleSpan]:
    """:func:`identifier_spans_plain` of an ASCII text with digits, less :func:`web_spans`, each rule tried only
    where a match can start.
    ``low``: the text in lower case; ``runs``: (start, end) of its digit runs."""
    words = cue_words(text)
    starts = cue_starts(low, words, _CUED_ID_WORDS)
    if b"s" in words and "s/n" in low:
        starts += word_starts(low, ("s/n",))
    found = [RuleSpan(m.start("id"), m.end("id"), "ID")
             for m in _scan(_CUED_ID, text, starts) if _id_like(m.group("id"))]
    if "+" in text:
        found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _scan(_INTL_PHONE, text, _positions(text, "+"))
                  if _phone_like(m.group())]
    found += [RuleSpan(m.start("number"), m.end("number"), "PHONE")
              for m in _scan(_TRUNK_PHONE, text, cue_starts(low, words, _TRUNK_PHONE_WORDS))
              if _phone_like(m.group("number"))]
    dotted = [start for start, end in runs if end - start <= 3 and text[end : end + 1] == "."]
    if dotted:
        found += [RuleSpan(m.start(), m.end(), "URL") for m in _scan(_IPV4, text, dotted)]
        found += [RuleSpan(m.start(), m.end(), "DATE") for m in _scan(_DOTTED_DATE, text, dotted)]
    found += _zip_spans(text, [start for start, end in runs if end - start == 5])
    found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _scan(_POSTCODE, text, _postcode_starts(text, runs))]
    if "box" in low:
        found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _scan(_PO_BOX, text, word_starts(low, ("p",)))]
    if words & _STREET_BYTES:
        found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in _scan(_ADDRESS, text, _house_numbers(text, runs))]
    return found


def _house_numbers(text: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where ``_ADDRESS`` can start: a run of at most five digits, maybe one letter, then a space or tab."""
    out = []
    for start, end in runs:
        if end - start <= 5:
            after = text[end : end + 1]
            if after in (" ", "\t") or after.isalpha() and text[end + 1 : end + 2] in (" ", "\t"):
                out.append(start)
    return out


def web_spans(text: str, low: str) -> list[RuleSpan]:
    """Web addresses without ``http`` or ``www`` and IPv6 addresses (they need no digit). ``low``: the text in
    lower case."""
    found = _ipv6_spans(text, fast=True)
    if any(tld in low for tld in _TLDS):
        found += [RuleSpan(m.start(), m.end(), "URL") for m in _BARE_URL.finditer(text) if _web_address(m.group())]
    return found


def _web_address(found: str) -> bool:
    """A bare domain with a path, or one written in one case (``mychart.example.org``; not the name of a site,
    ``ClinicalTrials.gov``)."""
    domain, slash, _ = found.partition("/")
    return bool(slash) or domain.islower() or domain.isupper()


def _postcode_starts(text: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where a postcode can start: the one or two capitals right before a digit run."""
    out = []
    for start, _ in runs:
        if start and "A" <= text[start - 1] <= "Z":
            out.append(start - 1)
            if start > 1 and "A" <= text[start - 2] <= "Z":
                out.append(start - 2)
    return out


_DIGIT_RUN = re.compile(r"[0-9]+")
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
    Non-ASCII texts take the plain path (case-insensitive matching there is more than ``lower``).

    Example:
        >>> [(s.label, s.start) for s in rule_spans("MRN: 00123456, seen March 3")]
        [('ID', 5), ('DATE', 20)]
    """
    if not text.isascii():
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
                  for m in _scan(_MONTH_ALONE, text, _word_before_starts(low, months))]
        found += [RuleSpan(m.start("month"), m.end("month"), "DATE") for m in _scan(_MONTH_OF_YEAR, text, months)]
        found += [RuleSpan(m.start("month"), m.end("month"), "DATE")
                  for m in _scan(_MONTH_JOINED, text, _joined_month_starts(low, months))]
    runs = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)]
    if not runs:  # every other rule needs a digit
        return sorted(set(found))
    # digit runs a rule can start at, by length ("123-45-6789" starts with a run of exactly three)
    three = [start for start, end in runs if end - start == 3]
    short = [start for start, end in runs if end - start <= 2]
    parens = _positions(text, "(")
    found += [RuleSpan(m.start(), m.end(), "ID") for m in _scan(_SSN, text, three)]
    ones = [start for start, end in runs if end - start == 1 and text[start] == "1"]  # "+1 617 ..." without the "+"
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _scan(_PHONE, text, three + ones + parens + _positions(text, "+"))]
    found += [RuleSpan(m.start(), m.end(), "PHONE") for m in _scan(_PHONE_GROUPS, text, three + parens)]
    if any(4 <= end - start <= 5 for start, end in runs):
        found += [RuleSpan(m.start("number"), m.end("number"), "PHONE")
                  for m in _scan(_PAGER, text, _keywords(low, _PAGER_STARTS))]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _scan(_MONTH_DATE, text, short + months)]
    if months:  # every form has a month's name: it starts the match, or a number right before it does
        found += [RuleSpan(m.start(), m.end(), "DATE") for m in _scan(_NAMED_DATE, text, _named_date_starts(low, months, runs))]
    found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _scan(_YEAR_AFTER, text, _year_word_starts(text, runs))]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _scan(_ISO_DATE, text, [start for start, end in runs if end - start == 4])]
    if "'" in text:
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE") for m in _scan(_APOSTROPHE_YEAR, text, _positions(text, "'"))]
        found += [RuleSpan(m.start("year"), m.end("year"), "DATE")
                  for m in _scan(_YEAR_APOSTROPHE, text, [start for start, end in runs if end - start == 2])]
    if short:
        found += [RuleSpan(m.start("day"), m.end("day"), "DATE") for m in _scan(_ORDINAL_DAY, text, _ordinal_day_starts(low, short))]
    found += [RuleSpan(m.start(), m.end(), "DATE")
              for m in _scan(_LATE_YEAR, text, [start for start, end in runs if end - start == 4 and text[start : start + 3] in _LATE_19])]
    found += [RuleSpan(m.start("id"), m.end("id"), "ID") for m in _scan(_ID, text, _keywords(low, _ID_STARTS))]
    found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _scan(_AGE, text, short + three)]
    if "age" in low:
        found += [RuleSpan(m.start("age"), m.end("age"), "AGE") for m in _scan(_AGE_WORDS, text, _keywords(low, ("age",)))]
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


def _scan(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, given every position where a match can start (a superset, any order)."""
    out = []
    end = -1
    match = pattern.match
    for pos in sorted(set(starts)):
        if pos >= end:
            m = match(text, pos)
            if m:
                out.append(m)
                end = m.end()
    return out


def _positions(text: str, needle: str) -> list[int]:
    out = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _keywords(low: str, words: tuple[str, ...]) -> list[int]:
    out: list[int] = []
    for word in words:
        out += _positions(low, word)
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
