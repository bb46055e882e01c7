"""Where a run writes, checked before anything is written: no output or errors file replaces an input.

Rules (``annotate`` and ``deid``):

* ``-o`` must not be one of the input files (it would be replaced by the records).
* the errors file (``--errors``, or ``<name>.errors.jsonl`` beside the output) must
  not be an input file, nor the output itself (the records and the errors would
  overwrite each other);
* an existing errors file is replaced only when it is empty or holds nothing but
  errors-file lines medtext writes (``{"id", "source", "line", "reason"}``), so a
  file medtext did not write is never removed (see ``ErrorsLog``).

Each refusal is one line (E008 for ``-o``, E117 for the errors file) and exit 2.

Example:
    >>> check_output_paths(["notes.jsonl"], None, "out.jsonl", Path("notes.jsonl"))  # doctest: +SKIP
    Traceback (most recent call last):
    medtext.errors.InputError: [E117] Cannot use 'notes.jsonl' as the errors file: it is the input 'notes.jsonl'; ...
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from medtext.batch.sinks import ErrorsLog
from medtext.errors import Errors, InputError

__all__ = ["check_output_paths", "same_path"]


def _real(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def same_path(a: str | Path, b: str | Path) -> bool:
    """True when ``a`` and ``b`` name the same file (symbolic links and ``..`` resolved; hard links too when both exist).

    Example:
        >>> same_path("a/../b.jsonl", "b.jsonl")
        True
    """
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _real(a) == _real(b)


def check_output_paths(
    inputs: Sequence[str], input_format: str | None, output: str, errors: Path, *, input_list: Sequence[str] | None = None
) -> list[str]:
    """Refuse an output or errors path that would replace an input, or each other; return the input files.

    ``input_list`` is the list of input files when the caller has it already
    (``medtext.io.input_files``); otherwise it is computed here. Files are compared by
    device and inode, so symbolic and hard links to an input count as the input.
    """
    from medtext.io.dispatch import input_files

    files = list(input_list) if input_list is not None else input_files(list(inputs), input_format)
    targets: dict[tuple[int, int], str] = {}
    for role, path in (("errors", os.fspath(errors)), ("output", output)):
        if path != "-" and os.path.exists(path):
            st = os.stat(path)
            targets[(st.st_dev, st.st_ino)] = role
    for f in files if targets else ():
        try:
            st = os.stat(f)
        except OSError:
            continue
        role = targets.get((st.st_dev, st.st_ino))
        if role == "output":
            raise InputError(Errors.E008.format(path=output, detail=f"it is the input '{f}', which the output would replace; give another -o path"))
        if role == "errors":
            raise InputError(Errors.E117.format(
                path=errors, detail=f"it is the input '{f}'; give another path with --errors (or leave --errors out: "
                                    "the default is <name>.errors.jsonl beside the output)"))
    if output != "-" and same_path(output, errors):
        raise InputError(Errors.E117.format(
            path=errors, detail="it is also the output (-o), and the records and the errors would overwrite each other; "
                                "give another path with --errors (or leave it out: the default is <name>.errors.jsonl beside the output)"))
    ErrorsLog(errors).check()
    return files
