"""Label values as training, checking and evaluation read them: parsing, checking, typos, numbers.

:func:`read_label` reads a record's label for a task (one label, a list of labels, or a number),
:func:`find_label_typos` finds labels that look like misspellings of common ones, and
:func:`align_numeric_labels` matches ``"1.0"`` to a model's ``"1"``.

Example:
    >>> read_label("a|b", "multilabel"), label_str(2.0), numeric_label("x")
    ((['a', 'b'], None), '2', (None, 'a str that is not a number'))
    >>> find_label_typos({"neoplasms": 10, "Neoplasm": 1})
    [('Neoplasm', 1, 'neoplasms', 10)]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from medtext.errors import Errors, InputError

def first_ids(recs: list[dict[str, Any]], k: int = 3) -> str:
    """The first ``k`` records named for a message: their ids, or ``line N`` for those without one.

    >>> first_ids([{"id": "a"}, {"id": None, "line": 4}])
    'a, line 4'
    """
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


def plain_label(v: Any) -> Any:
    """A label value with a numpy array of labels (what ``pd.read_parquet`` gives for a list column) as a list;
    other values unchanged.

    >>> plain_label(np.array(["a", "b"])), plain_label("a")
    (['a', 'b'], 'a')
    """
    return v.tolist() if isinstance(v, np.ndarray) and v.ndim == 1 else v


def _label_items(v: Any) -> tuple[list[str] | None, str | None]:
    """A multi-label value as a list of labels: ``(labels, None)``, or ``(None, problem)`` with problem
    ``missing_label`` (null, not a list), ``label_object`` (a JSON object) or ``label_item`` (a null, list or
    object among the labels).

    >>> _label_items("a|b"), _label_items('["a", 2]'), _label_items(["a", None]), _label_items({"a": 1})
    ((['a', 'b'], None), (['a', '2'], None), (None, 'label_item'), (None, 'label_object'))
    """
    v = plain_label(v)
    if v is None:
        return None, "missing_label"
    if isinstance(v, dict):
        return None, "label_object"
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


def as_label_list(v: Any) -> list[str] | None:
    """A multi-label value as a list of label strings, None when it cannot be read as one.

    >>> as_label_list("a|b"), as_label_list(["a", " "])
    (['a', 'b'], ['a'])
    """
    return _label_items(v)[0]


def read_label(v: Any, task: str) -> tuple[Any, str | None]:
    """A record's label as training reads it for ``task``: ``(label, None)``, or ``(None, problem)`` with
    problem ``missing_label``, ``label_list``, ``label_object`` (a JSON object, any task), ``label_item``
    (multi-label: a null, list or object among the labels) or ``not_a_number: <why>`` (``medtext check``
    uses the same).

    >>> read_label(" a ", "classify"), read_label(["a"], "classify"), read_label({"a": 1}, "classify")
    (('a', None), (None, 'label_list'), (None, 'label_object'))
    """
    if task == "multilabel":
        return _label_items(v)
    v = plain_label(v)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, "missing_label"
    if isinstance(v, dict):
        return None, "label_object"
    if isinstance(v, (list, tuple)):
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


def raise_label_problems(records, parsed, task: str, source: str, label_field: str) -> None:
    """The first kind of label problem as one coded error: E060 missing, E180 objects, E137 bad items of a
    label list, E076 lists, E064 not numbers."""
    def having(kind: str):
        return [r for r, (_, p) in zip(records, parsed) if p and p.split(":")[0] == kind]

    if missing := having("missing_label"):
        raise InputError(Errors.E060.format(path=source, n=len(missing), field=label_field, ids=first_ids(missing)))
    if objects := having("label_object"):
        raise InputError(Errors.E180.format(path=source, n=len(objects), field=label_field, ids=first_ids(objects)))
    if items := having("label_item"):
        raise InputError(Errors.E137.format(path=source, n=len(items), field=label_field, ids=first_ids(items)))
    if lists := having("label_list"):
        raise InputError(Errors.E076.format(path=source, n=len(lists), field=label_field, ids=first_ids(lists),
                                            why=f"--task {task} needs one label per record"))
    if numbers := having("not_a_number"):
        why = next(p for _, p in parsed if p and p.startswith("not_a_number")).split(": ", 1)[1]
        raise InputError(Errors.E064.format(path=source, field=label_field, id=first_ids(numbers, 1), found=why))


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


def refuse_label_objects(records: list[dict[str, Any]], source: str, field: str) -> None:
    """E180 when labels are JSON objects (mappings), which no task reads as labels."""
    objects = [r for r in records if isinstance(r.get("label"), dict)]
    if objects:
        raise InputError(Errors.E180.format(path=source, n=len(objects), field=field, ids=first_ids(objects)))


def refuse_label_lists(records: list[dict[str, Any]], source: str, field: str, why: str) -> None:
    """E076 when a single-label task meets lists of labels."""
    lists = [r for r in records if isinstance(plain_label(r.get("label")), (list, tuple))]
    if lists:
        raise InputError(Errors.E076.format(path=source, n=len(lists), field=field, ids=first_ids(lists), why=why))
