"""``medtext evaluate abbreviations``: score abbreviation detection on an Ab3P gold file.

Example:
    $ medtext evaluate abbreviations --gold MED1250_labeled --format ab3p
    {"precision": 0.99, "recall": 0.88, "f1": 0.93, ...}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register_evaluate(evaluate_app: typer.Typer) -> None:
    """Add ``abbreviations`` to the ``medtext evaluate`` sub-app."""
    evaluate_app.command("abbreviations")(evaluate_abbreviations_command)


def evaluate_abbreviations_command(
    gold: Annotated[Path, typer.Option("--gold", help="Gold file (Ab3P format: PMID, title, abstract, then pair lines: two spaces, SF|LF).")],
    fmt: Annotated[str, typer.Option("--format", help="Gold file format: ab3p.")] = "ab3p",
    model: Annotated[
        Path | None, typer.Option("--model", help="A saved pipeline folder (default: medtext's default pipeline).")
    ] = None,
) -> None:
    """Precision, recall and F1 of exact (short form, long form) pairs per document; JSON on the last line."""
    from medtext.cli.output import print_metrics
    from medtext.evaluate.abbreviations import GOLD_FORMATS, evaluate_abbreviations
    from medtext.errors import Errors, InputError

    if fmt not in GOLD_FORMATS:
        raise InputError(Errors.E090.format(fmt=fmt, choices=", ".join(GOLD_FORMATS)))
    nlp = None
    if model is not None:
        from medtext.cli.entity_commands import load_pipeline

        nlp = load_pipeline(model)
    print_metrics(evaluate_abbreviations(gold, fmt, nlp=nlp))
