"""Shards cut into the tasks workers run: ``TASK_SIZE`` documents each, except the run's last
documents, which go out in small tasks of about equal length so that the workers finish together.

Used by both parallel back-ends (the local process pool and Dask).

Example:
    >>> shard = (0, [Document(str(i), "No fever.", "x") for i in range(150)], [])
    >>> [len(t) for t in next(cut_into_tasks(iter([shard]), tail=50))[1]]
    [100, 17, 16, 17]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from medtext.batch.worker import TASK_SIZE, pieces
from medtext.io.records import BadRecord, Document

Shard = tuple[int, list[Any], list[BadRecord]]

# Documents per task (on average; tasks of about equal length in characters) in the last ``workers *
# TASK_SIZE`` documents of a run: when the workers run out of full tasks they finish at different times
# (up to one task apart); small tasks at the end fill the gap.
TAIL_TASK_SIZE = 20


def cut_into_tasks(pending: Iterator[Shard], tail: int) -> Iterator[Shard]:
    """Yield the shards with their documents cut into tasks: of ``TASK_SIZE`` documents, except the last
    ``tail`` documents of the run (or up to ``TASK_SIZE`` more), in small tasks of about equal length
    (:func:`small_tasks`).

    Reads ahead until ``tail`` documents follow the shard it yields (or the input ends). A shard
    without documents is one empty task, so that it still gets a result.

    Example:
        >>> shard = (0, [Document(str(i), "No fever.", "x") for i in range(150)], [])
        >>> [len(t) for t in next(cut_into_tasks(iter([shard]), tail=50))[1]]
        [100, 17, 16, 17]
    """
    ahead: deque[Shard] = deque()
    documents_ahead = 0
    for shard in pending:
        ahead.append(shard)
        documents_ahead += len(shard[1])
        while ahead and documents_ahead - len(ahead[0][1]) >= tail:
            number, docs, bad = ahead.popleft()
            documents_ahead -= len(docs)
            yield number, pieces(docs), bad
    # The input has ended: the run's last documents are all here.
    full_tasks = []
    for _, docs, _ in ahead:
        documents_ahead -= len(docs)
        in_tail = min(len(docs), max(0, tail - documents_ahead))
        full_tasks.append((len(docs) - in_tail) // TASK_SIZE * TASK_SIZE)
    end = [len(d.text) for (_, docs, _), full in zip(ahead, full_tasks) for d in docs[full:]]
    budget = max(1.0, sum(end) / max(1, -(-len(end) // TAIL_TASK_SIZE)))
    for (number, docs, bad), full in zip(ahead, full_tasks):
        tasks = (pieces(docs[:full]) if full else []) + small_tasks(docs[full:], budget)
        yield number, tasks or [[]], bad


def small_tasks(documents: list[Document], budget: float) -> list[list[Document]]:
    """Consecutive documents in tasks of about ``budget`` characters: a document goes to the task its
    middle character falls in.

    Example:
        >>> [len(t) for t in small_tasks([Document(str(i), "x" * n, "f") for i, n in enumerate([5, 5, 9, 2, 2, 7])], 10)]
        [2, 1, 3]
    """
    tasks: dict[int, list[Document]] = {}
    done = 0
    for document in documents:
        tasks.setdefault(int((done + len(document.text) / 2) // budget), []).append(document)
        done += len(document.text)
    return list(tasks.values())
