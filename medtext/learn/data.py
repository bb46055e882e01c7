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
from typing import Any, Iterable, Iterator, Sequence

from medtext.errors import Errors, InputError
from medtext.text_checks import text_problem

FORMATS = ("jsonl", "csv", "tsv", "parquet", "rct", "txt")
_EXT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}


def infer_format(path: str | os.PathLike, fmt: str | None, txt: str = "txt") -> str:
    """``--input-format`` or the format of the extension; ``.txt`` means ``txt`` (one document per
    file, as for ``medtext annotate``) unless the caller works with sentence files (``txt="rct"``)."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(Errors.E002.format(fmt=fmt, path=path, choices=", ".join(FORMATS)))
        return fmt
    ext = Path(str(path)).suffix.lower()
    if ext == ".txt":
        return txt
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
    """Records of JSONL lines (standard input), with the id rules of the JSONL file reader: a null or NaN id
    is none, a list, object, boolean or infinite one makes the line an error record (no JSON output can hold
    a NaN id).

    >>> [r.get("id", r.get("error")) for r in parse_jsonl_lines(['{"id": NaN, "text": "a"}', '{"id": [1]}'], "<stdin>")]
    [None, None]
    >>> [r.get("error") for r in parse_jsonl_lines(['{"id": [1], "text": "a"}', '{"id": true, "text": "a"}'], "-")]
    ['id is not a string or number (got list)', 'id is not a string or number (got bool)']
    """
    from medtext.io._common import id_value

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            obj = None
        rid, error = None, "malformed JSON" if obj is None else None if isinstance(obj, dict) else "not a JSON object"
        if error is None:
            rid, error = id_value(obj.get(id_field), None)
        if error:
            yield {"id": None, "text": None, "line": n, "source": source, "error": error}
            continue
        yield {"id": rid, "text": obj.get(text_field), "label": _label_of(obj, label_field),
               "line": n, "source": source, "has_text_field": text_field in obj,
               "has_label_field": label_field in obj or (label_field == "label" and "labels" in obj)}


def read_records(path: str | os.PathLike, fmt: str | None = None, *, id_field: str = "id",
                 text_field: str = "text", label_field: str = "label", txt: str = "txt",
                 require_label: bool = False) -> list[dict[str, Any]]:
    """All records of a file, in file order, read with :func:`medtext.io.read_corpus`.

    A record whose text is missing/empty/blank keeps ``text=None`` (training reports
    it as E061, prediction writes an error line for it); other unreadable records carry
    ``error``. Every unreadable record keeps the reader's text-free ``reason``.
    A file read as JSONL that is no JSONL at all is refused by the reader (E182).
    ``require_label``: E159 when no readable record of a JSONL/CSV/TSV/Parquet file has the
    label field (nor ``labels``), naming the fields the file has; E168 for plain text (``txt``: no labels).
    """
    from medtext.io import read_corpus
    from medtext.io.records import BadRecord

    fmt = infer_format(path, fmt, txt)
    if require_label and fmt == "txt":
        raise InputError(Errors.E168.format(path=path))
    out: list[dict[str, Any]] = []
    labelled = False
    for rec in read_corpus(str(path), fmt, id_field=id_field, text_field=text_field, label_field=label_field):
        if isinstance(rec, BadRecord):
            r: dict[str, Any] = {"id": rec.id, "text": None, "label": None, "line": rec.line, "reason": rec.reason,
                                 "_missing_field": rec.reason.startswith("missing text field")}
            if "text" not in rec.reason:
                r["error"] = rec.reason
                r["fmt"] = fmt  # for the message that names the file's format (E009)
            if fmt == "rct":  # keep an empty sentence in its abstract ("<abstract id>:<index>")
                r["abstract_id"] = str(rec.id).rpartition(":")[0]
            out.append(r)
            continue
        meta = rec.meta or {}
        # a ``labels`` column stands in for the default label field only, not for one the user named
        fallback = "labels" if label_field == "label" else "label"
        labelled = labelled or "label" in meta or fallback in meta
        label = missing_as_none(meta.get("label", meta.get(fallback)), fmt)
        r = {"id": rec.id, "text": rec.text, "label": label, "line": rec.line}
        if "abstract_id" in meta:
            r["abstract_id"] = meta["abstract_id"]
            r["position"] = meta.get("position")
        out.append(r)
    if out and fmt == "jsonl" and all(r.get("text") is None and r.get("_missing_field") for r in out):
        raise InputError(Errors.E004.format(field=text_field, path=path, found="no record has it", option="text-field"))
    for r in out:
        r.pop("_missing_field", None)
    if require_label and not labelled and fmt in _FIELD_FORMATS and any("reason" not in r for r in out):
        raise label_field_missing(path, fmt, label_field, text_field=text_field)
    return out


_FIELD_FORMATS = ("jsonl", "csv", "tsv", "parquet")


def label_field_missing(path: str | os.PathLike, fmt: str, label_field: str, keys: Sequence[str] | None = None,
                        text_field: str = "text") -> InputError:
    """E159 for a file (or, with ``keys``, Python records) without the label field: its columns / fields by name
    (a CSV's header, split as the file was read: its text column ``text_field`` was found in it by name, so it is
    no row of data).

    >>> str(label_field_missing("<records>", "records", "label", ["id", "text", "category"])).split(". ")[0]
    "[E159] '<records>' has no field 'label' for the labels (fields found: 'id', 'text', 'category')"
    """
    from medtext.io._common import column_list

    if keys is not None:
        found = column_list(list(keys))
    elif fmt in ("csv", "tsv"):
        from medtext.io.csv import file_delimiter, shown_header

        expected = "\t" if fmt == "tsv" else ","
        delimiter = file_delimiter(path, text_field, expected) or expected  # (";" for an "id;text;label" file)
        found = shown_header(path, delimiter, known=True)  # its text column was found
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        found = column_list(pq.read_schema(path).names)
    else:
        found = column_list(_jsonl_keys(path))
    what = "column" if fmt in ("csv", "tsv", "parquet") else "field"
    return InputError(Errors.E159.format(path=path, what=what, field=label_field, found=found))


def _jsonl_keys(path: str | os.PathLike, limit: int = 1000) -> list[str]:
    """The keys of the first ``limit`` JSON object lines of a JSONL file, in order of first appearance."""
    keys: dict[str, None] = {}
    for line in _jsonl_objects(path, limit):
        keys.update(dict.fromkeys(line))
    return list(keys)


def jsonl_fields(path: str | os.PathLike, fields: Sequence[str]) -> dict[int, dict[str, Any]]:
    """``{line number: {field: value}}`` of the JSON object lines of a JSONL file (numbered as
    :func:`read_records` numbers its records)."""
    from medtext.io._common import nonblank_lines
    from medtext.io.records import BadRecord

    out: dict[int, dict[str, Any]] = {}
    for item in nonblank_lines(Path(path), str(path), None):
        if isinstance(item, BadRecord):
            continue
        n, line, _ = item
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            out[n] = {f: obj[f] for f in fields if f in obj}
    return out


def _jsonl_objects(path: str | os.PathLike, limit: int) -> Iterator[dict[str, Any]]:
    """The JSON objects of the first ``limit`` non-blank lines of a JSONL file (other lines skipped)."""
    from medtext.io._common import nonblank_lines
    from medtext.io.records import BadRecord

    for i, item in enumerate(nonblank_lines(Path(path), str(path), None)):
        if i >= limit or isinstance(item, BadRecord):
            return
        try:
            obj = json.loads(item[1])
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            yield obj


def missing_as_none(label: Any, fmt: str | None = None) -> Any:
    """``None`` for a label that means "missing": a float NaN, or a CSV/TSV cell ``NaN`` (any case), as
    pandas reads them; other labels unchanged (an empty multi-label cell stays ``""``: no labels).

    >>> missing_as_none("NaN", "csv"), missing_as_none(float("nan")), missing_as_none("NaN", "jsonl")
    (None, None, 'NaN')
    """
    if isinstance(label, float) and label != label:
        return None
    if fmt in ("csv", "tsv") and isinstance(label, str) and label.strip().lower() == "nan":
        return None
    return label


def records_from_texts(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Records of TEXT arguments (no id; ``arg`` is the 1-based position)."""
    return [{"id": None, "text": t, "label": None, "line": None, "arg": i} for i, t in enumerate(texts, 1)]


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


def record_problem(r: dict[str, Any]) -> str | None:
    """Why record ``r`` cannot be predicted (text-free), or ``None`` when it can."""
    if r.get("error"):
        return r["error"]
    if r.get("reason") and not isinstance(r.get("text"), str):
        return r["reason"]
    if r.get("has_text_field") is False:
        return "missing text field"
    return text_problem(r.get("text"))


def record_ref(r: dict[str, Any]) -> Any:
    """The id an error line names: the record's id, else ``"<file>:<line>"``, else ``None`` (TEXT arguments)."""
    if r.get("id") is not None:
        return r["id"]
    if r.get("line") is not None:
        return f"{r.get('source') or 'input'}:{r['line']}"
    return None
