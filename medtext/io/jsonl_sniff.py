"""Tell input read as JSON Lines that is no JSONL at all (a CSV table, plain text) from its first lines.

One error (E182) then, instead of an error record per line; a bad line among JSON lines stays
that record's error, so nothing is dropped silently. The lines looked at are not consumed.

Example:
    >>> list(refuse_non_jsonl(['oops', '{"text": "No fever."}'], "x.jsonl"))
    ['oops', '{"text": "No fever."}']
    >>> list(refuse_non_jsonl(['id,text', '1,No fever.'], "notes.csv"))
    Traceback (most recent call last):
    medtext.errors.InputError: [E182] 'notes.csv' does not look like JSONL ... Use --input-format csv for this file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from medtext.errors import Errors, InputError
from medtext.io._common import nonblank_lines
from medtext.io.records import BadRecord

__all__ = ["HEAD_LINES", "STDIN_SOURCES", "check_jsonl_file", "head_is_not_jsonl", "not_jsonl_error", "refuse_non_jsonl"]

HEAD_LINES = 5
"""How many non-blank lines the sniff looks at."""

STDIN_SOURCES = ("-", "<stdin>")

_FIX_BY_SUFFIX = {
    ".csv": "Use --input-format csv for this file.",
    ".tsv": "Use --input-format tsv for this file.",
    ".txt": "Use --input-format txt (the file is one document) or rct (a PubMed-RCT sentence file).",
}
_FIX_OTHER = "Use --input-format csv or tsv for a table with a header line, or write one JSON object per line."
_FIX_STDIN = "Give --input-format csv, tsv, lines or txt with '-' for standard input that is not JSONL."

_NOT_JSON, _OBJECT, _OTHER = range(3)


def _kind(line: str) -> int:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return _NOT_JSON
    return _OBJECT if isinstance(value, dict) else _OTHER


def head_is_not_jsonl(head: list[str]) -> bool:
    """True when the first of these non-blank lines is not JSON and none of them is a JSON object.

    >>> head_is_not_jsonl(["id,text", "1,a"]), head_is_not_jsonl(["[1]", "x"]), head_is_not_jsonl([])
    (True, False, False)
    """
    kinds = [_kind(line) for line in head]
    return bool(kinds) and kinds[0] == _NOT_JSON and _OBJECT not in kinds


def not_jsonl_error(source: str, n: int, fix: str | None = None) -> InputError:
    """E182 for ``source`` (a path, or ``-`` / ``<stdin>``), ``n`` lines looked at; ``fix`` defaults by the
    file's suffix.

    >>> str(not_jsonl_error("<stdin>", 2)).split(":")[0]
    "[E182] 'standard input' does not look like JSONL (one JSON object per line), the input format it is read as"
    """
    stdin = source in STDIN_SOURCES
    if fix is None:
        fix = _FIX_STDIN if stdin else _FIX_BY_SUFFIX.get(Path(source).suffix.lower(), _FIX_OTHER)
    return InputError(Errors.E182.format(path="standard input" if stdin else source, n=n, fix=fix))


def refuse_non_jsonl(lines: Iterable[str], source: str, *, k: int = HEAD_LINES, fix: str | None = None) -> Iterator[str]:
    """All of ``lines``, unchanged, once the first ``k`` non-blank ones have been read and checked: E182
    (raised at once, before this returns) when they show the input is not JSONL."""
    it = iter(lines)
    head: list[str] = []
    nonblank: list[str] = []
    for line in it:
        head.append(line)
        if line.strip():
            nonblank.append(line)
            if len(nonblank) == k:
                break
    if head_is_not_jsonl(nonblank):
        raise not_jsonl_error(source, len(nonblank), fix)
    return chain(head, it)


def check_jsonl_file(path: str | Path, source: str, encoding: str | None = None) -> None:
    """E182 when the file at ``path`` (a regular file, read again afterwards) is not JSONL; ``source`` names
    it in the message. A file that cannot be decoded is left to the reader (one error record).

    >>> check_jsonl_file("/dev/null", "empty.jsonl")
    """
    lines = nonblank_lines(Path(path), source, encoding)
    try:
        head = []
        for item in lines:
            if isinstance(item, BadRecord):
                return
            head.append(item[1])
            if len(head) == HEAD_LINES:
                break
    finally:
        lines.close()
    if head_is_not_jsonl(head):
        raise not_jsonl_error(source, len(head))
