"""Model PHI spans that are no PHI, whatever the model's score: settings, fractions, exam grades, doses, ages,
durations and clock times shaped like dates, billing and product codes shaped like phone numbers, eponymous
devices, instruments and brands (:mod:`phi_eponyms`), the pupil exam, drug names, lone letters, lower-case
everyday words, unnamed hospitals, and words never PHI on their own.

The PHI component (``medtext.pipeline.phi.combine``) drops a model or propagated span when
:func:`no_phi` holds; rule and user spans are not filtered. The filters of each kind live in their own
modules: :mod:`phi_number_filters`, :mod:`phi_eponym_filters`, :mod:`phi_drug_filters`,
:mod:`phi_word_filters` and :mod:`phi_abbreviation_filters`; countries, places starting with ``of`` and
unnamed facilities are here.

Example:
    >>> no_phi("weaned to PS 10/5 today", 13, 17, "DATE")
    True
    >>> no_phi("seen on 10/5 today", 8, 12, "DATE")
    False
"""

from __future__ import annotations

import re
from typing import Any

from medtext.pipeline.phi_abbreviation_filters import capitals_abbreviation, defined_abbreviation, long_form_term
from medtext.pipeline.phi_drug_filters import dosed_or_imaged, listed_drug, only_drug_words
from medtext.pipeline.phi_eponym_filters import eponym_condition, eponym_device, eponym_in_note
from medtext.pipeline.phi_eponyms import after_title, eponym_span
from medtext.pipeline.phi_lexicons import lexicons, world_places
from medtext.pipeline.phi_number_filters import code_number, number_no_date, short_number
from medtext.pipeline.phi_word_filters import (
    FUNCTION_WORDS,
    LOWER_COMMON_LIMIT,
    capitalised_word,
    every_word,
    letter_word,
    lone_letter,
    lower_case_in_cased_note,
    lower_case_word,
    month_in_list,
    pupil_exam,
    word_shaped,
)


def no_phi(text: str, start: int, end: int, label: str) -> bool:
    """Whether the model span ``text[start:end]`` labelled ``label`` is no PHI."""
    span_text = text[start:end]
    lex = lexicons()
    if _only_never_words(span_text, lex):
        return True
    if label == "DATE":
        return number_no_date(text, start, end)
    if label == "PHONE":
        return code_number(text, start) or short_number(text, start, end)
    if label not in ("NAME", "LOCATION", "HOSPITAL"):
        return False
    if label != "HOSPITAL" and _of_no_phi(text, start, end, label):
        return True
    if label == "HOSPITAL":
        return _no_facility(text, start, end)
    if label == "LOCATION" and _no_facility(text, start, end):
        return True
    if every_word(span_text, _TITLES.__contains__):  # "Mrs" of "Mrs. Goldberg" (the name has its own span)
        return True
    if _country(text, start, end, label):
        return True
    if only_drug_words(span_text, lex) or eponym_device(text, start, end) or eponym_condition(text, start, end) \
            or eponym_span(text, start, end) or listed_drug(text, start, end, lex) or eponym_in_note(text, start, end):
        return True
    if capitalised_word(text, start, end, label, lex):
        return True
    if defined_abbreviation(text, start, end) or long_form_term(text, start, end, lex) or dosed_or_imaged(text, start, end):
        return True
    return label == "NAME" and (lone_letter(text, start, end) or pupil_exam(text, start, end) or lower_case_word(text, start, end, lex)
                                or letter_word(text, start, end) or word_shaped(text, start, end, lex)
                                or lower_case_in_cased_note(text, start, end) or capitals_abbreviation(text, start, end)
                                or month_in_list(text, start, end))


def _only_never_words(span_text: str, lex: Any) -> bool:
    """Every word never PHI, also in the plural (``on Tuesdays and Thursdays``)."""
    return every_word(span_text, lambda w: lex.never_phi(w) or w.endswith("s") and lex.never_phi(w[:-1]))


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
        return all(w in FUNCTION_WORDS or lex.common_count(w) >= LOWER_COMMON_LIMIT for w in words)
    return all(w in FUNCTION_WORDS or _FACILITY_WORD.fullmatch(w) or lex.common_count(w) > 0 for w in words)
