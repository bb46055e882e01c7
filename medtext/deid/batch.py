"""``medtext deid`` over a corpus: read like ``annotate``, write ``{id, text}`` records, lose nothing.

Every input record ends up in the output or, with its id, source, line and a
text-free reason, in the errors file (the batch layer's ``ErrorsLog``).

Example:
    >>> summary = deid_corpus(DeidJob(inputs=["notes/"], output="out.jsonl"))  # doctest: +SKIP
    >>> summary.line()  # doctest: +SKIP
    'de-identified 3 records, 0 failed in 0.4s'
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from medtext.batch.worker import pipe_isolating_failures
from medtext.deid.ids import NewIds, check_id_options
from medtext.deid.transform import apply_spans, check_mode, run_seed
from medtext.errors import Errors, InputError
from medtext.io.records import BadRecord, Document

Progress = Callable[[int, int], None]


@dataclass
class DeidJob:
    """One ``medtext deid`` run."""

    inputs: list[str]
    output: str
    mode: str = "redact"
    seed: int | None = None  # the key of the surrogates and date shifts; None: a fresh random one (see ``run_seed``)
    input_format: str | None = None
    id_field: str = "id"
    text_field: str = "text"
    encoding: str | None = None
    errors_path: str | None = None
    max_chars: int = 1_000_000
    batch_size: int = 64
    write_txt: bool = True
    ids: str = "keep"  # or "number": ids 1, 2, 3 ... in output order (see medtext.deid.ids)
    id_map: str | None = None  # with ids="number": where to write {id, original_id, source, line} per record


@dataclass
class DeidSummary:
    processed: int = 0
    failed: int = 0
    errors_path: str = ""
    elapsed: float = 0.0
    phi: int = 0
    duplicate_ids: tuple[int, str, int | None] | None = None  # DuplicateIds.report()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        text = f"de-identified {self.processed} record{'s' * (self.processed != 1)} ({self.phi} PHI spans), {self.failed} failed in {self.elapsed:.1f}s"
        if self.failed:
            text += f" (reasons in {self.errors_path})"
        return text


def txt_copy_path(folder: Path, doc_id: str) -> Path | None:
    """Where the de-identified copy of a ``.txt`` input goes: its id (the path below the input
    folder, e.g. ``a/x.txt``) under ``folder``; ``None`` for an id that would leave it.

    Example:
        >>> txt_copy_path(Path("out"), "a/x.txt").as_posix(), txt_copy_path(Path("out"), "../x.txt")
        ('out/a/x.txt', None)
    """
    parts = PurePosixPath(doc_id.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or any(p in (".", "..") or ":" in p for p in parts):
        return None
    return folder.joinpath(*parts)


class _Output:
    """stdout, one ``.jsonl`` file (written as ``.partial``, then renamed), or a folder."""

    def __init__(self, job: DeidJob) -> None:
        self.job = job
        self.kind = "stdout" if job.output == "-" else "file" if job.output.lower().endswith(".jsonl") else "folder"
        self.folder: Path | None = None
        self._fh: TextIO
        if self.kind == "stdout":
            self._fh = sys.stdout
            return
        if self.kind == "file":
            self.path = Path(job.output)
            _check_output_kind(job.output, self.kind)
            if not self.path.parent.exists():
                raise InputError(Errors.E008.format(path=job.output, detail=f"its folder '{self.path.parent}' does not exist"))
        else:
            self.folder = Path(job.output)
            _check_output_kind(job.output, self.kind)
            self.folder.mkdir(parents=True, exist_ok=True)
            self.path = self.folder / "deidentified.jsonl"
        self.partial = self.path.with_name(self.path.name + ".partial")
        self._fh = open(self.partial, "w", encoding="utf-8", newline="\n")

    def write(self, document: Document, text: str, new_ids: NewIds) -> None:
        out_id = new_ids.assign(document)
        self._fh.write(json.dumps({"id": out_id, "text": text}, ensure_ascii=False) + "\n")
        if self.folder is not None and self.job.write_txt and str(document.source).lower().endswith(".txt"):
            target = txt_copy_path(self.folder, new_ids.txt_name(out_id, document.id))
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(target.name + ".partial")
                partial.write_text(text, encoding="utf-8", newline="")
                os.replace(partial, target)

    def close(self, complete: bool) -> None:
        if self.kind == "stdout":
            self._fh.flush()
            return
        self._fh.close()
        if complete:
            os.replace(self.partial, self.path)


def deid_corpus(job: DeidJob, nlp: Any = None, progress: Progress | None = None) -> DeidSummary:
    """De-identify every record of the job's inputs (see module docstring)."""
    from medtext.batch.duplicate_ids import DuplicateIds
    from medtext.batch.job import AnnotateJob
    from medtext.batch.runner import read_items
    from medtext.batch.sinks import ErrorsLog
    from medtext.deid import phi_pipeline

    check_mode(job.mode)
    if job.max_chars < 1:
        raise InputError(Errors.E011.format(option="--max-chars", expected="at least 1", found=job.max_chars))
    if not job.output.strip():
        raise InputError(Errors.E011.format(option="-o", expected="'-' (stdout), a .jsonl file or a folder", found=repr(job.output)))
    check_deid_paths(job)
    seed = run_seed(job.seed)
    started = time.perf_counter()
    reading = AnnotateJob(inputs=list(job.inputs), output=job.output, input_format=job.input_format, id_field=job.id_field,
                          text_field=job.text_field, encoding=job.encoding, errors_path=job.errors_path, max_chars=job.max_chars)
    errors_path = deid_errors_path(job, reading)
    ids = DuplicateIds()
    items = read_items(reading, ids)  # raises before any output exists when the input is unreadable
    nlp = nlp or phi_pipeline()
    out = _Output(job)
    new_ids = NewIds(job.ids, job.id_map)
    errors = ErrorsLog(errors_path)
    errors.reset()
    summary = DeidSummary(errors_path=str(errors_path))
    complete = False
    try:
        batch: list[Document] = []
        for item in _with_end(items):
            if isinstance(item, BadRecord):
                errors.append([item])
                summary.failed += 1
            elif item is not None:
                batch.append(item)
            if batch and (item is None or len(batch) >= job.batch_size):
                failed: list[BadRecord] = []
                for document, doc in pipe_isolating_failures(nlp, batch, len(batch), failed):
                    spans = doc._.phi or []
                    try:
                        text = apply_spans(document.text, spans, job.mode, seed=seed, doc_key=document.id)
                    except Exception as err:  # noqa: BLE001 - recorded, never lost (the reason names no text)
                        failed.append(BadRecord(document.id, document.source, document.line,
                                                f"de-identification error ({type(err).__name__})"))
                        continue
                    out.write(document, text, new_ids)
                    summary.processed += 1
                    summary.phi += len(spans)
                errors.append(failed)
                summary.failed += len(failed)
                batch = []
                if progress is not None:
                    progress(summary.processed, summary.failed)
        complete = True
    finally:
        out.close(complete)
        new_ids.close(complete)
        errors.close()
    summary.duplicate_ids = ids.report()
    summary.elapsed = time.perf_counter() - started
    return summary


def check_deid_paths(job: DeidJob) -> None:
    """Refuse, before anything is written, an output or errors path that would replace an input (or each other).

    The errors path is the one ``deid_corpus`` uses (``--errors``, else ``<name>.errors.jsonl``
    beside the output); an existing errors file is replaced only when medtext wrote it.
    """
    from medtext.batch.job import AnnotateJob
    from medtext.batch.paths import check_output_location, check_output_paths

    reading = AnnotateJob(inputs=list(job.inputs), output=job.output, errors_path=job.errors_path)
    errors = deid_errors_path(job, reading)
    kind = "stdout" if job.output == "-" else "file" if job.output.lower().endswith(".jsonl") else "folder"
    _check_output_kind(job.output, kind)
    check_output_location(job.output, kind, errors, errors_given=bool(job.errors_path))
    files = check_output_paths(job.inputs, job.input_format, job.output, errors)
    check_id_options(job.ids, job.id_map, job.output, [*files, str(errors)])
    if job.output != "-" and not job.output.lower().endswith(".jsonl") and job.write_txt:
        _check_txt_copies(job, files)


def _check_output_kind(output: str, kind: str) -> None:
    """E008 for a ``.jsonl`` output that is a folder, or a folder output that is a file (deid writes no Parquet)."""
    path = Path(output)
    if kind == "file" and path.is_dir():
        raise InputError(Errors.E008.format(path=output, detail="it is a folder; give a .jsonl file name, or a name without .jsonl for folder output"))
    if kind == "folder" and path.exists() and not path.is_dir():
        raise InputError(Errors.E008.format(path=output, detail="it is a file; give a folder, or a file name ending in .jsonl"))


def _check_txt_copies(job: DeidJob, files: list[str]) -> None:
    """A folder output also gets a de-identified copy of each ``.txt`` input at its id below the
    folder (``deid_corpus``): refuse when two copies would have the same path, or a copy would
    replace an input."""
    from medtext.batch.paths import same_path
    from medtext.io.dispatch import text_ids

    folder = Path(job.output)
    if job.ids == "number":  # copies 1.txt, 2.txt ...: none may be an input
        for f in files:
            if re.fullmatch(r"\d+\.txt", Path(f).name) and same_path(Path(f).parent, folder):
                detail = f"the input '{f}' is in it and could be replaced by a numbered .txt copy; give another output folder"
                raise InputError(Errors.E008.format(path=job.output, detail=detail))
        return
    seen: dict[Path, str] = {}
    for path, doc_id in text_ids(job.inputs, job.input_format):
        target = txt_copy_path(folder, doc_id)
        if target is None:
            continue
        if target in seen:
            detail = (f"the .txt inputs '{seen[target]}' and '{path}' would both be written to '{target}'; "
                      "write to a .jsonl file instead (-o out.jsonl), or de-identify them in separate runs")
            raise InputError(Errors.E008.format(path=job.output, detail=detail))
        seen[target] = path
        if target.exists() and any(same_path(target, f) for f in files):
            detail = f"the de-identified copy '{target}' would replace the input of that name; give another output folder"
            raise InputError(Errors.E008.format(path=job.output, detail=detail))


def deid_errors_path(job: DeidJob, reading: Any) -> Path:
    """``--errors``, else ``<name>.errors.jsonl`` beside the output file or folder."""
    if job.errors_path or job.output == "-" or job.output.lower().endswith(".jsonl"):
        return reading.resolved_errors_path
    from medtext.batch.job import errors_path_beside

    return errors_path_beside(job.output, folder=True)


def _with_end(items: Any) -> Iterator[Any]:
    yield from items
    yield None
