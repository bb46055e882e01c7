"""A chunk cache in front of spaCy's rule tokenizer, with identical output.

spaCy tokenizes each whitespace-free chunk of a text on its own (its own cache
relies on that), but does not cache inside ``nlp.memory_zone()`` and stops
caching for the rest of a doc once a special case was hit. This cache keeps,
per chunk, the tokens (text, trailing space, NORM) spaCy gives that chunk alone,
so it survives memory zones: as ORTH ids of lexemes made outside a zone (which
stay), as plain strings when made inside one; a Doc is then built from them.

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
from itertools import accumulate, chain, compress, islice
from operator import itemgetter
from typing import Any

from spacy.attrs import IDX, LENGTH, NORM, ORTH, SPACY, intify_attrs
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# The keys of the cache: a whitespace-free chunk with the one space after it (spaCy
# attaches it to the chunk's last token), or a run of whitespace (re's \s is str.isspace())
# that is a token of its own; one space is the common gap, so a text has about one key per word.
_KEYS = re.compile(r"\S+ ?|\s+").findall
# Chunks longer than this are tokenized in pieces of this many characters: spaCy strips
# affixes one at a time, re-searching the rest, so a chunk of 4,000 "(" took 3.3 s and
# 16,000 about a minute (garbage in a batch). Real words, URLs and IUPAC names are shorter.
LONG_CHUNK = 256

# Per chunk: its words as a Doc is built from them (their ORTH ids: a Doc finds a
# lexeme by id about four times faster than by its text; or the words themselves when
# the entry was made inside a memory zone, which frees its new lexemes and strings),
# trailing-space flags, ((index, norm), ...) of tokens whose NORM differs from their
# lexeme's, first and last token before the matcher pass, whether the matcher pass
# changed the chunk, and whether that last / first token is the left / right token
# of some pair of adjacent pattern tokens.
Entry = tuple[tuple[int | str, ...], tuple[bool, ...], tuple[tuple[int, str], ...], str, str, bool, bool, bool]
_IDS, _SPACES, _NORMS, _FIRST_IS_RIGHT = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(7)
_NO_SPACE = (False,)


class ChunkCache:
    """Tokenize like ``tokenizer`` (a spaCy ``Tokenizer``), caching per chunk.

    Build a new one whenever the tokenizer's rules change. ``settings_key``: a key for the tokenizer's
    settings (:func:`~medtext.pipeline.tokenizer.shipped_settings_key`), with which what the matcher's rules
    are made of comes from the disk cache.
    """

    def __init__(self, tokenizer: Tokenizer, max_size: int = 100_000, settings_key: bytes | None = None) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.max_size = max_size
        self.cache: dict[str, Entry] = {}
        self.fallbacks = 0
        self.pre_matcher = _without_matcher(tokenizer)
        self.pairs, self.space_pairs, self.rules_by_first = _cached_matcher_rules(tokenizer, settings_key)
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
        keys = _KEYS(text)
        if len(text) > LONG_CHUNK and max(map(len, keys)) > LONG_CHUNK:
            keys = _cut_long_chunks(keys)
        missing = set(keys).difference(cache)
        if missing:
            if len(cache) + len(missing) > self.max_size:
                cache.clear()
                missing = set(keys)
            self._add_keys(missing)
        entries = list(map(cache.__getitem__, keys))
        # A special case may match across two chunks only where one's last token is the
        # left and the next one's first token the right token of some pattern pair.
        for i in compress(range(1, len(entries)), map(_FIRST_IS_RIGHT, islice(entries, 1, None))):
            prev, entry = entries[i - 1], entries[i]
            if prev[6] and (prev[4], entry[3]) in self.pairs and self._context_matters(prev, entry):
                self.fallbacks += 1
                return self.tokenizer(text)
        ids = list(chain.from_iterable(map(_IDS, entries)))
        spaces = list(chain.from_iterable(map(_SPACES, entries)))
        doc = Doc(self.vocab, words=ids, spaces=spaces)
        with_norms = list(compress(range(len(entries)), map(_NORMS, entries)))
        if with_norms:
            bases = list(accumulate(map(len, map(_IDS, entries)), initial=0))
            for k in with_norms:
                for i, norm in entries[k][2]:
                    doc[bases[k] + i].norm_ = norm
        return doc

    def _context_matters(self, left: Entry, right: Entry) -> bool:
        # A cross-chunk match changes tokens only if it is itself a rule (its
        # text has a space) or if it blocks a match that changed a chunk.
        return left[5] or right[5] or (left[4], right[3]) in self.space_pairs

    def _add_keys(self, keys: set[str]) -> None:
        """Cache the entries of new keys (see ``_KEYS``): whitespace runs, and chunks with the space after them."""
        cache = self.cache
        chunk_of: dict[str, str] = {}
        for key in keys:
            if key[0].isspace():
                cache[key] = self._alone(key)
            else:
                chunk_of[key] = key[:-1] if key[-1] == " " else key
        if not chunk_of:
            return
        chunks = sorted(set(chunk_of.values()))
        entries = self._tokenize_chunks(chunks) if self.batch else {chunk: self._alone(chunk) for chunk in chunks}
        for key, chunk in chunk_of.items():
            entry = entries[chunk]
            # spaCy attaches one space to the token before it
            cache[key] = entry if len(key) == len(chunk) else (entry[0], entry[1][:-1] + (True,), *entry[2:])

    def _alone(self, chunk: str) -> Entry:
        """The entry of one chunk (any, also whitespace), tokenized on its own."""
        doc = self.tokenizer(chunk)
        pre = _tokens(self.pre_matcher(chunk))
        return self._entry(chunk, _tokens(doc), pre, tuple(t.orth for t in doc))

    def _tokenize_chunks(self, chunks: list[str]) -> dict[str, Entry]:
        """The entries of whitespace-free chunks, tokenized in one spaCy call.

        The chunks are joined by a whitespace token that no special-case pattern
        contains, so neither affixes nor the matcher pass can see across them.
        """
        joined = _SEPARATOR.join(chunks)
        doc = self.tokenizer(joined)
        rows = doc.to_array([IDX, LENGTH, SPACY, NORM, ORTH]).tolist()
        strings = self.vocab.strings
        norm_orths = self.norm_orths
        plain = self._plain_entry
        entries: dict[str, Entry] = {}
        k = 0
        n = len(rows)
        offset = 0
        for chunk in chunks:
            end = offset + len(chunk)
            while k < n and rows[k][0] < offset:
                k += 1  # the separator
            if rows[k][1] == len(chunk) and (entry := plain(chunk, rows[k][4])) is not None:
                entries[chunk] = entry  # most chunks: one token, no rule of the tokenizer's for it
                k += 1
                offset = end + len(_SEPARATOR)
                continue
            post = []
            orths = []
            while k < n and rows[k][0] < end:
                idx, length, spacy, norm, orth = rows[k]
                word = joined[idx : idx + length]
                post.append((word, bool(spacy), strings[norm] if word in norm_orths else None))
                orths.append(orth)
                k += 1
            post[-1] = (post[-1][0], False, post[-1][2])  # alone, a chunk ends without a space
            entries[chunk] = self._entry(chunk, tuple(post), None, tuple(orths))
            offset = end + len(_SEPARATOR)
        return entries

    def _plain_entry(self, chunk: str, orth: int) -> Entry | None:
        """The entry of a chunk that is one token, when no rule names it (None when one may: see :meth:`_entry`)."""
        if chunk in self.norm_orths or chunk in self.rules_by_first:
            return None
        ids = (chunk,) if self.vocab.in_memory_zone else (orth,)
        return (ids, _NO_SPACE, (), chunk, chunk, False, chunk in self.lefts, chunk in self.rights)

    def _entry(self, chunk: str, post: Tokens, pre: Tokens | None, orths: tuple[int, ...]) -> Entry:
        words = tuple(t[0] for t in post)
        if pre is None and self._matcher_may_have_acted(words):
            pre = _tokens(self.pre_matcher(chunk))
        changed = pre is not None and self._full(pre) != self._full(post)
        first, last = (pre[0][0], pre[-1][0]) if pre is not None else (words[0], words[-1])
        norms = tuple(
            (i, norm) for i, (word, _, norm) in enumerate(post) if norm is not None and norm != self.vocab[word].norm_
        )
        ids = words if self.vocab.in_memory_zone else orths
        return (ids, tuple(t[1] for t in post), norms, first, last, changed, last in self.lefts, first in self.rights)

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


def _cut_long_chunks(keys: list[str]) -> list[str]:
    """``keys`` with each chunk longer than ``LONG_CHUNK`` cut into pieces of that size (the last
    piece keeps the chunk's space).

    Example:
        >>> [len(k) for k in _cut_long_chunks(["a ", "(" * 600 + " ", "  "])]
        [2, 256, 256, 89, 2]
    """
    out: list[str] = []
    for key in keys:
        if len(key) > LONG_CHUNK and not key[0].isspace():
            chunk = key.rstrip(" ")
            pieces = [chunk[i : i + LONG_CHUNK] for i in range(0, len(chunk), LONG_CHUNK)]
            pieces[-1] += key[len(chunk) :]
            out += pieces
        else:
            out.append(key)
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


class TrustedRulesTokenizer(Tokenizer):
    """spaCy's ``Tokenizer``, taking the special cases it is made with without spaCy's check of each one
    (which converts the rule's attributes once more: about 40% of loading them, 0.02 s per start for
    medtext's 1,400 rules). For rules already checked: medtext's shipped ones (a test runs spaCy's check
    on them) or another tokenizer's. Rules added later (``add_special_case``, ``rules = ...``,
    ``from_bytes``) are checked as usual.

    Example:
        >>> from spacy.lang.en import English
        >>> [t.text for t in TrustedRulesTokenizer(English().vocab, rules={"q.d.": [{"ORTH": "q.d."}]})("q.d. x")]
        ['q.d.', 'x']
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._trusting = True
        try:
            super().__init__(*args, **kwargs)
        finally:
            self._trusting = False

    def _validate_special_case(self, chunk: str, substrings: Any) -> None:
        if not self._trusting:
            super()._validate_special_case(chunk, substrings)


def _without_matcher(tokenizer: Tokenizer) -> Tokenizer:
    """The same tokenizer without its final matcher pass: affixes and special cases only.

    spaCy puts a rule into the matcher when an affix function finds something in
    it, so the affix functions answer "no" while the rules load. Rules with a
    space never equal a whitespace-free chunk and are left out. The rules are
    ``tokenizer``'s, which checked them when they were added.
    """
    functions = ((tokenizer.prefix_search, None), (tokenizer.suffix_search, None), (tokenizer.infix_finditer, ()))
    switches = [_Switch(fn, no) if fn is not None else None for fn, no in functions]
    rules = {key: value for key, value in tokenizer.rules.items() if key.isspace() or not re.search(r"\s", key)}
    pre = TrustedRulesTokenizer(
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


MATCHER_RULES_CACHE = "tokenizer-matcher-rules"
MatcherRules = tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]], dict[str, list[tuple[str, ...]]]]


def _cached_matcher_rules(tokenizer: Tokenizer, settings_key: bytes | None) -> MatcherRules:
    """:func:`_matcher_rules`, from the disk cache when the tokenizer's settings have a key (about 0.01 s)."""
    if settings_key is None:
        return _matcher_rules(tokenizer)
    from pathlib import Path

    from medtext.pipeline.disk_cache import read_cached, source_key, write_cached

    key = source_key("medtext matcher rules v1", settings_key, Path(__file__))
    cached = read_cached(MATCHER_RULES_CACHE, key)
    if _matcher_rules_shape(cached):
        return cached
    found = _matcher_rules(tokenizer)
    write_cached(MATCHER_RULES_CACHE, key, found)
    return found


def _matcher_rules_shape(data: Any) -> bool:
    """Whether ``data`` has the form :func:`_matcher_rules` returns."""
    if not (isinstance(data, tuple) and len(data) == 3 and isinstance(data[2], dict)):
        return False
    pairs, space_pairs, by_first = data
    return (
        all(isinstance(p, frozenset) and all(_strings(pair, 2) for pair in p) for p in (pairs, space_pairs))
        and all(type(first) is str and isinstance(rules, list) and all(_strings(r) and r[0] == first for r in rules)
                for first, rules in by_first.items())
    )


def _strings(value: Any, size: int | None = None) -> bool:
    return isinstance(value, tuple) and (len(value) == size if size else len(value) > 0) and all(type(v) is str for v in value)


def _matcher_rules(tokenizer: Tokenizer) -> MatcherRules:
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
