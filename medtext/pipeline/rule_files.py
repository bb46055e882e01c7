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

from medtext.errors import RuleError

Validator = Callable[[Any, str, int], dict[str, Any]]


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
    (``unreadable`` takes path and detail; default: ``message`` at line 0)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        detail = err.strerror if isinstance(err, OSError) and err.strerror else type(err).__name__
        if unreadable is not None:
            raise RuleError(unreadable.format(path=path, detail=detail)) from None
        raise RuleError(message.format(path=path, line=0, detail=f"cannot read the file ({detail})", example=example)) from None
    return parse_jsonl_rules(text.splitlines(), str(path), validate, message, example)
