"""Notice records that got a made-up id (``<file name>:<line>``) because their id field was missing or empty.

A misspelled ``--id-field`` (``note_ID`` for ``note_id``) gives every record such an id, and the
output can then not be joined back to the data; the run ends with one warning line (W195).

Example:
    >>> from medtext.io.records import BadRecord, Document
    >>> ids = MissingIds()
    >>> items = [Document("n.csv:2", "x", "a/n.csv", 2), Document("7", "y", "a/n.csv", 3), BadRecord("n.csv:4", "a/n.csv", 4, "empty text")]
    >>> _ = list(ids.watch(items))
    >>> ids.report()
    (2, 'a/n.csv', 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any, TypeVar

T = TypeVar("T")

FIELD_FORMATS = (None, "jsonl", "csv", "tsv", "parquet")
"""Input formats whose records carry an id field (``None``: by suffix; ``.txt`` files are named by their path)."""


class MissingIds:
    """Counts the records of a stream (anything with ``id``, ``source`` and ``line``) whose id is ``<file name>:<line>``."""

    def __init__(self) -> None:
        self.count = 0
        self.first: tuple[str, int] | None = None

    def watch(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items`` unchanged, counting the made-up ids."""
        for item in items:
            record: Any = item
            line = record.line
            if line is not None and isinstance(record.id, str) and record.id.endswith(f":{line}"):
                name = "stdin" if record.source == "<stdin>" else PurePath(record.source).name
                if record.id == f"{name}:{line}":
                    self.count += 1
                    if self.first is None:
                        self.first = (record.source, line)
            yield item

    def report(self) -> tuple[int, str, int] | None:
        """``(records with a made-up id, source and line of the first)``, or None."""
        if not self.count or self.first is None:
            return None
        return self.count, *self.first


def missing_ids_warning(report: tuple[int, str, int] | None, id_field: str) -> str | None:
    """The W195 line for a :meth:`MissingIds.report`, or None.

    Example:
        >>> missing_ids_warning((3, "notes.csv", 2), "note_ID")[:62]
        "[W195] 3 record(s) have no id in field 'note_ID' (first: notes"
    """
    from medtext.errors import Warnings

    if report is None:
        return None
    n, source, line = report
    return Warnings.W195.format(n=n, field=id_field, where=f"{source} line {line}")
