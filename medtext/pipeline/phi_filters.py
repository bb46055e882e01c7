"""Model PHI spans that are no PHI, whatever the model's score: settings, fractions and clock times shaped
like dates, billing and product codes shaped like phone numbers, eponymous devices, the pupil exam, drug
names, lone letters, and words never PHI on their own.

The PHI component (``medtext.pipeline.phi.combine``) drops a model or propagated span when
:func:`no_phi` holds; rule and user spans are not filtered.

Example:
    >>> no_phi("weaned to PS 10/5 today", 13, 17, "DATE")
    True
    >>> no_phi("seen on 10/5 today", 8, 12, "DATE")
    False
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from medtext.pipeline.phi_lexicons import drug_words, lexicons


def no_phi(text: str, start: int, end: int, label: str) -> bool:
    """Whether the model span ``text[start:end]`` labelled ``label`` is no PHI."""
    span_text = text[start:end]
    lex = lexicons()
    if _only_never_words(span_text, lex):
        return True
    if label == "DATE":
        return _number_no_date(text, start, end)
    if label == "PHONE":
        return _code_number(text, start)
    if label not in ("NAME", "LOCATION"):
        return False
    if _only_drug_words(span_text, lex) or _eponym_device(text, start, end) or _eponym_condition(text, start, end):
        return True
    return label == "NAME" and (_lone_letter(text, start, end) or _pupil_exam(text, start, end))


# Pressure pairs such as "PS 10/5", "CPAP 5/5 ... breaths", "1/2 strength": no date, whatever the model says.
_SETTING_BEFORE = frozenset("bipap cpap ps psv peep imv simv ventilation vent settings setting ac tv".split())
_SETTING_AFTER = frozenset("breath breaths strength abg vt vts volumes".split())
_DAY_MONTH = re.compile(r"\d{1,2}/\d{1,2}\Z")
_LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z\n]{0,6}\Z")
_FIRST_WORD = re.compile(r"[^A-Za-z\n]{0,6}([A-Za-z]+)")


_FRACTION = re.compile(r"(?:1/[234]|2/3|3/4)\Z")
_WHOLE_BEFORE = re.compile(r"\d[ \t]\Z")  # "1 1/2 hours"
_FRACTION_OF = re.compile(
    r"(?i)[ \t]*(?:hours?|hrs?|amps?|str(?:ength)?|st|of|up|u|units?|tabs?|tablets?|cups?|nph|ns|cc|ml|inch(?:es)?|in|way)(?![A-Za-z])")
_DECIMAL_AFTER = re.compile(r"\.\d")  # "co/ci 6/2.8": the day is a number's integer part
_OUT_OF_TEN = re.compile(r"\d{1,2}(?:-\d{1,2})?/10\Z")
_PAIN_BEFORE = re.compile(r"(?i)(?:pain|cp|c/o|#|angina|discomfort|h/a|ha|rates?|score)[^A-Za-z\n]{0,8}\Z")
_PAIN_AFTER = re.compile(r"(?i)[ \t]{0,2}(?:pain|cp|angina|discomfort|h/a|ha)\b")


# A number followed by a unit of volume, mass or dose is a measurement ("TOTAL IN 12345 ML"), never a date.
_DIGITS = re.compile(r"\d[\d,]*\Z")
_UNIT_AFTER = re.compile(r"(?i)[ \t]?(?:mls?|cc|l|mg|mcg|gm?|kg|units?|u|meq|mmol|mmhg)(?![A-Za-z])")
_CULTURE_AFTER = re.compile(r"(?i)[ \t]*(?:bottles?|blood|bl|bcx?|cultures?|sets?)(?![A-Za-z])")
_CULTURE_BEFORE = re.compile(r"(?i)(?:cx|cultures?|bottles?)[ \t:]*\Z")
_LONE_FOUR_DIGITS = re.compile(r"\d{4}\Z")
# A lone four-digit DATE outside these years is a clock time ("@2330", "since 0000") or a count.
_YEARS = (1900, dt.date.today().year + 1)


def _number_no_date(text: str, start: int, end: int) -> bool:
    """A date-shaped model span that is a setting, a fraction, a pain score, a percentage, a decimal, a share of
    blood cultures, a clock time or a measurement: ``PS 10/5``, ``1 1/2 hours``, ``3/4 strength``, ``c/o 5/10
    pain``, ``SIMV 10/5/40%``, ``co/ci 6/2.8``, ``2/4 bottles``, ``@2330``, ``12345 ML`` (none is a date in
    PhysioNet's gold). A
    fraction-shaped date alone (``CABG 3/4``) and a year (``CABG 1992``) stay dates."""
    if text[end : end + 1] == "%" or _DECIMAL_AFTER.match(text, end):
        return True
    if _DIGITS.match(text, start, end) and _UNIT_AFTER.match(text, end):
        return True
    if _LONE_FOUR_DIGITS.match(text, start, end) and not _YEARS[0] <= int(text[start:end]) <= _YEARS[1]:
        return True
    if _culture_share(text, start, end):
        return True
    if _FRACTION.match(text, start, end) and (_WHOLE_BEFORE.search(text, max(0, start - 2), start) or _FRACTION_OF.match(text, end)):
        return True
    if _OUT_OF_TEN.match(text, start, end) and (_PAIN_BEFORE.search(text, max(0, start - 12), start) or _PAIN_AFTER.match(text, end)):
        return True
    return _ventilator_setting(text, start, end)


def _culture_share(text: str, start: int, end: int) -> bool:
    """``2/4 bottles``, ``1/4 blood cultures``, ``blood cx 2/4``: positive cultures out of at most four."""
    parts = text[start:end].split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 0 < int(parts[0]) <= int(parts[1]) <= 4:
        return False
    return bool(_CULTURE_AFTER.match(text, end) or _CULTURE_BEFORE.search(text, max(0, start - 14), start))


def _ventilator_setting(text: str, start: int, end: int) -> bool:
    """A day/month-shaped model DATE right after a ventilator word or right before ``breaths``/``strength``."""
    if not _DAY_MONTH.match(text, start, end):
        return False
    before = _LAST_WORD.search(text, max(0, start - 24), start)
    if before and before.group(1).lower() in _SETTING_BEFORE:
        return True
    after = _FIRST_WORD.match(text, end)
    return bool(after and after.group(1).lower() in _SETTING_AFTER)


# A billing or product code is no phone number: "CPT 99213", "ICD-9 4280", "Lot # 4412A", "model #4470".
_CODE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:cpt|icd(?:-?(?:9|10)(?:-cm)?)?|hcpcs|drg|ndc|loinc|lot|model|product|cat(?:alog)?)"
                          r"[ \t]*(?:(?:no\b\.?|number|code|\#)[ \t]*)?[:\#]?[ \t]*\Z")


def _code_number(text: str, start: int) -> bool:
    """A model phone number right after a code word: a billing, diagnosis or product code (``CPT 99213``,
    ``Lot # 4412A``), none of PhysioNet's phone numbers."""
    return bool(_CODE_BEFORE.search(text, max(0, start - 20), start))


# Eponymous devices and foods: "Quinton cath", "Passy Muir valve", "Douglas pouch", "ginger ale", "ADA diet".
_DEVICE_AFTER = re.compile(
    r"(?i)[ \t-]{1,2}(?:(?:muir|bennett|ganz|pratt)[ \t-]{1,2})?(?:cath|catheters?|valve|vent|ventilator|drains?|tubes?|pouch|ale|beer|diet|stokes?|oint(?:ment)?|sauce)"
    r"(?![A-Za-z])(?![ \t]+lab)")
_TITLE_BEFORE = re.compile(r"(?i)(?:dr|mr|mrs|ms|miss|prof|rn|md)\.?[ \t]+\Z")
# The pupil exam ("PEARL", "PERLA": pupils equal and reactive to light), misspelt into a first name.
_PUPIL_WORDS = frozenset("pearl perla perl perrl perrla".split())
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")


def _after_title(text: str, start: int) -> bool:
    """A title (``Dr.``, ``Mrs``, ``RN``) right before ``start``: what follows is a person."""
    return bool(_TITLE_BEFORE.search(text, max(0, start - 6), start))


def _eponym_device(text: str, start: int, end: int) -> bool:
    """A model name or place right before a device or food word, and after no title: ``Quinton cath``,
    ``Passey muir valve``, ``puritan bennett vent``, ``DOUGLAS POUCH``, ``ginger ale`` (never PHI in PhysioNet's
    gold; ``GH cath lab`` is a place, so ``lab`` after the word keeps the span)."""
    return bool(_DEVICE_AFTER.match(text, end)) and not _after_title(text, start)


# Eponymous diseases, signs, tests and procedures: "Hodgkin lymphoma", "Crohn's disease", "Bell palsy",
# "Guillain-Barre syndrome", "Babinski sign", "Glasgow coma scale", "Nissen fundoplication".
_CONDITION_AFTER = re.compile(
    r"(?:[ \t-][A-Z][^\W\d_]*){0,2}"  # more eponyms: "Guillain-Barre", "Wolff-Parkinson-White"
    r"(?i:(?:'s?)?[ \t-]{1,2}(?:(?:coma|pain|outcome)[ \t]+)?"
    r"(?:disease|diseases|syndrome|lymphoma|sarcoma|palsy|sign|signs|phenomenon|reflex|test|maneuver|manoeuvre"
    r"|fracture|procedure|operation|fundoplication|repair|score|scale|criteria|classification|ulcer|tear|hernia"
    r"|node|nodes|cyst|tumou?r|an(?:a)?emia|encephalopathy|aneurysm|thyroiditis|contracture|esophagus|triad"
    r"|disorder|dystrophy|ataxia|angina|arthritis|pouch|diverticulum|block|incision|position|tube)"
    r"(?![A-Za-z]))")


def _eponym_condition(text: str, start: int, end: int) -> bool:
    """A model name or place right before a disease, sign, test or procedure word, and after no title:
    ``Hodgkin lymphoma``, ``Crohn's disease``, ``Bell palsy``, ``Babinski sign``, ``Glasgow coma scale``
    (the eponym of a condition is no person; ``Dr. Bell test results`` keeps the title's name)."""
    return bool(_CONDITION_AFTER.match(text, end)) and not _after_title(text, start)


def _pupil_exam(text: str, start: int, end: int) -> bool:
    """``MAE, PEARL.``: a one-word model name that is a spelling of the pupil exam, with no title before it and
    no capitalised word (a surname) after it."""
    if text[start:end].lower() not in _PUPIL_WORDS or _after_title(text, start):
        return False
    return _CAPITALISED_AFTER.match(text, end) is None


def _lone_letter(text: str, start: int, end: int) -> bool:
    """A one-letter model name that is no initial: without a full stop after it (``W DAUGHTER``, ``PT'S``,
    ``S/P``; an initial before a surname, ``J SMITH``, joins the surname's span anyway) or continuing a
    dotted abbreviation (the ``M`` of ``A.M.``, the ``N`` of ``R.N.``)."""
    if end - start != 1:
        return False
    return text[end : end + 1] != "." or start >= 2 and text[start - 1] == "." and text[start - 2].isalpha()


def _only_drug_words(span_text: str, lex: Any) -> bool:
    """Every word a drug name (``Motrin``, ``Natrecor``) and none a Census name (``Allegra`` stays)."""
    drugs = drug_words()
    return _every_word(span_text, lambda w: w in drugs and not (lex.first_rank(w) or lex.surname_rank(w)))


def _only_never_words(span_text: str, lex: Any) -> bool:
    return _every_word(span_text, lex.never_phi)


def _every_word(span_text: str, test: Any) -> bool:
    """The span has words (lower case) and ``test`` holds for each."""
    words = re.findall(r"[A-Za-z]+", span_text.lower())
    return bool(words) and all(map(test, words))
