"""Line breaks for the rules that look at lines: a lone carriage return (old Mac files), vertical tab,
form feed, next line (U+0085) and the Unicode line and paragraph separators are line breaks too.

The rules of the ``sections`` and ``sentences`` components find line starts from
``"\\n"``. Files with ``"\\r"`` alone between lines would have no lines at all, so
those rules scan a copy (:func:`line_view`) where each other line break is a ``"\\n"``:
the same length, so every offset still indexes the original text.

Example:
    >>> lone_cr_as_newline("CC: Cough.\\rHPI: 3 days.\\r\\nPLAN: Rest.")
    'CC: Cough.\\nHPI: 3 days.\\r\\nPLAN: Rest.'
    >>> line_view("Note\\u2028PLAN: Rest.\\rHPI: Pain.\\x0cCC: Cough.")
    'Note\\nPLAN: Rest.\\nHPI: Pain.\\nCC: Cough.'
"""

from __future__ import annotations

import re

_LONE_CR = re.compile(r"\r(?!\n)")
# Line breaks other than "\n" and "\r": vertical tab, form feed, next line, line and paragraph separators.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def lone_cr_as_newline(text: str) -> str:
    """``text`` with every ``"\\r"`` not followed by ``"\\n"`` replaced by ``"\\n"`` (same length)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def line_view(text: str) -> str:
    """``text`` with every line break written as ``"\\n"`` (same length, so offsets hold); ``"\\r\\n"`` stays."""
    text = lone_cr_as_newline(text)
    return _OTHER_BREAKS.sub("\n", text) if _OTHER_BREAKS.search(text) else text
