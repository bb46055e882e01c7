"""The statistical part of the ``phi`` component: a linear classifier of text units.

Each unit (word, number, date-shaped chunk; see :mod:`phi_patterns`) gets a
probability per class (``O`` and PHI labels) from a multinomial logistic
regression over string features (:mod:`phi_features`). A unit is PHI when
``1 - P(O) >= threshold``; neighbouring PHI units of one label become a span.

A model folder holds ``meta.json`` (labels, threshold, provenance, metrics),
``features.json`` (feature strings, one per weight row) and ``weights.npy`` /
``bias.npy`` (read with ``allow_pickle=False``: nothing is unpickled).

Example:
    >>> model = PhiModel.load(find_model("phi-physionet"))  # doctest: +SKIP
    >>> [(s.label, s.start) for s in model.predict("seen by dr healey")]  # doctest: +SKIP
    [('NAME', 11)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from medtext.errors import Errors, ModelError
from medtext.pipeline.phi_features import CANDIDATE_KINDS, note_case, unit_features
from medtext.pipeline.phi_patterns import Unit, units

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
                 threshold: float = 0.5, meta: dict[str, Any] | None = None) -> None:
        if not labels or labels[0] != "O":
            raise ValueError("the first label of a PHI model must be 'O'")
        if weights.shape != (len(features), len(labels)) or bias.shape != (len(labels),):
            raise ValueError("weights and bias do not match features and labels")
        self.labels = list(labels)
        self.features = list(features)
        self.index = {f: i for i, f in enumerate(self.features)}
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = float(threshold)
        self.meta = dict(meta or {})
        self._cache: dict[tuple[str, str, str], list[str]] = {}

    # -- prediction -------------------------------------------------------------------------------
    def unit_probabilities(self, text: str) -> tuple[list[Unit], list[int], np.ndarray]:
        """(units, indices of candidate units, class probabilities of each candidate)."""
        us = units(text)
        candidates = [i for i, u in enumerate(us) if u.kind in CANDIDATE_KINDS]
        if not candidates:
            return us, candidates, np.zeros((0, len(self.labels)), dtype=np.float32)
        case = note_case(text)
        index = self.index
        flat: list[int] = []
        starts: list[int] = []
        for i in candidates:
            starts.append(len(flat))
            flat.extend(index[f] for f in unit_features(us, i, case, self._cache) if f in index)
        scores = np.tile(self.bias, (len(candidates), 1))
        if flat:
            rows = self.weights[np.asarray(flat, dtype=np.intp)]
            bounds = np.asarray(starts, dtype=np.intp)
            nonempty = np.diff(np.append(bounds, len(flat))) > 0
            sums = np.add.reduceat(rows, np.minimum(bounds, len(flat) - 1), axis=0)
            scores[nonempty] += sums[nonempty]
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return us, candidates, scores

    def predict(self, text: str, threshold: float | None = None) -> list[ModelSpan]:
        """PHI spans of a text, in order, non-overlapping."""
        us, candidates, probs = self.unit_probabilities(text)
        return decode(text, us, candidates, probs, self.labels, self.threshold if threshold is None else threshold)

    # -- persistence --------------------------------------------------------------------------------
    def save(self, folder: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write meta.json, features.json, weights.npy and bias.npy."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        info = {**self.meta, **(meta or {}), "labels": self.labels, "threshold": self.threshold, "format_version": FORMAT_VERSION}
        (folder / "features.json").write_text(json.dumps(self.features, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "weights.npy", self.weights.astype(np.float16 if info.get("float16") else np.float32))
        np.save(folder / "bias.npy", self.bias)
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
            return cls(meta["labels"], features, weights, bias, meta.get("threshold", 0.5), meta)
        except (KeyError, ValueError) as err:
            raise ModelError(Errors.E035.format(path=folder, detail=str(err))) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, bytes) for ``to_bytes`` of the component."""
        return {
            "labels": self.labels,
            "features": self.features,
            "weights": self.weights.tobytes(),
            "bias": self.bias.tobytes(),
            "threshold": self.threshold,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhiModel:
        n_labels = len(data["labels"])
        weights = np.frombuffer(data["weights"], dtype=np.float32).reshape(len(data["features"]), n_labels)
        bias = np.frombuffer(data["bias"], dtype=np.float32)
        return cls(data["labels"], data["features"], weights.copy(), bias.copy(), data["threshold"], data.get("meta"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (PhiModel.from_dict, (self.to_dict(),))


def decode(text: str, us: list[Unit], candidates: list[int], probs: np.ndarray, labels: Sequence[str],
           threshold: float) -> list[ModelSpan]:
    """Turn unit probabilities into spans: PHI units of one label, joined across ``.-'/&`` and spaces."""
    spans: list[ModelSpan] = []
    if not candidates:
        return spans
    phi_prob = 1.0 - probs[:, 0]
    best = probs[:, 1:].argmax(axis=1) + 1
    last_unit = -10
    for row, i in enumerate(candidates):
        p = float(phi_prob[row])
        if p < threshold:
            continue
        label = labels[int(best[row])]
        unit = us[i]
        if spans and spans[-1].label == label and _joinable(text, us, last_unit, i):
            prev = spans[-1]
            spans[-1] = ModelSpan(prev.start, unit.end, label, max(prev.score, p))
        else:
            spans.append(ModelSpan(unit.start, unit.end, label, p))
        last_unit = i
    return spans


def _joinable(text: str, us: list[Unit], a: int, b: int) -> bool:
    """Units ``a`` < ``b`` may share a span: only spaces/tabs and joining punctuation between them."""
    if b - a > 3:
        return False
    for j in range(a + 1, b):
        if us[j].kind != "PUNCT" or us[j].text not in _JOINERS:
            return False
    gap = text[us[a].end : us[b].start]
    return "\n" not in gap and len(gap) <= 4
