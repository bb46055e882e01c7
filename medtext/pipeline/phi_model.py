"""The statistical part of the ``phi`` component: a linear classifier of text units.

Each unit (word, number, date-shaped chunk; see :mod:`phi_patterns`) gets a
probability per class (``O`` and PHI labels) from a multinomial logistic
regression over string features (:mod:`phi_features`). A unit is PHI when
``1 - P(O) >= threshold``; neighbouring PHI units of one label become a span.

A model folder holds ``meta.json`` (labels, thresholds, provenance, metrics),
``features.json`` (feature strings, one per weight row), ``skip_words.json``
(words frequent in training and never PHI there: not classified, for speed)
and ``weights.npy`` / ``bias.npy`` (read with ``allow_pickle=False``: nothing
is unpickled).

:meth:`PhiModel.predict_many` scores a batch of notes with the vectorised
:class:`~medtext.pipeline.phi_scorer.BatchScorer` (same floats as
:meth:`PhiModel.unit_probabilities`, which stays the reference and the training path).

Example:
    >>> model = PhiModel.load(find_model("phi-physionet"))  # doctest: +SKIP
    >>> [(s.label, s.start) for s in model.predict("seen by dr tasker")]  # doctest: +SKIP
    [('NAME', 11)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from medtext.errors import Errors, ModelError
from medtext.pipeline.phi_features import (
    CANDIDATE_KINDS,
    context_pairs,
    context_tokens,
    intrinsic_features,
    note_case,
    word_case,
    word_parts,
)
from medtext.pipeline.phi_patterns import Unit, units
from medtext.pipeline.phi_scorer import BatchScorer, ScoredNote, softmax
from medtext.pipeline.phi_tables import ModelTables, model_tables, split_features
from medtext.pipeline.phi_text import fold_word

FORMAT_VERSION = 1
# Punctuation that may sit inside one PHI span (initials "W.", "O'", "Kessler-Adventist").
_JOINERS = frozenset(".-'/&")


class ModelSpan(NamedTuple):
    start: int
    end: int
    label: str
    score: float


class PhiModel:
    """Linear unit classifier: ``labels`` (``labels[0] == "O"``), feature index, weights, threshold."""

    def __init__(self, labels: Sequence[str], features: Sequence[str], weights: np.ndarray, bias: np.ndarray,
                 threshold: float = 0.5, meta: dict[str, Any] | None = None,
                 label_thresholds: dict[str, float] | None = None) -> None:
        if not labels or labels[0] != "O":
            raise ValueError("the first label of a PHI model must be 'O'")
        if weights.shape != (len(features), len(labels)) or bias.shape != (len(labels),):
            raise ValueError("weights and bias do not match features and labels")
        self.labels = list(labels)
        self.features = list(features)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = float(threshold)
        self.label_thresholds = {k: float(v) for k, v in (label_thresholds or {}).items()}
        self.meta = dict(meta or {})
        self.skip_words: frozenset[str] = frozenset()
        self.stack_weights: np.ndarray | None = None
        self.stack_bias: np.ndarray | None = None
        self._intrinsic: dict[tuple[str, str, str], np.ndarray] = {}
        self._word_parts: dict[str, tuple[list[int], list[int], list[int], str]] = {}  # see _word_rows
        self._scorer: BatchScorer | None = None
        self._split: dict[str, dict[str, int]] | None = None
        self._tables: ModelTables | None = None
        self.cache_tables = False  # keep the lookup tables in the disk cache (models read from files: load, from_dict)

    @property
    def _roles(self) -> dict[str, dict[str, int]]:
        """The features by role: ``{role: {value: weight row}}`` (built on first use)."""
        if self._split is None:
            self._split = split_features(self.features)[0]
        return self._split

    @property
    def _own_index(self) -> dict[str, int]:
        """Feature -> weight row, of the features a unit may have on its own."""
        return self.tables().own_index

    def tables(self) -> ModelTables:
        """The lookup tables derived from the features (:mod:`~medtext.pipeline.phi_tables`; built on first use,
        from the disk cache when :attr:`cache_tables`)."""
        if self._tables is None:
            self._tables = model_tables(self.features, True if self.cache_tables else None)
        return self._tables

    # -- prediction -------------------------------------------------------------------------------
    def unit_probabilities(self, text: str) -> tuple[list[Unit], list[int], np.ndarray]:
        """(units, indices of candidate units, class probabilities of each candidate)."""
        us = units(text)
        skip = self.skip_words
        candidates = [i for i, u in enumerate(us) if u.kind in CANDIDATE_KINDS and not (u.kind == "WORD" and fold_word(u.text).lower() in skip)]
        if not candidates:
            return us, candidates, np.zeros((0, len(self.labels)), dtype=np.float32)
        case = note_case(text)
        toks = context_tokens(us)
        roles = self._roles
        empty: dict[str, int] = {}
        flat: list[int] = []
        starts: list[int] = []
        own = np.empty((len(candidates), len(self.labels)), dtype=np.float32)
        for row, i in enumerate(candidates):
            own[row] = self._own_scores(us[i].text, us[i].kind, case)
            starts.append(len(flat))
            for role, value in context_pairs(us, toks, i):
                index = roles.get(role, empty).get(value)
                if index is not None:
                    flat.append(index)
        scores = own + self.bias
        if flat:
            rows = self.weights[np.asarray(flat, dtype=np.intp)]
            bounds = np.asarray(starts, dtype=np.intp)
            nonempty = np.diff(np.append(bounds, len(flat))) > 0
            sums = np.add.reduceat(rows, np.minimum(bounds, len(flat) - 1), axis=0)
            scores[nonempty] += sums[nonempty]
        probs = softmax(scores)
        if self.stack_weights is not None:
            probs = softmax(stack_features(text, us, candidates, probs) @ self.stack_weights + self.stack_bias)
        return us, candidates, probs

    def first_stage(self) -> PhiModel:
        """This model without its second stage (used to train one)."""
        return PhiModel(self.labels, self.features, self.weights, self.bias, self.threshold, self.meta, self.label_thresholds)

    def _own_scores(self, text: str, kind: str, case: str) -> np.ndarray:
        """Summed weights of a unit's intrinsic features (cached per text, kind and note case)."""
        key = (text, kind, case)
        vector = self._intrinsic.get(key)
        if vector is None:
            rows = [row for row in map(self._own_index.get, intrinsic_features(text, kind, case)) if row is not None]
            vector = self.weights[rows].sum(axis=0) if rows else np.zeros(len(self.labels), dtype=np.float32)
            if len(self._intrinsic) > 200_000:
                self._intrinsic.clear()
            self._intrinsic[key] = vector
        return vector

    def own_scores_many(self, keys: Sequence[tuple[str, str, str]]) -> np.ndarray:
        """:meth:`_own_scores` of each (text, kind, note case), as the rows of one array: the same floats
        (each unit's weight rows added one after another, in order), summed for all units of a count at once."""
        out = np.zeros((len(keys), len(self.labels)), dtype=np.float32)
        by_count: dict[int, list[tuple[int, list[int]]]] = {}
        cache, index = self._intrinsic, self._own_index
        for i, key in enumerate(keys):
            vector = cache.get(key)
            if vector is not None:
                out[i] = vector
            else:
                rows = self._word_rows(*key) if key[1] == "WORD" else \
                    [row for row in map(index.get, intrinsic_features(*key)) if row is not None]
                by_count.setdefault(len(rows), []).append((i, rows))
        for count, items in by_count.items():
            at = [i for i, _ in items]
            if count:
                gathered = self.weights[np.array([rows for _, rows in items], dtype=np.intp)]  # (units, count, labels)
                total = gathered[:, 0].copy()
                for j in range(1, count):
                    total += gathered[:, j]
                out[at] = total
            if len(cache) + len(at) > 200_000:
                cache.clear()
            cache.update((keys[i], out[i].copy()) for i in at)
        return out

    def _word_rows(self, text: str, kind: str, case: str) -> list[int]:
        """The weight rows of :func:`intrinsic_features` of a word, in order: the parts its case does not change
        (:func:`~medtext.pipeline.phi_features.word_parts`) looked up once per lower-case ASCII word."""
        word = fold_word(text)
        lower = word.lower()
        parts = self._word_parts.get(lower) if word.isascii() else None
        index = self._own_index
        if parts is None:
            head, middle, tail, names = word_parts(word)
            parts = tuple([row for row in map(index.get, part) if row is not None]
                          for part in (["k=WORD", *head], middle, tail)) + (names,)
            if word.isascii():
                if len(self._word_parts) > 200_000:
                    self._word_parts.clear()
                self._word_parts[lower] = parts
        head_rows, middle_rows, tail_rows, names = parts
        own = word_case(word)
        first, second = index.get(f"c={own}|{case}"), index.get(f"fnsn={names}|c={own}|{case}")
        return [*head_rows, *([] if first is None else [first]), *middle_rows, *([] if second is None else [second]), *tail_rows]

    def thresholds(self, threshold: float | None = None) -> dict[str, float]:
        """Threshold per PHI label: the per-label ones, else the global one (``threshold`` overrides all)."""
        if threshold is not None:
            return {label: float(threshold) for label in self.labels[1:]}
        return {label: self.label_thresholds.get(label, self.threshold) for label in self.labels[1:]}

    def predict(self, text: str, threshold: float | None = None) -> list[ModelSpan]:
        """PHI spans of a text, in order, non-overlapping."""
        us, candidates, probs = self.unit_probabilities(text)
        return decode(text, us, candidates, probs, self.labels, self.thresholds(threshold))

    def predict_many(self, texts: Sequence[str], threshold: float | None = None) -> list[list[ModelSpan]]:
        """:meth:`predict` of each text, scored as one batch (same spans, much faster)."""
        if self.stack_weights is not None:
            return [self.predict(text, threshold) for text in texts]
        if self._scorer is None:
            self._scorer = BatchScorer(self)
        limits = self.thresholds(threshold)
        limit = np.array([0.5] + [limits.get(label, 0.5) for label in self.labels[1:]], dtype=np.float64)
        notes = self._scorer.score(texts)
        joiner = self._scorer.table.cols["joiner"]  # after scoring: the table may have grown
        return [decode_scored(text, note, self.labels, limit, joiner) for text, note in zip(texts, notes)]

    # -- persistence --------------------------------------------------------------------------------
    def save(self, folder: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write meta.json, features.json, weights.npy and bias.npy."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        info = {**self.meta, **(meta or {}), "labels": self.labels, "threshold": self.threshold,
                "label_thresholds": self.label_thresholds, "format_version": FORMAT_VERSION}
        (folder / "features.json").write_text(json.dumps(self.features, ensure_ascii=False), encoding="utf-8")
        (folder / "skip_words.json").write_text(json.dumps(sorted(self.skip_words), ensure_ascii=False), encoding="utf-8")
        np.save(folder / "weights.npy", self.weights.astype(np.float16 if info.get("float16") else np.float32))
        np.save(folder / "bias.npy", self.bias)
        for name in ("stack_weights", "stack_bias"):
            target = folder / f"{name}.npy"
            if getattr(self, name) is not None:
                np.save(target, getattr(self, name))
            elif target.exists():
                target.unlink()
        (folder / "meta.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> PhiModel:
        """Read a model folder written by :meth:`save` (no unpickling)."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            features = json.loads((folder / "features.json").read_text(encoding="utf-8"))
            weights = np.load(folder / "weights.npy", allow_pickle=False).astype(np.float32)
            bias = np.load(folder / "bias.npy", allow_pickle=False)
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(Errors.E035.format(path=folder, detail=type(err).__name__)) from None
        if meta.get("format_version") != FORMAT_VERSION or meta.get("task") != "phi":
            raise ModelError(Errors.E034.format(path=folder, found=meta.get("task", "unknown"), expected="phi (format 1)"))
        try:
            model = cls(meta["labels"], features, weights, bias, meta.get("threshold", 0.5), meta, meta.get("label_thresholds"))
            if (folder / "skip_words.json").exists():
                model.skip_words = frozenset(json.loads((folder / "skip_words.json").read_text(encoding="utf-8")))
            if (folder / "stack_weights.npy").exists():
                model.set_stack(np.load(folder / "stack_weights.npy", allow_pickle=False),
                                np.load(folder / "stack_bias.npy", allow_pickle=False))
        except (KeyError, ValueError, OSError) as err:
            raise ModelError(Errors.E035.format(path=folder, detail=str(err))) from None
        model.cache_tables = True
        return model

    def set_stack(self, weights: np.ndarray, bias: np.ndarray) -> None:
        """Attach a second stage: a linear layer over :func:`stack_features` of the first stage's output."""
        if weights.shape != (stack_size(len(self.labels)), len(self.labels)) or bias.shape != (len(self.labels),):
            raise ValueError("second-stage weights do not match the labels")
        self.stack_weights = np.asarray(weights, dtype=np.float32)
        self.stack_bias = np.asarray(bias, dtype=np.float32)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, bytes) for ``to_bytes`` of the component."""
        return {
            "labels": self.labels,
            "features": self.features,
            "weights": self.weights.tobytes(),
            "bias": self.bias.tobytes(),
            "threshold": self.threshold,
            "label_thresholds": self.label_thresholds,
            "meta": self.meta,
            "skip_words": sorted(self.skip_words),
            "stack": None if self.stack_weights is None else (self.stack_weights.tobytes(), self.stack_bias.tobytes()),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhiModel:
        n_labels = len(data["labels"])
        weights = np.frombuffer(data["weights"], dtype=np.float32).reshape(len(data["features"]), n_labels)
        bias = np.frombuffer(data["bias"], dtype=np.float32)
        model = cls(data["labels"], data["features"], weights.copy(), bias.copy(), data["threshold"], data.get("meta"),
                    data.get("label_thresholds"))
        model.skip_words = frozenset(data.get("skip_words") or ())
        model.cache_tables = True
        if data.get("stack"):
            sw, sb = data["stack"]
            model.set_stack(np.frombuffer(sw, dtype=np.float32).reshape(stack_size(n_labels), n_labels).copy(),
                            np.frombuffer(sb, dtype=np.float32).copy())
        return model

    def __reduce__(self) -> tuple[Any, ...]:
        return (PhiModel.from_dict, (self.to_dict(),))


def stack_size(n_labels: int) -> int:
    """Number of second-stage features for ``n_labels`` classes."""
    return 6 * n_labels + 3


def stack_features(text: str, us: list[Unit], candidates: list[int], probs: np.ndarray) -> np.ndarray:
    """Second-stage inputs per candidate: its first-stage probabilities, those of its two neighbours on
    each side, the highest ones of the same word elsewhere in the note, how often the word occurs, and
    whether a line break separates it from its neighbours."""
    n, k = probs.shape
    out = np.zeros((n, stack_size(k)), dtype=np.float32)
    if n == 0:
        return out
    out[:, 0:k] = probs
    pad = np.zeros((2, k), dtype=np.float32)
    padded = np.vstack([pad, probs, pad])
    out[:, k : 2 * k] = padded[1 : n + 1]  # previous
    out[:, 2 * k : 3 * k] = padded[3 : n + 3]  # next
    out[:, 3 * k : 4 * k] = padded[0:n]  # two back
    out[:, 4 * k : 5 * k] = padded[4 : n + 4]  # two ahead
    keys = [us[i].text.lower() for i in candidates]
    best: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for row, key in enumerate(keys):
        counts[key] = counts.get(key, 0) + 1
        best[key] = np.maximum(best[key], probs[row]) if key in best else probs[row]
    for row, key in enumerate(keys):
        out[row, 5 * k : 6 * k] = best[key]
        out[row, 6 * k] = np.log1p(counts[key] - 1)
    for row in range(n):
        if row:
            out[row, 6 * k + 1] = "\n" in text[us[candidates[row - 1]].end : us[candidates[row]].start]
        if row + 1 < n:
            out[row, 6 * k + 2] = "\n" in text[us[candidates[row]].end : us[candidates[row + 1]].start]
    return out


def decode(text: str, us: list[Unit], candidates: list[int], probs: np.ndarray, labels: Sequence[str],
           threshold: float | dict[str, float]) -> list[ModelSpan]:
    """Turn unit probabilities into spans: PHI units of one label, joined across ``.-'/&`` and spaces.

    A unit is PHI when ``1 - P(O)`` reaches the threshold of its most likely PHI label.
    """
    spans: list[ModelSpan] = []
    if not candidates:
        return spans
    limits = threshold if isinstance(threshold, dict) else {label: threshold for label in labels[1:]}
    phi_prob = 1.0 - probs[:, 0]
    best = probs[:, 1:].argmax(axis=1) + 1
    last_unit = -10
    for row, i in enumerate(candidates):
        p = float(phi_prob[row])
        label = labels[int(best[row])]
        if p < limits.get(label, 0.5):
            continue
        unit = us[i]
        if spans and spans[-1].label == label and _joinable(text, us, last_unit, i) \
                and not sentence_end_between(text, us[last_unit].start, us[last_unit].end, label):
            prev = spans[-1]
            spans[-1] = ModelSpan(prev.start, unit.end, label, max(prev.score, p))
        else:
            spans.append(ModelSpan(unit.start, unit.end, label, p))
        last_unit = i
    return spans


def decode_scored(text: str, note: ScoredNote, labels: Sequence[str], limit: np.ndarray, joiner: np.ndarray) -> list[ModelSpan]:
    """:func:`decode` of a batch-scored note (``limit``: threshold per label index; ``joiner``: per token-table row)."""
    spans: list[ModelSpan] = []
    probs = note.probs
    if not len(probs):
        return spans
    phi_prob = 1.0 - probs[:, 0]
    best = probs[:, 1:].argmax(axis=1) + 1
    hits = np.flatnonzero(phi_prob >= limit[best])
    if not len(hits):
        return spans
    starts, ends, rows, candidates = note.starts, note.ends, note.rows, note.candidates
    last_unit = -10
    for row in hits.tolist():
        i = int(candidates[row])
        p = float(phi_prob[row])
        label = labels[int(best[row])]
        if spans and spans[-1].label == label and i - last_unit <= 3 and all(joiner[rows[last_unit + 1 : i]]) \
                and len(gap := text[ends[last_unit] : starts[i]]) <= 4 and "\n" not in gap \
                and not sentence_end_between(text, int(starts[last_unit]), int(ends[last_unit]), label):
            prev = spans[-1]
            spans[-1] = ModelSpan(prev.start, int(ends[i]), label, max(prev.score, p))
        else:
            spans.append(ModelSpan(int(starts[i]), int(ends[i]), label, p))
        last_unit = i
    return spans


def sentence_end_between(text: str, start: int, end: int, label: str) -> bool:
    """A full stop and a space after the word ``text[start:end]`` of a NAME: the name ends there.

    ``Dr. Smith. Crohn disease`` is two spans, not one name; an initial (``J. Smith``) or a two-letter
    abbreviation (``St. Mary``) keeps joining.

    Example:
        >>> sentence_end_between("Dr. Smith. Crohn", 4, 9, "NAME"), sentence_end_between("Mrs. Smith", 0, 3, "NAME")
        (True, False)
    """
    return label == "NAME" and end - start >= 3 and text[end : end + 1] == "." and text[end + 1 : end + 2] in (" ", "\t") \
        and text[start:end].lower() not in _ABBREVIATED_TITLES


# Words written with a full stop inside names ("Mrs. Smith", "Wm. Tell", "Capt. Ahab"): no sentence end.
_ABBREVIATED_TITLES = frozenset("mrs mme mlle miss prof rev sgt capt col gen hon ste wm chas thos jas geo".split())


def _joinable(text: str, us: list[Unit], a: int, b: int) -> bool:
    """Units ``a`` < ``b`` may share a span: only spaces/tabs and joining punctuation between them."""
    if b - a > 3:
        return False
    for j in range(a + 1, b):
        if us[j].kind != "PUNCT" or us[j].text not in _JOINERS:
            return False
    gap = text[us[a].end : us[b].start]
    return "\n" not in gap and len(gap) <= 4
