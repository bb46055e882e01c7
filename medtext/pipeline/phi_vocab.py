"""Per-token facts for the PHI scorer, cached: one row per distinct unit text (and kind).

The batch scorer (:mod:`phi_scorer`) never builds features per unit: it maps each
unit's text to a row of this table once, and reads every fact it needs (kind,
context-token id, case, lexicon flags, whether it is a candidate) from numpy
columns. Only the first sighting of a word costs Python work.

Example:
    >>> table = TokenTable(model)  # doctest: +SKIP
    >>> rows = table.rows(["Dr", ".", "Tasker"], [0, 2, 4], "Dr. Tasker")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat

import numpy as np

from medtext.pipeline.phi_features import CANDIDATE_KINDS, word_case
from medtext.pipeline.phi_lexicons import FACILITY_WORDS, lexicons
from medtext.pipeline.phi_patterns import split_space, unit_kind_at
from medtext.pipeline.phi_text import fold_word, is_letter

# Kind codes; EDGE pads the ends of each note in a batch (context "<edge>").
KINDS = ("EDGE", "WORD", "NL", "PUNCT", "NUM", "MD", "MDY", "MY", "MDMD", "ISO", "PHONE", "PHONE7", "RATIO")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
EDGE, WORD, NL, PUNCT = 0, 1, 2, 3
CASES = ("U", "I", "L", "T", "M")
_JOINERS = frozenset(".-'/&")
_PAD = ""  # the text of an EDGE pad (no unit is empty)
_COLUMNS = ("kind", "vid", "case", "len1", "dot", "first", "surname", "facility", "cand", "joiner", "width", "length")
_MAX_ROWS = 200_000  # then start afresh (as the model's own cache of unit features)


class TokenTable:
    """Growing table of token facts for one model (its skip words and context vocabulary)."""

    def __init__(self, vocab: dict[str, int], skip_words: frozenset[str]) -> None:
        self.vocab = vocab
        self.skip_words = skip_words
        self.reset()

    def reset(self) -> None:
        self._index: dict[str, int] = {}
        self._ambiguous: dict[tuple[str, str], int] = {}
        self.size = 0
        self.texts: list[str] = []
        self.kinds: list[str] = []
        capacity = 4096
        self.cols = {name: np.zeros(capacity, dtype=np.int32) for name in _COLUMNS}
        self.own = np.full((capacity, 3), -1, dtype=np.int32)  # own-score row per note case
        self._add(_PAD, "EDGE")  # an EDGE pad: no text
        self._index[_PAD] = 0

    def full(self) -> bool:
        return self.size > _MAX_ROWS

    def rows(self, units: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """Table row of each unit string of a batch (see :func:`unit_strings`), and the units not in the
        table yet (row -1): :meth:`resolve` them once their offsets are known."""
        out = np.fromiter(map(self._index.get, units, repeat(-1)), dtype=np.int32, count=len(units))
        return out, np.flatnonzero(out < 0).tolist()

    def resolve(self, units: Sequence[str], rows: np.ndarray, missing: list[int],
                locate: Callable[[int], tuple[str, int]]) -> None:
        """Fill in the rows of ``missing`` units; ``locate(u)`` gives (note text, end of unit ``u`` in it),
        needed for the few units whose kind depends on what follows them."""
        index = self._index
        for u in missing:
            row = index.get(units[u])  # a unit new to the table may occur again in the batch: one row for all
            rows[u] = self._lookup(units[u], locate, u) if row is None else row

    def _lookup(self, unit: str, locate: Callable[[int], tuple[str, int]], u: int) -> int:
        space, tok = split_space(unit)
        first = tok[0]
        if ("A" <= first <= "Z") or ("a" <= first <= "z") or (first > "\x7f" and is_letter(first)):
            kind = "WORD"
        elif len(tok) == 1:
            kind = "NL" if tok == "\n" else "NUM" if tok.isdecimal() else "PUNCT"
        elif tok.isdecimal():
            kind = "NUM"  # every other kind has a separator in it
        else:  # "1/2" is MD or RATIO depending on what follows: ask the unit pattern
            text, end = locate(u)
            kind = unit_kind_at(text, end - len(tok))
            key = (unit, kind)
            row = self._ambiguous.get(key)
            if row is None:
                row = self._ambiguous[key] = self._add(tok, kind, len(space))
            return row
        row = self._add(tok, kind, len(space))
        self._index[unit] = row
        return row

    def _add(self, tok: str, kind: str, space: int = 0) -> int:
        row = self.size
        if row == len(self.cols["kind"]):
            for name, col in self.cols.items():
                self.cols[name] = np.concatenate([col, np.zeros_like(col)])
            self.own = np.concatenate([self.own, np.full_like(self.own, -1)])
        self.size += 1
        self.texts.append(tok)
        self.kinds.append(kind)
        c = self.cols
        c["kind"][row] = KIND_CODE[kind]
        c["length"][row] = len(tok)
        c["width"][row] = space + len(tok)
        if kind == "WORD":
            word = fold_word(tok)  # a non-ASCII word reads as the ASCII word it folds to
            lower = word.lower()
            ctx = lower
            lex = lexicons()
            common = lex.common_count(lower)
            c["case"][row] = CASES.index(word_case(word))
            c["len1"][row] = len(word) == 1
            c["first"][row] = bool(lex.first_rank(lower) and not common)
            c["surname"][row] = bool(lex.surname_rank(lower) and not common)
            c["facility"][row] = lower in FACILITY_WORDS
            c["cand"][row] = lower not in self.skip_words
        else:
            ctx = "<edge>" if kind == "EDGE" else tok if kind == "PUNCT" else kind
            c["cand"][row] = kind in CANDIDATE_KINDS
            c["joiner"][row] = kind == "PUNCT" and tok in _JOINERS
        c["dot"][row] = ctx == "."
        c["vid"][row] = self.vocab.get(ctx, 0)
        return row
