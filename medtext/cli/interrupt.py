"""Ctrl-C on the command line: the command stops, says so in one line, and exits 130.

A ``KeyboardInterrupt`` that arrives while Python runs a finalizer or a weak-reference
callback (spaCy and the garbage collector run many) cannot propagate: Python prints it
as "Exception ignored ..." with a traceback and the run goes on. :func:`interrupts_kept`
catches those and raises the interrupt again in the main thread, so Ctrl-C always stops.

Example:
    >>> with interrupts_kept():
    ...     pass
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

EXIT_INTERRUPTED = 130
"""The shell's convention for a command stopped by SIGINT (128 + 2)."""


@contextmanager
def interrupts_kept() -> Iterator[None]:
    """Within the block, an interrupt swallowed by a finalizer is raised again in the main thread."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            _interrupt_main_soon(hook.__code__)
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _interrupt_main_soon(hook_code: Any) -> None:
    """Run the SIGINT handler in the main thread once the hook has returned: from another thread
    that waits for it (a KeyboardInterrupt raised inside the hook would be swallowed again)."""
    import _thread
    import threading
    import time

    main = threading.main_thread().ident

    def in_hook() -> bool:
        frame = sys._current_frames().get(main)
        while frame is not None:
            if frame.f_code is hook_code:
                return True
            frame = frame.f_back
        return False

    def later() -> None:
        deadline = time.monotonic() + 1.0
        while in_hook() and time.monotonic() < deadline:
            time.sleep(0.001)
        _thread.interrupt_main()

    threading.Thread(target=later, name="medtext-interrupt", daemon=True).start()
