"""Model names and places that are eponyms: of a device or food (``Quinton cath``, ``ginger ale``), of a
condition, sign or procedure (``Crohn's disease``, ``Babinski sign``), or written so elsewhere in the note.

Filters of :func:`~medtext.pipeline.phi_filters.no_phi`; the word list of eponyms and brands is
:mod:`phi_eponyms`'.

Example:
    >>> _eponym_condition("Hx of Crohn's disease", 6, 11), _eponym_device("placed a Quinton cath", 9, 16)
    (True, True)
"""

from __future__ import annotations

import re

from medtext.pipeline.phi_eponyms import after_title, noun_after, person_before

# Eponymous devices and foods: "Quinton cath", "Passy Muir valve", "Douglas pouch", "ginger ale", "ADA diet".
_DEVICE_AFTER = re.compile(
    r"(?i)[ \t-]{1,2}(?:(?:muir|bennett|ganz|pratt)[ \t-]{1,2})?(?:cath|catheters?|valve|vent|ventilator|drains?|tubes?|pouch|ale|beer|diet|stokes?|oint(?:ment)?|sauce)"
    r"(?![A-Za-z])(?![ \t]+lab)")


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
    for word in set(words):
        for at in _whole_word_positions(text, word):
            after = at + len(word)
            if not (at < end and start < after) and not after_title(text, at) \
                    and (_eponym_condition(text, at, after) or _eponym_device(text, at, after) or noun_after(text, after)):
                break
        else:
            return False
    return True


def _whole_word_positions(text: str, word: str) -> list[int]:
    """Where ``word`` (``[A-Z][a-z]+``: two mentions never overlap) stands in ``text`` with no ASCII letter on
    either side: the matches of ``(?<![A-Za-z])word(?![A-Za-z])``, without compiling a pattern per word.

    Example:
        >>> _whole_word_positions("Quellin shunt; Quellins, xQuellin; the Quellin", "Quellin")
        [0, 39]
    """
    out = []
    size = len(word)
    at = text.find(word)
    while at >= 0:
        if (not at or text[at - 1] not in _ASCII_LETTERS) and text[at + size : at + size + 1] not in _ASCII_LETTERS:
            out.append(at)
        at = text.find(word, at + size)
    return out
