"""Assertion trigger rules (ConText family): schema, validation, JSONL files.

One rule per JSONL line. A rule is a ``literal`` (matched case-insensitively,
any run of whitespace between its words) or a spaCy token ``pattern`` (with a
``literal`` as its display name), plus:

* ``category``: ``negated``, ``uncertain``, ``historical``, ``family``,
  ``hypothetical``, or ``pseudo`` (a phrase that only blocks shorter triggers
  inside it, e.g. ``no increase``, ``gram negative``);
* ``direction``: ``forward`` (the trigger modifies what follows), ``backward``
  (what precedes), ``bidirectional``, or ``terminate`` (ends the scopes that
  cross it: ``but``, ``however``; a terminator with a ``category`` ends only that
  category's scopes). Pseudo rules take no direction;
* ``max_scope`` (optional): the scope's length in words (whitespace tokens are not
  counted); without it a scope runs to the end (or start) of the sentence;
* ``terminated_by`` (optional, as in medspaCy): other categories whose triggers end
  this trigger's scope (at the comma before them when there is one);
* ``ends_at_comma`` (optional, ``true``): the scope ends at the first comma, so a trigger
  inside a list modifies only its own item (``asthma, possible food allergies, GERD``).

``note`` is free text kept with the rule (attribution, rationale).

Example:
    >>> validate_rule({"literal": "denies", "category": "negated", "direction": "forward"})["max_scope"] is None
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from medtext.errors import Errors, RuleError
from medtext.pipeline.rule_files import parse_jsonl_rules, read_jsonl_rules

CATEGORIES = ("negated", "uncertain", "historical", "family", "hypothetical")
PSEUDO = "pseudo"
DIRECTIONS = ("forward", "backward", "bidirectional", "terminate")
KEYS = frozenset({"literal", "pattern", "category", "direction", "max_scope", "terminated_by", "ends_at_comma", "note"})
EXAMPLE = '{"literal": "denies", "category": "negated", "direction": "forward", "max_scope": 10}'
SHIPPED_FILE = "context_rules.jsonl"


def default_rules() -> list[dict[str, Any]]:
    """The shipped trigger rules (``medtext/resources/context_rules.jsonl``)."""
    return [dict(rule) for rule in _shipped_rules()]


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[dict[str, Any], ...]:
    path = files("medtext.resources").joinpath(SHIPPED_FILE)
    return tuple(parse_rules(path.read_text(encoding="utf-8").splitlines(), SHIPPED_FILE))


def read_rules(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL file of trigger rules, checking every line.

    Example:
        >>> read_rules("/nonexistent.jsonl")
        Traceback (most recent call last):
        medtext.errors.RuleError: [E101] Cannot read assertion rule file '/nonexistent.jsonl': ...
    """
    return read_jsonl_rules(path, validate_rule, Errors.E100, EXAMPLE, unreadable=Errors.E101)


def parse_rules(lines: Iterable[str], source: str) -> list[dict[str, Any]]:
    """Validate JSONL lines of rules; blank lines are skipped."""
    return parse_jsonl_rules(lines, source, validate_rule, Errors.E100, EXAMPLE)


def validate_rule(rule: Any, source: str = "<rules>", number: int = 0) -> dict[str, Any]:
    """Check one rule and return it normalized (all keys present); RuleError names source and line."""

    def fail(detail: str) -> RuleError:
        return RuleError(Errors.E100.format(path=source, line=number, detail=detail, example=EXAMPLE))

    if not isinstance(rule, dict):
        raise fail("a rule must be a JSON object")
    unknown = set(rule) - KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(KEYS))})")
    literal = rule.get("literal")
    pattern = rule.get("pattern")
    if literal is not None and (not isinstance(literal, str) or not literal.strip()):
        raise fail("'literal' must be a non-empty string")
    if pattern is not None:
        _check_pattern(pattern, fail)
    if literal is None and pattern is None:
        raise fail("a rule needs a 'literal' or a token 'pattern'")
    direction = rule.get("direction")
    category = rule.get("category")
    if direction is not None and direction not in DIRECTIONS:
        raise fail(f"'direction' must be one of {', '.join(DIRECTIONS)}; found {direction!r}")
    if direction == "terminate":
        if category is not None and category not in CATEGORIES:
            raise fail(f"a terminator's 'category' must be one of {', '.join(CATEGORIES)} or absent; found {category!r}")
    elif category == PSEUDO:
        if direction is not None:
            raise fail("a pseudo rule takes no 'direction'")
    else:
        if category not in CATEGORIES:
            raise fail(f"'category' must be one of {', '.join(CATEGORIES + (PSEUDO,))}; found {category!r}")
        if direction is None:
            raise fail("'direction' is required (forward, backward, bidirectional or terminate)")
    max_scope = rule.get("max_scope")
    if max_scope is not None:
        if isinstance(max_scope, bool) or not isinstance(max_scope, int) or max_scope < 1:
            raise fail(f"'max_scope' must be a positive whole number of words; found {max_scope!r}")
        if direction == "terminate" or category == PSEUDO:
            raise fail("'max_scope' applies only to triggers with a forward, backward or bidirectional direction")
    terminated_by = rule.get("terminated_by")
    if terminated_by is not None:
        terminated_by = check_categories(terminated_by, None if direction == "terminate" else category, fail)
    ends_at_comma = rule.get("ends_at_comma", False)
    if not isinstance(ends_at_comma, bool):
        raise fail(f"'ends_at_comma' must be true or false; found {ends_at_comma!r}")
    if ends_at_comma and (direction == "terminate" or category == PSEUDO):
        raise fail("'ends_at_comma' applies only to triggers with a forward, backward or bidirectional direction")
    note = rule.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("'note' must be a string")
    out: dict[str, Any] = {
        "literal": " ".join(literal.split()) if literal is not None else _pattern_name(pattern),
        "category": category,
        "direction": direction,
        "max_scope": max_scope,
    }
    if pattern is not None:
        out["pattern"] = pattern
    if terminated_by:
        out["terminated_by"] = terminated_by
    if ends_at_comma:
        out["ends_at_comma"] = True
    if note is not None:
        out["note"] = note
    return out


def check_categories(value: Any, category: str | None, fail: Any) -> list[str]:
    """A rule's ``terminated_by`` (or a category's entry of ``terminating_types``), checked: other categories, sorted.

    Example:
        >>> check_categories(["uncertain"], "negated", ValueError)
        ['uncertain']
    """
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(c, str) for c in value):
        raise fail(f"'terminated_by' must be a list of categories; found {value!r}")
    if category not in CATEGORIES:
        raise fail("'terminated_by' applies only to triggers of a category with a forward, backward or bidirectional direction")
    wrong = [c for c in value if c not in CATEGORIES or c == category]
    if wrong:
        raise fail(f"'terminated_by' takes other categories ({', '.join(c for c in CATEGORIES if c != category)}); found {wrong[0]!r}")
    return sorted(set(value))


def _check_pattern(pattern: Any, fail: Any) -> None:
    if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) and t for t in pattern):
        raise fail("'pattern' must be a non-empty list of spaCy token patterns (JSON objects)")
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(pattern)
    if errors:
        raise fail(f"'pattern' is not a valid spaCy token pattern ({'; '.join(errors)[:200]})")


def _pattern_name(pattern: list[dict[str, Any]]) -> str:
    """A readable name for a pattern rule without a literal (its first exact words)."""
    words = []
    for token in pattern:
        for key in ("LOWER", "ORTH", "TEXT", "NORM"):
            if isinstance(token.get(key), str):
                words.append(token[key].lower())
                break
    return " ".join(words) or "<pattern>"


def rule_to_json(rule: dict[str, Any]) -> dict[str, Any]:
    """The compact JSONL form of a normalized rule (absent keys dropped)."""
    return {key: value for key, value in rule.items() if value is not None}
