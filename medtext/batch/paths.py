"""Where a run writes, checked before anything is written: no output or errors file replaces an input.

Rules (``annotate`` and ``deid``):

* ``-o`` must not be one of the input files (it would be replaced by the records).
* the errors file (``--errors``, or ``<name>.errors.jsonl`` beside the output) must
  not be an input file, nor the output itself (the records and the errors would
  overwrite each other);
* an existing errors file is replaced only when it is empty or holds nothing but
  errors-file lines medtext writes (``{"id", "source", "line", "reason"}``), so a
  file medtext did not write is never removed (see ``ErrorsLog``).

* a folder ``-o`` (``annotate``) must not hold an input file, nor lie in an input folder
  whose walk would take its shards as input: a later run over the same inputs would read
  its own output as documents (and, clearing the folder first, lose it);
* ``-o`` (and the errors file) must be somewhere medtext can create files: a file
  output's folder must exist (it is not created), a folder output is created when
  missing; a path below a file, or in a folder that cannot be written, is refused.

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

__all__ = ["check_output_folder", "check_output_location", "check_output_paths", "same_path"]


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


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(".")


def _writable(folder: Path) -> str | None:
    """None when a file can be created in ``folder`` (a hidden probe, removed at once), else the reason."""
    import tempfile

    try:
        fd, probe = tempfile.mkstemp(prefix=".medtext-probe-", dir=folder)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    os.close(fd)
    os.unlink(probe)
    return None


def _where(path: Path, *, create: bool, role: str, probe: bool = True) -> str | None:
    """Why files cannot be written at ``path`` (a folder that holds them, created when ``create``), or None."""
    if path.exists():
        if not path.is_dir():
            return f"'{path}' is a file, not a folder; give {role} in a folder"
        reason = _writable(path) if probe else None
        return None if reason is None else f"cannot create files in '{path}' ({reason}); give {role} in a folder you can write to"
    if not create:
        return f"folder '{path}' does not exist; create it first (mkdir -p {path}) or give {role} in an existing folder"
    base = _nearest_existing(path)
    if not base.is_dir():
        return f"'{base}' is a file, not a folder; give {role} that is not below a file"
    reason = _writable(base) if probe else None
    return None if reason is None else f"cannot create '{path}' in '{base}' ({reason}); give {role} in a folder you can write to"


def check_output_location(output: str, kind: str, errors: Path, *, errors_given: bool = True) -> None:
    """Refuse (E008 / E117), before anything is written, an output or errors path where files cannot be created.

    ``kind`` is ``stdout``, ``file`` (its folder must exist) or ``folder`` (created when
    missing; an existing file there is refused). The errors file's folder is created when
    missing; it is tried for writing only when the path was given (``errors_given``): the
    default one is created only when a record fails, so a run with no failures in a
    read-only folder (``-o -``) still works.

    Example:
        >>> check_output_location("/nonexistent-medtext/sub/out.jsonl", "file", Path("e.jsonl"))
        Traceback (most recent call last):
        medtext.errors.InputError: [E008] Output '/nonexistent-medtext/sub/out.jsonl' is not usable: folder '/nonexistent-medtext/sub' does not exist; ...
    """
    if kind == "file":
        problem = _where(Path(output).parent, create=False, role="an -o path")
    elif kind == "folder":
        folder = Path(output)
        problem = ("it is a file; give a folder, or a file name ending in .jsonl/.parquet"
                   if folder.exists() and not folder.is_dir() else _where(folder, create=True, role="an -o folder"))
    else:
        problem = None
    if problem:
        raise InputError(Errors.E008.format(path=output, detail=problem))
    problem = _where(errors.parent, create=True, role="an --errors path", probe=errors_given)
    if problem:
        raise InputError(Errors.E117.format(path=errors, detail=problem))


def _inside(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or below it (both resolved by :func:`_real`)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_output_folder(output: str, inputs: Sequence[str], files: Sequence[str], input_format: str | None, shard_suffix: str) -> None:
    """Refuse (E008) a folder ``-o`` that holds an input file, or lies in an input folder that is walked for
    ``shard_suffix`` files: the shards would become inputs of the next run over the same paths.

    Example:
        >>> check_output_folder("out", ["notes/"], ["notes/a.txt"], None, ".jsonl")
        >>> check_output_folder("notes", ["notes/"], ["notes/a.jsonl"], None, ".jsonl")
        Traceback (most recent call last):
        medtext.errors.InputError: [E008] Output 'notes' is not usable: it holds the input 'notes/a.jsonl'; ...
    """
    from medtext.io._common import is_hidden
    from medtext.io.dispatch import FOLDER_SUFFIXES

    out = _real(output)
    fix = "give an -o folder outside the inputs"
    for f in files:
        if _inside(_real(f), out):
            raise InputError(Errors.E008.format(path=output, detail=f"it holds the input '{f}'; the shards written beside it would be read as input by the next run over the same paths; {fix}"))
    if shard_suffix not in FOLDER_SUFFIXES.get(input_format, ()):
        return
    for given in inputs:
        folder = _real(given)
        if os.path.isdir(given) and _inside(out, folder) and not is_hidden(Path(os.path.relpath(out, folder))):
            raise InputError(Errors.E008.format(path=output, detail=f"it is inside the input folder '{given}', which is read for {shard_suffix} files: the next run over it would read the shards as input; {fix} (or a hidden one inside it, e.g. '{Path(given) / '.annotations'}')"))
