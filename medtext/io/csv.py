"""CSV and TSV with a header row, streamed row by row.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text('id,text,label\\nn1,"No fever, no cough.",neg\\n')
    >>> [(d.id, d.text, d.meta) for d in read_csv(f)]
    [('n1', 'No fever, no cough.', {'label': 'neg'})]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import column_list, fallback_id, require_file, text_problem
from medtext.io.decode import TextCodec, Undecodable, open_text, resolve_encoding
from medtext.io.records import BadRecord, Document

__all__ = ["FIELD_SIZE_LIMIT", "read_csv"]

FIELD_SIZE_LIMIT = 1 << 28
"""Largest cell read (256 MiB of characters); far above any document, bounded against a runaway quote."""


def _delimiter(path: Path, delimiter: str | None) -> str:
    if delimiter is not None:
        return delimiter
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _header(path: Path, delimiter: str, encoding: str | None) -> list[str] | None:
    """The header cells, or None when the file is empty or binary (the reader reports it)."""
    try:
        fh, codec = open_text(path, encoding)
    except Undecodable:
        return None
    except OSError as exc:
        raise InputError(Errors.E007.format(path=path, detail=type(exc).__name__)) from None
    with fh:
        try:
            header = next(csv.reader(fh, delimiter=delimiter), None)
        except csv.Error as exc:
            raise InputError(Errors.E006.format(path=path, fmt="CSV", detail=f"bad header ({exc})")) from None
        if header is None:
            return None
        try:
            return [codec.clean(h) for h in header]
        except Undecodable:
            raise InputError(Errors.E006.format(path=path, fmt="CSV", detail="the header is not text")) from None


def read_csv(
    path: str | Path,
    id_field: str = "id",
    text_field: str = "text",
    label_field: str = "label",
    delimiter: str | None = None,
    *,
    encoding: str | None = None,
) -> Iterator[Document | BadRecord]:
    """One :class:`Document` per row of a CSV (``,``) or TSV (tab, from the ``.tsv`` suffix) file.

    The header row names the columns. A missing text column raises
    ``InputError`` E004 at call time, before anything is read; a missing id
    column (or an empty id cell) gives ids ``"<file name>:<line>"``. ``line``
    is the line where the row starts (quoted cells may span lines). Rows with
    a wrong number of cells or broken quoting are BadRecords; blank lines are
    skipped; an empty file yields nothing; a binary file yields one BadRecord.
    ``meta`` holds ``label`` (and ``labels``) cells when those columns exist.

    Example:
        >>> read_csv("/nonexistent.csv")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.csv' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, "csv")
    delim = _delimiter(p, delimiter)
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    header = _header(p, delim, encoding)
    if header is not None and text_field not in header:
        found = column_list(header)
        raise InputError(Errors.E004.format(field=text_field, path=path, found=found, option="text-field"))
    return _rows(p, str(path), delim, encoding, id_field, text_field, label_field)


def _rows(
    p: Path,
    source: str,
    delim: str,
    encoding: str | None,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Iterator[Document | BadRecord]:
    name = p.name
    try:
        fh, codec = open_text(p, encoding)
    except Undecodable as exc:
        yield BadRecord(name, source, None, str(exc))
        return
    with fh:
        reader = csv.reader(fh, delimiter=delim)
        header = next(reader, None)
        if header is None:
            return
        header = [codec.clean(h) for h in header]
        width = len(header)
        cols = {h: i for i, h in reversed(list(enumerate(header)))}  # first occurrence wins
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                detail = str(exc).split(" - ")[0]  # drop csv's hint about opening files
                yield BadRecord(fallback_id(name, start), source, start, f"malformed row: {detail}")
                continue
            if not row:
                continue
            yield _row(row, start, width, cols, codec, name, source, id_field, text_field, label_field)


def _row(
    row: list[str],
    n: int,
    width: int,
    cols: dict[str, int],
    codec: TextCodec,
    name: str,
    source: str,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Document | BadRecord:
    default_id = fallback_id(name, n)
    doc_id: Any = default_id
    if id_field in cols and len(row) > cols[id_field] and row[cols[id_field]]:
        try:
            doc_id = codec.clean(row[cols[id_field]])
        except Undecodable as exc:
            return BadRecord(default_id, source, n, f"id field '{id_field}': {exc}")
    if len(row) != width:
        return BadRecord(doc_id, source, n, f"malformed row: expected {width} fields, found {len(row)}")
    value = row[cols[text_field]]
    try:
        text, fallback = codec.text(value)
        meta: dict[str, Any] = {}
        if label_field in cols:
            meta["label"] = codec.clean(row[cols[label_field]])
        if "labels" in cols:
            meta["labels"] = codec.clean(row[cols["labels"]])
    except Undecodable as exc:
        return BadRecord(doc_id, source, n, str(exc))
    problem = text_problem(text, text_field)
    if problem:
        return BadRecord(doc_id, source, n, problem)
    if fallback:
        meta["encoding"] = fallback
    return Document(doc_id, text, source, n, meta)
