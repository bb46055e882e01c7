"""Training records: read from a file or from Python records, then checked and turned into ``(X, y, labels)``.

:func:`prepare_training` refuses missing labels, blank texts, a single class and label typos in one
coded line, and gives the texts, the targets (an array, a 0/1 matrix for multi-label, or label
lists per abstract for sentence roles) and the sorted labels.

Example:
    >>> rows = [{"text": "a", "label": "x", "line": 1}, {"text": "b", "label": "y", "line": 2}]
    >>> X, y, labels = prepare_training(rows, "classify")
    >>> X, list(y), labels
    (['a', 'b'], ['x', 'y'], ['x', 'y'])
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from medtext.errors import Errors, InputError

from .data import group_abstracts, is_blank, read_records
from .labels import find_label_typos, first_ids, raise_label_problems, read_label
from .persist import sha256_file


def prepare_training(records: list[dict[str, Any]], task: str, *, source: str = "<records>",
                     label_field: str = "label", keep_labels: bool = False):
    """Validate training records and return ``(X, y, labels)`` for ``task``; raises a clear
    :class:`InputError` for missing labels, empty texts, one class only, label typos."""
    if not records:
        raise InputError(Errors.E065.format(path=source, what="training"))
    bad = [r for r in records if r.get("error")]
    if bad:
        raise InputError(Errors.E009.format(fmt=bad[0].get("fmt") or "jsonl", path=source, line=bad[0]["line"],
                                            detail=bad[0]["error"]))
    blank = [r for r in records if is_blank(r.get("text"))]
    if blank:
        from medtext.text_checks import text_problem

        why = sorted({r.get("reason") or text_problem(r.get("text")) or "blank text" for r in blank})
        raise InputError(Errors.E061.format(path=source, n=len(blank), ids=first_ids(blank), why="; ".join(why[:4])))
    parsed = [read_label(r.get("label"), task) for r in records]
    raise_label_problems(records, parsed, task, source, label_field)
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


def read_training(input: Any, task: str, algorithm: str, fields: dict[str, str], *, input_format, id_field: str,
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
        sha = sha256_file(input)
        if task == "sentences" and fmt != "rct":
            raise InputError(Errors.E067.format(task=task, fmt="rct", found=fmt))
        if fields:
            from .data import jsonl_fields

            by_line = jsonl_fields(input, tuple(fields.values()))
            raw = [by_line.get(r["line"], {}) for r in records]
        return records, raw, source, sha
    input = python_records(input, "train")
    require_label_field(input, label_field)
    records = [{"id": r.get(id_field), "text": r.get(text_field), "label": label_from(r, label_field),
                "line": i + 1, "abstract_id": r.get("abstract_id")} for i, r in enumerate(input)]
    if fields:
        from .data import missing_as_none

        raw = [{k: missing_as_none(r[k]) for k in fields.values() if k in r} for r in input]
    return records, raw, "<records>", None


def python_records(input: Any, what: str) -> list[dict[str, Any]]:
    """The records of a pandas DataFrame or an iterable of dicts; a clear TypeError for anything else (a
    Series, a list of texts, one dict), which failed deep inside with AttributeError / TypeError.

    >>> python_records([{"text": "a", "label": "x"}], "train")
    [{'text': 'a', 'label': 'x'}]
    >>> python_records(["a text"], "train")
    Traceback (most recent call last):
    TypeError: train() takes a file path, a pandas DataFrame or a list of dicts (records); item 0 is a str. ...
    """
    hint = ("Give records such as [{'text': ..., 'label': ...}], or a DataFrame, e.g. "
            "pd.DataFrame({'text': texts, 'label': labels}).")
    head = f"{what}() takes a file path, a pandas DataFrame or a list of dicts (records)"
    if hasattr(input, "to_dict") and hasattr(input, "columns"):
        return input.to_dict(orient="records")
    if isinstance(input, (dict, bytes)) or not hasattr(input, "__iter__") or hasattr(input, "to_dict"):
        kind = "pandas Series" if hasattr(input, "to_dict") else type(input).__name__
        raise TypeError(f"{head}; got a {kind}. {hint}")
    rows = list(input)
    bad = next((i for i, r in enumerate(rows) if not isinstance(r, dict)), None)
    if bad is not None:
        raise TypeError(f"{head}; item {bad} is a {type(rows[bad]).__name__}. {hint}")
    return rows


def require_label_field(rows: list[Any], label_field: str) -> None:
    """E159 when no row (dict) of Python records has the label field (nor ``labels`` for ``label``)."""
    dicts = [r for r in rows if isinstance(r, dict)]
    if dicts and not any(label_field in r or (label_field == "label" and "labels" in r) for r in dicts):
        from .data import label_field_missing

        keys = list(dict.fromkeys(k for r in dicts[:1000] for k in r if isinstance(k, str)))
        raise label_field_missing("<records>", "records", label_field, keys)


def label_from(r: dict[str, Any], label_field: str):
    """A Python record's label: ``label_field``'s value (``labels`` standing in for ``label``), None when missing."""
    from .data import missing_as_none

    if label_field in r:
        return missing_as_none(r[label_field])
    if label_field == "label" and "labels" in r:
        return missing_as_none(r["labels"])
    return None
