"""Model names that are drugs or body parts: drug names (``Motrin``), a drug in a list or after a word of taking
it (``tried Allegra``), a word before a dose (``Zorvix 10 mg``) or after an imaging test (``MRI Brain``).

Filters of :func:`~medtext.pipeline.phi_filters.no_phi`.

Example:
    >>> from medtext.pipeline.phi_lexicons import lexicons
    >>> listed_drug("She tried Allegra last year", 10, 17, lexicons()), dosed_or_imaged("Zorvix 10 mg daily", 0, 6)
    (True, True)
"""

from __future__ import annotations

import re
from typing import Any

from medtext.pipeline.phi_eponyms import after_title
from medtext.pipeline.phi_lexicons import drug_words
from medtext.pipeline.phi_word_filters import every_word

def only_drug_words(span_text: str, lex: Any) -> bool:
    """Every word a drug name (``Motrin``, ``Natrecor``) and none a Census name (``Allegra`` stays)."""
    drugs = drug_words()
    return every_word(span_text, lambda w: w in drugs and not (lex.first_rank(w) or lex.surname_rank(w)))


# A drug in a list of drugs or after a word of taking it: "Advair and Allegra", "Lipitor, Pulmicort, Allegra",
# "tried Allegra", "instead of Allegra" (Allegra is also a Census first name).
_DRUG_NEIGHBOUR_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)(?:,[ \t]*|[ \t]+(?:and|or|&)[ \t]+|,[ \t]*(?:and|or)[ \t]+)\Z")
_DRUG_NEIGHBOUR_AFTER = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|or|&)[ \t]+)([A-Za-z]+)")
_TAKING_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:tried|try|takes?|taking|took|started|start|using|used|uses|use|prescribed|stopped|stop"
                            r"|continue|continued|discontinued|instead[ \t]+of|allergic[ \t]+to|the|of)[ \t]+\Z")


def listed_drug(text: str, start: int, end: int, lex: Any) -> bool:
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


# A dose after a word makes it a drug ("Celesta 40 mg", "Zorvix 10 mg b.i.d."); an imaging test before a word makes it
# the body part imaged ("MRI Brain, 2/19/96", "CT Head").
_DOSE_AFTER = re.compile(r"(?i)[ \t]+\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|gm|ml|cc|units?|meq|%)(?![A-Za-z])")
_IMAGING_BEFORE = re.compile(r"(?<![A-Za-z])(?:MRI|MRA|CT|CTA|PET|(?i:x-?ray|ultrasound|sonogram))[ \t]+(?:(?i:of)[ \t]+(?:the[ \t]+)?)?\Z")


def dosed_or_imaged(text: str, start: int, end: int) -> bool:
    """One capitalised model word, after no title, before a dose (a drug: ``Zorvix 10 mg``) or after an imaging test
    (the body part: ``MRI Brain``, ``CT Head``).

    Example:
        >>> dosed_or_imaged("MRI Brain, 2/19/96, showed", 4, 9), dosed_or_imaged("Dr. Brain 10 mg", 4, 9)
        (True, False)
    """
    word = text[start:end]
    if not word.isalpha() or not word[:1].isupper() or after_title(text, start):
        return False
    return bool(_DOSE_AFTER.match(text, end) or _IMAGING_BEFORE.search(text, max(0, start - 20), start))
