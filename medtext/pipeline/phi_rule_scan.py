"""What the PHI rules return and how they scan: :class:`RuleSpan`, and matches tried only where one can start.

Example:
    >>> import re
    >>> [m.group() for m in scan_at(re.compile(r"a+"), "baaa aa", find_all("baaa aa", "a"))]
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


def scan_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, given every position where a match can start (a superset, any order).

    Example:
        >>> import re
        >>> [m.span() for m in scan_at(re.compile(r"a+"), "baaa aa", [3, 1, 5, 2])]
        [(1, 4), (5, 7)]
    """
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


def find_all(text: str, needle: str) -> list[int]:
    """Every position of ``needle`` in ``text`` (overlapping ones too), in order.

    Example:
        >>> find_all("aaa", "aa"), find_all("abc", "x")
        ([0, 1], [])
    """
    out = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out
