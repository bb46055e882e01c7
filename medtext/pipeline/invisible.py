"""Invisible format characters inside words: soft hyphen, zero-width space and (non-)joiners, word joiner, BOM, bidi marks.

Text pasted from web pages, PDFs and word processors carries them (``mel\\u00adlitus``);
a reader does not see them, so neither should term matching. Tokens keep them (offsets
are into the original text); :func:`strip_invisible` gives the word a reader sees.

Example:
    >>> strip_invisible("mel\\u00adli\\u200btus"), strip_invisible("mellitus")
    ('mellitus', 'mellitus')
    >>> has_invisible("Jos\\u00e9"), has_invisible("fail\\u200bure")
    (False, True)
"""

from __future__ import annotations

import re

# The characters of Unicode category Cf (format characters; Unicode 14). Most are invisible; the few that
# print (Arabic number signs) carry no letters either.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def is_invisible(ch: str) -> bool:
    """Whether the character ``ch`` is a format character (category Cf)."""
    return ch > "\x7f" and _INVISIBLE.match(ch) is not None


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds an invisible format character (an ASCII text never does)."""
    return not text.isascii() and _INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> str:
    """``text`` without its invisible format characters."""
    return _INVISIBLE.sub("", text) if has_invisible(text) else text


def strip_invisible_edges(text: str) -> str:
    """``text`` without the invisible format characters at its start and end (those inside stay).

    Example:
        >>> strip_invisible_edges("\\ufeffNo.\\u200b"), strip_invisible_edges("mel\\u00adlitus")
        ('No.', 'mel\\xadlitus')
    """
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def visible_view(text: str) -> str:
    """``text`` with every invisible format character written as a space (same length, so offsets hold), for
    rules that read the characters around a word: ``pain.\\u200b Next`` ends a sentence like ``pain. Next``.

    Example:
        >>> visible_view("pain.\\u200b Next") == "pain.  Next"
        True
    """
    return _INVISIBLE.sub(" ", text) if has_invisible(text) else text
