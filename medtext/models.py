"""Find model folders by name or path: ``$MEDTEXT_MODELS`` first, then the shipped ``models/``.

Shipped models live in the repository's ``models/`` folder, installed as the
package ``medtext._models`` so a wheel finds them as an editable install does.

Example:
    >>> find_model("abstract-topics").name  # doctest: +SKIP
    'abstract-topics'
"""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any, Collection

from medtext.errors import Errors, ModelError

ENV_VAR = "MEDTEXT_MODELS"


def model_dirs() -> list[Path]:
    """Folders searched for models by name, in order."""
    dirs = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    shipped = Path(str(files("medtext._models")))
    return dirs + [shipped]


def list_models(tasks: Collection[str] | None = None) -> dict[str, Path]:
    """Name -> folder of every model found (earlier folders win; hidden folders, such as a save's
    ``.NAME.partial-xxxx`` staging folder, are not models); with ``tasks``, only the models whose
    meta.json names one of them as its ``task``.

    >>> sorted(list_models(tasks=["regress"]))  # doctest: +SKIP
    ['review-rating']
    """
    found: dict[str, Path] = {}
    for folder in model_dirs():
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if not child.name.startswith(".") and (child / "meta.json").is_file() and child.name not in found:
                found[child.name] = child
    if tasks is not None:
        found = {name: folder for name, folder in found.items() if _task_of(folder) in tasks}
    return found


def _task_of(folder: Path) -> str | None:
    """The ``task`` of a model folder's meta.json; None when it cannot be read."""
    try:
        meta = read_meta(folder)
    except ModelError:
        return None
    return meta.get("task") if isinstance(meta, dict) else None


def find_model(name_or_path: str | Path, tasks: Collection[str] | None = None) -> Path:
    """The folder of a model given by path or by name; ModelError when absent, a file, or a folder without
    meta.json; TypeError for a non-path. ``tasks``: the kind of model the caller wants, so that the error
    lists only those models (a model found by name is returned whatever its task)."""
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(f"a model is named by a string or a path (e.g. 'abstract-topics' or 'models/my-model'); "
                        f"got {type(name_or_path).__name__}")
    path = Path(name_or_path)
    named = bool(str(name_or_path).strip())  # Path('') would be the current folder
    if named and path.is_dir():
        if not (path / "meta.json").is_file():
            raise ModelError(Errors.E031.format(path=path))
        return path
    if named and not path.is_absolute() and len(path.parts) == 1:
        for folder in model_dirs():
            candidate = folder / str(name_or_path)
            if (candidate / "meta.json").is_file():
                return candidate
    available = ", ".join(sorted(list_models(tasks))) or "(none)"
    if named and path.exists():  # a file (a training file, a model's meta.json), not a folder
        hint = (f"; this is a model's meta.json, so give its folder '{path.parent}'" if path.name == "meta.json"
                else "")
        raise ModelError(Errors.E181.format(path=path, hint=hint, available=available))
    places = " and ".join([f"${ENV_VAR}"] * bool(os.environ.get(ENV_VAR)) + ["the shipped models"])
    raise ModelError(Errors.E030.format(name=name_or_path, places=places, available=available))


def read_meta(folder: Path) -> dict[str, Any]:
    """The parsed ``meta.json`` of a model folder."""
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelError(Errors.E035.format(path=folder, detail=type(err).__name__)) from None
