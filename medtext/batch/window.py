"""Keep a bounded number of shards in flight and yield their results in shard order.

Example:
    >>> list(in_order(iter([(0, [], []), (1, [], [])]), submit=lambda docs: docs, result=lambda f: f, size=1))
    [(0, [], []), (1, [], [])]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from medtext.io.records import BadRecord


def in_order(
    pending: Iterator[tuple[int, list[Any], list[BadRecord]]],
    submit: Callable[[list[Any]], Any],
    result: Callable[[Any], Any],
    size: int,
) -> Iterator[tuple[int, Any, list[BadRecord]]]:
    """Submit shards as slots free up (at most ``size`` in flight); yield (shard, result, bad) in order."""
    window: deque[tuple[int, Any, list[BadRecord]]] = deque()
    for shard, docs, bad in pending:
        window.append((shard, submit(docs), bad))
        if len(window) >= size:
            number, future, failed = window.popleft()
            yield number, result(future), failed
    while window:
        number, future, failed = window.popleft()
        yield number, result(future), failed
