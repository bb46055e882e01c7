"""The ``medtext`` command: a Typer app with one-line errors.

Only typer and rich are imported here and in the command modules; spaCy,
scikit-learn, numpy and pandas load inside command bodies, so ``medtext --help``
starts fast.

Example:
    $ medtext annotate notes/ -o annotations.jsonl
    $ medtext --version
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from medtext.about import __version__
from medtext.cli import abbreviation_commands, annotate, context_commands, deid_commands, entity_commands, info, learn_commands
from medtext.cli.failures import EXIT_CANNOT_RUN, debug_enabled, fail


def click_exceptions(name: str) -> tuple[type[BaseException], ...]:
    """Exception class ``name`` of each copy of click in use: typer's own (typer >= 0.22 vendors
    click) and click itself when imported (older typer, or a command using click directly).

    Example:
        >>> issubclass(click_exceptions("UsageError")[0], Exception)
        True
    """
    modules = []
    try:
        from typer._click import exceptions as vendored

        modules.append(vendored)
    except ImportError:
        pass
    click = sys.modules.get("click")
    if click is not None:
        modules.append(click.exceptions)
    return tuple(getattr(m, name) for m in modules if hasattr(m, name))


class MedtextGroup(TyperGroup):
    """A Typer group whose failures are one stderr line (usage errors included)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from medtext.cli.interrupt import interrupts_kept

        prog = prog_name or "medtext"
        try:
            with interrupts_kept():
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Exception as err:  # noqa: BLE001 - the last line of defence: no tracebacks
            rv = self._one_line(err, prog)
        code = rv if isinstance(rv, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:
        """Run the command; Ctrl-C becomes a one-line error (E123, exit 130) instead of a silent exit;
        a reader that closes standard output (``| head``) ends the command quietly with exit 0."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            from medtext.cli.failures import silence_stdout, stdout_closed

            if not stdout_closed():
                raise
            silence_stdout()
            return 0
        except KeyboardInterrupt:
            from medtext.errors import Errors, Interrupted

            raise Interrupted(Errors.E123) from None

    @staticmethod
    def _one_line(err: Exception, prog: str) -> int:
        """Report a failure on one stderr line; the exit code."""
        from medtext.errors import MedtextError

        if isinstance(err, click_exceptions("NoArgsIsHelpError")):
            return 0  # the group's help is already printed (``medtext`` alone)
        if isinstance(err, click_exceptions("UsageError")):
            ctx = getattr(err, "ctx", None)
            where = f"medtext {ctx.command_path.split(' ', 1)[1]}" if ctx and " " in ctx.command_path else "medtext"
            fail(f"{err.format_message()} (see '{where} --help')", prog)
            return EXIT_CANNOT_RUN
        if isinstance(err, click_exceptions("ClickException")):
            fail(err.format_message(), prog)
            return err.exit_code
        if isinstance(err, click_exceptions("Abort") + (typer.Abort,)):
            fail("aborted", prog)
            return 130
        if isinstance(err, MedtextError):
            fail(str(err), prog)
            return err.exit_code
        if debug_enabled():
            raise err
        fail(f"unexpected {type(err).__name__}; rerun with MEDTEXT_DEBUG=1 to see the traceback, and report it", prog)
        return EXIT_CANNOT_RUN


app = typer.Typer(
    cls=MedtextGroup,
    name="medtext",
    help="Clinical and biomedical text mining: annotate, classify, score, train, evaluate.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
evaluate_app = typer.Typer(
    name="evaluate",
    help="Score medtext against gold data; prints one JSON object on the last stdout line.",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"medtext {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Clinical and biomedical text mining: annotate, classify, score, train, evaluate."""


annotate.register(app)
info.register(app)
entity_commands.register_evaluate(evaluate_app)
abbreviation_commands.register_evaluate(evaluate_app)
learn_commands.register(app)
learn_commands.register_evaluate(evaluate_app)
deid_commands.register(app)
deid_commands.register_evaluate(evaluate_app)
context_commands.register_evaluate(evaluate_app)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (``medtext`` and ``python -m medtext``)."""
    command = typer.main.get_command(app)
    return command.main(args=list(argv) if argv is not None else None, prog_name="medtext", standalone_mode=True)
