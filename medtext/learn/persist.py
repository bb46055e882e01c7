"""Model folders: ``meta.json`` + plain arrays (``.npy``, loaded with ``allow_pickle=False``) + JSON vocabularies.

Nothing is ever unpickled. Every weight file's sha256 is recorded in ``meta.json``
and checked on load (E032); so is ``spec_sha256``, the sha256 of the meta.json entries
that decide predictions (labels, link, block weights, file list, versions: E072). The
folder's ``format_version`` must be this medtext's model format: a newer one asks to
upgrade medtext (E070), format 1 (no ``spec_sha256``) is upgraded with
``python -m medtext.learn.upgrade FOLDER`` (E071). Models are found by path, or by name in
``$MEDTEXT_MODELS`` (one or more folders, ``os.pathsep``-separated) and then among
the shipped models (package ``medtext._models``). A folder is saved all at once
(:mod:`medtext.learn.folder_swap`): an interrupted save leaves the old model or the new one.
Imports only numpy + stdlib.

Example:
    >>> path = resolve_model("abstract-topics")          # doctest: +SKIP
    >>> meta, spec = load_spec(path)                      # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from medtext.errors import Errors, InputError, ModelError

from .output_paths import blocked_parent_detail

MODEL_FORMAT = 2  # 2: meta.json carries spec_sha256 (format 1 folders: python -m medtext.learn.upgrade)
META = "meta.json"
DIGEST = "spec_sha256"
# the meta.json entries that spec_sha256 protects: all that decides predictions, plus the versions
PROTECTED = ("format_version", "kind", "labels", "versions", "spec", "files")


def sha256_file(path: str | os.PathLike) -> str:
    """The SHA-256 hex digest of a file's bytes, read in 1 MB pieces (model files, training inputs)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_versions() -> dict[str, str | None]:
    """Versions of medtext and the libraries a model was built with (read without importing them)."""
    from importlib.metadata import PackageNotFoundError, version

    from medtext.about import __version__

    out: dict[str, str | None] = {"medtext": __version__}
    for dist in ("scikit-learn", "spacy", "numpy"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


# ----------------------------------------------------------------------------- finding models


CLASSIFIER_TASKS = ("classify", "multilabel", "sentences")
"""Tasks of the models ``classify`` and ``evaluate classifier`` take."""
REGRESSOR_TASKS = ("regress",)
"""Tasks of the models ``score`` and ``evaluate regressor`` take."""


def resolve_model(name_or_path: str | os.PathLike, tasks: tuple[str, ...] = CLASSIFIER_TASKS + REGRESSOR_TASKS) -> Path:
    """Folder of a model given by path or by name (``MEDTEXT_MODELS`` first, then shipped models); when it
    is not found, the error lists the models of ``tasks`` (default: every learnt model, no pipeline model)."""
    from medtext.models import find_model

    return Path(find_model(name_or_path, tasks))


# ----------------------------------------------------------------------------- saving


class NonFiniteWeights(ValueError):
    """A weight array holds NaN or infinity (as stored: float32 overflows above ~3.4e38); ``name`` is its file."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"'{name}' holds NaN or infinite values")


def _write_npy(folder: Path, name: str, arr, dtype, files: dict[str, str]) -> str:
    path = folder / name
    with np.errstate(over="ignore", invalid="ignore"):  # a float32 overflow is refused just below
        arr = np.ascontiguousarray(np.asarray(arr, dtype=dtype))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():  # the loader would refuse it (E035)
        raise NonFiniteWeights(name)
    np.save(path, arr, allow_pickle=False)
    files[name] = sha256_file(path)
    return name


def _write_json(folder: Path, name: str, obj, files: dict[str, str]) -> str:
    path = folder / name
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
    files[name] = sha256_file(path)
    return name


def _listed_files(folder: Path) -> list[str] | None:
    """The files an existing medtext model folder's meta.json lists, or None when it is not one."""
    try:
        with open(folder / META, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict) or "spec" not in meta:
        return None
    names = list(meta["files"])
    return names if all(isinstance(n, str) and Path(n).name == n for n in names) else None


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def check_output_folder(folder: str | os.PathLike) -> None:
    """Refuse (E008) an output that is a file or lies below one, or a non-empty folder that is not a
    medtext model folder, so that saving a model never deletes files it did not write.

    >>> check_output_folder("models/new-model")          # doctest: +SKIP
    """
    if str(folder) == "-":  # a Path, it would make a folder named '-'
        raise InputError(Errors.E008.format(path=folder, detail="'-' (standard output) cannot hold a model folder; "
                                                                "give a folder path (e.g. models/my-model)"))
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(Errors.E008.format(path=folder, detail="it is a file; give a folder path for the model "
                                                                "(e.g. models/my-model)"))
    if not folder.exists() and (detail := blocked_parent_detail(folder)):
        raise InputError(Errors.E008.format(path=folder, detail=detail))
    if not folder.is_dir() or not _visible(folder):
        return
    listed = _listed_files(folder)
    if listed is None:
        other = _visible(folder)[0].name
        raise InputError(Errors.E008.format(path=folder, detail=f"the folder holds files that are not a medtext model "
                                                                f"(e.g. '{other}'); choose a new or empty folder"))
    ours = set(listed) | {META}
    stray = [p.name for p in _visible(folder) if p.name not in ours and p.suffix in (".npy", ".json")]
    if stray:
        raise InputError(Errors.E008.format(path=folder, detail=f"the model folder also holds '{stray[0]}', which "
                                                                f"its meta.json does not list and a new model could "
                                                                f"overwrite; move it away or choose a new folder"))


def save_spec(spec: dict[str, Any], folder: str | os.PathLike, meta: dict[str, Any] | None = None, *,
              overflow_hint: str = "") -> Path:
    """Write a model folder. ``coef`` and ``idf`` are stored as float32 (the estimators round them
    to float32 precision when fitting, so this is lossless); everything else as float64.

    An existing folder must be empty or a medtext model folder (:func:`check_output_folder`).
    Saving is all or nothing (:mod:`medtext.learn.folder_swap`): the model is written into a
    hidden sibling folder, which then takes the folder's place, so an interruption (Ctrl-C, a
    full disk) leaves the old model or the new one, never a mix; files the old meta.json does
    not list (a README) are kept. Weights that hold NaN or infinity (as stored) are refused (E166,
    ``overflow_hint`` completes its sentence) and nothing is written."""
    from .folder_swap import replace_folder, staging_folder

    folder = Path(folder)
    check_output_folder(folder)
    target = folder.resolve() if folder.is_symlink() else folder  # a link to a model folder stays a link
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(Errors.E008.format(path=folder, detail=e.strerror or type(e).__name__)) from None
    keep = _kept_files(target)
    try:
        with staging_folder(target) as tmp:
            _write_model(spec, tmp, dict(meta or {}, name=(meta or {}).get("name", folder.name)))
            replace_folder(tmp, target, keep=keep, last=META)
    except NonFiniteWeights as e:
        raise InputError(Errors.E166.format(path=folder, file=e.name, why=overflow_hint)) from None
    except OSError as e:
        raise InputError(Errors.E008.format(path=folder, detail=f"cannot write the model ({e.strerror or type(e).__name__}); "
                                                                f"an existing model there is left as it was")) from None
    return folder


def _kept_files(folder: Path) -> list[str]:
    """Names in an existing model folder that a new model keeps: all but meta.json and the files it lists."""
    if not folder.is_dir():
        return []
    ours = set(_listed_files(folder) or []) | {META}
    return [p.name for p in sorted(folder.iterdir()) if p.name not in ours]


def _write_model(spec: dict[str, Any], folder: Path, meta: dict[str, Any]) -> None:
    """Write the weight files of ``spec`` into ``folder``, then ``meta.json`` (last)."""
    files: dict[str, str] = {}
    blocks = []
    for b in spec["blocks"]:
        blocks.append({
            "name": b["name"], "analyzer": b["analyzer"], "sublinear_tf": b["sublinear_tf"], "weight": b["weight"],
            # a JSON list of terms in column order (decodes faster than a {term: column} object)
            "terms": _write_json(folder, f"vocab.{b['name']}.json", list(b["terms"]), files),
            "idf": _write_npy(folder, f"idf.{b['name']}.npy", b["idf"], np.float32, files),
        })
    h = spec["head"]
    head: dict[str, Any] = {"link": h["link"],
                            "coef": _write_npy(folder, "coef.npy", h["coef"], np.float32, files),
                            "intercept": _write_npy(folder, "intercept.npy", h["intercept"], np.float32, files)}
    for key in ("calib_a", "calib_b", "thresholds", "levels"):
        if h.get(key) is not None:
            head[key] = _write_npy(folder, f"{key}.npy", h[key], np.float64, files)
    if h.get("clip") is not None:
        head["clip"] = [float(v) for v in h["clip"]]
    stored: dict[str, Any] = {"kind": spec["kind"], "labels": list(spec["labels"]), "blocks": blocks, "head": head}
    if spec.get("context"):
        stored["context"] = spec["context"]
    for part in ("stage1", "line_head"):
        if spec.get(part):
            s1 = spec[part]
            stored[part] = {"link": s1["link"],
                            "coef": _write_npy(folder, f"{part}_coef.npy", s1["coef"], np.float32, files),
                            "intercept": _write_npy(folder, f"{part}_intercept.npy", s1["intercept"], np.float32, files)}
            for key in ("calib_a", "calib_b"):
                if s1.get(key) is not None:
                    stored[part][key] = _write_npy(folder, f"{part}_{key}.npy", s1[key], np.float64, files)
    if spec.get("line_head"):
        stored["line_mix"] = float(spec["line_mix"])
    if spec.get("unit_head"):
        u = spec["unit_head"]
        b = u["block"]
        stored["unit_head"] = {
            "block": {"name": b["name"], "analyzer": b["analyzer"], "sublinear_tf": b["sublinear_tf"],
                      "weight": b["weight"],
                      "terms": _write_json(folder, f"vocab.unit.{b['name']}.json", list(b["terms"]), files),
                      "idf": _write_npy(folder, f"idf.unit.{b['name']}.npy", b["idf"], np.float32, files)},
            "head": {"link": u["head"]["link"],
                     "coef": _write_npy(folder, "unit_coef.npy", u["head"]["coef"], np.float32, files),
                     "intercept": _write_npy(folder, "unit_intercept.npy", u["head"]["intercept"], np.float32, files)},
            "mix": float(u["mix"]), "positive": int(u["positive"])}
    if spec.get("sequence"):
        seq = spec["sequence"]
        stored["sequence"] = {"weight": float(seq["weight"]),
                              **{k: _write_npy(folder, f"{k}.npy", seq[k], np.float64, files)
                                 for k in ("trans", "start", "end")}}
    full_meta = dict(meta)
    full_meta["format_version"] = MODEL_FORMAT
    full_meta["kind"] = spec["kind"]
    full_meta["labels"] = list(spec["labels"])
    full_meta["versions"] = package_versions()
    full_meta["spec"] = stored
    full_meta["files"] = files
    write_meta(folder, full_meta)


def meta_digest(meta: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the meta.json entries that decide predictions (:data:`PROTECTED`).

    >>> len(meta_digest({"format_version": 2, "spec": {}, "files": {}}))
    64
    """
    protected = {k: meta.get(k) for k in PROTECTED}
    canonical = json.dumps(protected, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    """Write ``meta.json`` (under a temporary name, then renamed) with its ``spec_sha256``."""
    meta = json.loads(json.dumps(meta, ensure_ascii=False))  # hash exactly what a reader will see
    meta[DIGEST] = meta_digest(meta)
    tmp = folder / (META + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, folder / META)


# ----------------------------------------------------------------------------- loading


def read_meta(folder: str | os.PathLike) -> dict[str, Any]:
    folder = Path(folder)
    path = folder / META
    if not path.is_file():
        raise ModelError(Errors.E031.format(path=folder))
    try:
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        raise ModelError(Errors.E035.format(path=folder, detail=f"meta.json is not valid JSON ({type(e).__name__})")) from None
    if isinstance(meta, dict) and "spec" not in meta and (other := _other_kind(folder, meta)):
        raise ModelError(Errors.E034.format(path=folder, found=other, expected="text classifier or regressor"))
    if not isinstance(meta, dict) or "format_version" not in meta or "spec" not in meta or "files" not in meta:
        raise ModelError(Errors.E035.format(path=folder, detail="meta.json lacks format_version, spec or files"))
    files = meta["files"]
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ModelError(Errors.E035.format(path=folder, detail="meta.json 'files' is not a {name: sha256} object"))
    check_format(folder, meta["format_version"])
    return meta


def _other_kind(folder: Path, meta: dict[str, Any]) -> str | None:
    """What a model folder that is no text classifier is, when it says so: a spaCy pipeline (the NER) or
    another medtext model (the PHI model, ``task`` "phi"); ``None`` when it does not say.

    >>> _other_kind(Path("x"), {"task": "phi"}), _other_kind(Path("x"), {"pipeline": ["ner"], "lang": "en"})
    ("'phi'", 'spaCy pipeline')
    """
    if "pipeline" in meta or (folder / "config.cfg").is_file():
        return "spaCy pipeline"
    if isinstance(meta.get("task"), str) and meta["task"] not in ("classify", "multilabel", "sentences", "regress"):
        return repr(meta["task"])[:40]
    return None


def check_format(folder: Path, fmt: Any) -> None:
    """Refuse a model format this medtext cannot read: newer (E070: upgrade medtext) or older (E071)."""
    from medtext.about import __version__

    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt < 1:
        raise ModelError(Errors.E035.format(path=folder, detail=f"meta.json format_version is {fmt!r}, not a number"))
    if fmt > MODEL_FORMAT:
        raise ModelError(Errors.E070.format(path=folder, found=fmt, version=__version__, supported=MODEL_FORMAT))
    if fmt < MODEL_FORMAT:
        raise ModelError(Errors.E071.format(path=folder, found=fmt))


def check_digest(folder: Path, meta: dict[str, Any]) -> None:
    """Refuse a meta.json whose protected entries no longer match its ``spec_sha256`` (E072)."""
    try:
        ok = meta.get(DIGEST) == meta_digest(meta)
    except ValueError:  # NaN/inf written into meta.json
        ok = False
    if not ok:
        raise ModelError(Errors.E072.format(path=folder, covered=", ".join(PROTECTED)))


def load_spec(folder: str | os.PathLike, *, verify: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(meta, spec)`` of a model folder, with every file checked against its recorded sha256."""
    folder = Path(folder)
    meta = read_meta(folder)
    if verify:
        check_digest(folder, meta)
    files: dict[str, str] = meta["files"]
    for name, digest in files.items():
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise ModelError(Errors.E035.format(path=folder, detail=f"file '{name}' listed in meta.json is missing"))
        if verify and sha256_file(path) != digest:
            raise ModelError(Errors.E032.format(path=path))

    def npy(name: str):
        if name not in files:
            raise ModelError(Errors.E035.format(path=folder, detail=f"'{name}' is not listed in meta.json files"))
        try:
            return np.load(folder / name, allow_pickle=False).astype(np.float64)
        except (OSError, ValueError, EOFError) as e:
            why = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ModelError(Errors.E035.format(path=folder, detail=f"'{name}': {why}")) from None

    def js(name: str):
        if name not in files:
            raise ModelError(Errors.E035.format(path=folder, detail=f"'{name}' is not listed in meta.json files"))
        try:
            with open(folder / name, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            raise ModelError(Errors.E035.format(path=folder, detail=f"'{name}' is not a valid UTF-8 JSON file "
                                                                f"({type(e).__name__})")) from None

    s = meta["spec"]
    try:
        spec: dict[str, Any] = {"kind": s["kind"], "labels": s["labels"], "blocks": [], "head": {}}
        for b in s["blocks"]:
            spec["blocks"].append({"name": b["name"], "analyzer": b["analyzer"], "sublinear_tf": b["sublinear_tf"],
                                   "weight": b["weight"], "terms": js(b["terms"]), "idf": npy(b["idf"])})
        h = s["head"]
        spec["head"] = {"link": h["link"], "coef": npy(h["coef"]), "intercept": npy(h["intercept"]),
                        "clip": h.get("clip")}
        for key in ("calib_a", "calib_b", "thresholds", "levels"):
            if key in h:
                spec["head"][key] = npy(h[key])
        if "context" in s:
            spec["context"] = s["context"]
        for part in ("stage1", "line_head"):
            if part in s:
                s1 = s[part]
                spec[part] = {"link": s1["link"], **{k: npy(s1[k]) for k in ("coef", "intercept", "calib_a", "calib_b")
                                                     if k in s1}}
        if "line_mix" in s:
            spec["line_mix"] = float(s["line_mix"])
        if "unit_head" in s:
            u = s["unit_head"]
            b = u["block"]
            spec["unit_head"] = {
                "block": {"name": b["name"], "analyzer": b["analyzer"], "sublinear_tf": b["sublinear_tf"],
                          "weight": b["weight"], "terms": js(b["terms"]), "idf": npy(b["idf"])},
                "head": {"link": u["head"]["link"], "coef": npy(u["head"]["coef"]),
                         "intercept": npy(u["head"]["intercept"])},
                "mix": u["mix"], "positive": u["positive"]}
        if "sequence" in s:
            seq = s["sequence"]
            spec["sequence"] = {"weight": seq["weight"], **{k: npy(seq[k]) for k in ("trans", "start", "end")}}
    except KeyError as e:
        raise ModelError(Errors.E035.format(path=folder, detail=f"meta.json spec lacks {e}")) from None
    except (TypeError, ValueError, AttributeError) as e:
        raise ModelError(Errors.E035.format(path=folder, detail=f"meta.json spec is malformed ({type(e).__name__})")) from None
    return meta, spec
