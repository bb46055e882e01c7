"""Annotate one shard of documents: the unit of work of every backend.

A worker process builds its pipeline once (cached per settings) and turns
documents into serialized annotation records. A document the pipeline fails on
becomes a BadRecord; the rest of the shard is still annotated.

Example:
    >>> from medtext.io.records import Document
    >>> result = annotate_shard([Document("d1", "No fever.", "x.txt")], PipelineSettings())
    >>> result.count, result.errors
    (1, [])
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtext.batch.job import PipelineSettings
from medtext.batch.signature import pipeline_signature
from medtext.gc_control import collector_paused, fewer_collections
from medtext.io.records import BadRecord, Document

_PIPELINES: dict[tuple[Any, ...], Any] = {}
_BLAS_CHECKED_PID: list[int | None] = [None]
# Documents per task sent to a worker process: small enough that the last tasks of a
# run keep every worker busy, large enough that sending them costs little.
TASK_SIZE = 100
# Strings a worker keeps for good: below this, a task's new words stay in the vocabulary
# (spaCy would otherwise re-create a transient lexeme for every word of every task, which
# costs more than tokenizing); above it, each task runs in a memory zone so that a long
# run's memory stays bounded. About 1 KB per string, chunk cache included.
PERMANENT_STRINGS = 300_000
# Annotated once when a pipeline is built, to load what components load on first use.
WARM_UP_TEXT = "HISTORY: No fever."


@dataclass
class ShardResult:
    """Serialized records of a shard and its failures.

    JSONL output travels as one UTF-8 blob of lines (``jsonl``, ``lines`` records, each line
    ending in a newline): a worker encodes it once, and the run's process writes it as it is,
    without unpickling, joining and re-encoding one string per record. Parquet output
    travels as record dicts (``records``).

    Example:
        >>> ShardResult.join([ShardResult(b'{"id": "a"}\\n', 1), ShardResult(b'{"id": "b"}\\n', 1)]).jsonl
        b'{"id": "a"}\\n{"id": "b"}\\n'
    """

    jsonl: bytes = b""
    lines: int = 0  # records in ``jsonl``
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[BadRecord] = field(default_factory=list)
    pipeline: tuple[Any, ...] = ()  # :func:`pipeline_signature` of the pipeline that wrote the records

    @property
    def count(self) -> int:
        return self.lines + len(self.records)

    @classmethod
    def join(cls, parts: list[ShardResult]) -> ShardResult:
        """One result from the results of consecutive pieces of a shard, in order."""
        joined = cls(pipeline=parts[0].pipeline if parts else ())
        joined.jsonl = b"".join(part.jsonl for part in parts)
        for part in parts:
            joined.lines += part.lines
            joined.records += part.records
            joined.errors += part.errors
        return joined


def pieces(documents: list[Document], size: int = TASK_SIZE) -> list[list[Document]]:
    """A shard cut into tasks of ``size`` documents, so that workers share the work evenly.

    Example:
        >>> [len(p) for p in pieces([Document(str(i), "x", "f") for i in range(5)], 2)]
        [2, 2, 1]
    """
    return [documents[i : i + size] for i in range(0, len(documents), size)] or [[]]


def get_pipeline(settings: PipelineSettings) -> Any:
    """This process's pipeline for the settings, built on first use.

    Once built, the pipeline annotates one short text and loads its lexicons, so that
    what components load on first use (the shipped lexicon, its token tries and loose
    index, the PHI word lists) is loaded here, once, before workers fork. Then the
    objects alive (the pipeline, kept for the life of the process) are moved out of the
    cyclic garbage collector's reach (``gc.freeze``): collections no longer walk the
    pipeline's millions of objects (about 9% of the run time otherwise), and workers
    forked afterwards do not copy the pages the collector would touch.
    """
    one_blas_thread_per_worker()
    key = settings.key
    nlp = _PIPELINES.get(key)
    if nlp is None:
        import gc

        with collector_paused():  # building makes millions of long-lived objects: collections would only walk them
            from medtext.pipeline.regex_cache import precompiled_regexes

            with precompiled_regexes():
                nlp = _build_pipeline(settings)
            pipeline_signature(nlp)  # hashes the ~12 MB of resources once, here: forked workers inherit it
            _PIPELINES[key] = nlp
            gc.collect()  # (while paused: no young collection first walks them all again)
            gc.freeze()
    return nlp


def _build_pipeline(settings: PipelineSettings) -> Any:
    """A new pipeline for the settings, warmed up, with its lexicons loaded (see :func:`get_pipeline`)."""
    from medtext.pipeline.loader import load

    if settings.user_contents:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="medtext-user-files-") as folder:
            nlp = load(exclude=list(settings.exclude), user_files=settings.user_files_by_component(Path(folder)))
    else:
        nlp = load(exclude=list(settings.exclude), user_files=settings.user_files_by_component())
    nlp(WARM_UP_TEXT)
    for _, component in nlp.pipeline:
        if hasattr(component, "load_lexicons"):
            component.load_lexicons()
    return nlp


def one_blas_thread_per_worker() -> None:
    """In a worker process (a child of the run's process), let numpy's BLAS use one thread.

    The workers already use the cores; a BLAS thread per core in each of them would only
    compete. The run's own process limits itself only while it annotates (``--workers 1``:
    :func:`one_blas_thread`). Checked once per process: forked children inherit the parent's
    memory, so the check keys on the pid.
    """
    import multiprocessing
    import os

    if _BLAS_CHECKED_PID[0] == os.getpid():
        return
    _BLAS_CHECKED_PID[0] = os.getpid()
    if multiprocessing.parent_process() is not None:
        from medtext.pipeline.blas import limit_blas_threads

        limit_blas_threads(1)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread while a one-worker run annotates (then as it was).

    A second BLAS thread speeds up only the NER's large matrix products, about a quarter of
    the run, and its threads wait for each other by spinning: on the 1,655 PhysioNet notes a
    whole default run took 15.6-16.8 s of CPU with two threads and 10.6-12.4 s with one
    (identical output), and 32-35 s against 13-27 s of wall time on a machine whose cores
    other jobs were using.

    Example:
        >>> with one_blas_thread():
        ...     pass
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def start_method() -> str:
    """``fork`` where the platform has it (children inherit the loaded pipeline), else the default."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods else methods[0]


def annotate_shard(documents: list[Document], settings: PipelineSettings) -> ShardResult:
    """Annotate documents in order; returns records in the settings' output format."""
    from medtext.pipeline.record import doc_to_record

    nlp = get_pipeline(settings)
    result = ShardResult(pipeline=pipeline_signature(nlp))
    jsonl = settings.output_format == "jsonl"
    lines: list[str] = []
    with vocabulary_scope(nlp), fewer_collections():
        for document, doc in pipe_isolating_failures(nlp, documents, settings.batch_size, result.errors):
            record = doc_to_record(doc, document.id, include_text=settings.include_text)
            if jsonl:
                lines.append(json.dumps(record, ensure_ascii=False))
            else:
                result.records.append(record)
    if lines:
        lines.append("")  # every line ends in a newline
        result.jsonl, result.lines = "\n".join(lines).encode("utf-8"), len(lines) - 1
    return result


def vocabulary_scope(nlp: Any) -> AbstractContextManager[Any]:
    """Keep new strings while the vocabulary is small; past ``PERMANENT_STRINGS``, free
    each task's strings after it (spaCy's memory zone), so memory does not grow without bound.

    Example:
        >>> import spacy
        >>> with vocabulary_scope(spacy.blank("en")):
        ...     pass
    """
    if len(nlp.vocab.strings) < PERMANENT_STRINGS:
        return nullcontext()
    return nlp.memory_zone()


def pipe_isolating_failures(
    nlp: Any, documents: list[Document], batch_size: int, errors: list[BadRecord]
) -> Iterator[tuple[Document, Any]]:
    """Yield (document, doc); if a batch fails, redo it one by one so only the culprit
    becomes a BadRecord (appended to ``errors``) and nothing else is lost."""
    for begin in range(0, len(documents), batch_size):
        batch = documents[begin : begin + batch_size]
        try:
            docs = list(nlp.pipe((d.text for d in batch), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - isolate the bad record below
            docs = None
        if docs is not None:
            yield from zip(batch, docs)
            continue
        for document in batch:
            try:
                doc = nlp(document.text)
            except Exception as err:  # noqa: BLE001 - recorded, never lost
                errors.append(BadRecord(document.id, document.source, document.line, f"pipeline error ({type(err).__name__})"))
                continue
            yield document, doc
