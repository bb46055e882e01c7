"""A chunk cache in front of spaCy's rule tokenizer, with identical output.

spaCy tokenizes each whitespace-free chunk of a text on its own (its own cache
relies on that), but does not cache inside ``nlp.memory_zone()`` and stops
caching for the rest of a doc once a special case was hit. This cache keeps,
per chunk, the tokens (text, trailing space, NORM) spaCy gives that chunk alone,
as plain strings, so it survives memory zones; a Doc is then built from words.

The one context-dependent step of spaCy is its final special-case matcher pass,
which can match token sequences across chunks. A text where such a match is
possible (checked per chunk boundary from the matcher's own patterns) and could
change anything goes through spaCy's tokenizer unchanged.

Example:
    >>> from spacy.lang.en import English
    >>> from medtext.pipeline.tokenizer import build_base_tokenizer
    >>> base = build_base_tokenizer(English().vocab)
    >>> cached = ChunkCache(base)
    >>> [t.text for t in cached("s/p CABG x3,  Lasix")] == [t.text for t in base("s/p CABG x3,  Lasix")]
    True
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import IDX, LENGTH, NORM, ORTH, SPACY, intify_attrs
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# Alternating runs of whitespace and non-whitespace (re's \s is str.isspace()).
_RUNS = re.compile(r"\s+|\S+").findall
# Chunks longer than this are tokenized in pieces of this many characters: spaCy strips
# affixes one at a time, re-searching the rest, so a chunk of 4,000 "(" took 3.3 s and
# 16,000 about a minute (garbage in a batch). Real words, URLs and IUPAC names are shorter.
LONG_CHUNK = 256

# Per chunk: words, trailing-space flags, ((index, norm), ...) of tokens whose NORM
# differs from their lexeme's, first and last token before the matcher pass,
# whether the matcher pass changed the chunk, and whether that last / first
# token is the left / right token of some pair of adjacent pattern tokens.
Entry = tuple[tuple[str, ...], tuple[bool, ...], tuple[tuple[int, str], ...], str, str, bool, bool, bool]


class ChunkCache:
    """Tokenize like ``tokenizer`` (a spaCy ``Tokenizer``), caching per chunk.

    Build a new one whenever the tokenizer's rules change.
    """

    def __init__(self, tokenizer: Tokenizer, max_size: int = 100_000) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.max_size = max_size
        self.cache: dict[str, Entry] = {}
        self.fallbacks = 0
        self.pre_matcher = _without_matcher(tokenizer)
        self.pairs, self.space_pairs, self.rules_by_first = _matcher_rules(tokenizer)
        self.lefts = frozenset(pair[0] for pair in self.pairs)
        self.rights = frozenset(pair[1] for pair in self.pairs)
        self.norm_orths = frozenset(
            sub[ORTH] for subs in tokenizer.rules.values() for sub in _attrs(subs) if NORM in sub
        )
        # Joining chunks for one spaCy call is safe while no pattern has a whitespace token.
        self.batch = not any(word.isspace() for pair in self.pairs for word in pair)

    def __call__(self, text: str) -> Doc:
        if not text:
            return self.tokenizer(text)
        cache = self.cache
        runs = _RUNS(text)
        if len(text) > LONG_CHUNK and max(map(len, runs)) > LONG_CHUNK:
            runs = _cut_long_chunks(runs)
        missing = set(runs).difference(cache)
        if missing and self.batch:
            missing = [run for run in missing if not run[0].isspace()]
            if missing:
                self._add_chunks(sorted(missing))
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[tuple[int, str]] = []
        pairs = self.pairs
        prev: Entry | None = None
        prev_left = False  # prev's last token starts some pattern pair
        for run in runs:
            if run[0] == " " and words:
                spaces[-1] = True  # spaCy attaches one space to the previous token
                if len(run) == 1:
                    continue
                run = run[1:]
            entry = cache.get(run) or self._add_one(run)
            if prev_left and entry[7] and (prev[4], entry[3]) in pairs and self._context_matters(prev, entry):
                self.fallbacks += 1
                return self.tokenizer(text)
            if entry[2]:
                base = len(words)
                norms.extend((base + i, norm) for i, norm in entry[2])
            words.extend(entry[0])
            spaces.extend(entry[1])
            prev = entry
            prev_left = entry[6]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for i, norm in norms:
            doc[i].norm_ = norm
        return doc

    def _context_matters(self, left: Entry, right: Entry) -> bool:
        # A cross-chunk match changes tokens only if it is itself a rule (its
        # text has a space) or if it blocks a match that changed a chunk.
        return left[5] or right[5] or (left[4], right[3]) in self.space_pairs

    def _room(self, n: int) -> None:
        if len(self.cache) + n > self.max_size:
            self.cache.clear()

    def _add_one(self, chunk: str) -> Entry:
        """Tokenize one chunk (any, also whitespace) on its own and cache it."""
        self._room(1)
        post = _tokens(self.tokenizer(chunk))
        pre = _tokens(self.pre_matcher(chunk))
        entry = self.cache[chunk] = self._entry(chunk, post, pre)
        return entry

    def _add_chunks(self, chunks: list[str]) -> None:
        """Tokenize whitespace-free chunks in one spaCy call and cache them.

        The chunks are joined by a whitespace token that no special-case pattern
        contains, so neither affixes nor the matcher pass can see across them.
        """
        self._room(len(chunks))
        joined = _SEPARATOR.join(chunks)
        doc = self.tokenizer(joined)
        rows = doc.to_array([IDX, LENGTH, SPACY, NORM]).tolist()
        strings = self.vocab.strings
        norm_orths = self.norm_orths
        k = 0
        n = len(rows)
        offset = 0
        for chunk in chunks:
            end = offset + len(chunk)
            while k < n and rows[k][0] < offset:
                k += 1  # the separator
            post = []
            while k < n and rows[k][0] < end:
                idx, length, spacy, norm = rows[k]
                word = joined[idx : idx + length]
                post.append((word, bool(spacy), strings[norm] if word in norm_orths else None))
                k += 1
            post[-1] = (post[-1][0], False, post[-1][2])  # alone, a chunk ends without a space
            self.cache[chunk] = self._entry(chunk, tuple(post), None)
            offset = end + len(_SEPARATOR)

    def _entry(self, chunk: str, post: Tokens, pre: Tokens | None) -> Entry:
        words = tuple(t[0] for t in post)
        if pre is None and self._matcher_may_have_acted(words):
            pre = _tokens(self.pre_matcher(chunk))
        changed = pre is not None and self._full(pre) != self._full(post)
        first, last = (pre[0][0], pre[-1][0]) if pre is not None else (words[0], words[-1])
        norms = tuple(
            (i, norm) for i, (word, _, norm) in enumerate(post) if norm is not None and norm != self.vocab[word].norm_
        )
        return (words, tuple(t[1] for t in post), norms, first, last, changed, last in self.lefts, first in self.rights)

    def _full(self, tokens: Tokens) -> Tokens:
        """Tokens with every NORM filled in (the lexeme's where none was recorded)."""
        return tuple((w, s, self.vocab[w].norm_ if n is None else n) for w, s, n in tokens)

    def _matcher_may_have_acted(self, words: tuple[str, ...]) -> bool:
        # The matcher pass replaces tokens by a rule's tokens, so if it acted,
        # some rule's ORTH sequence is among the final tokens.
        by_first = self.rules_by_first
        for i, word in enumerate(words):
            for orths in by_first.get(word, ()):
                if words[i : i + len(orths)] == orths:
                    return True
        return False


def _cut_long_chunks(runs: list[str]) -> list[str]:
    """``runs`` with each non-space run longer than ``LONG_CHUNK`` cut into pieces of that size.

    Example:
        >>> [len(r) for r in _cut_long_chunks(["a", " ", "(" * 600])]
        [1, 1, 256, 256, 88]
    """
    out: list[str] = []
    for run in runs:
        if len(run) > LONG_CHUNK and not run[0].isspace():
            out += [run[i : i + LONG_CHUNK] for i in range(0, len(run), LONG_CHUNK)]
        else:
            out.append(run)
    return out


Tokens = tuple[tuple[str, bool, "str | None"], ...]
_SEPARATOR = "\n\n"


def _tokens(doc: Doc) -> Tokens:
    return tuple((t.text, bool(t.whitespace_), t.norm_) for t in doc)


class _Switch:
    """An affix function that answers "no match" until switched on."""

    def __init__(self, fn: Any, no: Any) -> None:
        self.fn = fn
        self.no = no
        self.on = False

    def __call__(self, text: str) -> Any:
        return self.fn(text) if self.on else self.no


def _without_matcher(tokenizer: Tokenizer) -> Tokenizer:
    """The same tokenizer without its final matcher pass: affixes and special cases only.

    spaCy puts a rule into the matcher when an affix function finds something in
    it, so the affix functions answer "no" while the rules load. Rules with a
    space never equal a whitespace-free chunk and are left out.
    """
    functions = ((tokenizer.prefix_search, None), (tokenizer.suffix_search, None), (tokenizer.infix_finditer, ()))
    switches = [_Switch(fn, no) if fn is not None else None for fn, no in functions]
    rules = {key: value for key, value in tokenizer.rules.items() if key.isspace() or not re.search(r"\s", key)}
    pre = Tokenizer(
        tokenizer.vocab,
        rules=rules,
        prefix_search=switches[0],
        suffix_search=switches[1],
        infix_finditer=switches[2],
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
        faster_heuristics=True,
    )
    for switch in switches:
        if switch is not None:
            switch.on = True
    return pre


def _matcher_rules(tokenizer: Tokenizer) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]], dict[str, list[tuple[str, ...]]]]:
    """Adjacent token pairs of the special-case matcher's patterns (all; of rules with a
    space), and the ORTH sequences of the matcher's rules by their first token.

    spaCy adds a rule to its matcher when an affix function finds something in it
    (or it has a space), as the rule's tokens without special cases.
    """
    plain = Tokenizer(
        tokenizer.vocab,
        rules={},
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
    )
    pairs: set[tuple[str, str]] = set()
    space_pairs: set[tuple[str, str]] = set()
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in tokenizer.rules:
        in_matcher = (
            not tokenizer.faster_heuristics
            or tokenizer.find_prefix(key)
            or tokenizer.find_infix(key)
            or tokenizer.find_suffix(key)
            or " " in key
        )
        if not in_matcher:
            continue
        words = [t.text for t in plain(key)]
        adjacent = set(zip(words, words[1:]))
        pairs |= adjacent
        if re.search(r"\s", key):
            space_pairs |= adjacent
        orths = tuple(sub[ORTH] for sub in _attrs(tokenizer.rules[key]))
        by_first.setdefault(orths[0], []).append(orths)
    return frozenset(pairs), frozenset(space_pairs), by_first


def _attrs(substrings: list[dict[Any, Any]]) -> list[dict[int, Any]]:
    """The rule's token attributes with integer keys (as spaCy reads them)."""
    return [sub if all(type(k) is int for k in sub) else intify_attrs(sub, _do_deprecated=True) for sub in substrings]
