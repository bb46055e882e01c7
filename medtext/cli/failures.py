"""How the command line fails: one line on stderr, a meaningful exit code, no traceback.

Exit codes: 0 all records done; 1 some records failed (the rest were written);
2 the command could not run (bad arguments, unreadable input).

Example:
    >>> one_line("Option --workers must be at least 1.\\nSee --help.")
    'Option --workers must be at least 1. See --help.'
"""

from __future__ import annotations

import os
import sys

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_CANNOT_RUN = 2


def one_line(message: str) -> str:
    """Fold a message onto a single line."""
    return " ".join(str(message).split())


def fail(message: str, prog: str = "medtext") -> None:
    """Print ``prog: error: message`` as one stderr line."""
    sys.stderr.write(f"{prog}: error: {one_line(message)}\n")
    sys.stderr.flush()


def debug_enabled() -> bool:
    """``MEDTEXT_DEBUG=1`` shows tracebacks of unexpected errors (may contain text)."""
    return os.environ.get("MEDTEXT_DEBUG", "") not in ("", "0", "false", "no")


def warn(message: str, prog: str = "medtext") -> None:
    """Print ``prog: warning: message`` as one stderr line (the command goes on).

    Example:
        >>> warn("[W040] 2 record(s) have an id ...", "medtext annotate")  # doctest: +SKIP
    """
    sys.stderr.write(f"{prog}: warning: {one_line(message)}\n")
    sys.stderr.flush()


def warn_duplicate_ids(report: tuple[int, str, int | None] | None, prog: str) -> None:
    """The W040 line of a batch run whose record ids repeat (nothing when they do not)."""
    from medtext.batch.duplicate_ids import duplicate_warning

    message = duplicate_warning(report)
    if message:
        warn(message, prog)


def stdout_closed() -> bool:
    """Whether standard output is a pipe whose reader has gone (``medtext ... | head -1``).

    A ``BrokenPipeError`` from elsewhere (a socket of a Dask cluster) is a failure; this tells
    the two apart by asking the kernel about standard output itself (False where it cannot tell).

    Example:
        >>> stdout_closed() in (True, False)
        True
    """
    import select

    try:
        poller = select.poll()
        poller.register(sys.__stdout__.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), no stdout
        return False


def silence_stdout() -> None:
    """Send what is still buffered for standard output to /dev/null, so that exiting does not
    report the closed pipe again ("Exception ignored ... BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (AttributeError, OSError, ValueError):
        pass
