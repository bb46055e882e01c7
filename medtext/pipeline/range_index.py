"""Character ranges of a note, sorted once, asked by binary search whether a span lies inside one of them
or overlaps one: what the PHI component asks for every span of a note (coded terms, sure detections), so
that a long note with many spans is not quadratic; and the abbreviation component, whether a use of a short form
lies inside a definition's short form.

Example:
    >>> index = RangeIndex([(10, 20), (0, 5)])
    >>> index.contains(11, 19), index.contains(4, 11), index.overlaps(4, 11), index.overlaps(5, 10), index.covers(5)
    (True, False, True, False, False)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class RangeIndex:
    """Ranges ``[a, b)`` in any order, overlaps allowed (see the module docstring)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        ordered = sorted(ranges)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))  # _reach[i]: the furthest end of ordered[:i + 1]

    def contains(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside one of the ranges (``a <= start and end <= b``)."""
        i = bisect_right(self._starts, start) - 1  # the last range starting at or before ``start``
        return i >= 0 and self._reach[i] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps one of the ranges (``a < end and start < b``)."""
        i = bisect_left(self._starts, end)  # the ranges that begin before ``end``
        return i > 0 and self._reach[i - 1] > start

    def covers(self, position: int) -> bool:
        """Whether the character at ``position`` lies in one of the ranges (``a <= position < b``)."""
        return self.overlaps(position, position + 1)
