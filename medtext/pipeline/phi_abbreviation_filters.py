"""Model names and places that are short forms or their long forms: ``(NAB)`` defined by the words before it,
``Auditory Verbal Trigrams (AVT)``, and words in capitals among tests and results (``ESR, CRP, ANA``).

Filters of :func:`~medtext.pipeline.phi_filters.no_phi`; definitions are found by
:func:`~medtext.pipeline.abbreviation_definitions.find_definitions`.

Example:
    >>> defined_abbreviation("Neuropsychological Assessment Battery (NAB), then", 39, 42)
    True
"""

from __future__ import annotations

import re
from typing import Any

from medtext.pipeline.abbreviation_definitions import find_definitions
from medtext.pipeline.phi_eponyms import after_title
from medtext.pipeline.phi_word_filters import FUNCTION_WORDS, sentence_case

_PARENTHESES = re.compile(r"\(([A-Z][A-Z-]{1,9})\)")
# How far back the long form of a short form in parentheses may start.
_DEFINITION_WINDOW = 160


def defined_abbreviation(text: str, start: int, end: int) -> bool:
    """A model name or place in capitals, alone in parentheses, that the abbreviation finder defines by the
    words before it (a short form after its long form): ``Assessment Battery (NAB)``, ``Delis-Kaplan Executive
    Function System (DKEFS)`` (``(SMITH)`` after other words stays).

    Example:
        >>> defined_abbreviation("Neuropsychological Assessment Battery (NAB), then", 39, 42)
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


def long_form_term(text: str, start: int, end: int, lex: Any) -> bool:
    """A model name or place inside the long form (three words or more) of a short form that the abbreviation finder
    defines right after it, when the long form has no place or facility word, another of its words is a word of
    clinical text (written in lower case there) and its last word names no one: ``Auditory Verbal Trigrams (AVT)``, ``Coronary Artery Bypass Graft
    (CABG)`` (``Kestrel Police Department (KPD)`` stays).

    Example:
        >>> from medtext.pipeline.phi_lexicons import lexicons
        >>> long_form_term("Tests: Auditory Verbal Trigrams (AVT), then", 16, 31, lexicons())
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
            and any(w not in FUNCTION_WORDS and lex.common_count(w) > 0 for w in others) \
            and (lex.common_count(head) > 0 or not (lex.first_rank(head) or lex.surname_rank(head)))
    return False


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


def capitals_abbreviation(text: str, start: int, end: int) -> bool:
    """A one-word model name of 2-6 capitals in a note written in sentence case, after no title or kin word, that
    stands among other short forms, before a result or a number, after a number or after a possessive: a test or
    a finding (``TFT, ESR, ANA were normal``, ``HIV ELISA was positive``, ``Her ANA 1:40``, ``5/5 BUE``), not a
    person. Notes written in capitals keep such words (a name there is written in capitals too).

    Example:
        >>> note = "She is well.  Labs were sent.  She has no rash.  She walks daily.  She sleeps well.  "
        >>> capitals_abbreviation(note + "ESR, CRP, ANA were normal.", len(note) + 10, len(note) + 13)
        True
    """
    if not _CAPITALS_WORD.match(text, start, end) or after_title(text, start) \
            or _NAME_CUE_BEFORE.search(text, max(0, start - 16), start) or not sentence_case(text):
        return False
    return bool(_SHORT_FORM_BEFORE.search(text, max(0, start - 24), start) or _SHORT_FORM_AFTER.match(text, end))
