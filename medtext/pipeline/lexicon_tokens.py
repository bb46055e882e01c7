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

from typing import Any

from medtext.pipeline.invisible import has_invisible, strip_invisible

def note_key_length(lengths: dict[str, int], key: str) -> None:
    """Record a key's length in tokens under its first token, keeping the longest (example: the module's)."""
    first = key.partition(" ")[0]
    n = key.count(" ") + 1
    if lengths.get(first, 0) < n:
        lengths[first] = n


def subtree(root: dict, first: int) -> dict:
    """The trie below a first token, built from its list of keys on first use (see :meth:`Lexicon.tries`).

    Example:
        >>> from spacy.strings import hash_string
        >>> root = {hash_string("renal"): ["renal failure"]}
        >>> subtree(root, hash_string("renal"))[hash_string("failure")][-1]
        'renal failure'
    """
    from spacy.strings import hash_string

    node = root[first]
    if node.__class__ is not list:
        return node
    built: dict = {}
    for key in node:
        current = built
        for token in key.split(" ")[1:]:
            current = current.setdefault(hash_string(token), {})
        current[-1] = key
    root[first] = built
    return built


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
