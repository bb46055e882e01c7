"""Find assertion triggers in a Doc: one token trie and one Matcher, built once per rule set.

Literal rules are tokenized with the pipeline's tokenizer and stored in a trie
keyed by lower-case token hashes. Matching walks the trie from the tokens that
can start a literal, skipping whitespace tokens between words (clinical notes
are full of ``no   evidence``, which spaCy tokenizes with whitespace tokens in
between, defeating a PhraseMatcher); at each start the longest literal wins.
Only sentences that contain a token able to open a scope (``no``, ``denies``,
``history``...) are searched at all, which is most of the component's speed.
Token-pattern rules go to spaCy ``Matcher`` objects (optional whitespace tokens
are allowed between the pattern's tokens), one per set of required words: a
pattern is run on a sentence only when every one of its required tokens with a
fixed word list has a word there (``denies ... history of`` needs a denial word
and ``history``), so a pattern starting with a common word (``no``) does not run
on every sentence that has it. Nothing is changed while documents are processed.

Example:
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> rules = [{"literal": "no evidence of", "category": "negated", "direction": "forward", "max_scope": None}]
    >>> matcher = TriggerMatcher(nlp.vocab, rules, nlp.tokenizer)
    >>> doc = nlp("There is no  evidence of pneumonia.")
    >>> [(doc[start:end].text, rule) for start, end, rule in matcher.find(doc, [(0, len(doc))])]
    [('no  evidence of', 0)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

HEADER_RULE = -1  # the rule index of an upper-case label ("REFERRING DIAGNOSIS:"), a terminator
_RULES = -1  # trie key of the rules ending at a node (token hashes are never negative)


Match = tuple[int, int, int]  # (start token, end token, rule index): plain tuples, they are many


class TriggerMatcher:
    """All trigger matches of a rule list in given token ranges (sentences) of a Doc.

    With ``headers=True``, an upper-case label followed by a colon inside a
    sentence (``... Not Obtainable *** REFERRING DIAGNOSIS: SYNCOPE``) is also
    reported, as a terminator (rule index ``HEADER_RULE``): a scope does not run
    across a field of a form.
    """

    def __init__(
        self, vocab: Vocab, rules: Sequence[dict[str, Any]], tokenizer: Callable[[str], Doc], headers: bool = True
    ) -> None:
        self.vocab = vocab
        self.headers = headers
        strings = vocab.strings
        self._trie: dict[int, Any] = {}
        first_any: set[int] = set()  # first tokens of every literal
        first_open: set[int] = set()  # ... of the literals that open a scope (not terminators, not pseudo)
        patterns: list[tuple[int, list[dict[str, Any]]]] = []
        literals = literal_words([rule["literal"] for rule in rules if "pattern" not in rule], tokenizer)
        for index, rule in enumerate(rules):
            if "pattern" in rule:
                patterns.append((index, rule["pattern"]))
                continue
            hashes = [strings.add(word) for word in literals[rule["literal"]]]
            if not hashes:
                continue
            node = self._trie
            for h in hashes:
                node = node.setdefault(h, {})
            node[_RULES] = merge_rule(node.get(_RULES, ()), index, rules)
        for first, node in self._trie.items():
            first_any.add(first)
            if _opens_below(node, rules):
                first_open.add(first)
        # (required word sets, Matcher of the patterns that need exactly them); () = always run
        self._pattern_groups: list[tuple[tuple[frozenset[int], ...], Matcher]] = []
        self._patterns_always = False
        anchor_words: set[int] = set()
        groups: dict[tuple[frozenset[int], ...], Matcher] = {}
        group_keys: dict[int, tuple[frozenset[int], ...]] = {}
        for index, pattern in patterns:
            required = tuple(frozenset(strings.add(w) for w in words) for words in required_words(pattern))
            group_keys[index] = required
            if required not in groups:
                groups[required] = Matcher(vocab, validate=True)
            groups[required].add(str(index), [_space_tolerant(pattern)])
            anchor = pattern_anchor(pattern)
            if anchor is None:
                self._patterns_always = True
                continue
            words = {strings.add(w) for w in anchor}
            anchor_words.update(words)
            if opens(rules[index]):
                first_open.update(words)
        self._pattern_groups = list(groups.items())
        # Each group is looked at only in sentences holding a word of its key set (the required set
        # whose shortest word is longest, as pattern_anchor chooses): a few set lookups per sentence
        # instead of testing every group's requirements.
        self._groups_by_word: dict[int, list[int]] = {}
        self._groups_always: list[int] = []
        # Per group, (its key words, every word its tokens can match) when each token of its patterns
        # matches only words of a fixed list (or whitespace): a match then lies inside a run of such
        # words around a key word, and only those runs are searched, not the whole sentence.
        self._group_runs: list[tuple[frozenset[int], frozenset[int]] | None] = []
        for gi, (required, _) in enumerate(self._pattern_groups):
            self._group_runs.append(None)
            if not required:
                self._groups_always.append(gi)
                continue
            key = max(required, key=lambda words: min(len(strings[w]) for w in words))
            for word in key:
                self._groups_by_word.setdefault(word, []).append(gi)
            closed = [token_words(token) for index, pattern in patterns if group_keys[index] == required for token in pattern]
            if all(words is not None for words in closed):
                self._group_runs[gi] = (key, frozenset(strings.add(w) for words in closed for w in words))
        self._first_any = frozenset(first_any)
        self._anchors = frozenset(anchor_words)
        self._first_open = frozenset(first_open)
        self._colon = strings.add(":")

    def may_open(self, lower: list[int]) -> bool:
        """Whether a doc (its LOWER hashes) may hold a trigger that opens a scope: a cheap pre-check."""
        return self._patterns_always or not self._first_open.isdisjoint(lower)

    def find(self, doc: Doc, ranges: Sequence[tuple[int, int]], lower: list[int] | None = None) -> list[Match]:
        """Every match inside the token ranges (sentences), unsorted.

        ``lower`` is ``doc.to_array(LOWER).tolist()`` when the caller has it. Overlapping matches are all returned (one per rule when a literal has
        rules for several categories); the caller resolves them. A sentence without a
        trigger that opens a scope yields nothing (terminators alone change nothing).
        """
        if not ranges or len(doc) == 0:
            return []
        if lower is None:
            lower = doc.to_array(LOWER).tolist()
        found: list[Match] = []
        trie = self._trie
        first_open = self._first_open
        for start, end in ranges:
            words = lower[start:end]
            if first_open.isdisjoint(words) and not self._patterns_always:
                continue  # nothing here opens a scope: terminators alone change nothing
            sentence: list[Match] = []
            for i in range(start, end):
                node = trie.get(lower[i])
                if node is None:
                    continue
                best_end, best_rules = 0, ()
                last = i + 1
                while True:
                    rules = node.get(_RULES)
                    if rules:
                        best_end, best_rules = last, rules
                    if len(node) == (1 if rules else 0):
                        break  # a leaf
                    # The next word, skipping whitespace tokens ("no   evidence").
                    j, child = last, None
                    while j < end:
                        child = node.get(lower[j])
                        if child is not None or not doc[j].is_space:
                            break
                        j += 1
                    if child is None:
                        break
                    node, last = child, j + 1
                sentence.extend((i, best_end, rule) for rule in best_rules)
            if self._pattern_groups and (self._patterns_always or not self._anchors.isdisjoint(words)):
                sentence.extend(self._pattern_matches(doc, start, end, words))
            if self.headers and sentence and self._colon in words:
                sentence.extend(_headers(doc, lower, start, end, self._colon))
            found.extend(sentence)
        return found


    def _pattern_matches(self, doc: Doc, start: int, end: int, words: list[int]) -> list[Match]:
        """Matches of the token patterns whose required words all occur in the sentence."""
        present = set(words)
        by_word = self._groups_by_word
        candidates = set(self._groups_always)
        for word in present.intersection(by_word):
            candidates.update(by_word[word])
        if not candidates:
            return []
        strings = self.vocab.strings
        found: list[Match] = []
        for gi in sorted(candidates):  # in group order, as before
            required, matcher = self._pattern_groups[gi]
            if all(not alternatives.isdisjoint(present) for alternatives in required):
                runs = self._group_runs[gi]
                spans = [(start, end)] if runs is None else word_runs(doc, words, start, *runs)
                for a, b in spans:
                    found.extend((a + s, a + e, int(strings[key])) for key, s, e in matcher(doc[a:b]))
        return found


def word_runs(doc: Doc, words: list[int], offset: int, key: frozenset[int], allowed: frozenset[int]) -> list[tuple[int, int]]:
    """The token ranges (doc offsets) of the maximal runs of ``allowed`` words and whitespace that hold a ``key`` word.

    ``words`` are the LOWER hashes of the sentence's tokens, ``offset`` its first token.

    Example:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> doc = nlp("yes no such thing , not any")
        >>> h = nlp.vocab.strings
        >>> word_runs(doc, [t.lower for t in doc], 0, frozenset({h["no"], h["not"]}), frozenset({h["no"], h["such"], h["not"]}))
        [(1, 3), (5, 6)]
    """
    runs: list[tuple[int, int]] = []
    n = len(words)
    i = 0
    for k, word in enumerate(words):
        if k < i or word not in key:
            continue  # inside the last run, or no key word
        a = k
        while a > 0 and (words[a - 1] in allowed or doc[offset + a - 1].is_space):
            a -= 1
        i = k + 1
        while i < n and (words[i] in allowed or doc[offset + i].is_space):
            i += 1
        runs.append((offset + a, offset + i))
    return runs


def token_words(token: dict[str, Any]) -> frozenset[str] | None:
    """The lower-case words a pattern token can match (``frozenset()``: whitespace only), or None when it is open.

    Example:
        >>> sorted(token_words({"ORTH": {"IN": ["No", "not"]}, "OP": "?"})), token_words({"LIKE_NUM": True})
        (['no', 'not'], None)
    """
    if token.get("OP") == "!":
        return None  # any other token
    if token == {"IS_SPACE": True, "OP": "*"}:
        return frozenset()  # the whitespace tokens allowed between a pattern's words
    for key in ("LOWER", "ORTH", "TEXT"):
        value = token.get(key)
        words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
        if words and all(isinstance(w, str) for w in words):
            return frozenset(w.lower() for w in words)
    return None


def _headers(doc: Doc, lower: list[int], start: int, end: int, colon: int) -> list[Match]:
    """Upper-case labels ending in a colon (``GI:``, ``REFERRING DIAGNOSIS:``) as terminators."""
    out = []
    for c in range(start + 1, end):
        if lower[c] != colon:
            continue
        j = c
        letters = 0
        while j > start:
            previous = doc[j - 1]
            if previous.is_upper:
                letters += len(previous)
            elif not (previous.is_space and j - 1 > start and doc[j - 2].is_upper and "\n" not in previous.text):
                break
            j -= 1
        if letters >= 2:
            while doc[j].is_space:
                j += 1
            out.append((j, c + 1, HEADER_RULE))
    return out


def opens(rule: dict[str, Any]) -> bool:
    """Whether a rule opens a scope (a trigger), as opposed to terminating one or being pseudo."""
    return rule["direction"] not in (None, "terminate")


def _opens_below(node: dict[int, Any], rules: Sequence[dict[str, Any]]) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        for key, value in current.items():
            if key == _RULES:
                if any(opens(rules[i]) for i in value):
                    return True
            else:
                stack.append(value)
    return False


def required_words(pattern: Sequence[dict[str, Any]]) -> list[frozenset[str]]:
    """For each required token of the pattern with a fixed word list (LOWER, or ORTH / TEXT /
    NORM lower-cased; a string or ``{"IN": [...]}``), its words: the pattern can only match
    a sentence that has a word of every one of these sets.

    Example:
        >>> [sorted(w) for w in required_words([{"LOWER": "no"}, {"LOWER": "prior", "OP": "?"}, {"LOWER": {"IN": ["history", "hx"]}}])]
        [['no'], ['history', 'hx']]
    """
    required = []
    for token in pattern:
        if token.get("OP") in ("?", "*", "!"):
            continue
        for key in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(key)
            words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
            if words and all(isinstance(w, str) and w for w in words):
                required.append(frozenset(w.lower() for w in words))
                break
    return required


def pattern_anchor(pattern: Sequence[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which must occur for the pattern to match (for a cheap pre-filter), or None.

    Among the :func:`required_words` sets, the one whose shortest word is longest is chosen.

    Example:
        >>> sorted(pattern_anchor([{"LOWER": "in"}, {"LOWER": {"IN": ["mother", "father"]}}]))
        ['father', 'mother']
    """
    best: frozenset[str] | None = None
    for candidate in required_words(pattern):
        if best is None or min(map(len, candidate)) > min(map(len, best)):
            best = candidate
    return best


LITERALS_CACHE = "context-literals"


def literal_words(literals: Sequence[str], tokenizer: Callable[[str], Doc]) -> dict[str, tuple[str, ...]]:
    """The lower-case texts of the tokens (whitespace tokens left out) of each literal, as ``tokenizer`` cuts it.

    With medtext's tokenizer as built (:func:`~medtext.pipeline.tokenizer.shipped_settings_key`), they come
    from the disk cache after the first run, keyed by the literals and the tokenizer's settings and code
    (tokenizing the 660 shipped literals is about 0.03 s of every start).

    Example:
        >>> import spacy
        >>> literal_words(["no  evidence of"], spacy.blank("en").tokenizer)
        {'no  evidence of': ('no', 'evidence', 'of')}
    """
    import marshal

    from medtext.pipeline.disk_cache import read_cached, source_key, write_cached
    from medtext.pipeline.tokenizer import shipped_settings_key

    unique = list(dict.fromkeys(literals))
    settings = shipped_settings_key(tokenizer)
    key = None
    if settings is not None:
        key = source_key("medtext context literals v1", settings, marshal.dumps(unique, 0), Path(__file__))
        cached = read_cached(LITERALS_CACHE, key)
        if isinstance(cached, tuple) and len(cached) == len(unique) and all(
            isinstance(words, tuple) and all(type(w) is str and w for w in words) for words in cached
        ):
            return dict(zip(unique, cached))
    found = [tuple(t.lower_ for t in tokenizer(literal) if not t.is_space) for literal in unique]
    if key is not None:
        write_cached(LITERALS_CACHE, key, tuple(found))
    return dict(zip(unique, found))


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
