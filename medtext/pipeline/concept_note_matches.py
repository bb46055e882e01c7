"""The clinical-note rules of the ``concepts`` component that look things up: short forms and header words.

:class:`ClinicalNoteMatches` is a base class of :class:`~medtext.pipeline.concepts.ConceptMatcher`
(it uses its ``lookup`` and ``_key``): the undefined short forms of notes (``HTN``, ``DVT, PE``) with
their long form's codes, and lexicon matches that name nothing in a note (``ALLERGIES:``).
:func:`_positions` finds the tokens that may begin a short form without a Python loop over most notes.

Example:
    >>> _positions([5, 7, 5, 9], frozenset({5, 8}))
    [0, 2]
"""

from __future__ import annotations

from spacy.tokens import Doc

from medtext.pipeline.lexicon import Code
from medtext.pipeline.note_entity_rules import (
    HEADER_WORDS,
    clinical_first_words,
    clinical_short_form_at,
    in_header,
    lexicon_non_entity,
)


def _positions(values: list[int], wanted: frozenset[int]) -> list[int]:
    """Sorted indexes of the items of ``values`` that are in ``wanted`` (a set intersection first: most documents
    hold none, and then no Python loop runs over their tokens).

    Example:
        >>> _positions([5, 7, 5, 9], frozenset({5, 8}))
        [0, 2]
    """
    present = wanted.intersection(values)
    if not present:
        return []
    return [i for i, value in enumerate(values) if value in present]


class ClinicalNoteMatches:
    """Clinical short forms and note words for the ``concepts`` component (needs ``lookup`` and ``_key``)."""

    def _first_word_ids(self, doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
        """:func:`note_entity_rules.clinical_first_words` as ids of ``doc``'s string store (hashes, or symbol ids:
        ``cc`` is one), computed once per vocabulary."""
        cached = getattr(self, "_first_ids", None)
        if cached is None or cached[0] is not doc.vocab.strings:
            strings = doc.vocab.strings
            as_written, lower = clinical_first_words()
            cached = self._first_ids = (strings, frozenset(strings[w] for w in as_written), frozenset(strings[w] for w in lower))
        return cached[1], cached[2]

    @staticmethod
    def _note_non_entity(doc: Doc, candidate: tuple[int, int, str, tuple[Code, ...], str]) -> bool:
        """A lexicon match that names nothing in a note: a header word of a section header (``ALLERGIES:``), or a
        shipped term such as ``wound`` (:func:`note_entity_rules.lexicon_non_entity`)."""
        start, end, _, _, source = candidate
        if end < len(doc) and doc[start:end].text.lower() in HEADER_WORDS and in_header(doc, start, end):
            return True
        return source not in ("user", "model", "both") and lexicon_non_entity(doc, start, end)

    def _note_candidates(
        self,
        doc: Doc,
        candidates: list[tuple[int, int, str, tuple[Code, ...], str]],
        columns: tuple[list[int], list[int]],
        short_to_long: dict[str, str],
        blocked: set[int],
    ) -> list[tuple[int, int, str, tuple[Code, ...], str]]:
        """The lexicon matches ``candidates`` of a note without those that name nothing there (on ``blocked``
        tokens, a header word, ``wound``), plus the clinical short forms ``doc`` does not define (``HTN``); a
        lexicon match without codes on such a short form (``GERD``) takes its long form's codes. ``columns``: the
        lower-case and as-written ids of ``doc``'s tokens (:func:`~medtext.pipeline.lexicon.token_columns`)."""
        short_firsts, lower_firsts = self._first_word_ids(doc)
        lowers, orths = columns
        candidates = [
            c for c in candidates
            if not (blocked and not blocked.isdisjoint(range(c[0], c[1])))
            and not (lowers[c[0]] in lower_firsts and self._note_non_entity(doc, c))
        ]
        clinical = self._clinical_matches(doc, short_to_long, _positions(orths, short_firsts))
        if clinical:
            coded = {(c[0], c[1]): c for c in clinical if c[3]}
            candidates = [coded.get((c[0], c[1]), c) if not c[3] else c for c in candidates] + clinical
        return candidates

    def _clinical_short_form(self, doc: Doc, start: int, end: int) -> tuple[str, tuple[Code, ...], str] | None:
        """(label, codes of its long form, source) of the clinical short form that is exactly ``doc[start:end]``."""
        at = clinical_short_form_at(doc, start)
        if at is None or at[0] != end:
            return None
        form = at[1]
        found = self.lookup(self._key(form.long), form.label)
        return form.label, (found[1] if found is not None else ()), "clinical"

    def _clinical_matches(
        self, doc: Doc, short_to_long: dict[str, str], starts: list[int]
    ) -> list[tuple[int, int, str, tuple[Code, ...], str]]:
        """The clinical short forms of ``doc`` at ``starts`` (tokens that may begin one) that it does not define
        (``HTN``, ``DVT, PE``), with their long form's codes."""
        out = []
        for i in starts:
            at = clinical_short_form_at(doc, i)
            if at is None or doc[i : at[0]].text.lower() in short_to_long:
                continue
            found = self._clinical_short_form(doc, i, at[0])
            if found is not None:
                out.append((i, at[0], found[0], found[1], found[2]))
        return out
