"""Training settings beyond the command-line flags: ``medtext train --config FILE``.

A config is a JSON object with optional ``params`` (the algorithm's parameters, see
:data:`medtext.learn.models.TASK_PARAMS`), ``features`` (:class:`~medtext.features.ClinicalTfidf`
settings) and ``context`` (sentence-role context settings) objects, and optional ``task`` and
``algorithm`` strings (used when the command line does not give them); other keys are ignored,
so a model's ``meta.json`` is a config: training with it repeats that model's settings.
Unknown parameter or feature names are refused (E122), so a typo never trains silently.

Example:
    >>> check_settings("classify", "nbsvm", {"C": 0.03}, {"word_ngram_range": [1, 3]}, None)
    ({'C': 0.03}, {'word_ngram_range': (1, 3)}, None)
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError

SECTIONS = ("params", "features", "context")
CHOICES = ("task", "algorithm")  # strings, used when --task / --algorithm are not given
_CONTEXT = ("window", "neighbour_weight", "position_bins", "position_weight")


def read_config(path: str | os.PathLike) -> dict[str, dict[str, Any] | None]:
    """``{"params", "features", "context", "task", "algorithm"}`` of a config file (each ``None`` when
    absent); E001 / E122."""
    p = Path(path)
    if not p.is_file():
        raise InputError(Errors.E001.format(path=path))
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        why = "not valid JSON" if isinstance(e, ValueError) and not isinstance(e, UnicodeDecodeError) else type(e).__name__
        raise InputError(Errors.E122.format(path=path, detail=why)) from None
    if not isinstance(obj, dict):
        raise InputError(Errors.E122.format(path=path, detail=f"it holds a JSON {type(obj).__name__}, not an object"))
    out = {}
    for key in SECTIONS:
        value = obj.get(key)
        if value is not None and not isinstance(value, dict):
            raise InputError(Errors.E122.format(path=path, detail=f"'{key}' is a {type(value).__name__}, not an object"))
        out[key] = value
    for key in CHOICES:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(Errors.E122.format(path=path, detail=f"'{key}' is a {type(value).__name__}, not a string"))
        out[key] = value
    return out


def chosen_algorithm(config: dict[str, Any], task: str, path: str | os.PathLike) -> str | None:
    """The config's ``algorithm`` when it is for ``task`` (its ``task`` is absent or the same), else ``None``;
    E122 for a name that is no algorithm of ``task``.

    >>> chosen_algorithm({"task": "multilabel", "algorithm": "line-max"}, "multilabel", "meta.json")
    'line-max'
    >>> chosen_algorithm({"task": "multilabel", "algorithm": "line-max"}, "classify", "meta.json") is None
    True
    """
    from .models import TASK_ALGORITHMS

    algorithm = config.get("algorithm")
    if algorithm is None or config.get("task") not in (None, task):
        return None
    if algorithm not in TASK_ALGORITHMS[task]:
        raise InputError(Errors.E122.format(path=path, detail=(
            f"'algorithm' {algorithm!r}"[:80] + f" is not one for --task {task} (known: {', '.join(TASK_ALGORITHMS[task])})")))
    return algorithm


def _feature_names() -> list[str]:
    import inspect

    from medtext.features.tfidf import ClinicalTfidf

    return [n for n in inspect.signature(ClinicalTfidf.__init__).parameters if n != "self"]


def _other_algorithm_hint(task: str, params: dict[str, Any]) -> str:
    """``"; these are the params of --algorithm X"`` when another algorithm of ``task`` takes all of ``params``
    (e.g. the shipped hallmarks model's meta.json, whose params are line-max's).

    >>> _other_algorithm_hint("multilabel", {"C": 3.0, "line_C": 3.0})
    '; these are the params of --algorithm line-max'
    """
    from .models import TASK_ALGORITHMS, algorithm_params

    fits = [a for a in TASK_ALGORITHMS[task] if set(params) <= set(algorithm_params(task, a))]
    return f"; these are the params of --algorithm {' or '.join(fits)}" if fits else ""


def _shown(value: Any) -> str:
    """A config value for an error message: its JSON type and a short repr (config values, never note text)."""
    return f"{type(value).__name__} {value!r}"[:60]


def param_problem(name: str, value: Any, default: Any) -> str | None:
    """Why ``value`` cannot be parameter ``name`` whose default is ``default`` (a number default needs a finite
    JSON number, a boolean default true/false; null is left to the estimator), or ``None``.

    >>> param_problem("C", "3", 1.0), param_problem("C", 3, 1.0), param_problem("stack", 1, False)
    ("'C' must be a number; got str '3'", None, "'stack' must be true or false; got int 1")
    """
    if value is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"'{name}' must be true or false; got {_shown(value)}"
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"'{name}' must be a number; got {_shown(value)}"
        if not math.isfinite(value):
            return f"'{name}' must be a finite number; got {value}"
    return None


def check_settings(task: str, algorithm: str, params: dict[str, Any] | None, features: dict[str, Any] | None,
                   context: dict[str, Any] | None, source: str = "<settings>"):
    """``(params, features, context)`` checked against the registry (E122 naming the first unknown
    name, or the first value of the wrong type); JSON lists of ``*_range`` features become tuples."""
    from .models import algorithm_params

    def refuse(section: str, found: list[str], allowed, hint: str = "") -> None:
        raise InputError(Errors.E122.format(path=source, detail=(
            f"unknown {section} name '{found[0]}' for --task {task} --algorithm {algorithm} "
            f"(known: {', '.join(sorted(allowed)) or 'none'}){hint}")))

    known = algorithm_params(task, algorithm)
    if params and (bad := sorted(set(params) - set(known))):
        refuse("params", bad, known, _other_algorithm_hint(task, params))
    for name, value in (params or {}).items():
        if why := param_problem(name, value, known[name]):
            raise InputError(Errors.E122.format(path=source, detail=f"params: {why}"))
    if features:
        from medtext.features.tfidf import ClinicalTfidf

        names = _feature_names()
        if bad := sorted(set(features) - set(names)):
            refuse("features", bad, names)
        features = {k: tuple(v) if k.endswith("_range") and isinstance(v, list) else v for k, v in features.items()}
        try:
            ClinicalTfidf(**features).check_settings()
        except ValueError as e:
            raise InputError(Errors.E122.format(path=source, detail=f"features: {e}")) from None
    if context:
        allowed = _CONTEXT if task == "sentences" else ()
        if bad := sorted(set(context) - set(allowed)):
            refuse("context", bad, allowed)
        for name, value in context.items():
            why = param_problem(name, value, 0.0) if value is not None else f"'{name}' must be a number; got null"
            if why:
                raise InputError(Errors.E122.format(path=source, detail=f"context: {why}"))
    return params, features, context
