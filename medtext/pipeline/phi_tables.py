"""Lookup tables a PHI model derives from its feature strings, built once and kept in the disk cache.

At every start a PHI model's 100k feature strings (``role=value``) became the
index of the features a unit has on its own and the batch scorer's lookup arrays
(:func:`~medtext.pipeline.phi_scorer.scorer_tables`): about 0.08 s. They depend
only on the feature list and the code that derives them, so they are kept with
:mod:`medtext.pipeline.disk_cache`, keyed by both (the features, and this module,
``phi_scorer``, ``phi_vocab`` and ``phi_model``). A cached copy is plain data
(strings, ints, the arrays' bytes); its types, sizes and row ranges are checked
before use, else the tables are built again.

Example:
    >>> tables = model_tables(["w-1=dr", "c=T", "bag=pt"], folder=None)
    >>> tables.own_index, tables.scorer.vocab["dr"]
    ({'c=T': 1}, 2)
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from medtext.pipeline.disk_cache import cache_dir, read_cached, source_key, write_cached
from medtext.pipeline.phi_features import WINDOW
from medtext.pipeline.phi_scorer import FLAGS, ScorerTables, scorer_tables
from medtext.pipeline.phi_vocab import CASES, KINDS

# Roles of the context features (:func:`~medtext.pipeline.phi_features.context_pairs`), which no unit has on its own.
CONTEXT_ROLES = frozenset(["w-3", "w-2", "w-1", "w+1", "w+2", "w+3", "w-2w-1", "w-1w+1", "bag", "pw", "nw"])
CACHE_NAME = "phi-tables"
CACHE_FORMAT = "medtext phi tables v1"
_BY_TOKEN = [f"w{o:+d}" for o in WINDOW] + ["bag", "pw", "nw"]
_PAIRS = ("w-2w-1", "w-1w+1")
_INT64 = np.dtype("<i8")


class ModelTables(NamedTuple):
    own_index: dict[str, int]  # feature -> weight row, of the features a unit may have on its own
    scorer: ScorerTables


def split_features(features: Sequence[str]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """The features by role (``{role: {value: row}}``) and the index of those a unit has on its own.

    Example:
        >>> split_features(["w-1=dr", "c=T"])
        ({'w-1': {'dr': 0}, 'c': {'T': 1}}, {'c=T': 1})
    """
    roles: dict[str, dict[str, int]] = {}
    own: dict[str, int] = {}
    for index, feature in enumerate(features):
        role, _, value = feature.partition("=")
        roles.setdefault(role, {})[value] = index
        if role not in CONTEXT_ROLES:
            own[feature] = index
    return roles, own


def model_tables(features: Sequence[str], folder: Path | None | bool = True) -> ModelTables:
    """The tables of a model with these features: from the disk cache when it holds them, else built and
    saved there. ``folder``: the cache folder (True: the default one; None: no cache)."""
    if folder is True and cache_dir() is None:  # caching off (MEDTEXT_CACHE=off): no key to compute
        folder = None
    where = None if folder is True else folder
    key = cache_key(features) if folder is not None else b""
    if folder is not None:
        tables = from_plain(read_cached(CACHE_NAME, key, where), len(features))
        if tables is not None:
            return tables
    roles, own = split_features(features)
    tables = ModelTables(own, scorer_tables(roles, len(features)))
    if folder is not None:
        write_cached(CACHE_NAME, key, to_plain(tables), where)
    return tables


def cache_key(features: Sequence[str]) -> bytes:
    """The features and the code that derives the tables."""
    from medtext.pipeline import phi_model, phi_scorer, phi_vocab

    code = [Path(module.__file__) for module in (phi_model, phi_scorer, phi_vocab) if module.__file__]
    return source_key(CACHE_FORMAT, _list_bytes(features), Path(__file__), *code)


def _list_bytes(strings: Sequence[str]) -> bytes:
    """Bytes that differ for different lists: joined by NUL when no string holds one (twice as fast), else
    marshal version 0 (which writes every string the same way, interned or not).

    Example:
        >>> _list_bytes(["a", "b"]) != _list_bytes(["a\\0b"]) != _list_bytes([])
        True
    """
    joined = "\0".join(strings)
    if joined.count("\0") == len(strings) - 1:
        return b"joined\0" + joined.encode("utf-8", "surrogatepass")
    return b"marshal\0" + marshal.dumps(list(strings), 0)


def to_plain(tables: ModelTables) -> dict[str, Any]:
    """The tables as plain data (dicts, strings, ints, bytes) for the disk cache."""
    s = tables.scorer
    arrays = {f"w{o:+d}": s.window[o] for o in WINDOW}
    arrays.update(bag=s.bag, pw=s.pw, nw=s.nw, pc=s.pc, nc=s.nc, pk=s.pk, nk=s.nk)
    for role in _PAIRS:
        arrays[f"{role} keys"], arrays[f"{role} rows"] = s.pairs[role]
    return {
        "own_index": tables.own_index,
        "vocab": s.vocab,
        "flag": s.flag,
        "bag_nl": s.bag_nl,
        "arrays": {name: np.ascontiguousarray(a, dtype=_INT64).tobytes() for name, a in arrays.items()},
    }


def from_plain(data: Any, n_features: int) -> ModelTables | None:
    """Tables from :func:`to_plain` data for a model of ``n_features`` rows; None when anything does not fit."""
    if not isinstance(data, dict) or set(data) != {"own_index", "vocab", "flag", "bag_nl", "arrays"}:
        return None
    own, vocab, flag, bag_nl, raw = data["own_index"], data["vocab"], data["flag"], data["bag_nl"], data["arrays"]
    if not (isinstance(own, dict) and isinstance(vocab, dict) and isinstance(flag, dict) and isinstance(raw, dict)):
        return None
    if set(flag) != set(FLAGS) or not all(_row(v, n_features) for v in flag.values()) or not _row(bag_nl, n_features):
        return None
    if not all(type(k) is str and _row(v, n_features - 1) for k, v in own.items()):
        return None
    size = len(vocab) + 2
    if not all(type(k) is str and type(v) is int and 0 < v < size for k, v in vocab.items()):
        return None
    lengths = {**dict.fromkeys(_BY_TOKEN, size), "pc": len(CASES), "nc": len(CASES), "pk": len(KINDS), "nk": len(KINDS)}
    arrays: dict[str, np.ndarray] = {}
    for name, blob in raw.items():
        if not isinstance(blob, bytes) or len(blob) % _INT64.itemsize:
            return None
        arrays[name] = np.frombuffer(blob, dtype=_INT64).astype(np.int64)  # a writable native copy
    if set(arrays) != set(lengths) | {f"{role} {part}" for role in _PAIRS for part in ("keys", "rows")}:
        return None
    for name, length in lengths.items():
        if len(arrays[name]) != length or not _rows(arrays[name], n_features):
            return None
    pairs = {}
    for role in _PAIRS:
        keys, rows = arrays[f"{role} keys"], arrays[f"{role} rows"]
        if len(keys) != len(rows) or not _rows(rows, n_features) or (len(keys) and (keys[0] < 0 or keys[-1] >= size * size)):
            return None
        if len(keys) > 1 and not (np.diff(keys) >= 0).all():
            return None
        pairs[role] = (keys, rows)
    scorer = ScorerTables(
        vocab=vocab,
        window={o: arrays[f"w{o:+d}"] for o in WINDOW},
        bag=arrays["bag"],
        pw=arrays["pw"],
        nw=arrays["nw"],
        pairs=pairs,
        pc=arrays["pc"],
        nc=arrays["nc"],
        pk=arrays["pk"],
        nk=arrays["nk"],
        flag=flag,
        bag_nl=bag_nl,
    )
    return ModelTables(own, scorer)


def _row(value: Any, top: int) -> bool:
    return type(value) is int and 0 <= value <= top


def _rows(array: np.ndarray, top: int) -> bool:
    return not len(array) or (int(array.min()) >= 0 and int(array.max()) <= top)
