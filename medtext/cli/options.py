"""Options shared by every command, so field names mean the same everywhere (DESIGN.md).

Example:
    >>> split_names(["ner,phi", "assertion"])
    ['ner', 'phi', 'assertion']
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
