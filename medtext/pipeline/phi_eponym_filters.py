"""Model names and places that are eponyms: of a device or food (``Quinton cath``, ``ginger ale``), of a
condition, sign or procedure (``Crohn's disease``, ``Babinski sign``), or written so elsewhere in the note.

Filters of :func:`~medtext.pipeline.phi_filters.no_phi`; the word list of eponyms and brands is
:mod:`phi_eponyms`'.

Example:
    >>> eponym_condition("Hx of Crohn's disease", 6, 11), eponym_device("placed a Quinton cath", 9, 16)
    (True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

from medtext.pipeline.phi_eponyms import after_title, noun_after, person_before

# Eponymous devices and foods: "Quinton cath", "Passy Muir valve", "Douglas pouch", "ginger ale", "ADA diet".
_DEVICE_AFTER = re.compile(
    r"(?i)[ \t-]{1,2}(?:(?:muir|bennett|ganz|pratt)[ \t-]{1,2})?(?:cath|catheters?|valve|vent|ventilator|drains?|tubes?|pouch|ale|beer|diet|stokes?|oint(?:ment)?|sauce)"
    r"(?![A-Za-z])(?![ \t]+lab)")


def eponym_device(text: str, start: int, end: int) -> bool:
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


def eponym_condition(text: str, start: int, end: int) -> bool:
    """A model name or place right before a disease, sign, test or procedure word, and after no title:
    ``Hodgkin lymphoma``, ``Crohn's disease``, ``Bell palsy``, ``Babinski sign``, ``Glasgow coma scale``
    (the eponym of a condition is no person; ``Dr. Bell test results`` keeps the title's name)."""
    return bool(_CONDITION_AFTER.match(text, end)) and not after_title(text, start)


_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]{2,}")


def eponym_in_note(text: str, start: int, end: int) -> bool:
    """A model name or place, after no title or word before a person, whose every capitalised word the same note
    also writes, after no title, as an eponym (before a device, procedure or condition word): ``the right Quellin``
    in a note that has ``Quellin shunt``, ``atypical Guillain-Barre`` beside ``Guillain-Barre syndrome``. A note that
    writes a person's name and the eponym alike (``Dr. Quellin``) keeps the mentions after a title.

    Example:
        >>> eponym_in_note("A Quellin shunt was made. Flow in the right Quellin is good.", 44, 51)
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
                     and (eponym_condition(text, at, at + size) or eponym_device(text, at, at + size) or noun_after(text, at + size))]
            self.found[word] = found
        return found


# A capitalised word with no ASCII letter on either side (a word of _CAPITALISED_WORD standing whole).
_WHOLE_CAPITALISED_WORD = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{2,}(?![A-Za-z])")


@lru_cache(maxsize=4)
def _note_eponyms(text: str) -> _NoteEponyms:
    """The :class:`_NoteEponyms` of the last few notes asked about."""
    return _NoteEponyms(text)
