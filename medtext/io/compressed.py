"""Tell compressed files (gzip, bzip2, xz, zstd, zip) by name and by their first bytes, and open the ones
Python's standard library reads.

A gzip, bzip2 or xz file named as such (``notes.jsonl.gz``) is read through its decompressor
(:func:`open_binary`) in the text formats; other compressed inputs named as such are refused in one
line that says how to decompress or stream them (E195); compressed bytes under another name are an
errors-file line that says what they are.

Example:
    >>> compression_by_name("notes.jsonl.gz"), compression_by_bytes(b"\\x1f\\x8b\\x08\\x00")
    ('gzip', 'gzip')
    >>> compression_by_name("notes.jsonl"), compression_by_bytes(b'{"id": 1}')
    (None, None)
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from medtext.errors import Errors, InputError

__all__ = ["READABLE", "compressed_error", "compressed_reason", "compression_by_bytes", "compression_by_name",
           "open_binary"]

_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd", ".zip": "zip"}
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
)
_BZIP2_BLOCK = b"1AY&SY"  # after 'BZh' and the block size digit
_DECOMPRESS = {"gzip": "gzip -dc", "bzip2": "bzip2 -dc", "xz": "xz -dc", "zstd": "zstd -dc", "zip": "unzip -p"}


# Compressions read through the standard library's decompressors.
READABLE = ("gzip", "bzip2", "xz")


def open_binary(path: str | Path) -> BinaryIO:
    """``path`` opened for reading bytes, decompressed on the fly when its name says gzip, bzip2 or xz.

    Example:
        >>> import gzip, tempfile
        >>> f = Path(tempfile.mkdtemp()) / "a.jsonl.gz"
        >>> _ = f.write_bytes(gzip.compress(b'{"id": 1}'))
        >>> with open_binary(f) as fh:
        ...     fh.read()
        b'{"id": 1}'
    """
    kind = compression_by_name(path)
    if kind == "gzip":
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    if kind == "bzip2":
        import bz2

        return bz2.open(path, "rb")  # type: ignore[return-value]
    if kind == "xz":
        import lzma

        return lzma.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115


def compression_by_name(path: str | Path) -> str | None:
    """The compression a file name says (``.gz``, ``.bz2``, ``.xz``, ``.zst``, ``.zip``, any case), or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def compression_by_bytes(head: bytes) -> str | None:
    """The compression whose signature ``head`` (a file's first bytes) starts with, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] == _BZIP2_BLOCK:
        return "bzip2"
    return None


def compressed_reason(kind: str) -> str:
    """The errors-file reason for compressed bytes read as text.

    >>> compressed_reason("gzip")
    'undecodable bytes (gzip-compressed data, not text; decompress the file first)'
    """
    return f"undecodable bytes ({kind}-compressed data, not text; decompress the file first)"


def compressed_error(path: str | Path, kind: str, formats: tuple[str, ...] = ()) -> InputError:
    """E195 for a compressed input: how to decompress it, or stream it on standard input.

    ``formats``: the input formats standard input can hold (the inner suffix is suggested when it is one).

    >>> str(compressed_error("a/notes.jsonl.zst", "zstd", ("jsonl",))).split(", and")[0]
    "[E195] 'a/notes.jsonl.zst' is zstd-compressed"
    """
    p = Path(path)
    inner = Path(p.stem).suffix.lower().lstrip(".")
    inner = {"ndjson": "jsonl"}.get(inner, inner)
    command = _DECOMPRESS[kind]
    stream = (f", or stream it: {command} {path} | medtext <command> - --input-format {inner}" if inner in formats else "")
    return InputError(Errors.E195.format(path=path, kind=kind, fix=f"decompress it first ({command} {path} > {p.with_suffix('')}){stream}"))
