"""Derived data kept on disk between runs: validated ``marshal`` files in a cache folder.

Start-up work whose result depends only on shipped files and this Python (parsed
lexicons, compiled regular expressions) is saved once and read back by later
runs. A file holds a magic string, the SHA-256 of its *key* (what the data was
derived from: file contents, interpreter version, format version) and a CRC-32 of
its payload; anything that does not match, cannot be read or does not unmarshal
is ignored (the caller derives the data again). ``marshal`` runs no code when it
loads, like Python's own ``__pycache__`` files, which are marshal data too.

The folder is ``$MEDTEXT_CACHE`` when set (``off``, ``0`` or empty: no cache),
else ``$XDG_CACHE_HOME/medtext``, else ``~/.cache/medtext``. Writing is
best-effort and atomic (a temporary file, then a rename): a read-only home
only costs the start-up time saved.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_cached("demo", b"v1", {"a": [1, 2]}, folder)
    True
    >>> read_cached("demo", b"v1", folder), read_cached("demo", b"v2", folder)
    ({'a': [1, 2]}, None)
"""

from __future__ import annotations

import hashlib
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

MAGIC = b"MTXCACHE1\n"
_DIGEST = 32
_CRC = 4
OFF = frozenset(["", "0", "off", "false", "no"])


def cache_dir() -> Path | None:
    """The cache folder (not created here); None when caching is off (``MEDTEXT_CACHE=off``)."""
    chosen = os.environ.get("MEDTEXT_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in OFF else Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medtext"


def _path(name: str, folder: Path | None) -> Path | None:
    folder = folder if folder is not None else cache_dir()
    return None if folder is None else folder / f"{name}.marshal"


def read_cached(name: str, key: bytes, folder: Path | None = None) -> Any:
    """The data saved under ``name`` for ``key`` (in ``folder``, default :func:`cache_dir`); None when there is
    none (or it is stale or damaged)."""
    path = _path(name, folder)
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST + _CRC
    if len(blob) < head or not blob.startswith(MAGIC) or blob[len(MAGIC) : len(MAGIC) + _DIGEST] != hashlib.sha256(key).digest():
        return None
    payload = memoryview(blob)[head:]
    if zlib.crc32(payload).to_bytes(_CRC, "big") != blob[head - _CRC : head]:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def write_cached(name: str, key: bytes, data: Any, folder: Path | None = None) -> bool:
    """Save ``data`` (plain values: str, bytes, int, float, tuple, list, dict, set) under ``name`` for ``key``;
    False when it could not be written (caching off, read-only folder, a value marshal cannot hold)."""
    path = _path(name, folder)
    if path is None:
        return False
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return False
    blob = MAGIC + hashlib.sha256(key).digest() + zlib.crc32(payload).to_bytes(_CRC, "big") + payload
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(blob)
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True


def source_key(*parts: bytes | str | Path) -> bytes:
    """A key from strings, bytes and the contents of files (a file that cannot be read gives b"").

    Example:
        >>> source_key("v1", b"x") == source_key("v1", b"x") != source_key("v2", b"x")
        True
    """
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            try:
                data = part.read_bytes()
            except OSError:
                data = b""
        else:
            data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()
