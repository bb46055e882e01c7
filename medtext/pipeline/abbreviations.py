"""Abbreviation detection with long-form propagation (component ``abbreviations``).

Definitions are found the Schwartz-Hearst way, improved as Ab3P did (see
:mod:`medtext.pipeline.abbreviation_definitions`): ``long form (SF)``,
``long form [SF]``, ``(SF; 10 mM)``, ``(long form, SF)`` and ``SF (long form)``.
Every later use of a defined short form in the same document is listed too
(``CTs`` counts as a use of ``CT``; a short form defined again takes its new long
form from there on). ``doc._.abbreviations`` holds plain dicts
``{short, long, start, end}`` in text order, where ``text[start:end] == short``
and ``long`` is the long form with its whitespace collapsed. A text without
brackets costs one substring test.

Clinical notes bracket many things that only look like definitions: brand names
(``viscoelastic (Viscoat)``), tumour stages (``(pT1)``), values (``(Hgb 12.1)``),
route and frequency codes (``Prednisone (PO)``); none of them defines a short form.
An upper-case short form that is also a word of the note (``OR``) has no uses
inside upper-case prose (``NO FEVER OR CHILLS``).

Example:
    >>> find_abbreviations("We used computed tomography (CT). CT and CTs were read.")
    [{'short': 'CT', 'long': 'computed tomography', 'start': 29, 'end': 31}, {'short': 'CT', 'long': 'computed tomography', 'start': 34, 'end': 36}, {'short': 'CT', 'long': 'computed tomography', 'start': 41, 'end': 43}]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from medtext.pipeline.abbreviation_definitions import Definition, find_definitions
from medtext.pipeline.abbreviation_uses import letter_words, short_form_uses
from medtext.pipeline.extensions import doc_text, register_extensions
from medtext.pipeline.range_index import RangeIndex
from medtext.pipeline.saved_settings import overridden, saved_config_block

__all__ = ["AbbreviationDetector", "find_abbreviations", "find_definitions", "defined_pairs"]


def _record(short: str, long: str, start: int, end: int) -> dict[str, Any]:
    return {"short": short, "long": long, "start": start, "end": end}


def find_abbreviations(text: str, propagate: bool = True) -> list[dict[str, Any]]:
    """``{short, long, start, end}`` for each definition's short form and, with ``propagate``, each later use.

    Example:
        >>> [a["start"] for a in find_abbreviations("interleukin-2 (IL-2) and IL-2R; IL-2.")]
        [15, 32]
    """
    definitions = find_definitions(text)
    if not definitions:
        return []
    found: dict[int, dict[str, Any]] = {}
    for d in definitions:
        found[d.short_start] = _record(d.short, " ".join(d.long.split()), d.short_start, d.short_end)
    if propagate:
        _propagate(text, definitions, found)
    return [found[start] for start in sorted(found)]


def _propagate(text: str, definitions: list[Definition], found: dict[int, dict[str, Any]]) -> None:
    """Add the later uses of each short form, linked to its most recent definition.

    The uses of all short forms are found in one pass (:func:`short_form_uses`), and
    each costs a binary search, not a pass over every definition: a note with
    thousands of distinct short forms, definitions and uses stays linear."""
    in_short_form = RangeIndex((d.short_start, d.short_end) for d in definitions).covers
    by_short: dict[str, list[Definition]] = {}
    for d in definitions:
        by_short.setdefault(d.short, []).append(d)
    # the last definition (in list order) ending at or before a position: suffix minima of the ends
    # are non-decreasing, and the last index whose suffix minimum is <= start is that definition
    latest = {short: list(accumulate(reversed([d.short_end for d in defs]), min))[::-1] for short, defs in by_short.items()}
    word_like = {short: None if short.isalpha() and short.isupper() else False for short in by_short}
    words: set[str] | None = None  # the letter words of the text, once one is needed
    for start, short in short_form_uses(text, {short: defs[0].short_end for short, defs in by_short.items()}):
        if start in found or in_short_form(start):
            continue
        end = start + len(short)
        if word_like[short] is not False and _in_capitals(text, start, end):
            if word_like[short] is None:
                words = letter_words(text) if words is None else words
                word_like[short] = _is_word_too(text, short, words)
            if word_like[short]:
                continue  # "NO FEVER OR CHILLS": an upper-case word, not the short form
        current = by_short[short][bisect_right(latest[short], start) - 1]
        found[start] = _record(short, " ".join(current.long.split()), start, end)


_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z\n]{0,3}$")
_NEXT_WORD = re.compile(r"[^A-Za-z\n]{0,3}([A-Za-z]+)")


def _is_word_too(text: str, short: str, words: set[str]) -> bool:
    """Is an upper-case short form (``OR``, ``ALL``) also written as a lower-case word in the text?

    ``words``: the text's :func:`letter_words`.

    Example:
        >>> _is_word_too("pain or fever; OR", "OR", {"pain", "or", "fever", "OR"}), _is_word_too("in the ORs", "OR", {"in", "the", "ORs"})
        (True, False)
    """
    word = short.lower()
    if word.isalpha():
        return word in words  # a run of letters with no letter on either side
    i = text.find(word)  # lower-casing made a non-letter ("İ" -> "i" + a combining dot)
    while i >= 0:
        j = i + len(word)
        if not (i and text[i - 1].isalpha()) and not (j < len(text) and text[j].isalpha()):
            return True
        i = text.find(word, i + 1)
    return False


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Are the words on both sides of text[start:end] upper-case words (``NO FEVER OR CHILLS``)?

    Example:
        >>> _in_capitals("NO FEVER OR CHILLS", 9, 11), _in_capitals("the OR today", 4, 6)
        (True, False)
    """
    before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    after = _NEXT_WORD.match(text, end, end + 40)
    return all(m is not None and len(m.group(1)) >= 2 and m.group(1).isupper() for m in (before, after))


def defined_pairs(text: str) -> set[tuple[str, str]]:
    """The distinct (short, long) pairs defined in a text, whitespace collapsed (what evaluation scores).

    Example:
        >>> sorted(defined_pairs("Odds ratio (OR) and odds ratio [OR]; OR was 2."))
        [('OR', 'Odds ratio'), ('OR', 'odds ratio')]
    """
    return {(" ".join(d.short.split()), " ".join(d.long.split())) for d in find_definitions(text)}


class AbbreviationDetector:
    """The ``abbreviations`` component: sets ``doc._.abbreviations`` from ``doc.text``.

    Example:
        >>> import medtext
        >>> nlp = medtext.load(exclude=["ner"])
        >>> nlp("Two timed artificial insemination (TAI) protocols.")._.abbreviations[0]["long"]
        'timed artificial insemination'
    """

    def __init__(self, nlp: Language, name: str = "abbreviations", propagate: bool = True) -> None:
        register_extensions()
        self.name = name
        self.propagate = propagate
        self._given = {"propagate": propagate}  # as built: a setting given at load time wins (see from_disk)

    def __call__(self, doc: Doc) -> Doc:
        doc._.abbreviations = find_abbreviations(doc_text(doc), self.propagate)
        return doc

    # Serialization: the settings only; the rules are code and travel with the package. A setting
    # given to spacy.load(path, config={...}) is not restored (medtext.pipeline.saved_settings).
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"propagate": self.propagate})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> AbbreviationDetector:
        self.propagate = bool(srsly.msgpack_loads(data)["propagate"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", {"propagate": self.propagate})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> AbbreviationDetector:
        cfg = Path(path) / "cfg.json"
        if cfg.exists() and "propagate" not in overridden(self._given, saved_config_block(path)):
            self.propagate = bool(srsly.read_json(cfg)["propagate"])
        return self


@Language.factory(
    "medtext_abbreviations",
    default_config={"propagate": True},
    assigns=["doc._.abbreviations"],
)
def make_abbreviations(nlp: Language, name: str, propagate: bool) -> AbbreviationDetector:
    """Factory for ``nlp.add_pipe("medtext_abbreviations", name="abbreviations")``."""
    return AbbreviationDetector(nlp, name=name, propagate=propagate)
