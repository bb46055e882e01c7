"""Model DATE and PHONE spans that are other numbers: settings, fractions, exam grades, doses, ages, durations,
clock times, culture shares, and billing or product codes shaped like phone numbers.

:func:`number_no_date` (DATE), :func:`code_number` and :func:`short_number` (PHONE) are the number
filters of :func:`~medtext.pipeline.phi_filters.no_phi`.

Example:
    >>> number_no_date("weaned to PS 10/5 today", 13, 17), number_no_date("seen on 10/5 today", 8, 12)
    (True, False)
"""

from __future__ import annotations

import datetime as dt
import re

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
_PAIN_BEFORE = re.compile(r"(?i)(?:pain|cp|c/o|#|angina|discomfort|h/a|ha|rates?|score|level[ \t]+of)[^A-Za-z\n]{0,8}\Z")
_PAIN_AFTER = re.compile(r"(?i)[ \t]{0,2}(?:pain|cp|angina|discomfort|h/a|ha)\b")


# A number followed by a unit of volume, mass or dose is a measurement ("TOTAL IN 12345 ML"), never a date.
_DIGITS = re.compile(r"\d[\d,]*\Z")
_UNIT_AFTER = re.compile(r"(?i)[ \t]?(?:mls?|cc|l|mg|mcg|gm?|kg|units?|u|meq|mmol|mmhg)(?![A-Za-z])")
_CULTURE_AFTER = re.compile(r"(?i)[ \t]*(?:bottles?|blood|bl|bcx?|cultures?|sets?)(?![A-Za-z])")
_CULTURE_BEFORE = re.compile(r"(?i)(?:cx|cultures?|bottles?)[ \t:]*\Z")
_LONE_FOUR_DIGITS = re.compile(r"\d{4}\Z")
# A lone four-digit DATE outside these years is a clock time ("@2330", "since 0000") or a count.
_YEARS = (1900, dt.date.today().year + 1)


def number_no_date(text: str, start: int, end: int) -> bool:
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
    if _OUT_OF_TEN.match(text, start, end) and (_PAIN_BEFORE.search(text, max(0, start - 12), start) or _PAIN_AFTER.match(text, end)
                                                or _PAIN_WAS.search(text, max(0, start - 60), start)):
        return True
    return _ventilator_setting(text, start, end) or _measure_no_date(text, start, end)


# Dictated notes (MTSamples): exam grades, fractions, doses, ages and durations the model takes for dates.
_DOSE_PAIR = re.compile(r"\d{1,2}/\d{3}\Z|\d+/\d+\.\d\Z")  # "Vicodin 5/500", "Hyzaar 50/12.5" (not "11/21.93")
_SLASH_PAIR = re.compile(r"\d{1,2}/\d{1,2}\Z")
_SINGLE_PAIR = re.compile(r"\d/\d\Z")
_MIXED_BEFORE = re.compile(r"\d-\Z")  # "2-1/2-year-old", "38-1/2 weeks", "0-1/5"
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")  # "the distal 1/3rd", "41 and 1/7th weeks"
_MEASURE_AFTER = re.compile(r"(?i)[ \t]?(?:inch(?:es)?|mm|cm|mmhg|l|liters?|percent|mixture)(?![A-Za-z])")
# An exam grade (strength 4/5, reflexes 2/4, murmur 2/6, pupils 4/4, recall 2/3): a pair of single digits
# after or before a word of the exam on the same line.
_EXAM_WORDS = (r"reflex(?:es)?|strength|motor|power|pupils?|murmur|pulses?|grade|flexors?|extensors?|flexion|extension"
               r"|abductors?|adductors?|tibialis|peronei|dtrs?|biceps|triceps|patellae?|patellar|achilles|ankles?|bue|ble|ue|le"
               r"|sem|systolic|diastolic|recall|nodes|bilaterally|throughout|distally|proximally")
# only short words between the exam word and the grade ("Motor strength is 5/5", "hip flexion of 4/5")
_EXAM_GAP = r"(?:is|are|was|were|of|at|to|in|on|and|&|a|an|the|all|equal|grade|left|right|anterior|lymph|continuous|shunt|type|vibratory|early|soft|harsh|ejection)"
_EXAM_BEFORE = re.compile(rf"(?i)(?<![A-Za-z])(?:{_EXAM_WORDS})(?:[ \t:,+]+{_EXAM_GAP}){{0,3}}[ \t:,+]*\Z")
_EXAM_AFTER = re.compile(rf"(?i)[+-](?![A-Za-z0-9])|(?:[ \t,]+{_EXAM_GAP}){{0,4}}[ \t,]+(?:{_EXAM_WORDS})(?![A-Za-z])")
_SIGN_BEFORE = re.compile(r"[+-]\Z")
# A plain number after an age cue or before a unit of time or angle: "died at the age of 79", "for 18 years"
_NUMBER = re.compile(r"\d{1,3}\Z")
_AGE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:age[sd]?|aged)[ \t]*(?:of[ \t]*)?(?:about[ \t]*)?\Z")
_SPAN_UNIT_AFTER = re.compile(
    r"(?i)[ \t-]*(?:years?|yrs?|days?|weeks?|wks?|months?|mos?|hours?|hrs?|minutes?|mins?|degrees?|p\.?m\b|a\.?m\b|mm\b"
    r"|th[ \t]+percentile|percentile)(?![A-Za-z])")
_NUMBER_BEFORE = re.compile(r"(?i)(?:\#|(?:fever|temperature|temp)[ \t]+(?:of|was|is|to)?)[ \t]*\Z")
_PAIN_WAS = re.compile(r"(?i)(?<![A-Za-z])pain(?:[ \t]+(?:is|was|of|at|rated|level|score|now|has|had|decreased|increased|to"
                       r"|approximately|about|been))+[ \t]+\Z")
_DECADE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:in|into|his|her|their|early|mid|late)[ \t-]+\Z")
_MONTH_CONTEXT = re.compile(r"(?i)(?<![A-Za-z])(?:in|of|since|early|late|mid|until|by|from|on|last|next|this|through)[ \t-]*\Z")


def _measure_no_date(text: str, start: int, end: int) -> bool:
    """A model date of a dictated note that is a dose (``Vicodin 5/500``), a fraction (``2-1/2-year-old``, ``the
    distal 1/3rd``, ``5/8 inch``), an exam grade (``Motor strength is 5/5``, ``a 2/6 systolic murmur``, ``Pupils
    4/4``, ``Reflexes 3/3+``), an age, a decade of life or a duration (``at the age of 79``, ``in his 50s``, ``for
    18 years``, ``the 90th percentile``) or the verb ``may`` (``the patient may benefit``)."""
    span_text = text[start:end]
    if _DOSE_PAIR.match(span_text):
        return True
    if _SLASH_PAIR.match(span_text):
        if _MIXED_BEFORE.search(text, max(0, start - 2), start) or _ORDINAL_AFTER.match(text, end) or _MEASURE_AFTER.match(text, end):
            return True
        if _SINGLE_PAIR.match(span_text) and (_SIGN_BEFORE.search(text, max(0, start - 1), start)
                                              or _EXAM_BEFORE.search(text, max(0, start - 40), start) or _EXAM_AFTER.match(text, end)):
            return True
        return False
    if _NUMBER.match(span_text):
        if text[end : end + 1] == "s" and _DECADE_BEFORE.search(text, max(0, start - 12), start):  # "in his 50s"
            return int(span_text) < 90
        if _AGE_BEFORE.search(text, max(0, start - 16), start):
            return int(span_text) < 90  # an older age is PHI (AGE)
        return bool(_SPAN_UNIT_AFTER.match(text, end) or _NUMBER_BEFORE.search(text, max(0, start - 20), start))
    return span_text == "may" and not _MONTH_CONTEXT.search(text, max(0, start - 8), start) and not re.match(r"[ \t,]*\d", text[end : end + 4])


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


def code_number(text: str, start: int) -> bool:
    """A model phone number right after a code word: a billing, diagnosis or product code (``CPT 99213``,
    ``Lot # 4412A``), none of PhysioNet's phone numbers."""
    return bool(_CODE_BEFORE.search(text, max(0, start - 20), start))


# A pager or extension number has fewer than 7 digits only after a word that says so ("Pager #54321", "x45").
_SHORT_PHONE_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:pager|pgr|pg|beeper|beep|bpr|ext|extension|x|phone|ph|tel|telephone|cell|cellular|home|work|call|called"
    r"|reached|number|no|fax|page|paged)\b[^A-Za-z\n]{0,12}\Z")


def short_number(text: str, start: int, end: int) -> bool:
    """A model phone number of fewer than 7 digits, after no pager, extension or phone word, that is a procedure
    or diagnosis code: in parentheses (``decompression (63075, 63076)``), with a decimal point (``Cervicitis
    (616.0)``) or after a word ``code(s)`` (``PROCEDURE CODES: 64640``). A ZIP code (``City, STATE 12345``), a
    year or a date (``(9/94)``) stays."""
    span_text = text[start:end]
    if sum(c.isdigit() for c in span_text) >= 7 or _SHORT_PHONE_CUE.search(text, max(0, start - 40), start):
        return False
    if _DIAGNOSIS_CODE.fullmatch(span_text):
        return True
    return bool(_PROCEDURE_CODE.fullmatch(span_text)) and not (_YEARS[0] <= int(span_text) <= _YEARS[1]) \
        and bool(_IN_PARENTHESES.search(text, max(0, start - 40), start) or _CODES_BEFORE.search(text, max(0, start - 40), start))


_DIAGNOSIS_CODE = re.compile(r"\d{3}\.\d{1,2}")  # "Cervicitis (616.0)"
_PROCEDURE_CODE = re.compile(r"\d{3,6}")
_IN_PARENTHESES = re.compile(r"\((?:[ \t]*\d{3,5}[ \t]*,)*[ \t]*\Z")  # "(63075, " before the number
_CODES_BEFORE = re.compile(r"(?i)(?<![A-Za-z])codes?\b[^A-Za-z\n]{0,30}\Z")
