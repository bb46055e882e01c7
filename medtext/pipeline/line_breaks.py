"""Line breaks for the rules that look at lines: a lone carriage return (old Mac files) is one.

The rules of the ``sections`` and ``sentences`` components find line starts from
``"\\n"``. Files with ``"\\r"`` alone between lines would have no lines at all, so
those rules scan a copy where each lone ``"\\r"`` is a ``"\\n"``: the same length,
so every offset still indexes the original text.

Example:
    >>> lone_cr_as_newline("CC: Cough.\\rHPI: 3 days.\\r\\nPLAN: Rest.")
    'CC: Cough.\\nHPI: 3 days.\\r\\nPLAN: Rest.'
"""

from __future__ import annotations

import re

_LONE_CR = re.compile(r"\r(?!\n)")


def lone_cr_as_newline(text: str) -> str:
    """``text`` with every ``"\\r"`` not followed by ``"\\n"`` replaced by ``"\\n"`` (same length)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text
