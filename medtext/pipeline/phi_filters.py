"""Model PHI spans that are no PHI, whatever the model's score: settings, fractions, exam grades, doses, ages,
durations and clock times shaped like dates, billing and product codes shaped like phone numbers, eponymous
devices, instruments and brands (:mod:`phi_eponyms`), the pupil exam, drug names, lone letters, lower-case
everyday words, unnamed hospitals, and words never PHI on their own.

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
from functools import lru_cache
from typing import Any

from medtext.pipeline.abbreviation_definitions import find_definitions
from medtext.pipeline.phi_eponyms import COMMON_SURNAME_RANK, after_title, eponym_span, letter_words, noun_after, person_before
from medtext.pipeline.phi_lexicons import drug_words, lexicons, world_places


def no_phi(text: str, start: int, end: int, label: str) -> bool:
    """Whether the model span ``text[start:end]`` labelled ``label`` is no PHI."""
    span_text = text[start:end]
    lex = lexicons()
    if _only_never_words(span_text, lex):
        return True
    if label == "DATE":
        return _number_no_date(text, start, end)
    if label == "PHONE":
        return _code_number(text, start) or _short_number(text, start, end)
    if label not in ("NAME", "LOCATION", "HOSPITAL"):
        return False
    if label != "HOSPITAL" and _of_no_phi(text, start, end, label):
        return True
    if label == "HOSPITAL":
        return _no_facility(text, start, end)
    if label == "LOCATION" and _no_facility(text, start, end):
        return True
    if _every_word(span_text, _TITLES.__contains__):  # "Mrs" of "Mrs. Goldberg" (the name has its own span)
        return True
    if _country(text, start, end, label):
        return True
    if _only_drug_words(span_text, lex) or _eponym_device(text, start, end) or _eponym_condition(text, start, end) \
            or eponym_span(text, start, end) or _listed_drug(text, start, end, lex) or _eponym_in_note(text, start, end):
        return True
    if _capitalised_word(text, start, end, label, lex):
        return True
    if _defined_abbreviation(text, start, end) or _long_form_term(text, start, end, lex) or _dosed_or_imaged(text, start, end):
        return True
    return label == "NAME" and (_lone_letter(text, start, end) or _pupil_exam(text, start, end) or _lower_case_word(text, start, end, lex)
                                or _letter_word(text, start, end) or _word_shaped(text, start, end, lex)
                                or _lower_case_in_cased_note(text, start, end) or _capitals_abbreviation(text, start, end)
                                or _month_in_list(text, start, end))


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


def _code_number(text: str, start: int) -> bool:
    """A model phone number right after a code word: a billing, diagnosis or product code (``CPT 99213``,
    ``Lot # 4412A``), none of PhysioNet's phone numbers."""
    return bool(_CODE_BEFORE.search(text, max(0, start - 20), start))


# A pager or extension number has fewer than 7 digits only after a word that says so ("Pager #54321", "x45").
_SHORT_PHONE_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:pager|pgr|pg|beeper|beep|bpr|ext|extension|x|phone|ph|tel|telephone|cell|cellular|home|work|call|called"
    r"|reached|number|no|fax|page|paged)\b[^A-Za-z\n]{0,12}\Z")


def _short_number(text: str, start: int, end: int) -> bool:
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


# Eponymous devices and foods: "Quinton cath", "Passy Muir valve", "Douglas pouch", "ginger ale", "ADA diet".
_DEVICE_AFTER = re.compile(
    r"(?i)[ \t-]{1,2}(?:(?:muir|bennett|ganz|pratt)[ \t-]{1,2})?(?:cath|catheters?|valve|vent|ventilator|drains?|tubes?|pouch|ale|beer|diet|stokes?|oint(?:ment)?|sauce)"
    r"(?![A-Za-z])(?![ \t]+lab)")
# The pupil exam ("PEARL", "PERLA": pupils equal and reactive to light), misspelt into a first name.
_PUPIL_WORDS = frozenset("pearl perla perl perrl perrla".split())
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")


def _eponym_device(text: str, start: int, end: int) -> bool:
    """A model name or place right before a device or food word, and after no title: ``Quinton cath``,
    ``Passey muir valve``, ``puritan bennett vent``, ``DOUGLAS POUCH``, ``ginger ale`` (never PHI in PhysioNet's
    gold; ``GH cath lab`` is a place, so ``lab`` after the word keeps the span)."""
    return bool(_DEVICE_AFTER.match(text, end)) and not after_title(text, start)


# Eponymous diseases, signs, tests and procedures: "Hodgkin lymphoma", "Crohn's disease", "Bell palsy",
# "Guillain-Barre syndrome", "Babinski sign", "Glasgow coma scale", "Nissen fundoplication".
_CONDITION_AFTER = re.compile(
    r"(?:[ \t-][A-Z][^\W\d_]*){0,2}"  # more eponyms: "Guillain-Barre", "Wolff-Parkinson-White"
    r"(?i:(?:'s?)?[ \t-]{1,2}(?:(?:coma|pain|outcome)[ \t]+)?"
    r"(?:disease|diseases|syndrome|lymphoma|sarcoma|palsy|sign|signs|phenomenon|reflex|test|maneuver|manoeuvre"
    r"|fracture|procedure|operation|fundoplication|repair|score|scale|criteria|classification|ulcer|tear|hernia"
    r"|node|nodes|cyst|tumou?r|an(?:a)?emia|encephalopathy|aneurysm|thyroiditis|contracture|esophagus|triad"
    r"|disorder|dystrophy|ataxia|angina|arthritis|pouch|diverticulum|block|incision|position|tube|variant|shunt)"
    r"(?![A-Za-z]))")


def _eponym_condition(text: str, start: int, end: int) -> bool:
    """A model name or place right before a disease, sign, test or procedure word, and after no title:
    ``Hodgkin lymphoma``, ``Crohn's disease``, ``Bell palsy``, ``Babinski sign``, ``Glasgow coma scale``
    (the eponym of a condition is no person; ``Dr. Bell test results`` keeps the title's name)."""
    return bool(_CONDITION_AFTER.match(text, end)) and not after_title(text, start)


_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]{2,}")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _eponym_in_note(text: str, start: int, end: int) -> bool:
    """A model name or place, after no title or word before a person, whose every capitalised word the same note
    also writes, after no title, as an eponym (before a device, procedure or condition word): ``the right Quellin``
    in a note that has ``Quellin shunt``, ``atypical Guillain-Barre`` beside ``Guillain-Barre syndrome``. A note that
    writes a person's name and the eponym alike (``Dr. Quellin``) keeps the mentions after a title.

    Example:
        >>> _eponym_in_note("A Quellin shunt was made. Flow in the right Quellin is good.", 44, 51)
        True
    """
    if after_title(text, start) or person_before(text, start):
        return False
    words = _CAPITALISED_WORD.findall(text, start, end)
    if not words or len(words) > 3:
        return False
    eponyms = _note_eponyms(text)
    for word in set(words):
        # mentions of one word never overlap, so at most a few of them lie inside the span
        if not any(not (at < end and start < at + len(word)) for at in eponyms.mentions(word)):
            return False
    return True


class _NoteEponyms:
    """Where a note writes each capitalised word as a whole word, and which of those mentions are eponyms
    (after no title, before a condition, device or procedure word). Found once per note and word, so that a
    long note that repeats its names does not make every name span search the whole note again (quadratic:
    a 130 KB note of repeated names took 19 s).

    Example:
        >>> _NoteEponyms("Quellin shunt; Quellins, xQuellin; Dr. Quellin; the Quellin").mentions("Quellin")
        [0]
    """

    def __init__(self, text: str):
        self.text = text
        self.where: dict[str, list[int]] = {}
        for m in _WHOLE_CAPITALISED_WORD.finditer(text):
            self.where.setdefault(m.group(), []).append(m.start())
        self.found: dict[str, list[int]] = {}

    def mentions(self, word: str) -> list[int]:
        """The starts of ``word``'s eponym mentions (``word`` is ``[A-Z][a-z]{2,}``), in note order."""
        found = self.found.get(word)
        if found is None:
            text, size = self.text, len(word)
            found = [at for at in self.where.get(word, ()) if not after_title(text, at)
                     and (_eponym_condition(text, at, at + size) or _eponym_device(text, at, at + size) or noun_after(text, at + size))]
            self.found[word] = found
        return found


# A capitalised word with no ASCII letter on either side (a word of _CAPITALISED_WORD standing whole).
_WHOLE_CAPITALISED_WORD = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{2,}(?![A-Za-z])")


@lru_cache(maxsize=4)
def _note_eponyms(text: str) -> _NoteEponyms:
    """The :class:`_NoteEponyms` of the last few notes asked about."""
    return _NoteEponyms(text)


def _pupil_exam(text: str, start: int, end: int) -> bool:
    """``MAE, PEARL.``: a one-word model name that is a spelling of the pupil exam, with no title before it and
    no capitalised word (a surname) after it."""
    if text[start:end].lower() not in _PUPIL_WORDS or after_title(text, start):
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
    """Every word never PHI, also in the plural (``on Tuesdays and Thursdays``)."""
    return _every_word(span_text, lambda w: lex.never_phi(w) or w.endswith("s") and lex.never_phi(w[:-1]))


def _every_word(span_text: str, test: Any) -> bool:
    """The span has words (lower case) and ``test`` holds for each."""
    words = re.findall(r"[A-Za-z]+", span_text.lower())
    return bool(words) and all(map(test, words))


_TITLES = frozenset("mr mrs ms miss dr drs".split())
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def _country(text: str, start: int, end: int, label: str) -> bool:
    """A model place or name that is a country (``born in Munich, Germany``, ``moved to the United States``):
    larger than a state, no PHI (HIPAA Safe Harbor); the town beside it stays. A name that is also a Census name
    (``Jordan``, ``Georgia``) or follows a title stays a name."""
    span_text = text[start:end]
    if not span_text[:1].isupper() or after_title(text, start):
        return False
    if label == "NAME" and not _TOWN_COMMA_BEFORE.search(text, max(0, start - 40), start):  # "Nairobi, Kenya" is the country
        lex = lexicons()
        if any(lex.first_rank(w) or lex.surname_rank(w) for w in re.findall(r"[a-z]+", span_text.lower())):
            return False
    name = " ".join(span_text.lower().split())
    countries = world_places().countries
    if name in countries:
        return True
    m = _NEXT_WORD.match(text, end)
    return bool(m and m.group(1)[:1].isupper() and f"{name} {m.group(1).lower()}" in countries)


# "Nairobi, Kenya": a capitalised town and a comma before a country that is also a Census name
_TOWN_COMMA_BEFORE = re.compile(r"(?<![A-Za-z])(?:in|from|to|of|near|at|visiting)[ \t]+[A-Z][A-Za-z'-]+(?:[ \t][A-Z][A-Za-z'-]+)?,[ \t]*\Z")

_OF_START = re.compile(r"of[ \t]+")


def _of_no_phi(text: str, start: int, end: int, label: str) -> bool:
    """A model place starting with a lower-case ``of`` whose rest is no PHI: a drug, an eponym, a lower-case
    word (``of Fragmin``, ``of Vater``, ``of eligibility``)."""
    m = _OF_START.match(text, start, end)
    if not m:
        return False
    rest = m.end()
    return text[rest:end].islower() or no_phi(text, rest, end, label)


_FUNCTION_WORDS = frozenset("a an the of to at in our his her their".split())
_FACILITY_WORD = re.compile(r"(?i)hospital|hosp|clinic|center|centre|home|rehab|facility")


def _no_facility(text: str, start: int, end: int) -> bool:
    """A model HOSPITAL (or LOCATION) written in lower case whose other words are ordinary (written in lower case in
    clinical text): ``an outside hospital``, ``the nearest hospital``, ``of a hospital`` (no named facility); a
    lower-case LOCATION without a facility word only when its words are everyday words (``outside``)."""
    span_text = text[start:end]
    if not span_text.islower():
        return False
    lex = lexicons()
    words = re.findall(r"[a-z]+", span_text)
    if not any(_FACILITY_WORD.fullmatch(w) for w in words):  # a lower-case place alone: only everyday words ("outside")
        return all(w in _FUNCTION_WORDS or lex.common_count(w) >= _LOWER_COMMON_LIMIT for w in words)
    return all(w in _FUNCTION_WORDS or _FACILITY_WORD.fullmatch(w) or lex.common_count(w) > 0 for w in words)


# A lower-case model name made only of words written in lower case this often in clinical text is a word
# ("frank blood", "LFTs rose", "the patient may benefit"), not a person.
_LOWER_COMMON_LIMIT = 20


def _lower_case_word(text: str, start: int, end: int, lex: Any) -> bool:
    """A model NAME written in lower case, after no title, whose every word is an everyday word of clinical text
    (``frank necrosis``, ``the patient may``, ``i.e. walker``; ``dr small`` stays a name)."""
    span_text = text[start:end]
    return span_text.islower() and not after_title(text, start) \
        and _every_word(span_text, lambda w: lex.common_count(w) >= _LOWER_COMMON_LIMIT)


def _letter_word(text: str, start: int, end: int) -> bool:
    """A word of a letter (``letter_words.tsv``): a closing (``Sincerely,``, ``Thanks to Dr. X``) or a salutation
    before a capitalised addressee or a title (``Dear Dr. XYZ:``, ``Dear Sample Doctor``)."""
    kind = letter_words().get(text[start:end].lower())
    if kind is None or after_title(text, start):
        return False
    return kind == "closing" or bool(_CAPITALISED_AFTER.match(text, end))


# English word endings that a name of a person rarely has ("Emphasis", "Edition", "Kindness", "Assessment").
_WORD_SUFFIXES = ("tion", "sion", "ness", "ment", "ity", "sis", "ance", "ence", "ism", "ous", "ive", "able", "ible", "ful", "less",
                  "ology", "ologist", "ly")  # "Nephrology", "Otolaryngologist", "Historically"


def _word_shaped(text: str, start: int, end: int, lex: Any) -> bool:
    """A one-word model name written with a capital, after no title, that no Census list knows and that ends like an
    English word (``Emphasis was placed``, ``2nd Edition``), with no capitalised word (a surname) after it."""
    word = text[start:end]
    lower = word.lower()
    if not word.isalpha() or not word[0].isupper() or not lower.endswith(_WORD_SUFFIXES) or after_title(text, start):
        return False
    return not (lex.first_rank(lower) or lex.surname_rank(lower)) and not _CAPITALISED_AFTER.match(text, end)


# A capitalised model name or place that is written in lower case this often in clinical text, and is no Census first
# name nor a common surname, is a word at the start of a sentence or a heading ("returned to Anesthesia").
_CAPITALISED_COMMON_LIMIT = 50


def _capitalised_word(text: str, start: int, end: int, label: str, lex: Any) -> bool:
    """One capitalised word, after no title and without a capitalised word on either side, written in lower case
    at least 50 times in clinical text, no Census first name, no surname ranked up to 10,000 and no place name:
    ``returned to Anesthesia``, ``admitted to Labor and Delivery`` (``Dr. Labor`` stays)."""
    word = text[start:end]
    lower = word.lower()
    if not word.isalpha() or not word[0].isupper() or word.isupper() or after_title(text, start):
        return False
    if lex.common_count(lower) < _CAPITALISED_COMMON_LIMIT or lex.first_rank(lower) or 0 < lex.surname_rank(lower) <= COMMON_SURNAME_RANK:
        return False
    if lex.is_place(lower) or world_places().town_population(lower):
        return False
    return not (_CAPITALISED_AFTER.match(text, end) or _CAPITALISED_BEFORE.search(text, max(0, start - 30), start))


_CAPITALISED_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+[ \t]+\Z")
# A drug in a list of drugs or after a word of taking it: "Advair and Allegra", "Lipitor, Pulmicort, Allegra",
# "tried Allegra", "instead of Allegra" (Allegra is also a Census first name).
_DRUG_NEIGHBOUR_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)(?:,[ \t]*|[ \t]+(?:and|or|&)[ \t]+|,[ \t]*(?:and|or)[ \t]+)\Z")
_DRUG_NEIGHBOUR_AFTER = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|or|&)[ \t]+)([A-Za-z]+)")
_TAKING_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:tried|try|takes?|taking|took|started|start|using|used|uses|use|prescribed|stopped|stop"
                            r"|continue|continued|discontinued|instead[ \t]+of|allergic[ \t]+to|the|of)[ \t]+\Z")


def _listed_drug(text: str, start: int, end: int, lex: Any) -> bool:
    """A one-word drug name, also a Census name, next to another drug in a list or after a word of taking it or an
    article: ``Advair and Allegra``, ``Lipitor, Pulmicort, Allegra``, ``She tried Allegra``, ``the Allegra may have``
    (``Allegra called`` stays)."""
    word = text[start:end].lower()
    drugs = drug_words()
    if word not in drugs or after_title(text, start):
        return False
    if _TAKING_BEFORE.search(text, max(0, start - 16), start):
        return True
    before = _DRUG_NEIGHBOUR_BEFORE.search(text, max(0, start - 40), start)
    after = _DRUG_NEIGHBOUR_AFTER.match(text, end)
    return any(m and m.group(1).lower() in drugs and not (lex.first_rank(m.group(1).lower()) or lex.surname_rank(m.group(1).lower()))
               for m in (before, after))


_PARENTHESES = re.compile(r"\(([A-Z][A-Z-]{1,9})\)")
# How far back the long form of a short form in parentheses may start.
_DEFINITION_WINDOW = 160


def _defined_abbreviation(text: str, start: int, end: int) -> bool:
    """A model name or place in capitals, alone in parentheses, that the abbreviation finder defines by the
    words before it (a short form after its long form): ``Assessment Battery (NAB)``, ``Delis-Kaplan Executive
    Function System (DKEFS)`` (``(SMITH)`` after other words stays).

    Example:
        >>> _defined_abbreviation("Neuropsychological Assessment Battery (NAB), then", 39, 42)
        True
    """
    m = _PARENTHESES.match(text, start - 1) if start else None
    if not m or m.start(1) != start or m.end(1) != end:
        return False
    window = max(0, start - _DEFINITION_WINDOW)
    return any(d.short_start + window == start and d.short_end + window == end
               for d in find_definitions(text[window : m.end()]))


# The long form of a short form defined right after it ("Auditory Verbal Trigrams (AVT)") names a test, a scale or a
# procedure when one of its other words is an ordinary word and its head names no one; a named place keeps a place or facility word
# ("Kestrel Police Department (KPD)", "Residential Treatment Center (RTC)").
_SHORT_FORM_AHEAD = re.compile(r"[^()\n]{0,60}?\([A-Z][A-Za-z0-9-]{1,9}\)")
_PLACE_WORDS = frozenset("hospital hospitals clinic clinics center centre centers department dept police university college school "
                         "institute academy company corporation inc foundation church county city town ward unit home".split())


def _long_form_term(text: str, start: int, end: int, lex: Any) -> bool:
    """A model name or place inside the long form (three words or more) of a short form that the abbreviation finder
    defines right after it, when the long form has no place or facility word, another of its words is a word of
    clinical text (written in lower case there) and its last word names no one: ``Auditory Verbal Trigrams (AVT)``, ``Coronary Artery Bypass Graft
    (CABG)`` (``Kestrel Police Department (KPD)`` stays).

    Example:
        >>> _long_form_term("Tests: Auditory Verbal Trigrams (AVT), then", 16, 31, lexicons())
        True
    """
    ahead = _SHORT_FORM_AHEAD.match(text, end)
    if not ahead:
        return False
    window = max(0, start - _DEFINITION_WINDOW)
    for d in find_definitions(text[window : ahead.end()]):
        long_start, long_end = d.long_start + window, d.long_end + window
        if not (long_start <= start and end <= long_end and d.short_end + window == ahead.end() - 1):
            continue
        words = re.findall(r"[A-Za-z]+", text[long_start:long_end].lower())
        others = re.findall(r"[A-Za-z]+", (text[long_start:start] + " " + text[end:long_end]).lower())
        head = words[-1] if words else ""
        return len(words) >= 3 and not any(w in _PLACE_WORDS for w in words) \
            and any(w not in _FUNCTION_WORDS and lex.common_count(w) > 0 for w in others) \
            and (lex.common_count(head) > 0 or not (lex.first_rank(head) or lex.surname_rank(head)))
    return False


# A note written in sentence case: at least this many sentences, and this share of them starting with a capital.
_CASED_SENTENCES = 5
_CASED_SHARE = 0.9
_SENTENCE_START = re.compile(r"[.!?][ \t]+([A-Za-z])")
_PERSON_CUE_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:dr|mr|mrs|ms|miss|wife|husband|son|daughter|mother|mom|father|dad|sister|brother|friend|nurse"
    r"|by|with|to|named|name[ \t]+is|called|per|and)[.,:]?[ \t]+\Z")


def _lower_case_in_cased_note(text: str, start: int, end: int) -> bool:
    """A model name written in lower case in a note written in sentence case, after no title, kin word or word
    before a person: a word, not a name (``he is a retired minister``, ``hazel irides``). Notes written all in
    lower case or capitals (nursing notes: ``spoke with wife mary``) keep their lower-case names."""
    span_text = text[start:end]
    if not span_text.islower() or _PERSON_CUE_BEFORE.search(text, max(0, start - 16), start):
        return False
    return _sentence_case(text)


# Months named one after another, as in a memory test ("named the months backward: December, November, October"):
# the words of a list, not a date of the patient, and not a person either.
_MONTH_NAMES = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_WORD = re.compile(rf"(?i){_MONTH_NAMES}\Z")
_MONTH_ITEM_BEFORE = re.compile(rf"(?i)(?<![A-Za-z]){_MONTH_NAMES}[ \t]*,[ \t]*\Z")
_MONTH_ITEM_AFTER = re.compile(rf"(?i)[ \t]*,[ \t]*{_MONTH_NAMES}(?![A-Za-z'\u2019])")


def _month_in_list(text: str, start: int, end: int) -> bool:
    """A model name that is a month's name with another month's name and a comma before or after it, and no title
    before it: an item of a recited list of months (``stating, "December, November, September"``), no name.

    Example:
        >>> _month_in_list('He said, "March, April, May."', 17, 22), _month_in_list("Seen with April, June's sister.", 10, 15)
        (True, False)
    """
    if not _MONTH_WORD.match(text, start, end) or after_title(text, start):
        return False
    return bool(_MONTH_ITEM_BEFORE.search(text, max(0, start - 14), start) or _MONTH_ITEM_AFTER.match(text, end))


# A word in capitals of a sentence-case note is a short form (a test, an exam finding, a diet), not a name, when it
# stands in a list of other short forms, before a result or a number, after a number or after a possessive:
# "ESR, CRP, ANA", "ELISA was positive", "ANA 1:40", "5/5 BUE", "1800-calorie ADA", "Her ANA".
_CAPITALS_WORD = re.compile(r"[A-Z]{2,6}\Z")
_SHORT_FORM_BEFORE = re.compile(r"(?:(?<![A-Za-z])[A-Z][A-Z0-9-]*[A-Z0-9](?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)"
                                r"|\d\S*[ \t]+|(?<![A-Za-z])(?i:her|his|their|an)[ \t]+)\Z")
_SHORT_FORM_AFTER = re.compile(r",?[ \t]+(?:and|or)[ \t]+[A-Z][A-Z0-9-]*[A-Z0-9](?![A-Za-z:])|,[ \t]*[A-Z][A-Z0-9-]*[A-Z0-9](?![A-Za-z:])"
                               r"|[ \t]*:?[ \t]*(?:(?:was|were|is|are|continues[ \t]+to[ \t]+be|of|at)[ \t]+)?"
                               r"(?:\d|(?i:positive|negative|normal|abnormal|elevated|titers?|reactive|nonreactive)(?![A-Za-z]))")
# Words before a person ("Mr. ABC", "wife ANA", "named ANA"): after them a word in capitals stays a name.
_NAME_CUE_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:dr|mr|mrs|ms|miss|wife|husband|son|daughter|mother|mom|father|dad|sister|brother|friend|nurse"
    r"|named|name[ \t]+is|called|re)[.,:]?[ \t]+\Z")


def _capitals_abbreviation(text: str, start: int, end: int) -> bool:
    """A one-word model name of 2-6 capitals in a note written in sentence case, after no title or kin word, that
    stands among other short forms, before a result or a number, after a number or after a possessive: a test or
    a finding (``TFT, ESR, ANA were normal``, ``HIV ELISA was positive``, ``Her ANA 1:40``, ``5/5 BUE``), not a
    person. Notes written in capitals keep such words (a name there is written in capitals too).

    Example:
        >>> note = "She is well.  Labs were sent.  She has no rash.  She walks daily.  She sleeps well.  "
        >>> _capitals_abbreviation(note + "ESR, CRP, ANA were normal.", len(note) + 10, len(note) + 13)
        True
    """
    if not _CAPITALS_WORD.match(text, start, end) or after_title(text, start) \
            or _NAME_CUE_BEFORE.search(text, max(0, start - 16), start) or not _sentence_case(text):
        return False
    return bool(_SHORT_FORM_BEFORE.search(text, max(0, start - 24), start) or _SHORT_FORM_AFTER.match(text, end))


@lru_cache(maxsize=16)
def _sentence_case(text: str) -> bool:
    """Whether almost every sentence of ``text`` starts with a capital (a dictated note, not a nursing note).

    Asked by several filters for each model span of a note: the answer is kept for the last few notes (a
    string's hash is computed once, so asking again costs no pass over the text)."""
    starts = [m.group(1) for m in _SENTENCE_START.finditer(text)]
    return len(starts) >= _CASED_SENTENCES and sum(c.isupper() for c in starts) >= _CASED_SHARE * len(starts)


# A dose after a word makes it a drug ("Celesta 40 mg", "Zorvix 10 mg b.i.d."); an imaging test before a word makes it
# the body part imaged ("MRI Brain, 2/19/96", "CT Head").
_DOSE_AFTER = re.compile(r"(?i)[ \t]+\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|gm|ml|cc|units?|meq|%)(?![A-Za-z])")
_IMAGING_BEFORE = re.compile(r"(?<![A-Za-z])(?:MRI|MRA|CT|CTA|PET|(?i:x-?ray|ultrasound|sonogram))[ \t]+(?:(?i:of)[ \t]+(?:the[ \t]+)?)?\Z")


def _dosed_or_imaged(text: str, start: int, end: int) -> bool:
    """One capitalised model word, after no title, before a dose (a drug: ``Zorvix 10 mg``) or after an imaging test
    (the body part: ``MRI Brain``, ``CT Head``).

    Example:
        >>> _dosed_or_imaged("MRI Brain, 2/19/96, showed", 4, 9), _dosed_or_imaged("Dr. Brain 10 mg", 4, 9)
        (True, False)
    """
    word = text[start:end]
    if not word.isalpha() or not word[:1].isupper() or after_title(text, start):
        return False
    return bool(_DOSE_AFTER.match(text, end) or _IMAGING_BEFORE.search(text, max(0, start - 20), start))
