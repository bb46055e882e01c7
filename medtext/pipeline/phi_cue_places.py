"""Places given away by their shape: saint-named hospitals, campuses, ``University of X``, facility and residence cues.

:func:`cue_locations` finds ``Good Samaritan``, ``Brandywine campus``, ``U of NH``, ``Zandrell rehab``,
``lives in Quillby``, and the non-US towns of :func:`~medtext.pipeline.phi_world_towns.world_towns`.

Example:
    >>> text = "sent to good samaritan, then the Brandywine campus and U of NH; lives in Quillby"
    >>> [text[s:e] for s, e, _ in cue_locations(text)]
    ['good samaritan', 'Brandywine', 'U of NH', 'Quillby']
"""

from __future__ import annotations

import re

from medtext.pipeline.phi_lexicons import lexicons
from medtext.pipeline.phi_name_shapes import COMMON_LIMIT, anchored_matches, unknown_word
from medtext.pipeline.phi_words import cue_starts as _cue_starts
from medtext.pipeline.phi_words import cue_words
from medtext.pipeline.phi_world_towns import world_towns

_SAINT_WORDS = ("sacred", "holy", "good", "saint", "st")
_UNIVERSITY_WORDS = ("univ", "university", "u")


# -- places announced by their shape ------------------------------------------------------------------
_SAINT_PLACE = re.compile(
    r"\b(?:sacred[ \t]+heart|holy[ \t]+(?:cross|family|name|redeemer|spirit)|good[ \t]+samaritan"
    r"|(?:st\.?|saint)[ \t]+[a-z]+(?:'s)?(?=[ \t]+(?:hospital|hosp\b|medical[ \t]+center|med[ \t]+center|rehab|nursing[ \t]+home|clinic)))",
    re.IGNORECASE,
)
_CAMPUS = re.compile(r"\b([A-Za-z][A-Za-z'-]+)[ \t]+campus\b", re.IGNORECASE)
_NOT_CAMPUS = frozenset("the this that main other same a an our their his her new old its which each".split())
_UNIVERSITY_OF = re.compile(r"\b(?:[Uu]niv(?:ersity)?\.?|UNIV(?:ERSITY)?\.?|U)[ \t]+(?:of|OF)[ \t]+([A-Za-z]+)")


# "lives nearby in Quillane": the word after a verb of residence
_RESIDENCE = re.compile(
    r"(?:lives|living|resides|residing)[ \t]+(?:(?:nearby|locally|alone|here|now)[ \t]+)?in[ \t]+([A-Za-z][A-Za-z]*(?:-[A-Za-z]+)?)(?![A-Za-z'-])",
    re.IGNORECASE,
)
_RESIDENCE_WORDS = ("lives", "living", "resides", "residing")
_DETERMINERS = frozenset("a an the his her their our my this that its one another".split())
# "Kessler-Adventist rehab facility", "Vista Health": the word before a facility word
_FACILITY_AHEAD = re.compile(
    r"(?:rehab(?:ilitation)?|nursing[ \t]+home|hosp(?:ital)?|clinic|facility|medical[ \t]+center|hospice|health(?:care)?)(?![A-Za-z])",
    re.IGNORECASE,
)
_FACILITY_WORDS = ("rehab", "nursing", "hosp", "clinic", "facility", "medical", "hospice", "health")
_WORD_BEFORE_CUE = re.compile(r"(?<![A-Za-z0-9'-])([A-Za-z]+(?:-[A-Za-z]+)?)[ \t]{1,2}\Z")


def _facility_names(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """Unknown words right before a facility word; short ones (``prev``, ``cont``) only when a known place."""
    out = []
    for at in _cue_starts(low, present, _FACILITY_WORDS):
        if not _FACILITY_AHEAD.match(text, at):
            continue
        lead = text[max(0, at - 40) : at]
        m = _WORD_BEFORE_CUE.search(lead)
        if not m:
            continue
        word = m.group(1)
        lower = word.lower()
        if unknown_word(word, lex) and (len(word) >= 5 and not lower.endswith(("ed", "ing")) or lex.is_place(lower)):  # type: ignore[attr-defined]
            start = at - len(lead) + m.start(1)
            out.append((start, start + len(word), "LOCATION"))
    return out


def cue_locations(text: str, words: frozenset[bytes] | None = None) -> list[tuple[int, int, str]]:
    """Places given away by their shape: ``Good Samaritan``, ``St. Brigid Hospital`` (any case), ``Kestrelton campus``,
    ``University of Pellham`` / ``U of NH``, an unknown word before a facility word (``Zandrell rehab``) or after
    a verb of residence (``lives in Quillby``), a non-US town after a place cue or before a country
    (:func:`world_towns`: ``moved to Lyon``, ``Nairobi, Kenya``).

    Example:
        >>> text = "sent to good samaritan, then the Brandywine campus and U of NH; lives in Quillby"
        >>> [text[s:e] for s, e, _ in cue_locations(text)]
        ['good samaritan', 'Brandywine', 'U of NH', 'Quillby']
    """
    low = text.lower()
    present = cue_words(text) if words is None else words
    lex = lexicons()
    out: list[tuple[int, int, str]] = []
    saints = [at for at in _cue_starts(low, present, _SAINT_WORDS) if low[at : at + 2] != "st"
              or low[at + 2 : at + 3] in (".", " ", "\t")]
    out += [(m.start(), m.end(), "LOCATION") for m in anchored_matches(_SAINT_PLACE, text, saints)]
    if b"campus" in present:
        out += [(m.start(1), m.end(1), "LOCATION") for m in _CAMPUS.finditer(text) if m.group(1).lower() not in _NOT_CAMPUS]
    universities = _cue_starts(low, present, _UNIVERSITY_WORDS)
    if universities:
        out += [(m.start(), m.end(), "LOCATION") for m in anchored_matches(_UNIVERSITY_OF, text, universities)
                if lex.common_count(m.group(1).lower()) < COMMON_LIMIT]
    residences = _cue_starts(low, present, _RESIDENCE_WORDS)
    out += [(m.start(1), m.end(1), "LOCATION") for m in anchored_matches(_RESIDENCE, text, residences)
            if unknown_word(m.group(1), lex) and m.group(1).lower() not in _DETERMINERS]  # "lives in a home"
    out += _facility_names(text, low, present, lex)
    out += world_towns(text, present)
    out.sort()
    return out
