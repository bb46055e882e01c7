"""Read a date in the formats clinical notes use, and write another date the same way.

Example:
    >>> value, style = parse_date("7/23/97")
    >>> value.isoformat(), format_like(value.replace(day=24), style)
    ('1997-07-23', '7/24/97')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_FULL = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_DEFAULT_YEAR = 2000  # a leap year, so 2/29 parses; shifted m/d dates drop the year again

_MDY = re.compile(r"^(?P<m>\d{1,2})(?P<sep>[/.-])(?P<d>\d{1,2})(?:(?P=sep)(?P<y>\d{2}|\d{4}))?$")
_YMD = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_MY = re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{2}|\d{4})$")
_YEAR = re.compile(r"^(?P<q>')?(?P<y>\d{4}|\d{2})(?P<q2>')?$")
_DAY = re.compile(r"^(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)$", re.IGNORECASE)  # "the 11th"
_WEEKDAY = r"(?P<wd>(?P<wdname>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)(?P<wdsep>,?\s+))?"  # "Monday, " before a named-month date
_NAMED = re.compile(
    "^" + _WEEKDAY
    + r"(?P<mon>[A-Za-z]+\.?)(?P<sep>,?\s+(?:of\s+)?|[-/])(?:(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)?(?P<sep2>,?\s+)?)?(?P<y>\d{4})?$",
    re.IGNORECASE,
)
# day first: "5 March 2019", "02-Mar-2019", "5th of March", "3.Mar.19"
_DAY_NAMED = re.compile(
    "^" + _WEEKDAY
    + r"(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)?(?P<sep>\s+(?:of\s+)?|[-./])(?P<mon>[A-Za-z]+\.?)"
    r"(?:(?P<sep2>,?\s+|(?<![.])[-./]|(?<=[.]))(?P<y>\d{4}|\d{2}))?$",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Style:
    """How a date was written: its kind and the details needed to write another one alike."""

    kind: str  # mdy, ymd, my, year, named, day
    sep: str = "/"
    year_digits: int = 0  # 0: no year written
    pad: bool = False
    template: str = ""
    quote: str = ""
    sep2: str = " "
    ordinal: bool = False
    day_first: bool = False
    weekday: str = ""  # how a weekday before the date was written ("Monday", "Mon."), "" when none
    weekday_sep: str = ", "


def _year(text: str | None) -> tuple[int, int]:
    if not text:
        return _DEFAULT_YEAR, 0
    y = int(text)
    if len(text) == 2:
        y += 1900 if y >= 30 else 2000
    return y, len(text)


def _month(name: str) -> int | None:
    """1-12 for a month name written out or cut to at least three letters (``Sept.``), else None."""
    key = name.lower().rstrip(".")
    if len(key) < 3:
        return None
    for number, full in enumerate(_MONTH_FULL, 1):
        if full.startswith(key) or (key == "sept" and number == 9):
            return number
    return None


def parse_date(text: str) -> tuple[date, Style] | None:
    """(date, style) of a date string, or None when it is not a date we can read."""
    text = text.strip()
    for parse in (_parse_ymd, _parse_mdy, _parse_my, _parse_year, _parse_named, _parse_day_named, _parse_day):
        try:
            found = parse(text)
        except ValueError:
            continue
        if found is not None:
            return found
    return None


def _parse_ymd(text: str) -> tuple[date, Style] | None:
    if m := _YMD.match(text):
        return date(int(m["y"]), int(m["m"]), int(m["d"])), Style("ymd", "-", 4, pad=m["m"].startswith("0") or m["d"].startswith("0"))
    return None


def _parse_mdy(text: str) -> tuple[date, Style] | None:
    if m := _MDY.match(text):
        y, digits = _year(m["y"])
        pad = m["m"].startswith("0") or m["d"].startswith("0")
        return date(y, int(m["m"]), int(m["d"])), Style("mdy", m["sep"], digits, pad=pad)
    return None


def _parse_my(text: str) -> tuple[date, Style] | None:
    if m := _MY.match(text):
        y, digits = _year(m["y"])
        return date(y, int(m["m"]), 1), Style("my", "/", digits)
    return None


def _parse_year(text: str) -> tuple[date, Style] | None:
    if m := _YEAR.match(text):
        y, digits = _year(m["y"])
        if digits == 4 and not 1900 <= y <= 2100:
            return None
        return date(y, 1, 1), Style("year", year_digits=digits, quote="'" if m["q"] or m["q2"] else "")
    return None


def _weekday(name: str | None) -> bool:
    """Whether ``name`` is a weekday written out or cut to at least three letters (``Mon.``, ``Tues``)."""
    key = (name or "").lower().rstrip(".")
    return len(key) >= 3 and any(day.startswith(key) for day in _WEEKDAYS)


def _parse_named(text: str) -> tuple[date, Style] | None:
    m = _NAMED.match(text)
    if m is None or (m["wd"] and not _weekday(m["wdname"])):
        return None
    month = _month(m["mon"])
    if month is None or not (m["d"] or m["y"]):
        return None
    y, digits = _year(m["y"])
    day = int(m["d"]) if m["d"] else 1
    return date(y, month, day), Style("named", m["sep"], digits, template=m["mon"], sep2=m["sep2"] or " ",
                                      ordinal=bool(m["ord"]), pad=bool(m["d"]), weekday=m["wdname"] or "",
                                      weekday_sep=m["wdsep"] or ", ")


def _parse_day_named(text: str) -> tuple[date, Style] | None:
    """A day before a named month: ``5 March 2019``, ``02-Mar-2019``, ``5th of March``."""
    m = _DAY_NAMED.match(text)
    if m is None or (m["wd"] and not _weekday(m["wdname"])):
        return None
    month = _month(m["mon"])
    if month is None:
        return None
    y, digits = _year(m["y"])
    return date(y, month, int(m["d"])), Style("named", m["sep"], digits, pad=m["d"].startswith("0") and len(m["d"]) == 2,
                                              template=m["mon"], sep2=m["sep2"] or "", ordinal=bool(m["ord"]),
                                              day_first=True, weekday=m["wdname"] or "", weekday_sep=m["wdsep"] or ", ")


def _parse_day(text: str) -> tuple[date, Style] | None:
    """A day of the month alone (``11th``): read as a day of January of the default year."""
    if m := _DAY.match(text):
        return date(_DEFAULT_YEAR, 1, int(m["d"])), Style("day", ordinal=True, template=m["ord"])
    return None


def _ordinal(day: int) -> str:
    """``1`` -> ``st``, ``12`` -> ``th``, ``22`` -> ``nd``."""
    return {1: "st", 2: "nd", 3: "rd"}.get(day if day < 20 else day % 10, "th")


def _yy(value: date, digits: int) -> str:
    return f"{value.year % 100:02d}" if digits == 2 else f"{value.year:04d}"


def _named_like(template: str, name: str) -> str:
    """``name`` (a full month or weekday name) written as ``template`` was: cut, case, final period."""
    word = template.rstrip(".")
    if len(word) > 3 and (word.lower() in _MONTH_FULL or word.lower() in _WEEKDAYS):  # "May" reads as cut
        out = name
    else:  # an abbreviation: three letters ("Sept" for September only)
        out = "sept" if word.lower() == "sept" and name == "september" else name[:3]
    if word.isupper() and len(word) > 1:
        out = out.upper()
    elif word[:1].isupper():
        out = out.title()
    return out + ("." if template.endswith(".") and out != name else "")


def month_moved(word: str, months: int) -> str | None:
    """A month name moved by ``months``, written like ``word`` (``"Nov."``, 2 -> ``"Jan."``); None if no month.

    Example:
        >>> month_moved("MARCH", -1)
        'FEBRUARY'
    """
    month = _month(word)
    if month is None:
        return None
    return _named_like(word, _MONTH_FULL[(month - 1 + months) % 12])


def format_like(value: date, style: Style) -> str:
    """Write ``value`` as the original date was written."""
    if style.kind == "ymd":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if style.pad else f"{value.year:04d}-{value.month}-{value.day}"
    if style.kind == "mdy":
        md = f"{value.month:02d}{style.sep}{value.day:02d}" if style.pad else f"{value.month}{style.sep}{value.day}"
        return md + (style.sep + _yy(value, style.year_digits) if style.year_digits else "")
    if style.kind == "my":
        return f"{value.month}/{_yy(value, style.year_digits)}"
    if style.kind == "year":
        year = _yy(value, style.year_digits)
        return f"'{year}" if style.quote and style.year_digits == 2 else year
    if style.kind == "day":
        suffix = _ordinal(value.day)
        return f"{value.day}{suffix.upper() if style.template.isupper() else suffix}"
    weekday = _named_like(style.weekday, _WEEKDAYS[value.weekday()]) + style.weekday_sep if style.weekday else ""
    month = _named_like(style.template, _MONTH_FULL[value.month - 1])
    if style.day_first:
        day = f"{value.day:02d}" if style.pad else str(value.day)
        out = day + (_ordinal(value.day) if style.ordinal else "") + style.sep + month
        return weekday + out + (style.sep2 + _yy(value, style.year_digits) if style.year_digits else "")
    out = weekday + month
    if style.pad:
        suffix = _ordinal(value.day) if style.ordinal else ""
        out += style.sep + f"{value.day}{suffix}"
        if style.year_digits:
            out += style.sep2 + _yy(value, style.year_digits)
    elif style.year_digits:
        out += style.sep + _yy(value, style.year_digits)
    return out
