"""``medtext evaluate classifier|regressor``: a model's metrics on a labelled file or records.

:func:`evaluate` reads and checks the gold labels, predicts, and returns the metrics (with a
report folder on request); records that cannot be scored are refused, never skipped.

Example:
    >>> rows = [{"text": "Glioblastoma resection outcomes.", "label": "neoplasms"}]
    >>> evaluate("abstract-topics", rows)["accuracy"]
    1.0
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError

from .data import group_abstracts, read_records
from .labels import (align_numeric_labels, as_label_list, first_ids, label_str, numeric_label, refuse_label_lists,
                     refuse_label_objects)
from .loaded_model import Model, load_model
from .metrics import classification_metrics, regression_metrics
from .training_data import label_from, python_records, require_label_field

# Fewer evaluation records than this get a warning (W180) with the report's bootstrap confidence intervals:
# resampling n records gives at most n + 1 values of accuracy, so the intervals of a few records are coarse,
# and with one record (or all records right) they have width 0.
MIN_CI_RECORDS = 20


def predict_records(model: Model, records: list[dict[str, Any]]) -> list[Any]:
    """Predictions for records in order (RCT records are decoded abstract by abstract)."""
    if model.kind == "sentences":
        out: list[Any] = []
        for _, recs in group_abstracts(records):
            out.extend(model.predict([[r["text"] for r in recs]])[0])
        return out
    return model.predict([r["text"] for r in records])


def _sentence_predictions(model: Model, records: list[dict[str, Any]]) -> tuple[list[str], Any]:
    """Labels and (n, n_labels) probabilities of a sentence-role model's records, abstract by abstract."""
    import numpy as np

    out = [s for _, recs in group_abstracts(records) for s in model.classify_abstract([r["text"] for r in recs])]
    return [s["label"] for s in out], np.array([[s["scores"][l] for l in model.labels] for s in out])


def evaluate(model: Model | str | os.PathLike, input: Any, *, input_format: str | None = None, id_field: str = "id",
             text_field: str = "text", label_field: str | None = None, report_dir: str | os.PathLike | None = None,
             bootstrap: int | None = None, seed: int = 0, warn=None) -> dict[str, Any]:
    """Metrics of a model on a labelled file (DESIGN.md's ``evaluate classifier|regressor`` JSON).

    ``warn(message)`` receives warnings (default: :func:`warnings.warn`), e.g. when no gold label
    is a label of the model, or when a report's confidence intervals rest on fewer than
    :data:`MIN_CI_RECORDS` records. ``bootstrap`` (resamples of the report's confidence intervals,
    default 1000) needs ``report_dir``: the intervals are part of the report."""
    if bootstrap is not None and report_dir is None:
        raise InputError(Errors.E011.format(option="bootstrap", expected="used with report_dir (the confidence intervals "
                                            "are part of the report)", found=f"bootstrap={bootstrap} without report_dir"))
    if not isinstance(model, Model):
        model = load_model(model)
    if report_dir is not None:
        _report_folder(report_dir)  # before computing anything
    label_field = label_field or ("labels" if model.kind == "multilabel" else "label")
    source = str(input) if isinstance(input, (str, os.PathLike)) else "<records>"
    if isinstance(input, (str, os.PathLike)):
        from .data import infer_format

        fmt = infer_format(input, input_format, "rct" if model.kind == "sentences" else "txt")
        if model.kind == "sentences" and fmt != "rct":  # other files have no abstracts: all one (wrong) sequence
            raise InputError(Errors.E067.format(task="sentences", fmt="rct", found=fmt))
        records = read_records(input, fmt, id_field=id_field, text_field=text_field, label_field=label_field,
                               require_label=True)
    else:
        input = python_records(input, "evaluate")
        require_label_field(input, label_field)
        records = [{"id": r.get(id_field), "text": r.get(text_field), "label": label_from(r, label_field),
                    "abstract_id": r.get("abstract_id")} for r in input]
    if not records:
        raise InputError(Errors.E065.format(path=source, what="evaluation"))
    _refuse_unreadable(records, source)
    refuse_label_objects(records, source, label_field)
    if model.kind == "multilabel":
        gold = [as_label_list(r.get("label")) for r in records]
    elif model.kind == "regressor":
        parsed = [numeric_label(r.get("label")) for r in records]
        bad = [(r, why) for r, (_, why) in zip(records, parsed) if why and r.get("label") is not None]
        if bad:
            raise InputError(Errors.E075.format(path=source, field=label_field, n=len(bad), found=bad[0][1],
                                                ids=first_ids([r for r, _ in bad])))
        gold = [x for x, _ in parsed]
    else:
        refuse_label_lists(records, source, label_field, f"model '{model.name}' is a single-label {model.kind}")
        gold = [None if r.get("label") is None else label_str(r["label"]) for r in records]
    missing = [r for r, g in zip(records, gold) if g is None]
    if missing:
        raise InputError(Errors.E069.format(path=source, n=len(missing), field=label_field, ids=first_ids(missing)))
    if model.kind in ("classifier", "sentences"):
        gold = align_numeric_labels(gold, model.labels)
    if model.kind != "regressor":
        _warn_if_no_known_gold(gold, model, source, warn)
    proba = None
    if report_dir is not None and model.kind == "sentences":  # labels and probabilities in one decoding
        pred, proba = _sentence_predictions(model, records)
    elif report_dir is not None and model.kind in ("classifier", "multilabel"):  # the texts vectorized once
        proba = model.predict_proba([r["text"] for r in records])
        pred = model.labels_of(proba)
    else:
        pred = predict_records(model, records)
    if model.kind == "regressor":
        metrics = regression_metrics(gold, pred)
    else:
        metrics = classification_metrics(gold, pred, model.labels, multilabel=model.kind == "multilabel",
                                         label_counts=True)
    if report_dir is not None:
        from medtext.errors import Warnings

        from .report import write_report

        groups = None
        if model.kind == "sentences":  # a sentence's role depends on its abstract's: resample whole abstracts
            groups = [i for i, (_, recs) in enumerate(group_abstracts(records)) for _ in recs]
            if groups[-1] + 1 < MIN_CI_RECORDS:
                _warn(Warnings.W197.format(path=source, n=groups[-1] + 1, min=MIN_CI_RECORDS), warn)
        elif len(gold) < MIN_CI_RECORDS:
            _warn(Warnings.W180.format(path=source, n=len(gold), min=MIN_CI_RECORDS), warn)
        from .report_folder import publish_report

        try:  # written beside the folder, then put in place: a failure leaves no half report
            metrics["confidence_intervals"] = publish_report(
                report_dir, lambda tmp: write_report(tmp, model, gold, pred, proba, metrics, groups=groups,
                                                     n_boot=1000 if bootstrap is None else bootstrap, seed=seed))
        except OSError as e:
            raise InputError(Errors.E008.format(path=report_dir, detail=e.strerror or type(e).__name__)) from None
    return metrics


def _refuse_unreadable(records: list[dict[str, Any]], source: str) -> None:
    """E077 for evaluation records that cannot be read or have no usable text (named, never skipped)."""
    from .data import record_problem

    bad = [(r, p) for r in records if (p := record_problem(r))]
    if bad:
        reasons = "; ".join(sorted({p.split(":")[0] for _, p in bad}))
        raise InputError(Errors.E077.format(path=source, n=len(bad), reasons=reasons, ids=first_ids([r for r, _ in bad])))


def _warn_if_no_known_gold(gold: list, model: Model, source: str, warn) -> None:
    """Warn (W060) when not one gold label is a label of the model: every record would count as an error;
    (W061) when some are not (a case or spelling variant, ``Neoplasms`` for ``neoplasms``): those records
    count as errors of labels the model cannot predict."""
    seen = sorted({l for g in gold for l in (g if isinstance(g, list) else [g])})
    if not seen:
        return
    from medtext.errors import Warnings

    def few(xs):
        return ", ".join(map(repr, xs[:5])) + (", ..." if len(xs) > 5 else "")

    known = set(model.labels)
    unknown = [l for l in seen if l not in known]
    if not unknown:
        return
    if len(unknown) < len(seen):
        n = sum(1 for g in gold if any(l not in known for l in (g if isinstance(g, list) else [g])))
        msg = Warnings.W061.format(path=source, n=n, gold=few(unknown), model=model.name,
                                   labels=few(list(model.labels)))
    else:
        msg = Warnings.W060.format(path=source, gold=few(seen), model=model.name, labels=few(list(model.labels)))
    _warn(msg, warn, stacklevel=4)


def _warn(msg: str, warn, stacklevel: int = 3) -> None:
    """``warn(msg)``, or a UserWarning (pointing ``stacklevel`` frames up) when no ``warn`` was given."""
    if warn is not None:
        warn(msg)
    else:
        import warnings

        warnings.warn(msg, UserWarning, stacklevel=stacklevel)


def _report_folder(path: str | os.PathLike) -> None:
    """Refuse (E008) a ``--report`` path that cannot be a folder, and create the folders above it (the
    report folder itself appears when the report is complete)."""
    from .output_paths import blocked_parent_detail

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(Errors.E008.format(path=path, detail="it is a file; give a folder for the report "
                                                              "(e.g. report/)"))
    if not path.exists() and (detail := blocked_parent_detail(path, example="report/")):
        raise InputError(Errors.E008.format(path=path, detail=detail))
    try:
        path.resolve().parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(Errors.E008.format(path=path, detail=e.strerror or type(e).__name__)) from None
