"""The two things every corpus reader yields: documents, and records it could not read.

Readers never stop at a bad record: they yield a :class:`BadRecord` naming the
file, line and reason, and go on, so batch jobs lose nothing.

Example:
    >>> doc = Document(id="note-1", text="No fever.", source="notes.jsonl", line=1)
    >>> BadRecord(id="note-2", source="notes.jsonl", line=2, reason="empty text").to_dict()
    {'id': 'note-2', 'source': 'notes.jsonl', 'line': 2, 'reason': 'empty text'}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Document:
    """One text to process, with where it came from.

    ``id`` is the input id verbatim (a JSON number stays a number); ``line`` is
    the 1-based line (or row) where the record starts; ``meta`` holds other
    fields a task needs, such as ``label`` / ``labels``.
    """

    id: Any
    text: str
    source: str
    line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BadRecord:
    """A record that could not become a :class:`Document`; ``reason`` is short and text-free."""

    id: Any
    source: str
    line: int | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The errors-file line: id, source, line and reason, nothing else."""
        return {"id": self.id, "source": self.source, "line": self.line, "reason": self.reason}
