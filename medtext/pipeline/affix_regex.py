"""Faster regexes that match exactly like spaCy's compiled affix rules.

spaCy joins infix rules into one alternation (``compile_infix_regex``) and suffix rules
into an alternation of ``rule$`` (``compile_suffix_regex``). Most rules start with a
look-behind, so Python's regex engine cannot skip to candidate characters: it tries
every alternative at every position of every new chunk of text. The forms here give
the same match spans for every string:

* :func:`set_first` matches the first character of any rule from one set (the engine
  skips to candidates), then tries the rules in their order, each checking that
  character by looking back;
* :func:`suffix_tail` tries the bounded rules only where the end of the string is near
  (a suffix is short), and the unbounded ones everywhere.

Example:
    >>> import re
    >>> fast = re.compile(set_first([r"(?<=[a-z])-(?=[a-z])", r"\\.\\.+"]))
    >>> [m.span() for m in fast.finditer("well-known... x-1")]
    [(4, 5), (10, 13)]
    >>> re.compile(suffix_tail([r"\\.\\.+", r"(?<=[0-9])(?:mg|g)"])).search("10mg").span()
    (2, 4)
"""

from __future__ import annotations

import re._parser as _sre_parse  # the parser of Python's re: widths of rules

_QUANTIFIERS = frozenset("*+?{")
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")


def set_first(alternatives: list[str]) -> str:
    """A pattern that matches like ``"|".join(alternatives)`` (same spans, same order) and starts with a set.

    Each alternative must be optional look-behinds, then one character (a literal, an
    escape, a class, or a group of such choices), then anything; else ``ValueError``.
    """
    # "|".join is associative: a rule with its own top-level "|" is several rules.
    branches = [b for alt in alternatives if alt.strip() for part in _split_top(alt) for b in _branches(part)]
    firsts = "|".join(dict.fromkeys(first for first, _ in branches))
    return f"(?:{firsts})(?:" + "|".join(branch for _, branch in branches) + ")"


def suffix_tail(alternatives: list[str]) -> str:
    """A pattern whose ``search`` spans equal those of spaCy's ``compile_suffix_regex(alternatives)``.

    Every match of a suffix rule ends at ``$``, so a rule at most ``n`` characters wide can only
    match where at most ``n + 1`` characters are left: each run of such rules (in their order)
    is guarded by a look-ahead that fails fast elsewhere, then by a look-ahead at the set of
    their first characters; rules of unbounded width stay as they are.
    """
    parts: list[str] = []
    run: list[str] = []
    for alt in alternatives:
        if not alt.strip():
            continue
        # (A rule with its own top-level "|" gets "$" on its last part only: left as it is.)
        if len(_split_top(alt)) == 1 and _sre_parse.parse(alt).getwidth()[1] < _sre_parse.MAXREPEAT:
            run.append(alt)
            continue
        if run:
            parts.append(_guarded(run))
            run = []
        parts.append(f"{alt}$")
    if run:
        parts.append(_guarded(run))
    return "|".join(parts)


def _guarded(run: list[str]) -> str:
    """Rules of bounded width as one group that fails fast where none can match."""
    width = max(_sre_parse.parse(alt).getwidth()[1] for alt in run)
    # At most ``width`` characters before the end, or ``width + 1`` when the last is a line
    # break (``$`` matches before it); possessive, so it fails after ``width`` steps.
    guard = f"(?=(?s:.){{0,{width}}}+$)"
    try:
        firsts = "|".join(dict.fromkeys(first for alt in run for first, _ in _branches(alt)))
        guard += f"(?=(?:{firsts}))"
    except ValueError:
        pass  # a rule whose first character is not known: no set to check
    return guard + "(?:" + "|".join(f"{mark_first(alt)}$" for alt in run) + ")"


def mark_first(alt: str) -> str:
    """``alt`` matching its first character before it looks back (same spans), when it is
    look-behinds then one character item: the regex engine rejects most places on that
    character before it runs the look-behinds (long Unicode classes are slow to test).
    Other rules are returned as they are.

    Example:
        >>> print(mark_first(r"(?<=[a-z])\\."))
        \\.(?<=(?:[a-z])\\.)
    """
    behinds = []
    rest = alt
    while rest.startswith("(?<="):
        end = _group_end(rest, 0)
        behinds.append(rest[4 : end - 1])
        rest = rest[end:]
    size = _item_size(rest)
    if not behinds or not size or rest[size : size + 1] in _QUANTIFIERS:
        return alt
    first = rest[:size]
    return first + "".join(f"(?<=(?:{b}){first})" for b in behinds) + rest[size:]


def _branches(alt: str) -> list[tuple[str, str]]:
    """(first character item, branch that checks it looking back) for each way ``alt`` starts."""
    behinds = []
    while alt.startswith("(?<="):
        end = _group_end(alt, 0)
        behinds.append(alt[4 : end - 1])
        alt = alt[end:]
    if alt.startswith("(?:"):
        end = _group_end(alt, 0)
        if alt[end : end + 1] in _QUANTIFIERS:
            raise ValueError(f"a rule that starts with a repeated group: {alt[:40]!r}")
        choices = _split_top(alt[3 : end - 1])
        rule = "".join(f"(?<={b})" for b in behinds)
        return [x for choice in choices for x in _branches(rule + choice + alt[end:])]
    size = _item_size(alt)
    first, rest = alt[:size], alt[size:]
    if not first or rest[:1] in _QUANTIFIERS:
        raise ValueError(f"a rule without a single first character: {alt[:40]!r}")
    checks = "".join(f"(?<=(?:{b}){first})" for b in behinds) or f"(?<={first})"
    return [(first, checks + rest)]


def _item_size(alt: str) -> int:
    """Length of the one-character item that starts ``alt`` (0 when it is not one)."""
    if not alt:
        return 0
    if alt[0] == "\\":
        kind = alt[1:2]
        if kind in _ZERO_WIDTH_ESCAPES or kind == "N" or kind.isdigit():
            return 0
        return {"u": 6, "U": 10, "x": 4}.get(kind, 2)
    if alt[0] == "[":
        return _class_end(alt, 0)
    return 0 if alt[0] in "().^$|*+?{" else 1


def _class_end(alt: str, start: int) -> int:
    """Index after the ``]`` closing the class that opens at ``start``."""
    i = start + 1
    if alt[i : i + 1] == "^":
        i += 1
    if alt[i : i + 1] == "]":
        i += 1
    while alt[i] != "]":
        i += 2 if alt[i] == "\\" else 1
    return i + 1


def _group_end(alt: str, start: int) -> int:
    """Index after the ``)`` closing the group that opens at ``start``."""
    depth, i = 0, start
    while True:
        c = alt[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(alt, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _split_top(body: str) -> list[str]:
    """``body`` split at its top-level ``|``."""
    parts, depth, i, begin = [], 0, 0, 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(body, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[begin:i])
            begin = i + 1
        i += 1
    parts.append(body[begin:])
    return parts
