"""Where the model's entity should start and end: leading triggers, review-of-systems labels, edge spaces.

The ``concepts`` component (``fix_entity_bounds``) leaves a leading assertion trigger or function word
out of an entity (:func:`leading_trigger`), and a label before a colon (:func:`after_label`), so that
``assertion`` sees the trigger; :func:`number_after` tells whether a number may complete an entity, and
:func:`without_spaces` takes whitespace tokens off an entity's ends.

Example:
    >>> import spacy
    >>> doc = spacy.blank("en")("Cardiovascular: Denies angina")
    >>> start = after_label(doc, 0, 4)
    >>> doc[start + leading_trigger(doc, start, 4) : 4].text
    'angina'
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

# Words the NER sometimes takes into an entity's start ("Denies shortness of breath"): assertion
# triggers (negation, uncertainty) and function words, as lower-case token sequences.
LEADING_TRIGGERS = tuple(
    tuple(phrase.split())
    for phrase in (
        "no evidence of", "no signs of", "no sign of", "negative for", "neg for", "free of", "absence of",
        "signs of", "sign of", "evidence of",
        "denies", "denied", "deny", "denying", "no", "not", "without", "never",
        "possible", "probable", "questionable", "suspected",
        "the", "a", "an", "and", "or", "of", "with",
    )
)
_ROMAN = frozenset(("I", "II", "III", "IV", "V", "VI"))


def leading_trigger(doc: Doc, start: int, end: int) -> int:
    """How many tokens of ``doc[start:end]`` a leading trigger takes (0: none), with the whitespace tokens
    after its words (``Denies\u00a0fever``, ``no  evidence of``), when at least one word is left after it.
    An upper-case ``NO`` (nitric oxide) counts only before upper-case words (``NO FEVER``).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Denies shortness of breath . NO synthase . Denies  fever")
        >>> leading_trigger(doc, 0, 4), leading_trigger(doc, 5, 7), leading_trigger(doc, 8, 11)
        (1, 0, 2)
    """
    words = [t.i for t in doc[start:end] if not t.is_space]  # whitespace tokens between words do not count
    lowers = [doc[i].lower_ for i in words]
    for phrase in LEADING_TRIGGERS:
        n = len(phrase)
        if n >= len(lowers) or tuple(lowers[:n]) != phrase:
            continue
        rest = doc[words[n] : end]
        if not rest[0].is_alpha and not rest[0].like_num:
            return 0  # "no -" ... : leave it
        if doc[start].text == "NO" and not all(t.is_upper or not t.is_alpha for t in rest):
            return 0
        return words[n] - start
    return 0

def after_label(doc: Doc, start: int, end: int) -> int:
    """Where ``doc[start:end]`` goes on after its last colon (``Cardiovascular: Denies angina`` -> ``Denies
    angina``), skipping whitespace; ``start`` when it has no colon with a word after it. The NER sometimes
    runs an entity over a review-of-systems label, which would hide the trigger after it from ``assertion``.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Cardiovascular: Denies angina")
        >>> after_label(doc, 0, 4), after_label(doc, 2, 4)
        (2, 2)
    """
    for i in range(end - 2, start, -1):
        if doc[i].text == ":":
            j = i + 1
            while j < end and doc[j].is_space:
                j += 1
            return j if j < end and doc[j].is_alpha else start
    return start

def number_after(doc: Doc, end: int) -> bool:
    """Whether ``doc[end]`` is a number outside any entity (``2``, ``II``) that may complete the entity ending
    at ``end`` (``Diabetes mellitus type`` + ``2``).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("type II diabetes")
        >>> number_after(doc, 1), number_after(doc, 2), number_after(doc, 3)
        (True, False, False)
    """
    return end < len(doc) and doc[end].ent_iob_ in ("O", "") and (doc[end].like_num or doc[end].text in _ROMAN)


def without_spaces(ent: Span) -> Span:
    """``ent`` without the whitespace tokens at its ends (an entity of whitespace only stays as it is).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Given dopa \\n\\n then")
        >>> without_spaces(Span(doc, 1, 3, label="CHEMICAL")).text
        'dopa'
    """
    start, end = ent.start, ent.end
    doc = ent.doc
    while end - start > 1 and doc[end - 1].is_space:
        end -= 1
    while end - start > 1 and doc[start].is_space:
        start += 1
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)
