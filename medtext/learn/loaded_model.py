"""A loaded medtext model and its prediction methods (numpy only: no scikit-learn, no spaCy).

:func:`load_model` finds a model by name or path and checks its files; :class:`Model` predicts
labels, probabilities, ``medtext classify`` records, data-frame columns and scores, and refuses
texts that are missing or no strings with the positions of the bad ones.

Example:
    >>> model = load_model("abstract-topics")
    >>> model.kind, model.predict(["Metastatic melanoma of the skin."])
    ('classifier', ['neoplasms'])
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from medtext.errors import Errors, ModelError

from medtext.features.missing import first_positions, index_labels

from .linear_numpy import NumpyModel
from .persist import load_spec, resolve_model


def _texts(texts: Any, column: str | None = None) -> list[str]:
    """Texts as a list of strings; ValueError naming the positions of missing ones (None, NaN, other
    non-strings) instead of classifying them as ``"nan"`` or ``""``. An empty string is a text (as for
    the scikit-learn estimator). ``column``: the DataFrame column they come from, named in the advice
    (default: a pandas Series' name, else 'text')."""
    if isinstance(texts, str):
        return [texts]
    if hasattr(texts, "columns"):
        if texts.shape[1] != 1:
            raise ValueError("pass one text column (e.g. df['text']), not a whole DataFrame")
        texts = texts.iloc[:, 0]
    if column is None:
        column = texts.name if isinstance(getattr(texts, "name", None), str) else "text"
    return _strings(texts, "text(s)", " (None, NaN, numbers)", f"; drop or fill them first, e.g. df.dropna(subset=[{column!r}])")


def _abstract(sentences: Any, where: str = "") -> list[str]:
    """One abstract as a list of sentence strings; ValueError for a bare string (it would be read
    character by character) or missing sentences."""
    if isinstance(sentences, str):
        raise ValueError(f"a sentence-role model takes each abstract as a list of sentences{where}, e.g. "
                         f"[['First sentence.', 'Second sentence.']]; got a string")
    return _strings(sentences, f"sentence(s){where}")


def _strings(items: Any, what: str, examples: str = "", advice: str = "") -> list[str]:
    """``items`` as a list of strings; ValueError naming the positions of the others, TypeError when
    ``items`` is no sequence of texts (None, bytes, a number)."""
    if items is None or isinstance(items, (bytes, bytearray)) or not hasattr(items, "__iter__"):
        raise TypeError(f"expected {what} as a string or a list (or pandas Series) of strings; got {type(items).__name__}")
    out = list(items)
    bad = [i for i, t in enumerate(out) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{len(bad)} {what} are missing or not strings{examples} at positions {first_positions(bad)} "
                         f"(0-based{index_labels(items, bad)}){advice}")
    return out


class Model:
    """A loaded medtext model (numpy prediction path).

    >>> m = load_model("abstract-topics")                        # doctest: +SKIP
    >>> m.predict(["Colonoscopy findings in ulcerative colitis."])   # doctest: +SKIP
    ['digestive system diseases']
    """

    def __init__(self, path: Path, meta: dict[str, Any], spec: dict[str, Any]):
        self.path = path
        self.meta = meta
        self.name = meta.get("name", path.name)
        self.kind = spec["kind"]
        self.task = meta.get("task")
        self.labels = list(spec["labels"])
        self._np = NumpyModel(spec)

    def __repr__(self) -> str:
        return f"Model(name={self.name!r}, kind={self.kind!r}, labels={len(self.labels)})"

    def _need(self, *kinds: str, command: str) -> None:
        if self.kind not in kinds:
            raise ModelError(Errors.E034.format(path=self.path, found=self.kind, expected=" or ".join(kinds)))

    def predict(self, texts):
        """Labels (classifier), label lists (multi-label), numbers (regressor); for a sentence-role
        model pass abstracts (lists of sentences) and get label lists."""
        if self.kind == "sentences":
            if isinstance(texts, str):
                raise ValueError("a sentence-role model takes a list of abstracts, each a list of sentences, e.g. "
                                 "predict([['First sentence.', 'Second sentence.']]); got a string")
            return [self._np.predict_abstract(_abstract(a, f" (abstract {i})"))[0] for i, a in enumerate(texts)]
        out = self._np.predict(_texts(texts))
        return out.tolist() if isinstance(out, np.ndarray) else out

    def predict_proba(self, texts) -> np.ndarray:
        """(n, n_labels) probabilities, columns in ``self.labels`` order."""
        self._need("classifier", "multilabel", command="classify")
        return self._np.predict_proba(_texts(texts))

    def labels_of(self, proba: np.ndarray) -> list[Any]:
        """:meth:`predict`'s labels (label lists for a multi-label model) from :meth:`predict_proba`'s rows, without
        reading the texts again.

        >>> m = load_model("abstract-topics"); m.labels_of(m.predict_proba(["Glioma."])) == m.predict(["Glioma."])  # doctest: +SKIP
        True
        """
        self._need("classifier", "multilabel", command="classify")
        return self._np.labels_of(proba)

    def classify(self, texts) -> list[dict[str, Any]]:
        """The ``medtext classify`` records: ``label``/``labels`` and ``scores`` {label: probability}."""
        self._need("classifier", "multilabel", command="classify")
        texts = _texts(texts)
        proba = self._np.predict_proba(texts)
        preds = self.labels_of(proba)  # (predict would vectorize the texts again)
        key = "labels" if self.kind == "multilabel" else "label"
        return [{key: p, "scores": {l: float(v) for l, v in zip(self.labels, row)}} for p, row in zip(preds, proba)]

    def classify_abstract(self, sentences: Sequence[str]) -> list[dict[str, Any]]:
        """One record per sentence of one abstract (sentence-role models)."""
        self._need("sentences", command="classify")
        labels, post = self._np.predict_abstract(_abstract(sentences))
        return [{"label": l, "scores": {k: float(v) for k, v in zip(self.labels, row)}} for l, row in zip(labels, post)]

    def predict_frame(self, df, text_field: str = "text"):
        """pandas: a copy of ``df`` with prediction columns — ``label`` (or ``labels``) and one
        ``p(<label>)`` column per label, or ``score`` for a regressor.

        >>> load_model("abstract-topics").predict_frame(pd.DataFrame({"text": ["Glioma."]}))  # doctest: +SKIP
        """
        if not hasattr(df, "columns"):
            raise TypeError(f"predict_frame takes a pandas DataFrame; got {type(df).__name__} (use predict() for a list of texts)")
        if text_field not in df.columns:
            columns = ", ".join(repr(str(c))[:40] for c in list(df.columns)[:10])
            raise KeyError(f"the DataFrame has no text column {text_field!r} (its columns: {columns}); pass text_field=")
        out = df.copy()
        texts = _texts(df[text_field], column=str(text_field))
        if self.kind == "regressor":
            out["score"] = self.score(texts)
            return out
        self._need("classifier", "multilabel", command="classify")
        proba = self._np.predict_proba(texts)
        out["labels" if self.kind == "multilabel" else "label"] = self.labels_of(proba)
        for j, l in enumerate(self.labels):
            out[f"p({l})"] = proba[:, j]
        return out

    def score(self, texts) -> list[float]:
        """Predicted numbers of a regressor."""
        self._need("regressor", command="score")
        return [float(v) for v in self._np.predict_scores(_texts(texts))]


def load_model(name_or_path: str | os.PathLike) -> Model:
    """Load a model by name (``MEDTEXT_MODELS``, then shipped) or by folder path; checks checksums."""
    path = resolve_model(name_or_path)
    meta, spec = load_spec(path)
    try:
        return Model(path, meta, spec)
    except (ValueError, KeyError, TypeError, IndexError) as e:  # arrays that do not fit together
        detail = (f"spec lacks {e}" if isinstance(e, KeyError) else str(e)[:200] if isinstance(e, ValueError)
                  else f"{type(e).__name__}: {str(e)[:200]}")
        raise ModelError(Errors.E035.format(path=path, detail=detail)) from None
