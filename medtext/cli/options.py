"""Options shared by every command, so field names mean the same everywhere (DESIGN.md).

Example:
    >>> split_names(["ner,phi", "assertion"])
    ['ner', 'phi', 'assertion']
    >>> check_output("out.jsonl")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer

IdField = Annotated[str, typer.Option("--id-field", help="JSONL key / CSV column of the record id.")]
TextField = Annotated[str, typer.Option("--text-field", help="JSONL key / CSV column of the text.")]
LabelField = Annotated[
    str, typer.Option("--label-field", help="JSONL key / CSV column of the label (multi-label JSONL: labels).")
]
# --label-field of commands that read no label (deid, visualize, classify, score)
UnusedLabelField = Annotated[
    str | None,
    typer.Option("--label-field", help="Not read here: the command needs the id and text only (accepted so that the field "
                 "options are the same on every command)."),
]
InputFormat = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="txt (file per document), lines, jsonl, csv, tsv, parquet, pubtator, conll, rct, brat, negex, physionet, ab3p "
        "(default: from the extension).",
    ),
]


def split_names(values: Iterable[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values."""
    return [name.strip() for value in values or () for name in value.split(",") if name.strip()]


def check_errors_path(errors: str | None) -> None:
    """Refuse ``--errors -`` or a blank ``--errors`` (E011): the errors file is a file beside the output
    (standard output holds the records with ``-o -``), and '-' would have been written as a file named '-'.

    Example:
        >>> check_errors_path("-")
        Traceback (most recent call last):
        medtext.errors.InputError: [E011] Option --errors must be a file path (the errors file cannot be standard output or standard error); got '-'.
    """
    if errors is not None and (errors.strip() in ("", "-")):
        from medtext.errors import Errors, InputError

        raise InputError(Errors.E011.format(option="--errors", expected="a file path (the errors file cannot be standard output or standard error)",
                                            found=repr(errors)))


def check_output(output: str, expected: str = "'-' (stdout), a .jsonl/.parquet file or a folder") -> None:
    """Refuse an empty or blank ``-o`` in one line (E011) before any path is derived from it.

    Example:
        >>> check_output("")
        Traceback (most recent call last):
        medtext.errors.InputError: [E011] Option -o must be '-' (stdout), a .jsonl/.parquet file or a folder; got ''.
    """
    if not output.strip():
        from medtext.errors import Errors, InputError

        raise InputError(Errors.E011.format(option="-o", expected=expected, found=repr(output)))
