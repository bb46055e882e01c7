"""Text-level estimators: classifiers, multi-label classifiers, scorers and the sentence-role classifier.

Each is a scikit-learn Pipeline (or estimator) built from :class:`medtext.features.ClinicalTfidf`
and a linear head from :mod:`medtext.learn.linear`; :func:`export_spec` turns a fitted
one into the plain-array spec that :class:`medtext.learn.linear_numpy.NumpyModel` predicts with.

Example:
    >>> clf = build_estimator("classify", algorithm="logreg").fit(["no fever", "high fever"], ["neg", "pos"])  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from medtext.features.context import SentenceContextFeatures, check_abstracts
from medtext.features.context_rows import stack_matrix
from medtext.features.tfidf import ClinicalTfidf, as_texts

from .linear import LinearClassifier, LinearScorer, MultiLabelLinearClassifier, check_label_target
from .linear_numpy import forward_backward, viterbi

TASKS = ("classify", "multilabel", "sentences", "regress")
# The registry: algorithms of each task (the first is the default) and the parameters each takes, with
# their defaults. ``medtext train --algorithm`` and ``--config`` are checked against it.
TASK_ALGORITHMS = {
    "classify": ("logreg", "svm", "nbsvm", "term-pairs"),
    "multilabel": ("logreg", "svm", "nbsvm", "line-max"),
    "sentences": ("logreg", "svm"),
    "regress": ("ridge", "linear", "ordinal"),
}
_LINEAR = {"C": 1.0, "class_weight": None}
_NBSVM = {"C": 0.01, "alpha": 1.0, "power": 0.5, "class_weight": "balanced"}
TASK_PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "classify": {"logreg": {**_LINEAR, "bias_tuning": None}, "svm": {**_LINEAR, "bias_tuning": None}, "nbsvm": _NBSVM,
                 # the ADE sentence model's settings (scripts/build_learn_models.py CONFIGS["ade-sentences"])
                 "term-pairs": {"C": 3.0, "class_weight": "balanced", "pair_folds": 5, "pair_weight": 1.0,
                                "pair_C": 1.0, "mix": 0.6, "positive": None}},
    "multilabel": {"logreg": {**_LINEAR, "threshold": 0.5}, "svm": {**_LINEAR, "threshold": 0.5},
                   "nbsvm": {**_NBSVM, "threshold": 0.5},
                   # the Hallmarks of Cancer model's settings (scripts/build_learn_models.py CONFIGS["hallmarks"])
                   "line-max": {"C": 3.0, "class_weight": "balanced", "line_C": 3.0, "line_class_weight": "balanced",
                                "mix": 0.5, "threshold": 0.5}},
    "sentences": {a: {**_LINEAR, "transition_weight": 1.0, "stack": False, "stack_window": 1, "stack_weight": 3.0}
                  for a in ("logreg", "svm")},
    "regress": {"ridge": {"alpha": 1.0}, "linear": {"alpha": 1.0}, "ordinal": {"C": 1.0}},
}
KIND_OF_TASK = {"classify": "classifier", "multilabel": "multilabel", "sentences": "sentences", "regress": "regressor"}


def algorithm_params(task: str, algorithm: str | None = None) -> dict[str, Any]:
    """The parameters ``algorithm`` takes for ``task`` and their defaults; ValueError for a bad pair.

    >>> algorithm_params("classify", "nbsvm")["C"], algorithm_params("regress")
    (0.01, {'alpha': 1.0})
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    algorithm = algorithm or TASK_ALGORITHMS[task][0]
    if algorithm not in TASK_ALGORITHMS[task]:
        raise ValueError(f"algorithm {algorithm!r} does not fit task {task!r}; use one of {TASK_ALGORITHMS[task]}")
    return dict(TASK_PARAMS[task][algorithm])


def build_estimator(task: str, algorithm: str | None = None, *, features: dict[str, Any] | None = None,
                    context: dict[str, Any] | None = None, **params):
    """The untrained estimator for ``task`` (see :data:`TASKS`) and ``algorithm``; ``params`` are those of
    :data:`TASK_PARAMS` (others: ValueError), the rest keep their defaults."""
    p = algorithm_params(task, algorithm)
    algorithm = algorithm or TASK_ALGORITHMS[task][0]
    unknown = sorted(set(params) - set(p))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for task {task!r} and algorithm {algorithm!r}; "
                         f"use {', '.join(sorted(p))}")
    p.update(params)
    tfidf = ClinicalTfidf(**(features or {}))
    if algorithm == "nbsvm":
        if task == "multilabel":
            from .nbsvm_multilabel import MultiLabelNBSVM

            return Pipeline([("features", tfidf), ("model", MultiLabelNBSVM(**p))])
        from .nbsvm import NBSVMClassifier

        return Pipeline([("features", tfidf), ("model", NBSVMClassifier(**p))])
    if algorithm == "term-pairs":
        return _term_pair_estimator(tfidf, p)
    if algorithm == "line-max":
        return LineMaxMultiLabel(features=tfidf, doc_head=MultiLabelLinearClassifier("logreg", C=p["C"],
                                                                                     class_weight=p["class_weight"]),
                                 line_head=MultiLabelLinearClassifier("logreg", C=p["line_C"],
                                                                      class_weight=p["line_class_weight"]),
                                 mix=p["mix"], threshold=p["threshold"])
    if task == "classify":
        return Pipeline([("features", tfidf), ("model", LinearClassifier(algorithm, C=p["C"], class_weight=p["class_weight"],
                                                                         bias_tuning=p["bias_tuning"]))])
    if task == "multilabel":
        return Pipeline([("features", tfidf), ("model", MultiLabelLinearClassifier(
            algorithm, C=p["C"], class_weight=p["class_weight"], threshold=p["threshold"]))])
    if task == "regress":
        if algorithm == "ordinal":
            from .ordinal import OrdinalScorer

            return Pipeline([("features", tfidf), ("model", OrdinalScorer(C=p["C"]))])
        return Pipeline([("features", tfidf), ("model", LinearScorer(algorithm, alpha=p["alpha"]))])
    return SentenceRoleClassifier(features=SentenceContextFeatures(tfidf=tfidf, **(context or {})),
                                  head=LinearClassifier(algorithm, C=p["C"], class_weight=p["class_weight"]),
                                  transition_weight=p["transition_weight"], stack=p["stack"],
                                  stack_window=p["stack_window"], stack_weight=p["stack_weight"])


def _term_pair_estimator(tfidf: ClinicalTfidf, p: dict[str, Any]):
    """:class:`~medtext.learn.term_pair_model.TermPairClassifier` with logistic-regression heads (the pair
    head only when ``pair_C`` is set), as ``scripts/build_learn_models.py`` builds ``ade-sentences``."""
    from medtext.features.term_pair_tfidf import TermPairTfidf

    from .term_pair_model import TermPairClassifier

    pair_head = LinearClassifier("logreg", C=p["pair_C"], class_weight=p["class_weight"]) if p["pair_C"] else None
    return TermPairClassifier(features=tfidf, pairs=TermPairTfidf(folds=p["pair_folds"], min_df=tfidf.min_df,
                                                                  weight=p["pair_weight"]),
                              head=LinearClassifier("logreg", C=p["C"], class_weight=p["class_weight"]),
                              pair_head=pair_head, mix=p["mix"], positive=p["positive"])


class SentenceRoleClassifier(BaseEstimator):
    """Label every sentence of an abstract with its role, using context and label-sequence decoding.

    ``X``: a list of abstracts, each a list of sentence strings; ``y``: matching lists of
    labels. A linear classifier scores each sentence from :class:`SentenceContextFeatures`
    (its words, its neighbours' words, its position); label-bigram log-probabilities learnt
    from the training abstracts (add-one smoothed, with start/end) are added with
    weight ``transition_weight`` and the best sequence is found by Viterbi.
    ``transition_weight=0`` switches decoding off.

    A sequence labeller rather than a scikit-learn classifier (its target is one label list per
    abstract, of varying lengths): ``cross_val_score`` and ``GridSearchCV`` split it with ``KFold`` over
    abstracts, as they would sklearn-crfsuite's CRF, and score it with :meth:`score`.

    >>> clf = SentenceRoleClassifier().fit([["Aim .", "Method ."]] * 3, [["background", "methods"]] * 3)  # doctest: +SKIP
    """

    def __init__(self, features: SentenceContextFeatures | None = None, head: LinearClassifier | None = None,
                 transition_weight: float = 1.0, stack: bool = False, stack_window: int = 1,
                 stack_weight: float = 3.0, stack_folds: int = 5):
        self.features = features
        self.head = head
        self.transition_weight = transition_weight
        self.stack = stack
        self.stack_window = stack_window
        self.stack_weight = stack_weight
        self.stack_folds = stack_folds

    def _stacked(self, Xs, P, lengths):
        import scipy.sparse as sp

        S = stack_matrix(P, lengths, int(self.stack_window)) * float(self.stack_weight)
        return sp.hstack([Xs, sp.csr_matrix(S)]).tocsr()

    def fit(self, X, y):
        abstracts = check_abstracts(X)
        if isinstance(y, str) or any(isinstance(l, str) for l in y):
            raise ValueError("y must hold one list of labels per abstract (a string would be read character by "
                             "character), e.g. [['background', 'methods']]")
        labels = [list(l) for l in y]
        if len(abstracts) != len(labels) or any(len(a) != len(l) for a, l in zip(abstracts, labels)):
            raise ValueError("X and y must have the same abstracts and the same number of sentences in each")
        flat = [lab for l in labels for lab in l]
        self.features_ = clone(self.features if self.features is not None else SentenceContextFeatures()).fit(abstracts)
        Xs = self.features_.transform(abstracts)
        head = self.head if self.head is not None else LinearClassifier()
        yflat = np.asarray(flat)  # integer labels stay integers (an object array of them is no class target)
        if yflat.dtype.kind in "US":
            yflat = yflat.astype(object)
        if self.stack:
            # Stacked sequential learning: a first-stage model's out-of-fold label probabilities of each
            # sentence and its neighbours become features of the second stage.
            from sklearn.model_selection import KFold

            lengths = [len(a) for a in abstracts]
            offs = np.concatenate([[0], np.cumsum(lengths)])
            P = np.zeros((Xs.shape[0], len(np.unique(yflat))))
            folds = KFold(n_splits=min(int(self.stack_folds), len(abstracts)), shuffle=True, random_state=0)
            for tr, te in folds.split(np.zeros(len(abstracts))):
                ti = np.concatenate([np.arange(offs[a], offs[a + 1]) for a in tr])
                si = np.concatenate([np.arange(offs[a], offs[a + 1]) for a in te])
                h = clone(head).fit(Xs[ti], yflat[ti])
                P[np.ix_(si, np.searchsorted(np.unique(yflat), h.classes_))] = h.predict_proba(Xs[si])
            self.stage1_ = clone(head).fit(Xs, yflat)
            Xs = self._stacked(Xs, P, lengths)
        else:
            self.stage1_ = None
        self.head_ = clone(head).fit(Xs, yflat)
        self.classes_ = self.head_.classes_
        k = len(self.classes_)
        pos = {c: i for i, c in enumerate(self.classes_)}
        trans = np.ones((k, k))
        start = np.ones(k)
        end = np.ones(k)
        for l in labels:
            if not l:
                continue
            start[pos[l[0]]] += 1
            end[pos[l[-1]]] += 1
            for a, b in zip(l, l[1:]):
                trans[pos[a], pos[b]] += 1
        self.trans_ = np.log(trans / trans.sum(axis=1, keepdims=True))
        self.start_ = np.log(start / start.sum())
        self.end_ = np.log(end / end.sum())
        return self

    def _abstract_proba(self, X) -> list[np.ndarray]:
        check_is_fitted(self, "head_")
        abstracts = check_abstracts(X)
        if not any(abstracts):
            return [np.zeros((0, len(self.classes_))) for _ in abstracts]
        Xs = self.features_.transform(abstracts)
        if getattr(self, "stage1_", None) is not None:
            Xs = self._stacked(Xs, self.stage1_.predict_proba(Xs), [len(a) for a in abstracts])
        P = self.head_.predict_proba(Xs)
        out, i = [], 0
        for a in abstracts:
            out.append(P[i:i + len(a)])
            i += len(a)
        return out

    def _decode(self, proba: np.ndarray) -> tuple[list[int], np.ndarray]:
        w = float(self.transition_weight)
        if w == 0 or len(proba) == 0:
            return list(proba.argmax(axis=1)), proba
        emit = np.log(np.clip(proba, 1e-12, None))
        path = viterbi(emit, w * self.trans_, w * self.start_, w * self.end_)
        return path, forward_backward(emit, w * self.trans_, w * self.start_, w * self.end_)

    def predict(self, X) -> list[list[str]]:
        """One label list per abstract."""
        return [[self.classes_[j] for j in self._decode(p)[0]] for p in self._abstract_proba(X)]

    def predict_proba(self, X) -> list[np.ndarray]:
        """Per-abstract (n_sentences, n_labels) posterior marginals of the decoded chain."""
        return [self._decode(p)[1] for p in self._abstract_proba(X)]

    def score(self, X, y, sample_weight=None):
        """Weighted F1 over all sentences; ``sample_weight``: one weight per abstract, given to its sentences."""
        from sklearn.metrics import f1_score

        y = [list(g) for g in y]
        pred = [l for p in self.predict(X) for l in p]
        gold = [l for g in y for l in g]
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float64).ravel()
            if len(sample_weight) != len(y):
                raise ValueError(f"sample_weight has {len(sample_weight)} weights for {len(y)} abstracts; "
                                 "give one weight per abstract")
            sample_weight = np.repeat(sample_weight, [len(g) for g in y])
        return f1_score(gold, pred, average="weighted", sample_weight=sample_weight)


def split_lines(text: str) -> list[str]:
    """Non-blank lines of a text (the sentence units of :class:`LineMaxMultiLabel`)."""
    lines = [l for l in text.splitlines() if l.strip()]
    return lines or [text]


class LineMaxMultiLabel(ClassifierMixin, BaseEstimator):
    """Multi-label document classifier that also reads the document line by line.

    ``p(label) = mix * p_doc(label) + (1 - mix) * max over lines p_line(label)``, where
    ``p_doc`` comes from a classifier trained on whole documents and ``p_line`` from one
    trained on single lines (sentences) with their own labels (``fit(..., sentences=,
    sentence_Y=)``: per document, its sentence texts and their 0/1 label rows; e.g. HoC's
    sentence-level annotations). Without them each line of a document is trained with the
    document's labels. Prediction needs only the document text: it is split on line breaks
    (a text without line breaks is one line).

    >>> est = LineMaxMultiLabel(mix=0.5).fit(docs, Y, sentences=[["S1.", "S2."]], sentence_Y=[[[1, 0], [0, 0]]])   # doctest: +SKIP
    """

    def __init__(self, features: ClinicalTfidf | None = None, doc_head: MultiLabelLinearClassifier | None = None,
                 line_head: MultiLabelLinearClassifier | None = None, mix: float = 0.5, threshold: float = 0.5):
        self.features = features
        self.doc_head = doc_head
        self.line_head = line_head
        self.mix = mix
        self.threshold = threshold

    def fit(self, X, Y, sentences=None, sentence_Y=None):
        X = as_texts(X)  # a bare string would be split into characters, a None line-split with AttributeError
        Y = check_label_target(Y, type(self).__name__)
        Y = Y.toarray() if hasattr(Y, "toarray") else np.asarray(Y)
        if (sentences is None) != (sentence_Y is None):
            raise ValueError("pass both sentences and sentence_Y, or neither")
        if sentences is None:
            sentences = [split_lines(x) for x in X]
            sentence_Y = [np.tile(y, (len(s), 1)) for s, y in zip(sentences, Y)]
        if len(sentences) != len(X) or len(sentence_Y) != len(X):
            raise ValueError("sentences and sentence_Y need one entry per document")
        line_X = [t for s in sentences for t in s]
        line_Y = np.vstack([np.asarray(y, dtype=int).reshape(-1, Y.shape[1]) for y in sentence_Y])
        if len(line_X) != len(line_Y):
            raise ValueError("each document needs one sentence_Y row per sentence")
        self.features_ = clone(self.features if self.features is not None else ClinicalTfidf()).fit(X)
        self.doc_head_ = clone(self.doc_head or MultiLabelLinearClassifier()).fit(self.features_.transform(X), Y)
        self.line_head_ = clone(self.line_head or MultiLabelLinearClassifier()).fit(
            self.features_.transform(line_X), line_Y)
        self.classes_ = np.arange(Y.shape[1])
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "line_head_")
        X = as_texts(X)
        p_doc = self.doc_head_.predict_proba(self.features_.transform(X))
        lines = [split_lines(x) for x in X]
        p_line = self.line_head_.predict_proba(self.features_.transform([l for ls in lines for l in ls]))
        out, i = np.empty_like(p_doc), 0
        for j, ls in enumerate(lines):
            out[j] = p_line[i:i + len(ls)].max(axis=0)
            i += len(ls)
        m = float(self.mix)
        return m * p_doc + (1 - m) * out

    def predict(self, X):
        return (self.predict_proba(X) >= float(self.threshold)).astype(int)


def export_spec(estimator, task: str, labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Plain-data spec of a fitted estimator for :class:`~medtext.learn.linear_numpy.NumpyModel`."""
    kind = KIND_OF_TASK[task]
    if hasattr(estimator, "export_spec"):  # estimators that know their own spec (e.g. TermPairClassifier)
        return estimator.export_spec(task, labels)
    if task == "sentences":
        check_is_fitted(estimator, "head_")
        feats = estimator.features_
        spec = {"kind": kind, "labels": [str(c) for c in estimator.classes_],
                "blocks": feats.tfidf_.export_blocks(), "head": estimator.head_.export_head(),
                "context": feats.context_config()}
        if getattr(estimator, "stage1_", None) is not None:
            spec["stage1"] = estimator.stage1_.export_head()
            spec["context"] = dict(spec["context"], stack_window=int(estimator.stack_window),
                                   stack_weight=float(estimator.stack_weight))
        if float(estimator.transition_weight) != 0:
            spec["sequence"] = {"weight": float(estimator.transition_weight), "trans": estimator.trans_,
                                "start": estimator.start_, "end": estimator.end_}
        return spec
    if isinstance(estimator, LineMaxMultiLabel):
        check_is_fitted(estimator, "line_head_")
        head = estimator.doc_head_.export_head()
        head["thresholds"] = np.full(len(labels), float(estimator.threshold))
        return {"kind": KIND_OF_TASK[task], "labels": [str(c) for c in labels],
                "blocks": estimator.features_.export_blocks(), "head": head,
                "line_head": estimator.line_head_.export_head(), "line_mix": float(estimator.mix)}
    feats = estimator.named_steps["features"]
    head = estimator.named_steps["model"]
    if task == "classify":
        labels = [str(c) for c in head.classes_]
    elif task == "multilabel":
        if labels is None:
            raise ValueError("multilabel export needs the label names")
        labels = [str(c) for c in labels]
    else:
        labels = []
    return {"kind": kind, "labels": labels, "blocks": feats.export_blocks(), "head": head.export_head()}
