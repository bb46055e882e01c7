"""Lookup keys of lexicon terms: lower-cased tokens joined by single spaces, and a loose variant.

A *loose key* also drops punctuation tokens and a plural ``s``, to find codes for entity text that
differs slightly from the vocabulary term; :func:`ascii_fold` drops accents and invisible characters.

Example:
    >>> make_key(["Type", "2", "Diabetes"]), loose_key("breast - tumours"), ascii_fold("Barré")
    ('type 2 diabetes', 'breast tumour', 'Barre')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from medtext.pipeline.invisible import strip_invisible

def make_key(tokens: Iterable[str]) -> str:
    """The lookup key of a token sequence: lower-cased tokens joined by spaces.

    Example:
        >>> make_key(["Type", "2", "Diabetes"])
        'type 2 diabetes'
    """
    return " ".join(t.lower() for t in tokens if t.strip())


PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_HAS_ALNUM = re.compile(r"[^\W_]").search  # a letter or digit (str.isalnum) somewhere


def is_word(token: str) -> bool:
    """Whether a token is a word of a loose key (it has a letter or digit).

    Example:
        >>> [is_word(t) for t in ["crohn", "'s", "-", "2"]]
        [True, True, False, True]
    """
    return _HAS_ALNUM(token) is not None


def ascii_fold(key: str) -> str:
    """``key`` without accents and invisible characters (the vocabularies spell terms in ASCII), unchanged when
    it is ASCII.

    Example:
        >>> ascii_fold("Guillain-Barré syndrome")
        'Guillain-Barre syndrome'
    """
    if key.isascii():
        return key
    key = strip_invisible(key)
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def loose_key(key: str) -> str:
    """A forgiving variant of a key: alphanumeric tokens only, a final plural ``s`` dropped.

    Example:
        >>> loose_key("breast - tumours")
        'breast tumour'
    """
    if PLAIN_KEY.fullmatch(key):  # most keys: no word to drop (the loose index of 110k keys: 0.77 -> 0.3 s)
        if key[-1:] != "s" or key[-2:] == "ss" or len(key) - key.rfind(" ") - 1 <= 3:
            return key
        return key[:-1]
    return loose_key_any(key)


def loose_key_any(key: str) -> str:
    """:func:`loose_key` for any key (its fast path covers plain keys only): words without a letter or digit
    dropped, a plural ``s`` of the last word too.

    Example:
        >>> loose_key_any("crohn 's diseases"), loose_key_any("x - rays")
        ("crohn 's disease", 'x ray')
    """
    words = [w for w in key.split(" ") if _HAS_ALNUM(w)]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)
