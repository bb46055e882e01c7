"""PhysioNet deid gold standard: ``id.text`` notes and ``id-phi.phrase`` PHI locations.

``id.text`` holds records ``START_OF_RECORD=<patient>||||<note>||||`` NEWLINE
note text ``||||END_OF_RECORD``. The note text is everything between the
newline that ends the START line and the END marker (its final newlines
included). That is what the offsets in ``id-phi.phrase`` (lines
``patient note start end TYPE text``, end exclusive) index: on the shared
corpus (patients 1-82) all 1,266 phrases match ``note.text[start:end]``;
counting from the START line instead matches none.

Example:
    >>> from pathlib import Path; import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "id.text").write_text("START_OF_RECORD=1||||1||||\\nSeen by Dr. Kay.\\n||||END_OF_RECORD\\n")
    >>> _ = (d / "id-phi.phrase").write_text("1 1 12 15 HCPName Kay\\n")
    >>> note = next(read_physionet(d / "id.text", d / "id-phi.phrase"))
    >>> note.text, note.phi[0].aligned
    ('Seen by Dr. Kay.\\n', True)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medtext.errors import Errors, InputError
from medtext.io._common import require_file
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import Document

__all__ = ["PhiPhrase", "PhysionetNote", "phi_path_for", "read_phi", "read_physionet"]

_START = re.compile(r"^START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|")
_END = "||||END_OF_RECORD"
_PHRASE = re.compile(r"^(\d+) (\d+) (\d+) (\d+) (\S+) ?(.*)$", re.S)


@dataclass(frozen=True, slots=True)
class PhiPhrase:
    """One gold PHI phrase: offsets into the note text, type, phrase text, and whether they agree.

    ``aligned`` is ``note.text[start:end] == text``; mismatching phrases are
    kept (never dropped) with ``aligned=False``.

    Example:
        >>> PhiPhrase(48, 55, "Location", "ELMWOOD").aligned
        True
    """

    start: int
    end: int
    type: str
    text: str
    line: int | None = None
    aligned: bool = True


@dataclass(frozen=True, slots=True)
class PhysionetNote:
    """One nursing note with its gold PHI (empty when no phrase file was given).

    Example:
        >>> PhysionetNote(1, 2, "BP 120/80.", (), 5).to_document().id
        '1-2'
    """

    patient: int
    note: int
    text: str
    phi: tuple[PhiPhrase, ...]
    line: int

    @property
    def id(self) -> str:
        """``"<patient>-<note>"``."""
        return f"{self.patient}-{self.note}"

    def to_document(self, source: str = "") -> Document:
        """A :class:`Document` (id ``"<patient>-<note>"``); meta: patient, note, phi as plain dicts."""
        phi = [
            {"start": p.start, "end": p.end, "label": p.type, "text": p.text, "aligned": p.aligned}
            for p in self.phi
        ]
        meta = {"patient": self.patient, "note": self.note, "phi": phi}
        return Document(self.id, self.text, source, self.line, meta)


def phi_path_for(text_path: str | Path) -> Path | None:
    """The phrase file beside a notes file (``id.text`` -> ``id-phi.phrase``), when it exists.

    Example:
        >>> phi_path_for("/nonexistent/id.text") is None
        True
    """
    p = Path(text_path)
    candidate = p.with_name(f"{p.stem}-phi.phrase")
    return candidate if candidate.is_file() else None


def read_phi(path: str | Path, *, encoding: str | None = None) -> dict[tuple[int, int], list[PhiPhrase]]:
    """All phrases of an ``id-phi.phrase`` file, by ``(patient, note)``, in file order (not yet aligned).

    A line that is not ``patient note start end TYPE text`` raises ``InputError`` E009.

    Example:
        >>> read_phi("/nonexistent.phrase")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.phrase' does not exist. ...
    """
    require_file(path, "physionet")
    phi: dict[tuple[int, int], list[PhiPhrase]] = {}
    for n, line in gold_lines(path, "physionet", encoding):
        if not line.strip():
            continue
        m = _PHRASE.match(line)
        if m is None:
            raise malformed("physionet", path, n, "expected 'patient note start end TYPE text'")
        patient, note, start, end = (int(g) for g in m.group(1, 2, 3, 4))
        if start > end:
            raise malformed("physionet", path, n, f"start {start} is after end {end}")
        phi.setdefault((patient, note), []).append(PhiPhrase(start, end, m.group(5), m.group(6), n))
    return phi


def _note_keys(path: str | Path, encoding: str | None) -> set[tuple[int, int]]:
    keys = set()
    for _, line in gold_lines(path, "physionet", encoding):
        m = _START.match(line)
        if m:
            keys.add((int(m.group(1)), int(m.group(2))))
    return keys


def read_physionet(
    text_path: str | Path, phi_path: str | Path | None = None, *, encoding: str | None = None
) -> Iterator[PhysionetNote]:
    """Yield the notes of an ``id.text`` file, each with its PHI from ``phi_path`` when given.

    Before yielding, every phrase must refer to a note of the text file
    (``InputError`` E009 otherwise), so no PHI is lost. Text outside records,
    a START inside a record or a missing END raise E009.

    Example:
        >>> read_physionet("/nonexistent/id.text")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent/id.text' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    require_file(text_path, "physionet")
    phi = read_phi(phi_path, encoding=encoding) if phi_path is not None else {}
    if phi:
        orphans = sorted(set(phi) - _note_keys(text_path, encoding))
        if orphans:
            first = phi[orphans[0]][0]
            detail = f"PHI for patient {orphans[0][0]} note {orphans[0][1]} refers to no note in '{text_path}'"
            raise InputError(Errors.E009.format(fmt="physionet", path=phi_path, line=first.line, detail=detail))
    return _notes(text_path, phi, encoding)


def _notes(
    path: str | Path, phi: dict[tuple[int, int], list[PhiPhrase]], encoding: str | None
) -> Iterator[PhysionetNote]:
    key: tuple[int, int] | None = None
    first = 0
    parts: list[str] = []
    for n, line in gold_lines(path, "physionet", encoding, keep_eol=True):
        if key is None:
            m = _START.match(line)
            if m is None:
                if line.strip():
                    raise malformed("physionet", path, n, "text outside a START_OF_RECORD ... END_OF_RECORD record")
                continue
            key, first = (int(m.group(1)), int(m.group(2))), n
            rest = line[m.end() :]
            parts = [rest[1:] if rest.startswith("\n") else rest[2:] if rest.startswith("\r\n") else rest]
            continue
        if _START.match(line):
            raise malformed("physionet", path, n, f"START_OF_RECORD inside the record that starts at line {first}")
        end = line.find(_END)
        if end < 0:
            parts.append(line)
            continue
        if line[end + len(_END) :].strip():
            raise malformed("physionet", path, n, "text after ||||END_OF_RECORD")
        parts.append(line[:end])
        text = "".join(parts)
        yield PhysionetNote(key[0], key[1], text, _align(text, phi.get(key, ())), first)
        key, parts = None, []
    if key is not None:
        raise malformed("physionet", path, first, "record has no ||||END_OF_RECORD")


def _align(text: str, phrases: list[PhiPhrase] | tuple[()]) -> tuple[PhiPhrase, ...]:
    return tuple(
        PhiPhrase(p.start, p.end, p.type, p.text, p.line, text[p.start : p.end] == p.text) for p in phrases
    )
