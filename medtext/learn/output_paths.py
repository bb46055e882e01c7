"""Why a folder cannot be made at an output path: a file where one of its parent folders should be.

Used by ``medtext train -o`` and ``medtext evaluate --report`` to refuse such a path before any
work, in words the user can act on (the operating system says only "File exists" or "Not a
directory"). Imports only the standard library.

Example:
    >>> import tempfile; from pathlib import Path
    >>> f = Path(tempfile.mkdtemp()) / "notes.txt"; _ = f.write_text("x")
    >>> file_in_the_way(f / "model") == f, file_in_the_way(f.parent / "model")
    (True, None)
    >>> blocked_parent_detail(f / "model").startswith("'" + str(f) + "' is a file, not a folder")
    True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["blocked_parent_detail", "file_in_the_way"]


def file_in_the_way(path: str | os.PathLike) -> Path | None:
    """The nearest existing parent of ``path`` when it is not a folder (so no folder can be made at
    ``path``), else None."""
    for parent in Path(path).parents:
        if parent.is_dir():
            return None
        if parent.exists() or parent.is_symlink():  # a file, or a link to nowhere
            return parent
    return None


def blocked_parent_detail(path: str | os.PathLike, example: str = "models/my-model") -> str | None:
    """The E008 detail for a ``path`` below a file, or None when its parents can hold it."""
    parent = file_in_the_way(path)
    if parent is None:
        return None
    what = "a file, not a folder" if parent.is_file() else "not a folder"
    return (f"'{parent}' is {what}, so no folder can be made inside it; give a path whose parent folders "
            f"are folders (e.g. {example}), or move that file away")
