"""Learning from text: train, load, predict, evaluate (numpy-only prediction).

>>> from medtext.learn import load_model                              # doctest: +SKIP
>>> load_model("abstract-topics").predict(["Glioblastoma resection outcomes."])   # doctest: +SKIP
['neoplasms']

Names load lazily so ``import medtext.learn`` stays cheap (no scikit-learn).
"""

from __future__ import annotations

from typing import Any

__all__ = ["train", "load_model", "evaluate", "check_records", "Model", "cross_validate",
           "LinearClassifier", "MultiLabelLinearClassifier", "LinearScorer", "SentenceRoleClassifier",
           "build_estimator", "export_spec", "NumpyModel"]

_LAZY = {
    "train": "medtext.learn.api", "load_model": "medtext.learn.api", "evaluate": "medtext.learn.api",
    "Model": "medtext.learn.api", "cross_validate": "medtext.learn.api",
    "check_records": "medtext.learn.checks",
    "LinearClassifier": "medtext.learn.linear", "MultiLabelLinearClassifier": "medtext.learn.linear",
    "LinearScorer": "medtext.learn.linear",
    "SentenceRoleClassifier": "medtext.learn.models", "build_estimator": "medtext.learn.models",
    "export_spec": "medtext.learn.models",
    "NumpyModel": "medtext.learn.linear_numpy",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'medtext.learn' has no attribute {name!r}")
