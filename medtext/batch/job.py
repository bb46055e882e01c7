"""What an annotation run is asked to do, and what it reports back.

Example:
    >>> job = AnnotateJob(inputs=["notes/"], output="out/", workers=2)
    >>> job.output_kind, job.resolved_format
    ('folder', 'jsonl')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

OUTPUT_FORMATS = ("jsonl", "parquet")
BACKENDS = ("local", "dask")
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_SHARD_SIZE = 1000
DEFAULT_BATCH_SIZE = 256  # documents per nlp.pipe call (the NER bounds its own memory per batch)


@dataclass(frozen=True)
class PipelineSettings:
    """What a worker needs to build its pipeline and serialize records (picklable).

    ``user_contents`` (see :meth:`with_contents`) carries the bytes of the user files, one per
    ``user_files`` entry, for workers that may not see the client's files (a Dask cluster on
    other machines, or started in another folder): they build from the bytes instead of the paths.
    """

    exclude: tuple[str, ...] = ()
    include_text: bool = True
    output_format: str = "jsonl"
    batch_size: int = DEFAULT_BATCH_SIZE
    user_files: tuple[tuple[str, str], ...] = ()  # (component, path): user rules and lexicons
    user_contents: tuple[bytes, ...] = ()

    @cached_property
    def key(self) -> tuple[Any, ...]:
        """Workers cache one pipeline per key (computed once: the user files' bytes may be megabytes)."""
        import hashlib

        return (self.exclude, self.user_files, tuple(hashlib.sha256(c).hexdigest() for c in self.user_contents))

    def with_contents(self) -> PipelineSettings:
        """These settings with the user files' bytes read in (read here, on the client).

        Example:
            >>> PipelineSettings().with_contents().user_contents
            ()
        """
        from dataclasses import replace

        return replace(self, user_contents=tuple(Path(path).read_bytes() for _, path in self.user_files))

    def user_files_by_component(self, folder: Path | None = None) -> dict[str, list[str]]:
        """The user files of each component; with ``user_contents``, copies written into ``folder``
        (each in its own subfolder, under its own file name: formats are told by the extension)."""
        grouped: dict[str, list[str]] = {}
        for number, (component, path) in enumerate(self.user_files):
            if self.user_contents:
                if folder is None:
                    raise ValueError("settings with user_contents need a folder to write them to")
                copy = folder / str(number) / Path(path).name
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(self.user_contents[number])
                path = str(copy)
            grouped.setdefault(component, []).append(path)
        return grouped


@dataclass
class AnnotateJob:
    """One ``medtext annotate`` run (the CLI's options, validated by the runner)."""

    inputs: list[str]
    output: str
    input_format: str | None = None
    output_format: str | None = None
    id_field: str = "id"
    text_field: str = "text"
    label_field: str = "label"
    encoding: str | None = None
    workers: int = 1
    backend: str = "local"
    scheduler: str | None = None
    exclude: tuple[str, ...] = ()
    resume: bool = False
    errors_path: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    include_text: bool = True
    shard_size: int = DEFAULT_SHARD_SIZE
    batch_size: int = DEFAULT_BATCH_SIZE
    user_files: tuple[tuple[str, str], ...] = ()

    @property
    def output_kind(self) -> str:
        """``stdout``, ``file`` (``.jsonl`` / ``.parquet``) or ``folder`` (anything else)."""
        if self.output == "-":
            return "stdout"
        if Path(self.output).suffix.lower() in (".jsonl", ".parquet"):
            return "file"
        return "folder"

    @property
    def resolved_format(self) -> str:
        """The output format: ``--format``, else the file extension, else jsonl."""
        if self.output_format:
            return self.output_format
        suffix = Path(self.output).suffix.lower()
        return "parquet" if suffix == ".parquet" else "jsonl"

    @property
    def resolved_errors_path(self) -> Path:
        """``--errors``, else ``<name>.errors.jsonl`` beside the output (``stdout.errors.jsonl`` for ``-``)."""
        if self.errors_path:
            return Path(self.errors_path)
        if self.output_kind == "stdout":
            return Path("stdout.errors.jsonl")
        return errors_path_beside(self.output, folder=self.output_kind == "folder")

    def settings(self) -> PipelineSettings:
        return PipelineSettings(
            exclude=tuple(self.exclude),
            include_text=self.include_text,
            output_format=self.resolved_format,
            batch_size=self.batch_size,
            user_files=tuple(self.user_files),
        )

    def input_state(self) -> list[list[Any]]:
        """The input files a resumed run must find unchanged: ``[path, size, sha256 of both ends]`` each."""
        return input_state(self.inputs, self.input_format)

    def fingerprint(self) -> dict[str, Any]:
        """The options a resumed run must share with the run it resumes."""
        return {
            "inputs": [str(p) for p in self.inputs],
            "input_format": self.input_format,
            "format": self.resolved_format,
            "fields": [self.id_field, self.text_field, self.label_field],
            "encoding": self.encoding,
            "exclude": sorted(self.exclude),
            "max_chars": self.max_chars,
            "include_text": self.include_text,
            "shard_size": self.shard_size,
            "user_files": [list(pair) for pair in self.user_files],
        }


FINGERPRINT_BYTES = 1 << 16
"""Bytes hashed at each end of an input file for its fingerprint (small files: all of it)."""


def file_fingerprint(path: str) -> list[Any]:
    """``[path, size, sha256 of the first and last 64 KB]``: cheap, and changes when records are added,
    removed or edited near either end (a touch or a copy with the same bytes does not change it).

    Example:
        >>> file_fingerprint("/dev/null")[1:]
        [0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']
    """
    import hashlib
    import os

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            digest.update(fh.read(FINGERPRINT_BYTES))
            if size > 2 * FINGERPRINT_BYTES:
                fh.seek(size - FINGERPRINT_BYTES)
            digest.update(fh.read(FINGERPRINT_BYTES))
    except OSError as err:  # the reader puts the file in the errors file; a resumed run sees it changed once readable
        return [path, None, f"unreadable ({type(err).__name__})"]
    return [path, size, digest.hexdigest()]


def input_state(inputs: list[str], input_format: str | None) -> list[list[Any]]:
    """The fingerprint of every input file, in reading order (see :func:`file_fingerprint`)."""
    from medtext.io.dispatch import input_files

    return [file_fingerprint(f) for f in input_files(list(inputs), input_format)]


def errors_path_beside(output: str, folder: bool) -> Path:
    """``<name>.errors.jsonl`` beside an output folder (its name) or file (its stem); ``.`` and ``..`` stand for
    the folder they name (``-o .`` in ``/data/run`` gives ``/data/run.errors.jsonl``).

    Example:
        >>> errors_path_beside("out/", folder=True).as_posix(), errors_path_beside("a/out.jsonl", folder=False).as_posix()
        ('out.errors.jsonl', 'a/out.errors.jsonl')
    """
    out = Path(output.rstrip("/\\") or output[:1] or ".")
    if out.name in ("", ".", ".."):
        out = Path(os.path.abspath(out))
        if not out.name:  # the root folder
            return out / "medtext.errors.jsonl"
    return out.with_name(f"{out.name if folder else out.stem}.errors.jsonl")


def failure_line(failed: int, errors_path: str | None) -> str:
    """``"3 records failed (reasons in out.errors.jsonl)"``.

    Example:
        >>> failure_line(1, "out.errors.jsonl")
        '1 record failed (reasons in out.errors.jsonl)'
    """
    return f"{failed} record{'s' * (failed != 1)} failed (reasons in {errors_path})"


@dataclass
class Summary:
    """Counts of a run: records written, records failed, records already done (resume)."""

    processed: int = 0
    failed: int = 0
    already_done: int = 0
    errors_path: str | None = None
    elapsed: float = 0.0
    duplicate_ids: tuple[int, str, int | None] | None = None  # DuplicateIds.report()
    missing_ids: tuple[int, str, int] | None = None  # MissingIds.report(): records given '<file name>:<line>' ids
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def failure_line(self) -> str:
        """The line ``--quiet`` still prints when records failed: how many, and where the reasons are."""
        return failure_line(self.failed, self.errors_path)

    def line(self) -> str:
        """The one summary line printed on stderr at the end of a run."""
        parts = [f"annotated {self.processed} record{'s' * (self.processed != 1)}", f"{self.failed} failed"]
        if self.already_done:
            parts.append(f"{self.already_done} already done")
        text = ", ".join(parts)
        if self.elapsed > 0:
            text += f" in {self.elapsed:.1f}s"
        if self.failed and self.errors_path:
            text += f" (reasons in {self.errors_path})"
        return text
