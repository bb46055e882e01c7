"""medtext: clinical and biomedical text mining, offline.

``import medtext`` is light (the command line starts fast); the pipeline and
the learning code load on first use.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> [s.text for s in nlp("Pt seen by Dr. Smith. No fever.").sents]
    ['Pt seen by Dr. Smith.', 'No fever.']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medtext.about import __version__

if TYPE_CHECKING:
    from medtext.batch.frame import annotate_frame
    from medtext.pipeline.loader import load

__all__ = ["__version__", "annotate_frame", "load"]


def __getattr__(name: str) -> Any:
    if name == "load":
        from medtext.pipeline.loader import load

        return load
    if name == "annotate_frame":
        from medtext.batch.frame import annotate_frame

        return annotate_frame
    raise AttributeError(f"module 'medtext' has no attribute {name!r}")
