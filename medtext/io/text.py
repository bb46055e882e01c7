"""Plain text: one document per ``.txt`` file, or one document per line.

Example:
    >>> from pathlib import Path; import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("No fever.\\n\\nCough.\\n")
    >>> [doc.text for doc in read_text_files(d / "a.txt")]
    ['No fever.\\n\\nCough.\\n']
    >>> [(doc.id, doc.text) for doc in read_lines(d / "a.txt")]
    [('a.txt:1', 'No fever.'), ('a.txt:3', 'Cough.')]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from medtext.errors import Errors, InputError
from medtext.io._common import (
    fallback_id,
    is_broken_link,
    nonblank_lines,
    rel_name,
    require_file,
    text_problem,
    walk,
)
from medtext.io.decode import Undecodable, open_text, resolve_encoding
from medtext.io.records import BadRecord, Document

__all__ = ["read_lines", "read_text_file", "read_text_files"]

TEXT_SUFFIXES = (".txt",)


def read_text_file(
    path: str | Path, *, doc_id: str | None = None, encoding: str | None = None
) -> Document | BadRecord:
    """Read one whole file as one document (id: ``doc_id`` or the file name; ``line`` is None).

    The text is exactly the file's characters (BOM removed, nothing else).
    An empty or blank file, a binary file or bytes that do not decode give a
    :class:`BadRecord`; so does a file that cannot be opened.

    Example:
        >>> read_text_file("/nonexistent/x.txt").reason
        'cannot read file (FileNotFoundError)'
    """
    source = str(path)
    doc_id = Path(path).name if doc_id is None else doc_id
    try:
        fh, codec = open_text(path, resolve_encoding(encoding))
        with fh:
            raw = fh.read()
        text, fallback = codec.raw_text(raw)
    except Undecodable as exc:
        return BadRecord(doc_id, source, None, str(exc))
    except OSError as exc:
        why = "broken symbolic link" if is_broken_link(path) else type(exc).__name__
        return BadRecord(doc_id, source, None, f"cannot read file ({why})")
    problem = text_problem(text)
    if problem:
        return BadRecord(doc_id, source, None, problem)
    return Document(doc_id, text, source, None, {"encoding": fallback} if fallback else {})


def read_text_files(path: str | Path, *, encoding: str | None = None) -> Iterator[Document | BadRecord]:
    """One document per ``.txt`` file: ``path`` is a file, or a folder walked recursively in sorted order.

    Ids: the file name for a single file, the path relative to the folder
    (with ``/``) for files in a folder. Hidden files and folders are skipped.
    Raises ``InputError`` E001 when ``path`` does not exist.

    Example:
        >>> read_text_files("/nonexistent")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent' does not exist. ...
    """
    resolve_encoding(encoding)
    p = Path(path)
    if p.is_dir():
        return (read_text_file(f, doc_id=rel_name(f, p), encoding=encoding) for f in walk(p, TEXT_SUFFIXES))
    if p.exists():
        return (read_text_file(p, encoding=encoding) for _ in (p,))
    raise InputError(Errors.E001.format(path=path))


def read_lines(path: str | Path, *, encoding: str | None = None) -> Iterator[Document | BadRecord]:
    """One document per non-empty line of a text file; id ``"<file name>:<line number>"``.

    Lines that are empty or only whitespace are not documents and are skipped
    silently. The line terminator (``\\n`` or ``\\r\\n``) is removed, nothing else.
    A binary file gives one :class:`BadRecord` with the file name as id.

    Example:
        >>> read_lines("/nonexistent.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, "lines")
    return _lines(p, str(path), encoding)


def _lines(p: Path, source: str, encoding: str | None) -> Iterator[Document | BadRecord]:
    for item in nonblank_lines(p, source, encoding):
        if isinstance(item, BadRecord):
            yield item
            continue
        n, line, codec = item
        try:
            text, fallback = codec.raw_text(line)
        except Undecodable as exc:
            yield BadRecord(fallback_id(p.name, n), source, n, str(exc))
            continue
        meta = {"encoding": fallback} if fallback else {}
        yield Document(fallback_id(p.name, n), text, source, n, meta)
