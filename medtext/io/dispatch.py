"""``read_corpus``: paths, folders and globs in, one stream of Documents and BadRecords out.

Every path problem (missing path, unknown format, missing column, empty
folder) raises ``InputError`` when ``read_corpus`` is called, before anything
is yielded; per-record problems come out as :class:`BadRecord`.

Example:
    >>> from pathlib import Path; import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("No fever."); _ = (d / "b.jsonl").write_text('{"id": 1, "text": "Cough."}\\n')
    >>> [(r.id, r.text) for r in read_corpus(d)]
    [('a.txt', 'No fever.'), (1, 'Cough.')]
"""

from __future__ import annotations

import glob
import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import is_broken_link, rel_name, text_problem, walk
from medtext.io.compressed import READABLE, compressed_error, compression_by_name, open_binary
from medtext.io.csv import read_csv
from medtext.io.decode import resolve_encoding
from medtext.io.jsonl import read_jsonl
from medtext.io.parquet import read_parquet
from medtext.io.records import BadRecord, Document
from medtext.io.text import read_lines, read_text_file

__all__ = ["FORMATS", "FOLDER_SUFFIXES", "STDIN", "infer_format", "input_files", "read_corpus", "spool_stdin", "text_ids"]

Record = Document | BadRecord

FORMATS: tuple[str, ...] = (
    "txt",
    "lines",
    "jsonl",
    "csv",
    "tsv",
    "parquet",
    "pubtator",
    "conll",
    "rct",
    "brat",
    "negex",
    "physionet",
    "ab3p",
)

_BY_SUFFIX = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".ann": "brat",
    ".pubtator": "pubtator",
    ".conll": "conll",
    ".iob": "conll",
    ".bio": "conll",
}

FOLDER_SUFFIXES: dict[str | None, tuple[str, ...]] = {
    None: (".txt", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".pq"),
    "txt": (".txt",),
    "lines": (".txt",),
    "jsonl": (".jsonl", ".ndjson"),
    "csv": (".csv",),
    "tsv": (".tsv",),
    "parquet": (".parquet", ".pq"),
    "pubtator": (".pubtator", ".txt"),
    "conll": (".conll", ".iob", ".bio", ".tsv", ".txt"),
    "rct": (".txt",),
    "negex": (".txt", ".tsv"),
    "physionet": (".text",),
    "ab3p": (),  # MED1250_labeled has no suffix: every non-hidden file
}
"""Which files a folder contributes, per format (``None``: no format given, each file read by its suffix)."""


COMPRESSED_FORMATS = ("jsonl", "csv", "tsv", "txt")
"""Formats read from a gzip, bzip2 or xz file named as such (``notes.jsonl.gz``)."""


def _readable_compressed(path: Path) -> bool:
    """Whether a compressed file is one medtext reads: gzip, bzip2 or xz of a text format (``a.jsonl.gz``)."""
    return compression_by_name(path) in READABLE and _BY_SUFFIX.get(Path(path.stem).suffix.lower()) in COMPRESSED_FORMATS


def infer_format(path: str | Path) -> str:
    """The input format implied by a path's suffix (any case); a folder means ``txt``.

    ``.txt`` is always one document per file (so ``x.PubTator.txt`` needs
    ``format="pubtator"``). A gzip, bzip2 or xz file of a text format is that format (``notes.jsonl.gz``:
    jsonl, read decompressed); other compressed files raise ``InputError`` E195 (``.zst``, ``.zip``,
    a compressed Parquet file: decompress them first), other suffixes E003.

    Example:
        >>> infer_format("notes.ndjson"), infer_format("x.PubTator.txt"), infer_format("a/b.ANN"), infer_format("n.csv.gz")
        ('jsonl', 'txt', 'brat', 'csv')
    """
    p = Path(path)
    if p.is_dir():
        return "txt"
    fmt = _BY_SUFFIX.get(p.suffix.lower())
    compressed = compression_by_name(p) if fmt is None else None
    if compressed is not None:
        if _readable_compressed(p):
            return _BY_SUFFIX[Path(p.stem).suffix.lower()]
        raise compressed_error(path, compressed, STDIN_FORMATS)
    if fmt is None:
        raise InputError(Errors.E003.format(path=path, choices=", ".join(FORMATS)))
    return fmt


@dataclass(frozen=True, slots=True)
class _Item:
    path: str
    fmt: str
    doc_id: str | None = None  # txt files in a folder: the relative path
    stdin: bool = False  # the spooled copy of standard input


def path_list(paths: Any) -> list[str | Path]:
    """``paths`` (one path, or several) as a list; a TypeError naming what was given when they are not paths.

    Example:
        >>> path_list("notes/"), path_list(["a.jsonl", Path("b.csv")])
        (['notes/'], ['a.jsonl', PosixPath('b.csv')])
        >>> path_list(None)
        Traceback (most recent call last):
        TypeError: expected a path or a list of paths (str or pathlib.Path); got NoneType
    """
    if isinstance(paths, str | os.PathLike):
        return [paths]
    if paths is None or isinstance(paths, bytes | bytearray) or not isinstance(paths, Iterable):
        raise TypeError(f"expected a path or a list of paths (str or pathlib.Path); got {type(paths).__name__}")
    given = list(paths)
    wrong = [p for p in given if not isinstance(p, str | os.PathLike)]
    if wrong:
        raise TypeError(f"expected a path or a list of paths (str or pathlib.Path); the list holds a {type(wrong[0]).__name__}")
    return given


def _expand(paths: str | Path | Iterable[str | Path]) -> list[str]:
    """Paths as given, globs expanded (sorted); E001 for a path that neither exists nor matches."""
    given = path_list(paths)
    if not given:
        raise InputError(Errors.E005.format(path="(no paths)", pattern="at least one path"))
    out: list[str] = []
    for p in given:
        s = os.fspath(p)
        if os.path.exists(s):
            out.append(s)
            continue
        matches = sorted(glob.glob(s, recursive=True)) if glob.has_magic(s) else []
        if not matches:
            raise InputError(Errors.E001.format(path=s))
        out.extend(matches)
    return out


def _plan(paths: list[str], fmt: str | None) -> list[_Item]:
    items: list[_Item] = []
    for s in paths:
        p = Path(s)
        if not p.is_dir():
            items.append(_Item(s, fmt or infer_format(s)))
            continue
        if fmt == "brat":
            items.append(_Item(s, "brat"))
            continue
        suffixes = FOLDER_SUFFIXES[fmt]
        # gzip / bzip2 / xz files of the text formats count too (part-1.jsonl.gz); other formats' do not
        files = [f for f in walk(p, suffixes, compressed=fmt is None or fmt in COMPRESSED_FORMATS)
                 if compression_by_name(f) is None or _readable_compressed(f)]
        if not files:
            pattern = ", ".join(f"*{x}" for x in suffixes) if suffixes else "any file"
            raise InputError(Errors.E005.format(path=s, pattern=pattern))
        for f in files:
            ffmt = fmt or infer_format(f)
            items.append(_Item(str(p / f.relative_to(p)), ffmt, rel_name(f, p) if ffmt == "txt" else None))
    return _unique_text_ids(items)


def _text_id(item: _Item) -> str:
    return item.doc_id if item.doc_id is not None else Path(item.path).name


def _unique_text_ids(items: list[_Item]) -> list[_Item]:
    """Make the ids of ``.txt`` documents unique in a run.

    A text file's id is its name (a file given on its own) or its path relative to
    the folder given. When two of those ids are the same (``a/x.txt`` and
    ``b/x.txt`` given as files, or two folders that both hold ``x.txt``), each of
    the clashing files gets its path relative to the deepest folder they all share
    (``a/x.txt``, ``b/x.txt``); other ids are left as they are. The same file given
    twice keeps its id.
    """
    counts: dict[str, int] = {}
    for item in items:
        if item.fmt == "txt":
            counts[_text_id(item)] = counts.get(_text_id(item), 0) + 1
    clashing = [i for i, item in enumerate(items) if item.fmt == "txt" and counts[_text_id(item)] > 1]
    if not clashing:
        return items
    absolute = {i: os.path.abspath(items[i].path) for i in clashing}
    common = os.path.commonpath([os.path.dirname(a) for a in absolute.values()])
    out = list(items)
    for i in clashing:
        out[i] = _Item(items[i].path, items[i].fmt, Path(os.path.relpath(absolute[i], common)).as_posix())
    return out


def text_ids(paths: str | Path | Sequence[str | Path], format: str | None = None) -> list[tuple[str, str]]:
    """``(path, document id)`` of each one-document-per-file (``txt``) input ``read_corpus`` would read.

    Example:
        >>> from pathlib import Path; import tempfile
        >>> d = Path(tempfile.mkdtemp()); (d / "a").mkdir(); (d / "b").mkdir()
        >>> _ = (d / "a" / "x.txt").write_text("No fever."); _ = (d / "b" / "x.txt").write_text("Cough.")
        >>> [doc_id for _, doc_id in text_ids([d / "a" / "x.txt", d / "b" / "x.txt"])]
        ['a/x.txt', 'b/x.txt']
    """
    given = path_list(paths)
    if not given or any(os.fspath(p) == STDIN for p in given) or (format is not None and format not in FORMATS):
        return []
    return [(item.path, _text_id(item)) for item in _plan(_expand(given), format) if item.fmt == "txt"]


def input_files(paths: str | Path | Sequence[str | Path], format: str | None = None) -> list[str]:
    """The files ``read_corpus(paths, format)`` would read, in order (folders walked, globs expanded).

    Standard input (``-``) is no file: the list is empty. A BRAT folder contributes all its files.
    Raises ``InputError`` like :func:`read_corpus` for paths it cannot plan.

    Example:
        >>> from pathlib import Path; import tempfile
        >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("No fever.")
        >>> [Path(f).name for f in input_files(d)]
        ['a.txt']
    """
    given = path_list(paths)
    if not given or any(os.fspath(p) == STDIN for p in given):
        return []  # standard input is no file (and read_corpus refuses '-' with other paths)
    if format is not None and format not in FORMATS:
        return [s for s in _expand(given) if not os.path.isdir(s)]
    files: list[str] = []
    for item in _plan(_expand(given), format):
        if os.path.isdir(item.path):
            files.extend(str(f) for f in walk(Path(item.path), ()) if not is_broken_link(f))
        elif not is_broken_link(item.path):  # no content: its documents become error lines when read
            files.append(item.path)
    return files


_GOLD = {"pubtator": "read_pubtator", "conll": "read_conll", "negex": "read_negex", "ab3p": "read_ab3p"}
"""Gold readers whose items have ``to_document(source)``: format -> reader in ``medtext.io.<format>``."""


def _gold_reader(fmt: str) -> Callable[..., Iterator[Any]]:
    """The reader of a gold format, imported on first use (they are not needed to read plain corpora).

    Example:
        >>> _gold_reader("pubtator").__name__
        'read_pubtator'
    """
    return getattr(importlib.import_module(f"medtext.io.{fmt}"), _GOLD[fmt])


def _checked(docs: Iterable[Document]) -> Iterator[Record]:
    """Gold documents, with an empty or blank text turned into a BadRecord."""
    for doc in docs:
        problem = text_problem(doc.text)
        yield BadRecord(doc.id, doc.source, doc.line, problem) if problem else doc


def _opener(
    item: _Item, id_field: str, text_field: str, label_field: str, encoding: str | None
) -> Iterator[Record]:
    """Validate one planned file now (headers, schema) and return its lazy record stream; a broken
    symbolic link (met in a folder or a glob: a missing path given by name is E001) is one BadRecord."""
    s, fmt = item.path, item.fmt
    fields = (id_field, text_field, label_field)
    if fmt != "brat" and is_broken_link(s):  # found in a folder or by a glob: its records are lost, say so
        return iter([BadRecord(_text_id(item), s, None, "cannot read file (broken symbolic link)")])
    if fmt == "txt":
        return (read_text_file(s, doc_id=item.doc_id, encoding=encoding) for _ in (s,))
    if fmt == "lines":
        return read_lines(s, encoding=encoding)
    if fmt == "jsonl":
        return read_jsonl(s, *fields, encoding=encoding, source=STDIN_SOURCE if item.stdin else None)
    if fmt in ("csv", "tsv"):
        return read_csv(s, *fields, delimiter="\t" if fmt == "tsv" else ",", encoding=encoding)
    if fmt == "parquet":
        return read_parquet(s, *fields, encoding=encoding)
    if fmt == "rct":
        from medtext.io.rct import rct_documents

        return rct_documents(s, encoding=encoding)
    if fmt == "physionet":
        from medtext.io.physionet import phi_path_for, read_physionet

        notes = read_physionet(s, phi_path_for(s), encoding=encoding)
        return _checked(n.to_document(s) for n in notes)
    if fmt == "brat":
        from medtext.io.brat import read_brat

        return _checked(d.to_document() for d in read_brat(s, encoding=encoding))
    return _checked(r.to_document(s) for r in _gold_reader(fmt)(s, encoding=encoding))


def read_corpus(
    paths: str | Path | Sequence[str | Path],
    format: str | None = None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    label_field: str = "label",
    encoding: str | None = None,
) -> Iterator[Document | BadRecord]:
    """Stream the documents of one or more paths, folders or (quoted) globs, in order.

    ``format=None`` infers each file's format from its suffix (see
    :func:`infer_format`); a folder then contributes its ``.txt`` (one
    document per file), ``.jsonl``/``.ndjson``, ``.csv``, ``.tsv`` and
    ``.parquet`` files, recursively, sorted, hidden files skipped. With a
    format, a folder contributes the files listed in :data:`FOLDER_SUFFIXES`.
    Gold formats give one Document per unit: ``conll`` a sentence (tokens
    joined by single spaces), ``rct`` a sentence, ``negex`` a row (the
    sentence), ``physionet`` a note (id ``"<patient>-<note>"``, PHI from the
    ``<stem>-phi.phrase`` file beside it when present), ``pubtator``/``ab3p``
    ``title + " " + abstract``, ``brat`` a ``.txt`` file.

    ``-`` reads standard input (alone; JSON Lines unless ``format`` is one of
    :data:`STDIN_FORMATS`).

    Raises ``InputError`` at call time: E001 missing path, E002 unknown
    format, E003 suffix not understood, E004 missing text column, E005 folder
    without documents, E006/E010 unreadable file type, E012 unknown encoding, E182 a file
    read as JSONL that is no JSONL (its first lines are not JSON objects).

    Example:
        >>> read_corpus("notes/*.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path 'notes/*.txt' does not exist. ...
    """
    encoding = resolve_encoding(encoding)
    given = path_list(paths)
    if any(os.fspath(p) == STDIN for p in given):
        return _read_stdin(given, format, id_field, text_field, label_field, encoding)
    expanded = _expand(given)
    if format is not None and format not in FORMATS:
        raise InputError(Errors.E002.format(fmt=format, path=expanded[0], choices=", ".join(FORMATS)))
    items = _plan(expanded, format)
    streams = [_opener(item, id_field, text_field, label_field, encoding) for item in items]
    return (record for stream in streams for record in stream)


STDIN = "-"
STDIN_SOURCE = "<stdin>"
STDIN_FORMATS = ("jsonl", "lines", "txt", "csv", "tsv")
"""Formats ``-`` (standard input) can hold; JSON Lines when no format is given."""


def spool_stdin(name: str = "stdin") -> str:
    """Copy standard input to ``<a new temporary folder>/<name>`` and return the file's path; the caller
    removes the folder. E011 when nothing is piped (standard input is a terminal).

    Example:
        >>> path = spool_stdin("notes.jsonl")  # doctest: +SKIP
    """
    import shutil
    import sys
    import tempfile

    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(Errors.E011.format(option="PATHS", expected="a file, or records piped on standard input with '-'", found="'-' with nothing piped"))
    folder = tempfile.mkdtemp(prefix="medtext-stdin-")
    path = os.path.join(folder, name)
    try:
        with open(path, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def _read_stdin(
    given: list[str | Path], format: str | None, id_field: str, text_field: str, label_field: str, encoding: str | None
) -> Iterator[Record]:
    """Records piped on standard input: spooled to a temporary file named ``stdin`` (memory stays
    constant, encodings are sniffed as for files), read in ``format``, reported with source ``<stdin>``."""
    import shutil

    if len(given) != 1:
        raise InputError(Errors.E011.format(option="PATHS", expected="'-' alone when reading standard input", found=" ".join(map(os.fspath, given))))
    fmt = format or "jsonl"
    if fmt not in STDIN_FORMATS:
        raise InputError(Errors.E011.format(option="--input-format", expected=f"one of {', '.join(STDIN_FORMATS)} with '-' (standard input)", found=fmt))
    path = spool_stdin()
    try:
        stream = _opener(_Item(path, fmt, "stdin", stdin=True), id_field, text_field, label_field, encoding)
    except BaseException:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)
        raise
    return _from_stdin(stream, path, os.path.dirname(path))


def _from_stdin(stream: Iterator[Record], path: str, folder: str) -> Iterator[Record]:
    import shutil

    try:
        for record in stream:
            if record.source == path:
                record.source = STDIN_SOURCE
            yield record
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_COUNT_LIMIT = 2_000_000_000  # bytes: beyond this, counting lines costs too much for a progress bar


def estimate_records(paths: str | Path | Iterable[str | Path], format: str | None = None) -> int | None:
    """About how many records ``read_corpus`` will yield (for progress bars), or None when unknown.

    Line-based files are counted by newlines (CSV rows with line breaks inside
    quotes make it an over-estimate); Parquet by its metadata; text files by number.

    Example:
        >>> estimate_records("corpora/notes")  # doctest: +SKIP
        3
    """
    given = path_list(paths)
    try:
        return _estimate(_plan(_expand(given), format))
    except Exception:  # noqa: BLE001 - only a progress estimate: the run itself says what is wrong with its inputs
        return None


def _estimate(items: list[_Item]) -> int | None:
    total, budget = 0, _COUNT_LIMIT
    for item in items:
        if item.fmt == "txt":
            total += 1
        elif item.fmt in ("jsonl", "lines", "csv", "tsv"):
            size = os.path.getsize(item.path)
            budget -= size
            if budget < 0:
                return None
            total += _count_lines(item.path) - (item.fmt in ("csv", "tsv"))
        elif item.fmt == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(item.path).metadata.num_rows
        else:
            return None
    return max(total, 0)


def _count_lines(path: str) -> int:
    count, last = 0, b"\n"
    with open_binary(path) as fh:
        while chunk := fh.read(1 << 22):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")
