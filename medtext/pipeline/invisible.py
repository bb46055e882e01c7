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

# Unicode category Cf characters that occur in running text (no language tags, no interlinear annotation).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds an invisible format character (an ASCII text never does)."""
    return not text.isascii() and _INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> str:
    """``text`` without its invisible format characters."""
    return _INVISIBLE.sub("", text) if has_invisible(text) else text
