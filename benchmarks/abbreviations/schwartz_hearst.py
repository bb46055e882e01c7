"""The original Schwartz & Hearst (2003) algorithm, as a baseline (what scispaCy and most tools ship).

Candidates are ``long form (SF)`` with an SF of 2-10 characters, at most two words,
a letter in it and a letter or digit first (``SF (long form)`` when the bracket holds
more words than the SF has characters); the long form window is the
``min(|SF| + 5, 2 |SF|)`` words before the bracket, and the long form is found by
matching the SF characters right to left, the first one at a word start.

Example:
    >>> schwartz_hearst_pairs("Two timed artificial insemination (TAI) protocols.")
    {('TAI', 'timed artificial insemination')}
"""

from __future__ import annotations

import re

_BRACKET = re.compile(r"\(([^()]*)\)")


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz-Hearst's ``findBestLongForm``: the shortest matching suffix of ``long``, or None."""
    s, l = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while (l >= 0 and long[l].lower() != c) or (s == 0 and l > 0 and long[l - 1].isalnum()):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    l = long.rfind(" ", 0, l + 1) + 1
    return long[l:]


def _valid_short(short: str) -> bool:
    return (
        2 <= len(short) <= 10
        and len(short.split()) <= 2
        and any(c.isalpha() for c in short)
        and short[0].isalnum()
    )


def schwartz_hearst_pairs(text: str) -> set[tuple[str, str]]:
    """The (short, long) pairs the original algorithm finds in a text (sentence by sentence)."""
    pairs = set()
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
        for match in _BRACKET.finditer(sentence):
            inner = match.group(1).strip()
            inner = re.split(r"[;,]", inner)[0].strip()
            before = sentence[: match.start()].rstrip()
            words = before.split()
            if _valid_short(inner) and words:
                n = min(len(inner) + 5, 2 * len(inner))
                window = " ".join(words[-n:])
                long = best_long_form(inner, window)
                if long and len(long) > len(inner) and inner not in long.split():
                    pairs.add((inner, " ".join(long.split())))
            elif words and len(inner.split()) > len(words[-1]) and _valid_short(words[-1]):
                short = words[-1]
                long = best_long_form(short, inner)
                if long and len(long) > len(short):
                    pairs.add((short, " ".join(long.split())))
    return pairs
