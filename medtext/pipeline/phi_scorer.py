"""Batch scoring for the PHI model: the probabilities of :meth:`PhiModel.unit_probabilities`, fast.

Instead of building feature strings per unit, every unit text maps to a row of a
:class:`~medtext.pipeline.phi_vocab.TokenTable` (kind, context-token id, case,
lexicon flags) and each context role (``w-1``, ``bag``, ``pw``, ...) becomes a
lookup array from context-token id to weight row. A batch of notes is scored
with a few dozen numpy gathers. Weight rows are added in the order
:func:`~medtext.pipeline.phi_features.context_pairs` lists them (absent features
add a zero row), so the scores are the same floats as the reference path.

Example:
    >>> scorer = BatchScorer(model)  # doctest: +SKIP
    >>> [doc.probs.shape for doc in scorer.score(["seen by dr tasker", ""])]  # doctest: +SKIP
    [(3, 6), (0, 6)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from medtext.pipeline.phi_features import BAG, WINDOW, note_case
from medtext.pipeline.phi_patterns import unit_strings
from medtext.pipeline.phi_vocab import CASES, KIND_CODE, KINDS, NL, PUNCT, WORD, TokenTable

if TYPE_CHECKING:
    from medtext.pipeline.phi_model import PhiModel

_PAD = 6  # EDGE units around each note: more than the widest window (bag: 5, and 6 back for "<nl>")
_BAG = tuple(o for o in range(-BAG, BAG + 1) if o)  # (-5, ..., -1, 1, ..., 5)
_NOTE_CASES = ("upper", "lower", "mixed")
_BAG_OFFSETS = np.array(_BAG)
_BAG_NOBODY = (-1 - np.arange(len(_BAG))).astype(np.int32)  # (token ids are int32)
_PAD_LIST = [""] * _PAD
_CHUNK = 16_384  # candidates summed at a time (bounds the memory of the gathered weight rows)
FLAGS = ("p_initial", "n_initial", "p_first", "p_facility", "n_surname", "n_facility")  # one-feature roles


class ScoredNote(NamedTuple):
    """One note of a batch: unit offsets, table rows and kinds, and the candidates' probabilities."""

    starts: np.ndarray  # per unit, into the note text
    ends: np.ndarray
    rows: np.ndarray  # TokenTable row per unit
    candidates: np.ndarray  # unit indices of the classified units
    probs: np.ndarray  # (len(candidates), n_labels)


class ScorerTables(NamedTuple):
    """What a :class:`BatchScorer` looks up, derived from a model's features by :func:`scorer_tables`.

    ``vocab`` maps a context token to its id (0: not in the model); each array maps an id, a case or a kind
    to a weight row (``zero``, one past the model's rows, when there is no such feature).
    """

    vocab: dict[str, int]
    window: dict[int, np.ndarray]  # per offset of WINDOW: token id -> row
    bag: np.ndarray
    pw: np.ndarray
    nw: np.ndarray
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]  # "w-2w-1", "w-1w+1": sorted pair keys, their rows
    pc: np.ndarray  # by case code (CASES)
    nc: np.ndarray
    pk: np.ndarray  # by kind code (KINDS)
    nk: np.ndarray
    flag: dict[str, int]
    bag_nl: int


def scorer_tables(roles: dict[str, dict[str, int]], n_features: int) -> ScorerTables:
    """The lookup tables of a model whose features, split by role (``{role: {value: row}}``), are ``roles``.

    Example:
        >>> tables = scorer_tables({"w-1": {"dr": 0}, "pc": {"T": 1}}, 2)
        >>> tables.vocab["dr"], int(tables.window[-1][tables.vocab["dr"]]), tables.pc.tolist()
        (2, 0, [2, 2, 2, 1, 2])
    """
    zero = n_features
    vocab: dict[str, int] = {"<edge>": 1}
    for role in [f"w{o:+d}" for o in WINDOW] + ["bag", "pw", "nw"]:
        for value in roles.get(role, {}):
            vocab.setdefault(value, len(vocab) + 1)
    for role in ("w-2w-1", "w-1w+1"):
        for value in roles.get(role, {}):
            for part in value.split(" "):
                vocab.setdefault(part, len(vocab) + 1)
    size = len(vocab) + 2  # 0 is "not in the model"

    def by_token(role: str) -> np.ndarray:
        out = np.full(size, zero, dtype=np.int64)
        for value, index in roles.get(role, {}).items():
            out[vocab[value]] = index
        return out

    def by_name(role: str, names: Sequence[str]) -> np.ndarray:
        found = roles.get(role, {})
        return np.array([found.get(name, zero) for name in names], dtype=np.int64)

    def single(role: str, value: str = "") -> int:
        return roles.get(role, {}).get(value, zero)

    pairs = {}
    for role in ("w-2w-1", "w-1w+1"):
        items = roles.get(role, {})
        keys = np.array([vocab[a] * size + vocab[b] for a, b in (v.split(" ") for v in items)], dtype=np.int64)
        order = np.argsort(keys)
        pairs[role] = (keys[order], np.array(list(items.values()), dtype=np.int64)[order])
    kinds = [k if k not in ("EDGE", "WORD", "PUNCT") else "" for k in KINDS]
    pk, nk = by_name("pk", kinds), by_name("nk", kinds)
    for kind in ("EDGE", "WORD", "PUNCT"):
        pk[KIND_CODE[kind]] = nk[KIND_CODE[kind]] = zero
    return ScorerTables(
        vocab=vocab,
        window={o: by_token(f"w{o:+d}") for o in WINDOW},
        bag=by_token("bag"),
        pw=by_token("pw"),
        nw=by_token("nw"),
        pairs=pairs,
        pc=by_name("pc", CASES),
        nc=by_name("nc", CASES),
        pk=pk,
        nk=nk,
        flag={name: single(name) for name in FLAGS},
        bag_nl=single("bag", "<nl>"),
    )


class BatchScorer:
    """Vectorised scorer of one :class:`PhiModel` (without a second stage)."""

    def __init__(self, model: PhiModel) -> None:
        self.model = model
        n_features, n_labels = model.weights.shape
        self.zero = n_features  # index of an all-zero weight row
        self.weights = np.vstack([model.weights, np.zeros((1, n_labels), dtype=np.float32)])
        tables = model.tables().scorer  # from the disk cache after the first run (see phi_tables)
        self.vocab = tables.vocab
        self.size = len(self.vocab) + 2  # 0 is "not in the model"
        self.window = tables.window
        self.bag, self.pw, self.nw = tables.bag, tables.pw, tables.nw
        self.pairs = tables.pairs
        self.pc, self.nc, self.pk, self.nk = tables.pc, tables.nc, tables.pk, tables.nk
        self.flag = tables.flag
        self.bag_nl = tables.bag_nl
        self.table = TokenTable(self.vocab, model.skip_words)
        self._reset_own()

    def _reset_own(self) -> None:
        self.own = np.zeros((1024, len(self.model.labels)), dtype=np.float32)
        self.n_own = 0

    # -- scoring ------------------------------------------------------------------------------------
    def score(self, texts: Sequence[str]) -> list[ScoredNote]:
        """Units and candidate probabilities of each text, as :meth:`PhiModel.unit_probabilities` computes them."""
        table = self.table
        if table.full():
            table.reset()
            self._reset_own()
        units: list[str] = []
        firsts: list[int] = []
        for text in texts:
            units += _PAD_LIST
            firsts.append(len(units))
            units += unit_strings(text)
        lasts = [first - _PAD for first in firsts[1:]] + [len(units)]
        units += _PAD_LIST
        rows, missing = table.rows(units)
        widths = table.cols["width"][rows]
        for u in missing:
            widths[u] = len(units[u])
        ends = np.cumsum(widths)
        first_arr = np.asarray(firsts, dtype=np.int64)
        base = ends[first_arr - 1]

        def locate(u: int) -> tuple[str, int]:
            d = int(np.searchsorted(first_arr, u, side="right")) - 1
            return texts[d], int(ends[u] - base[d])

        table.resolve(units, rows, missing, locate)
        starts = ends - table.cols["length"][rows]
        cols = {name: col[rows] for name, col in table.cols.items()}
        cand = np.flatnonzero(cols["cand"])
        doc_of = np.searchsorted(first_arr, cand, side="right") - 1
        cases = np.array([_NOTE_CASES.index(note_case(t)) if lasts[d] > firsts[d] else 2 for d, t in enumerate(texts)],
                         dtype=np.int64)
        probs = self._probabilities(rows, cols, cand, cases[doc_of]) if len(cand) else \
            np.zeros((0, len(self.model.labels)), dtype=np.float32)
        out = []
        bounds = np.searchsorted(doc_of, np.arange(len(texts) + 1))
        for d in range(len(texts)):
            lo, hi = firsts[d], lasts[d]
            a, b = bounds[d], bounds[d + 1]
            out.append(ScoredNote(starts[lo:hi] - base[d], ends[lo:hi] - base[d], rows[lo:hi], cand[a:b] - lo, probs[a:b]))
        return out

    def _probabilities(self, rows: np.ndarray, cols: dict[str, np.ndarray], c: np.ndarray, case: np.ndarray) -> np.ndarray:
        own_rows = self._own_rows(rows[c], case)  # may grow self.own: index it afterwards
        scores = self.own[own_rows] + self.model.bias
        index = self._feature_rows(cols, c)
        for lo in range(0, len(c), _CHUNK):
            part = index[lo : lo + _CHUNK]
            sums, nonempty = self._segment_sums(part)
            view = scores[lo : lo + _CHUNK]
            view[nonempty] += sums[nonempty]
        return softmax(scores)

    def _feature_rows(self, cols: dict[str, np.ndarray], c: np.ndarray) -> np.ndarray:
        """Weight row of each context feature of each candidate, in the order of ``context_pairs`` (absent: ``zero``)."""
        zero = self.zero
        out: list[np.ndarray] = []
        vid, kind = cols["vid"], cols["kind"]
        for o in WINDOW:
            out.append(self.window[o][vid[c + o]])
        out.append(self._pair("w-2w-1", vid[c - 2], vid[c - 1]))
        line = np.cumsum(kind == NL)
        here = line[c]
        out.append(np.where(line[c - 1] != line[c - 6], self.bag_nl, zero))
        around = c[:, None] + _BAG_OFFSETS  # the bag: words of the line within 5 units, each word once
        words = vid[around]
        valid = (kind[around] == WORD) & (line[around] == here[:, None])
        keyed = np.where(valid, words, _BAG_NOBODY).T.copy()  # by position; invalid ones never equal anything
        repeat = np.zeros(keyed.shape, dtype=bool)  # [j, i]: the word at position j was in candidate i's bag before
        for j in range(1, len(_BAG)):
            for k in range(j):
                repeat[j] |= keyed[k] == keyed[j]
        out.extend(np.where(valid.T & ~repeat, self.bag[words.T], zero))
        out.append(self._pair("w-1w+1", vid[c - 1], vid[c + 1]))
        len1, dot = cols["len1"].astype(bool), cols["dot"].astype(bool)
        flag = self.flag
        out.append(np.where(dot[c - 1] & (kind[c - 2] == WORD) & len1[c - 2], flag["p_initial"], zero))
        out.append(np.where((kind[c + 1] == WORD) & len1[c + 1] & dot[c + 2], flag["n_initial"], zero))
        n = len(kind)
        positions = np.arange(n)
        not_punct = kind != PUNCT
        before = np.maximum.accumulate(np.where(not_punct, positions, 0))[c - 1]
        after = np.minimum.accumulate(np.where(not_punct, positions, n - 1)[::-1])[::-1][c + 1]
        for j, word_role, case_role, lex_flag, lex_col, fac_flag, kind_role in (
            (before, self.pw, self.pc, "p_first", "first", "p_facility", self.pk),
            (after, self.nw, self.nc, "n_surname", "surname", "n_facility", self.nk),
        ):
            is_word = kind[j] == WORD
            out.append(np.where(is_word, word_role[vid[j]], zero))
            out.append(np.where(is_word, case_role[cols["case"][j]], zero))
            out.append(np.where(is_word & cols[lex_col][j].astype(bool), flag[lex_flag], zero))
            out.append(np.where(is_word & cols["facility"][j].astype(bool), flag[fac_flag], zero))
            out.append(kind_role[kind[j]])
        return np.stack(out).T  # built by feature (contiguous rows), read as one row per candidate

    def _segment_sums(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, the sum of its present weight rows exactly as ``np.add.reduceat`` adds a segment:
        the first row plus numpy's pairwise sum of the rest (sequential below 8, eight partial sums above)."""
        present = index != self.zero
        count = present.sum(axis=1)
        n, width = len(index), int(count.max()) if len(count) else 0
        total = np.zeros((n, self.weights.shape[1]), dtype=np.float32)
        if width == 0:
            return total, count > 0
        # the present rows first, in order (absent ones: the zero row), by a stable sort of "absent"
        order = np.argsort(~present, axis=1, kind="stable")[:, :width]
        packed = np.take_along_axis(index, order, axis=1).astype(np.int32)
        blocks = np.maximum(count - 1, 0) // 8
        for q in range(int(blocks.max()) + 1):
            chosen = np.flatnonzero((blocks == q) & (count > 0))  # rows with nothing present stay zero
            if not len(chosen):
                continue
            span = int(count[chosen].max())
            rows = self.weights[packed[chosen, :span].T]  # (span, rows, labels): one slab per position
            if q == 0:
                acc = np.zeros((len(chosen), rows.shape[2]), dtype=np.float32)
                for k in range(1, span):
                    acc += rows[k]
            else:
                r = rows[1:9].copy()
                for b in range(1, q):
                    r += rows[1 + 8 * b : 9 + 8 * b]
                acc = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
                for k in range(1 + 8 * q, span):
                    acc += rows[k]
            total[chosen] = rows[0] + acc
        return total, count > 0

    def _pair(self, role: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        keys, found = self.pairs[role]
        if not len(keys):
            return np.full(len(a), self.zero, dtype=np.int64)
        query = a.astype(np.int64) * self.size + b
        at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        return np.where(keys[at] == query, found[at], self.zero)

    def _own_rows(self, table_rows: np.ndarray, case: np.ndarray) -> np.ndarray:
        """Row in ``self.own`` of each candidate's intrinsic score (computed once per token and note case)."""
        table = self.table
        out = table.own[table_rows, case]
        todo = np.flatnonzero(out < 0)
        if len(todo):
            new = list(dict.fromkeys(zip(table_rows[todo].tolist(), case[todo].tolist())))  # distinct, in order
            vectors = self.model.own_scores_many([(table.texts[r], table.kinds[r], _NOTE_CASES[cs]) for r, cs in new])
            first = self.n_own
            while first + len(new) > len(self.own):
                self.own = np.concatenate([self.own, np.zeros_like(self.own)])
            self.own[first : first + len(new)] = vectors
            self.n_own += len(new)
            rows, cases = zip(*new)
            table.own[list(rows), list(cases)] = np.arange(first, first + len(new), dtype=table.own.dtype)
            out[todo] = table.own[table_rows[todo], case[todo]]
        return out


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, in place (float32 in, float32 out)."""
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


__all__ = ["FLAGS", "BatchScorer", "ScoredNote", "ScorerTables", "scorer_tables", "softmax"]
