"""Why a value cannot be a document text: one wording for readers and predictors.

Imports nothing, so the numpy-only prediction path (``medtext classify``) and the
readers of :mod:`medtext.io` share it without importing each other.

Example:
    >>> text_problem(""), text_problem(3), text_problem("ok")
    ('empty text', 'text is not a string (got int)', None)
"""

from __future__ import annotations

from typing import Any


def text_problem(value: Any) -> str | None:
    """The reason ``value`` cannot be a document text, or ``None`` when it can."""
    if value is None:
        return "text is null"
    if not isinstance(value, str):
        return f"text is not a string (got {type(value).__name__})"
    if not value:
        return "empty text"
    if value.isspace():
        return "blank text"
    return None
