"""The library face of ``medtext train / classify / score / evaluate``.

>>> from medtext.learn import train, load_model                      # doctest: +SKIP
>>> model = train("train.jsonl", task="classify", output="models/mine")   # doctest: +SKIP
>>> load_model("models/mine").predict(["Metastatic melanoma of the skin."])  # doctest: +SKIP
['neoplasms']

Prediction (``load_model`` and :class:`Model`) uses numpy only; training imports scikit-learn.
Training is here; the other pieces live in their own modules and are imported from here too:
:mod:`loaded_model` (``Model``, ``load_model``), :mod:`labels` (reading label values),
:mod:`training_data` (``prepare_training``), :mod:`metrics`, :mod:`cross_validation`
(``cross_validate``, the grid search) and :mod:`model_evaluation` (``evaluate``).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from medtext.errors import Errors, InputError

from .cross_validation import PRIMARY, SEARCH_GRID, cross_validate, tune_params
from .labels import align_numeric_labels, find_label_typos, label_str, numeric_label, read_label, refuse_label_lists
from .loaded_model import Model, load_model
from .metrics import classification_metrics, regression_metrics
from .model_evaluation import evaluate, predict_records
from .persist import sha256_file as file_sha256
from .train_families import check_svm_counts, too_few
from .training_data import prepare_training, read_training

__all__ = [
    "DEFAULT_FEATURES", "PRIMARY", "SEARCH_GRID", "TASK_KIND", "Model", "align_numeric_labels", "check_svm_counts",
    "classification_metrics", "cross_validate", "evaluate", "file_sha256", "find_label_typos", "fit_estimator",
    "label_str", "load_model", "numeric_label", "predict_records", "prepare_training", "read_label",
    "refuse_label_lists", "regression_metrics", "save_estimator", "train",
]

TASK_KIND = {"classify": "classifier", "multilabel": "multilabel", "sentences": "sentences", "regress": "regressor"}


DEFAULT_FEATURES = {"word_ngram_range": (1, 2), "char_ngram_range": (2, 5), "min_df": 2,
                    "max_features_word": 100_000, "max_features_char": 150_000, "sublinear_tf": True}


def fit_estimator(task: str, X, y, labels, *, algorithm=None, params=None, features=None, context=None,
                  fit_params: dict[str, list] | None = None):
    from .models import build_estimator

    est = build_estimator(task, algorithm, features=features, context=context, **(params or {}))
    return est.fit(X, y, **(fit_params or {}))


def save_estimator(est, task: str, labels, output: str | os.PathLike, meta: dict[str, Any], *,
                   overflow_hint: str = "") -> Path:
    from .models import export_spec
    from .persist import save_spec

    spec = export_spec(est, task, labels)
    return save_spec(spec, output, meta, overflow_hint=overflow_hint)


def train(input: Any, task: str = "classify", algorithm: str | None = None, output: str | os.PathLike | None = None, *,
          input_format: str | None = None, id_field: str = "id", text_field: str = "text", label_field: str | None = None,
          cv: int | None = None, search: bool = False, name: str | None = None, description: str | None = None,
          features: dict[str, Any] | None = None, params: dict[str, Any] | None = None,
          context: dict[str, Any] | None = None, pairs_field: str = "pairs", group_field: str = "group",
          sentences_field: str = "sentences", settings_source: str = "<params>", keep_labels: bool = False,
          strict: bool = False, checks: bool = True, allow: Sequence[str] = ()) -> tuple[Model | Any, dict[str, Any]]:
    """Train a model from a file (JSONL/CSV/RCT), a pandas DataFrame or a list of dicts.

    ``algorithm``: one of :data:`medtext.learn.models.TASK_ALGORITHMS` for ``task``; ``params``,
    ``features`` and ``context`` override the defaults (names checked, see
    :mod:`medtext.learn.train_config`). ``term-pairs`` also reads each record's drug / effect
    annotations (``pairs_field``) and document (``group_field``), see
    :mod:`medtext.learn.term_pair_data`; ``line-max`` (multi-label) each record's labelled
    sentences (``sentences_field``), see :mod:`medtext.learn.sentence_label_data`. What each
    algorithm family does differently is in :mod:`medtext.learn.train_families`.

    Returns ``(model, report)``: ``model`` is the loaded :class:`Model` when ``output`` is
    given (else the fitted scikit-learn estimator); ``report`` has the data-check
    report, chosen parameters and cross-validated metrics (``cv`` folds, default 5 with
    ``search``). ``strict`` stops (E066) on any problem the checks find but those named in ``allow``.

    >>> train(rows, task="classify", algorithm="nbsvm", params={"C": 0.03})   # doctest: +SKIP
    """
    from .checks import check_records
    from .train_families import TrainingSet, family

    label_field = label_field or ("labels" if task == "multilabel" else "label")
    algorithm, params, features, context = _check_request(task, algorithm, params, features, context, settings_source)
    if output is not None:
        from .persist import check_output_folder

        check_output_folder(output)  # before the (long) fit, not after it
    fam = family(algorithm)
    options = {"pairs_field": pairs_field, "group_field": group_field, "sentences_field": sentences_field}
    fields = {k: options[k] for k in fam.fields}
    records, raw, source, sha = read_training(input, task, algorithm, fields, input_format=input_format,
                                               id_field=id_field, text_field=text_field, label_field=label_field)
    report: dict[str, Any] = {"source": source, "n_records": len(records)}
    if checks:
        report["checks"] = check_records(records, source=source, multilabel=task == "multilabel",
                                         regression=task == "regress", strict=strict, allow=allow)
    X, y, labels = prepare_training(records, task, source=source, label_field=label_field, keep_labels=keep_labels)
    feats = dict(DEFAULT_FEATURES, **(features or {}))
    prep = fam.prepare(TrainingSet(task, records, raw, y, labels, dict(params or {}), source, fields))
    est, chosen, metrics = _fit(task, X, y, labels, algorithm, prep, feats, cv, search, source, context, settings_source)
    report.update({"algorithm": algorithm, "params": chosen, "cv_metrics": _summary(metrics)})
    if output is None:
        return est, report
    data = {"description": description or f"{source} ({len(records)} records)", "path": Path(source).name,
            "sha256": sha, "n_records": len(records), **prep.data_meta}
    meta = _train_meta(name or Path(output).name, task, algorithm, chosen, feats, context, data, metrics, cv)
    save_estimator(est, task, labels, output, meta, overflow_hint=_overflow_hint(task, y))
    return load_model(output), report


def _overflow_hint(task: str, y) -> str:
    """The end of E166's sentence: the largest regression label, whose square overflows first.

    >>> _overflow_hint("regress", np.array([1.0, -2e160])), _overflow_hint("classify", ["a"])
    ('; the largest |label| is 2e+160', '')
    """
    if task != "regress" or not len(y):
        return ""
    return f"; the largest |label| is {float(np.max(np.abs(y))):.3g}"


def _check_request(task: str, algorithm: str | None, params, features, context, settings_source: str):
    """``(algorithm, params, features, context)`` after checking the task, the algorithm and the settings
    names against the registry (E011, E122), before any data is read."""
    from .models import TASK_ALGORITHMS
    from .train_config import check_settings

    if task not in TASK_KIND:
        raise InputError(Errors.E011.format(option="--task", expected="one of " + ", ".join(TASK_KIND), found=repr(task)))
    algorithm = algorithm or TASK_ALGORITHMS[task][0]
    if algorithm not in TASK_ALGORITHMS[task]:
        raise InputError(Errors.E011.format(option="--algorithm", found=repr(algorithm),
                                            expected=f"one of {', '.join(TASK_ALGORITHMS[task])} for --task {task}"))
    return (algorithm, *check_settings(task, algorithm, params, features, context, settings_source))


def _fit(task, X, y, labels, algorithm, prep, feats, cv, search, source, context, settings_source="<params>"):
    """``(fitted estimator, chosen params, cross-validated metrics or None)``; a fit failure becomes its
    one-line error (E073 for a class too small for calibration, else the family's own)."""
    from .linear import TooFewExamples
    from .train_families import family

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # an overflow is refused on saving (E166)
            chosen, metrics = tune_params(task, X, y, labels, algorithm, prep.params, feats, cv, search, source,
                                    context=context, fit_params=prep.fit_params, groups=prep.groups)
            est = fit_estimator(task, X, y, labels, algorithm=algorithm, params=chosen, features=feats,
                                context=context, fit_params=prep.fit_params)
    except TooFewExamples as e:
        raise too_few(e, task, labels, source, in_cv=True) from None
    except ValueError as e:
        err = _settings_error(e, feats, source, settings_source) or family(algorithm).fit_error(e, source)
        if err is None:
            raise
        raise err from None
    return est, chosen, metrics


# scikit-learn's TfidfVectorizer messages when no term is left (its wording, not ours: matched, never shown whole)
_NO_TERMS = {"empty vocabulary": "a feature block finds no term in any text, e.g. texts without words",
             "After pruning, no terms remain": "every term is in fewer records than min_df",
             "max_df corresponds to < documents than min_df": "min_df is more than the number of records"}


def _settings_error(e: ValueError, feats: dict[str, Any], source: str, settings_source: str) -> InputError | None:
    """The one-line error of a fit that failed on its settings: E122 for a parameter scikit-learn refuses
    (``C`` of 0, ``class_weight`` "balance"), E136 when the TF-IDF settings keep no term; else ``None``."""
    from .linear import BadSetting

    if isinstance(e, BadSetting) or any(c.__name__ == "InvalidParameterError" for c in type(e).__mro__):  # sklearn's, checked by name (private)
        return InputError(Errors.E122.format(path=settings_source, detail=" ".join(str(e).split())[:300].rstrip(".")))
    why = next((w for msg, w in _NO_TERMS.items() if str(e).startswith(msg)), None)
    if why is None:
        return None
    return InputError(Errors.E136.format(path=source, why=why, min_df=feats.get("min_df")))


def _train_meta(name: str, task: str, algorithm: str, chosen: dict[str, Any], feats: dict[str, Any], context,
                data: dict[str, Any], metrics, cv) -> dict[str, Any]:
    """meta.json of a model trained by :func:`train` (the persistence layer adds versions and checksums)."""
    from .models import algorithm_params

    return {
        "name": name, "task": task, "algorithm": algorithm,
        "params": jsonable({**algorithm_params(task, algorithm), **chosen}),  # all of them: --config meta.json repeats it
        "features": jsonable(feats), **({"context": jsonable(context)} if context else {}),
        "training_data": data,
        "metrics": {"tuned_on": f"{cv or 5}-fold cross-validation on the training data" if metrics else None,
                    **(_summary(metrics) or {})},
        "created": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _summary(metrics: dict[str, Any] | None) -> dict[str, Any] | None:
    if not metrics:
        return None
    return {k: v for k, v in metrics.items() if k != "per_label"} | (
        {"per_label": metrics["per_label"]} if "per_label" in metrics else {})


def jsonable(obj: Any) -> Any:
    """``obj`` with numpy scalars turned into Python numbers and tuples into lists, for ``json.dump``.

    >>> jsonable({"c": (np.float32(0.5), 1)})
    {'c': [0.5, 1]}
    """
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
