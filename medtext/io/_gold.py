"""Line access for gold files: small files that must be right, so problems raise ``InputError``.

Example:
    >>> malformed("pubtator", "gold.txt", 3, "expected 6 tab-separated fields")
    InputError("[E009] Malformed pubtator file 'gold.txt' at line 3: expected 6 tab-separated fields.")
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from medtext.errors import Errors, InputError
from medtext.io._common import require_file
from medtext.io.decode import Undecodable, open_text, resolve_encoding, strip_eol


def malformed(fmt: str, path: str | Path, line: int | None, detail: str) -> InputError:
    """The E009 error for a gold file (raise it)."""
    return InputError(Errors.E009.format(fmt=fmt, path=path, line=line, detail=detail))


def gold_lines(
    path: str | Path, fmt: str, encoding: str | None = None, *, keep_eol: bool = False
) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for every line of a gold file, decoded by the policy.

    Raises ``InputError``: E001/E006 for a bad path or a binary file, E007 when
    it cannot be opened, E009 for a line that does not decode.

    Example:
        >>> list(gold_lines("/nonexistent.txt", "pubtator"))
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    p = require_file(path, fmt)
    try:
        fh, codec = open_text(p, encoding)
    except Undecodable as exc:
        raise InputError(Errors.E006.format(path=path, fmt=fmt, detail=str(exc))) from None
    except OSError as exc:
        raise InputError(Errors.E007.format(path=path, detail=type(exc).__name__)) from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = codec.clean(raw if keep_eol else strip_eol(raw))
            except Undecodable as exc:
                raise malformed(fmt, path, n, str(exc)) from None
            yield n, line
