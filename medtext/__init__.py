"""medtext: clinical and biomedical text mining, offline.

``import medtext`` is light (the command line starts fast); the pipeline and
the learning code load on first use.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> [s.text for s in nlp("Pt seen by Dr. Smith. No fever.").sents]
    ['Pt seen by Dr. Smith.', 'No fever.']

Subpackages load on first use too: ``medtext.learn.load_model(...)`` works after a bare ``import medtext``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from medtext.about import __version__

if TYPE_CHECKING:
    from medtext.batch.frame import annotate_frame
    from medtext.pipeline.loader import load

__all__ = ["__version__", "annotate_frame", "load"]
# imported by ``medtext.<name>`` on first use (PEP 562), as scikit-learn and SciPy do with theirs
SUBPACKAGES = frozenset({"batch", "cli", "deid", "errors", "evaluate", "features", "io", "learn", "pipeline", "visualize"})


def __getattr__(name: str) -> Any:
    if name == "load":
        from medtext.pipeline.loader import load

        return load
    if name == "annotate_frame":
        from medtext.batch.frame import annotate_frame

        return annotate_frame
    if name in SUBPACKAGES:
        return importlib.import_module(f"medtext.{name}")
    raise AttributeError(f"module 'medtext' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | SUBPACKAGES)
