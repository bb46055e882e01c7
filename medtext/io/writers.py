"""Writers for annotation records: JSON Lines and Parquet, each written to a temporary name and renamed on close.

A file that is still being written is named ``.<name>.<random>.part`` in the
target folder, so it never carries ``.jsonl``/``.parquet``; on an exception
inside ``with`` the temporary file is removed and the target left untouched.

Example:
    >>> import tempfile, json
    >>> from pathlib import Path
    >>> out = Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> with JsonlWriter(out) as w:
    ...     w.write({"id": "n1", "text": "Fièvre."})
    >>> out.read_text(encoding="utf-8")
    '{"id": "n1", "text": "Fièvre."}\\n'
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from medtext.errors import Errors, MedtextError
from medtext.io.schema import RECORD_FIELDS, annotation_schema, unknown_field

__all__ = ["JsonlWriter", "ParquetWriter", "temp_path"]


def temp_path(path: Path) -> Path:
    """A unique hidden temporary name beside ``path`` that does not end in its suffix.

    Example:
        >>> temp_path(Path("out/a.jsonl")).name.startswith(".a.jsonl.")
        True
    """
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")


class _PublishOnSuccess:
    """Context manager of a writer: ``close()`` (publish) on success, ``abort()`` on an exception."""

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class _AtomicFile:
    """Shared temp-name-then-rename life cycle."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise MedtextError(Errors.E008.format(path=path, detail="it is a folder"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MedtextError(Errors.E008.format(path=path, detail=f"cannot create its folder ({type(exc).__name__})")) from None
        self.tmp = temp_path(self.path)

    def _commit(self) -> None:
        os.replace(self.tmp, self.path)

    def _discard(self) -> None:
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass


class JsonlWriter(_PublishOnSuccess):
    """Write one JSON object per line (UTF-8, ``ensure_ascii=False``, ``\\n`` endings).

    ``target`` is a path (written to a temporary name, renamed on
    :meth:`close`), ``"-"`` for stdout, or an open text stream (left open).
    With ``include_text=False`` the ``text`` key is dropped from each record.

    Example:
        >>> import io
        >>> buf = io.StringIO()
        >>> with JsonlWriter(buf, include_text=False) as w:
        ...     w.write({"id": 1, "text": "x", "entities": []})
        >>> buf.getvalue()
        '{"id": 1, "entities": []}\\n'
    """

    def __init__(self, target: str | Path | IO[str], *, include_text: bool = True) -> None:
        self.include_text = include_text
        self.count = 0
        self._atomic: _AtomicFile | None = None
        self._own = False
        if isinstance(target, str | Path) and str(target) != "-":
            self._atomic = _AtomicFile(target)
            try:
                self._fh: IO[str] = open(self._atomic.tmp, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            except OSError as exc:
                raise MedtextError(Errors.E008.format(path=target, detail=type(exc).__name__)) from None
            self._own = True
        elif isinstance(target, str | Path):
            self._fh = sys.stdout
        else:
            self._fh = target
        self.closed = False

    def write(self, record: Mapping[str, Any]) -> None:
        """Write one record as one line."""
        if not self.include_text and "text" in record:
            record = {k: v for k, v in record.items() if k != "text"}
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1

    def write_many(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Write records in order."""
        for record in records:
            self.write(record)

    def close(self) -> None:
        """Flush; for a path, rename the temporary file to the target."""
        if self.closed:
            return
        self.closed = True
        if self._own:
            self._fh.close()
            assert self._atomic is not None
            self._atomic._commit()
        else:
            self._fh.flush()

    def abort(self) -> None:
        """Stop without publishing: the temporary file is removed, the target untouched."""
        if self.closed:
            return
        self.closed = True
        if self._own:
            self._fh.close()
            assert self._atomic is not None
            self._atomic._discard()


class ParquetWriter(_PublishOnSuccess):
    """Write annotation records to Parquet with the explicit :func:`annotation_schema`.

    Records are buffered and written as one row group per ``batch_size``
    records (or sooner when their texts pass ``max_batch_chars``). Ids are
    written as strings. A record key the schema does not know, at any depth,
    raises ``MedtextError`` E013 (pyarrow would drop it silently); a missing
    key is written as null. With ``include_text=False`` there is no ``text``
    column and record texts are ignored.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "a.parquet"
        >>> with ParquetWriter(out) as w:
        ...     w.write({"id": "n1", "text": "No fever.", "sentences": [[0, 9]], "sections": [],
        ...              "entities": [], "abbreviations": [], "phi": []})
        >>> import pyarrow.parquet as pq; pq.read_table(out).num_rows
        1
    """

    def __init__(
        self,
        path: str | Path,
        *,
        include_text: bool = True,
        batch_size: int = 1000,
        max_batch_chars: int = 32_000_000,
        compression: str = "zstd",
    ) -> None:
        import pyarrow.parquet as pq

        self.schema = annotation_schema(include_text)
        self.include_text = include_text
        self.batch_size = batch_size
        self.max_batch_chars = max_batch_chars
        self.count = 0
        self._rows: list[dict[str, Any]] = []
        self._chars = 0
        self._atomic = _AtomicFile(path)
        try:
            self._writer = pq.ParquetWriter(self._atomic.tmp, self.schema, compression=compression)
        except OSError as exc:
            raise MedtextError(Errors.E008.format(path=path, detail=type(exc).__name__)) from None
        self.closed = False

    def _row(self, record: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for key, value in record.items():
            if key == "text" and not self.include_text:
                continue
            if key not in RECORD_FIELDS:
                raise MedtextError(Errors.E013.format(id=repr(record.get("id")), detail=f"unknown field '{key}'"))
            row[key] = value
        doc_id = row.get("id")
        if doc_id is not None and not isinstance(doc_id, str):
            row["id"] = str(doc_id)
        for name in ("sections", "entities", "abbreviations", "phi"):
            bad = unknown_field(row.get(name), self.schema.field(name).type, name)
            if bad:
                raise MedtextError(Errors.E013.format(id=repr(record.get("id")), detail=f"unknown field '{bad}'"))
        return row

    def write(self, record: Mapping[str, Any]) -> None:
        """Buffer one record; a full buffer is written as a row group."""
        row = self._row(record)
        self._rows.append(row)
        text = row.get("text")
        self._chars += len(text) if isinstance(text, str) else 0
        if len(self._rows) >= self.batch_size or self._chars >= self.max_batch_chars:
            self.flush()

    def write_many(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Write records in order."""
        for record in records:
            self.write(record)

    def flush(self) -> None:
        """Write the buffered records as one row group.

        When some records do not convert to the schema, the others are written
        and ``MedtextError`` E013 names the first bad record and field.
        """
        if not self._rows:
            return
        import pyarrow as pa

        rows, self._rows, self._chars = self._rows, [], 0
        try:
            table = pa.Table.from_pylist(rows, schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            problems = [(row, self._problem(row)) for row in rows]
            good = [row for row, problem in problems if problem is None]
            if good:
                self._writer.write_table(pa.Table.from_pylist(good, schema=self.schema))
                self.count += len(good)
            row, field = next(((r, p) for r, p in problems if p is not None), ({}, None))
            if field is None:
                raise MedtextError(Errors.E013.format(id="(batch)", detail="the batch does not convert")) from None
            dtype = self.schema.field(field).type
            raise MedtextError(Errors.E013.format(id=repr(row.get("id")), detail=f"field '{field}' does not convert to {dtype}")) from None
        self._writer.write_table(table)
        self.count += len(rows)

    def _problem(self, row: dict[str, Any]) -> str | None:
        """The first field of ``row`` that does not convert (its value is never reported)."""
        import pyarrow as pa

        for name, value in row.items():
            try:
                pa.array([value], type=self.schema.field(name).type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
                return name
        return None

    def close(self) -> None:
        """Write what is buffered, close the file and rename it to the target (a bad record still raises E013)."""
        if self.closed:
            return
        try:
            self.flush()
        except MedtextError:
            self._finish()  # the records that converted are kept, like in flush()
            raise
        except BaseException:
            self.abort()
            raise
        self._finish()

    def _finish(self) -> None:
        self.closed = True
        self._writer.close()
        self._atomic._commit()

    def abort(self) -> None:
        """Stop without publishing: the temporary file is removed, the target untouched."""
        if self.closed:
            return
        self.closed = True
        try:
            self._writer.close()
        finally:
            self._atomic._discard()

