"""Span clean-up of the ``phi`` component, after the rules and the model have spoken.

* :func:`propagate`: a name or place the model is sure of marks its other
  mentions in the same note (``Radu Crosson`` ... ``Radu``);
* :func:`merge_spans`: overlapping spans become one (the strongest label wins);
* :func:`absorb_initials`: ``Z. MILLER``, ``HERMAN W. EMPERATRICE`` become one name;
* :func:`extend_institutions`: ``Sacred Heart``, ``University of Maryland``,
  ``CALVERT HOSPITAL`` become one LOCATION / HOSPITAL span.

Example:
    >>> text = "Z. MILLER AWARE"
    >>> absorb_initials(text, [(3, 9, "NAME")])
    [(0, 9, 'NAME')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from medtext.pipeline.phi_lexicons import lexicons

_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
PROPAGATE_MIN_SCORE = 0.5
_COMMON_LIMIT = 20
# Words that belong to an institution's name next to a place word.
INSTITUTION_WORDS = frozenset(
    "st st. saint sacred heart holy cross memorial regional general university of medical center hospital hosp hosp. "
    "rehab rehabilitation county community mercy union shore eastern western northern southern north south east west "
    "health healthcare clinic campus house manor home nursing mary's mary agnes joseph's luke's vincent's".split()
)
_FACILITY = re.compile(
    r"[ \t]{1,3}(?:hospital|hosp\b\.?|medical center|med(?:ical)? ctr|rehab(?:ilitation)?(?: center| hospital)?"
    r"|nursing home|clinic|health center|healthcare|hospice|infirmary)\b",
    re.IGNORECASE,
)


def propagate(text: str, spans: Iterable[tuple[int, int, str, float]]) -> list[tuple[int, int, str]]:
    """Other mentions (whole words, any case) of sure NAME/LOCATION words of the note."""
    lex = lexicons()
    words: dict[str, str] = {}
    for start, end, label, score in spans:
        if label in ("NAME", "LOCATION") and score >= PROPAGATE_MIN_SCORE:
            for word in _WORD.findall(text[start:end]):
                lower = word.lower()
                if len(lower) >= 3 and lex.common_count(lower) < _COMMON_LIMIT:
                    words.setdefault(lower, label)
    if not words:
        return []
    if text.isascii():
        return _mentions(text, words)
    pattern = re.compile(r"(?<![A-Za-z'])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![A-Za-z])",
                         re.IGNORECASE)
    return [(m.start(), m.end(), words[m.group().lower()]) for m in pattern.finditer(text)]


def _mentions(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """What :func:`propagate`'s regular expression finds, for ASCII text: whole-word mentions, the longest
    word at each start, left to right without overlaps."""
    low = text.lower()
    longest: dict[int, int] = {}
    for word in words:
        size = len(word)
        at = low.find(word)
        while at >= 0:
            after = at + size
            if (not at or low[at - 1] not in _LETTERS_APOSTROPHE) and (after == len(low) or low[after] not in _LETTERS) \
                    and size > longest.get(at, 0):
                longest[at] = size
            at = low.find(word, at + 1)
    out = []
    end = -1
    for start in sorted(longest):
        if start >= end:
            end = start + longest[start]
            out.append((start, end, words[low[start:end]]))
    return out


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS_APOSTROPHE = _LETTERS | {"'"}


def merge_spans(spans: Iterable[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Merge overlapping ``(start, end, label, priority)`` spans; the label of the strongest wins.

    Example:
        >>> merge_spans([(0, 3, "PHONE", 1), (0, 12, "PHONE", 2), (20, 24, "NAME", 1)])
        [(0, 12, 'PHONE'), (20, 24, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    best: tuple[int, int] = (-1, -1)
    for start, end, label, priority in sorted(spans):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            prev_start, prev_end, prev_label = out[-1]
            key = (priority, end - start)
            if key > best:
                prev_label, best = label, key
            out[-1] = (prev_start, max(prev_end, end), prev_label)
        else:
            out.append((start, end, label))
            best = (priority, end - start)
    return out


_INITIAL_BEFORE = re.compile(r"(?:(?<![A-Za-z])[A-Z]\.?|(?<![A-Za-z])[a-z]\.)[ \t]{1,2}\Z")
_INITIAL_BETWEEN = re.compile(r"[ \t]{1,2}[A-Za-z]\.?[ \t]{1,2}\Z")


def absorb_initials(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Single-letter initials right before a NAME (or between two NAMEs) join the name."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label == "NAME":
            if out and out[-1][2] == "NAME" and _INITIAL_BETWEEN.match(text[out[-1][1] : start] + "") and "\n" not in text[out[-1][1] : start]:
                prev = out.pop()
                start = prev[0]
            else:
                lead = text[max(0, start - 4) : start]
                m = _INITIAL_BEFORE.search(lead)
                floor = out[-1][1] if out else 0
                if m and start - len(lead) + m.start() >= floor:
                    start = start - len(lead) + m.start()
        out.append((start, end, label))
    return out


def _word_after(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"[ \t]([A-Za-z][A-Za-z'.]*)").match(text, pos)


def _word_before(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"([A-Za-z][A-Za-z'.]*)[ \t]\Z").search(text[max(0, pos - 30) : pos])


def extend_institutions(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Grow LOCATION spans over neighbouring institution words; with a facility word they become HOSPITAL."""
    out: list[tuple[int, int, str]] = []
    for i, (start, end, label) in enumerate(spans):
        if label in ("LOCATION", "HOSPITAL"):
            floor = out[-1][1] if out else 0
            ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            for _ in range(4):
                m = _word_before(text, start)
                if not m or m.group(1).lower() not in INSTITUTION_WORDS:
                    break
                new_start = start - (len(text[max(0, start - 30) : start]) - m.start(1))
                if new_start < floor:
                    break
                start = new_start
            for _ in range(4):
                m = _word_after(text, end)
                if not m:
                    break
                word = m.group(1).lower()
                stop = m.end(1)
                if word.endswith(".") and word not in INSTITUTION_WORDS:
                    word, stop = word[:-1], stop - 1
                if word not in INSTITUTION_WORDS or stop > ceiling:
                    break
                end = stop
            fac = _FACILITY.match(text, end)
            if fac and fac.end() <= ceiling:
                end, label = fac.end(), "HOSPITAL"
            elif re.search(r"(?i)\b(?:hospital|hosp\.?|medical center|rehab)$", text[start:end]):
                label = "HOSPITAL"
        out.append((start, end, label))
    return out
