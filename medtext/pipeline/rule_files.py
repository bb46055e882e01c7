"""Reading rule files: JSONL, one rule per line, each checked, errors naming file and line.

Every user-extensible component (sections, assertion, phi) reads its rules through
here, with its own validator and coded message.

Example:
    >>> from medtext.errors import Errors
    >>> parse_jsonl_rules(['{"a": 1}', ""], "x.jsonl", lambda rule, src, n: rule, Errors.E020, "{}")
    [{'a': 1}]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from medtext.errors import Errors, RuleError

Validator = Callable[[Any, str, int], dict[str, Any]]


def describe(value: Any) -> str:
    """What a value is, for an error message (never its content: it may be note text)."""
    if value is None:
        return "None"
    if isinstance(value, dict):
        return "one dict"
    if isinstance(value, str):
        return "a string"
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def rule_list(rules: Any, method: str, what: str = "rules") -> list[Any]:
    """``rules`` as a list; a RuleError (E023) when it is one rule, a string, None or not iterable.

    Example:
        >>> rule_list(({"a": 1},), "add_rules")
        [{'a': 1}]
    """
    if rules is None or isinstance(rules, (str, bytes, dict)) or not isinstance(rules, Iterable):
        raise RuleError(Errors.E023.format(method=method, what=what, found=describe(rules)))
    return list(rules)


def parse_jsonl_rules(lines: Iterable[str], source: str, validate: Validator, message: str, example: str) -> list[dict[str, Any]]:
    """Validate JSONL lines of rules (blank lines skipped); ``message`` takes path, line, detail, example."""
    rules = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rule = json.loads(line)
        except json.JSONDecodeError as err:
            raise RuleError(message.format(path=source, line=number, detail=f"invalid JSON ({err.msg})", example=example)) from None
        rules.append(validate(rule, source, number))
    return rules


def read_jsonl_rules(
    path: str | Path, validate: Validator, message: str, example: str, unreadable: str | None = None
) -> list[dict[str, Any]]:
    """Read and validate a JSONL rule file; an unreadable file is a RuleError too
    (``unreadable`` takes path and detail; default: E152)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        detail = err.strerror if isinstance(err, OSError) and err.strerror else type(err).__name__
        raise RuleError((unreadable or Errors.E152).format(path=path, detail=detail)) from None
    return parse_jsonl_rules(text.splitlines(), str(path), validate, message, example)


def set_user_rules(component: Any, rules: list[dict[str, Any]]) -> None:
    """Set ``component.user_rules`` and call its ``_build()``; if building fails, restore the previous rules
    (and build them again) before the error goes on, so a component never keeps rules it did not compile."""
    previous = component.user_rules
    component.user_rules = rules
    try:
        component._build()
    except BaseException:
        component.user_rules = previous
        component._build()
        raise


class UserRules:
    """Shipped rules plus a user's, for components whose rules are data.

    A component sets ``use_default_rules`` and ``user_rules``, and defines
    ``_shipped_rules()``, ``_validate_rule(rule, source, number)``,
    ``_read_rule_file(path)`` (its rule module's functions, as static methods:
    ``_read_rule_file = staticmethod(read_rules)``) and ``_build()`` (compile the active rules).
    """

    use_default_rules: bool
    user_rules: list[dict[str, Any]]

    @property
    def rules(self) -> list[dict[str, Any]]:
        """All active rules: the shipped ones (unless switched off), then the user's."""
        return (self._shipped_rules() if self.use_default_rules else []) + self.user_rules

    def add_rules(self, rules: Iterable[dict[str, Any]]) -> None:
        """Add rules; a user's rule wins over a shipped one. All or nothing: every rule is checked
        before any is added, so a RuleError leaves the component as it was."""
        rules = rule_list(rules, f"{getattr(self, 'name', type(self).__name__)}.add_rules")
        checked = [self._validate_rule(rule, "<add_rules>", i) for i, rule in enumerate(rules, 1)]
        self._set_user_rules(self.user_rules + checked)

    def add_from_file(self, path: str | Path) -> None:
        """Add the rules of a JSONL file (RuleError names the file and line of a bad rule; nothing is added then)."""
        self._set_user_rules(self.user_rules + self._read_rule_file(path))

    def _set_user_rules(self, rules: list[dict[str, Any]]) -> None:
        """Make ``rules`` the user's rules and rebuild; if building fails, the previous rules stay in force."""
        set_user_rules(self, rules)

    def _shipped_rules(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _validate_rule(self, rule: Any, source: str, number: int) -> dict[str, Any]:
        raise NotImplementedError

    def _read_rule_file(self, path: str | Path) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _build(self) -> None:
        raise NotImplementedError
