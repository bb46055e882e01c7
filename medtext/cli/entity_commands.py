"""``medtext evaluate ner``: score the pipeline's entities against PubTator or CoNLL gold.

Example:
    $ medtext evaluate ner --gold NCBIdevelopset_corpus.txt --format pubtator --codes
    {"precision": 0.86, "recall": 0.84, "f1": 0.85, ..., "normalization_accuracy": 0.81}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
        typer.Option("--model", help="A saved pipeline folder (nlp.to_disk) or its name in $MEDTEXT_MODELS (default: the default pipeline)."),
    ] = None,
    codes: Annotated[bool, typer.Option("--codes", help="Also report normalization_accuracy of the codes.")] = False,
) -> None:
    """Exact span + label P/R/F1 (micro over the gold file's labels) and per-label figures."""
    from medtext.cli.output import print_metrics
    from medtext.errors import Errors, InputError

    if fmt not in ("pubtator", "conll"):
        raise InputError(Errors.E083.format(fmt=fmt))
    if not gold.is_file():  # E001 when missing, E006 when a folder
        from medtext.evaluate._gold import gold_hint
        from medtext.io._common import require_file

        with gold_hint("Give --gold one gold file."):
            require_file(gold, fmt)

    import medtext
    from medtext.evaluate.ner import evaluate_ner

    nlp = medtext.load() if model is None else load_pipeline(model)
    print_metrics(evaluate_ner(nlp, gold, fmt, codes=codes, warn=warn))


def load_pipeline(model: str | Path) -> Any:
    """The saved pipeline an ``evaluate`` command's ``--model`` names: a folder, or a model name.

    A path that does not exist is E001; an unknown name E037; a folder that is not a
    pipeline (a classifier, a folder spaCy cannot load) E036: one line each, saying
    what was given, why it is not a pipeline and what to pass.
    """
    import medtext
    from medtext.errors import Errors, InputError, MedtextError, ModelError

    folder = Path(model)
    if not folder.is_dir():
        if len(folder.parts) != 1 or folder.is_absolute():  # a path, not a name
            raise InputError(Errors.E001.format(path=model))
        from medtext.models import model_dirs

        found = [d / str(model) for d in model_dirs() if (d / str(model)).is_dir()]
        if not found:
            raise ModelError(Errors.E037.format(model=model))
        folder = found[0]
    if not (folder / "config.cfg").is_file():
        detail = "its folder has no config.cfg"
        from medtext.models import read_meta

        try:
            task = read_meta(folder).get("task")
        except (MedtextError, AttributeError):  # no or unreadable meta.json, or not an object
            task = None
        if isinstance(task, str) and task:
            detail = f"it is a {task} model, not a pipeline (its folder has no config.cfg)"
        raise ModelError(Errors.E036.format(model=model, detail=detail))
    if not (folder / "meta.json").is_file():
        raise ModelError(Errors.E036.format(model=model, detail="its folder has no meta.json"))
    try:
        return medtext.load(folder)
    except MedtextError:
        raise
    except Exception as err:  # spaCy's own errors for a folder it cannot read
        raise ModelError(Errors.E036.format(model=model, detail=f"spaCy cannot load it ({type(err).__name__})")) from None


def warn(message: str) -> None:
    """An evaluation warning: one stderr line (the metrics still follow on stdout)."""
    from medtext.cli.failures import one_line

    typer.echo(f"medtext evaluate: warning: {one_line(message)}", err=True)
