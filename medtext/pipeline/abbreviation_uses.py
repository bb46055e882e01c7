"""Every whole-word use of a note's short forms, found in one pass over the text.

A use of a short form ``SF`` is the text ``SF`` not preceded by an ASCII letter or digit
(when SF starts with a letter or digit) and not followed by one (when it ends with one;
an SF ending in a capital or a digit may take a plural ``s``: ``CTs``). The uses of one
short form do not overlap (the earlier one wins), as with ``re.finditer`` on
``(?<![A-Za-z0-9])SF(?=s?(?![A-Za-z0-9]))``. One scan finds the positions where a short
form may start (its first character, at a word start when it is a letter or digit);
there the short forms are looked up by their lengths: a note with thousands of distinct
short forms costs one pass over the text, not one per form.

Example:
    >>> list(short_form_uses("CT and CTs, not CTA; IL-2 and IL", {"CT": 0, "IL": 0, "IL-2": 0}))
    [(0, 'CT'), (7, 'CT'), (21, 'IL'), (21, 'IL-2'), (30, 'IL')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby

_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_PLURAL_END = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # an SF ending in one of these may take an "s"
_LETTER_RUN = re.compile(r"[^\W\d_]+")  # every letter (str.isalpha) is in such a run


def short_form_uses(text: str, search_from: dict[str, int]) -> Iterator[tuple[int, str]]:
    """``(start, short form)`` of every use, by start, then in the order of ``search_from``.

    ``search_from`` maps each short form to the offset its uses are searched from
    (a use must start there or later); its order is the order of the short forms
    that start at the same offset (``IL`` and ``IL-2`` in ``IL-2``).

    Example:
        >>> list(short_form_uses("CT1 CT1s xCT1 CT1", {"CT1": 1}))
        [(4, 'CT1'), (14, 'CT1')]
    """
    if not search_from:
        return
    rank = {short: k for k, short in enumerate(search_from)}
    lengths: dict[str, set[int]] = {}
    for short in search_from:
        lengths.setdefault(short[0], set()).add(len(short))
    by_first = {first: sorted(found) for first, found in lengths.items()}
    word_firsts = "".join(sorted(c for c in by_first if c.isalnum()))
    other_firsts = "".join(sorted(c for c in by_first if not c.isalnum()))
    alternatives = []
    if word_firsts:
        alternatives.append(f"(?<![A-Za-z0-9])[{re.escape(word_firsts)}]")
    if other_firsts:
        alternatives.append(f"[{re.escape(other_firsts)}]")
    starts = re.compile("|".join(alternatives))
    next_free = dict.fromkeys(search_from, 0)  # where the next use of a short form may start (no overlaps)
    n = len(text)
    for match in starts.finditer(text, min(search_from.values())):
        start = match.start()
        here = []
        for length in by_first[text[start]]:
            short = text[start : start + length]
            if short in rank and len(short) == length:
                here.append(short)
        if len(here) > 1:
            here.sort(key=rank.__getitem__)
        for short in here:
            end = start + len(short)
            if start < search_from[short] or start < next_free[short] or not _ends_word(text, short, end, n):
                continue
            next_free[short] = end
            yield start, short


def _ends_word(text: str, short: str, end: int, n: int) -> bool:
    """Is ``text[end]`` a place a use of ``short`` (ending at ``end``) may end?"""
    last = short[-1]
    if last in _PLURAL_END:
        if end < n and text[end] == "s":
            end += 1
        return end >= n or text[end] not in _ASCII_ALNUM
    if last.isalnum():
        return end >= n or text[end] not in _ASCII_ALNUM
    return True


def letter_words(text: str) -> set[str]:
    """The maximal runs of letters (``str.isalpha``) of a text.

    Example:
        >>> sorted(letter_words("or, OR2 x_y ab²cd"))
        ['OR', 'ab', 'cd', 'or', 'x', 'y']
    """
    out: set[str] = set()
    for run in _LETTER_RUN.findall(text):
        if run.isalpha():
            out.add(run)
        else:  # a run holding numerals that are no decimal digits ("²", "½")
            out.update("".join(group) for alpha, group in groupby(run, str.isalpha) if alpha)
    return out
