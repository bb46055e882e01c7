"""The one table of custom attributes medtext sets on Docs and Spans.

Values are plain data (str / int / bool / list / dict), so docs pickle, cross
process boundaries and serialize with ``doc.to_bytes``. Registration is
idempotent and happens when a component is created, never at import time.
``DocBin(store_user_data=True)`` keeps them (lists come back as tuples);
``Span.as_doc(copy_user_data=True)`` and ``Doc.from_docs`` keep the Span ones
(spaCy shifts their offsets), not the Doc ones (their offsets are the old doc's).

Example:
    >>> register_extensions()
    >>> from spacy.tokens import Doc
    >>> Doc.has_extension("sections")
    True
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span

# name -> default. Lists and dicts default to None (a shared mutable default
# would leak between docs); readers treat None as empty.
DOC_EXTENSIONS: dict[str, Any] = {
    "sections": None,  # [{category, title, start, end, body_start}]
    "abbreviations": None,  # [{short, long, start, end}]
    "phi": None,  # [{start, end, label, text}]
}

SPAN_EXTENSIONS: dict[str, Any] = {
    "codes": None,  # [{system, code}]
    "source": None,  # "model" | "lexicon" | "both" | a user's ruler name
    "negated": False,
    "uncertain": False,
    "historical": False,
    "family": False,
    "hypothetical": False,
    "triggers": None,  # {category: trigger text}
}

ASSERTION_CATEGORIES = ("negated", "uncertain", "historical", "family", "hypothetical")


# doc -> doc.text, for as long as the doc lives. Kept beside the doc, not in
# doc.user_data: user_data is pickled, serialized by DocBin(store_user_data=True),
# copied by Doc.copy / Span.as_doc(copy_user_data=True), and its keys are printed
# by spaCy's warnings (W102), so a note's text must not be there.
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc (spaCy rebuilds it from tokens on every access).

    The medtext tokenizer remembers the text it was given (which is ``doc.text``:
    tokens keep every character); retokenizing never changes it.

    Example:
        >>> from spacy.lang.en import English
        >>> doc = English()("No  fever.")
        >>> doc_text(doc) == doc.text and "medtext.text" not in doc.user_data
        True
    """
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Remember the text of a freshly tokenized doc (see :func:`doc_text`); nothing is stored in the doc."""
    _TEXTS[doc] = text


def register_extensions() -> None:
    """Register every extension once; safe to call many times."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def span_data_key(name: str, start_char: int, end_char: int) -> tuple[str, str, int, int]:
    """The ``doc.user_data`` key under which spaCy keeps ``span._.<name>`` of the span at these
    characters, for an attribute without getter or setter: hot loops read and write it directly,
    without an Underscore object per access.

    Example:
        >>> import spacy
        >>> register_extensions()
        >>> doc = spacy.blank("en")("No fever")
        >>> doc[1:2]._.source = "lexicon"
        >>> doc.user_data[span_data_key("source", 3, 8)]
        'lexicon'
    """
    return ("._.", name, start_char, end_char)


def stored_on_doc(name: str) -> bool:
    """Whether setting ``span._.<name>`` stores the value under :func:`span_data_key` (no setter of its own).

    Example:
        >>> register_extensions()
        >>> stored_on_doc("codes")
        True
    """
    extension = Span.get_extension(name)  # (default, method, getter, setter)
    return extension is not None and extension[3] is None
