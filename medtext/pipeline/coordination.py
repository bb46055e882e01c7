"""Coordinated mentions: ``breast and ovarian cancer`` is one mention, not ``ovarian cancer``.

BC5CDR and NCBI-disease annotate a coordination that shares its head as one span
(a composite mention with several ids). A statistical NER or a lexicon finds only the
last conjunct with the head (``ovarian cancer``). This step extends such an entity to the
left over single-word conjuncts joined by ``and`` / ``or`` / commas, when none of those
words is itself part of an entity and each conjunct with the entity's head is a known
term (``breast cancer``), as ``known(words, label)`` tells.

Example:
    >>> import spacy
    >>> from spacy.tokens import Span
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Risk of breast and ovarian cancer.")
    >>> known = lambda words, label: words == ["breast", "cancer"]
    >>> [(s.text, s.label_) for s in extend_coordinations(doc, [Span(doc, 4, 6, label="DISEASE")], known)]
    [('breast and ovarian cancer', 'DISEASE')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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


Known = Callable[[list[str], str], bool]


def extend_coordinations(doc: Doc, ents: Sequence[Span], known: Known) -> list[Span]:
    """The entities, each extended over the conjuncts that share its head (see the module docstring)."""
    taken = [False] * len(doc)
    for ent in ents:
        for i in range(ent.start, ent.end):
            taken[i] = True
    out: list[Span] = []
    for ent in ents:
        start = _coordination_start(doc, ent, taken, known)
        out.append(ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_))
    return out


def _coordination_start(doc: Doc, ent: Span, taken: list[bool], known: Known) -> int:
    """The first token of the conjuncts before ``ent`` (``ent.start`` when there are none)."""
    words = [t for t in ent if not t.is_space]
    if len(words) < 2 or not words[0].is_alpha:
        return ent.start  # no modifier for a conjunct to parallel
    i = _previous_word(doc, ent.start)
    if i is None or doc[i].lower_ not in _CONJUNCTIONS:
        return ent.start
    i = _previous_word(doc, i)
    if i is not None and doc[i].text == ",":  # "brain, breast, and prostate cancer"
        i = _previous_word(doc, i)
    start = ent.start
    for _ in range(_MAX_CONJUNCTS):
        if i is None or not _is_conjunct(doc[i], taken):
            break
        if not any(known(words, ent.label_) for words in conjunct_terms(doc[i].lower_, ent)):
            break
        start = i
        j = _previous_word(doc, i)
        if j is None or doc[j].text != ",":
            break
        i = _previous_word(doc, j)
    return start


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


def conjuncts(doc: Doc, extended: Span, ent: Span) -> list[str]:
    """The conjunct words (lower case) an extended entity gained before ``ent``."""
    return [t.lower_ for t in doc[extended.start : ent.start] if t.is_alpha and t.lower_ not in _CONJUNCTIONS]


def _is_conjunct(token, taken: list[bool]) -> bool:
    return token.is_alpha and len(token) > 1 and not taken[token.i] and token.lower_ not in _NOT_CONJUNCTS


def _previous_word(doc: Doc, i: int) -> int | None:
    """The index of the last non-space token before ``i``, or None."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i if i >= 0 else None
