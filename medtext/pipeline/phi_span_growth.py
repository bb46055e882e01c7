"""PHI spans grow over the words next to them that belong to the name, place or address.

* :func:`extend_institutions`: ``Sacred Heart``, ``University of Maryland``,
  ``ELMWOOD HOSPITAL`` become one LOCATION / HOSPITAL span;
* :func:`extend_places`: a LOCATION inside a known place name of several words grows to it
  (``new haven``);
* :func:`extend_names`: name-like neighbouring words join a name
  (``Orla Zwarkowich``, ``Dr Will Tesbury``);
* :func:`extend_addresses`: house numbers join streets, glued digits join
  names and places (``Kestrel4``).

Example:
    >>> extend_names("met w/ Orla Zwarkowich today", [(7, 11, "NAME")])
    [(7, 22, 'NAME')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from medtext.pipeline.phi_lexicons import lexicons
from medtext.pipeline.phi_name_shapes import (
    COMMON_LIMIT,
    CUE_COMMON_LIMIT,
    INSTITUTION_WORDS,
    capitalised_name_word,
    name_like,
)

_FACILITY = re.compile(
    r"[ \t]{1,3}(?:hospital|hosp\b\.?|medical center|med(?:ical)? ctr|med center|rehab(?:ilitation)?(?: center| hospital)?"
    r"|nursing home|clinic|health center|healthcare|hospice|infirmary)\b",
    re.IGNORECASE,
)


def _word_after(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"[ \t]([A-Za-z][A-Za-z'.]*)").match(text, pos)


def _word_before(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"([A-Za-z][A-Za-z'.]*)[ \t]\Z").search(text[max(0, pos - 30) : pos])


def _start_before(text: str, pos: int, m: re.Match[str]) -> int:
    """Where the word of ``m = _word_before(text, pos)`` starts in ``text``."""
    return max(0, pos - 30) + m.start(1)


def _grow_spans(text: str, spans: Sequence[tuple[int, int, str]], labels: tuple[str, ...],
                grow: Callable[[int, int, str, int, int], tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``grow(start, end, label, floor, ceiling)`` applied to each span of ``labels``, in order: ``floor`` is
    the end of the span before it (as grown), ``ceiling`` the start of the next one.

    Example:
        >>> _grow_spans("ab cd", [(0, 2, "NAME"), (3, 5, "DATE")], ("NAME",), lambda s, e, l, f, c: (s, c, l))
        [(0, 3, 'NAME'), (3, 5, 'DATE')]
    """
    out: list[tuple[int, int, str]] = []
    for i, (start, end, label) in enumerate(spans):
        if label in labels:
            floor = out[-1][1] if out else 0
            ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            start, end, label = grow(start, end, label, floor, ceiling)
        out.append((start, end, label))
    return out


_OF_WORD = re.compile(r"(?i)of[ \t]")


def extend_institutions(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Grow LOCATION spans over neighbouring institution words; with a facility word they become HOSPITAL. A span
    does not start with ``of`` (``room #2 of ABCD Hospital`` -> ``ABCD Hospital``; ``University of Maryland`` keeps
    it inside).

    Example:
        >>> extend_institutions("room #2 of ABCD Hospital.", [(11, 15, "LOCATION")])
        [(11, 24, 'HOSPITAL')]
    """

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        starts = [start]
        for _ in range(4):
            m = _word_before(text, starts[-1])
            if not m or m.group(1).lower() not in INSTITUTION_WORDS:
                break
            new_start = _start_before(text, starts[-1], m)
            if new_start < floor:
                break
            starts.append(new_start)
        while len(starts) > 1 and _OF_WORD.match(text, starts[-1]):  # "room #2 of ABCD Hospital": no "of" first
            starts.pop()
        start = starts[-1]
        for _ in range(4):
            m = _word_after(text, end)
            if not m:
                break
            word = m.group(1).lower()
            stop = m.end(1)
            if word.endswith(".") and word not in INSTITUTION_WORDS:
                word, stop = word[:-1], stop - 1
            if stop > ceiling:
                break
            if word not in INSTITUTION_WORDS:
                # "University of X": the word after a trailing "of" belongs to the name, unless it is ordinary
                if not (text[start:end].lower().endswith(" of") and lexicons().common_count(word) < COMMON_LIMIT):
                    break
            end = stop
        fac = _FACILITY.match(text, end)
        if fac and fac.end() <= ceiling:
            end, label = fac.end(), "HOSPITAL"
        elif re.search(r"(?i)\b(?:hospital|hosp\.?|medical center|rehab)$", text[start:end]):
            label = "HOSPITAL"
        return start, end, label

    return _grow_spans(text, spans, ("LOCATION", "HOSPITAL"), grow)


def extend_places(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A LOCATION that is part of a known place name of two or three words grows to the whole name
    (the model marked ``haven`` of ``new haven``, ``River`` of ``Middle River``).

    Example:
        >>> extend_places("back to new haven today", [(12, 17, "LOCATION")])
        [(8, 17, 'LOCATION')]
    """
    lex = lexicons()

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        befores, afters = [start], [end]
        for _ in range(2):
            m = _word_before(text, befores[-1])
            if not m:
                break
            befores.append(_start_before(text, befores[-1], m))
        for _ in range(2):
            m = _word_after(text, afters[-1])
            if not m:
                break
            afters.append(m.end(1))
        best = (start, end)
        for new_start in befores:
            for new_end in afters:
                if new_start < floor or new_end > ceiling or new_end - new_start <= best[1] - best[0]:
                    continue
                if lex.is_place(" ".join(text[new_start:new_end].lower().split())):
                    best = (new_start, new_end)
        return best[0], best[1], label

    return _grow_spans(text, spans, ("LOCATION",), grow)


_NEIGHBOUR_AFTER = re.compile(r"[ \t]{1,2}([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)(?![A-Za-z0-9'-])")
_NEIGHBOUR_BEFORE = re.compile(r"(?<![A-Za-z0-9'-])([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)[ \t]{1,2}\Z")


def _neighbour_like(word: str, lex: object, lower_ok: bool) -> bool:
    """:func:`name_like`, and no compound (``AWARE-WILL``), no single letter, no short capitals outside the name
    lists (``PICC``)."""
    if "-" in word or len(word) < 2:
        return False
    if word.isupper() and len(word) <= 4 and not (lex.first_rank(word.lower()) or lex.surname_rank(word.lower())):  # type: ignore[attr-defined]
        return False
    return name_like(word, lex, lower_ok)


_INITIAL_SURNAME = re.compile(r"[ \t]{1,2}[A-Za-z]\.[ \t]{1,2}([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)(?![A-Za-z0-9'-])")
_TITLE_BEFORE = re.compile(r"(?<![A-Za-z])(?:dr|mr|mrs|ms|miss)\.?[ \t]{1,2}\Z", re.IGNORECASE)


# Words that start a sentence rather than continue a name, although Census surnames ("Dr. X.  He was")
_SENTENCE_WORDS = frozenset("he she it we they his her its their this that these those the an there then".split())


def _titled_surname(word: str, lex: object) -> bool:
    """After ``Dr. Art``: a capitalised Census surname, however common (``Young``); in capitals (no cue in an
    ALL-CAPS note) only a rare word (not ``FAIR``, ``SO``); no pronoun or article (``Dr. X.  He was``)."""
    lower = word.lower()
    return capitalised_name_word(word) and bool(lex.surname_rank(lower)) and not lex.never_phi(lower) and lower not in _SENTENCE_WORDS \
        and (not word.isupper() or lex.common_count(lower) < CUE_COMMON_LIMIT)  # type: ignore[attr-defined]


def extend_names(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Grow NAME spans over one name-like neighbouring word on each side (same line), so a first
    name found by the model brings its unknown surname (``Orla Zwarkowich``) and the other way round.
    After a title any capitalised word before the name joins it (``Dr Will Tesbury``), and a capitalised
    surname after it (``Dr. Art Young``).

    Example:
        >>> extend_names("met w/ Orla Zwarkowich today", [(7, 11, "NAME")])
        [(7, 22, 'NAME')]
    """
    lex = lexicons()

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        titled = bool(_TITLE_BEFORE.search(text, max(floor, start - 6), start))
        lower_ok = not text[start:end].isupper() and not text[start:end].istitle()
        # after an initial ("R. Verdalino") the name may follow the initial's full stop
        after = end + 1 if end - start == 1 and text[end : end + 1] == "." else end
        m = _NEIGHBOUR_AFTER.match(text, after)
        if m and after > end and m.start(1) - after > 1:  # "Dr. X.  No interval complaints": a new sentence
            m = None
        if m and m.end(1) <= ceiling and (_neighbour_like(m.group(1), lex, lower_ok) or titled and _titled_surname(m.group(1), lex)):
            end = m.end(1)
        else:
            # a middle initial between the first name and the surname ("barbara j. dellacroft")
            m = _INITIAL_SURNAME.match(text, end)
            if m and m.end(1) <= ceiling and _neighbour_like(m.group(1), lex, lower_ok):
                end = m.end(1)
        lead = text[max(floor, start - 40) : start]
        m = _NEIGHBOUR_BEFORE.search(lead)
        if m and (_neighbour_like(m.group(1), lex, lower_ok) or capitalised_name_word(m.group(1)) and _TITLE_BEFORE.search(lead, 0, m.start(1))):
            start = start - len(lead) + m.start(1)
        return start, end, label

    return _grow_spans(text, spans, ("NAME",), grow)


_STREET_END = re.compile(r"(?i)\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|drive|way|court|terrace|place|pl|circle|hwy|highway)\.?\Z")
_HOUSE_NUMBER = re.compile(r"(?<![\d/.:-])\d{1,5}[ \t]{1,2}\Z")
_GLUED_DIGITS = re.compile(r"\d+")


def extend_addresses(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """House numbers join the street after them (``27 Fernwick St.``); digits glued to the end of a name or
    place (``Kestrel4``) join it.

    Example:
        >>> extend_addresses("lives at 27 Zorn Ave. alone", [(12, 21, "LOCATION")])
        [(9, 21, 'LOCATION')]
    """
    out: list[tuple[int, int, str]] = []
    for i, (start, end, label) in enumerate(spans):
        if label in ("LOCATION", "HOSPITAL", "NAME"):
            ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            if end < ceiling and text[end].isdigit() and text[end - 1].isalpha():
                m = _GLUED_DIGITS.match(text, end)
                if m and m.end() <= ceiling:
                    end = m.end()
            if label != "NAME" and _STREET_END.search(text, start, end):
                floor = out[-1][1] if out else 0
                lead = text[max(floor, start - 8) : start]
                m = _HOUSE_NUMBER.search(lead)
                if m:
                    start = start - len(lead) + m.start()
        out.append((start, end, label))
    return out
