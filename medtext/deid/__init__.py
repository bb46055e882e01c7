"""De-identification as a library: find PHI with the ``phi`` component, then redact, mask or replace it.

Modes: ``redact`` (``[NAME]``), ``mask`` (same-length ``*``) and ``surrogate``
(realistic fakes, the same original -> the same fake within a document, dates
moved by one per-document offset so intervals are kept; seeded).

Example:
    >>> from medtext.deid import deidentify
    >>> deidentify("Seen by Dr. Tasker on 7/23.", mode="redact")  # doctest: +SKIP
    'Seen by Dr. [NAME] on [DATE].'
"""

from __future__ import annotations

from typing import Any

from medtext.deid.transform import MODES, apply_spans, check_mode, mask_text
from medtext.pipeline.extensions import doc_text

__all__ = ["MODES", "apply_spans", "deidentify", "mask_text", "phi_pipeline"]

_PIPELINE: dict[str, Any] = {}


def phi_pipeline() -> Any:
    """The default pipeline reduced to what PHI detection needs (tokenizer + ``phi``), built once."""
    nlp = _PIPELINE.get("nlp")
    if nlp is None:
        from medtext.pipeline.loader import component_names, load

        nlp = _PIPELINE["nlp"] = load(exclude=[n for n in component_names() if n != "phi"])
    return nlp


def deidentify(text_or_doc: Any, mode: str = "redact", *, nlp: Any = None, seed: int | None = None,
               doc_id: Any = None) -> str:
    """The de-identified text of a string or an annotated Doc (which keeps its ``doc._.phi``).

    ``nlp`` defaults to :func:`phi_pipeline`; ``doc_id`` and ``seed`` (a secret key; default: a fresh random
    one per call) fix the surrogates.
    Anything else (None, NaN, bytes) is a ``TypeError`` that names what was given.

    Example:
        >>> deidentify(None)
        Traceback (most recent call last):
        TypeError: deidentify takes a str or a spaCy Doc; got NoneType
    """
    from spacy.tokens import Doc

    check_mode(mode)
    if isinstance(text_or_doc, str):
        doc = (nlp or phi_pipeline())(text_or_doc)
    elif not isinstance(text_or_doc, Doc):
        hint = " (a pandas Series: series.map(deidentify) on its non-null texts)" if hasattr(text_or_doc, "map") else ""
        if hasattr(text_or_doc, "doc") and hasattr(text_or_doc, "text"):  # a Span or a Token
            hint = " (a Span or Token: de-identify its Doc, deidentify(span.doc), or its text, deidentify(span.text))"
        raise TypeError(f"deidentify takes a str or a spaCy Doc; got {type(text_or_doc).__name__}{hint}")
    else:
        doc = text_or_doc
        if doc._.phi is None:
            doc = (nlp or phi_pipeline())(doc_text(doc))
    text = doc_text(doc)
    key = doc_id if doc_id is not None else text
    return apply_spans(text, doc._.phi or [], mode, seed=seed, doc_key=key)
