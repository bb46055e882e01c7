"""Text classifier over word/character TF-IDF plus a cross-fitted drug / effect pair block.

:class:`TermPairClassifier` is the ADE sentence model's shape: the blocks of a
:class:`~medtext.features.ClinicalTfidf`, the :class:`~medtext.features.term_pair_tfidf.TermPairTfidf`
block (pair tokens of the shipped lexicon's terms and of the drug / effect terms annotated
in the training records), and one linear head. ``fit`` takes the annotated terms per
record; prediction needs the text only, and :meth:`export_spec` gives the plain-array spec
that :class:`~medtext.learn.linear_numpy.NumpyModel` predicts with (the pair block is one
more TF-IDF block there).

Example:
    >>> clf = TermPairClassifier().fit(texts, labels, drugs=drugs, effects=effects, groups=pmids)  # doctest: +SKIP
    >>> clf.predict(["Zorbitrol-induced purple toes."])                                              # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from medtext.features.term_pair_tfidf import TermPairTfidf
from medtext.features.tfidf import ClinicalTfidf, _as_texts

from .linear import LinearClassifier


class TermPairClassifier(ClassifierMixin, BaseEstimator):
    """Linear classifier on ``features`` (ClinicalTfidf) + ``pairs`` (TermPairTfidf) blocks."""

    def __init__(self, features: ClinicalTfidf | None = None, pairs: TermPairTfidf | None = None,
                 head: LinearClassifier | None = None):
        self.features = features
        self.pairs = pairs
        self.head = head

    def fit(self, X, y, drugs: Sequence[Sequence[str]] | None = None, effects: Sequence[Sequence[str]] | None = None,
            groups: Sequence[Any] | None = None):
        """Fit on texts and labels; ``drugs`` / ``effects``: the terms annotated in each text; ``groups``:
        each text's document (the cross-fitting keeps a document's texts in one fold)."""
        texts = _as_texts(X)
        y = np.asarray(y, dtype=object)
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels")
        self.features_ = clone(self.features if self.features is not None else ClinicalTfidf())
        self.pairs_ = clone(self.pairs if self.pairs is not None else TermPairTfidf())
        A = sp.hstack([self.features_.fit_transform(texts),
                       self.pairs_.fit_transform(texts, drugs=drugs, effects=effects, groups=groups)]).tocsr()
        self.head_ = clone(self.head if self.head is not None else LinearClassifier()).fit(A, y)
        self.classes_ = self.head_.classes_
        return self

    def transform(self, X):
        """The feature rows the head reads (all blocks side by side)."""
        check_is_fitted(self, "head_")
        texts = _as_texts(X)
        return sp.hstack([self.features_.transform(texts), self.pairs_.transform(texts)]).tocsr()

    def predict_proba(self, X) -> np.ndarray:
        rows = self.transform(X)
        return self.head_.predict_proba(rows)

    def predict(self, X):
        rows = self.transform(X)
        return self.head_.predict(rows)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "head_")
        return np.concatenate([self.features_.get_feature_names_out(), self.pairs_.get_feature_names_out()])

    def export_spec(self, task: str = "classify", labels=None) -> dict[str, Any]:
        """Plain-data spec for :class:`~medtext.learn.linear_numpy.NumpyModel` (a classifier)."""
        check_is_fitted(self, "head_")
        return {"kind": "classifier", "labels": [str(c) for c in self.classes_],
                "blocks": self.features_.export_blocks() + [self.pairs_.export_block()],
                "head": self.head_.export_head()}
