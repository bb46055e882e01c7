"""What :func:`medtext.learn.train` does differently for each algorithm family, as one table.

Every algorithm is fitted the same way (optional search / cross-validation, then one fit);
a :class:`Family` says what differs: the extra record fields it reads (``term-pairs``: each
record's drug / effect annotations and document; ``line-max``: each record's labelled
sentences), what it derives from them and checks before fitting (:class:`Prepared`), and
how a failure of its fit is worded. Algorithms not in :data:`FAMILIES` read texts and
labels only.

Example:
    >>> family("term-pairs").fields, family("logreg").fields
    (('pairs_field', 'group_field'), ())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from medtext.errors import Errors, InputError


@dataclass
class TrainingSet:
    """The checked training data as a family's ``prepare`` sees it: ``records`` (as read), ``raw[i]`` (record
    ``i``'s extra fields), ``y`` and ``labels`` (from :func:`~medtext.learn.api.prepare_training`), the
    chosen ``params``, and ``fields``: the family's field options by name (e.g. ``{"pairs_field": "pairs"}``)."""

    task: str
    records: list[dict[str, Any]]
    raw: list[dict[str, Any]]
    y: Any
    labels: list[str]
    params: dict[str, Any]
    source: str
    fields: dict[str, str]


@dataclass
class Prepared:
    """What the fit needs beyond texts and labels: the ``params`` to fit with, per-record ``fit_params``
    (sliced by fold in cross-validation), cross-validation ``groups``, and ``data_meta`` for meta.json's
    ``training_data``."""

    params: dict[str, Any]
    fit_params: dict[str, list] | None = None
    groups: list[str] | None = None
    data_meta: dict[str, Any] = field(default_factory=dict)


def _plain(d: TrainingSet) -> Prepared:
    return Prepared(dict(d.params))


def _no_fit_error(e: ValueError, source: str) -> InputError | None:
    return None


@dataclass(frozen=True)
class Family:
    """``fields``: names of :func:`~medtext.learn.train` keyword arguments naming the record fields the
    family reads (JSONL input only); ``prepare``: checks and derived fit inputs; ``fit_error``: the
    one-line error for a ValueError of its fit (None: not the family's, re-raised)."""

    fields: tuple[str, ...] = ()
    prepare: Callable[[TrainingSet], Prepared] = _plain
    fit_error: Callable[[ValueError, str], InputError | None] = _no_fit_error


def too_few(e, task: str, labels, source: str, in_cv: bool = False) -> InputError:
    """E073 for a class too small for SVM calibration (:class:`~medtext.learn.linear.TooFewExamples`)."""
    if task == "multilabel":
        name = labels[int(e.label)]
        what = f"the records without label '{name}'" if e.absent else f"label '{name}'"
    else:
        what = f"label '{e.label}'"
    return InputError(Errors.E073.format(path=source, what=what, n=e.n,
                                         where=" in a cross-validation training fold" if in_cv else "",
                                         hint=", or use a smaller --cv" if in_cv else ""))


def check_svm_counts(task: str, y, labels, source: str = "<records>") -> None:
    """Refuse (E073) training data with a class of fewer than 2 examples for a calibrated SVM."""
    from .linear import TooFewExamples, check_calibration_counts

    try:
        if task == "multilabel":
            for j in range(y.shape[1]):
                if 0 < int(y[:, j].sum()) < len(y):  # constant columns need no calibration
                    try:
                        check_calibration_counts(y[:, j])
                    except TooFewExamples as e:
                        raise TooFewExamples(str(j), e.n, absent=e.label == "0") from None
        else:
            flat = [l for a in y for l in a] if task == "sentences" else list(y)
            check_calibration_counts(np.asarray(flat, dtype=object))
    except TooFewExamples as e:
        raise too_few(e, task, labels, source) from None


def _calibrated(d: TrainingSet) -> Prepared:
    """svm, nbsvm: refuse (E073) a class too small for Platt calibration before any fit."""
    check_svm_counts(d.task, d.y, d.labels, d.source)
    return _plain(d)


def _ordinal(d: TrainingSet) -> Prepared:
    """ordinal: refuse (E138) labels with one value, or with more values than a rating scale has, before any fit."""
    from .ordinal import MAX_LEVELS

    n = len(np.unique(np.asarray(d.y, dtype=float)))
    if not 2 <= n <= MAX_LEVELS:
        raise InputError(Errors.E138.format(path=d.source, n=n, max=MAX_LEVELS))
    return _plain(d)


def _term_pairs(d: TrainingSet) -> Prepared:
    """The drug / effect terms and documents of :mod:`medtext.learn.term_pair_data`, and the positive label."""
    from .term_pair_data import positive_label, term_pair_fit_params

    pairs_field, group_field = d.fields["pairs_field"], d.fields["group_field"]
    fit_params = term_pair_fit_params(d.records, d.raw, source=d.source, pairs_field=pairs_field,
                                      group_field=group_field)
    params = dict(d.params)
    params["positive"] = positive_label(d.labels, list(d.y), fit_params["drugs"], fit_params["effects"],
                                        params.get("positive"), d.source)
    groups = None
    if any(not g.startswith("\0") for g in fit_params["groups"]):
        groups = fit_params["groups"]  # keep a document's records in one cross-validation fold
    return Prepared(params, fit_params, groups, {"pairs_field": pairs_field, "group_field": group_field})


def _term_pairs_error(e: ValueError, source: str) -> InputError | None:
    if "pair head" not in str(e):
        return None
    return InputError(Errors.E120.format(path=source, detail=f"could not train its pair head: {e}; add annotated "
                                         f"records, or set \"pair_C\": null in the --config params"))


def _line_max(d: TrainingSet) -> Prepared:
    """Each record's labelled sentences (:mod:`medtext.learn.sentence_label_data`) for the sentence head."""
    from .sentence_label_data import line_max_fit_params

    sentences_field = d.fields["sentences_field"]
    own = [[d.labels[j] for j, v in enumerate(row) if v] for row in d.y]
    fit_params = line_max_fit_params(d.records, d.raw, own, d.labels, source=d.source, field=sentences_field)
    return Prepared(dict(d.params), fit_params, None, {"sentences_field": sentences_field})


FAMILIES: dict[str, Family] = {
    "svm": Family(prepare=_calibrated),
    "nbsvm": Family(prepare=_calibrated),
    "ordinal": Family(prepare=_ordinal),
    "term-pairs": Family(fields=("pairs_field", "group_field"), prepare=_term_pairs, fit_error=_term_pairs_error),
    "line-max": Family(fields=("sentences_field",), prepare=_line_max),
}


def family(algorithm: str) -> Family:
    """The :class:`Family` of ``algorithm`` (texts and labels only when it has none of its own)."""
    return FAMILIES.get(algorithm, Family())
