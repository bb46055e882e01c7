"""``medtext evaluate ner``: score the pipeline's entities against PubTator or CoNLL gold.

Example:
    $ medtext evaluate ner --gold NCBIdevelopset_corpus.txt --format pubtator --codes
    {"precision": 0.86, "recall": 0.84, "f1": 0.85, ..., "normalization_accuracy": 0.81}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

GoldFormat = Annotated[str, typer.Option("--format", help="Gold file format: pubtator or conll.")]


def register_evaluate(evaluate_app: typer.Typer) -> None:
    """Add ``medtext evaluate ner`` to the evaluate sub-app."""
    evaluate_app.command("ner")(evaluate_ner_command)


def evaluate_ner_command(
    gold: Annotated[Path, typer.Option("--gold", help="Gold file (PubTator or CoNLL/IOB).")],
    fmt: GoldFormat = "pubtator",
    model: Annotated[
        str | None,
        typer.Option("--model", help="A saved pipeline folder or model name (default: the default pipeline)."),
    ] = None,
    codes: Annotated[bool, typer.Option("--codes", help="Also report normalization_accuracy of the codes.")] = False,
) -> None:
    """Exact span + label P/R/F1 (micro over the gold file's labels) and per-label figures."""
    from medtext.cli.output import print_metrics
    from medtext.errors import Errors, InputError

    if fmt not in ("pubtator", "conll"):
        raise InputError(Errors.E083.format(fmt=fmt))
    if not gold.is_file():
        raise InputError(Errors.E001.format(path=gold))

    import medtext
    from medtext.evaluate.ner import evaluate_ner

    if model is None:
        nlp = medtext.load()
    else:
        from medtext.models import find_model

        nlp = medtext.load(find_model(model))
    print_metrics(evaluate_ner(nlp, gold, fmt, codes=codes, warn=warn))


def warn(message: str) -> None:
    """An evaluation warning: one stderr line (the metrics still follow on stdout)."""
    from medtext.cli.failures import one_line

    typer.echo(f"medtext evaluate: warning: {one_line(message)}", err=True)
