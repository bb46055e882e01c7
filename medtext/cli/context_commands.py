"""``medtext evaluate negation``: score the assertion component on NegEx-format gold rows.

Example:
    $ medtext evaluate negation --gold Annotations.txt --format negex
    {"n": 1190, "n_skipped": 4, "accuracy": 0.995, ...}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register_evaluate(evaluate_app: typer.Typer) -> None:
    """Add ``negation`` to the ``medtext evaluate`` sub-app."""
    evaluate_app.command("negation")(negation)


def negation(
    gold: Annotated[Path, typer.Option("--gold", help="Gold file: NegEx TSV (Report No., Concept, Sentence, Negation).")],
    fmt: Annotated[str, typer.Option("--format", help="Gold format: negex.")] = "negex",
    model: Annotated[
        Path | None, typer.Option("--model", help="A saved pipeline (nlp.to_disk) to evaluate instead of the default one.")
    ] = None,
    context_rules: Annotated[
        list[Path] | None, typer.Option("--context-rules", help="Extra assertion rules (JSONL); repeatable.")
    ] = None,
) -> None:
    """Negation accuracy and negated P/R/F1; prints one JSON object on the last stdout line.

    Each row's concept is located in its sentence (case-insensitive, any whitespace);
    rows where it is not found are counted in n_skipped, not in n.
    """
    from medtext.cli.output import print_metrics
    from medtext.errors import Errors, InputError
    from medtext.evaluate.negation import evaluate_negation

    if fmt != "negex":
        raise InputError(Errors.E104.format(fmt=fmt))
    nlp = None
    if model is not None:
        from medtext.cli.entity_commands import load_pipeline

        nlp = load_pipeline(model)
    print_metrics(evaluate_negation(gold, fmt, nlp=nlp, rule_files=context_rules or ()))
