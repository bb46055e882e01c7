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
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import column_list, fallback_id, header_list, require_file, text_problem
from medtext.io.decode import TextCodec, Undecodable, open_text, resolve_encoding, strip_eol
from medtext.io.records import BadRecord, Document

__all__ = ["FIELD_SIZE_LIMIT", "read_csv", "shown_header"]

FIELD_SIZE_LIMIT = 1 << 28
"""Largest cell read (256 MiB of characters); far above any document, bounded against a runaway quote."""


def _delimiter(path: Path, delimiter: str | None) -> str:
    if delimiter is not None:
        return delimiter
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _header(path: Path, delimiter: str, encoding: str | None,
            with_next: bool = False) -> tuple[list[str], list[str] | None] | None:
    """The header cells and (``with_next``) the next row's (None when there is none or it cannot be read),
    or None when the file is empty or binary (the reader reports it)."""
    try:
        fh, codec = open_text(path, encoding)
    except Undecodable:
        return None
    except OSError as exc:
        raise InputError(Errors.E007.format(path=path, detail=type(exc).__name__)) from None
    with fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InputError(Errors.E006.format(path=path, fmt="CSV", detail=f"bad header ({exc})")) from None
        if header is None:
            return None
        try:
            header = [codec.clean(h) for h in header]
        except Undecodable:
            raise InputError(Errors.E006.format(path=path, fmt="CSV", detail="the header is not text")) from None
        second = None
        if with_next:  # only to tell a header from a row of data (E004)
            try:
                second = next((row for row in reader if row), None)
            except (csv.Error, ValueError):
                pass
        return header, second


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

    The header row names the columns. When it lacks the text column, split on the
    delimiter (``,``; tab for ``.tsv``), the first of ``;``, tab, ``|`` and ``,`` that
    splits it into columns that include the text column is the file's delimiter
    (``id;text`` from a European spreadsheet); else ``InputError`` E004 is raised
    at call time, before anything is read; a missing id
    column (or an empty id cell) gives ids ``"<file name>:<line>"``. ``line``
    is the line where the row starts (quoted cells may span lines). Quoting is
    CSV's (TSV too): a cell that starts with ``"`` is quoted when it is closed and
    followed by the delimiter or the line end. A one-line row whose quoting is not
    that is read literally (quotes kept, text unchanged) when it has the header's
    number of cells; other rows with a wrong number of cells or broken quoting (an
    unclosed quote) are BadRecords at their first line, and reading goes on at the
    next line, so every row ends up a Document or a BadRecord. Blank lines are
    skipped; an empty file yields nothing; a binary file yields one BadRecord.
    ``meta`` holds ``label`` (and ``labels``) cells when those columns exist.

    Example:
        >>> read_csv("/nonexistent.csv")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.csv' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, "csv")
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    delim = file_delimiter(p, text_field, delimiter, encoding=encoding)
    if delim is None:
        found = shown_header(p, _delimiter(p, delimiter), encoding=encoding)
        raise InputError(Errors.E004.format(field=text_field, path=path, found=found, option="text-field"))
    return _rows(p, str(path), delim, encoding, id_field, text_field, label_field)


def file_delimiter(path: str | Path, text_field: str, delimiter: str | None = None, *,
                   encoding: str | None = None) -> str | None:
    """The delimiter :func:`read_csv` reads a file with: the expected one (``delimiter``; ``,``, tab for
    ``.tsv``) when the header it splits has the text column (or the file is empty), else the first of
    :data:`OTHER_DELIMITERS` whose header has it; None when none has.

    Example:
        >>> from pathlib import Path; import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = f.write_text('id;text\\nn1;No fever.\\n')
        >>> file_delimiter(f, "text")
        ';'
    """
    p = Path(path)
    encoding = resolve_encoding(encoding)
    delim = _delimiter(p, delimiter)
    first = _header(p, delim, encoding)
    if first is None or text_field in first[0]:
        return delim
    return _other_delimiter(p, delim, encoding, text_field)


OTHER_DELIMITERS = (";", "\t", "|", ",")
"""Tried, in order, when the header split on the expected delimiter lacks the text column."""


def _other_delimiter(path: Path, delimiter: str, encoding: str | None, text_field: str) -> str | None:
    """The delimiter of a table written with another one (``;`` by European spreadsheets, ``|`` by database
    exports): the first of :data:`OTHER_DELIMITERS` that splits the header into 2+ cells, the text column
    among them; None when none does."""
    for other in OTHER_DELIMITERS:
        if other == delimiter:
            continue
        try:
            first = _header(path, other, encoding)
        except InputError:
            continue
        if first is not None and len(first[0]) > 1 and text_field in first[0]:
            return other
    return None


def shown_header(path: str | Path, delimiter: str | None = None, *, encoding: str | None = None,
                 known: bool = False) -> str:
    """The header of a CSV/TSV file for an error message (:func:`medtext.io._common.header_list`: no cell of
    a row of data is ever quoted); ``"nothing"`` for an empty file. ``known``: the first row is the header
    for sure (a column was found in it by name), so its names are given whatever the next row holds.

    Example:
        >>> from pathlib import Path; import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = f.write_text('id,note\\nn1,"No fever, no cough."\\n')
        >>> shown_header(f)
        "'id', 'note'"
    """
    p = Path(path)
    first = _header(p, _delimiter(p, delimiter), resolve_encoding(encoding), with_next=True)
    if first is None:
        return "nothing"
    return column_list(first[0]) if known else header_list(*first)


class _Lines:
    """The file's physical lines for ``csv.reader``, with the lines of the current row kept.

    After a row with broken quoting, :meth:`resync` puts back every line of that
    row but its first, so reading resumes on the next line and no row is lost.
    """

    def __init__(self, fh: Iterator[str]) -> None:
        self.fh = fh
        self.pending: deque[str] = deque()
        self.taken: list[str] = []
        self.line = 0  # number of the last line handed out

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self.fh)
        self.line += 1
        self.taken.append(line)
        return line

    def start_row(self) -> int:
        """Forget the previous row's lines; the line number the next row starts on."""
        self.taken.clear()
        return self.line + 1

    def resync(self, start: int) -> None:
        """Hand out again the lines after ``start`` that the failed row consumed."""
        self.pending.extendleft(reversed(self.taken[1:]))
        self.taken.clear()
        self.line = start


def _quote_problem(detail: str) -> str | None:
    """A text-free reason for csv's quoting errors (strict mode); None for other errors."""
    if detail.startswith("unexpected end of data"):
        return "unclosed quote (a quoted cell runs to the end of the file)"
    if "expected after '\"'" in detail:
        return "a quoted cell is followed by other characters before the next delimiter"
    return None


def _rows(
    p: Path,
    source: str,
    delim: str,
    encoding: str | None,
    id_field: str,
    text_field: str,
    label_field: str,
) -> Iterator[Document | BadRecord]:
    """Rows with strict quoting; a row whose quoting is broken never swallows the rows after it.

    A quoted cell must be closed and followed by the delimiter or the line end. When
    a row breaks that rule on its first line, the line is read literally (split on the
    delimiter, quotes kept as text) and is a row when it has the header's number of
    cells; otherwise (or when the broken row spans lines: an unclosed quote) the row
    is a BadRecord at its first line, and reading resumes on the next line.
    """
    name = p.name
    try:
        fh, codec = open_text(p, encoding)
    except Undecodable as exc:
        yield BadRecord(name, source, None, str(exc))
        return
    with fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delim, strict=True)
        header = next(reader, None)
        if header is None:
            return
        header = [codec.clean(h) for h in header]
        width = len(header)
        cols = {h: i for i, h in reversed(list(enumerate(header)))}  # first occurrence wins
        while True:
            start = lines.start_row()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                detail = str(exc).split(" - ")[0]  # drop csv's hint about opening files
                quoting = _quote_problem(detail)
                first = lines.taken[0] if lines.taken else ""
                single = len(lines.taken) == 1 and quoting is not None
                lines.resync(start)
                reader = csv.reader(lines, delimiter=delim, strict=True)
                literal = strip_eol(first).split(delim)
                if single and len(literal) == width:
                    yield _row(literal, start, width, cols, codec, name, source, id_field, text_field, label_field)
                else:
                    doc_id = _literal_id(literal, cols.get(id_field), codec, fallback_id(name, start))
                    yield BadRecord(doc_id, source, start, f"malformed row: {quoting or detail}")
                continue
            if not row:
                continue
            yield _row(row, start, width, cols, codec, name, source, id_field, text_field, label_field)


def _literal_id(cells: list[str], index: int | None, codec: TextCodec, default: str) -> Any:
    """The id cell of a row read literally, when it comes before any quoted cell (else ``default``)."""
    quoted = next((i for i, c in enumerate(cells) if c.startswith('"')), len(cells))
    if index is None or index >= quoted or not cells[index]:
        return default
    try:
        return codec.clean(cells[index])
    except Undecodable:
        return default


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
        text, fallback = codec.raw_text(value)
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
