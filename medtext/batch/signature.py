"""What must be the same wherever a run's shards are annotated: the pipeline's signature.

A signature is (medtext version, component names, resources fingerprint). The
fingerprint hashes the bytes of the files the components read: medtext's own
resources (lexicons, rule files, PHI lists) and the model folders of ``ner`` and
``phi`` as :func:`medtext.models.find_model` finds them (``$MEDTEXT_MODELS`` first).
So a Dask worker with the same medtext but other model weights or another lexicon
is caught (E042), not silently mixed into the output.

Example:
    >>> version, names, fingerprint = expected_signature(PipelineSettings(exclude=("ner",)))
    >>> "ner" in names, len(fingerprint)
    (False, 16)
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from medtext.batch.job import PipelineSettings

Signature = tuple[str, tuple[str, ...], str]
# component -> the model it reads (by name, as the pipeline finds it)
MODEL_OF_COMPONENT = {"ner": "ner", "phi": "phi-physionet"}


def pipeline_signature(nlp: Any) -> Signature:
    """The signature of a built pipeline."""
    from medtext.about import __version__

    names = tuple(nlp.pipe_names)
    return __version__, names, resources_fingerprint(names)


def expected_signature(settings: PipelineSettings) -> Signature:
    """:func:`pipeline_signature` of the pipeline ``settings`` give on this machine, without building it."""
    from medtext.about import __version__
    from medtext.pipeline.loader import component_names, missing_components

    missing = set(missing_components(settings.exclude))
    names = tuple(n for n in component_names() if n not in settings.exclude and n not in missing)
    return __version__, names, resources_fingerprint(names)


def resources_fingerprint(components: tuple[str, ...]) -> str:
    """16 hex digits over the files that ``components`` read (see module docstring)."""
    from medtext.errors import MedtextError
    from medtext.models import find_model

    folders = [str(files("medtext.resources"))]
    for name in components:
        if name in MODEL_OF_COMPONENT:
            try:
                folders.append(str(find_model(MODEL_OF_COMPONENT[name])))
            except MedtextError:
                folders.append(f"(no model {MODEL_OF_COMPONENT[name]})")
    return _hash_folders(tuple(folders))


@lru_cache(maxsize=16)
def _hash_folders(folders: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        root = Path(folder)
        digest.update(b"\0folder\0")
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
