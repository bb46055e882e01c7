"""What the PHI rules return and how they scan: :class:`RuleSpan`, and matches tried only where one can start.

Example:
    >>> import re
    >>> [m.group() for m in _scan(re.compile(r"a+"), "baaa aa", _positions("baaa aa", "a"))]
    ['aaa', 'aa']
"""

from __future__ import annotations

import re
from typing import NamedTuple

class RuleSpan(NamedTuple):
    """A PHI span found by a rule (no model needed)."""

    start: int
    end: int
    label: str


def _scan(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, given every position where a match can start (a superset, any order)."""
    out = []
    end = -1
    match = pattern.match
    for pos in sorted(set(starts)):
        if pos >= end:
            m = match(text, pos)
            if m:
                out.append(m)
                end = m.end()
    return out


def _positions(text: str, needle: str) -> list[int]:
    out = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out
