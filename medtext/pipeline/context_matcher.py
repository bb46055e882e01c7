"""Find assertion triggers in a Doc: one compiled matcher, built once per rule set.

Literal rules are compiled into a single case-insensitive regular expression
shaped as a trie (``no(?:\\s+(?:evidence|sign...)|...)``), which runs in C over
the text of the sentences that hold entities and tolerates any run of
whitespace between words (clinical notes are full of ``no   evidence``, which
spaCy tokenizes with whitespace tokens in between, defeating a PhraseMatcher).
At each position the longest literal is taken; matches must start and end on
token boundaries. Token-pattern rules go to one spaCy ``Matcher`` (optional
whitespace tokens are allowed between the pattern's tokens). Neither is ever
changed while documents are processed.

Example:
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> rules = [{"literal": "no evidence of", "category": "negated", "direction": "forward", "max_scope": None}]
    >>> matcher = TriggerMatcher(nlp.vocab, rules)
    >>> doc = nlp("There is no  evidence of pneumonia.")
    >>> [(doc[s:e].text, rule) for s, e, rule in matcher.find(doc, [(0, len(doc))])]
    [('no  evidence of', 0)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy
from spacy.attrs import IDX, LENGTH
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

_WORD = re.compile(r"\w")
_END = ""  # trie key marking the end of a phrase


def trie_regex(phrases: Sequence[str]) -> str:
    """A regex source matching any of ``phrases`` (lower case, single spaces), longest first.

    A space matches any run of whitespace; a phrase that ends in a word character
    must not be followed by one.

    Example:
        >>> trie_regex(["no", "no evidence"])
        '(?:no(?:\\\\s+evidence(?!\\\\w)|(?!\\\\w)))'
    """
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = True

    def build(node: dict[str, Any], last: str) -> str:
        alternatives = []
        for char in sorted(k for k in node if k != _END):
            piece = r"\s+" if char == " " else re.escape(char)
            alternatives.append(piece + build(node[char], char))
        if _END in node:
            alternatives.append(r"(?!\w)" if _WORD.match(last) else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return build(root, "") if root else r"(?!)"


HEADER_RULE = -1  # the rule index of an upper-case label ("REFERRING DIAGNOSIS:"), a terminator
_HEADER = r"(?<![^\s,.;:*])[A-Z][A-Z0-9/&\-]*(?:[ \t]+[A-Z][A-Z0-9/&\-]*)*[ \t]*:"


class Match(NamedTuple):
    """A trigger match: token offsets, the rule (an index into the rule list), the matched text."""

    start: int
    end: int
    rule: int
    text: str


class TriggerMatcher:
    """All trigger matches of a rule list in given token ranges of a Doc.

    With ``headers=True``, an upper-case label followed by a colon inside a
    sentence (``... Not Obtainable *** REFERRING DIAGNOSIS: SYNCOPE``) is
    reported as a terminator (rule index ``HEADER_RULE``): a scope does not run
    across a field of a form.
    """

    def __init__(self, vocab: Vocab, rules: Sequence[dict[str, Any]], headers: bool = True) -> None:
        self.vocab = vocab
        self.headers = headers
        self._literal_rule: dict[str, tuple[int, ...]] = {}
        # Rules that open a scope (not terminators or pseudo): a sentence without one is skipped.
        self._scoping = [r["direction"] not in (None, "terminate") for r in rules]
        patterns: list[tuple[int, list[dict[str, Any]]]] = []
        for index, rule in enumerate(rules):
            if "pattern" in rule:
                patterns.append((index, rule["pattern"]))
            else:
                key = rule["literal"].lower()
                self._literal_rule[key] = merge_rule(self._literal_rule.get(key, ()), index, rules)
        self._matcher: Matcher | None = None
        anchor_words: list[str] | None = None
        if patterns:
            self._matcher = Matcher(vocab, validate=True)
            for index, pattern in patterns:
                self._matcher.add(str(index), [_space_tolerant(pattern)])
            anchors = [pattern_anchor(pattern) for _, pattern in patterns]
            if all(anchors):
                anchor_words = sorted({w for a in anchors for w in a})  # type: ignore[union-attr]
        self._always_patterns = self._matcher is not None and anchor_words is None
        # One pass over a sentence finds: the literals (in a lookahead, so the longest
        # literal at every position, overlapping ones included), upper-case labels, and
        # the anchor words without which no token pattern can match.
        parts: list[str] = []
        self._kind: dict[int, str] = {}

        def add(kind: str, items: list[str]) -> None:
            for group in ([p for p in items if _WORD.match(p)], [p for p in items if not _WORD.match(p)]):
                if group:
                    lead = r"(?<!\w)" if _WORD.match(group[0]) else ""
                    parts.append(lead + "(?=(" + trie_regex(group) + "))")
                    self._kind[len(parts)] = kind

        add("literal", sorted(self._literal_rule))
        if anchor_words:
            add("anchor", anchor_words)
        self._regex = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        # Labels are looked for only in sentences with a colon (a separate, cheap pass).
        self._header = re.compile(_HEADER) if headers else None

    def find(
        self,
        doc: Doc,
        ranges: Sequence[tuple[int, int]],
        texts: Sequence[str] | None = None,
        offsets: tuple[Any, Any] | None = None,
    ) -> list[Match]:
        """Every match inside the token ranges (sentences), unsorted.

        ``texts`` are the ranges' texts (``doc[start:end].text``) and ``offsets`` the
        arrays of token start and end characters, when the caller has them.
        Overlapping matches are all returned (one per rule when a literal has rules
        for several categories); the caller resolves them.
        """
        if not ranges or len(doc) == 0:
            return []
        if offsets is None:
            array = doc.to_array([IDX, LENGTH])
            offsets = (array[:, 0], array[:, 0] + array[:, 1])
        starts_arr, ends_arr = offsets
        chars: list[tuple[int, int, tuple[int, ...], str]] = []
        found: list[Match] = []
        lookup = self._literal_rule
        kinds = self._kind
        scoping = self._scoping
        for k, (start, end) in enumerate(ranges):
            # Span.text, not doc.text: both join token texts in Python, and only the
            # sentences that hold entities need it.
            text = texts[k] if texts is not None else doc[start:end].text
            base = int(starts_arr[start])
            anchored = self._always_patterns
            sentence: list[tuple[int, int, tuple[int, ...], str]] = []
            opens = False
            if self._regex is not None:
                for match in self._regex.finditer(text):
                    group = match.lastindex or 0
                    if kinds[group] == "literal":
                        matched = match.group(group)
                        key = matched.lower()
                        rules = lookup.get(key) or lookup.get(" ".join(key.split()))
                        if rules is not None:  # None: a case-folding oddity, not a literal
                            s = match.start(group)
                            sentence.append((base + s, base + s + len(matched), rules, matched))
                            opens = opens or any(scoping[r] for r in rules)
                    else:
                        anchored = True
            if self._matcher is not None and anchored:
                strings = self.vocab.strings
                for key, s, e in self._matcher(doc[start:end]):
                    rule = int(strings[key])
                    s_char = int(starts_arr[start + s]) - base
                    e_char = int(ends_arr[start + e - 1]) - base
                    found.append(Match(start + s, start + e, rule, text[s_char:e_char]))
                    opens = opens or scoping[rule]
            if not opens:
                continue  # only terminators and pseudo triggers here: nothing to scope
            if self._header is not None and ":" in text:
                for match in self._header.finditer(text):
                    label = match.group()
                    if sum(c.isalpha() for c in label) >= 2:
                        sentence.append((base + match.start(), base + match.end(), (HEADER_RULE,), label))
            chars.extend(sentence)
        if chars:
            found.extend(_align(chars, starts_arr, ends_arr))
        return found


def _align(chars: list[tuple[int, int, tuple[int, ...], str]], starts: Any, ends: Any) -> list[Match]:
    """Character matches to token matches; matches that cut a token are dropped."""
    token_start = numpy.searchsorted(starts, [c[0] for c in chars]).tolist()
    token_end = numpy.searchsorted(ends, [c[1] for c in chars]).tolist()
    n = len(starts)
    out = []
    for (s_char, e_char, indices, text), ts, te in zip(chars, token_start, token_end):
        # Token-aligned only: "no" must not fire inside the token "No." or "no-show".
        if ts < n and te < n and starts[ts] == s_char and ends[te] == e_char:
            out.extend(Match(ts, te + 1, rule, text) for rule in indices)
    return out


def pattern_anchor(pattern: Sequence[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which must occur for the pattern to match (for a cheap pre-filter), or None.

    Among the pattern's required tokens with a fixed word list (LOWER / ORTH / TEXT / NORM,
    a string or ``{"IN": [...]}``), the one whose shortest word is longest is chosen.

    Example:
        >>> sorted(pattern_anchor([{"LOWER": "in"}, {"LOWER": {"IN": ["mother", "father"]}}]))
        ['father', 'mother']
    """
    best: frozenset[str] | None = None
    for token in pattern:
        if token.get("OP") in ("?", "*", "!"):
            continue
        for key in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(key)
            words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
            if words and all(isinstance(w, str) and w for w in words):
                candidate = frozenset(w.lower() for w in words)
                if best is None or min(map(len, candidate)) > min(map(len, best)):
                    best = candidate
                break
    return best


def merge_rule(current: tuple[int, ...], index: int, rules: Sequence[dict[str, Any]]) -> tuple[int, ...]:
    """The rules a literal carries after rule ``index`` is defined for it.

    A literal may carry one rule per category (and one terminator per category).
    A later rule replaces an earlier one of the same kind; a pseudo rule
    replaces them all, and a real rule replaces an earlier pseudo rule.

    Example:
        >>> rules = [{"category": "negated", "direction": "forward"}, {"category": "pseudo", "direction": None}]
        >>> merge_rule((0,), 1, rules)
        (1,)
    """
    rule = rules[index]
    if rule["category"] == "pseudo":
        return (index,)

    def kind(r: dict[str, Any]) -> tuple[Any, bool]:
        return r["category"], r["direction"] == "terminate"

    keep = tuple(i for i in current if rules[i]["category"] != "pseudo" and kind(rules[i]) != kind(rule))
    return keep + (index,)


def _space_tolerant(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Allow whitespace tokens between the tokens of a pattern."""
    out: list[dict[str, Any]] = []
    for i, token in enumerate(pattern):
        if i:
            out.append({"IS_SPACE": True, "OP": "*"})
        out.append(token)
    return out
