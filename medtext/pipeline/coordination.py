"""Coordinated mentions: ``breast and ovarian cancer`` is one mention, not ``ovarian cancer``.

BC5CDR and NCBI-disease annotate a coordination that shares its head as one span
(a composite mention with several ids). A statistical NER or a lexicon finds only the
last conjunct with the head (``ovarian cancer``). This step extends such an entity to the
left over single-word conjuncts joined by ``and`` / ``or`` / commas, when none of those
words is itself part of an entity and each conjunct with the entity's head is a known
term (``breast cancer``): ``lookup(words, label)`` gives a known term's codes, None otherwise.
The extended entity carries the codes of those terms.

Example:
    >>> import spacy
    >>> from spacy.tokens import Span
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Risk of breast and ovarian cancer.")
    >>> lookup = lambda words, label: ["D001943"] if words == ["breast", "cancer"] else None
    >>> [(s.text, codes) for s, codes in extend_coordinations(doc, [Span(doc, 4, 6, label="DISEASE")], lookup)]
    [('breast and ovarian cancer', ['D001943'])]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc, Span

_CONJUNCTIONS = {"and", "or", "and/or"}
_MAX_CONJUNCTS = 4
# Words that start a clause or a noun phrase of their own rather than parallel a modifier.
_NOT_CONJUNCTS = {
    "the", "a", "an", "of", "in", "with", "without", "to", "for", "by", "on", "at", "as", "from", "after", "before",
    "patients", "patient", "both", "either", "between", "among", "other", "all", "any", "no", "not", "was", "were",
    "is", "are", "be", "been", "has", "have", "had", "that", "which", "who", "this", "these", "those", "such", "its",
    "their", "his", "her", "also", "than", "then", "but", "mild", "moderate", "severe", "acute", "chronic",
}  # fmt: skip


Lookup = Callable[[list[str], str], "Sequence[Any] | None"]


def extend_coordinations(doc: Doc, ents: Sequence[Span], lookup: Lookup) -> list[tuple[Span, list[Any]]]:
    """Each entity, extended over the conjuncts that share its head (itself when there are none),
    with the codes of the terms its conjuncts stand for (see the module docstring)."""
    taken = [False] * len(doc)
    for ent in ents:
        for i in range(ent.start, ent.end):
            taken[i] = True
    out: list[tuple[Span, list[Any]]] = []
    for ent in ents:
        start, codes = _coordination_start(doc, ent, taken, lookup)
        out.append((ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_), codes))
    return out


def _coordination_start(doc: Doc, ent: Span, taken: list[bool], lookup: Lookup) -> tuple[int, list[Any]]:
    """The first token of the conjuncts before ``ent`` (``ent.start`` when there are none) and the
    codes of the terms they stand for."""
    codes: list[Any] = []
    words = [t for t in ent if not t.is_space]
    if len(words) < 2 or not words[0].is_alpha:
        return ent.start, codes  # no modifier for a conjunct to parallel
    i = _previous_word(doc, ent.start)
    if i is None or doc[i].lower_ not in _CONJUNCTIONS:
        return ent.start, codes
    i = _previous_word(doc, i)
    if i is not None and doc[i].text == ",":  # "brain, breast, and prostate cancer"
        i = _previous_word(doc, i)
    start = ent.start
    for _ in range(_MAX_CONJUNCTS):
        if i is None or not _is_conjunct(doc[i], taken):
            break
        found = _known_codes(doc[i].lower_, ent, lookup)
        if found is None:
            break
        start = i
        codes.extend(found)
        j = _previous_word(doc, i)
        if j is None or doc[j].text != ",":
            break
        i = _previous_word(doc, j)
    return start, codes


def _known_codes(conjunct: str, ent: Span, lookup: Lookup) -> Sequence[Any] | None:
    """The codes of the first known term the conjunct stands for (None when none is known)."""
    for term in conjunct_terms(conjunct, ent):
        codes = lookup(term, ent.label_)
        if codes is not None:
            return codes
    return None


def conjunct_terms(conjunct: str, ent: Span) -> list[list[str]]:
    """The terms a conjunct stands for with the entity's words: ``breast`` + ``ovarian cancer``
    -> ``breast cancer`` (the conjunct with the entity's words after its first), then the
    conjunct with the entity's last word.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("acute renal failure")
        >>> conjunct_terms("hepatic", doc[0:3])
        [['hepatic', 'renal', 'failure'], ['hepatic', 'failure']]
    """
    tail = [t.lower_ for t in ent if not t.is_space][1:]
    terms = [[conjunct, *tail]]
    if len(tail) > 1:
        terms.append([conjunct, tail[-1]])
    return terms


def _is_conjunct(token, taken: list[bool]) -> bool:
    return token.is_alpha and len(token) > 1 and not taken[token.i] and token.lower_ not in _NOT_CONJUNCTS


def _previous_word(doc: Doc, i: int) -> int | None:
    """The index of the last non-space token before ``i``, or None."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i if i >= 0 else None
