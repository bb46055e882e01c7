"""ConText scopes: which trigger modifies which entity, within one sentence.

Pure functions over token offsets, no spaCy objects, so they are easy to test.
A forward trigger's scope runs from its end to the first of: the sentence end,
``max_scope`` words, the next trigger of the same category, or the next
terminator for that category. Backward scopes mirror this; bidirectional
triggers have both. Because same-category triggers cut each other's scopes,
the forward (and the backward) scopes of one category never overlap, so each
entity is resolved with a binary search: no entity x trigger loop. A trigger
inside brackets scopes only inside them (``slides (not submitted) show X``).

Example:
    >>> words = WordCounter([False] * 6)
    >>> t = [Trigger(0, 1, "negated", "forward", None, "no")]
    >>> assign(t, [(1, 2), (4, 5)], 0, 6, words)
    [{'negated': 'no'}, {'negated': 'no'}]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any, NamedTuple

from medtext.pipeline.context_rules import CATEGORIES


class Trigger(NamedTuple):
    """A matched trigger: token offsets, its rule's category and direction, and its text."""

    start: int
    end: int
    category: str | None  # None: a terminator for every category
    direction: str
    max_scope: int | None
    text: str
    lo: int = 0  # the scope never leaves [lo, hi): the sentence, or the brackets around the trigger
    hi: int = 1 << 30
    cut_by: frozenset[str] = frozenset()  # other categories whose triggers end this trigger's scope
    comma: bool = False  # the scope ends at the first comma (the rule's ``ends_at_comma``)


class WordCounter:
    """Counts words (non-whitespace tokens) so ``max_scope`` ignores whitespace tokens.

    ``before[i]`` is the number of words among tokens ``0..i-1``.
    """

    def __init__(self, is_space: Sequence[bool]) -> None:
        before = [0]
        count = 0
        for space in is_space:
            count += 0 if space else 1
            before.append(count)
        self.before = before

    @classmethod
    def from_array(cls, is_space: Any) -> WordCounter:
        """From a numpy array of IS_SPACE flags (fast path for whole docs)."""
        import numpy

        counter = cls.__new__(cls)
        counter.before = [0] + numpy.cumsum(is_space == 0).tolist()
        return counter

    def forward_limit(self, end: int, words: int) -> int:
        """The token offset just after ``words`` words starting at token ``end``."""
        target = self.before[end] + words
        return bisect_left(self.before, target)

    def backward_limit(self, start: int, words: int) -> int:
        """The token offset of the first of ``words`` words ending just before token ``start``."""
        target = self.before[start] - words
        return max(bisect_right(self.before, target) - 1, 0)


def assign(
    triggers: Sequence[Trigger],
    entities: Sequence[tuple[int, int]],
    sent_start: int,
    sent_end: int,
    words: WordCounter | None,
    commas: Sequence[int] = (),
) -> list[dict[str, str]]:
    """For each entity (start, end), the categories that apply: {category: trigger text}.

    ``triggers`` are the non-overlapping triggers of the sentence, sorted by start;
    ``words`` may be None when no trigger has a ``max_scope``; ``commas`` are the
    sorted token offsets of the sentence's commas (where a trigger's ``cut_by``
    categories end its scope, see :func:`_cross_walls`, and where the scope of a
    trigger with ``comma`` ends).
    """
    out: list[dict[str, str]] = [{} for _ in entities]
    opening: dict[str, list[Trigger]] = {}
    for t in triggers:
        if t.direction != "terminate":
            opening.setdefault(t.category, []).append(t)  # type: ignore[arg-type]
    nesting = any(t.lo > sent_start or t.hi < sent_end for t in triggers)
    for category in CATEGORIES:
        own = opening.get(category)
        if not own:
            continue
        walls = [t for t in triggers if t.category == category or (t.direction == "terminate" and t.category is None)]
        # A trigger inside brackets neither scopes nor cuts outside them: the scopes of
        # such "nested" triggers are found by walking the walls from the trigger on
        # (see _NestedWalls); the rest by binary search. A trigger with ``cut_by`` also
        # stops at the triggers of those categories (more walls: the scopes of one
        # category still never overlap).
        indexes: dict[frozenset[str], list[Any]] = {}  # cut_by -> [_Walls, forward walls, backward walls, _NestedWalls]
        plain: list[tuple[int, int, Trigger]] = []
        nested: list[tuple[int, int, Trigger]] = []
        for t in own:
            index = indexes.get(t.cut_by)
            if index is None:
                fwd, bwd = _cross_walls(walls, triggers, t.cut_by, commas) if t.cut_by else (walls, walls)
                plain_walls = _Walls(_unbracketed(fwd, sent_start, sent_end), _unbracketed(bwd, sent_start, sent_end)) if nesting else _Walls(fwd, bwd)
                index = indexes[t.cut_by] = [plain_walls, fwd, bwd, None]
            lo_limit, hi_limit = max(sent_start, t.lo), min(sent_end, t.hi)
            if t.comma and commas:
                lo_limit, hi_limit = _comma_limits(t, commas, lo_limit, hi_limit)
            if not nesting or (t.lo <= sent_start and t.hi >= sent_end):
                plain += _scopes(t, index[0], lo_limit, hi_limit, words)
            else:
                if index[3] is None:
                    index[3] = _NestedWalls(index[1], index[2])
                nested += _scopes(t, index[3].visible_to(t), lo_limit, hi_limit, words)
        forward = sorted((s for s in plain if s[2].end <= s[0]), key=lambda s: s[0])
        backward = sorted((s for s in plain if s[2].end > s[0]), key=lambda s: s[0])
        f_lo = [s[0] for s in forward]
        b_lo = [s[0] for s in backward]
        overlapping = _overlapping(nested, entities) if nested else None
        for k, (e_start, e_end) in enumerate(entities):
            candidates = [nested[j] for j in overlapping[k]] if overlapping is not None else []
            i = bisect_left(f_lo, e_end) - 1
            if i >= 0 and forward[i][1] > e_start:
                candidates.append(forward[i])
            i = bisect_left(b_lo, e_end) - 1
            if i >= 0 and backward[i][1] > e_start:
                candidates.append(backward[i])
            if candidates:
                best = candidates[0] if len(candidates) == 1 else min(candidates, key=lambda s: _distance(s[2], e_start, e_end))
                out[k][category] = best[2].text
    return out


def _comma_limits(t: Trigger, commas: Sequence[int], lo: int, hi: int) -> tuple[int, int]:
    """The scope limits of a trigger whose scope ends at the first comma (either way)."""
    i = bisect_left(commas, t.end)
    if i < len(commas):
        hi = min(hi, commas[i])
    j = bisect_left(commas, t.start) - 1
    if j >= 0:
        lo = max(lo, commas[j] + 1)
    return lo, hi


def _overlapping(scopes: list[tuple[int, int, Trigger]], entities: Sequence[tuple[int, int]]) -> list[list[int]]:
    """For each entity, the indices (in order) of the scopes that overlap it.

    One sweep when the entities are in order and do not overlap (``doc.ents``): a scope
    is met once when it opens and dropped once the entities are past it.
    """
    ordered = all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(entities, entities[1:]))
    if not ordered:
        return [[j for j, s in enumerate(scopes) if s[0] < e_end and s[1] > e_start] for e_start, e_end in entities]
    by_lo = sorted(range(len(scopes)), key=lambda j: scopes[j][0])
    p = 0
    active: list[int] = []
    out: list[list[int]] = []
    for e_start, e_end in entities:
        while p < len(by_lo) and scopes[by_lo[p]][0] < e_end:
            active.append(by_lo[p])
            p += 1
        if active:
            active = [j for j in active if scopes[j][1] > e_start]
        out.append(sorted(active))
    return out


def _unbracketed(walls: Sequence[Trigger], sent_start: int, sent_end: int) -> list[Trigger]:
    return [t for t in walls if t.lo <= sent_start and t.hi >= sent_end]


def _cross_walls(
    walls: Sequence[Trigger], triggers: Sequence[Trigger], cut_by: frozenset[str], commas: Sequence[int]
) -> tuple[list[Trigger], list[Trigger]]:
    """The walls of forward and of backward scopes when triggers of ``cut_by`` categories end them too.

    Such a trigger starts a new clause when a comma lies between it and the scope's
    trigger: a forward scope ends at the last comma before it (``no fever, possible
    pneumonia``), a backward scope starts after the first comma behind it (``no
    stenosis, a lesion cannot be excluded``). Without a comma between, the two
    triggers share a phrase (``no suspected pancreatitis``) and both apply.
    """
    fwd, bwd = list(walls), list(walls)
    for c in triggers:
        if c.category not in cut_by or c.direction == "terminate":
            continue
        i = bisect_left(commas, c.start) - 1
        if i >= 0:
            fwd.append(c._replace(start=commas[i], end=commas[i] + 1))
        i = bisect_left(commas, c.end)
        if i < len(commas):
            bwd.append(c._replace(start=commas[i], end=commas[i] + 1))
    return fwd, bwd


class _Walls:
    """Sorted starts (for forward scopes) and ends (for backward scopes) of the triggers that cut a scope."""

    def __init__(self, walls: Sequence[Trigger], backward: Sequence[Trigger] | None = None) -> None:
        self.starts = sorted(t.start for t in walls)
        self.ends = sorted(t.end for t in (walls if backward is None else backward))

    def first_start_from(self, pos: int, limit: int) -> int | None:
        """The smallest start >= ``pos``, if below ``limit``."""
        i = bisect_left(self.starts, pos)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < limit else None

    def last_end_until(self, pos: int, limit: int) -> int | None:
        """The largest end <= ``pos``, if above ``limit``."""
        j = bisect_right(self.ends, pos)
        return self.ends[j - 1] if j and self.ends[j - 1] > limit else None


class _NestedWalls:
    """The walls of a sentence with brackets: each trigger sees the walls whose brackets hold it."""

    def __init__(self, walls: Sequence[Trigger], backward: Sequence[Trigger] | None = None) -> None:
        self.by_start = sorted(walls, key=lambda w: w.start)
        self.by_end = sorted(walls if backward is None else backward, key=lambda w: w.end)
        self.starts = [w.start for w in self.by_start]
        self.ends = [w.end for w in self.by_end]

    def visible_to(self, t: Trigger) -> _Visible:
        return _Visible(self, t)


class _Visible:
    """The walls seen by trigger ``t`` (``w.lo <= t.start and t.end <= w.hi``), as :func:`_scopes` asks for them.

    Instead of sorting the seen walls, the nearest one is found by walking out from
    the trigger over all walls; brackets nest, so the walk crosses only the walls of
    the brackets between the trigger and its nearest wall.
    """

    def __init__(self, walls: _NestedWalls, t: Trigger) -> None:
        self.walls = walls
        self.start = t.start
        self.end = t.end

    def _seen(self, w: Trigger) -> bool:
        return w.lo <= self.start and self.end <= w.hi

    def first_start_from(self, pos: int, limit: int) -> int | None:
        """The smallest start >= ``pos`` of a seen wall, if below ``limit``."""
        walls, starts = self.walls.by_start, self.walls.starts
        for i in range(bisect_left(starts, pos), len(starts)):
            if starts[i] >= limit:
                return None
            if self._seen(walls[i]):
                return starts[i]
        return None

    def last_end_until(self, pos: int, limit: int) -> int | None:
        """The largest end <= ``pos`` of a seen wall, if above ``limit``."""
        walls, ends = self.walls.by_end, self.walls.ends
        for i in range(bisect_right(ends, pos) - 1, -1, -1):
            if ends[i] <= limit:
                return None
            if self._seen(walls[i]):
                return ends[i]
        return None


def _scopes(t: Trigger, walls: _Walls | _Visible, lo_limit: int, hi_limit: int, words: WordCounter | None) -> list[tuple[int, int, Trigger]]:
    """The forward and/or backward scope (lo, hi, trigger) of one trigger."""
    out = []
    if t.direction in ("forward", "bidirectional"):
        first = walls.first_start_from(t.end, hi_limit)
        hi = hi_limit if first is None else first
        if t.max_scope is not None and words is not None:
            hi = min(hi, words.forward_limit(t.end, t.max_scope))
        if hi > t.end:
            out.append((t.end, hi, t))
    if t.direction in ("backward", "bidirectional"):
        last = walls.last_end_until(t.start, lo_limit)
        lo = lo_limit if last is None else last
        if t.max_scope is not None and words is not None:
            lo = max(lo, words.backward_limit(t.start, t.max_scope))
        if lo < t.start:
            out.append((lo, t.start, t))
    return out


def _distance(t: Trigger, e_start: int, e_end: int) -> int:
    return e_start - t.end if t.end <= e_start else max(t.start - e_end, 0)


def bracket_bounds(tokens: Sequence[str], offset: int = 0) -> list[tuple[int, int]] | None:
    """For each token, the (start, end) token range of its innermost bracket pair, or None when there are none.

    Offsets are shifted by ``offset``; tokens outside brackets get the whole range.

    Example:
        >>> bracket_bounds(["a", "(", "b", ")", "c"])
        [(0, 5), (0, 5), (2, 3), (0, 5), (0, 5)]
    """
    if not any(t in _OPEN for t in tokens):
        return None
    n = len(tokens)
    whole = (offset, offset + n)
    # Match brackets with a stack; unmatched ones are ignored.
    pair: dict[int, int] = {}
    stack: list[int] = []
    for i, tok in enumerate(tokens):
        if tok in _OPEN:
            stack.append(i)
        elif tok in _CLOSE and stack and _CLOSE[tok] == tokens[stack[-1]]:
            pair[stack.pop()] = i
    out = [whole] * n
    current: list[tuple[int, int]] = [whole]
    closing: list[int] = []
    for i in range(n):
        out[i] = current[-1]
        if i in pair:
            current.append((offset + i + 1, offset + pair[i]))
            closing.append(pair[i])
        while closing and closing[-1] == i:
            closing.pop()
            current.pop()
            out[i] = current[-1]
    return out


_OPEN = frozenset("([{")
_CLOSE = {")": "(", "]": "[", "}": "{"}
