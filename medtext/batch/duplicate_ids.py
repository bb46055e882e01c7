"""Notice records that share an id, without holding the ids in memory.

Batch jobs write every record, duplicates included, in input order; but a user
who joins the results back to their data by id needs to know when ids repeat.
Each record costs 16 bytes here (a 64-bit hash of its id and its line), so a
run of ten million records keeps 160 MB, not the ids themselves.

Example:
    >>> from medtext.io.records import Document
    >>> ids = DuplicateIds()
    >>> docs = [Document("a", "x", "n.jsonl", 1), Document("b", "y", "n.jsonl", 2), Document("a", "z", "n.jsonl", 3)]
    >>> _ = list(ids.watch(docs))
    >>> ids.report()
    (1, 'n.jsonl', 3)
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


class DuplicateIds:
    """Watches a stream of records (anything with ``id``, ``source`` and ``line``)."""

    def __init__(self) -> None:
        self._hashes = array("q")
        self._lines = array("q")
        self._sources: list[tuple[int, str]] = []  # (first ordinal, source) at each change of source

    def watch(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items`` unchanged, noting each one's id and place."""
        for item in items:
            record: Any = item
            source = record.source
            if not self._sources or self._sources[-1][1] != source:
                self._sources.append((len(self._hashes), source))
            self._hashes.append(hash(repr(record.id)))  # repr: the number 1 and the string "1" differ
            self._lines.append(record.line if record.line is not None else -1)
            yield item

    def report(self) -> tuple[int, str, int | None] | None:
        """``(number of records whose id an earlier record had, source, line of the first)``, or None."""
        if len(self._hashes) < 2:
            return None
        hashes = np.frombuffer(self._hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        repeats = order[1:][hashes[order[1:]] == hashes[order[:-1]]]
        if not len(repeats):
            return None
        first = int(repeats.min())
        source = next(s for start, s in reversed(self._sources) if start <= first)
        line = self._lines[first]
        return len(repeats), source, (line if line >= 0 else None)


def duplicate_warning(report: tuple[int, str, int | None] | None) -> str | None:
    """The W040 line for a :meth:`DuplicateIds.report`, or None when no id repeats.

    Example:
        >>> duplicate_warning((2, "notes.jsonl", 7))[:58]
        '[W040] 2 record(s) have an id that an earlier record of th'
    """
    from medtext.errors import Warnings

    if report is None:
        return None
    n, source, line = report
    return Warnings.W040.format(n=n, where=f"{source} line {line}" if line is not None else source)
