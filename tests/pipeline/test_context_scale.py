"""ConText scopes stay near-linear in the number of bracketed triggers, with the results of the
straightforward implementation (kept below as the reference)."""

from __future__ import annotations

import random
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import pytest

from medtext.pipeline.context_rules import CATEGORIES
from medtext.pipeline.context_scope import Trigger, WordCounter, assign, bracket_bounds


# --- the reference: assign() as it was, rebuilding the walls of every bracketed trigger ---
def reference_assign(
    triggers: Sequence[Trigger],
    entities: Sequence[tuple[int, int]],
    sent_start: int,
    sent_end: int,
    words: WordCounter | None,
) -> list[dict[str, str]]:
    """For each entity (start, end), the categories that apply: {category: trigger text}.

    ``triggers`` are the non-overlapping triggers of the sentence, sorted by start;
    ``words`` may be None when no trigger has a ``max_scope``.
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
        # A trigger inside brackets neither scopes nor cuts outside them: such "nested"
        # triggers are few, so they are handled one by one; the rest by binary search.
        plain_walls = [t for t in walls if t.lo <= sent_start and t.hi >= sent_end] if nesting else walls
        plain: list[tuple[int, int, Trigger]] = []
        nested: list[tuple[int, int, Trigger]] = []
        plain_index = _RefWalls(plain_walls)
        for t in own:
            is_plain = not nesting or (t.lo <= sent_start and t.hi >= sent_end)
            index = plain_index if is_plain else _RefWalls([w for w in walls if w.lo <= t.start and t.end <= w.hi])
            for scope in _ref_scopes(t, index, max(sent_start, t.lo), min(sent_end, t.hi), words):
                (plain if is_plain else nested).append(scope)
        forward = sorted((s for s in plain if s[2].end <= s[0]), key=lambda s: s[0])
        backward = sorted((s for s in plain if s[2].end > s[0]), key=lambda s: s[0])
        f_lo = [s[0] for s in forward]
        b_lo = [s[0] for s in backward]
        for k, (e_start, e_end) in enumerate(entities):
            candidates = [s for s in nested if s[0] < e_end and s[1] > e_start] if nested else []
            i = bisect_left(f_lo, e_end) - 1
            if i >= 0 and forward[i][1] > e_start:
                candidates.append(forward[i])
            i = bisect_left(b_lo, e_end) - 1
            if i >= 0 and backward[i][1] > e_start:
                candidates.append(backward[i])
            if candidates:
                best = candidates[0] if len(candidates) == 1 else min(candidates, key=lambda s: _ref_distance(s[2], e_start, e_end))
                out[k][category] = best[2].text
    return out


class _RefWalls:
    """Sorted starts and ends of the triggers that cut a scope."""

    def __init__(self, walls: Sequence[Trigger]) -> None:
        self.starts = sorted(t.start for t in walls)
        self.ends = sorted(t.end for t in walls)


def _ref_scopes(t: Trigger, walls: _RefWalls, lo_limit: int, hi_limit: int, words: WordCounter | None) -> list[tuple[int, int, Trigger]]:
    """The forward and/or backward scope (lo, hi, trigger) of one trigger."""
    out = []
    if t.direction in ("forward", "bidirectional"):
        i = bisect_left(walls.starts, t.end)
        hi = min(walls.starts[i] if i < len(walls.starts) else hi_limit, hi_limit)
        if t.max_scope is not None and words is not None:
            hi = min(hi, words.forward_limit(t.end, t.max_scope))
        if hi > t.end:
            out.append((t.end, hi, t))
    if t.direction in ("backward", "bidirectional"):
        j = bisect_right(walls.ends, t.start)
        lo = max(walls.ends[j - 1] if j else lo_limit, lo_limit)
        if t.max_scope is not None and words is not None:
            lo = max(lo, words.backward_limit(t.start, t.max_scope))
        if lo < t.start:
            out.append((lo, t.start, t))
    return out


def _ref_distance(t, e_start, e_end):
    return e_start - t.end if t.end <= e_start else max(t.start - e_end, 0)


# --- random sentences ----------------------------------------------------------------------
_CATS = list(CATEGORIES) + [None]
_DIRECTIONS = ["forward", "backward", "bidirectional", "terminate"]


def _random_sentence(rng, n_tokens, sent_start=0):
    """Tokens with random brackets, non-overlapping triggers and entities (sorted or not)."""
    tokens = [rng.choice(["w", "w", "w", "(", ")", "[", "]", " "]) for _ in range(n_tokens)]
    limits = bracket_bounds(tokens, sent_start)
    triggers, entities = [], []
    i = 0
    while i < n_tokens:
        length = rng.choice([1, 1, 2, 3])
        end = min(i + length, n_tokens)
        roll = rng.random()
        if roll < 0.35:
            direction = rng.choice(_DIRECTIONS)
            category = rng.choice(_CATS) if direction == "terminate" else rng.choice(list(CATEGORIES))
            max_scope = rng.choice([None, None, 1, 2, 5])
            t = Trigger(sent_start + i, sent_start + end, category, direction, max_scope, f"t{i}")
            if limits is not None and rng.random() < 0.9:
                lo, hi = limits[i]
                t = t._replace(lo=lo, hi=hi)
            triggers.append(t)
        elif roll < 0.6:
            entities.append((sent_start + i, sent_start + end))
        i = end + rng.choice([0, 0, 1])
    if rng.random() < 0.2:
        rng.shuffle(entities)
    if rng.random() < 0.1 and entities:
        entities.append((entities[0][0], entities[-1][1]))  # an entity that overlaps others
    words = WordCounter([t == " " for t in [""] * sent_start + tokens])
    return triggers, entities, sent_start + n_tokens, words


@pytest.mark.parametrize("seed", range(300))
def test_same_results_as_the_reference(seed):
    rng = random.Random(seed)
    sent_start = rng.choice([0, 3])
    triggers, entities, sent_end, words = _random_sentence(rng, rng.randint(1, 60), sent_start)
    assert assign(triggers, entities, sent_start, sent_end, words) == reference_assign(
        triggers, entities, sent_start, sent_end, words
    )


def test_same_results_for_many_nested_brackets():
    rng = random.Random(7)
    tokens = []
    for _ in range(300):
        depth = rng.randint(1, 4)
        tokens += ["("] * depth + ["no", "w"] + [")"] * depth + ["w"]
    limits = bracket_bounds(tokens)
    triggers = [
        Trigger(i, i + 1, rng.choice(["negated", "uncertain"]), rng.choice(_DIRECTIONS[:3]), None, "no")._replace(
            lo=limits[i][0], hi=limits[i][1]
        )
        for i, tok in enumerate(tokens)
        if tok == "no"
    ]
    entities = [(i, i + 1) for i, tok in enumerate(tokens) if tok == "w"]
    words = WordCounter([False] * len(tokens))
    assert assign(triggers, entities, 0, len(tokens), words) == reference_assign(triggers, entities, 0, len(tokens), words)


# --- scaling, counted in executed Python lines (no clocks) -----------------------------
def _bracketed_negations(n):
    """The tokens of "(no fever) " * n: a trigger and an entity in each pair of brackets."""
    tokens = ["(", "no", "fever", ")"] * n
    limits = bracket_bounds(tokens)
    triggers = [
        Trigger(4 * k + 1, 4 * k + 2, "negated", "forward", None, "no")._replace(lo=limits[4 * k + 1][0], hi=limits[4 * k + 1][1])
        for k in range(n)
    ]
    entities = [(4 * k + 2, 4 * k + 3) for k in range(n)]
    return triggers, entities, len(tokens)


def _lines_executed(function, *args):
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        result = function(*args)
    finally:
        sys.settrace(None)
    return count, result


def test_bracketed_triggers_scale_linearly():
    costs = []
    for n in (200, 800):
        triggers, entities, end = _bracketed_negations(n)
        lines, result = _lines_executed(assign, triggers, entities, 0, end, None)
        assert result == [{"negated": "no"}] * n
        costs.append(lines)
    # 4 times the triggers: about 4 times the work (the reference does about 16 times).
    assert costs[1] < 5 * costs[0]


def test_the_reference_was_quadratic():
    # Guards the measure above: it does see the quadratic reference.
    costs = [_lines_executed(reference_assign, *_bracketed_negations(n)[:2], 0, 4 * n, None)[0] for n in (100, 400)]
    assert costs[1] > 8 * costs[0]
