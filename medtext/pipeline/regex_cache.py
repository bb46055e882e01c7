"""Regular expressions compiled once per Python build and reused by later runs.

Python compiles a regular expression in Python code (parse, then emit the matcher's
code); medtext's modules and its tokenizer compile about 340 of them, some with
long Unicode classes: about 0.17 s of every start-up. Inside
:func:`precompiled_regexes`, ``re`` compiles through a table of the emitted code
(kept with :mod:`medtext.pipeline.disk_cache`, keyed by the exact Python version
and the regex engine's ``MAGIC``); a pattern found there is made directly from it.
A new pattern is compiled as usual, and its code is kept only when the pattern made
from that code equals (``==``: same pattern, flags and code) the one Python's
``re`` made. Outside the block ``re`` is as it was.

Example:
    >>> import re
    >>> with precompiled_regexes():
    ...     pattern = re.compile(r"(?P<dose>\\d+)\\s*mg")
    >>> pattern.search("20 mg").group("dose")
    '20'
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from medtext.pipeline.disk_cache import cache_dir, read_cached, source_key, write_cached

try:  # CPython's regex engine; elsewhere the block changes nothing
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - not CPython
    _sre = _compiler = _parser = None  # type: ignore[assignment]

NAME = "regexes"
FORMAT = "medtext regex code v1"
MAX_PATTERNS = 5000  # a table that grows past this (many user rule files over time) starts again
_UNCACHED_FLAGS = re.DEBUG | re.LOCALE  # DEBUG prints while compiling; LOCALE code depends on the locale

_state: dict[str, Any] = {"depth": 0, "table": None, "added": 0, "original": None}


def supported() -> bool:
    """Whether this Python's ``re`` has the parts the table needs (CPython 3.11+)."""
    return (
        sys.implementation.name == "cpython"
        and _sre is not None
        and callable(getattr(_compiler, "compile", None))
        and callable(getattr(_compiler, "_code", None))
        and callable(getattr(_parser, "parse", None))
    )


def _key() -> bytes:
    return source_key(FORMAT, sys.version, str(getattr(_sre, "MAGIC", "")), str(getattr(_sre, "CODESIZE", "")))


@contextmanager
def precompiled_regexes() -> Iterator[None]:
    """``re`` compiles through the table inside the block (nested blocks share it; the table is saved when
    the outermost block ends, if it learned new patterns)."""
    if not supported() or (_state["depth"] == 0 and cache_dir() is None):
        yield
        return
    if _state["depth"] == 0:
        table = read_cached(NAME, _key())
        _state["table"] = table if isinstance(table, dict) else {}
        _state["added"] = 0
        _state["original"] = _compiler.compile
        _compiler.compile = _compile
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1
        if _state["depth"] == 0:
            _compiler.compile = _state["original"]
            table, _state["table"] = _state["table"], None
            if _state["added"]:
                if len(table) > MAX_PATTERNS:
                    table = dict(list(table.items())[-_state["added"] :])
                write_cached(NAME, _key(), table)


def _compile(pattern: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` through the table (see the module's docstring)."""
    original = _state["original"]
    table = _state["table"]
    if table is None or not isinstance(pattern, (str, bytes)) or flags & _UNCACHED_FLAGS:
        return original(pattern, flags)
    key = (pattern, int(flags))
    entry = table.get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001 - a bad entry: compile as usual, below
            del table[key]
    compiled = original(pattern, flags)
    try:
        entry = _emitted(pattern, flags)
        made = _sre.compile(pattern, *entry)
    except Exception:  # noqa: BLE001 - not kept; Python's own compiled pattern is returned all the same
        return compiled
    if made == compiled and made.groups == compiled.groups and made.groupindex == compiled.groupindex:
        table[key] = entry
        _state["added"] += 1
    return compiled


def _emitted(pattern: str | bytes, flags: int) -> tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]:
    """The arguments after the pattern with which ``re`` makes the compiled pattern (as in ``re._compiler.compile``)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup)
