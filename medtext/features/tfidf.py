"""Word + character n-gram TF-IDF with clinical preprocessing, as one sklearn transformer.

It composes scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
(one per block) in a :class:`~sklearn.pipeline.FeatureUnion`; tokenisation comes
from :mod:`medtext.features.text` so the numpy prediction path reproduces it exactly.

Example:
    >>> vec = ClinicalTfidf(word_ngram_range=(1, 2), char_ngram_range=None).fit(["no fever", "fever and cough"])
    >>> vec.transform(["fever"]).shape  # no, fever, and, cough, no fever, fever and, and cough
    (1, 7)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .missing import first_positions, index_labels
from .text import CharAnalyzer, WordAnalyzer


def as_texts(X: Any) -> list[str]:
    """Accept a list/array/pandas Series of strings (or a 1-column DataFrame or (n, 1) array); ValueError
    naming the positions (and a pandas index's labels) of texts that are missing or no strings.

    >>> as_texts(["fever", None])
    Traceback (most recent call last):
    ValueError: 1 text(s) are missing or not strings (NoneType) at positions 1 (0-based); drop or fill them first
    """
    if hasattr(X, "columns"):  # DataFrame
        if X.shape[1] != 1:
            raise ValueError(f"expected one text column, got {X.shape[1]} columns")
        X = X.iloc[:, 0]
    elif isinstance(X, np.ndarray) and X.ndim == 2:  # as a DataFrame: one column of texts
        if X.shape[1] != 1:
            raise ValueError(f"expected one text column, got {X.shape[1]} columns")
        X = X[:, 0]
    if isinstance(X, str):
        raise ValueError("expected a list of texts, got a single string; wrap it in a list")
    texts = list(X)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        kinds = ", ".join(sorted({type(texts[i]).__name__ for i in bad}))
        raise ValueError(f"{len(bad)} text(s) are missing or not strings ({kinds}) at positions "
                         f"{first_positions(bad)} (0-based{index_labels(X, bad)}); drop or fill them first")
    return texts


class ClinicalTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over word n-grams and (optionally) character n-grams of normalised clinical text.

    Parameters mirror ``TfidfVectorizer``; each block is L2-normalised on its own and
    the character block can be down-weighted with ``char_weight``. ``negation=True`` marks
    words in the scope of a negation cue (``not_pain``) in the word block. ``concepts=True``
    adds a block of concept tokens from the shipped lexicon, weighted by ``concept_weight``:
    ``concept_kinds`` among ``codes``, ``chapters`` (ICD-10-CM), ``mentions`` and ``pairs``
    (drug / disease pairs and the words between them; see :mod:`medtext.features.concept_analyzer`).
    ``concept_trees`` (needs ``concepts``) adds the MeSH trees of each disease term: 1 the top level
    (``tree1=C04``), 2 also the second level (``tree2=C04.557``); in the concept block, or in a block of
    their own weighted by ``tree_weight`` when that is set. Off (0) by default.
    ``sentiment=True`` adds a block of opinion-word tokens of the VADER lexicon (polarity, negation,
    strength, position; :mod:`medtext.features.sentiment`), weighted by ``sentiment_weight``.

    >>> ClinicalTfidf().fit(["chest pain", "no chest pain"]).get_feature_names_out()[:2].tolist()
    ['word__chest', 'word__chest pain']
    """

    def __init__(
        self,
        word_ngram_range: tuple[int, int] | None = (1, 2),
        char_ngram_range: tuple[int, int] | None = (2, 5),
        min_df: int | float = 1,
        max_df: float = 1.0,
        max_features_word: int | None = None,
        max_features_char: int | None = None,
        sublinear_tf: bool = True,
        lowercase: bool = True,
        numbers: str = "collapse",
        char_weight: float = 1.0,
        negation: bool = False,
        concepts: bool = False,
        concept_weight: float = 1.0,
        concept_kinds: tuple[str, ...] = ("codes", "chapters", "mentions"),
        concept_trees: int = 0,
        tree_weight: float | None = None,
        sentiment: bool = False,
        sentiment_weight: float = 1.0,
    ):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features_word = max_features_word
        self.max_features_char = max_features_char
        self.sublinear_tf = sublinear_tf
        self.lowercase = lowercase
        self.numbers = numbers
        self.char_weight = char_weight
        self.negation = negation
        self.concepts = concepts
        self.concept_weight = concept_weight
        self.concept_kinds = concept_kinds
        self.concept_trees = concept_trees
        self.tree_weight = tree_weight
        self.sentiment = sentiment
        self.sentiment_weight = sentiment_weight

    def check_settings(self) -> None:
        """ValueError naming the first setting that cannot work: an n-gram range that is not ``None`` or
        ``(low, high)`` with ``1 <= low <= high``, ``numbers`` other than ``collapse`` / ``keep``, a block weight
        that is not a finite number >= 0 (TfidfVectorizer checks ``min_df``, ``max_df``, ``max_features_*``).

        >>> ClinicalTfidf(word_ngram_range=(3, 1)).check_settings()
        Traceback (most recent call last):
        ValueError: word_ngram_range must be null or [low, high] with 1 <= low <= high; got (3, 1)
        """
        for name in ("word_ngram_range", "char_ngram_range"):
            r = getattr(self, name)
            if r is None:
                continue
            ok = (isinstance(r, (tuple, list)) and len(r) == 2
                  and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in r) and 1 <= r[0] <= r[1])
            if not ok:
                raise ValueError(f"{name} must be null or [low, high] with 1 <= low <= high; got {r!r}"[:120])
        if self.numbers not in ("collapse", "keep"):
            raise ValueError(f"numbers must be 'collapse' or 'keep'; got {self.numbers!r}"[:120])
        trees = self.concept_trees
        if isinstance(trees, bool) or trees not in (0, 1, 2):
            raise ValueError(f"concept_trees must be 0, 1 or 2; got {trees!r}"[:120])
        if trees and not self.concepts:
            raise ValueError("concept_trees needs concepts=True")
        for name in ("char_weight", "concept_weight", "sentiment_weight", "tree_weight"):
            w = getattr(self, name)
            if w is None and name == "tree_weight":
                continue
            if isinstance(w, bool) or not isinstance(w, (int, float, np.number)) or not np.isfinite(w) or w < 0:
                raise ValueError(f"{name} must be a finite number >= 0; got {w!r}"[:120])

    def _blocks(self) -> list[tuple[str, TfidfVectorizer]]:
        blocks = []
        common = dict(min_df=self.min_df, max_df=self.max_df, sublinear_tf=self.sublinear_tf,
                      lowercase=False, dtype=np.float64)
        if self.word_ngram_range is not None:
            an = WordAnalyzer(tuple(self.word_ngram_range), self.lowercase, self.numbers, self.negation)
            blocks.append(("word", TfidfVectorizer(analyzer=an, max_features=self.max_features_word, **common)))
        if self.char_ngram_range is not None:
            an = CharAnalyzer(tuple(self.char_ngram_range), self.lowercase, self.numbers)
            blocks.append(("char", TfidfVectorizer(analyzer=an, max_features=self.max_features_char, **common)))
        if self.concepts:
            from .concept_analyzer import ConceptAnalyzer

            kinds = set(self.concept_kinds)
            unknown = kinds - set(ConceptAnalyzer.KINDS)
            if unknown:
                raise ValueError(f"concept_kinds may hold {', '.join(ConceptAnalyzer.KINDS)}; got {', '.join(sorted(unknown))}")
            own_block = bool(self.concept_trees) and self.tree_weight is not None
            analyzer = ConceptAnalyzer(**{kind: kind in kinds for kind in ConceptAnalyzer.KINDS},
                                       trees=0 if own_block else self.concept_trees)
            blocks.append(("concepts", TfidfVectorizer(analyzer=analyzer, **common)))
            if own_block:
                analyzer = ConceptAnalyzer(codes=False, chapters=False, mentions=False, trees=self.concept_trees)
                blocks.append(("trees", TfidfVectorizer(analyzer=analyzer, **common)))
        if self.sentiment:
            from .sentiment import SentimentAnalyzer

            blocks.append(("sentiment", TfidfVectorizer(analyzer=SentimentAnalyzer(), **common)))
        if not blocks:
            raise ValueError("ClinicalTfidf needs word_ngram_range, char_ngram_range or concepts")
        return blocks

    def fit(self, X, y=None):
        """Learn vocabularies and IDF weights from texts; returns self."""
        self.check_settings()
        texts = as_texts(X)
        if not texts:
            raise ValueError("cannot fit ClinicalTfidf on zero texts")
        blocks = self._blocks()
        present = {name for name, _ in blocks}  # a block's weight means nothing when the block is off
        weights = {name: float(w) for name, w in (("char", self.char_weight), ("concepts", self.concept_weight),
                                                  ("trees", self.tree_weight), ("sentiment", self.sentiment_weight))
                   if w is not None and w != 1.0 and name in present}
        union = FeatureUnion(blocks, transformer_weights=weights or None)
        union.fit(texts)
        # Round IDF weights to float32 precision so that the stored float32 arrays are exact.
        for _, vec in union.transformer_list:
            vec.idf_ = vec.idf_.astype(np.float32).astype(np.float64)
        self.union_ = union
        self.n_features_out_ = sum(len(v.vocabulary_) for _, v in union.transformer_list)
        return self

    def transform(self, X):
        """Sparse TF-IDF matrix (CSR, float64) of shape (n_texts, n_features)."""
        check_is_fitted(self, "union_")
        return self.union_.transform(as_texts(X)).tocsr()

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "union_")
        return self.union_.get_feature_names_out()

    def export_blocks(self) -> list[dict[str, Any]]:
        """Plain-data description of each block: analyzer config, terms in column order, IDF, weight."""
        check_is_fitted(self, "union_")
        out = []
        weights = self.union_.transformer_weights or {}
        for name, vec in self.union_.transformer_list:
            terms = [None] * len(vec.vocabulary_)
            for term, j in vec.vocabulary_.items():
                terms[j] = term
            out.append({
                "name": name,
                "analyzer": vec.analyzer.get_config(),
                "terms": terms,
                "idf": np.asarray(vec.idf_, dtype=np.float64),
                "sublinear_tf": bool(vec.sublinear_tf),
                "weight": float(weights.get(name, 1.0)),
            })
        return out
