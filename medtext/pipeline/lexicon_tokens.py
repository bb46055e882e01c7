"""The token side of lexicon matching: the trie below a key's first token, and a document's token hashes.

:func:`subtree` builds a first token's trie on first use; :func:`token_columns` reads the ``LOWER``
and ``ORTH`` hashes of a doc as matching reads them (through invisible characters); :func:`note_key_length`
keeps the longest key per first token.

Example:
    >>> lengths = {}
    >>> note_key_length(lengths, "renal failure"); note_key_length(lengths, "renal")
    >>> lengths
    {'renal': 2}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from medtext.pipeline.invisible import has_invisible, strip_invisible

def note_key_length(lengths: dict[str, int], key: str) -> None:
    """Record a key's length in tokens under its first token, keeping the longest (example: the module's)."""
    first = key.partition(" ")[0]
    n = key.count(" ") + 1
    if lengths.get(first, 0) < n:
        lengths[first] = n


def keys_by_first(keys: Iterable[str], hash: Callable[[str], Any] | None = None) -> dict:
    """The root of a token trie: each key's first token (its ``hash``, when given) -> the list of its keys,
    which :func:`subtree` turns into the trie below it on first use.

    Example:
        >>> keys_by_first(["renal failure", "renal", "fever"])
        {'renal': ['renal failure', 'renal'], 'fever': ['fever']}
    """
    root: dict = {}
    if hash is None:
        for key in keys:
            root.setdefault(key.partition(" ")[0], []).append(key)
        return root
    hashes: dict[str, Any] = {}
    for key in keys:
        first = key.partition(" ")[0]
        h = hashes.get(first)
        if h is None:
            h = hashes[first] = hash(first)
        root.setdefault(h, []).append(key)
    return root


def subtree(root: dict, first: Any, hashed: bool = True) -> dict:
    """The trie below a first token, built from its list of keys on first use (see :meth:`Lexicon.tries`);
    over spaCy's string hashes of the tokens, or over the tokens themselves (``hashed=False``).

    Example:
        >>> from spacy.strings import hash_string
        >>> root = {hash_string("renal"): ["renal failure"]}
        >>> subtree(root, hash_string("renal"))[hash_string("failure")][-1]
        'renal failure'
    """
    node = root[first]
    if node.__class__ is not list:
        return node
    if hashed:
        from spacy.strings import hash_string
    built: dict = {}
    for key in node:
        current = built
        for token in key.split(" ")[1:]:
            current = current.setdefault(hash_string(token) if hashed else token, {})
        current[-1] = key
    root[first] = built
    return built


def key_ends(root: dict, tokens: Sequence[str], start: int, n: int) -> dict[int, str]:
    """End position -> key, of every key of a token-string trie (``subtree(..., hashed=False)``) that the tokens
    ``start`` .. ``n`` begin with.

    Example:
        >>> key_ends(keys_by_first(["renal", "renal failure", "renal cyst"]), ["renal", "failure", "."], 0, 3)
        {1: 'renal', 2: 'renal failure'}
    """
    node = root.get(tokens[start])
    if node is None:
        return {}
    if node.__class__ is list:
        node = subtree(root, tokens[start], hashed=False)
    ends = {}
    j = start + 1
    while True:
        key = node.get(-1)
        if key is not None:
            ends[j] = key
        if j >= n:
            return ends
        node = node.get(tokens[j])
        if node is None:
            return ends
        j += 1


def spaced(tokens: Iterable[str]) -> bool:
    """Whether some token has a space inside (then it is no word of a key, whose words are split by spaces).

    Example:
        >>> spaced(["renal", "failure"]), spaced(["renal failure"])
        (False, True)
    """
    return " " in "".join(tokens)


def token_columns(doc: Any) -> tuple[list[int], list[int]]:
    """The ``LOWER`` and ``ORTH`` hashes of ``doc``'s tokens as lexicon matching reads them: a token with invisible
    characters inside (``mel\u00adlitus``) reads as the word a reader sees.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("No Fever")
        >>> lowers, orths = token_columns(doc)
        >>> doc.vocab.strings[lowers[1]], doc.vocab.strings[orths[1]]
        ('fever', 'Fever')
    """
    from spacy.attrs import LOWER, ORTH

    from medtext.pipeline.extensions import doc_text  # spaCy's: the classify path imports this module without it

    if not len(doc):
        return [], []
    lowers, orths = doc.to_array([LOWER, ORTH]).T.tolist()
    if has_invisible(doc_text(doc)):
        _read_through_invisible(doc, lowers, orths)
    return lowers, orths


def _read_through_invisible(doc: Any, lowers: list[int], orths: list[int]) -> None:
    """Token hashes of the words a reader sees, for tokens with invisible characters inside (``mel\u00adlitus``
    is matched as ``mellitus``)."""
    from spacy.strings import hash_string

    for token in doc:
        if has_invisible(token.text):
            clean = strip_invisible(token.text)
            if clean:
                lowers[token.i], orths[token.i] = hash_string(clean.lower()), hash_string(clean)
