"""Replace a folder by another all at once: how a model folder is saved.

The new contents are written into a hidden sibling folder (:func:`staging_folder`, removed
again when writing fails or is interrupted), which then takes the old folder's place
(:func:`replace_folder`): on Linux by one atomic exchange of the two names (``renameat2``
with ``RENAME_EXCHANGE``), elsewhere by two renames. Either way a reader sees the old folder
or the new one, never a mix (with two renames, a crash between them leaves no folder at the
path; both stay beside it as hidden folders). A folder that cannot be renamed (a mount
point) has its files replaced one by one instead, the ``last`` file (meta.json) at the end.
Imports only the standard library.

Example:
    >>> from pathlib import Path; import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "model"
    >>> with staging_folder(target) as tmp:
    ...     _ = (tmp / "meta.json").write_text("{}")
    ...     replace_folder(tmp, target)
    >>> sorted(p.name for p in target.iterdir())
    ['meta.json']
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["replace_folder", "replace_in_place", "staging_folder"]


def _sibling(target: Path, kind: str) -> Path:
    """A new, hidden, empty folder beside ``target`` (``.NAME.KIND-xxxxxxxx``), with ``target``'s mode."""
    for _ in range(100):
        path = target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        with contextlib.suppress(OSError):
            if target.is_dir():
                os.chmod(path, stat.S_IMODE(target.stat().st_mode))
        return path
    raise FileExistsError(errno.EEXIST, "no free name for a temporary folder", str(target.parent))


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """A hidden sibling folder of ``target`` to write into; removed when the block raises (Ctrl-C included).

    When no folder can be created beside ``target`` (a folder you may not write to) but ``target``
    exists, the hidden folder is made inside it, and :func:`replace_folder` replaces files one by one."""
    try:
        tmp = _sibling(target, "partial")
    except OSError:
        if not target.is_dir():
            raise
        tmp = _sibling(target / "model", "partial")
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False when this
    system or filesystem has no such call. Other failures raise OSError."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _add_kept(old: Path, new: Path, keep: Sequence[str]) -> None:
    """Hard-link (or copy) the ``keep`` entries of ``old`` into ``new``, leaving out names ``new`` has."""
    for name in keep:
        src, dst = old / name, new / name
        if dst.exists() or dst.is_symlink() or not (src.exists() or src.is_symlink()):
            continue
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, dst, symlinks=True)
            continue
        try:
            os.link(src, dst, follow_symlinks=False)
        except OSError:
            shutil.copy2(src, dst, follow_symlinks=False)


def replace_in_place(new: Path, target: Path, keep: Sequence[str] = (), last: str | None = None) -> None:
    """Move ``new``'s files into ``target`` (``last`` at the end), then drop ``target``'s other non-kept files."""
    names = sorted(p.name for p in new.iterdir() if p.name not in keep)  # kept ones are in target already
    for name in [n for n in names if n != last] + [n for n in names if n == last]:
        os.replace(new / name, target / name)
    for p in target.iterdir():
        if p.name not in keep and p.name not in names and p != new:
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    shutil.rmtree(new)


def replace_folder(new: Path, target: Path, keep: Sequence[str] = (), last: str | None = None) -> None:
    """Put folder ``new`` (a sibling of ``target``) in ``target``'s place; ``target``'s entries named in
    ``keep`` are carried over, the rest of the old folder is deleted.

    ``last`` names the file that makes the folder complete (meta.json): it is moved last when the
    folder's files must be replaced one by one.
    """
    if new.parent != target.parent:  # staged inside target (see staging_folder)
        replace_in_place(new, target, keep, last)
        return
    if target.is_dir():
        _add_kept(target, new, keep)
    elif not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    try:
        if _exchange(new, target):
            shutil.rmtree(new, ignore_errors=True)  # it holds the old folder now
            return
        old = _sibling(target, "old")
        try:
            os.rename(target, old / target.name)
        except OSError:
            old.rmdir()
            raise
    except OSError as e:
        if e.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
            raise
        replace_in_place(new, target, keep, last)  # a mount point cannot be renamed
        return
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old / target.name, target)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)
