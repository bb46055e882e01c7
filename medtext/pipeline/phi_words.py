"""Which words a text holds and where they start: what the PHI rules and cues look up first.

A rule or cue anchored on cue words (``SSN``, ``husband``, ``moved``) is tried only where one
of them starts a word; :func:`cue_words` tells in one C-level pass which words occur at all.

Example:
    >>> present = cue_words("Husband Zorvan called; SSN 123-45-6789.")
    >>> b"husband" in present, b"wife" in present
    (True, False)
    >>> cue_starts("husband zorvan called; ssn 123-45-6789.", present, ("ssn", "wife"))
    [23]
"""

from __future__ import annotations

from functools import lru_cache

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The four non-ASCII letters re's IGNORECASE takes for ASCII ones (İ, ı, ſ and the Kelvin sign); without
# them a text's lower() keeps its length and gives no non-ASCII character an ASCII letter (checked over
# every code point), so offsets into the lower-cased text and ASCII word tests hold.
CASE_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
# Every ASCII byte but letters and digits becomes a space: then ``split`` gives the words of a text.
_SEPARATE = bytes(c if chr(c).isalnum() or c >= 128 else 32 for c in range(256))


@lru_cache(maxsize=2)
def cue_words(text: str) -> frozenset[bytes]:
    """The lower-case words of ``text`` (UTF-8, split at ASCII characters other than letters and digits),
    to see at once which cue words occur: one C-level pass instead of one search per cue word. The last
    texts' words are kept: the rules (:func:`~medtext.pipeline.phi_patterns.rule_spans`) and the cues ask for
    the same text one after the other."""
    return frozenset(text.lower().encode("utf-8").translate(_SEPARATE).split())


def ascii_words(low: str) -> frozenset[bytes]:
    """The words of the lower-case ``low`` split at every character but ASCII letters and digits: a cue word
    next to ``“``, ``°`` or a no-break space is a word here (in :func:`cue_words` non-ASCII characters join words).

    Example:
        >>> sorted(ascii_words("\u201cssn 12\u00b0c\u201d"))
        [b'12', b'c', b'ssn']
    """
    return frozenset(low.encode("ascii", "replace").translate(_SEPARATE).split())


def cue_starts(low: str, present: frozenset[bytes], words: tuple[str, ...]) -> list[int]:
    """Where the cue ``words`` that occur as words of the text (``present``) start a word."""
    found = tuple(word for word in words if word.encode("ascii") in present)
    return word_starts(low, found) if found else []


def word_starts(low: str, words: tuple[str, ...]) -> list[int]:
    """Sorted positions in ``low`` where one of ``words`` starts a word (no letter before it)."""
    out = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            if not at or low[at - 1] not in _LETTERS:
                out.add(at)
            at = low.find(word, at + 1)
    return sorted(out)
