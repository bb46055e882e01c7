"""JSON Lines: one JSON object per line, streamed.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = f.write_text('{"id": 7, "text": "No fever.", "label": "neg"}\\n{"text": ""}\\n')
    >>> [(r.id, type(r).__name__) for r in read_jsonl(f)]
    [(7, 'Document'), ('a.jsonl:2', 'BadRecord')]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.io._common import fallback_id, id_value, nonblank_lines, require_file, text_problem
from medtext.io.decode import (
    TextCodec,
    Undecodable,
    resolve_encoding,
)
from medtext.io.jsonl_sniff import check_jsonl_file
from medtext.io.records import BadRecord, Document

__all__ = ["read_jsonl"]


def _clean(value: Any, codec: TextCodec) -> Any:
    """Repair the strings inside an id or label value (lists included)."""
    if isinstance(value, str):
        return codec.clean(value)
    if isinstance(value, list):
        return [_clean(v, codec) for v in value]
    return value


def read_jsonl(
    path: str | Path,
    id_field: str = "id",
    text_field: str = "text",
    label_field: str = "label",
    *,
    encoding: str | None = None,
    source: str | None = None,
) -> Iterator[Document | BadRecord]:
    """One :class:`Document` per JSON object line, a :class:`BadRecord` per line that is not one.

    The id is the ``id_field`` value verbatim (a number stays a number); when
    it is absent, null or NaN the id is ``"<file name>:<line>"`` (a list, object,
    boolean or infinite id makes the line a BadRecord). ``meta`` holds
    ``label`` (the ``label_field`` value) and ``labels`` when present, and
    ``encoding`` when the cp1252 fallback was used. Empty or whitespace-only
    lines are skipped silently; ``{}`` is a BadRecord (missing text).
    A file that is no JSONL at all (its first line is not JSON and none of its
    first 5 lines is a JSON object: a CSV table, plain text) raises InputError
    E182 at call time. ``source`` names the input in messages and records
    (default: ``path``).

    Example:
        >>> read_jsonl("/nonexistent.jsonl")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.jsonl' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, "jsonl")
    source = str(path) if source is None else source
    check_jsonl_file(p, source, encoding)
    return _records(p, source, encoding, id_field, text_field, label_field)


def _records(
    p: Path, source: str, encoding: str | None, id_field: str, text_field: str, label_field: str
) -> Iterator[Document | BadRecord]:
    for item in nonblank_lines(p, source, encoding):
        if isinstance(item, BadRecord):
            yield item
            continue
        n, line, codec = item
        yield _record(line, n, p.name, source, codec, id_field, text_field, label_field)


def _record(
    line: str,
    n: int,
    name: str,
    source: str,
    codec: TextCodec,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Document | BadRecord:
    """Turn one JSON line into a Document or a BadRecord (reasons never quote the text)."""
    default_id = fallback_id(name, n)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRecord(default_id, source, n, f"malformed JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return BadRecord(default_id, source, n, "malformed JSON: nested too deeply")
    if not isinstance(obj, dict):
        return BadRecord(default_id, source, n, f"not a JSON object (got {type(obj).__name__})")
    doc_id, id_problem = id_value(obj.get(id_field), default_id)
    if id_problem:
        return BadRecord(default_id, source, n, id_problem)
    try:
        doc_id = _clean(doc_id, codec)
    except Undecodable as exc:
        return BadRecord(default_id, source, n, f"id field '{id_field}': {exc}")
    value = obj.get(text_field)
    problem = text_problem(value, text_field, present=text_field in obj)
    if problem:
        return BadRecord(doc_id, source, n, problem)
    try:
        text, fallback = codec.text(value)
        meta: dict[str, Any] = {}
        if label_field in obj:
            meta["label"] = _clean(obj[label_field], codec)
        if "labels" in obj:
            meta["labels"] = _clean(obj["labels"], codec)
    except Undecodable as exc:
        return BadRecord(doc_id, source, n, str(exc))
    if fallback:
        problem = text_problem(text, text_field)
        if problem:
            return BadRecord(doc_id, source, n, problem)
        meta["encoding"] = fallback
    return Document(doc_id, text, source, n, meta)
