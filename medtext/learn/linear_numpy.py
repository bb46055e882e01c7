"""The prediction path of medtext's linear models in plain numpy (no scikit-learn, no spaCy).

A model *spec* is a dict of plain data + numpy arrays: TF-IDF blocks (analyzer
config, terms, IDF), a linear head (coef, intercept, link), and optional sentence
context and transition scores. :class:`NumpyModel` reproduces the scikit-learn
estimators' outputs (to ~1e-12) from it; ``medtext classify`` only ever uses this.

Example:
    >>> model = NumpyModel(spec)                 # doctest: +SKIP
    >>> model.predict_proba(["No evidence of malignancy."])   # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Sequence

import numpy as np

from medtext.features.context_rows import context_row, context_size, stack_matrix
from medtext.features.text import CharAnalyzer, analyzer_from_config

# Words whose character n-gram columns a block keeps (about 0.3 KB each); the cache starts over when full.
WORD_CACHE_SIZE = 50_000

# ----------------------------------------------------------------------------- links


def expit(x: np.ndarray) -> np.ndarray:
    """Logistic function, numerically stable (same values as scipy.special.expit)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def softmax(dec: np.ndarray) -> np.ndarray:
    dec = np.asarray(dec, dtype=np.float64)
    z = dec - dec.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def link_proba(dec: np.ndarray, link: str, n_classes: int, calib_a=None, calib_b=None) -> np.ndarray:
    """Turn decision values (n, k) into probabilities (n, n_classes).

    ``link``: ``softmax`` (multinomial logistic regression), ``logistic`` (binary
    logistic regression, k=1), ``sigmoid-calibrated`` (Platt-calibrated one-vs-rest
    scores, normalised as scikit-learn's CalibratedClassifierCV does), ``ovr-logistic``
    and ``ovr-sigmoid-calibrated`` (independent per-label probabilities, multi-label).
    """
    dec = np.asarray(dec, dtype=np.float64)
    if dec.ndim == 1:
        dec = dec[:, None]
    if link == "softmax":
        if n_classes == 2 and dec.shape[1] == 1:
            p = expit(dec[:, 0])
            return np.column_stack([1.0 - p, p])
        return softmax(dec)
    if link == "logistic":
        p = expit(dec[:, 0])
        return np.column_stack([1.0 - p, p])
    if link in ("sigmoid-calibrated", "ovr-sigmoid-calibrated"):
        a = np.asarray(calib_a, dtype=np.float64)
        b = np.asarray(calib_b, dtype=np.float64)
        cal = expit(-(a[None, :] * dec + b[None, :]))
        if link == "ovr-sigmoid-calibrated":
            return cal
        if n_classes == 2:
            return np.column_stack([1.0 - cal[:, 0], cal[:, 0]])
        den = cal.sum(axis=1, keepdims=True)
        uniform = np.full_like(cal, 1.0 / n_classes)
        return np.divide(cal, den, out=uniform, where=den != 0)
    if link == "ovr-logistic":
        return expit(dec)
    if link == "identity":
        return dec
    raise ValueError(f"unknown link {link!r}")


def cumulative_expectation(dec: np.ndarray, levels) -> np.ndarray:
    """Expected value of an ordinal target from cumulative decision values ``dec`` (n, K-1), where
    ``expit(dec[:, k])`` is ``P(y > levels[k])``: ``levels[0] + sum_k (levels[k+1] - levels[k]) * P``.

    >>> cumulative_expectation(np.array([[0.0, -50.0]]), [1.0, 5.0, 10.0]).round(6).tolist()
    [3.0]
    """
    levels = np.asarray(levels, dtype=np.float64)
    dec = np.asarray(dec, dtype=np.float64).reshape(-1, len(levels) - 1)
    return levels[0] + expit(dec) @ np.diff(levels)


def viterbi(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best label sequence for one abstract given log-scores (n, k), (k, k), (k,), (k,)."""
    n, k = emit.shape
    if n == 0:
        return []
    score = start + emit[0]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans  # (prev, cur)
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + emit[t]
    score = score + end
    best = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def forward_backward(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Posterior label marginals (n, k) of the same chain, in log space."""
    n, k = emit.shape
    if n == 0:
        return np.zeros((0, k))

    def lse(a, axis):
        m = a.max(axis=axis, keepdims=True)
        return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)

    alpha = np.zeros((n, k))
    beta = np.zeros((n, k))
    alpha[0] = start + emit[0]
    for t in range(1, n):
        alpha[t] = lse(alpha[t - 1][:, None] + trans, 0) + emit[t]
    beta[-1] = end
    for t in range(n - 2, -1, -1):
        beta[t] = lse(trans + (emit[t + 1] + beta[t + 1])[None, :], 1)
    post = alpha + beta
    post -= lse(post, 1)[:, None]
    return np.exp(post)


# ----------------------------------------------------------------------------- features


class _Block:
    def __init__(self, spec: dict[str, Any], offset: int):
        self.name = spec["name"]
        self.analyzer = analyzer_from_config(spec["analyzer"])
        terms = spec["terms"]
        # terms in column order (older folders may hold a {term: column} object)
        self.vocab = terms if isinstance(terms, dict) else dict(zip(terms, range(len(terms))))
        self.idf = np.asarray(spec["idf"], dtype=np.float64)
        self.sublinear = bool(spec["sublinear_tf"])
        self.weight = float(spec.get("weight", 1.0))
        self.offset = offset
        self.size = len(terms)
        self._columns_of_word: dict[str, np.ndarray] = {}  # character blocks: each word's n-gram columns
        _require(isinstance(terms, (list, dict)) and all(isinstance(t, str) for t in terms),
                 f"vocabulary of block {self.name!r} is not a list of strings")
        _require(not isinstance(terms, dict) or all(isinstance(j, int) and 0 <= j < self.size for j in terms.values()),
                 f"vocabulary of block {self.name!r} has column numbers out of range")
        _require(self.idf.shape == (self.size,), f"idf of block {self.name!r} has {self.idf.size} values for "
                                                 f"{self.size} terms")

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(self.analyzer, CharAnalyzer):
            return self.vectorize_words(self.analyzer.words(text))
        return self.vectorize_tokens(self.analyzer(text))

    def vectorize_tokens(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        vocab = self.vocab
        counts: dict[int, int] = {}
        for tok, n in Counter(tokens).items():
            j = vocab.get(tok)
            if j is not None:
                counts[j] = n
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
        return self._weighted(idx, np.fromiter((counts[j] for j in idx), dtype=np.float64, count=len(idx)))

    def vectorize_words(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`vectorize_tokens` of the character n-grams of ``words``, counted per distinct word: a word's
        columns are looked up once and kept (most words of a corpus recur)."""
        columns_of = self._columns_of_word
        parts: list[np.ndarray] = []
        repeats: list[int] = []
        for word, n in Counter(words).items():
            cols = columns_of.get(word)
            if cols is None:
                if len(columns_of) >= WORD_CACHE_SIZE:
                    columns_of.clear()
                cols = columns_of[word] = np.fromiter(
                    (j for j in map(self.vocab.get, self.analyzer.word_grams(word)) if j is not None), dtype=np.int64)
            if cols.size:
                parts.append(cols)
                repeats.append(n)
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        every = np.concatenate(parts)
        idx, where = np.unique(every, return_inverse=True)
        weights = np.repeat(np.asarray(repeats, dtype=np.float64), [p.size for p in parts])
        return self._weighted(idx, np.bincount(where, weights=weights, minlength=idx.size))

    def _weighted(self, idx: np.ndarray, tf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF values of the block's columns ``idx`` (sorted) with term counts ``tf``, normalised and weighted."""
        if self.sublinear:
            tf = np.log(tf) + 1.0
        val = tf * self.idf[idx]
        norm = math.sqrt(float(np.dot(val, val)))
        if norm > 0:
            val = val / norm
        if self.weight != 1.0:
            val = val * self.weight
        return idx + self.offset, val


LINKS = ("softmax", "logistic", "sigmoid-calibrated", "ovr-sigmoid-calibrated", "ovr-logistic", "identity",
         "cumulative-logistic")


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(what)


def check_head(head: dict[str, Any], rows: tuple[int, ...], cols: int, name: str = "head") -> None:
    """Raise ValueError when a linear head's arrays do not fit ``rows`` x ``cols`` (a corrupt model)."""
    _require(head.get("link") in LINKS, f"{name} has an unknown link {head.get('link')!r}")
    coef = np.asarray(head["coef"])
    coef = coef[None, :] if coef.ndim == 1 else coef
    _require(coef.ndim == 2 and coef.shape[0] in rows and coef.shape[1] == cols,
             f"{name} coef has shape {coef.shape}, expected ({' or '.join(map(str, rows))}, {cols})")
    k = coef.shape[0]
    _require(np.atleast_1d(np.asarray(head["intercept"])).shape == (k,), f"{name} intercept does not have {k} values")
    for key in ("calib_a", "calib_b"):
        if head.get(key) is not None:
            _require(np.atleast_1d(np.asarray(head[key])).shape == (k,), f"{name} {key} does not have {k} values")
    _require(head["link"] not in ("sigmoid-calibrated", "ovr-sigmoid-calibrated") or head.get("calib_a") is not None,
             f"{name} has a calibrated link without calibration arrays")
    for a in (coef, head["intercept"], head.get("calib_a"), head.get("calib_b")):
        _require(a is None or bool(np.all(np.isfinite(np.asarray(a, dtype=np.float64)))), f"{name} holds NaN/inf")


class TextFeatures:
    """Numpy re-implementation of :class:`medtext.features.ClinicalTfidf` (transform only)."""

    def __init__(self, blocks: Sequence[dict[str, Any]]):
        self.blocks = []
        off = 0
        for b in blocks:
            blk = _Block(b, off)
            self.blocks.append(blk)
            off += blk.size
        self.n_features = off

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        parts = [b.vectorize(text) for b in self.blocks]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def dense(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.n_features))
        for i, t in enumerate(texts):
            idx, val = self.vectorize(t)
            out[i, idx] = val
        return out


# ----------------------------------------------------------------------------- models


class NumpyModel:
    """Predict with a linear medtext model from its plain-array spec (see module docstring).

    ``kind`` is ``classifier``, ``multilabel``, ``regressor`` or ``sentences``.
    """

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.kind = spec["kind"]
        self.labels = list(spec.get("labels", []))
        self.features = TextFeatures(spec["blocks"])
        head = spec["head"]
        self.link = head["link"]
        self.coef = np.asarray(head["coef"], dtype=np.float64)
        if self.coef.ndim == 1:
            self.coef = self.coef[None, :]
        self.intercept = np.atleast_1d(np.asarray(head["intercept"], dtype=np.float64))
        self.calib_a = head.get("calib_a")
        self.calib_b = head.get("calib_b")
        self.thresholds = head.get("thresholds")
        self.clip = head.get("clip")
        self.levels = None if head.get("levels") is None else np.asarray(head["levels"], dtype=np.float64)
        self.context = spec.get("context")
        self.sequence = spec.get("sequence")
        self.line_head = spec.get("line_head")
        self.line_mix = float(spec.get("line_mix", 1.0))
        if self.line_head is not None:
            self.line_coef = np.atleast_2d(np.asarray(self.line_head["coef"], dtype=np.float64))
            self.line_intercept = np.atleast_1d(np.asarray(self.line_head["intercept"], dtype=np.float64))
        # Optional pair-level head (TermPairClassifier): a binary model scores each unit (drug/effect
        # pair) of a text, and the best unit's probability is mixed into the positive class.
        self.unit_head = spec.get("unit_head")
        if self.unit_head is not None:
            self.unit_block = _Block(self.unit_head["block"], 0)
            self.unit_coef = np.atleast_2d(np.asarray(self.unit_head["head"]["coef"], dtype=np.float64))
            self.unit_intercept = np.atleast_1d(np.asarray(self.unit_head["head"]["intercept"], dtype=np.float64))
        self.stage1 = spec.get("stage1")
        if self.stage1 is not None:
            c1 = np.asarray(self.stage1["coef"], dtype=np.float64)
            self.stage1_coef = c1 if c1.ndim == 2 else c1[None, :]
            self.stage1_intercept = np.atleast_1d(np.asarray(self.stage1["intercept"], dtype=np.float64))
        self._check()

    def _check(self) -> None:
        """Raise ValueError when the arrays do not fit together (a corrupt or hand-edited model)."""
        k = len(self.labels)
        _require(self.kind in ("classifier", "multilabel", "regressor", "sentences"), f"unknown kind {self.kind!r}")
        _require(all(isinstance(l, str) for l in self.labels), "labels are not strings")
        _require(len(set(self.labels)) == k, "labels are not unique")
        rows = {"regressor": (1,), "multilabel": (k,)}.get(self.kind, (k, 1) if k == 2 else (k,))
        if self.link == "cumulative-logistic" or self.levels is not None:
            _require(self.kind == "regressor" and self.link == "cumulative-logistic" and self.levels is not None,
                     "only a regressor has a cumulative-logistic link, and it needs its levels")
            lv = self.levels
            _require(lv.ndim == 1 and lv.size >= 2 and bool(np.all(np.isfinite(lv))) and bool(np.all(np.diff(lv) > 0)),
                     "levels are not an increasing list of at least 2 numbers")
            rows = (lv.size - 1,)
        _require(self.kind == "regressor" or k >= (1 if self.kind == "multilabel" else 2), "too few labels")
        d = self.features.n_features
        if self.kind == "sentences":
            _require(isinstance(self.context, dict), "sentence model has no context settings")
            d = context_size(d, self.context)
            if self.stage1 is not None:
                check_head(self.stage1, rows, d, "stage1")
                d += k * (1 + 2 * int(self.context["stack_window"]))
            if self.sequence:
                for key, shape in (("trans", (k, k)), ("start", (k,)), ("end", (k,))):
                    _require(np.asarray(self.sequence[key]).shape == shape, f"sequence {key} is not of shape {shape}")
        check_head(self.spec["head"], rows, d)
        if self.clip is not None:
            _require(isinstance(self.clip, (list, tuple)) and len(self.clip) == 2
                     and all(isinstance(v, (int, float)) for v in self.clip), "clip is not a [low, high] pair")
        if self.thresholds is not None:
            _require(np.atleast_1d(np.asarray(self.thresholds)).shape == (k,), f"thresholds do not have {k} values")
        if self.line_head is not None:
            check_head(self.line_head, rows, d, "line_head")
        if self.unit_head is not None:
            _require(self.kind == "classifier" and k == 2, "a unit head needs a two-label classifier")
            _require(self.unit_head.get("positive") in (0, 1), "unit head positive is not 0 or 1")
            _require(0.0 <= float(self.unit_head.get("mix", -1)) <= 1.0, "unit head mix is not in [0, 1]")
            _require(self.unit_head["head"].get("link") == "logistic", "unit head link is not logistic")
            check_head(self.unit_head["head"], (1,), self.unit_block.size, "unit_head")

    # -- linear part
    def _decision_rows(self, rows: list[tuple[np.ndarray, np.ndarray]], coef=None, intercept=None) -> np.ndarray:
        coef = self.coef if coef is None else coef
        intercept = self.intercept if intercept is None else intercept
        coef_t = coef.T  # (d, k)
        dec = np.empty((len(rows), coef.shape[0]))
        for i, (idx, val) in enumerate(rows):
            dec[i] = val @ coef_t[idx] if len(idx) else 0.0
        dec += intercept
        return dec

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if self.kind == "sentences":
            raise TypeError("sentence-role models score whole abstracts: use predict_abstracts")
        return self._decision_rows([self.features.vectorize(t) for t in texts])

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        dec = self.decision_function(texts)
        proba = link_proba(dec, self.link, len(self.labels), self.calib_a, self.calib_b)
        if self.unit_head is not None:
            proba = self._unit_blend(texts, proba)
        if self.line_head is None:
            return proba
        lh = self.line_head
        best = np.empty_like(proba)
        for j, text in enumerate(texts):
            lines = [l for l in text.splitlines() if l.strip()] or [text]
            d = self._decision_rows([self.features.vectorize(l) for l in lines], self.line_coef, self.line_intercept)
            best[j] = link_proba(d, lh["link"], len(self.labels), lh.get("calib_a"), lh.get("calib_b")).max(axis=0)
        return self.line_mix * proba + (1 - self.line_mix) * best

    def _unit_blend(self, texts: Sequence[str], proba: np.ndarray) -> np.ndarray:
        pos, mix = int(self.unit_head["positive"]), float(self.unit_head["mix"])
        for i, text in enumerate(texts):
            units = self.unit_block.analyzer.units(text)
            if units:
                dec = self._decision_rows([self.unit_block.vectorize_tokens(u) for u in units],
                                          self.unit_coef, self.unit_intercept)
                best = float(expit(dec[:, 0]).max())
                proba[i, pos] = mix * proba[i, pos] + (1 - mix) * best
                proba[i, 1 - pos] = 1.0 - proba[i, pos]
        return proba

    def predict(self, texts: Sequence[str]):
        """Labels (classifier), label lists (multilabel) or numbers (regressor)."""
        if self.kind == "regressor":
            return self.predict_scores(texts)
        return self.labels_of(self.predict_proba(texts))

    def labels_of(self, proba: np.ndarray) -> list:
        """:meth:`predict`'s labels (classifier) or label lists (multilabel) from :meth:`predict_proba`'s rows."""
        if self.kind == "multilabel":
            thr = np.asarray(self.thresholds if self.thresholds is not None else [0.5] * len(self.labels))
            return [[l for l, p, t in zip(self.labels, row, thr) if p >= t] for row in proba]
        return [self.labels[j] for j in proba.argmax(axis=1)]

    def predict_scores(self, texts: Sequence[str]) -> np.ndarray:
        dec = self.decision_function(texts)
        dec = dec[:, 0] if self.levels is None else cumulative_expectation(dec, self.levels)
        if self.clip is not None:
            dec = np.clip(dec, self.clip[0], self.clip[1])
        return dec

    # -- sentence roles
    def _context_rows(self, sentences: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        ctx = self.context
        base = [self.features.vectorize(s) for s in sentences]
        return [context_row(base, i, self.features.n_features, ctx) for i in range(len(sentences))]

    def predict_abstract(self, sentences: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Labels and per-sentence label probabilities (posterior marginals) for one abstract."""
        if not sentences:
            return [], np.zeros((0, len(self.labels)))
        rows = self._context_rows(sentences)
        if self.stage1 is not None:
            ctx = self.context
            dec1 = self._decision_rows(rows, self.stage1_coef, self.stage1_intercept)
            p1 = link_proba(dec1, self.stage1["link"], len(self.labels), self.stage1.get("calib_a"),
                            self.stage1.get("calib_b"))
            S = stack_matrix(p1, [len(sentences)], int(ctx["stack_window"])) * float(ctx["stack_weight"])
            off = context_size(self.features.n_features, ctx)
            cols = np.arange(S.shape[1], dtype=np.int64) + off
            rows = [(np.concatenate([idx, cols[S[i] != 0]]), np.concatenate([val, S[i][S[i] != 0]]))
                    for i, (idx, val) in enumerate(rows)]
        dec = self._decision_rows(rows)
        proba = link_proba(dec, self.link, len(self.labels), self.calib_a, self.calib_b)
        seq = self.sequence
        if not seq:
            return [self.labels[j] for j in proba.argmax(axis=1)], proba
        emit = np.log(np.clip(proba, 1e-12, None))
        w = float(seq["weight"])
        trans = w * np.asarray(seq["trans"], dtype=np.float64)
        start = w * np.asarray(seq["start"], dtype=np.float64)
        end = w * np.asarray(seq["end"], dtype=np.float64)
        path = viterbi(emit, trans, start, end)
        post = forward_backward(emit, trans, start, end)
        return [self.labels[j] for j in path], post
