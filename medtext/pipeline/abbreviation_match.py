"""Align the characters of a short form with a candidate long form (Schwartz-Hearst, Ab3P-style).

A short form (SF) matches a long form (LF) when its letters and digits appear in
the LF in order, the first one at the start of a (sub)word — a word start is a
character after a space, a hyphen, a slash or a bracket, a lower-to-upper case
change or a letter/digit change. Among all alignments the best one uses as many
first letters of LF words as possible, then touches as many words as possible,
then puts as many characters as possible on subword starts; the resulting
:class:`Alignment` carries the counts the validity filters judge it by, and its
:attr:`Alignment.tier` sorts it into Ab3P's strategy families.

Greek letters count as their Latin initial (``α`` matches the ``a`` of ``alpha``),
and a digit may stand for a spelled number at a word start (``2D``, two-dimensional).

Example:
    >>> a = align("TAI", "timed artificial insemination")
    >>> a.positions, a.word_starts, a.words_hit, a.words
    ((0, 6, 17), 3, 3, 3)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GREEK = {
    "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "e", "θ": "t", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "τ": "t", "υ": "u", "φ": "p", "χ": "c", "ψ": "p", "ω": "o",
}  # fmt: skip

# A digit of a short form may stand for a spelled-out number at a word start ("2D", "two-dimensional").
NUMBER_WORDS = {
    "1": ("one", "single", "first", "mono", "uni"),
    "2": ("two", "second", "double", "di", "bi"),
    "3": ("three", "third", "tri"),
    "4": ("four", "fourth", "tetra", "quadr"),
    "5": ("five", "fifth", "penta"),
    "6": ("six", "hexa"),
    "7": ("seven", "hepta"),
    "8": ("eight", "octa"),
    "9": ("nine", "ninth", "nona"),
}

# Words a long form may leave unmatched without counting against it.
STOPWORDS = frozenset(
    """a an and as at by for from in into of on or the to with without via per its their
    his her my our your than that which plus""".split()
)


def fold(char: str) -> str:
    """Lower-case a character and map a Greek letter to its Latin initial."""
    low = char.lower()[0]  # one character out for one in ("İ".lower() has two), so offsets stay aligned
    return GREEK.get(low, low)


def sf_chars(short: str) -> str:
    """The characters of a short form that must be found in the long form (letters, digits)."""
    return "".join(fold(c) for c in short if c.isalnum())


_WORD_START = re.compile(r"(?<![^\W_])[^\W_]|(?<=[a-z])[A-Z]|(?<=[^\W\d_])\d|(?<=\d)[^\W\d_]")


def word_starts(text: str) -> list[bool]:
    """For each character: is it a letter/digit that starts a word or a subword?

    Example:
        >>> "".join("^" if s else "." for s in word_starts("anti-MuSK IL2"))
        '^....^.^..^.^'
    """
    out = [False] * len(text)
    for match in _WORD_START.finditer(text):
        out[match.start()] = True
    return out


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where the SF characters sit in the LF, and how well they sit.

    ``word_starts``: SF characters on (sub)word starts; ``words``: content words of
    the LF (stopwords excluded); ``words_hit``: content words holding at least one
    SF character; ``first_word_hit``: characters aligned inside the first word.
    """

    positions: tuple[int, ...]
    word_starts: int
    words_hit: int
    words: int
    first_word_hit: int
    last_word_hit: bool
    heads: int
    plural: bool = False
    signed: bool = False

    @property
    def tier(self) -> int:
        """How strong the match is, 1 (best) to 5, after Ab3P's strategy families.

        1: every SF character starts a word and every content word is used ("first letters");
        2: every content word's first letter is used (plus letters inside words);
        3: every content word holds an SF character;
        4: one content word holds none;
        5: anything else (Schwartz-Hearst's "any letters").

        A plural SF's final ``s`` (``PPIs``) may sit inside the last word even in tier 1.
        """
        n = len(self.positions) - self.plural
        if self.words_missed == 0:
            if self.word_starts == n:
                return 1
            return 2 if self.heads == self.words else 3
        return 4 if self.words_missed == 1 else 5

    @property
    def words_missed(self) -> int:
        """Content words of the LF that no SF character falls in."""
        return self.words - self.words_hit


def _word_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_stopword) of the whitespace-separated words of a text."""
    spans = []
    start = None
    for i, char in enumerate(text + " "):
        if char.isspace():
            if start is not None:
                word = text[start:i]
                spans.append((start, i, word.lower().strip(",;:.") in STOPWORDS))
                start = None
        elif start is None:
            start = i
    return spans


def align(short: str, long: str) -> Alignment | None:
    """The best alignment of ``short`` in ``long`` (first SF character at the first LF character), or None.

    "Best" maximises SF characters on word starts, then content words touched.

    Example:
        >>> align("CT", "computed tomography").word_starts
        2
        >>> align("XY", "computed tomography") is None
        True
    """
    chars = sf_chars(short)
    first = next((i for i, c in enumerate(long) if c.isalnum()), None)
    if not chars or first is None:
        return None
    return Aligner(chars, long).at(first)


class Aligner:
    """Best alignments of one short form's characters in one window of text.

    ``at(anchor)`` aligns the first SF character at ``anchor`` and the others after
    it; the memo is shared by all anchors, so trying every start is cheap.
    ``plural``: the SF ends in a plural ``s`` (``PPIs``), which may sit inside a word.

    Example:
        >>> Aligner("ct", "we used computed tomography").at(8).positions
        (8, 17)
    """

    def __init__(self, chars: str, window: str, plural: bool = False) -> None:
        self.chars = chars
        self.plural = plural
        self.window = window
        self.folded = window.lower() if window.isascii() else "".join(fold(c) for c in window)
        self.starts = word_starts(window)
        self.spans = _word_spans(window)
        self.word_of = [0] * len(window)
        for index, (begin, end, _) in enumerate(self.spans):
            for i in range(begin, end):
                self.word_of[i] = index
        self._where: dict[str, list[int]] = {}
        for q, c in enumerate(self.folded):
            self._where.setdefault(c, []).append(q)
        for digit in set(chars) & NUMBER_WORDS.keys():
            spelled = [q for q in range(len(window)) if self.starts[q] and self.folded.startswith(NUMBER_WORDS[digit], q)]
            if spelled:
                self._where[digit] = sorted(self._where.get(digit, []) + spelled)
        self.heads = [False] * len(window)
        for begin, end, stop in self.spans:
            if not stop:
                first = next((i for i in range(begin, end) if window[i].isalnum()), None)
                if first is not None:
                    self.heads[first] = True
        self._memo: dict[tuple[int, int], tuple[int, int, int, tuple[int, ...]] | None] = {}

    def _best(self, i: int, q: int) -> tuple[int, int, int, tuple[int, ...]] | None:
        """Best (word heads, new content words, word starts, positions) of chars[i:] after position q."""
        if i == len(self.chars):
            return (0, 0, 0, ())
        key = (i, q)
        if key in self._memo:
            return self._memo[key]
        result = None
        word = self.word_of[q]
        for r in self._where.get(self.chars[i], ()):
            if r <= q:
                continue
            rest = self._best(i + 1, r)
            if rest is None:
                continue
            new_word = 1 if self.word_of[r] != word and not self.spans[self.word_of[r]][2] else 0
            score = (rest[0] + self.heads[r], rest[1] + new_word, rest[2] + self.starts[r])
            if result is None or score > result[:3]:
                result = (*score, (r, *rest[3]))
        self._memo[key] = result
        return result

    def anchors(self) -> list[int]:
        """Word starts where the first SF character can sit, left to right."""
        return [q for q in self._where.get(self.chars[0], ()) if self.starts[q]]

    def at(self, anchor: int) -> Alignment | None:
        """The best alignment with the first SF character at ``anchor`` (None when impossible)."""
        if anchor not in self._where.get(self.chars[0], ()):
            return None
        rest = self._best(1, anchor)
        if rest is None:
            return None
        positions = (anchor, *rest[3])
        first_word = self.word_of[anchor]
        content = [i for i in range(first_word, len(self.spans)) if not self.spans[i][2]]
        hit = {self.word_of[q] for q in positions}
        return Alignment(
            positions=positions,
            word_starts=sum(1 for q in positions if self.starts[q]),
            words_hit=sum(1 for i in content if i in hit),
            words=len(content),
            first_word_hit=sum(1 for q in positions if self.word_of[q] == first_word),
            last_word_hit=not content or content[-1] in hit,
            heads=sum(1 for i in content if self._head_hit(i, positions, anchor)),
            plural=self.plural and not self.starts[positions[-1]],
        )

    def _head_hit(self, word: int, positions: tuple[int, ...], anchor: int) -> bool:
        """Is the first letter of a content word used (the anchor's subword counts for its word)?"""
        begin, end, _ = self.spans[word]
        if self.word_of[anchor] == word:
            return True
        return any(self.heads[q] for q in positions if begin <= q < end)
