"""Where definitions can be: bracket pairs, short-form look-alikes and long-form windows.

A definition sits at a bracket pair ``(...)`` or ``[...]`` (nested pairs are
matched properly). Three shapes are read from each pair:

* ``forward``: ``long form (SF)``, also ``(SF; 10 mM)`` / ``(SF, n = 3)``: the SF is
  the bracket content or its first ``;``/``,`` part; the long form ends right
  before the bracket, within the sentence (and within any enclosing bracket);
* ``inner``: ``(long form, SF)`` / ``(long form; SF)``: exactly two parts, SF last;
* ``reversed``: ``SF (long form)``: the word before the bracket is the SF and the
  bracket content (or its first part) is the whole long form.

Example:
    >>> [(c.kind, c.short) for c in candidates("tumor necrosis factor (TNF; 5 ng) and rh (recombinant human)")]
    [('forward', 'TNF'), ('reversed', 'rh')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from medtext.pipeline.abbreviation_match import GREEK

_BRACKETS = re.compile(r"[()\[\]]")
_CLOSER = {")": "(", "]": "["}
# A sentence ends at . ! ? followed by space and an upper-case letter or digit.
# Transcribed notes write a line break as a comma: "...the eye.,POSTOPERATIVE DIAGNOSIS:,".
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?:\s+|,\s*)(?=[A-Z0-9])")
_CLAUSE_END = re.compile(r"[;:][\s,]|\s[-–]\s")
# Bracket content that is never a short form: statistics, counts, references, figures,
# compound and list labels ("2b", "iii", "a"), and a transcriptionist's "(sp?)" / "(ph)" (spelling unsure).
_NOT_SHORT = re.compile(
    r"[=<>±≤≥%~@]|^\d+[a-z]$|^(?:[ivx]+|[a-z])$|^(?:e\.g|i\.e|eg|ie|cf|see|[Ff]igs?|[Ff]igure|[Tt]ab|[Tt]able|[Rr]efs?|vs|et al|and|or|but|in|on|at|to|for|etc|sic|sp|ph|ibid)\b"
)
# A TNM stage ("pT1", "ypT2a", "cN0", "T2N0M0"): a classification, not a short form; "T3" alone may be one.
_STAGE = re.compile(r"(?:[cpy]|yp)?T(?:[0-4xX]|is)[a-d]?(?:N[0-3xX][a-c]?)(?:M[01xX])?|(?:[cpy]|yp)(?:T(?:[0-4xX]|is)|N[0-3xX]|M[01xX])[a-d]?(?:N[0-3xX][a-c]?)?(?:M[01xX])?")
_LONG_LOWER = re.compile(r"(?<![A-Za-z])[a-z]{7,}|[a-z]{9,}")
_SPECIES = re.compile(r"[A-Z][a-z]?\. [a-z]+")  # "S. pyogenes", "E. coli"
# A measurement after a word in the bracket: "(Hgb 12.1)", "(BP 120/80)", "(RR 8)" (not "(EC 3.1.1.7)", "(IFN 2b)").
_VALUE = re.compile(r"(?<=\S)\s+(?P<number>[-+]?\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)?)$")
_SPLIT = re.compile(r"\s*(?:;|,\s)\s*")
MAX_SHORT = 14
MAX_SHORT_WORDS = 3
MAX_BRACKET = 400  # a "pair" further apart than this is unbalanced text, not a bracket


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible definition: the SF span, and the span the long form must come from.

    ``forward`` / ``inner``: the long form ends at ``window_end`` and starts at a word
    start at or after ``window_start``; ``reversed``: the long form is the window.
    """

    kind: str
    glued: bool
    short_start: int
    short_end: int
    window_start: int
    window_end: int
    text: str

    @property
    def short(self) -> str:
        """The short form as written."""
        return self.text[self.short_start : self.short_end]


def bracket_pairs(text: str) -> list[tuple[int, int, int]]:
    """(open, close, enclosing open or -1) for each matched ``()`` / ``[]`` pair, by position.

    Example:
        >>> bracket_pairs("a (b [c] d) e")
        [(2, 10, -1), (5, 7, 2)]
    """
    stack: list[int] = []
    pairs = []
    for match in _BRACKETS.finditer(text):
        char, i = match.group(), match.start()
        if char in "([":
            stack.append(i)
            continue
        want = _CLOSER[char]
        for k in range(len(stack) - 1, max(-1, len(stack) - 3), -1):
            if text[stack[k]] == want:
                opener = stack[k]
                del stack[k:]
                if i - opener <= MAX_BRACKET:
                    pairs.append((opener, i, stack[-1] if stack else -1))
                break
    pairs.sort()
    return pairs


def looks_like_short_form(short: str) -> bool:
    """Could this string be a short form? (length, letters, no statistics or references)

    Example:
        >>> [looks_like_short_form(s) for s in ("IL-2", "5-FU", "CTs", "n = 12", "p < 0.05", "1995", "rats and mice")]
        [True, True, True, False, False, False, False]
    """
    if not short or len(short) > MAX_SHORT or short.count(" ") >= MAX_SHORT_WORDS:
        return False
    first = short[0]
    if not (first.isalnum() or first in "[-+" or first.lower() in GREEK):
        return False
    if not any(c.isalpha() for c in short) or _NOT_SHORT.search(short) or _STAGE.fullmatch(short):
        return False
    if short.count("(") != short.count(")") or short.count("[") != short.count("]"):
        return False  # a piece of "(PtdIns [4, 5]P2)"
    words = short.split()
    if len(words) > 1 and short.islower():
        return False  # "rats and mice", "in press"
    if _LONG_LOWER.search(short) and not _SPECIES.fullmatch(short):
        return False  # an ordinary word, or a name spelled out ("Leu-enkephalin")
    return True


def _sentence_start(text: str, limit: int, end: int) -> int:
    """Start of the sentence or clause holding ``end`` (not before ``limit``)."""
    start = limit
    for match in _SENTENCE_END.finditer(text, limit, end):
        start = match.end()
    for match in _CLAUSE_END.finditer(text, start, end):
        start = match.end()
    return start


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Does text[start:end] end with a sentence's period ("respectively. (R)"), not an abbreviation's ("M.O.I.")?"""
    if text[end - 1] != ".":
        return False
    words = text[start : end - 1].split()
    return not words or "." not in words[-1]


def _trim_end(text: str, start: int, end: int) -> int:
    """Move ``end`` left over spaces, trailing commas/colons and trademark signs (``SCALE©``) before a bracket."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:©®™"):
        end -= 1
    return end


def _parts(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Spans of the ``;``/``, ``-separated parts of text[begin:end], spaces trimmed."""
    spans = []
    cursor = begin
    for match in _SPLIT.finditer(text, begin, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
    return out


def _ends_in_value(text: str, part: tuple[int, int], win_start: int, win_end: int) -> bool:
    """Does a bracket part end in a measurement (``(Hgb 12.1)``, ``(RR 8)``, ``(CPT 47563)``)?

    Such a bracket reports a value, mostly evidence for what precedes it
    ("hypothyroidism (TSH 14.5)"), so it defines nothing. A number that also ends the
    text before the bracket is part of a name (``receptor 2 (PAR 2)``).

    Example:
        >>> text = "Hemoglobin (Hgb 12.1); receptor 2 (PAR 2)"
        >>> _ends_in_value(text, (12, 20), 0, 10), _ends_in_value(text, (35, 40), 23, 33)
        (True, False)
    """
    value = _VALUE.search(text, part[0], part[1])
    if value is None:
        return False
    number = value.group("number")
    before = text[win_start:win_end]
    return not (before.endswith(number) and not before[: -len(number)][-1:].isdigit())


def candidates(text: str) -> Iterator[Candidate]:
    """Every possible definition in a text, in order of the brackets.

    Example:
        >>> [c.short for c in candidates("odds ratio [OR] 3.7 (p < 0.05)")]
        ['OR']
    """
    lookback = 300
    pairs = bracket_pairs(text)
    # Closers of stand-alone brackets ("x (y) z", not "bis(x)ethane"): a long form never spans one.
    blocks = sorted(c + 1 for _, c, _ in pairs if c + 1 >= len(text) or not (text[c + 1].isalnum() or text[c + 1] in "-/"))
    for opener, closer, parent in pairs:
        if closer + 1 < len(text) and text[closer + 1].isalnum():
            continue  # "[3H]nicotine", "bis(phenyl)ethane": part of a word, not a definition
        inner_begin, inner_end = opener + 1, closer
        parts = _parts(text, inner_begin, inner_end)
        if not parts or parts[0][0] >= parts[0][1]:
            continue
        limit = max(parent + 1, opener - lookback, 0)
        k = bisect_right(blocks, opener) - 1
        if k >= 0 and blocks[k] > limit:
            limit = blocks[k]
        win_end = _trim_end(text, limit, opener)
        glued = win_end == opener
        win_start = _sentence_start(text, limit, win_end)
        first = parts[0]
        # forward: long form (SF) / (SF; ...) / (SF, ...), not (SF 12.1)
        if not _ends_in_value(text, first, win_start, win_end) and looks_like_short_form(text[first[0] : first[1]]) and win_end > win_start and not _ends_sentence(text, win_start, win_end):
            yield Candidate("forward", glued, first[0], first[1], win_start, win_end, text)
        # inner: (long form, SF)
        if len(parts) == 2:
            last = parts[-1]
            if looks_like_short_form(text[last[0] : last[1]]):
                yield Candidate("inner", False, last[0], last[1], parts[0][0], parts[-2][1], text)
        # reversed: SF (long form)
        if win_end > win_start and len(parts) == 1 and first[1] - first[0] > 2:
            token_start = win_end
            while token_start > win_start and not text[token_start - 1].isspace():
                token_start -= 1
            token = text[token_start:win_end]
            if looks_like_short_form(token):
                yield Candidate("reversed", glued, token_start, win_end, first[0], first[1], text)
