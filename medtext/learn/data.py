"""Reading labelled records for training, classification and evaluation (JSONL, CSV/TSV, RCT).

Records are plain dicts: ``id``, ``text``, ``label`` (may be a list for multi-label, or
missing), ``line`` and, for RCT input, ``abstract_id`` and ``position``. Files are read
with :func:`medtext.io.read_corpus`; standard input (JSONL) with :func:`parse_jsonl_lines`.
Learning commands read ``.txt`` files as RCT sentence files (the only text format with labels).

Example:
    >>> recs = read_records("train.jsonl")        # doctest: +SKIP
    >>> recs[0]["text"], recs[0]["label"]          # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from medtext.errors import Errors, InputError

FORMATS = ("jsonl", "csv", "tsv", "parquet", "rct")
_EXT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet",
        ".txt": "rct"}


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


def read_records(path: str | os.PathLike, fmt: str | None = None, *, id_field: str = "id",
                 text_field: str = "text", label_field: str = "label") -> list[dict[str, Any]]:
    """All records of a file, in file order, read with :func:`medtext.io.read_corpus`.

    A record whose text is missing/empty/blank keeps ``text=None`` (training reports
    it as E061, prediction skips it); other unreadable records carry ``error``.
    """
    from medtext.io import read_corpus
    from medtext.io.records import BadRecord

    fmt = infer_format(path, fmt)
    out: list[dict[str, Any]] = []
    for rec in read_corpus(str(path), fmt, id_field=id_field, text_field=text_field, label_field=label_field):
        if isinstance(rec, BadRecord):
            r: dict[str, Any] = {"id": rec.id, "text": None, "label": None, "line": rec.line,
                                 "_missing_field": rec.reason.startswith("missing text field")}
            if "text" not in rec.reason:
                r["error"] = rec.reason
            out.append(r)
            continue
        meta = rec.meta or {}
        label = meta.get("label", meta.get("labels"))
        r = {"id": rec.id, "text": rec.text, "label": label, "line": rec.line}
        if "abstract_id" in meta:
            r["abstract_id"] = meta["abstract_id"]
            r["position"] = meta.get("position")
        out.append(r)
    if out and fmt == "jsonl" and all(r.get("text") is None and r.get("_missing_field") for r in out):
        raise InputError(Errors.E004.format(field=text_field, path=path, found="no record has it", option="text-field"))
    for r in out:
        r.pop("_missing_field", None)
    return out


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
