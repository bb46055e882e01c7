"""Record ids of a de-identified corpus: kept verbatim (the default), or replaced by numbers.

An id is often PHI itself (a file name ``Smith_John_2101-10-03.txt``, an MRN), and ``medtext deid``
de-identifies texts, not ids. ``ids="number"`` writes 1, 2, 3 ... in output order instead (a folder
output names the ``.txt`` copies ``1.txt``, ``2.txt`` ...); ``id_map`` keeps the link, one JSON line
``{id, original_id, source, line}`` per record, in a file that stays with the originals.

Example:
    >>> numbers = NewIds("number")
    >>> numbers.assign(Document("Smith_John.txt", "...", "notes/Smith_John.txt")), numbers.txt_name(1, "Smith_John.txt")
    (1, '1.txt')
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from medtext.errors import Errors, InputError
from medtext.io.records import Document

ID_MODES = ("keep", "number")


def check_id_options(ids: str, id_map: str | None, output: str, others: list[str]) -> None:
    """Refuse (E011, one line) an unknown ``ids``, an ``id_map`` without ``ids="number"``, or an ``id_map`` that is
    ``-``, the output, inside an output folder (it would be released with it) or one of ``others`` (inputs, errors).

    Example:
        >>> check_id_options("keep", "map.jsonl", "out.jsonl", [])
        Traceback (most recent call last):
        medtext.errors.InputError: [E011] Option --id-map must be given with --ids number (with --ids keep the ids are the input ids); got 'map.jsonl'.
    """
    from medtext.batch.paths import same_path

    if ids not in ID_MODES:
        raise InputError(Errors.E011.format(option="--ids", expected=" or ".join(ID_MODES), found=repr(ids)))
    if id_map is None:
        return
    if ids != "number":
        raise InputError(Errors.E011.format(option="--id-map", expected="given with --ids number (with --ids keep the ids are the input ids)",
                                            found=repr(id_map)))
    problem = None
    if id_map.strip() in ("", "-"):
        problem = "a file path"
    elif output != "-" and (same_path(id_map, output) or _inside(id_map, output)):
        problem = "a file outside the output (the map links the new ids to the original ones and must not be released with it)"
    elif any(same_path(id_map, other) for other in others):
        problem = "a file that is neither an input nor the errors file"
    if problem:
        raise InputError(Errors.E011.format(option="--id-map", expected=problem, found=repr(id_map)))


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies below ``folder`` (an output folder; False for an output file)."""
    if folder.lower().endswith(".jsonl"):
        return False
    return Path(os.path.abspath(folder)) in Path(os.path.abspath(path)).parents


class NewIds:
    """The output id of each written record, and the id map when asked for (written as ``.partial``, then renamed)."""

    def __init__(self, mode: str = "keep", map_path: str | None = None) -> None:
        self.mode = mode
        self.count = 0
        self.map_path = Path(map_path) if map_path else None
        self._partial = self.map_path.with_name(self.map_path.name + ".partial") if self.map_path else None
        self._fh: TextIO | None = open(self._partial, "w", encoding="utf-8", newline="\n") if self._partial else None

    def assign(self, document: Document) -> Any:
        """The id to write for ``document`` (its own id, or the next number)."""
        if self.mode == "keep":
            return document.id
        self.count += 1
        if self._fh is not None:
            row = {"id": self.count, "original_id": document.id, "source": document.source, "line": document.line}
            self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return self.count

    def txt_name(self, new_id: Any, original_id: Any) -> str:
        """The name of a ``.txt`` copy below the output folder: the original id, or ``<number>.txt``."""
        return str(original_id) if self.mode == "keep" else f"{new_id}.txt"

    def close(self, complete: bool) -> None:
        if self._fh is None:
            return
        self._fh.close()
        if complete and self.map_path is not None and self._partial is not None:
            os.replace(self._partial, self.map_path)
