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
from typing import Any

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


class TriggerMatcher:
    """All trigger matches of a rule list in given token ranges of a Doc."""

    def __init__(self, vocab: Vocab, rules: Sequence[dict[str, Any]]) -> None:
        self.vocab = vocab
        # A literal defined twice keeps its last rule (user rules come after shipped ones).
        self._literal_rule: dict[str, int] = {}
        patterns: list[tuple[int, list[dict[str, Any]]]] = []
        for index, rule in enumerate(rules):
            if "pattern" in rule:
                patterns.append((index, rule["pattern"]))
            else:
                self._literal_rule[rule["literal"].lower()] = index
        word_start = sorted(p for p in self._literal_rule if _WORD.match(p))
        other_start = sorted(p for p in self._literal_rule if not _WORD.match(p))
        parts = []
        if word_start:
            parts.append(r"(?<!\w)(?=(" + trie_regex(word_start) + "))")
        if other_start:
            parts.append(r"(?=(" + trie_regex(other_start) + "))")
        self._regex = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self._matcher: Matcher | None = None
        if patterns:
            self._matcher = Matcher(vocab, validate=True)
            for index, pattern in patterns:
                self._matcher.add(str(index), [_space_tolerant(pattern)])

    def find(self, doc: Doc, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """(start token, end token, rule index) of every match inside the token ranges, unsorted.

        Overlapping matches are all returned; the caller resolves them.
        """
        if not ranges or len(doc) == 0:
            return []
        found: list[tuple[int, int, int]] = []
        if self._regex is not None:
            found.extend(self._find_literals(doc, ranges))
        if self._matcher is not None:
            strings = self.vocab.strings
            for start, end in ranges:
                for key, s, e in self._matcher(doc[start:end]):
                    found.append((start + s, start + e, int(strings[key])))
        return found

    def _find_literals(self, doc: Doc, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
        text = doc.text
        char_starts: list[int] = []
        char_ends: list[int] = []
        rules: list[int] = []
        offsets = doc.to_array([IDX, LENGTH])
        starts_arr = offsets[:, 0]
        ends_arr = starts_arr + offsets[:, 1]
        lookup = self._literal_rule
        for start, end in ranges:
            begin, stop = int(starts_arr[start]), int(ends_arr[end - 1])
            for match in self._regex.finditer(text, begin, stop):  # type: ignore[union-attr]
                group = match.lastindex
                s, e = match.span(group)
                if e > stop:
                    continue
                char_starts.append(s)
                char_ends.append(e)
                rules.append(lookup[" ".join(match.group(group).lower().split())])
        if not rules:
            return []
        token_start = numpy.searchsorted(starts_arr, char_starts)
        token_end = numpy.searchsorted(ends_arr, char_ends)
        n = len(doc)
        out = []
        for s_char, e_char, ts, te, rule in zip(char_starts, char_ends, token_start.tolist(), token_end.tolist(), rules):
            # Token-aligned only: "no" must not fire inside the token "No." or "no-show".
            if ts < n and te < n and starts_arr[ts] == s_char and ends_arr[te] == e_char:
                out.append((ts, te + 1, rule))
        return out


def _space_tolerant(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Allow whitespace tokens between the tokens of a pattern."""
    out: list[dict[str, Any]] = []
    for i, token in enumerate(pattern):
        if i:
            out.append({"IS_SPACE": True, "OP": "*"})
        out.append(token)
    return out
