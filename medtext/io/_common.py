"""Small helpers shared by the readers: text checks, fallback ids, folder walks.

Example:
    >>> text_problem("  ", "text")
    'blank text'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io.decode import TextCodec, Undecodable, open_text, strip_eol
from medtext.io.records import BadRecord
from medtext.text_checks import text_problem as value_problem


def text_problem(value: Any, field: str = "text", *, present: bool = True) -> str | None:
    """The reason ``value`` cannot be a document text, or ``None`` when it can.

    Example:
        >>> text_problem(3), text_problem(None), text_problem("ok")
        ('text is not a string (got int)', 'text is null', None)
    """
    if not present:
        return f"missing text field '{field}'"
    return value_problem(value)


def fallback_id(name: str, line: int | None) -> str:
    """The id of a record that has none: ``"<file name>:<line>"``.

    Example:
        >>> fallback_id("notes.jsonl", 7)
        'notes.jsonl:7'
    """
    return f"{name}:{line}"


def id_value(value: Any, default: str) -> tuple[Any, str | None]:
    """A record's id from its id cell: ``(id, None)``, or ``(default, reason)`` when it cannot be one.

    Strings and whole or finite numbers stay as they are; null and NaN (a missing cell
    in a float column) give ``default``; UTF-8 bytes become a string; dates and
    decimals their text. Booleans, lists, objects, infinities and other bytes are refused,
    so every output id is plain JSON.

    Example:
        >>> id_value(7, "a:1"), id_value(float("nan"), "a:2"), id_value(b"n1", "a:3")
        ((7, None), ('a:2', None), ('n1', None))
        >>> id_value([1], "a:4")
        ('a:4', 'id is not a string or number (got list)')
    """
    import datetime
    import decimal
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default, None
    if isinstance(value, bool):
        return default, "id is not a string or number (got bool)"
    if isinstance(value, float) and math.isinf(value):
        return default, "id is not a finite number (got infinity)"
    if isinstance(value, str | int | float):
        return value, None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8"), None
        except UnicodeDecodeError:
            return default, "id is not a string or number (got bytes that are not UTF-8)"
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta | decimal.Decimal):
        return str(value), None
    return default, f"id is not a string or number (got {type(value).__name__})"


def is_hidden(rel: Path) -> bool:
    """True when any part of a relative path starts with a dot (``.git``, ``._x.txt``).

    Example:
        >>> is_hidden(Path("a/.cache/x.txt")), is_hidden(Path("a/x.txt"))
        (True, False)
    """
    return any(part.startswith(".") for part in rel.parts)


COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")
"""Compressions a folder's files may have when the caller asks for them (read by ``compressed.open_binary``)."""


def walk(folder: Path, suffixes: tuple[str, ...], compressed: bool = False) -> Iterator[Path]:
    """Files under ``folder`` with a suffix (any case) in ``suffixes`` (all when empty), sorted, hidden skipped;
    with ``compressed``, also those suffixes followed by ``.gz``, ``.bz2`` or ``.xz`` (``part-1.jsonl.gz``).

    A broken symbolic link is listed too (reading it fails with a reason), so that a
    document it stood for is reported, not silently left out.

    Example:
        >>> list(walk(Path("/nonexistent"), (".txt",)))
        []
    """
    found = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if is_hidden(rel) or not (p.is_file() or is_broken_link(p)):
            continue
        suffix = p.suffix.lower()
        if compressed and suffix in COMPRESSION_SUFFIXES:
            suffix = Path(p.stem).suffix.lower()
        if not suffixes or suffix in suffixes:
            found.append(p)
    yield from sorted(found, key=lambda p: p.relative_to(folder).parts)


def is_broken_link(path: str | Path) -> bool:
    """True for a symbolic link whose target does not exist.

    Example:
        >>> is_broken_link("/dev/null")
        False
    """
    return os.path.islink(path) and not os.path.exists(path)


def rel_name(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` with ``/`` separators (a document id).

    Example:
        >>> rel_name(Path("notes/2024/a.txt"), Path("notes"))
        '2024/a.txt'
    """
    return path.relative_to(folder).as_posix()


def require_file(path: str | Path, fmt: str) -> Path:
    """``Path(path)`` when it is a file; ``InputError`` E001 when missing, E006 when a folder or not a regular file.

    Example:
        >>> require_file("/nonexistent.jsonl", "jsonl")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.jsonl' does not exist. ...
    """
    p = Path(path)
    if p.is_file():
        return p
    if p.is_dir():
        raise InputError(Errors.E006.format(path=path, fmt=fmt, detail="it is a folder, not a file"))
    if p.exists():
        detail = "it is not a regular file (a pipe, socket or device); to stream data, pipe it to standard input and give '-' as the path"
        raise InputError(Errors.E006.format(path=path, fmt=fmt, detail=detail))
    if str(path) == "-":  # the readers that take standard input handle '-' before they get here
        raise InputError(Errors.E154.format(fmt=fmt))
    raise InputError(Errors.E001.format(path=path))


def column_list(names: list[str], limit: int = 20, width: int = 40) -> str:
    """Header names for an error message, or only their count when the "header" looks like text.

    A cell longer than ``width`` or starting like JSON means the first row is data
    (a headerless file, or JSON lines read as CSV), so no cell of it is quoted:
    short cells of a text row are text too.

    Example:
        >>> column_list(["id", "body"])
        "'id', 'body'"
        >>> column_list(["id", "seen today", "Patient seen today with a cough, fever and chills"])
        '3 cells that look like text, not column names (not shown)'
        >>> column_list(['{"id": "d0"', ' "text": "x"}'])
        '2 cells that look like JSON, not column names (not shown; JSON lines need --input-format jsonl)'
    """
    if any(n.lstrip().startswith(("{", "[")) for n in names[:1]):
        return f"{len(names)} cells that look like JSON, not column names (not shown; JSON lines need --input-format jsonl)"
    if any(len(n) > width for n in names):
        return f"{len(names)} cells that look like text, not column names (not shown)"
    shown = [repr(n) for n in names[:limit]]
    if len(names) > limit:
        shown.append(f"... {len(names) - limit} more")
    return ", ".join(shown) or "nothing"


_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?: [\w.\-]+){0,2}", re.ASCII)  # 1-3 words, starting with a letter


def _name_like(cell: str, width: int = 32) -> bool:
    """A cell that reads as a column name: blank, or 1-3 short words of letters, digits, ``_ . -`` starting
    with a letter, without a run of three digits (ids, years, dates).

    >>> [_name_like(c) for c in ("note_text", "Report No.", "", "P1234", "2024-01-02", "seen today with cough")]
    [True, True, True, False, False, False]
    """
    c = cell.strip()
    return not c or (len(c) <= width and bool(_NAME.fullmatch(c)) and not re.search(r"\d{3}", c))


def header_list(cells: list[str], next_row: list[str] | None) -> str:
    """The first row of a CSV for an error message, which must never quote a row of data.

    Its cells are quoted only when the file has two or more columns, every cell reads as a
    column name (:func:`_name_like`) and the row after it does not (data rows hold ids and
    text); otherwise only their count is given.

    Example:
        >>> header_list(["id", "note", "label"], ["n1", "Seen today with a cough.", "pos"])
        "'id', 'note', 'label'"
        >>> header_list(["P12", "seen today", "neg"], ["P13", "no cough", "pos"])
        '3 cells that do not look like column names (not shown; is the first row a header?)'
    """
    shown = column_list(cells)
    if not cells or not shown.startswith("'"):
        return shown  # JSON or text: counts already
    if len(cells) > 1 and all(map(_name_like, cells)) and next_row and not all(map(_name_like, next_row)):
        return shown
    what = "1 cell that does" if len(cells) == 1 else f"{len(cells)} cells that do"
    return f"{what} not look like column names (not shown; is the first row a header?)"


def nonblank_lines(p: Path, source: str, encoding: str | None) -> Iterator[tuple[int, str, TextCodec] | BadRecord]:
    """``(line number, line without its terminator, codec)`` for each non-blank line of a text file.

    A file that cannot be decoded gives one :class:`BadRecord` (id: the file name);
    a file that cannot be read raises InputError E007.

    Example:
        >>> list(nonblank_lines(Path("/dev/null"), "/dev/null", None))
        []
    """
    try:
        fh, codec = open_text(p, encoding)
    except Undecodable as exc:
        yield BadRecord(p.name, source, None, str(exc))
        return
    except OSError as exc:
        raise InputError(Errors.E007.format(path=source, detail=type(exc).__name__)) from None
    with fh:
        for n, line in enumerate(fh, 1):
            line = strip_eol(line)
            if line and not line.isspace():
                yield n, line, codec
