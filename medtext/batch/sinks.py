"""Where annotation records go: stdout, one file, or a folder of shards with a manifest.

Files being written never carry their final extension: they are written as
``<name>.partial`` and renamed when complete, so a crash leaves no file that
looks finished. A folder run commits each shard as: shard file renamed, its
errors appended to the errors file, then the manifest rewritten (atomically) with
the shard and the errors file's length. A resumed run trusts only the manifest,
and only when the options and the input files (their list, sizes and a hash of
both ends of each) are those the manifest recorded.

Example:
    >>> ErrorsLog(Path("out.errors.jsonl")).path.name
    'out.errors.jsonl'
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, BinaryIO

from medtext.batch.job import AnnotateJob
from medtext.batch.worker import ShardResult
from medtext.errors import Errors, InputError
from medtext.io.records import BadRecord

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
_OWN_FILE = re.compile(
    r"manifest\.json(\.partial)?"  # the manifest and its temporary name
    r"|part-\d{5,}\.(jsonl|parquet)(\.partial)?"  # shards, and JSONL shards being written
    r"|\.part-\d{5,}\.(jsonl|parquet)\.[0-9a-f]{12}\.part"  # Parquet shards being written (medtext.io.writers.temp_path)
)


ERROR_KEYS = frozenset(("id", "source", "line", "reason"))
"""The keys of every errors-file line (``BadRecord.to_dict``), and nothing else."""


def is_errors_file(path: Path, limit: int | None = None) -> bool:
    """True when ``path`` holds only errors-file lines as medtext writes them (its first ``limit`` bytes).

    Every line must be a JSON object with exactly the keys id, source, line and reason.
    Without ``limit`` an unfinished last line is allowed when it starts like one of
    ours (a run killed while appending); with ``limit`` the prefix must end at a line end.

    Example:
        >>> is_errors_file(Path("/nonexistent.errors.jsonl"))
        False
    """
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except OSError:
        return False
    with fh:
        remaining = limit
        for raw in fh:
            if remaining is not None:
                if remaining <= 0:
                    break
                raw = raw[:remaining]
                remaining -= len(raw)
            if not raw.endswith(b"\n"):
                return limit is None and raw.startswith(b'{"id": ') and not fh.read(1)
            try:
                obj = json.loads(raw)
            except ValueError:
                return False
            if not isinstance(obj, dict) or set(obj) != ERROR_KEYS:
                return False
    return remaining is None or remaining <= 0


class ErrorsLog:
    """The errors file: one JSON line per failed record, created only when needed.

    It never removes or truncates a file medtext did not write: an existing file
    is replaced only when it is empty or holds nothing but errors-file lines
    (see :func:`is_errors_file`); anything else stops the run (E117) before any
    output is written. A device such as ``/dev/null`` is written to, never removed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: BinaryIO | None = None

    def check(self) -> None:
        """Raise InputError E117 unless the path is new, empty, a device, or an errors file medtext wrote."""
        p = self.path
        if p.is_dir():
            raise InputError(Errors.E117.format(path=p, detail="it is a folder; give a file name with --errors"))
        if not p.is_file() or p.stat().st_size == 0:
            return
        if not is_errors_file(p):
            raise InputError(Errors.E117.format(
                path=p, detail="the file exists and is not a medtext errors file (medtext only replaces errors files it "
                               "wrote); move it away, or give another path with --errors"))

    def reset(self, keep_bytes: int | None = None) -> None:
        """Start afresh (remove an earlier errors file of ours), or keep only its first ``keep_bytes`` (resume)."""
        p = self.path
        if keep_bytes:
            if not p.is_file() or p.stat().st_size < keep_bytes or not is_errors_file(p, keep_bytes):
                raise InputError(Errors.E117.format(
                    path=p, detail=f"it does not hold the {keep_bytes} bytes of errors the interrupted run recorded "
                                   "(it was changed or removed since); restore it, or rerun without --resume to start over"))
            with open(p, "r+b") as fh:
                fh.truncate(keep_bytes)
            return
        self.check()
        if p.is_file() and p.stat().st_size:
            p.unlink()

    def append(self, errors: list[BadRecord]) -> None:
        if not errors:
            return
        if self._fh is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "ab")  # noqa: SIM115
            except OSError as exc:
                raise InputError(Errors.E117.format(path=self.path, detail=f"cannot write it ({exc.strerror or type(exc).__name__}); give an --errors path in a folder you can write to")) from None
        payload = "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in errors)
        self._fh.write(payload.encode("utf-8"))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class Sink:
    """Base: receives shard results in shard order; ``done_shards`` are skipped on resume."""

    def __init__(self, job: AnnotateJob, errors: ErrorsLog) -> None:
        self.job = job
        self.errors = errors
        self.done_shards: set[int] = set()
        self.already_done = 0

    def commit(self, shard: int, result: ShardResult, bad: list[BadRecord]) -> None:
        raise NotImplementedError

    def close(self, complete: bool) -> None:
        self.errors.close()


class StdoutSink(Sink):
    """JSON lines on stdout, in input order."""

    def __init__(self, job: AnnotateJob, errors: ErrorsLog) -> None:
        super().__init__(job, errors)
        if job.resolved_format != "jsonl":
            raise InputError(Errors.E008.format(path="-", detail="only JSONL can go to stdout; give a .parquet file or a folder"))
        errors.reset()

    def commit(self, shard: int, result: ShardResult, bad: list[BadRecord]) -> None:
        if result.jsonl:
            write_bytes(sys.stdout, result.jsonl)
        self.errors.append(bad + result.errors)


def write_bytes(stream: Any, data: bytes) -> None:
    """UTF-8 ``data`` to a text stream: to its byte buffer when it has one (after what was written as text), else decoded.

    Example:
        >>> write_bytes(sys.stdout, b"{}\\n")
        {}
    """
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()
    stream.flush()


class FileSink(Sink):
    """One JSONL or Parquet file, written as ``<name>.partial`` and renamed at the end."""

    def __init__(self, job: AnnotateJob, errors: ErrorsLog) -> None:
        super().__init__(job, errors)
        self.path = Path(job.output)
        if self.path.is_dir():
            raise InputError(Errors.E008.format(path=job.output, detail="it is a folder; use a name without .jsonl/.parquet for folder output"))
        if not self.path.parent.is_dir():
            raise InputError(Errors.E008.format(path=job.output, detail=f"folder '{self.path.parent}' does not exist; create it first or give an -o path in an existing folder"))
        errors.reset()
        try:
            self.writer = open_record_writer(self.path, job.resolved_format, job.include_text)
        except OSError as exc:
            raise InputError(Errors.E008.format(path=job.output, detail=f"cannot create it ({exc.strerror or type(exc).__name__}); give an -o path in a folder you can write to")) from None

    def commit(self, shard: int, result: ShardResult, bad: list[BadRecord]) -> None:
        self.writer.write(result)
        self.errors.append(bad + result.errors)

    def close(self, complete: bool) -> None:
        self.writer.close(commit=complete)
        super().close(complete)


class FolderSink(Sink):
    """Shards ``part-00000.jsonl`` (or ``.parquet``) plus ``manifest.json``, resumable."""

    def __init__(self, job: AnnotateJob, errors: ErrorsLog) -> None:
        super().__init__(job, errors)
        self.folder = Path(job.output)
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(Errors.E008.format(path=job.output, detail="it is a file; give a folder, or a .jsonl/.parquet file name"))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(Errors.E008.format(path=job.output, detail=f"cannot create the folder ({exc.strerror or type(exc).__name__}); give an -o folder you can write to")) from None
        self.suffix = "." + job.resolved_format
        self.manifest: dict[str, Any] = {}
        previous = self._read_manifest() if job.resume else None
        if previous is not None:
            if previous.get("job") != job.fingerprint():
                raise InputError(Errors.E008.format(path=job.output, detail="it was written with other inputs or options; rerun without --resume to start over"))
            _check_same_inputs(job.output, previous.get("inputs_state"), job.input_state())
            self.manifest = previous
            self.done_shards = {int(k) for k in previous["shards"]}
            self.already_done = sum(s["records"] + s["errors"] for s in previous["shards"].values())
            errors.reset(keep_bytes=previous.get("errors_bytes", 0))
        else:
            errors.reset()  # refuses a file medtext did not write before anything in the folder is touched
            self._clear()
            self.manifest = {"version": MANIFEST_VERSION, "job": job.fingerprint(), "inputs_state": job.input_state(),
                             "errors_file": str(errors.path), "shards": {}, "errors_bytes": 0, "complete": False}
            self._write_manifest()

    def shard_path(self, shard: int) -> Path:
        return self.folder / f"part-{shard:05d}{self.suffix}"

    def commit(self, shard: int, result: ShardResult, bad: list[BadRecord]) -> None:
        path = self.shard_path(shard)
        writer = open_record_writer(path, self.job.resolved_format, self.job.include_text)
        writer.write(result)
        writer.close(commit=True)
        failed = bad + result.errors
        self.errors.append(failed)
        self.manifest["shards"][str(shard)] = {"file": path.name, "records": result.count, "errors": len(failed)}
        self.manifest["errors_bytes"] = self.errors.size()
        self._write_manifest()

    def close(self, complete: bool) -> None:
        self.manifest["complete"] = complete
        self._write_manifest()
        super().close(complete)

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.folder / MANIFEST
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            raise InputError(Errors.E008.format(path=path, detail="the manifest is unreadable; rerun without --resume to start over")) from None
        if data.get("version") != MANIFEST_VERSION:
            raise InputError(Errors.E008.format(path=path, detail="the manifest is from another medtext version; rerun without --resume"))
        return data

    def _write_manifest(self) -> None:
        path = self.folder / MANIFEST
        partial = path.with_name(MANIFEST + ".partial")
        partial.write_text(json.dumps(self.manifest, indent=1), encoding="utf-8")
        os.replace(partial, path)

    def _clear(self) -> None:
        """Remove our own files from an earlier run (never anything else): shards, their temporary files, the manifest."""
        for child in self.folder.iterdir():
            if child.is_file() and _OWN_FILE.fullmatch(child.name):
                child.unlink()


def _check_same_inputs(output: str, recorded: Any, current: list[list[Any]]) -> None:
    """Refuse to resume when the input files are not, byte for byte at both ends and in size, those of the run."""
    fix = "start without --resume (the shards are then written afresh), or restore the input"
    if not isinstance(recorded, list):
        detail = "its manifest holds no fingerprint of the inputs (an older medtext wrote it), so the resume cannot be checked; rerun without --resume to start over"
        raise InputError(Errors.E008.format(path=output, detail=detail))
    before = {entry[0]: entry for entry in recorded if isinstance(entry, list) and entry}
    now = {entry[0]: entry for entry in current}
    for path in now:
        if path not in before:
            raise InputError(Errors.E008.format(path=output, detail=f"the input '{path}' is new since the interrupted run; {fix}"))
    for path in before:
        if path not in now:
            raise InputError(Errors.E008.format(path=output, detail=f"the input '{path}' of the interrupted run is gone; {fix}"))
    for path, entry in now.items():
        if before[path] != entry:
            raise InputError(Errors.E008.format(path=output, detail=f"the input '{path}' changed since the interrupted run (its size or content differs); {fix}"))
    if [e[0] for e in recorded] != [e[0] for e in current]:
        raise InputError(Errors.E008.format(path=output, detail=f"the input files are read in another order than in the interrupted run; {fix}"))


class _JsonlShardWriter:
    """Pre-serialized JSON lines (UTF-8 bytes) to ``<path>.partial``, renamed to ``path`` on commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fh = open(self.partial, "wb")  # noqa: SIM115

    def write(self, result: ShardResult) -> None:
        self.fh.write(result.jsonl)

    def close(self, commit: bool = True) -> None:
        self.fh.close()
        if commit:
            os.replace(self.partial, self.path)


class _ParquetShardWriter:
    """Record dicts through ``medtext.io.ParquetWriter`` (temporary name, renamed on commit)."""

    def __init__(self, path: Path, include_text: bool) -> None:
        from medtext.io.writers import ParquetWriter

        self.writer = ParquetWriter(path, include_text=include_text)

    def write(self, result: ShardResult) -> None:
        self.writer.write_many(result.records)

    def close(self, commit: bool = True) -> None:
        if commit:
            self.writer.close()
        else:
            self.writer.abort()


def open_record_writer(path: Path, fmt: str, include_text: bool) -> Any:
    """A writer of shard results that publishes ``path`` only when closed with ``commit=True``."""
    if fmt == "parquet":
        return _ParquetShardWriter(path, include_text)
    return _JsonlShardWriter(path)


def open_sink(job: AnnotateJob) -> Sink:
    """The sink for the job's ``-o`` (stdout, file or folder)."""
    errors = ErrorsLog(job.resolved_errors_path)
    kind = job.output_kind
    if kind == "stdout":
        return StdoutSink(job, errors)
    if kind == "file":
        return FileSink(job, errors)
    return FolderSink(job, errors)
