"""Features for medtext's linear models: TF-IDF over clinical text, concept codes, negation, sections.

Importing this package is cheap; the scikit-learn transformers load on first use:

    >>> from medtext.features import ClinicalTfidf        # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClinicalTfidf", "ConceptFeatures", "SentenceContextFeatures", "doc_to_record",
           "WordAnalyzer", "CharAnalyzer", "normalize_text"]

_LAZY = {
    "ClinicalTfidf": "medtext.features.tfidf",
    "ConceptFeatures": "medtext.features.concepts",
    "doc_to_record": "medtext.features.concepts",
    "SentenceContextFeatures": "medtext.features.context",
    "WordAnalyzer": "medtext.features.text",
    "CharAnalyzer": "medtext.features.text",
    "normalize_text": "medtext.features.text",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'medtext.features' has no attribute {name!r}")
