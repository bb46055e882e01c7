"""Term lexicons for the ``concepts`` component: parsing, lookup keys and a token trie.

A lexicon maps a term to a label and codes. Terms are compared by their *key*:
the lower-cased tokens of medtext's tokenizer joined by single spaces, so matching
is a dictionary lookup per token position (fast, no regular expressions). A
*loose key* also drops punctuation tokens and a plural ``s``, to find codes for
entity text that differs slightly from the vocabulary term.

User files (``concepts.add_from_file``) are TSV or JSONL, read by :mod:`lexicon_files`; keys are made
by :mod:`lexicon_keys`, and matching reads tokens with :mod:`lexicon_tokens`. This module holds the
:class:`Lexicon` and the shipped lexicon, and imports the names of those modules for its callers.

Example:
    >>> lex = Lexicon()
    >>> lex.add("type 2 diabetes", "DISEASE", [{"system": "MESH", "code": "D003924"}])
    >>> lex.match(["has", "type", "2", "diabetes", "."])
    [(1, 4, 'DISEASE', ({'system': 'MESH', 'code': 'D003924'},), 'user')]
"""

from __future__ import annotations

import io
import operator
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import compress, islice
from importlib.resources import files
from pathlib import Path
from typing import Any

from medtext.errors import Errors, RuleError
from medtext.pipeline.disk_cache import read_cached, source_key, write_cached
from medtext.pipeline.lexicon_files import (
    JSONL_EXAMPLE,
    LABEL_PATTERN_EXAMPLE,
    Code,
    check_codes,
    check_entry,
    format_codes,
    parse_codes,
    read_user_lexicon,
)
from medtext.pipeline.lexicon_keys import PLAIN_KEY, ascii_fold, is_word, loose_key, loose_key_any, make_key
from medtext.pipeline.lexicon_tokens import key_ends as _key_ends
from medtext.pipeline.lexicon_tokens import keys_by_first, note_key_length, spaced as _spaced, subtree, token_columns

__all__ = [
    "JSONL_EXAMPLE", "LABEL_PATTERN_EXAMPLE", "SHIPPED_LEXICON", "Code", "Entries", "Lexicon", "ascii_fold",
    "cache_shipped_lexicon", "check_codes", "check_entry", "format_codes", "is_word", "loose_key", "make_key",
    "parse_codes", "read_user_lexicon", "shipped_lexicon", "shipped_lexicon_fingerprint", "subtree", "token_columns",
]

# key -> {label: (codes, source)}
Entries = dict[str, dict[str, tuple[tuple[Code, ...], str]]]


SHIPPED_LEXICON = "lexicon.tsv"
_SNAPSHOT_FORMAT = 2  # 2: with the most tokens of any key (:meth:`Lexicon.longest_key`)
_HASH_PROBE = "medtext lexicon"  # spaCy's hash of it is saved with cached token tries


class Lexicon:
    """Keys -> label -> (codes, source), with longest-match search over token sequences.

    Most keys are lower-cased and match case-insensitively; *case-sensitive* keys
    (short forms such as ``WAS`` or ``MS``, which would otherwise match ordinary words)
    match only the exact token text. Shipped entries are parsed lazily, on first use.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}  # lower key -> {label: (codes, source)} or a raw TSV remainder
        self.exact: dict[str, Any] = {}  # case-sensitive key -> same
        self._loose: dict[str, list[tuple[bool, str]]] | None = None  # loose key -> (case-sensitive?, key), built on first use
        self._order: dict[str, int] | None = None  # lower-case key -> its position in ``entries``, built on first use
        # first token -> longest key length in tokens, of lower-case / case-sensitive keys (built on first use)
        self._max_len: dict[str, int] | None = None
        self._max_len_cs: dict[str, int] | None = None
        self._longest: int | None = None  # the most tokens of any key, from the two tables above
        self._tries: tuple[dict, dict] | None = None
        self._word_tries: tuple[dict, dict] | None = None  # the same over token strings, for :meth:`match`
        self.low_precision: set[str] = set()  # keys that match mostly non-mentions: codes only, no entities
        self.high_precision: set[str] = set()  # keys that match almost only mentions
        self.cache_key: bytes | None = None  # the shipped lexicon's key in the disk cache
        self.restored = False  # whether the tables came from the disk cache

    def snapshot(self) -> tuple[Any, ...]:
        """The tables, loose index, token tries and longest key length as plain data (for the disk cache; :meth:`restore` reads it),
        with spaCy's hash of a probe string (the tries hold such hashes). Entries already parsed and subtrees
        already built are saved as they are (both forms are read)."""
        from spacy.strings import hash_string

        return (_SNAPSHOT_FORMAT, hash_string(_HASH_PROBE), self.entries, self.exact, self.low_precision,
                self.high_precision, self._loose, self._tries, self._longest)

    def restore(self, state: Any) -> bool:
        """Take the tables of a :meth:`snapshot` (False, and nothing changed, when ``state`` is not one).
        The tries are kept only when spaCy is loaded and hashes strings as when they were built."""
        if not (isinstance(state, tuple) and len(state) == 9 and state[0] == _SNAPSHOT_FORMAT):
            return False
        _, probe, entries, exact, low, high, loose, tries, longest = state
        if not (isinstance(entries, dict) and isinstance(exact, dict) and isinstance(low, set) and isinstance(high, set)):
            return False
        self.entries, self.exact, self.low_precision, self.high_precision = entries, exact, low, high
        self._max_len = self._max_len_cs = self._longest = self._order = None
        if type(longest) is int and longest >= 0 and (longest > 0) == (len(entries) + len(exact) > 0):
            self._longest = longest  # (the tables it comes from are built when needed: Lexicon.match)
        self._loose = loose if isinstance(loose, dict) else None
        self._tries = self._word_tries = None
        strings = sys.modules.get("spacy.strings")
        if strings is not None and isinstance(tries, tuple) and len(tries) == 2 and probe == strings.hash_string(_HASH_PROBE):
            self._tries = tries
        self.restored = True
        return True

    def __len__(self) -> int:
        return len(self.entries) + len(self.exact)

    def _note_length(self, key: str, case_sensitive: bool = False) -> None:
        table = self._max_len_cs if case_sensitive else self._max_len
        if table is not None:  # else built from all keys on first use
            note_key_length(table, key)
        self._longest = None

    def _lengths(self) -> tuple[dict[str, int], dict[str, int]]:
        """(lower-case, case-sensitive) first token -> longest key length, built on first use."""
        if self._max_len is None or self._max_len_cs is None:
            self._max_len, self._max_len_cs = {}, {}
            for table, lengths in ((self.entries, self._max_len), (self.exact, self._max_len_cs)):
                for key in table:
                    note_key_length(lengths, key)
        return self._max_len, self._max_len_cs

    def longest_key(self) -> int:
        """The most tokens of any key (0 when empty): a longer token sequence is no key, exactly or loosely."""
        if self._longest is None:
            lower, exact = self._lengths()
            self._longest = max(max(lower.values(), default=0), max(exact.values(), default=0))
        return self._longest

    def add_key(self, key: str, label: str, codes: Sequence[Code], source: str, case_sensitive: bool = False) -> None:
        """Add one pre-computed key; a later addition of the same key wins (its label is reported first)."""
        if not key:
            return
        table = self.exact if case_sensitive else self.entries
        if not case_sensitive:
            key = key.lower()
        old = self._get(table, key) or {}
        # the newest label comes first: it is the one a match reports
        table[key] = {label: (tuple(codes), source), **{k: v for k, v in old.items() if k != label}}
        self._note_length(key, case_sensitive)
        self._loose = self._order = None
        self._tries = self._word_tries = None

    def add(self, term: str, label: str, codes: Sequence[Code] = (), source: str = "user", tokenize: Any = None) -> None:
        """Add a term; ``tokenize(term)`` gives its tokens (default: split on spaces)."""
        tokens = [t.text for t in tokenize(term)] if tokenize is not None else term.split()
        self.add_key(make_key(tokens), label, codes, source)

    def load_tsv(self, lines: Iterable[str]) -> None:
        """Bulk-load the shipped format ``key<TAB>label<TAB>codes<TAB>source<TAB>flags`` (keys precomputed).

        ``flags`` (comma-separated): ``cs`` a case-sensitive key; ``lowp`` / ``hp`` low / high
        match precision on the training text. Rows are kept raw and parsed on first use.
        """
        entries, exact = self.entries, self.exact
        for line in lines:
            key, rest = line.rstrip("\n").split("\t", 1)
            flags = rest.rsplit("\t", 1)[-1]
            cs = "cs" in flags
            table = exact if cs else entries
            table[key] = table[key] + "\n" + rest if key in table else rest
            if "lowp" in flags:
                self.low_precision.add(key)
            elif "hp" in flags:
                self.high_precision.add(key)
        self._max_len = self._max_len_cs = None
        self._longest = None
        self._loose = self._order = None
        self._tries = self._word_tries = None

    @staticmethod
    def _get(table: dict[str, Any], key: str) -> dict[str, tuple[tuple[Code, ...], str]] | None:
        found = table.get(key)
        if isinstance(found, str):
            parsed: dict[str, tuple[tuple[Code, ...], str]] = {}
            for row in found.split("\n"):
                label, raw, source = row.split("\t")[:3]
                codes = tuple(
                    {"system": sy, "code": co} for sy, _, co in (part.partition(":") for part in raw.split("|") if part)
                )
                parsed.setdefault(label, (codes, source))
            table[key] = found = parsed
        return found

    def lookup(
        self, key: str, label: str | None = None, loose: bool = True, exact_key: str | None = None
    ) -> tuple[str, tuple[Code, ...], str] | None:
        """(label, codes, source) of a key: exact-case key, lower-case key, then loose; None when unknown."""
        found = self._get(self.exact, exact_key) if exact_key else None
        if not found or (label is not None and label not in found):
            found = self._get(self.entries, key.lower())
        if (not found or (label is not None and label not in found)) and loose:
            found = self._loose_get(loose_key(key.lower()))
        if not found:
            folded = ascii_fold(key)
            return self.lookup(folded, label, loose) if folded != key else None
        if label is not None:
            if label not in found:
                return None
            codes, source = found[label]
            return label, codes, source
        best = next(iter(found))
        return best, found[best][0], found[best][1]

    def loose_index(self) -> dict[str, list[tuple[bool, str]]]:
        """Loose key -> the keys it stands for, as (case-sensitive?, key), for the keys a loose key cannot name.

        A plain lower-case key (alphanumeric words) is its own loose key or that without a final
        plural ``s``, so :meth:`_loose_refs` finds those in the table itself; this index, built on
        first use, holds the others: keys with punctuation and case-sensitive keys (110k shipped
        keys: about 0.2 s instead of 0.6 s for an index of every key). Entries are not parsed here.
        """
        if self._loose is None:
            index: dict[str, list[tuple[bool, str]]] = {}
            plain = PLAIN_KEY.fullmatch
            for key in self.entries:
                if not plain(key):
                    index.setdefault(loose_key_any(key.lower()), []).append((False, key))
            for key in self.exact:
                index.setdefault(loose_key(key.lower()), []).append((True, key))
            self._loose = index
        return self._loose

    def _loose_refs(self, loose: str) -> list[tuple[bool, str]]:
        """The keys a loose key stands for, as (case-sensitive?, key), lower-case keys first, each table in its order."""
        entries = self.entries
        refs = [(False, key) for key in (loose, loose + "s") if key in entries and PLAIN_KEY.fullmatch(key) and loose_key(key) == loose]
        others = self.loose_index().get(loose, [])
        if not refs:
            return others
        merged = refs + others
        if len(refs) + sum(1 for cs, _ in others if not cs) > 1:  # several lower-case keys: the table's order
            if self._order is None:
                self._order = {key: i for i, key in enumerate(entries)}
            order = self._order
            merged.sort(key=lambda ref: (ref[0], 0 if ref[0] else order[ref[1]]))
        return merged

    def _loose_get(self, loose: str) -> dict[str, tuple[tuple[Code, ...], str]] | None:
        """Label -> (codes, source) of the keys a loose key stands for (the first key's label wins)."""
        refs = self._loose_refs(loose)
        if not refs:
            return None
        merged: dict[str, tuple[tuple[Code, ...], str]] = {}
        for case_sensitive, key in refs:
            for label, value in (self._get(self.exact if case_sensitive else self.entries, key) or {}).items():
                merged.setdefault(label, value)
        return merged

    def match(
        self,
        lowers: Sequence[str],
        orths: Sequence[str] | None = None,
        only_high_precision: bool = False,
        max_start: int | None = None,
    ) -> list[tuple[int, int, str, tuple[Code, ...], str]]:
        """Longest non-overlapping matches, left to right: (start, end, label, codes, source).

        ``lowers`` are the lower-cased token texts; ``orths`` the token texts as written
        (needed for case-sensitive keys; without them those keys never match). Keys
        flagged low-precision never match; with ``only_high_precision`` only keys
        flagged high-precision do. ``max_start`` stops looking for matches starting at
        or after that position. Where a lower-case and a case-sensitive key of the same
        length start at a token, the lower-case one is taken (or, when it is flagged
        out, neither).

        Walks token tries (:meth:`word_tries`): a position costs one lookup per token of
        the longest key prefix there, not one joined string per possible key length.
        """
        # a term may hold a second space, a tab ... between its words: match without them (the check per
        # token runs in C; most token lists, e.g. the concept block's words, have no whitespace token at all)
        kept = [i for i, word in enumerate(lowers) if not _inline_blank(word)] if any(map(str.isspace, lowers)) else None
        if kept is not None and len(kept) < len(lowers):
            sub = self.match(
                [lowers[i] for i in kept], None if orths is None else [orths[i] for i in kept], only_high_precision,
                None if max_start is None else bisect_left(kept, max_start),
            )
            return [(kept[start], kept[end - 1] + 1, *rest) for start, end, *rest in sub]
        if _spaced(lowers) or (orths is not None and _spaced(orths)):
            return self._match_joined(lowers, orths, only_high_precision, max_start)  # tokens are not key words
        lower_trie, cs_trie = self.word_tries()
        if orths is None or not self.exact:
            cs_trie = {}
        n = len(lowers)
        last = n if max_start is None else max(0, min(n, max_start))
        # Only positions where some key starts can begin a match (dict lookups mapped in C, not a Python loop).
        first = map(lower_trie.__contains__, islice(lowers, last))
        if cs_trie:
            first = map(operator.or_, first, map(cs_trie.__contains__, islice(orths, last)))  # type: ignore[arg-type]
        out = []
        i = 0
        for start in compress(range(last), first):
            if start < i:
                continue
            i = start
            ends = [_key_ends(lower_trie, lowers, i, n), _key_ends(cs_trie, orths, i, n) if cs_trie else {}]
            for end in sorted(ends[0].keys() | ends[1].keys(), reverse=True):
                match = self._usable(ends, end, only_high_precision)
                if match is not None:
                    label, codes, source = match
                    out.append((i, end, label, codes, source))
                    i = end
                    break
        return out

    def _usable(self, ends: list[dict[int, str]], end: int, only_high_precision: bool) -> tuple[str, tuple[Code, ...], str] | None:
        """(label, codes, source) of the key ending at ``end`` (the lower-case one first), unless it is flagged out."""
        key = ends[0].get(end)
        table = self.entries
        if key is None:
            key, table = ends[1][end], self.exact
        if key in self.low_precision or (only_high_precision and key not in self.high_precision):
            return None
        found = self._get(table, key)
        if not found:
            return None
        label = next(iter(found))
        codes, source = found[label]
        return label, codes, source

    def _match_joined(
        self, lowers: Sequence[str], orths: Sequence[str] | None, only_high_precision: bool, max_start: int | None
    ) -> list[tuple[int, int, str, tuple[Code, ...], str]]:
        """:meth:`match` by joining the tokens of every possible key length: for tokens with spaces inside,
        which a joined key can match across (``["a", "b c"]`` is the key ``a b c``) and a trie cannot."""
        out = []
        (max_len, max_len_cs), entries, exact = self._lengths(), self.entries, self.exact
        skip, keep = self.low_precision, self.high_precision
        n = len(lowers)
        last = n if max_start is None else min(n, max_start)
        i = 0
        while i < last:
            limit = max(max_len.get(lowers[i], 0), max_len_cs.get(orths[i], 0) if orths is not None else 0)
            if not limit:
                i += 1
                continue
            for length in range(min(limit, n - i), 0, -1):
                key = " ".join(lowers[i : i + length])
                found = self._get(entries, key) if key in entries else None
                if found is None and exact and orths is not None:
                    key = " ".join(orths[i : i + length])
                    found = self._get(exact, key) if key in exact else None
                if found and (key in skip or (only_high_precision and key not in keep)):
                    found = None
                if found:
                    label = next(iter(found))
                    codes, source = found[label]
                    out.append((i, i + length, label, codes, source))
                    i += length
                    break
            else:
                i += 1
        return out

    def word_tries(self) -> tuple[dict, dict]:
        """Token tries over token strings (lower-case keys; case-sensitive keys), as :meth:`tries` over hashes:
        a node maps a token to the next node, ``node[-1]`` holds the key ending there, and the root maps each
        first token to the list of its keys until :func:`subtree` first walks it (no spaCy needed).

        Example:
            >>> lex = Lexicon(); lex.add("renal failure", "DISEASE")
            >>> lex.word_tries()[0]
            {'renal': ['renal failure']}
        """
        if self._word_tries is None:
            self._word_tries = (keys_by_first(self.entries), keys_by_first(self.exact))
        return self._word_tries

    def tries(self) -> tuple[dict, dict]:
        """Token tries over spaCy string hashes (LOWER for lower-case keys, ORTH for case-sensitive ones).

        A node maps a token hash to the next node; ``node[-1]`` holds the key ending there.
        The root maps each first token to its subtree, or, until :func:`subtree` first walks
        it, to the list of its keys: a run builds only the subtrees its texts reach.
        """
        if self._tries is None:
            from spacy.strings import hash_string

            self._tries = (keys_by_first(self.entries, hash_string), keys_by_first(self.exact, hash_string))
        return self._tries

    def match_doc(
        self, doc: Any, only_high_precision: bool = False, columns: tuple[list[int], list[int]] | None = None
    ) -> list[tuple[int, int, str, tuple[Code, ...], str]]:
        """:meth:`match` over a spaCy Doc: longest non-overlapping matches, walking token-hash tries.
        ``columns`` is :func:`token_columns` of ``doc`` when the caller has it (several lexicons, one doc)."""
        n = len(doc)
        if not n:
            return []
        lower_trie, cs_trie = self.tries()
        lowers, orths = columns if columns is not None else token_columns(doc)
        skip, keep = self.low_precision, self.high_precision
        out = []
        # Only positions where some key starts can begin a match (dict lookups mapped in C, not a Python loop).
        first = map(lower_trie.__contains__, lowers)
        if cs_trie:
            first = map(operator.or_, first, map(cs_trie.__contains__, orths))
        starts = list(compress(range(n), first))
        blanks = _inline_blanks(doc, lowers)
        i = 0
        for start in starts:
            if start < i:
                continue
            i = start
            best: tuple[int, str, bool] | None = None  # (end, key, case_sensitive)
            for trie, column, cs in ((lower_trie, lowers, False), (cs_trie, orths, True)):
                node = trie.get(column[i])
                if node.__class__ is list:
                    node = subtree(trie, column[i])
                j = i + 1
                while node is not None:
                    key = node.get(-1)
                    if key is not None and key not in skip and (not only_high_precision or key in keep):
                        if best is None or j > best[0]:
                            best = (j, key, cs)
                    if j >= n:
                        break
                    if blanks and column[j] in blanks:  # "chest  pain", "chest\u00a0pain": read on after the blanks
                        while j < n and column[j] in blanks:
                            j += 1
                        if j >= n:
                            break
                    node = node.get(column[j])
                    j += 1
            if best is None:
                continue
            end, key, cs = best
            found = self._get(self.exact if cs else self.entries, key)
            if found:
                label = next(iter(found))
                codes, source = found[label]
                out.append((i, end, label, codes, source))
            i = end
        return out

    def iter_rows(self) -> Iterator[tuple[str, str, tuple[Code, ...], str]]:
        """(key, label, codes, source) of every entry."""
        for table in (self.entries, self.exact):
            for key in list(table):
                for label, (codes, source) in (self._get(table, key) or {}).items():
                    yield key, label, codes, source


def _inline_blanks(doc: Any, lowers: list[int]) -> frozenset[int]:
    """The hashes of ``doc``'s whitespace tokens without a line break (a second space, a tab, a no-break
    space), which a term may hold between its words; empty when there are none (most texts).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("chest  pain\\n\\nfever")
        >>> sorted(doc.vocab.strings[h] for h in _inline_blanks(doc, [t.lower for t in doc]))
        [' ']
    """
    strings = doc.vocab.strings
    return frozenset(h for h in set(lowers) if h in strings and _inline_blank(strings[h]))


def _inline_blank(word: str) -> bool:
    """Whether a token is whitespace without a line break (``"  "``, ``"\\t"``, ``"\\u00a0"``; not ``"\\n"``)."""
    return word.isspace() and "\n" not in word and "\r" not in word


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The compiled lexicon shipped with medtext (loaded once per process; pure Python, no spaCy).

    When :func:`cache_shipped_lexicon` saved it in the disk cache (:mod:`medtext.pipeline.disk_cache`),
    its tables, token tries and loose index come from there (about 0.08 s instead of 0.25 s).

    Example:
        >>> shipped_lexicon().lookup("aspirin", "CHEMICAL")[0]
        'CHEMICAL'
    """
    path = _shipped_path()
    if not path.is_file():
        raise RuleError(Errors.E085.format(name=SHIPPED_LEXICON))
    data = path.read_bytes()
    lexicon = Lexicon()
    lexicon.cache_key = _cache_key(data)
    if lexicon.restore(read_cached(CACHE_NAME, lexicon.cache_key)):
        return lexicon
    lexicon.load_tsv(io.StringIO(data.decode("utf-8"), newline=None))  # the lines of open(path) in text mode
    return lexicon


def cache_shipped_lexicon() -> None:
    """Build the shipped lexicon's token tries and loose index, and save it all in the disk cache for the
    next runs (unless it came from there). Needs spaCy (the tries hold its string hashes)."""
    lexicon = shipped_lexicon()
    lexicon.tries()
    lexicon.loose_index()
    lexicon.longest_key()  # (the NER's head-code lookup asks for it at its first entity)
    if lexicon.cache_key is not None and not lexicon.restored:
        write_cached(CACHE_NAME, lexicon.cache_key, lexicon.snapshot())
        lexicon.restored = True  # saved once per process


CACHE_NAME = "lexicon"
CACHE_FORMAT = "medtext shipped lexicon v1"


def _cache_key(data: bytes) -> bytes:
    """What a cached shipped lexicon derives from: the file, and the code that parses it (this module, the
    keys and token tries of :mod:`lexicon_keys` and :mod:`lexicon_tokens`, and the invisible-character rules
    it applies to every term)."""
    from medtext.pipeline import invisible, lexicon_keys, lexicon_tokens

    code = (Path(__file__), Path(lexicon_keys.__file__), Path(lexicon_tokens.__file__), Path(invisible.__file__))
    return source_key(CACHE_FORMAT, data, *code)


@lru_cache(maxsize=1)
def shipped_lexicon_fingerprint() -> str:
    """First 16 hex digits of the SHA-256 of the shipped lexicon file (which models trained on it record).

    Example:
        >>> len(shipped_lexicon_fingerprint())
        16
    """
    import hashlib

    return hashlib.sha256(_shipped_path().read_bytes()).hexdigest()[:16]


def _shipped_path() -> Any:
    return files("medtext.resources").joinpath("lexicons").joinpath(SHIPPED_LEXICON)
