"""Parquet: one document per row, streamed batch by batch with ``ParquetFile.iter_batches``.

Example:
    >>> import pyarrow as pa, pyarrow.parquet as pq, tempfile
    >>> from pathlib import Path
    >>> f = Path(tempfile.mkdtemp()) / "a.parquet"
    >>> pq.write_table(pa.table({"id": [1, 2], "text": ["No fever.", None]}), f)
    >>> [(r.id, type(r).__name__, r.line) for r in read_parquet(f)]
    [(1, 'Document', 1), (2, 'BadRecord', 2)]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import column_list, fallback_id, id_value, require_file, text_problem
from medtext.io.decode import Undecodable, decode_bytes, resolve_encoding
from medtext.io.records import BadRecord, Document

__all__ = ["BATCH_ROWS", "read_parquet"]

BATCH_ROWS = 256
"""Rows per batch read from a Parquet file."""


def _open(p: Path, source: str) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(p)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        detail = str(exc).split("\n")[0][:200].rstrip(". ")
        raise InputError(Errors.E006.format(path=source, fmt="Parquet", detail=detail)) from None
    except OSError as exc:
        raise InputError(Errors.E007.format(path=source, detail=type(exc).__name__)) from None


def _text_kind(pf: Any, source: str, text_field: str) -> str:
    """``"string"`` or ``"binary"`` for the text column; E004 when missing, E010 when another type.

    Strings and bytes count in every Arrow layout: plain, large, view, and dictionary-encoded
    (a pandas ``category`` column, or a writer's dictionary encoding kept in the schema).
    """
    import pyarrow as pa

    schema = pf.schema_arrow
    if text_field not in schema.names:
        found = column_list(schema.names)
        raise InputError(Errors.E004.format(field=text_field, path=source, found=found, option="text-field"))
    dtype = schema.field(text_field).type
    values = dtype.value_type if pa.types.is_dictionary(dtype) else dtype  # pandas categoricals are stored so
    if _is_any(values, "is_string", "is_large_string", "is_string_view"):
        return "string"
    if _is_any(values, "is_binary", "is_large_binary", "is_binary_view"):
        return "binary"
    raise InputError(Errors.E010.format(path=source, field=text_field, dtype=dtype))


def _is_any(dtype: Any, *checks: str) -> bool:
    """True when one of the ``pyarrow.types`` checks holds (a check this pyarrow lacks, e.g. views before 16, does not)."""
    import pyarrow as pa

    return any(getattr(pa.types, name, lambda _: False)(dtype) for name in checks)


def read_parquet(
    path: str | Path,
    id_field: str = "id",
    text_field: str = "text",
    label_field: str = "label",
    *,
    encoding: str | None = None,
) -> Iterator[Document | BadRecord]:
    """One :class:`Document` per row; ``line`` is the 1-based row number.

    The text column must be strings (``InputError`` E010 otherwise) or binary
    (decoded by :mod:`medtext.io.decode`), in any Arrow layout (large, view,
    dictionary-encoded: a pandas ``category`` column); a missing text column is E004, a
    file that is not Parquet E006, all raised at call time. Ids are the id
    column's values verbatim (``"<file name>:<row>"`` when the column is
    missing or the cell null or NaN; binary ids decoded as UTF-8, a list or
    struct cell is a BadRecord: see ``id_value``); ``meta`` holds ``label``/``labels`` columns.
    Only the id, text and label columns are read.

    Example:
        >>> read_parquet("/nonexistent.parquet")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.parquet' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, "parquet")
    source = str(path)
    pf = _open(p, source)
    try:
        kind = _text_kind(pf, source, text_field)
        names = pf.schema_arrow.names
    finally:
        pf.close()  # reopened when iterated: a folder of shards holds no open files
    columns = [c for c in dict.fromkeys([id_field, text_field, label_field, "labels"]) if c in names]
    return _rows(p, p.name, source, columns, kind, encoding, id_field, text_field, label_field)


def _rows(
    p: Path,
    name: str,
    source: str,
    columns: list[str],
    kind: str,
    encoding: str | None,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Iterator[Document | BadRecord]:
    row = 0
    pf = _open(p, source)
    try:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            data = batch.to_pydict()
            for i in range(batch.num_rows):
                row += 1
                cells = {c: data[c][i] for c in columns}
                yield _row(cells, row, name, source, kind, encoding, id_field, text_field, label_field)
    finally:
        pf.close()


def _row(
    cells: dict[str, Any],
    n: int,
    name: str,
    source: str,
    kind: str,
    encoding: str | None,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Document | BadRecord:
    doc_id, id_problem = id_value(cells.get(id_field), fallback_id(name, n))
    if id_problem:
        return BadRecord(doc_id, source, n, id_problem)
    value = cells[text_field]
    fallback = None
    if kind == "binary" and value is not None:
        try:
            value, fallback = decode_bytes(value, encoding)
        except Undecodable as exc:
            return BadRecord(doc_id, source, n, str(exc))
    problem = text_problem(value, text_field)
    if problem:
        return BadRecord(doc_id, source, n, problem)
    meta: dict[str, Any] = {}
    if label_field in cells:
        meta["label"] = cells[label_field]
    if "labels" in cells:
        meta["labels"] = cells["labels"]
    if fallback:
        meta["encoding"] = fallback
    return Document(doc_id, value, source, n, meta)
