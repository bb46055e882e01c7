"""A rich progress display on stderr (records, records/s, failed, elapsed), only on a terminal.

The display starts on the first update, so worker processes are forked before
its refresh thread exists.

Example:
    >>> with record_progress(enabled=False) as update:
    ...     update(10, 0)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any


@contextmanager
def record_progress(enabled: bool = True, label: str = "processing", total: int | None = None) -> Iterator[Callable[[int, int], None]]:
    """Yield ``update(done, failed)``; draws nothing when disabled or stderr is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done, failed: None
        return
    with ExitStack() as stack:
        state: dict[str, Any] = {}

        def update(done: int, failed: int) -> None:
            if not state:
                state["progress"], state["task"] = _start(stack, label, total)
            progress, task = state["progress"], state["task"]
            elapsed = progress.tasks[task].elapsed or 0.0
            rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "-"
            progress.update(task, completed=done, rate=rate, failed=failed)

        yield update


def _start(stack: ExitStack, label: str, total: int | None) -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]} docs/s"),
               TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TimeRemainingColumn()]
    progress = stack.enter_context(Progress(*columns, console=Console(stderr=True), transient=True))
    return progress, progress.add_task(label, total=total, rate="-", failed=0)
