"""Sentence-context features for sentence-role classification (PubMed-RCT-style abstracts).

:class:`SentenceContextFeatures` turns abstracts (lists of sentences) into one row per
sentence: the sentence's TF-IDF, its neighbours' TF-IDF (separate columns, weighted by
``neighbour_weight ** distance``) and position one-hots. Rows are built with
:func:`medtext.features.context_rows.context_row`, the function the numpy path uses.

Example:
    >>> f = SentenceContextFeatures(tfidf=ClinicalTfidf(char_ngram_range=None)).fit([["Aim .", "We randomised ."]])
    >>> f.transform([["Aim ."]]).shape[0]
    1
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from .context_rows import context_row, context_size
from .tfidf import ClinicalTfidf


def check_abstracts(X: Any) -> list[list[str]]:
    """``X`` as lists of sentence strings; ValueError naming the first abstract that is a string (it would be
    read character by character) or holds a sentence that is no string (None, NaN).

    >>> check_abstracts([["Aim .", "We randomised ."]])
    [['Aim .', 'We randomised .']]
    >>> check_abstracts(["Aim . We randomised ."])
    Traceback (most recent call last):
    ValueError: abstract 0 is a string; each abstract must be a list of sentence strings, e.g. [['Aim .', 'We randomised .']]
    """
    if isinstance(X, str):
        raise ValueError("expected a list of abstracts, each a list of sentence strings; got a single string")
    abstracts = []
    for i, a in enumerate(X):
        if isinstance(a, str):
            raise ValueError(f"abstract {i} is a string; each abstract must be a list of sentence strings, "
                             "e.g. [['Aim .', 'We randomised .']]")
        if not hasattr(a, "__iter__"):
            raise ValueError(f"abstract {i} is a {type(a).__name__}; each abstract must be a list of sentence strings")
        a = list(a)
        bad = next((j for j, s in enumerate(a) if not isinstance(s, str)), None)
        if bad is not None:
            raise ValueError(f"abstract {i}: sentence {bad} is a {type(a[bad]).__name__}, not a string "
                             "(each abstract must be a list of sentence strings)")
        abstracts.append(a)
    return abstracts


class SentenceContextFeatures(TransformerMixin, BaseEstimator):
    """Per-sentence features with context. ``X`` is a list of abstracts, each a list of sentences."""

    def __init__(self, tfidf: ClinicalTfidf | None = None, window: int = 1, neighbour_weight: float = 0.5,
                 position_bins: int = 10, position_weight: float = 1.0):
        self.tfidf = tfidf
        self.window = window
        self.neighbour_weight = neighbour_weight
        self.position_bins = position_bins
        self.position_weight = position_weight

    def context_config(self) -> dict[str, Any]:
        return {"window": int(self.window), "neighbour_weight": float(self.neighbour_weight),
                "position_bins": int(self.position_bins), "position_weight": float(self.position_weight)}

    def fit(self, X, y=None):
        abstracts = check_abstracts(X)
        sents = [s for a in abstracts for s in a]
        if not sents:
            raise ValueError("cannot fit SentenceContextFeatures on zero sentences")
        self.tfidf_ = clone(self.tfidf if self.tfidf is not None else ClinicalTfidf()).fit(sents)
        self.n_text_features_ = self.tfidf_.n_features_out_
        self.n_features_out_ = context_size(self.n_text_features_, self.context_config())
        return self

    def transform(self, X):
        check_is_fitted(self, "tfidf_")
        abstracts = check_abstracts(X)
        sents = [s for a in abstracts for s in a]
        base_m = self.tfidf_.transform(sents) if sents else sp.csr_matrix((0, self.n_text_features_))
        base_m.sort_indices()
        ctx = self.context_config()
        d = self.n_text_features_
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        start = 0
        for a in abstracts:
            n = len(a)
            base = [(base_m.indices[base_m.indptr[start + i]:base_m.indptr[start + i + 1]].astype(np.int64),
                     base_m.data[base_m.indptr[start + i]:base_m.indptr[start + i + 1]]) for i in range(n)]
            for i in range(n):
                idx, val = context_row(base, i, d, ctx)
                indices.append(idx)
                data.append(val)
                indptr.append(indptr[-1] + len(idx))
            start += n
        if not indices:
            return sp.csr_matrix((0, self.n_features_out_))
        return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                             shape=(len(sents), self.n_features_out_))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "tfidf_")
        names = list(self.tfidf_.get_feature_names_out())
        out = list(names)
        for k in range(1, int(self.window) + 1):
            out += [f"prev{k}__{n}" for n in names]
            out += [f"next{k}__{n}" for n in names]
        out += [f"position__bin{b}" for b in range(int(self.position_bins))] + ["position__first", "position__last"]
        return np.asarray(out, dtype=object)
