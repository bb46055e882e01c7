"""Upgrade model folders of an older model format in place, without retraining.

Format 1 -> 2 adds ``spec_sha256`` (the integrity record of meta.json): every weight file
is first checked against its recorded sha256, and the folder must load afterwards;
nothing but ``format_version`` and ``spec_sha256`` changes. A format-1 meta.json cannot
be verified itself, so upgrade only folders you trust (e.g. ones you trained).

    $ python -m medtext.learn.upgrade models/my-model [more folders ...]

Example:
    >>> upgrade_folder("models/my-model")          # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from medtext.errors import Errors, MedtextError, ModelError

from .persist import DIGEST, META, MODEL_FORMAT, sha256_file, write_meta


def _read(folder: Path) -> dict:
    try:
        with open(folder / META, encoding="utf-8") as f:
            meta = json.load(f)
    except OSError:
        raise ModelError(Errors.E031.format(path=folder)) from None
    except ValueError as e:
        raise ModelError(Errors.E035.format(path=folder, detail=f"meta.json is not valid JSON ({type(e).__name__})")) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict) or "spec" not in meta:
        raise ModelError(Errors.E035.format(path=folder, detail="meta.json lacks spec or files"))
    return meta


def _verify_files(folder: Path, files: dict) -> None:
    for name, digest in files.items():
        path = folder / str(name)
        if Path(str(name)).name != name or not path.is_file():
            raise ModelError(Errors.E035.format(path=folder, detail=f"file '{name}' listed in meta.json is missing"))
        if sha256_file(path) != digest:
            raise ModelError(Errors.E032.format(path=path))


def upgrade_folder(folder: str | os.PathLike) -> bool:
    """Bring a model folder to the current model format; ``False`` when it already is."""
    from .api import load_model

    folder = Path(folder)
    meta = _read(folder)
    if meta.get("format_version") == MODEL_FORMAT:
        load_model(folder)
        return False
    if meta.get("format_version") != 1:
        raise ModelError(Errors.E035.format(path=folder, detail=f"cannot upgrade model format {meta.get('format_version')!r}"))
    _verify_files(folder, meta["files"])
    original = (folder / META).read_bytes()
    meta["format_version"] = MODEL_FORMAT
    meta.pop(DIGEST, None)
    write_meta(folder, meta)
    try:
        load_model(folder)
    except MedtextError:
        (folder / META).write_bytes(original)
        raise
    return True


USAGE = "usage: python -m medtext.learn.upgrade MODEL_FOLDER [...]"


def main(argv: list[str] | None = None) -> int:
    """``python -m medtext.learn.upgrade FOLDER...``: one stderr line per folder; exit 2 on any failure."""
    folders = sys.argv[1:] if argv is None else argv
    if any(arg in ("-h", "--help") for arg in folders):  # was taken for a folder named '--help' (E031)
        sys.stdout.write(f"{USAGE}\nAdds the integrity record (spec_sha256) to a model folder of format 1 after checking "
                         "its weight files; a folder already at the current format is left as it is.\n")
        return 0
    if not folders:
        sys.stderr.write(USAGE + "\n")
        return 2
    code = 0
    for folder in folders:
        try:
            done = upgrade_folder(folder)
        except MedtextError as e:
            sys.stderr.write(f"{folder}: error: {' '.join(str(e).split())}\n")
            code = 2
            continue
        sys.stderr.write(f"{folder}: {'upgraded to' if done else 'already'} model format {MODEL_FORMAT}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
