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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from medtext.features.term_pair_tfidf import TermPairTfidf, cross_fit, given_tokens
from medtext.features.term_pairs import TermPairAnalyzer, term_key
from medtext.features.tfidf import ClinicalTfidf, as_texts

from .linear import LinearClassifier


class TermPairClassifier(ClassifierMixin, BaseEstimator):
    """Linear classifier on ``features`` (ClinicalTfidf) + ``pairs`` (TermPairTfidf) blocks.

    With a ``pair_head`` (binary, two classes only) a second linear model scores every
    (drug, effect) pair of a text on its own (:meth:`TermPairAnalyzer.units`; trained on the
    cross-fitted pairs of the training texts, a pair being positive when its drug and effect
    overlap terms annotated in a ``positive``-labelled text), and for texts with pairs
    ``p(positive) = mix * p_text + (1 - mix) * max over pairs p_pair``.
    """

    def __init__(self, features: ClinicalTfidf | None = None, pairs: TermPairTfidf | None = None,
                 head: LinearClassifier | None = None, pair_head: LinearClassifier | None = None,
                 mix: float = 1.0, positive: str | None = None):
        self.features = features
        self.pairs = pairs
        self.head = head
        self.pair_head = pair_head
        self.mix = mix
        self.positive = positive

    def fit(self, X, y, drugs: Sequence[Sequence[str]] | None = None, effects: Sequence[Sequence[str]] | None = None,
            groups: Sequence[Any] | None = None):
        """Fit on texts and labels; ``drugs`` / ``effects``: the terms annotated in each text; ``groups``:
        each text's document (the cross-fitting keeps a document's texts in one fold)."""
        texts = as_texts(X)
        y = np.asarray(y, dtype=object)
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels")
        self.features_ = clone(self.features if self.features is not None else ClinicalTfidf())
        self.pairs_ = clone(self.pairs if self.pairs is not None else TermPairTfidf())
        A = sp.hstack([self.features_.fit_transform(texts),
                       self.pairs_.fit_transform(texts, drugs=drugs, effects=effects, groups=groups)]).tocsr()
        self.head_ = clone(self.head if self.head is not None else LinearClassifier()).fit(A, y)
        self.classes_ = self.head_.classes_
        self.unit_head_ = None
        if self.pair_head is not None:
            self._fit_pair_head(texts, y, drugs, effects, groups)
        return self

    def _fit_pair_head(self, texts, y, drugs, effects, groups) -> None:
        if len(self.classes_) != 2 or self.positive not in list(self.classes_):
            raise ValueError(f"a pair head needs two classes and positive= one of them; got classes "
                             f"{list(self.classes_)} and positive={self.positive!r}")
        units, _ = cross_fit(texts, drugs, effects, groups, int(self.pairs_.folds), TermPairAnalyzer.unit_spans)
        docs, labels = [], []
        for i, (lowers, pairs) in enumerate(units):
            known_d = {w for t in (drugs[i] if drugs is not None else []) for w in term_key(t).split()}
            known_e = {w for t in (effects[i] if effects is not None else []) for w in term_key(t).split()}
            for d, e, tokens in pairs:
                docs.append(tokens)
                labels.append(int(y[i] == self.positive and bool(known_d & set(lowers[d[0]:d[1]]))
                                  and bool(known_e & set(lowers[e[0]:e[1]]))))
        if len(set(labels)) < 2:
            raise ValueError("the pair head needs pairs of both kinds (annotated and not) in the training texts")
        vec = TfidfVectorizer(analyzer=given_tokens, min_df=self.pairs_.min_df, sublinear_tf=self.pairs_.sublinear_tf,
                              lowercase=False, dtype=np.float64)
        U = vec.fit_transform(docs)
        idf = vec.idf_.astype(np.float32).astype(np.float64)  # stored as float32: keep it exact
        if not np.array_equal(idf, vec.idf_):
            vec.idf_ = idf
            U = vec.transform(docs)
        self.unit_vectorizer_ = vec
        self.unit_head_ = clone(self.pair_head).fit(U, np.asarray(labels))

    def _blend(self, texts, proba: np.ndarray) -> np.ndarray:
        if getattr(self, "unit_head_", None) is None:
            return proba
        pos = list(self.classes_).index(self.positive)
        an, m = self.pairs_.analyzer_, float(self.mix)
        proba = proba.copy()
        for i, text in enumerate(texts):
            units = an.units(text)
            if units:
                best = self.unit_head_.predict_proba(self.unit_vectorizer_.transform(units))[:, 1].max()
                proba[i, pos] = m * proba[i, pos] + (1 - m) * best
                proba[i, 1 - pos] = 1.0 - proba[i, pos]
        return proba

    def transform(self, X):
        """The feature rows the head reads (all blocks side by side)."""
        check_is_fitted(self, "head_")
        texts = as_texts(X)
        return sp.hstack([self.features_.transform(texts), self.pairs_.transform(texts)]).tocsr()

    def predict_proba(self, X) -> np.ndarray:
        rows = self.transform(X)
        return self._blend(as_texts(X), self.head_.predict_proba(rows))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "head_")
        return np.concatenate([self.features_.get_feature_names_out(), self.pairs_.get_feature_names_out()])

    def export_spec(self, task: str = "classify", labels=None) -> dict[str, Any]:
        """Plain-data spec for :class:`~medtext.learn.linear_numpy.NumpyModel` (a classifier)."""
        check_is_fitted(self, "head_")
        spec = {"kind": "classifier", "labels": [str(c) for c in self.classes_],
                "blocks": self.features_.export_blocks() + [self.pairs_.export_block()],
                "head": self.head_.export_head()}
        if self.unit_head_ is not None:
            vec = self.unit_vectorizer_
            terms = [None] * len(vec.vocabulary_)
            for term, j in vec.vocabulary_.items():
                terms[j] = term
            block = {"name": "units", "analyzer": self.pairs_.analyzer_.get_config(), "terms": terms,
                     "idf": np.asarray(vec.idf_, dtype=np.float64), "sublinear_tf": bool(vec.sublinear_tf),
                     "weight": 1.0}
            spec["unit_head"] = {"block": block, "head": self.unit_head_.export_head(), "mix": float(self.mix),
                                 "positive": list(self.classes_).index(self.positive)}
        return spec
