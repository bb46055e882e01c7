"""Reading labelled records for training, classification and evaluation (JSONL, CSV/TSV, RCT).

Records are plain dicts: ``id`` (None when the input has none), ``text``, ``label``
(may be a list for multi-label, or missing), ``line`` and, for RCT input,
``abstract_id`` and ``position``. Reading goes through :func:`medtext.io.read_corpus`
when it is available; the small readers here cover the learn formats otherwise.

Example:
    >>> recs = read_records("train.jsonl")        # doctest: +SKIP
    >>> recs[0]["text"], recs[0]["label"]          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from medtext.errors import Errors, InputError

FORMATS = ("jsonl", "csv", "tsv", "rct")
_EXT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "rct"}


def infer_format(path: str | os.PathLike, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InputError(Errors.E002.format(fmt=fmt, path=path, choices=", ".join(FORMATS)))
        return fmt
    ext = Path(str(path)).suffix.lower()
    if ext not in _EXT:
        raise InputError(Errors.E003.format(path=path, choices=", ".join(FORMATS)))
    return _EXT[ext]


def _open(path: str | os.PathLike):
    p = Path(path)
    if not p.exists():
        raise InputError(Errors.E001.format(path=path))
    if p.is_dir():
        raise InputError(Errors.E007.format(path=path, detail="it is a folder; give a file"))
    try:
        return open(p, encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(Errors.E007.format(path=path, detail=e.strerror or type(e).__name__)) from None


def _label_of(obj: dict[str, Any], label_field: str) -> Any:
    if label_field in obj:
        return obj[label_field]
    if label_field == "label" and "labels" in obj:
        return obj["labels"]
    return None


def parse_jsonl_lines(lines: Iterable[str], source: str, id_field="id", text_field="text",
                      label_field="label") -> Iterator[dict[str, Any]]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            yield {"id": None, "text": None, "line": n, "error": "not a JSON object"}
            continue
        yield {"id": obj.get(id_field), "text": obj.get(text_field), "label": _label_of(obj, label_field),
               "line": n, "has_text_field": text_field in obj,
               "has_label_field": label_field in obj or (label_field == "label" and "labels" in obj)}


def iter_jsonl(path, id_field="id", text_field="text", label_field="label") -> Iterator[dict[str, Any]]:
    with _open(path) as f:
        try:
            yield from parse_jsonl_lines(f, str(path), id_field, text_field, label_field)
        except UnicodeDecodeError:
            raise InputError(Errors.E006.format(path=path, fmt="UTF-8 JSONL", detail="it is not valid UTF-8")) from None


def iter_csv(path, id_field="id", text_field="text", label_field="label", delimiter=",") -> Iterator[dict[str, Any]]:
    csv.field_size_limit(1 << 30)
    with _open(path) as f:
        try:
            reader = csv.DictReader(f, delimiter=delimiter)
            header = reader.fieldnames or []
            if text_field not in header:
                raise InputError(Errors.E004.format(field=text_field, path=path, found=", ".join(header[:10]) or "nothing",
                                                    option="text-field"))
            for row in reader:
                yield {"id": row.get(id_field), "text": row.get(text_field),
                       "label": row.get(label_field) if label_field in header else None,
                       "line": reader.line_num, "has_text_field": True, "has_label_field": label_field in header}
        except UnicodeDecodeError:
            raise InputError(Errors.E006.format(path=path, fmt="UTF-8 CSV", detail="it is not valid UTF-8")) from None


def iter_rct(path) -> Iterator[dict[str, Any]]:
    """PubMed-RCT / NICTA-PIBOSO format: ``###id`` then ``label TAB sentence`` lines, blank line between abstracts."""
    with _open(path) as f:
        abstract_id = None
        position = 0
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.startswith("###"):
                abstract_id = line[3:].strip()
                position = 0
                continue
            if not line.strip():
                continue
            if "\t" not in line:
                raise InputError(Errors.E009.format(fmt="rct", path=path, line=n, detail="expected 'label<TAB>sentence'"))
            label, text = line.split("\t", 1)
            if abstract_id is None:
                raise InputError(Errors.E009.format(fmt="rct", path=path, line=n, detail="sentence before the first ###id line"))
            yield {"id": f"{abstract_id}:{position}", "abstract_id": abstract_id, "position": position,
                   "text": text, "label": label, "line": n, "has_text_field": True, "has_label_field": True}
            position += 1


def read_records(path: str | os.PathLike, fmt: str | None = None, *, id_field: str = "id",
                 text_field: str = "text", label_field: str = "label") -> list[dict[str, Any]]:
    """All records of a file, in file order (see module docstring)."""
    fmt = infer_format(path, fmt)
    if fmt == "jsonl":
        recs = list(iter_jsonl(path, id_field, text_field, label_field))
    elif fmt in ("csv", "tsv"):
        recs = list(iter_csv(path, id_field, text_field, label_field, "," if fmt == "csv" else "\t"))
    else:
        recs = list(iter_rct(path))
    if fmt == "jsonl" and recs and not any(r.get("has_text_field") for r in recs):
        raise InputError(Errors.E004.format(field=text_field, path=path, found="no record has it", option="text-field"))
    return recs


def records_from_texts(texts: Iterable[str]) -> list[dict[str, Any]]:
    return [{"id": None, "text": t, "label": None, "line": None} for t in texts]


def group_abstracts(records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """RCT records grouped by abstract, in file order."""
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for r in records:
        aid = r.get("abstract_id")
        if not out or out[-1][0] != aid:
            out.append((aid, []))
        out[-1][1].append(r)
    return out


def is_blank(text: Any) -> bool:
    return not isinstance(text, str) or not text.strip()
