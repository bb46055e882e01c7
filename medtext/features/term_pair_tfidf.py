"""TF-IDF block of drug / effect pair tokens whose term lists come from annotated training records.

``fit(X, drugs=, effects=, groups=)`` takes, for every training text, the drug and effect
terms annotated in it (e.g. the spans of the ADE corpus's DRUG-AE.rel) and its group
(document id). The fitted block analyses new text with
:class:`~medtext.features.term_pairs.TermPairAnalyzer` over *all* those terms.
``fit_transform`` is cross-fitted (as scikit-learn's ``TargetEncoder``): the row of a
training text uses term lists built from the other folds of groups only, so the
classifier trained on it sees the term coverage that unseen text will have. Hence
``fit_transform(X)`` differs from ``fit(X).transform(X)`` on purpose.

Example:
    >>> block = TermPairTfidf(min_df=1).fit(["Aspirin caused pain.", "Zorbitrol caused purple toes."],
    ...                                     drugs=[[], ["Zorbitrol"]], effects=[[], ["purple toes"]])
    >>> block.analyzer_.drugs, block.transform(["Zorbitrol: purple toes"]).shape[0]
    (('zorbitrol',), 1)
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .term_pairs import TermPairAnalyzer, group_fold
from .tfidf import as_texts


def given_tokens(tokens: list[str]) -> list[str]:
    """Analyzer of already analysed documents (token lists), used only while fitting."""
    return tokens


def _per_record(values, n: int, what: str) -> list:
    if values is None:
        return [[] for _ in range(n)]
    values = list(values)
    if len(values) != n:
        raise ValueError(f"{what} has {len(values)} entries for {n} texts; give one list of terms per text")
    for v in values:
        if isinstance(v, str) or not all(isinstance(t, str) for t in v):
            raise ValueError(f"{what} must hold one list of term strings per text")
    return [list(v) for v in values]


def cross_fit(X, drugs, effects, groups, folds: int, read: Callable[[TermPairAnalyzer, str], Any]):
    """``read(analyzer, text)`` of every text with the analyzer of the terms of the *other* folds of
    groups, and the analyzer of all terms: ``(outputs, analyzer)``."""
    texts = as_texts(X)
    if not texts:
        raise ValueError("cannot fit TermPairTfidf on zero texts")
    n = len(texts)
    drugs, effects = _per_record(drugs, n, "drugs"), _per_record(effects, n, "effects")
    groups = list(range(n)) if groups is None else list(groups)
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} entries for {n} texts")
    if folds < 2:
        raise ValueError(f"folds must be at least 2, got {folds!r}")
    fold = [group_fold(g, folds) for g in groups]
    out: list[Any] = [None] * n
    for f in range(folds):
        rows = [i for i in range(n) if fold[i] == f]
        if not rows:
            continue
        others = [i for i in range(n) if fold[i] != f]
        an = TermPairAnalyzer([t for i in others for t in drugs[i]], [t for i in others for t in effects[i]])
        for i in rows:
            out[i] = read(an, texts[i])
    return out, TermPairAnalyzer([t for d in drugs for t in d], [t for e in effects for t in e])


class TermPairTfidf(TransformerMixin, BaseEstimator):
    """Cross-fitted TF-IDF over :class:`TermPairAnalyzer` tokens (see the module docstring).

    ``folds``: number of group folds of the cross-fitting (groups are hashed to folds);
    ``weight`` multiplies the L2-normalised block (as ``ClinicalTfidf``'s block weights).
    """

    def __init__(self, folds: int = 5, min_df: int | float = 2, sublinear_tf: bool = True, weight: float = 1.0):
        self.folds = folds
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.weight = weight

    def _docs(self, X, drugs, effects, groups) -> list[list[str]]:
        docs, self.analyzer_ = cross_fit(X, drugs, effects, groups, int(self.folds), TermPairAnalyzer.__call__)
        return docs

    def fit_transform(self, X, y=None, drugs: Sequence[Sequence[str]] | None = None,
                      effects: Sequence[Sequence[str]] | None = None, groups: Sequence[Any] | None = None):
        """Fit, and return the cross-fitted rows of the training texts (not ``transform(X)``)."""
        docs = self._docs(X, drugs, effects, groups)
        vec = TfidfVectorizer(analyzer=given_tokens, min_df=self.min_df, sublinear_tf=self.sublinear_tf, lowercase=False,
                              dtype=np.float64)
        rows = vec.fit_transform(docs)
        # Round IDF weights to float32 precision so that the stored float32 arrays are exact.
        idf = vec.idf_.astype(np.float32).astype(np.float64)
        if not np.array_equal(idf, vec.idf_):
            vec.idf_ = idf
            rows = vec.transform(docs)
        vec.analyzer = self.analyzer_  # from now on it reads texts
        self.vectorizer_ = vec
        self.n_features_out_ = len(vec.vocabulary_)
        return self._weighted(rows)

    def fit(self, X, y=None, drugs=None, effects=None, groups=None):
        """Learn the term lists, vocabulary and IDF weights; returns self."""
        self.fit_transform(X, y, drugs=drugs, effects=effects, groups=groups)
        return self

    def _weighted(self, rows):
        rows = sp.csr_matrix(rows, dtype=np.float64)
        return rows * float(self.weight) if float(self.weight) != 1.0 else rows

    def transform(self, X):
        """Sparse TF-IDF rows (CSR) of texts, with the term lists of all training records."""
        check_is_fitted(self, "vectorizer_")
        return self._weighted(self.vectorizer_.transform(as_texts(X)))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        return np.asarray([f"term_pairs__{t}" for t in self.vectorizer_.get_feature_names_out()], dtype=object)

    def export_block(self, name: str = "term_pairs") -> dict[str, Any]:
        """The block as plain data (as :meth:`ClinicalTfidf.export_blocks` gives its blocks)."""
        check_is_fitted(self, "vectorizer_")
        vec = self.vectorizer_
        terms = [None] * len(vec.vocabulary_)
        for term, j in vec.vocabulary_.items():
            terms[j] = term
        return {"name": name, "analyzer": self.analyzer_.get_config(), "terms": terms,
                "idf": np.asarray(vec.idf_, dtype=np.float64), "sublinear_tf": bool(vec.sublinear_tf),
                "weight": float(self.weight)}
