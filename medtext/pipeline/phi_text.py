"""Non-ASCII text for the ``phi`` component: folding to ASCII with an offset map, and whole words.

The PHI rules, cues and model features were written for (and trained on) ASCII notes. A
note with accented or other non-ASCII letters is *folded* first (``José García`` ->
``Jose Garcia``, ``Jose\\u0301`` -> ``Jose``, ``Straße`` -> ``Strasse``, ``O’Brien`` ->
``O'Brien``; a letter with no ASCII base becomes ``x`` / ``X`` by its case), the component
runs on the folded text, and the spans are mapped back to the original characters. So a
non-ASCII word is one word, with the features of the ASCII word it folds to, and an ASCII
note is not touched at all (its folded text is itself). Invisible format characters fold to
nothing, so ``Em\u00adily`` (soft hyphen) is the name ``Emily`` and ``555-\u200b0199`` a
phone number (text pasted from web pages and word processors carries them).

Example:
    >>> folded = FoldedText("Dr. Lefe\\u0300vre, Straße 5")
    >>> folded.text
    'Dr. Lefevre, Strasse 5'
    >>> s, e = folded.to_source(4, 11)
    >>> folded.source[s:e] == "Lefe\\u0300vre"
    True
    >>> whole_words("José García", [(0, 3, "NAME"), (7, 10, "NAME")])
    [(0, 4, 'NAME'), (5, 11, 'NAME')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from medtext.pipeline.invisible import is_invisible

# A letter: a word character that is no digit, no underscore and no number sign ("²", "½", "Ⅻ", "①").
LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793]"
# Combining marks that continue a word in the unit pattern (diacritics written as separate code points).
MARK = r"[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_LETTER = re.compile(LETTER)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Letters without an ASCII decomposition, and apostrophes.
_SPECIAL = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "n", "Ŋ": "N",
    "ŧ": "t", "Ŧ": "T", "ſ": "s", "’": "'", "ʼ": "'",
}


def is_letter(ch: str) -> bool:
    """A letter of any script (``é``, ``ß``, ``Ж``), as the unit pattern reads letters."""
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or (ch > "\x7f" and _LETTER.match(ch) is not None)


def is_mark(ch: str) -> bool:
    """A combining mark (Unicode category M*): it belongs to the letter before it."""
    return ch > "\x7f" and unicodedata.category(ch)[0] == "M"


def _word_char(ch: str) -> bool:
    return is_letter(ch) or is_mark(ch)


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """The ASCII text a character folds to: itself when ASCII or no letter, ``""`` for a combining mark or an
    invisible format character (soft hyphen, zero-width space / joiner, word joiner, BOM: category Cf), the
    base letter(s) of a letter (``é`` -> ``e``, ``ß`` -> ``ss``), else ``x`` / ``X`` by case."""
    if ch < "\x80":
        return ch
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    if unicodedata.category(ch)[0] == "M" or is_invisible(ch):
        return ""
    if not _LETTER.match(ch):
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isalpha())
    if base:
        return base
    return "X" if ch.isupper() else "x"


def fold_word(word: str) -> str:
    """:func:`fold_char` of every character (an ASCII word is returned as it is).

    Example:
        >>> fold_word("Núñez"), fold_word("Ólafsdóttir"), fold_word("Tasker")
        ('Nunez', 'Olafsdottir', 'Tasker')
    """
    return word if word.isascii() else "".join(map(fold_char, word))


class FoldedText:
    """A text and its folded version, with offsets both ways (``aligned`` when every character folds to one)."""

    __slots__ = ("_ends", "_positions", "_starts", "aligned", "source", "text")

    def __init__(self, source: str) -> None:
        self.source = source
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._positions: list[int] = []
        if source.isascii():
            self.text, self.aligned = source, True
            return
        runs = [(m.start(), m.group()) for m in _NON_ASCII.finditer(source)]
        pieces = [[fold_char(ch) for ch in run] for _, run in runs]
        self.aligned = all(len(p) == 1 for run in pieces for p in run)
        out: list[str] = []
        last = 0
        for (start, run), folded in zip(runs, pieces):
            out.append(source[last:start])
            out += folded
            last = start + len(run)
        out.append(source[last:])
        self.text = "".join(out)
        if not self.aligned:
            self._build_maps()

    def _build_maps(self) -> None:
        """Per folded character, the source characters it comes from; per source character, its folded offset."""
        starts, ends, positions = self._starts, self._ends, self._positions
        for i, ch in enumerate(self.source):
            positions.append(len(starts))
            piece = fold_char(ch)
            if piece:
                starts += [i] * len(piece)
                ends += [i + 1] * len(piece)
            elif ends:  # a combining mark: part of the character before it
                k = len(ends) - 1
                first = starts[k]
                while k >= 0 and starts[k] == first:
                    ends[k] = i + 1
                    k -= 1
        positions.append(len(starts))

    @property
    def identity(self) -> bool:
        """The folded text is the source text (an ASCII text, or one whose non-ASCII characters are no letters)."""
        return self.text == self.source

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the folded span ``[start, end)`` (non-empty)."""
        if self.aligned:
            return start, end
        return self._starts[start], self._ends[end - 1]

    def written(self, start: int, end: int) -> str:
        """The source text of the folded span ``[start, end)`` (non-empty)."""
        start, end = self.to_source(start, end)
        return self.source[start:end]

    def to_folded(self, start: int, end: int) -> tuple[int, int]:
        """Folded offsets of the source span ``[start, end)``."""
        if self.aligned:
            return start, end
        return self._positions[start], self._positions[end]


def whole_words(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans grown so that none starts or ends inside a word (letters and combining marks of any script);
    spans that come to overlap are merged (the label of the first is kept).

    Example:
        >>> whole_words("Guillain-Barré", [(9, 13, "NAME")])
        [(9, 14, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    size = len(text)
    for start, end, label in spans:
        while 0 < start < size and _word_char(text[start]) and _word_char(text[start - 1]):
            start -= 1
        while 0 < end < size and _word_char(text[end]) and _word_char(text[end - 1]):
            end += 1
        if out and start < out[-1][1]:
            prev = out.pop()
            start, end, label = min(prev[0], start), max(prev[1], end), prev[2]
        out.append((start, end, label))
    return out


def spans_to_source(folded: FoldedText, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Folded spans -> source spans."""
    return [(*folded.to_source(s, e), label) for s, e, label in spans if e > s]


__all__ = ["LETTER", "MARK", "FoldedText", "fold_char", "fold_word", "is_letter", "is_mark",
           "spans_to_source", "whole_words"]
