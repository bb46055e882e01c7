"""Identifiers of the HIPAA Safe Harbor list that have a cue word or a shape of their own.

:func:`identifier_spans` finds codes after SSN, licence, plate, VIN, serial, device, health-plan and
other ID cues, international phone numbers, IP addresses, ZIP codes and postcodes, street addresses,
P.O. boxes and dotted dates; :func:`web_spans` bare web addresses and IPv6 addresses.
:func:`identifier_spans_plain` is the same over the whole text, for checking the fast path.

Example:
    >>> [(s.label, s.start, s.end) for s in identifier_spans_plain("SSN 123 45 6789; lives at 12 Elm Street")]
    [('ID', 4, 15), ('LOCATION', 26, 39)]
"""

from __future__ import annotations

import ipaddress
import re
from itertools import pairwise

from medtext.pipeline.phi_rule_scan import RuleSpan, find_all, scan_at
from medtext.pipeline.phi_words import ascii_words, cue_starts, cue_words, word_starts

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
    matches = scan_at(_IPV6, text, _ipv6_starts(text)) if fast else _IPV6.finditer(text)
    return [RuleSpan(m.start(), m.end(), "URL") for m in matches if _ipv6_like(m.group())]


_HEX = frozenset("0123456789abcdefABCDEF")


def _ipv6_starts(text: str) -> list[int]:
    """Where ``_IPV6`` can start: up to four characters before a colon followed, after at most four hex digits,
    by another colon."""
    colons = find_all(text, ":")
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
    """:func:`identifier_spans_plain` of a text with digits, less :func:`web_spans`, each rule tried only
    where a match can start (exact if ``low`` has the text's offsets and no non-ASCII character matches a
    cue's letters; see :func:`~medtext.pipeline.phi_patterns.rule_spans`).
    ``low``: the text in lower case; ``runs``: (start, end) of its digit runs."""
    # a cue has no word character before it: in a non-ASCII text "“SSN" counts, so split at non-ASCII too
    words = cue_words(text) if text.isascii() else ascii_words(low)
    starts = cue_starts(low, words, _CUED_ID_WORDS)
    if b"s" in words and "s/n" in low:
        starts += word_starts(low, ("s/n",))
    found = [RuleSpan(m.start("id"), m.end("id"), "ID")
             for m in scan_at(_CUED_ID, text, starts) if _id_like(m.group("id"))]
    if "+" in text:
        found += [RuleSpan(m.start(), m.end(), "PHONE") for m in scan_at(_INTL_PHONE, text, find_all(text, "+"))
                  if _phone_like(m.group())]
    found += [RuleSpan(m.start("number"), m.end("number"), "PHONE")
              for m in scan_at(_TRUNK_PHONE, text, cue_starts(low, words, _TRUNK_PHONE_WORDS))
              if _phone_like(m.group("number"))]
    dotted = [start for start, end in runs if end - start <= 3 and text[end : end + 1] == "."]
    if dotted:
        found += [RuleSpan(m.start(), m.end(), "URL") for m in scan_at(_IPV4, text, dotted)]
        found += [RuleSpan(m.start(), m.end(), "DATE") for m in scan_at(_DOTTED_DATE, text, dotted)]
    found += _zip_spans(text, [start for start, end in runs if end - start == 5])
    found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in scan_at(_POSTCODE, text, _postcode_starts(text, runs))]
    if "box" in low:
        found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in scan_at(_PO_BOX, text, word_starts(low, ("p",)))]
    if words & _STREET_BYTES or _street_word_before_digits(text, runs):
        found += [RuleSpan(m.start(), m.end(), "LOCATION") for m in scan_at(_ADDRESS, text, _house_numbers(text, runs))]
    return found


def _street_word_before_digits(text: str, runs: list[tuple[int, int]]) -> bool:
    """Whether a street word runs into digits (``Street2``): ``_ADDRESS`` ends a street word at any non-letter,
    but the text's words (:func:`~medtext.pipeline.phi_words.cue_words`) keep letters and digits together."""
    for start, _ in runs:
        begin = start
        while begin and text[begin - 1].isascii() and text[begin - 1].isalpha():
            begin -= 1
        if begin < start and text[begin:start].lower().encode("ascii") in _STREET_BYTES:
            return True
    return False


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
