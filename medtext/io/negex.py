"""The NegEx annotated test kit: a TSV of report, concept, sentence and Affirmed/Negated.

The header is ``Report No. TAB Concept TAB Sentence TAB Negation``; cells
with commas may be double-quoted (CSV quoting with a tab delimiter); lines end
in CRLF.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "negex.txt"
    >>> _ = f.write_bytes(b"Report No.\\tConcept\\tSentence\\tNegation\\r\\n1\\tfever\\tNo fever.\\tNegated\\r\\n")
    >>> next(read_negex(f))
    NegexRow(report='1', concept='fever', sentence='No fever.', negated=True, line=2)
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medtext.errors import Errors, InputError
from medtext.io._common import fallback_id, require_file
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import Document

__all__ = ["NegexRow", "read_negex"]

HEADER = ("report no.", "concept", "sentence", "negation")
_LABELS = {"affirmed": False, "negated": True}


@dataclass(frozen=True, slots=True)
class NegexRow:
    """One annotated concept in one sentence.

    Example:
        >>> NegexRow("1", "fever", "No fever.", True, 2).to_document("negex.txt").id
        'negex.txt:2'
    """

    report: str
    concept: str
    sentence: str
    negated: bool
    line: int

    @property
    def text(self) -> str:
        """The sentence."""
        return self.sentence

    def to_document(self, source: str = "") -> Document:
        """A :class:`Document` of the sentence; id ``"<file name>:<line>"``; meta: report, concept, negated, label."""
        meta = {
            "report": self.report,
            "concept": self.concept,
            "negated": self.negated,
            "label": "Negated" if self.negated else "Affirmed",
        }
        return Document(fallback_id(Path(source).name, self.line), self.sentence, source, self.line, meta)


def read_negex(path: str | Path, *, encoding: str | None = None) -> Iterator[NegexRow]:
    """Yield the rows of a NegEx annotation TSV.

    The header must be the NegEx header (any case), else ``InputError`` E006.
    A row with other than 4 cells, or a label other than Affirmed/Negated (any
    case), raises E009 naming the line. Blank lines are skipped.

    Example:
        >>> read_negex("/nonexistent.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    resolve_encoding(encoding)
    require_file(path, "negex")
    return _read(path, encoding)


def _read(path: str | Path, encoding: str | None) -> Iterator[NegexRow]:
    numbered = gold_lines(path, "negex", encoding, keep_eol=True)
    line_no = 0

    def lines() -> Iterator[str]:
        nonlocal line_no
        for n, line in numbered:
            line_no = n
            yield line

    reader = csv.reader(lines(), delimiter="\t")
    header = True
    while True:
        start = line_no + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise malformed("negex", path, start, f"bad quoting ({exc})") from None
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header:
            if tuple(c.strip().lower() for c in row) != HEADER:
                detail = "expected the header 'Report No.<TAB>Concept<TAB>Sentence<TAB>Negation'"
                raise InputError(Errors.E006.format(path=path, fmt="NegEx", detail=detail))
            header = False
            continue
        if len(row) != 4:
            raise malformed("negex", path, start, f"expected 4 tab-separated cells, found {len(row)}")
        label = row[3].strip().lower()
        if label not in _LABELS:
            raise malformed("negex", path, start, "the Negation cell must be 'Affirmed' or 'Negated'")
        yield NegexRow(row[0].strip(), row[1], row[2], _LABELS[label], start)
