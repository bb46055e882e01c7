"""Read annotation records back (our own output): JSONL, Parquet, or a folder of shards.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from medtext.io.writers import JsonlWriter
    >>> out = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> with JsonlWriter(out) as w:
    ...     w.write({"id": "n1", "entities": []})
    >>> list(read_annotations(out))
    [{'id': 'n1', 'entities': []}]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import walk
from medtext.io.schema import from_arrow

__all__ = ["read_annotations", "shard_paths"]

_JSONL = (".jsonl", ".ndjson")
_PARQUET = (".parquet", ".pq")


def shard_paths(path: str | Path) -> list[Path]:
    """The annotation files at ``path``: itself, or a folder's ``*.jsonl``/``*.parquet`` shards, sorted.

    Errors files (``*.errors.jsonl``), hidden and temporary files are skipped.

    Example:
        >>> shard_paths("/nonexistent")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent' does not exist. ...
    """
    p = Path(path)
    if p.is_dir():
        shards = [f for f in walk(p, _JSONL + _PARQUET) if not f.name.endswith(".errors.jsonl")]
        if not shards and not _finished_without_shards(p):
            raise InputError(Errors.E005.format(path=path, pattern="*.jsonl, *.parquet"))
        return shards
    if not p.exists():
        raise InputError(Errors.E001.format(path=path))
    if p.suffix.lower() not in _JSONL + _PARQUET:
        raise InputError(Errors.E014.format(path=path, detail=f"unexpected suffix {p.suffix!r}"))
    return [p]


def _finished_without_shards(folder: Path) -> bool:
    """Whether ``folder`` holds the manifest of a finished ``medtext annotate -o DIR`` run that wrote no shard
    (its input had no record): its records are none, not missing.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "manifest.json").write_text('{"version": 1, "shards": {}, "complete": true}')
        >>> _finished_without_shards(folder), shard_paths(folder)
        (True, [])
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("complete") is True and manifest.get("shards") == {}


def read_annotations(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield annotation records as dicts, streaming, in shard order.

    Parquet rows come back in the same shape as JSONL lines (maps as dicts);
    every schema field is present (null when it was absent at write time) and
    ids are strings. A malformed JSONL line raises ``InputError`` E009.

    Example:
        >>> read_annotations("/nonexistent.jsonl")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.jsonl' does not exist. ...
    """
    shards = shard_paths(path)
    return (record for shard in shards for record in _read_shard(shard))


def _read_shard(path: Path) -> Iterator[dict[str, Any]]:
    if path.suffix.lower() in _PARQUET:
        yield from _read_parquet(path)
        return
    with open(path, encoding="utf-8", newline="\n") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                detail = f"malformed JSON: {exc.msg} (column {exc.colno})"
                raise InputError(Errors.E009.format(fmt="annotation JSONL", path=path, line=n, detail=detail)) from None
            if not isinstance(record, dict):
                detail = f"not a JSON object (got {type(record).__name__})"
                raise InputError(Errors.E009.format(fmt="annotation JSONL", path=path, line=n, detail=detail))
            yield record


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        detail = str(exc).split("\n")[0][:200].rstrip(". ")
        raise InputError(Errors.E006.format(path=path, fmt="Parquet", detail=detail)) from None
    with pf:
        schema = pf.schema_arrow
        for batch in pf.iter_batches(batch_size=256):
            columns = {name: batch.column(name).to_pylist() for name in schema.names}
            types = {name: schema.field(name).type for name in schema.names}
            for i in range(batch.num_rows):
                yield {name: from_arrow(columns[name][i], types[name]) for name in schema.names}
