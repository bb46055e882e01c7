"""``medtext deid``, ``medtext visualize`` and ``medtext evaluate deid``.

Example:
    $ medtext deid notes/ -o deid.jsonl --mode surrogate --seed 7
    $ medtext visualize notes/ -o review.html
    $ medtext evaluate deid --text id.text --phi id-phi.phrase --format physionet
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtext.cli.failures import warn_duplicate_ids
from medtext.cli.options import (
    IdField,
    InputFormat,
    TextField,
    UnusedLabelField,
    check_errors_path,
    check_output,
    split_names,
)


def register(app: typer.Typer) -> None:
    """Add ``deid`` and ``visualize`` to the app."""
    app.command("deid")(deid)
    app.command("visualize")(visualize)


def register_evaluate(evaluate_app: typer.Typer) -> None:
    """Add ``evaluate deid``."""
    evaluate_app.command("deid")(evaluate_deid)


def deid(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or quoted globs to de-identify; - reads standard input (JSONL unless --input-format lines, txt, csv or tsv).", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="'-' (stdout), a .jsonl file, or a folder.")],
    mode: Annotated[str, typer.Option(help="redact ([NAME]), mask (same-length ***) or surrogate (realistic fakes).")] = "redact",
    seed: Annotated[int | None, typer.Option(envvar="MEDTEXT_DEID_SEED", show_default="random, new each run", help="Secret key of the surrogates and date shifts (surrogate mode): the same key gives the same output. Anyone who knows it can undo the date shifts: keep it out of the release, and make it long and random.")] = None,
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: UnusedLabelField = None,
    encoding: Annotated[str | None, typer.Option(help="Force the input encoding (default: detect).")] = None,
    errors: Annotated[str | None, typer.Option("--errors", help="Errors file (default: <name>.errors.jsonl beside the output). Never an input or the output; an existing file is replaced only when medtext wrote it.")] = None,
    max_chars: Annotated[int, typer.Option(help="Refuse documents longer than this (characters).")] = 1_000_000,
    ids: Annotated[str, typer.Option("--ids", help="keep: output ids are the input ids verbatim (an id that is a name or an MRN is PHI too); number: 1, 2, 3 ... in output order, and a folder output names its .txt copies 1.txt, 2.txt ...")] = "keep",
    id_map: Annotated[str | None, typer.Option("--id-map", help="With --ids number: write {id, original_id, source, line} per record to this file, outside the output (it re-identifies: keep it with the originals).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line (failed records still get one line: how many, and where the reasons are).")] = False,
) -> None:
    """Remove PHI: JSONL records {id, text} (a folder output also gets .txt files for .txt inputs)."""
    import sys

    from medtext.cli.progress import record_progress
    from medtext.deid.batch import DeidJob, deid_corpus
    from medtext.deid.transform import check_mode

    check_mode(mode)
    check_output(output, "'-' (stdout), a .jsonl file or a folder")
    check_errors_path(errors)
    if output != "-" and Path(output).suffix.lower() in (".parquet", ".pq"):
        from medtext.errors import Errors, InputError

        raise InputError(Errors.E011.format(option="-o", expected="'-', a .jsonl file or a folder (deid writes JSONL records {id, text})", found=output))
    job = DeidJob(inputs=list(paths), output=output, mode=mode, seed=seed, input_format=input_format, id_field=id_field,
                  text_field=text_field, encoding=encoding, errors_path=errors, max_chars=max_chars, ids=ids, id_map=id_map)
    with record_progress(enabled=not quiet, label="de-identifying") as progress:
        summary = deid_corpus(job, progress=progress)
    if not quiet:
        sys.stderr.write(summary.line() + "\n")
    elif summary.failed:  # quiet, but failed records are never silent: one line, how many and where
        from medtext.batch.job import failure_line

        sys.stderr.write(failure_line(summary.failed, summary.errors_path) + "\n")
    warn_duplicate_ids(summary.duplicate_ids, "medtext deid")
    raise typer.Exit(summary.exit_code)


def visualize(
    paths: Annotated[list[str], typer.Argument(help="Documents, or annotation-record JSONL from 'medtext annotate'; - reads either from standard input.", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write.")],
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: UnusedLabelField = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Pipeline components to leave out when annotating.")] = None,
    limit: Annotated[int, typer.Option(help="Render at most this many documents.")] = 200,
    phi: Annotated[bool, typer.Option("--phi/--no-phi", help="Also mark PHI spans.")] = True,
) -> None:
    """Render entities, sections and assertion status as one self-contained HTML page.

    Inputs that cannot be rendered (empty, undecodable, no text field) get one
    stderr line each (where and why, never text) and exit code 1.
    """
    import sys

    from medtext.errors import Errors, InputError
    from medtext.visualize import visualize_paths

    if limit < 1:
        raise InputError(Errors.E011.format(option="--limit", expected="a whole number of at least 1", found=limit))
    check_page_path(list(paths), output, input_format)
    shown = 0

    def report(skipped) -> None:
        nonlocal shown
        shown += 1
        if shown <= MAX_SKIP_LINES:
            sys.stderr.write(f"medtext visualize: skipped {skipped.describe()}\n")

    summary = visualize_paths(list(paths), output, input_format=input_format, id_field=id_field, text_field=text_field,
                              exclude=split_names(exclude), limit=limit, show_phi=phi, on_skip=report)
    if shown > MAX_SKIP_LINES:
        sys.stderr.write(f"medtext visualize: ... and {shown - MAX_SKIP_LINES} more skipped input(s)\n")
    sys.stderr.write(summary.line(output) + "\n")
    raise typer.Exit(summary.exit_code)


# At most this many 'skipped' lines on stderr; the rest are counted.
MAX_SKIP_LINES = 20


def check_page_path(paths: list[str], output: str, input_format: str | None) -> None:
    """Refuse (E115) ``-o -`` (the page is a file) and an ``-o`` that is one of the inputs (it would be replaced).

    Example:
        >>> check_page_path(["notes/"], "-", None)
        Traceback (most recent call last):
        medtext.errors.InputError: [E115] Cannot write '-': visualize writes one HTML file, not standard output; give a file name such as review.html.
    """
    from medtext.batch.paths import same_path
    from medtext.errors import Errors, InputError, MedtextError
    from medtext.io.dispatch import input_files

    if output == "-":
        raise InputError(Errors.E115.format(path=output, detail="visualize writes one HTML file, not standard output; give a file name such as review.html"))
    for path in paths:
        try:
            files = input_files([path], input_format)
        except MedtextError:  # an input that cannot be read is reported (and skipped) while rendering
            continue
        for name in files:
            if same_path(name, output):
                raise InputError(Errors.E115.format(path=output, detail=f"it is the input '{name}', which the page would replace; give another -o file name"))


def evaluate_deid(
    text: Annotated[str, typer.Option("--text", help="Notes file (PhysioNet id.text).")],
    phi: Annotated[str, typer.Option("--phi", help="Gold PHI file (PhysioNet id-phi.phrase).")],
    gold_format: Annotated[str, typer.Option("--format", help="Gold format: physionet.")] = "physionet",
    model: Annotated[str | None, typer.Option("--model", help="A saved pipeline folder (default: the default pipeline).")] = None,
) -> None:
    """PHI precision/recall/F1 (a gold phrase is found when predicted spans cover all its letters and digits)."""
    from medtext.cli.output import print_metrics
    from medtext.errors import Errors, MedtextError
    from medtext.evaluate.deid import evaluate_physionet

    if gold_format != "physionet":
        raise MedtextError(Errors.E011.format(option="--format", expected="physionet", found=gold_format))
    nlp = None
    if model is not None:
        from medtext.cli.entity_commands import load_pipeline

        nlp = load_pipeline(model)
    from medtext.cli.entity_commands import warn

    print_metrics(evaluate_physionet(text, phi, nlp=nlp, warn=warn))
