"""Ab3P ``MED1250_labeled`` abbreviation gold: PMID, title, abstract, then ``  SF|LF`` lines.

Records are separated by blank lines. Lines starting with ``//`` are annotator
comments, not gold; ``//*  SF|LF`` marks a synonym (kept in ``synonyms``, not
in ``pairs``). The file has bare ``\\r`` inside lines and cp1252 bytes in some
comments: lines end only at ``\\n``, and bytes are decoded by the io policy.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "MED_labeled"
    >>> _ = f.write_bytes(b"1\\nTitle.\\nThe heart rate (HR) rose.\\n  HR|heart rate\\n//\\x93x\\x94\\n\\n")
    >>> r = next(read_ab3p(f)); r.pairs, r.text
    ((('HR', 'heart rate'),), 'Title. The heart rate (HR) rose.')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medtext.io._common import require_file
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import Document

__all__ = ["Ab3pRecord", "read_ab3p"]


@dataclass(frozen=True, slots=True)
class Ab3pRecord:
    """One MEDLINE record with its gold short/long form pairs (whitespace around each form stripped).

    Title and abstract are verbatim (a bare ``\\r`` inside them is kept).

    Example:
        >>> Ab3pRecord("1", "T.", "A.", (("HR", "heart rate"),), 1).to_document().meta
        {'pairs': [['HR', 'heart rate']], 'synonyms': []}
    """

    pmid: str
    title: str
    abstract: str
    pairs: tuple[tuple[str, str], ...]
    line: int
    synonyms: tuple[tuple[str, str], ...] = ()
    comments: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``title + " " + abstract``."""
        return f"{self.title} {self.abstract}"

    def to_document(self, source: str = "") -> Document:
        """A :class:`Document` (id: the PMID); meta: ``pairs`` and ``synonyms`` as lists."""
        meta = {"pairs": [list(p) for p in self.pairs], "synonyms": [list(p) for p in self.synonyms]}
        return Document(self.pmid, self.text, source, self.line, meta)


def _pair(body: str, path: str | Path, n: int) -> tuple[str, str]:
    short, bar, long = body.partition("|")
    if not bar or not short.strip() or not long.strip():
        raise malformed("ab3p", path, n, "expected a gold pair line: two spaces, then SF|LF (short form, a bar, long form)")
    return short.strip(), long.strip()


def read_ab3p(path: str | Path, *, encoding: str | None = None) -> Iterator[Ab3pRecord]:
    """Yield the records of an Ab3P labeled file.

    Raises ``InputError`` E009 for a PMID line that is not a number, a record
    without title and abstract, or a line after the abstract that is neither
    a gold pair (two leading spaces) nor a ``//`` comment.

    Example:
        >>> read_ab3p("/nonexistent")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent' does not exist. ...
    """
    resolve_encoding(encoding)
    require_file(path, "ab3p")
    return _read(path, encoding)


def _read(path: str | Path, encoding: str | None) -> Iterator[Ab3pRecord]:
    block: list[tuple[int, str]] = []
    for n, line in gold_lines(path, "ab3p", encoding):
        if line.strip():
            block.append((n, line))
        elif block:
            yield _record(block, path)
            block = []
    if block:
        yield _record(block, path)


def _record(block: list[tuple[int, str]], path: str | Path) -> Ab3pRecord:
    first, pmid = block[0][0], block[0][1].strip()
    if not pmid.isdigit():
        raise malformed("ab3p", path, first, "expected a PMID line (digits) to start a record")
    if len(block) < 3:
        raise malformed("ab3p", path, first, f"record {pmid} lacks a title or abstract line")
    pairs, synonyms, comments = [], [], []
    for n, line in block[3:]:
        if line.startswith("//*"):
            synonyms.append(_pair(line[3:], path, n))
            comments.append(line)
        elif line.startswith("//"):
            comments.append(line)
        elif line.startswith("  "):
            pairs.append(_pair(line, path, n))
        else:
            raise malformed("ab3p", path, n, "expected a gold pair line (two spaces, then SF|LF) or a '//' comment after the abstract")
    return Ab3pRecord(pmid, block[1][1], block[2][1], tuple(pairs), first, tuple(synonyms), tuple(comments))
