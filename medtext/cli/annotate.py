"""``medtext annotate``: annotation records for a corpus (JSONL or Parquet).

Example:
    $ medtext annotate notes/ abstracts.jsonl -o annotations/ --workers 2
    $ medtext annotate notes.csv --text-field note_text -o - --exclude ner
"""

from __future__ import annotations

from typing import Annotated

import typer

from medtext.cli.failures import warn_duplicate_ids
from medtext.cli.options import (
    IdField,
    InputFormat,
    LabelField,
    TextField,
    check_errors_path,
    check_output,
    split_names,
)


def register(app: typer.Typer) -> None:
    """Add the ``annotate`` command to the app."""
    app.command("annotate")(annotate)


def annotate(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or quoted globs to annotate; - reads standard input (JSONL unless --input-format lines, txt, csv or tsv).", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="'-' (stdout), a .jsonl/.parquet file, or a folder of shards.")],
    input_format: InputFormat = None,
    output_format: Annotated[
        str | None, typer.Option("--format", help="Output format: jsonl or parquet (default: from -o, else jsonl); with a .jsonl/.parquet -o it must match.")
    ] = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: LabelField = "label",
    encoding: Annotated[str | None, typer.Option(help="Force the input encoding (default: detect).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    backend: Annotated[str, typer.Option(help="local (processes) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:port).")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Pipeline components to leave out (repeat or comma-separate), e.g. ner.")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Finish an interrupted run into the same folder.")] = False,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Errors file (default: <name>.errors.jsonl beside the output). Never an input or the output; an existing file is replaced only when medtext wrote it.")
    ] = None,
    max_chars: Annotated[int, typer.Option(help="Refuse documents longer than this (characters).")] = 1_000_000,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave the text out of the records.")] = False,
    shard_size: Annotated[int, typer.Option(help="Records per shard (folder output, resume unit); at least 1.")] = 1000,
    section_rules: Annotated[
        list[str] | None, typer.Option("--section-rules", help="JSONL file of extra section header rules (repeatable).")
    ] = None,
    lexicon: Annotated[
        list[str] | None, typer.Option("--lexicon", help="TSV/JSONL lexicon of extra concepts with codes (repeatable).")
    ] = None,
    context_rules: Annotated[
        list[str] | None, typer.Option("--context-rules", help="JSONL file of extra assertion trigger rules (repeatable).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line (failed records still get one line: how many, and where the reasons are).")] = False,
) -> None:
    """Annotate documents: sentences, sections, entities with codes and assertions, abbreviations, PHI."""
    import sys

    check_output(output)
    check_errors_path(errors)
    _import_pipeline_modules()
    from medtext.batch import AnnotateJob, annotate_corpus
    from medtext.cli.progress import record_progress

    job = AnnotateJob(
        inputs=list(paths),
        output=output,
        input_format=input_format,
        output_format=output_format,
        id_field=id_field,
        text_field=text_field,
        label_field=label_field,
        encoding=encoding,
        workers=workers,
        backend=backend,
        scheduler=scheduler,
        exclude=tuple(split_names(exclude)),
        resume=resume,
        errors_path=errors,
        max_chars=max_chars,
        include_text=not no_text,
        shard_size=shard_size,
        user_files=tuple(
            [("sections", p) for p in section_rules or ()]
            + [("concepts", p) for p in lexicon or ()]
            + [("assertion", p) for p in context_rules or ()]
        ),
    )
    show = not quiet and sys.stderr.isatty()
    total = None
    if show:
        from medtext.io import estimate_records

        total = estimate_records(job.inputs, job.input_format)
    with record_progress(enabled=show, label="annotating", total=total) as progress:
        summary = annotate_corpus(job, progress=progress)
    if not quiet:
        sys.stderr.write(summary.line() + "\n")
    elif summary.failed:  # quiet, but failed records are never silent: one line, how many and where
        sys.stderr.write(summary.failure_line() + "\n")
    warn_duplicate_ids(summary.duplicate_ids, "medtext annotate")
    _warn_missing_ids(summary.missing_ids, job.id_field)
    from medtext.cli.fast_exit import end_process_now

    end_process_now(summary.exit_code)  # the outputs are closed: skip the interpreter's teardown (about 0.3 s)
    raise typer.Exit(summary.exit_code)


def _warn_missing_ids(report: tuple[int, str, int] | None, id_field: str) -> None:
    """The W195 line of a run whose records got made-up ids (nothing when none did)."""
    from medtext.batch.missing_ids import missing_ids_warning
    from medtext.cli.failures import warn

    message = missing_ids_warning(report, id_field)
    if message:
        warn(message, "medtext annotate")


def _import_pipeline_modules() -> None:
    """Import spaCy and the pipeline's modules (first time only) with the garbage collector paused, then
    move what they made out of its reach (``gc.freeze``): about a million objects that live as long as
    the process, which collections would only walk (about 0.1 s of each run). Their regular expressions
    come from the table of :mod:`medtext.pipeline.regex_cache`."""
    import gc
    import sys

    from medtext.gc_control import collector_paused

    if "medtext.pipeline.loader" in sys.modules:
        return
    with collector_paused():
        from medtext.pipeline.regex_cache import precompiled_regexes

        try:
            with precompiled_regexes():
                import medtext.batch  # noqa: F401
                import medtext.pipeline.loader  # noqa: F401
        finally:
            gc.freeze()
