"""The library face of ``medtext train / classify / score / evaluate``.

>>> from medtext.learn import train, load_model                      # doctest: +SKIP
>>> model = train("train.jsonl", task="classify", output="models/mine")   # doctest: +SKIP
>>> load_model("models/mine").predict(["Metastatic melanoma of the skin."])  # doctest: +SKIP
['neoplasms']

Prediction (``load_model`` and :class:`Model`) uses numpy only; training imports scikit-learn.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from medtext.errors import Errors, InputError, ModelError

from .data import group_abstracts, is_blank, read_records
from .linear_numpy import NumpyModel
from .persist import load_spec, resolve_model
from .train_families import check_svm_counts, too_few  # noqa: F401 (check_svm_counts: re-exported)

TASK_KIND = {"classify": "classifier", "multilabel": "multilabel", "sentences": "sentences", "regress": "regressor"}


def _positions(bad: list[int]) -> str:
    return ", ".join(map(str, bad[:10])) + (", ..." if len(bad) > 10 else "")


def _texts(texts: Any) -> list[str]:
    """Texts as a list of strings; ValueError naming the positions of missing ones (None, NaN, other
    non-strings) instead of classifying them as ``"nan"`` or ``""``. An empty string is a text (as for
    the scikit-learn estimator)."""
    if isinstance(texts, str):
        return [texts]
    if hasattr(texts, "columns"):
        if texts.shape[1] != 1:
            raise ValueError("pass one text column (e.g. df['text']), not a whole DataFrame")
        texts = texts.iloc[:, 0]
    return _strings(texts, "text(s)", " (None, NaN, numbers)", "; drop or fill them first, e.g. df.dropna(subset=['text'])")


def _abstract(sentences: Any, where: str = "") -> list[str]:
    """One abstract as a list of sentence strings; ValueError for a bare string (it would be read
    character by character) or missing sentences."""
    if isinstance(sentences, str):
        raise ValueError(f"a sentence-role model takes each abstract as a list of sentences{where}, e.g. "
                         f"[['First sentence.', 'Second sentence.']]; got a string")
    return _strings(sentences, f"sentence(s){where}")


def _strings(items: Any, what: str, examples: str = "", advice: str = "") -> list[str]:
    """``items`` as a list of strings; ValueError naming the positions of the others, TypeError when
    ``items`` is no sequence of texts (None, bytes, a number)."""
    if items is None or isinstance(items, (bytes, bytearray)) or not hasattr(items, "__iter__"):
        raise TypeError(f"expected {what} as a string or a list (or pandas Series) of strings; got {type(items).__name__}")
    out = list(items)
    bad = [i for i, t in enumerate(out) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{len(bad)} {what} are missing or not strings{examples} at positions {_positions(bad)} (0-based){advice}")
    return out


class Model:
    """A loaded medtext model (numpy prediction path).

    >>> m = load_model("abstract-topics")                        # doctest: +SKIP
    >>> m.predict(["Colonoscopy findings in ulcerative colitis."])   # doctest: +SKIP
    ['digestive system diseases']
    """

    def __init__(self, path: Path, meta: dict[str, Any], spec: dict[str, Any]):
        self.path = path
        self.meta = meta
        self.name = meta.get("name", path.name)
        self.kind = spec["kind"]
        self.task = meta.get("task")
        self.labels = list(spec["labels"])
        self._np = NumpyModel(spec)

    def __repr__(self) -> str:
        return f"Model(name={self.name!r}, kind={self.kind!r}, labels={len(self.labels)})"

    def _need(self, *kinds: str, command: str) -> None:
        if self.kind not in kinds:
            raise ModelError(Errors.E034.format(path=self.path, found=self.kind, expected=" or ".join(kinds)))

    def predict(self, texts):
        """Labels (classifier), label lists (multi-label), numbers (regressor); for a sentence-role
        model pass abstracts (lists of sentences) and get label lists."""
        if self.kind == "sentences":
            if isinstance(texts, str):
                raise ValueError("a sentence-role model takes a list of abstracts, each a list of sentences, e.g. "
                                 "predict([['First sentence.', 'Second sentence.']]); got a string")
            return [self._np.predict_abstract(_abstract(a, f" (abstract {i})"))[0] for i, a in enumerate(texts)]
        out = self._np.predict(_texts(texts))
        return out.tolist() if isinstance(out, np.ndarray) else out

    def predict_proba(self, texts) -> np.ndarray:
        """(n, n_labels) probabilities, columns in ``self.labels`` order."""
        self._need("classifier", "multilabel", command="classify")
        return self._np.predict_proba(_texts(texts))

    def classify(self, texts) -> list[dict[str, Any]]:
        """The ``medtext classify`` records: ``label``/``labels`` and ``scores`` {label: probability}."""
        self._need("classifier", "multilabel", command="classify")
        texts = _texts(texts)
        proba = self._np.predict_proba(texts)
        preds = self._np.predict(texts)
        key = "labels" if self.kind == "multilabel" else "label"
        return [{key: p, "scores": {l: float(v) for l, v in zip(self.labels, row)}} for p, row in zip(preds, proba)]

    def classify_abstract(self, sentences: Sequence[str]) -> list[dict[str, Any]]:
        """One record per sentence of one abstract (sentence-role models)."""
        self._need("sentences", command="classify")
        labels, post = self._np.predict_abstract(_abstract(sentences))
        return [{"label": l, "scores": {k: float(v) for k, v in zip(self.labels, row)}} for l, row in zip(labels, post)]

    def predict_frame(self, df, text_field: str = "text"):
        """pandas: a copy of ``df`` with prediction columns — ``label`` (or ``labels``) and one
        ``p(<label>)`` column per label, or ``score`` for a regressor.

        >>> load_model("abstract-topics").predict_frame(pd.DataFrame({"text": ["Glioma."]}))  # doctest: +SKIP
        """
        if not hasattr(df, "columns"):
            raise TypeError(f"predict_frame takes a pandas DataFrame; got {type(df).__name__} (use predict() for a list of texts)")
        if text_field not in df.columns:
            columns = ", ".join(repr(str(c))[:40] for c in list(df.columns)[:10])
            raise KeyError(f"the DataFrame has no text column {text_field!r} (its columns: {columns}); pass text_field=")
        out = df.copy()
        texts = _texts(df[text_field])
        if self.kind == "regressor":
            out["score"] = self.score(texts)
            return out
        self._need("classifier", "multilabel", command="classify")
        out["labels" if self.kind == "multilabel" else "label"] = self._np.predict(texts)
        proba = self._np.predict_proba(texts)
        for j, l in enumerate(self.labels):
            out[f"p({l})"] = proba[:, j]
        return out

    def score(self, texts) -> list[float]:
        """Predicted numbers of a regressor."""
        self._need("regressor", command="score")
        return [float(v) for v in self._np.predict_scores(_texts(texts))]


def load_model(name_or_path: str | os.PathLike) -> Model:
    """Load a model by name (``MEDTEXT_MODELS``, then shipped) or by folder path; checks checksums."""
    path = resolve_model(name_or_path)
    meta, spec = load_spec(path)
    try:
        return Model(path, meta, spec)
    except (ValueError, KeyError, TypeError, IndexError) as e:  # arrays that do not fit together
        detail = (f"spec lacks {e}" if isinstance(e, KeyError) else str(e)[:200] if isinstance(e, ValueError)
                  else f"{type(e).__name__}: {str(e)[:200]}")
        raise ModelError(Errors.E035.format(path=path, detail=detail)) from None


# ----------------------------------------------------------------------------- training data


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _ids(recs: list[dict[str, Any]], k: int = 3) -> str:
    return ", ".join(str(r.get("id") if r.get("id") is not None else f"line {r.get('line')}") for r in recs[:k])


def _similar(a: str, b: str) -> bool:
    """Case/space/plural variants or one edit apart (for label-typo detection)."""
    na, nb = " ".join(a.lower().split()), " ".join(b.lower().split())
    if na == nb or na.rstrip("s") == nb.rstrip("s"):
        return True
    if abs(len(na) - len(nb)) > 1 or min(len(na), len(nb)) < 4:
        return False
    # Levenshtein distance <= 1
    if len(na) > len(nb):
        na, nb = nb, na
    i = j = diff = 0
    while i < len(na) and j < len(nb):
        if na[i] == nb[j]:
            i += 1
            j += 1
            continue
        diff += 1
        if diff > 1:
            return False
        if len(na) == len(nb):
            i += 1
        j += 1
    return diff + (len(nb) - j) + (len(na) - i) <= 1


def find_label_typos(counts: dict[str, int]) -> list[tuple[str, int, str, int]]:
    """``(rare label, n, common label, m)`` pairs where the rare one looks like a misspelling."""
    out = []
    labels = sorted(counts, key=lambda l: -counts[l])
    for i, common in enumerate(labels):
        for rare in labels[i + 1:]:
            if counts[rare] * 5 <= counts[common] and _similar(rare, common):
                out.append((rare, counts[rare], common, counts[common]))
    return out


def _label_items(v: Any) -> tuple[list[str] | None, str | None]:
    """A multi-label value as a list of labels: ``(labels, None)``, or ``(None, problem)`` with problem
    ``missing_label`` (null, not a list) or ``label_item`` (a null, list or object among the labels).

    >>> _label_items("a|b"), _label_items('["a", 2]'), _label_items(["a", None]), _label_items({"a": 1})
    ((['a', 'b'], None), (['a', '2'], None), (None, 'label_item'), (None, 'missing_label'))
    """
    if v is None:
        return None, "missing_label"
    if isinstance(v, str):
        v = v.strip()
        if v.startswith("["):
            import json

            try:
                v = json.loads(v)
            except ValueError:
                return None, "missing_label"
        else:
            return ([p.strip() for p in v.split("|") if p.strip()] if v else []), None
    if isinstance(v, (list, tuple)):
        if any(x is None or isinstance(x, (list, tuple, dict)) for x in v):
            return None, "label_item"
        return [str(x).strip() for x in v if str(x).strip()], None
    return None, "missing_label"


def _as_label_list(v: Any) -> list[str] | None:
    return _label_items(v)[0]


def read_label(v: Any, task: str) -> tuple[Any, str | None]:
    """A record's label as training reads it for ``task``: ``(label, None)``, or ``(None, problem)`` with
    problem ``missing_label``, ``label_list``, ``label_item`` (multi-label: a null, list or object among the
    labels) or ``not_a_number: <why>`` (``medtext check`` uses the same).

    >>> read_label(" a ", "classify"), read_label(["a"], "classify"), read_label('["a", "b"]', "multilabel")
    (('a', None), (None, 'label_list'), (['a', 'b'], None))
    """
    if task == "multilabel":
        return _label_items(v)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, "missing_label"
    if isinstance(v, (list, tuple, dict)):
        return None, "label_list"
    if task == "regress":
        x, why = numeric_label(v)
        return (x, None) if why is None else (None, f"not_a_number: {why}")
    return label_str(v), None


def label_str(v: Any) -> str:
    """A class label as a string; the JSON numbers 1 and 1.0 are both ``"1"``.

    >>> label_str(1.0), label_str(2), label_str(" b "), label_str(0.5)
    ('1', '2', 'b', '0.5')
    """
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _as_number(label: str) -> float | None:
    try:
        x = float(label)
    except ValueError:
        return None
    return x if np.isfinite(x) else None


def align_numeric_labels(gold: list[str], labels: Sequence[str]) -> list[str]:
    """Gold labels that are not model labels but equal one numerically (``"1.0"`` vs ``"1"``) become it.

    >>> align_numeric_labels(["1.0", "2", "x"], ["1", "2.0"])
    ['1', '2.0', 'x']
    """
    known = set(labels)
    by_value: dict[float, list[str]] = {}
    for l in labels:
        if (x := _as_number(l)) is not None:
            by_value.setdefault(x, []).append(l)

    def align(g: str) -> str:
        if g in known or (x := _as_number(g)) is None or len(by_value.get(x, [])) != 1:
            return g
        return by_value[x][0]

    return [align(g) for g in gold]


def _raise_label_problems(records, parsed, task: str, source: str, label_field: str) -> None:
    """The first kind of label problem as one coded error: E060 missing, E137 bad items of a label list,
    E076 lists, E064 not numbers."""
    def having(kind: str):
        return [r for r, (_, p) in zip(records, parsed) if p and p.split(":")[0] == kind]

    if missing := having("missing_label"):
        raise InputError(Errors.E060.format(path=source, n=len(missing), field=label_field, ids=_ids(missing)))
    if items := having("label_item"):
        raise InputError(Errors.E137.format(path=source, n=len(items), field=label_field, ids=_ids(items)))
    if lists := having("label_list"):
        raise InputError(Errors.E076.format(path=source, n=len(lists), field=label_field, ids=_ids(lists),
                                            why=f"--task {task} needs one label per record"))
    if numbers := having("not_a_number"):
        why = next(p for _, p in parsed if p and p.startswith("not_a_number")).split(": ", 1)[1]
        raise InputError(Errors.E064.format(path=source, field=label_field, id=_ids(numbers, 1), found=why))


def numeric_label(v: Any) -> tuple[float | None, str | None]:
    """``(number, None)`` for a usable regression label, else ``(None, why)`` (text-free).

    >>> numeric_label("7"), numeric_label("ten"), numeric_label(float("nan"))
    ((7.0, None), (None, 'a str that is not a number'), (None, 'NaN/inf'))
    """
    if v is None:
        return None, "no label"
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None, f"a {type(v).__name__}"
    try:
        x = float(v)
    except ValueError:
        return None, f"a {type(v).__name__} that is not a number"
    if not np.isfinite(x):
        return None, "NaN/inf"
    return x, None


def refuse_label_lists(records: list[dict[str, Any]], source: str, field: str, why: str) -> None:
    """E076 when a single-label task meets lists (or objects) of labels."""
    lists = [r for r in records if isinstance(r.get("label"), (list, tuple, dict))]
    if lists:
        raise InputError(Errors.E076.format(path=source, n=len(lists), field=field, ids=_ids(lists), why=why))


def prepare_training(records: list[dict[str, Any]], task: str, *, source: str = "<records>",
                     label_field: str = "label", keep_labels: bool = False):
    """Validate training records and return ``(X, y, labels)`` for ``task``; raises a clear
    :class:`InputError` for missing labels, empty texts, one class only, label typos."""
    if not records:
        raise InputError(Errors.E065.format(path=source, what="training"))
    bad = [r for r in records if r.get("error")]
    if bad:
        raise InputError(Errors.E009.format(fmt="jsonl", path=source, line=bad[0]["line"], detail=bad[0]["error"]))
    blank = [r for r in records if is_blank(r.get("text"))]
    if blank:
        from medtext.text_checks import text_problem

        why = sorted({r.get("reason") or text_problem(r.get("text")) or "blank text" for r in blank})
        raise InputError(Errors.E061.format(path=source, n=len(blank), ids=_ids(blank), why="; ".join(why[:4])))
    parsed = [read_label(r.get("label"), task) for r in records]
    _raise_label_problems(records, parsed, task, source, label_field)
    ys = [y for y, _ in parsed]
    if task == "regress":
        return [r["text"] for r in records], np.asarray(ys, dtype=float), []
    if task == "multilabel":
        counts: dict[str, int] = {}
        for y in ys:
            for l in set(y):
                counts[l] = counts.get(l, 0) + 1
        if len(counts) < 1:
            raise InputError(Errors.E062.format(path=source, label="no label at all"))
    else:
        counts = {}
        for l in ys:
            counts[l] = counts.get(l, 0) + 1
        if len(counts) < 2:
            raise InputError(Errors.E062.format(path=source, label=repr(next(iter(counts)))))
    if not keep_labels:
        typos = find_label_typos(counts)
        if typos:
            rare, n, common, m = typos[0]
            raise InputError(Errors.E063.format(path=source, label=rare, n=n, other=common, m=m))
    labels = sorted(counts)
    if task == "sentences":
        abstracts, y_abs = [], []
        for _, recs in group_abstracts([dict(r, label=l) for r, l in zip(records, ys)]):
            abstracts.append([r["text"] for r in recs])
            y_abs.append([r["label"] for r in recs])
        return abstracts, y_abs, labels
    if task == "multilabel":
        Y = np.zeros((len(ys), len(labels)), dtype=int)
        pos = {l: i for i, l in enumerate(labels)}
        for i, y in enumerate(ys):
            for l in y:
                Y[i, pos[l]] = 1
        return [r["text"] for r in records], Y, labels
    return [r["text"] for r in records], np.asarray(ys, dtype=object), labels


# ----------------------------------------------------------------------------- metrics


def classification_metrics(gold: Sequence, pred: Sequence, labels: Sequence[str] | None = None,
                           multilabel: bool = False) -> dict[str, Any]:
    """accuracy, macro_f1, weighted_f1, micro_f1, per_label {label: {precision, recall, f1, support}}."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    if multilabel:
        labels = sorted(set(labels or []) | {l for g in gold for l in g} | {l for p in pred for l in p})
        pos = {l: i for i, l in enumerate(labels)}
        G = np.zeros((len(gold), len(labels)), dtype=int)
        P = np.zeros_like(G)
        for i, (g, p) in enumerate(zip(gold, pred)):
            for l in g:
                G[i, pos[l]] = 1
            for l in p:
                P[i, pos[l]] = 1
        y_true, y_pred = G, P
        label_arg = None
        accuracy = float(accuracy_score(G, P))  # exact-match ratio
    else:
        y_true, y_pred = list(map(str, gold)), list(map(str, pred))
        labels = sorted(set(labels or []) | set(y_true) | set(y_pred))
        label_arg = labels
        accuracy = float(accuracy_score(y_true, y_pred))
    out: dict[str, Any] = {"n": len(gold), "accuracy": accuracy}
    for avg in ("macro", "weighted", "micro"):
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=label_arg, average=avg, zero_division=0)
        out[f"{avg}_f1"] = float(f)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=label_arg, average=None, zero_division=0)
    out["per_label"] = {l: {"precision": float(pp), "recall": float(rr), "f1": float(ff), "support": int(ss)}
                        for l, pp, rr, ff, ss in zip(labels, p, r, f, s)}
    return out


def regression_metrics(gold: Sequence[float], pred: Sequence[float]) -> dict[str, Any]:
    """n, rmse, mae, r2; a metric that is undefined (r2 of constant gold, anything of no records) is None.

    >>> regression_metrics([3, 3], [2, 4])
    {'n': 2, 'rmse': 1.0, 'mae': 1.0, 'r2': None}
    """
    g = np.asarray(gold, dtype=float)
    p = np.asarray(pred, dtype=float)
    err = p - g
    ss_tot = float(((g - g.mean()) ** 2).sum()) if len(g) else 0.0
    return {"n": int(len(g)), "rmse": float(np.sqrt(np.mean(err ** 2))) if len(g) else None,
            "mae": float(np.mean(np.abs(err))) if len(g) else None,
            "r2": float(1 - (err ** 2).sum() / ss_tot) if ss_tot > 0 else None}


# ----------------------------------------------------------------------------- training


DEFAULT_FEATURES = {"word_ngram_range": (1, 2), "char_ngram_range": (2, 5), "min_df": 2,
                    "max_features_word": 100_000, "max_features_char": 150_000, "sublinear_tf": True}
SEARCH_GRID = {
    "logreg": [{"C": c, "class_weight": w} for c in (1.0, 3.0, 10.0, 30.0) for w in (None, "balanced")],
    "svm": [{"C": c, "class_weight": w} for c in (0.1, 0.3, 1.0) for w in (None, "balanced")],
    "ridge": [{"alpha": a} for a in (0.3, 1.0, 3.0, 10.0)],
    "linear": [{}],
    "ordinal": [{"C": c} for c in (3.0, 10.0, 30.0)],
    "nbsvm": [{"C": c, "class_weight": w} for c in (0.003, 0.01, 0.03, 0.1) for w in (None, "balanced")],
    "term-pairs": [{"C": c, "mix": m} for c in (1.0, 3.0, 10.0) for m in (0.6, 1.0)],
}
PRIMARY = {"classify": "macro_f1", "multilabel": "micro_f1", "sentences": "weighted_f1", "regress": "rmse"}


def _split_indices(n: int, k: int, y=None, groups=None, seed: int = 0):
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

    if groups is not None:
        return list(GroupKFold(n_splits=k).split(np.zeros(n), groups=groups))
    if y is not None:
        _, counts = np.unique(np.asarray(y, dtype=str), return_counts=True)
        if counts.min() >= k:
            return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n), np.asarray(y, dtype=str)))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))


def cross_validate(task: str, X, y, labels, *, algorithm=None, params=None, features=None, context=None,
                   k: int = 5, groups=None, threshold=None, source: str = "<records>",
                   fit_params: dict[str, list] | None = None) -> dict[str, Any]:
    """Out-of-fold metrics of one configuration (folds grouped by ``groups`` when given); ``fit_params``:
    per-record lists passed to ``fit``, sliced by fold (e.g. the term-pair model's drugs / effects)."""
    from .models import build_estimator

    params = dict(params or {}, **({"threshold": threshold} if threshold is not None else {}))
    n = len(X)
    if k > n:
        raise InputError(Errors.E074.format(k=k, unit="abstracts" if task == "sentences" else "records",
                                            path=source, n=n))
    if groups is not None and k > len(set(groups)):
        raise InputError(Errors.E074.format(k=k, unit="groups", path=source, n=len(set(groups))))
    strat = None if task in ("regress", "multilabel", "sentences") else y
    folds = _split_indices(n, k, strat, groups)
    if task == "sentences":
        gold, pred = [], []
        for tr, te in folds:
            est = build_estimator(task, algorithm, features=features, context=context, **params)
            est.fit([X[i] for i in tr], [y[i] for i in tr])
            for i, p in zip(te, est.predict([X[i] for i in te])):
                gold.extend(y[i])
                pred.extend(p)
        return classification_metrics(gold, pred, labels)
    oof = [None] * n
    for tr, te in folds:
        est = build_estimator(task, algorithm, features=features, **params)
        est.fit([X[i] for i in tr], y[tr], **{key: [v[i] for i in tr] for key, v in (fit_params or {}).items()})
        p = est.predict([X[i] for i in te])
        for i, v in zip(te, p):
            oof[i] = v
    if task == "regress":
        return regression_metrics(y, oof)
    if task == "multilabel":
        gold = [[labels[j] for j in np.flatnonzero(row)] for row in y]
        pred = [[labels[j] for j in np.flatnonzero(row)] for row in oof]
        return classification_metrics(gold, pred, labels, multilabel=True)
    return classification_metrics(list(y), oof, labels)


def _better(task: str, a: float, b: float | None) -> bool:
    if b is None:
        return True
    return a < b if task == "regress" else a > b


def fit_estimator(task: str, X, y, labels, *, algorithm=None, params=None, features=None, context=None,
                  fit_params: dict[str, list] | None = None):
    from .models import build_estimator

    est = build_estimator(task, algorithm, features=features, context=context, **(params or {}))
    return est.fit(X, y, **(fit_params or {}))


def save_estimator(est, task: str, labels, output: str | os.PathLike, meta: dict[str, Any]) -> Path:
    from .models import export_spec
    from .persist import save_spec

    spec = export_spec(est, task, labels)
    return save_spec(spec, output, meta)


def train(input: Any, task: str = "classify", algorithm: str | None = None, output: str | os.PathLike | None = None, *,
          input_format: str | None = None, id_field: str = "id", text_field: str = "text", label_field: str | None = None,
          cv: int | None = None, search: bool = False, name: str | None = None, description: str | None = None,
          features: dict[str, Any] | None = None, params: dict[str, Any] | None = None,
          context: dict[str, Any] | None = None, pairs_field: str = "pairs", group_field: str = "group",
          sentences_field: str = "sentences", settings_source: str = "<params>", keep_labels: bool = False,
          strict: bool = False, checks: bool = True) -> tuple[Model | Any, dict[str, Any]]:
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
    ``search``).

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
    records, raw, source, sha = _read_training(input, task, algorithm, fields, input_format=input_format,
                                               id_field=id_field, text_field=text_field, label_field=label_field)
    report: dict[str, Any] = {"source": source, "n_records": len(records)}
    if checks:
        report["checks"] = check_records(records, source=source, multilabel=task == "multilabel",
                                         regression=task == "regress", strict=strict)
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
    save_estimator(est, task, labels, output, meta)
    return load_model(output), report


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


def _read_training(input: Any, task: str, algorithm: str, fields: dict[str, str], *, input_format, id_field: str,
                   text_field: str, label_field: str):
    """``(records, raw, source, sha256)`` of a file or of Python records; ``raw[i]`` holds record ``i``'s
    values of the family's extra ``fields`` (JSONL keys), which only JSONL carries (E121)."""
    raw: list[dict[str, Any]] = []
    if isinstance(input, (str, os.PathLike)):
        from .data import infer_format

        source = str(input)
        fmt = infer_format(input, input_format, "rct" if task == "sentences" else "txt")
        if fields and fmt != "jsonl":
            raise InputError(Errors.E121.format(algorithm=algorithm, field=next(iter(fields.values())), fmt=fmt))
        records = read_records(input, fmt, id_field=id_field, text_field=text_field, label_field=label_field,
                               require_label=True)
        sha = file_sha256(input)
        if task == "sentences" and fmt != "rct":
            raise InputError(Errors.E067.format(task=task, fmt="rct", found=fmt))
        if fields:
            from .data import jsonl_fields

            by_line = jsonl_fields(input, tuple(fields.values()))
            raw = [by_line.get(r["line"], {}) for r in records]
        return records, raw, source, sha
    if hasattr(input, "to_dict"):
        input = input.to_dict(orient="records")
    input = list(input)
    _require_label_field(input, label_field)
    records = [{"id": r.get(id_field), "text": r.get(text_field), "label": _label_from(r, label_field),
                "line": i + 1, "abstract_id": r.get("abstract_id")} for i, r in enumerate(input)]
    if fields:
        from .data import missing_as_none

        raw = [{k: missing_as_none(r[k]) for k in fields.values() if k in r} for r in input]
    return records, raw, "<records>", None


def _fit(task, X, y, labels, algorithm, prep, feats, cv, search, source, context, settings_source="<params>"):
    """``(fitted estimator, chosen params, cross-validated metrics or None)``; a fit failure becomes its
    one-line error (E073 for a class too small for calibration, else the family's own)."""
    from .linear import TooFewExamples
    from .train_families import family

    try:
        chosen, metrics = _tune(task, X, y, labels, algorithm, prep.params, feats, cv, search, source,
                                context=context, fit_params=prep.fit_params, groups=prep.groups)
        est = fit_estimator(task, X, y, labels, algorithm=algorithm, params=chosen, features=feats, context=context,
                            fit_params=prep.fit_params)
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
    if any(c.__name__ == "InvalidParameterError" for c in type(e).__mro__):  # sklearn's, checked by name (private)
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
        "params": _jsonable({**algorithm_params(task, algorithm), **chosen}),  # all of them: --config meta.json repeats it
        "features": _jsonable(feats), **({"context": _jsonable(context)} if context else {}),
        "training_data": data,
        "metrics": {"tuned_on": f"{cv or 5}-fold cross-validation on the training data" if metrics else None,
                    **(_summary(metrics) or {})},
        "created": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _tune(task, X, y, labels, algorithm, chosen, feats, cv, search, source, *, context=None, fit_params=None,
          groups=None):
    """``(params, cross-validated metrics)``: a grid search with ``search``, else ``cv`` folds, else none."""
    kw = {"algorithm": algorithm, "features": feats, "context": context, "source": source, "fit_params": fit_params,
          "groups": groups}
    if search:
        best, best_m = None, None
        for p in SEARCH_GRID[algorithm]:
            m = cross_validate(task, X, y, labels, params={**p, **chosen}, k=cv or 5, **kw)
            if _better(task, m[PRIMARY[task]], None if best_m is None else best_m[PRIMARY[task]]):
                best, best_m = {**p, **chosen}, m
        return best, best_m
    if cv:
        return chosen, cross_validate(task, X, y, labels, params=chosen, k=cv, **kw)
    return chosen, None


def _require_label_field(rows: list[Any], label_field: str) -> None:
    """E159 when no row (dict) of Python records has the label field (nor ``labels`` for ``label``)."""
    dicts = [r for r in rows if isinstance(r, dict)]
    if dicts and not any(label_field in r or (label_field == "label" and "labels" in r) for r in dicts):
        from .data import label_field_missing

        keys = list(dict.fromkeys(k for r in dicts[:1000] for k in r if isinstance(k, str)))
        raise label_field_missing("<records>", "records", label_field, keys)


def _label_from(r: dict[str, Any], label_field: str):
    from .data import missing_as_none

    if label_field in r:
        return missing_as_none(r[label_field])
    if label_field == "label" and "labels" in r:
        return missing_as_none(r["labels"])
    return None


def _summary(metrics: dict[str, Any] | None) -> dict[str, Any] | None:
    if not metrics:
        return None
    return {k: v for k, v in metrics.items() if k != "per_label"} | (
        {"per_label": metrics["per_label"]} if "per_label" in metrics else {})


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


# ----------------------------------------------------------------------------- evaluation


def predict_records(model: Model, records: list[dict[str, Any]]) -> list[Any]:
    """Predictions for records in order (RCT records are decoded abstract by abstract)."""
    if model.kind == "sentences":
        out: list[Any] = []
        for _, recs in group_abstracts(records):
            out.extend(model.predict([[r["text"] for r in recs]])[0])
        return out
    return model.predict([r["text"] for r in records])


def evaluate(model: Model | str | os.PathLike, input: Any, *, input_format: str | None = None, id_field: str = "id",
             text_field: str = "text", label_field: str | None = None, report_dir: str | os.PathLike | None = None,
             bootstrap: int = 1000, seed: int = 0, warn=None) -> dict[str, Any]:
    """Metrics of a model on a labelled file (DESIGN.md's ``evaluate classifier|regressor`` JSON).

    ``warn(message)`` receives warnings (default: :func:`warnings.warn`), e.g. when no gold label
    is a label of the model."""
    if not isinstance(model, Model):
        model = load_model(model)
    if report_dir is not None:
        _report_folder(report_dir)  # before computing anything
    label_field = label_field or ("labels" if model.kind == "multilabel" else "label")
    source = str(input) if isinstance(input, (str, os.PathLike)) else "<records>"
    if isinstance(input, (str, os.PathLike)):
        from .data import infer_format

        fmt = infer_format(input, input_format, "rct" if model.kind == "sentences" else "txt")
        records = read_records(input, fmt, id_field=id_field, text_field=text_field, label_field=label_field,
                               require_label=True)
    else:
        if hasattr(input, "to_dict"):
            input = input.to_dict(orient="records")
        input = list(input)
        _require_label_field(input, label_field)
        records = [{"id": r.get(id_field), "text": r.get(text_field), "label": _label_from(r, label_field),
                    "abstract_id": r.get("abstract_id")} for r in input]
    if not records:
        raise InputError(Errors.E065.format(path=source, what="evaluation"))
    _refuse_unreadable(records, source)
    if model.kind == "multilabel":
        gold = [_as_label_list(r.get("label")) for r in records]
    elif model.kind == "regressor":
        parsed = [numeric_label(r.get("label")) for r in records]
        bad = [(r, why) for r, (_, why) in zip(records, parsed) if why and r.get("label") is not None]
        if bad:
            raise InputError(Errors.E075.format(path=source, field=label_field, n=len(bad), found=bad[0][1],
                                                ids=_ids([r for r, _ in bad])))
        gold = [x for x, _ in parsed]
    else:
        refuse_label_lists(records, source, label_field, f"model '{model.name}' is a single-label {model.kind}")
        gold = [None if r.get("label") is None else label_str(r["label"]) for r in records]
    missing = [r for r, g in zip(records, gold) if g is None]
    if missing:
        raise InputError(Errors.E069.format(path=source, n=len(missing), field=label_field, ids=_ids(missing)))
    if model.kind in ("classifier", "sentences"):
        gold = align_numeric_labels(gold, model.labels)
    if model.kind != "regressor":
        _warn_if_no_known_gold(gold, model, source, warn)
    pred = predict_records(model, records)
    if model.kind == "regressor":
        metrics = regression_metrics(gold, pred)
    else:
        metrics = classification_metrics(gold, pred, model.labels, multilabel=model.kind == "multilabel")
    if report_dir is not None:
        from .report import write_report

        proba = None
        if model.kind in ("classifier", "multilabel"):
            proba = model.predict_proba([r["text"] for r in records])
        try:
            metrics["confidence_intervals"] = write_report(report_dir, model, gold, pred, proba, metrics,
                                                           n_boot=bootstrap, seed=seed)
        except OSError as e:
            raise InputError(Errors.E008.format(path=report_dir, detail=e.strerror or type(e).__name__)) from None
    return metrics


def _refuse_unreadable(records: list[dict[str, Any]], source: str) -> None:
    """E077 for evaluation records that cannot be read or have no usable text (named, never skipped)."""
    from .data import record_problem

    bad = [(r, p) for r in records if (p := record_problem(r))]
    if bad:
        reasons = "; ".join(sorted({p.split(":")[0] for _, p in bad}))
        raise InputError(Errors.E077.format(path=source, n=len(bad), reasons=reasons, ids=_ids([r for r, _ in bad])))


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
    if warn is not None:
        warn(msg)
    else:
        import warnings

        warnings.warn(msg, UserWarning, stacklevel=3)


def _report_folder(path: str | os.PathLike) -> None:
    """Create the ``--report`` folder, or refuse (E008) a path that cannot be one."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(Errors.E008.format(path=path, detail="it is a file; give a folder for the report "
                                                              "(e.g. report/)"))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(Errors.E008.format(path=path, detail=e.strerror or type(e).__name__)) from None
