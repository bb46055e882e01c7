"""Span clean-up of the ``phi`` component, after the rules and the model have spoken.

This module merges, absorbs and trims; it also gathers the steps the component runs from the modules
that do them (import them from here or from there):

* :func:`propagate`, :func:`consistent_mentions` (:mod:`phi_mentions`): the words of a sure or
  detected name or place mark its other mentions in the note (``Ilse Varnum`` ... ``Ilse``);
* :func:`merge_spans`: overlapping spans become one (the strongest label wins);
* :func:`absorb_initials`: ``Z. LINDQVIST``, ``OTTO W. BRANNIGAN`` become one name;
* :func:`extend_institutions`, :func:`extend_places`, :func:`extend_names`, :func:`extend_addresses`
  (:mod:`phi_span_growth`): neighbouring words join institutions (``University of Maryland``), known
  place names (``new haven``), names (``Orla Zwarkowich``) and addresses (``27 Fernwick St.``);
* :func:`cue_names` (:mod:`phi_cue_names`): names after titles, kin words and verbs of contact;
* :func:`cue_locations` (:mod:`phi_cue_places`), :func:`world_towns` (:mod:`phi_world_towns`):
  saint-named hospitals, campuses, ``University of X``, non-US towns after a place cue;
* :func:`trim_edges`: sentence words leave the edges of names and places (``of Chattanooga``,
  ``Dr. X's ingenuity``), places a space apart become one.

Example:
    >>> text = "Z. MILLER AWARE"
    >>> absorb_initials(text, [(3, 9, "NAME")])
    [(0, 9, 'NAME')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from medtext.pipeline.phi_cue_names import cue_names
from medtext.pipeline.phi_cue_places import cue_locations
from medtext.pipeline.phi_lexicons import lexicons
from medtext.pipeline.phi_mentions import PROPAGATE_MIN_SCORE, consistent_mentions, propagate
from medtext.pipeline.phi_name_shapes import COMMON_LIMIT, INSTITUTION_WORDS
from medtext.pipeline.phi_span_growth import extend_addresses, extend_institutions, extend_names, extend_places
from medtext.pipeline.phi_world_towns import world_towns

__all__ = [
    "INSTITUTION_WORDS", "PROPAGATE_MIN_SCORE", "absorb_initials", "consistent_mentions", "cue_locations", "cue_names",
    "extend_addresses", "extend_institutions", "extend_names", "extend_places", "merge_spans", "propagate",
    "trim_edges", "world_towns",
]

def merge_spans(spans: Iterable[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Merge overlapping ``(start, end, label, priority)`` spans; the label of the strongest wins.

    Example:
        >>> merge_spans([(0, 3, "PHONE", 1), (0, 12, "PHONE", 2), (20, 24, "NAME", 1)])
        [(0, 12, 'PHONE'), (20, 24, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    best: tuple[int, int] = (-1, -1)
    for start, end, label, priority in sorted(spans):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            prev_start, prev_end, prev_label = out[-1]
            key = (priority, end - start)
            if key > best:
                prev_label, best = label, key
            out[-1] = (prev_start, max(prev_end, end), prev_label)
        else:
            out.append((start, end, label))
            best = (priority, end - start)
    return out


_INITIAL_BEFORE = re.compile(r"(?:(?<![A-Za-z])[A-Z]\.?|(?<![A-Za-z])[a-z]\.)[ \t]{1,2}\Z")
_INITIAL_BETWEEN = re.compile(r"[ \t]{1,2}[A-Za-z]\.?[ \t]{1,2}\Z")


_SENTENCE_START = re.compile(r"(?:\A|[.!?:;,][ \t]*|\n[ \t]*)\Z")


def _sentence_article(text: str, at: int) -> bool:
    """``A`` (or ``I``) at ``at``, without a full stop, starts a sentence: the article or the pronoun, no initial
    (``A Portnoy catheter was introduced``, ``,A Storz sheath``)."""
    return text[at] in "AI" and text[at + 1 : at + 2] != "." and bool(_SENTENCE_START.search(text, max(0, at - 4), at))


def absorb_initials(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Single-letter initials right before a NAME (or between two NAMEs) join the name; a sentence's first ``A``
    is the article."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label == "NAME":
            if out and out[-1][2] == "NAME" and _INITIAL_BETWEEN.match(text[out[-1][1] : start] + "") and "\n" not in text[out[-1][1] : start]:
                prev = out.pop()
                start = prev[0]
            else:
                # searched in the text itself, so that the look-behind sees the letters before the window
                # (in a 4-character slice, the "n." ending "condition.  Emily" looked like an initial)
                m = _INITIAL_BEFORE.search(text, max(0, start - 4), start)
                floor = out[-1][1] if out else 0
                if m and m.start() >= floor and not _sentence_article(text, m.start()):
                    start = m.start()
        out.append((start, end, label))
    return out


_PLACE_LEAD = re.compile(r"(?:of|at|in|from)[ \t]+(?=[A-Za-z])")
_TRAILING_LOWER = re.compile(r"[ \t]+[a-z]+\Z")
_PLACE_GAP = re.compile(r"[ \t]{1,2}\Z")
_SALUTATION = re.compile(r"Dear[ \t]+(?=[A-Z])")
_FACILITY_END = re.compile(r"(?i)\b(?:hospital|hosp\.?|medical[ \t]+center|rehab|clinic)\Z")


def trim_edges(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Words at the edges of a span that belong to the sentence, not to the name or place: a lower-case ``of`` /
    ``at`` / ``in`` / ``from`` starting a place (``of Chattanooga``), ordinary lower-case words ending a name
    written with capitals, or any after a possessive (``Dr. X's ingenuity``, ``the Allegra may have``; ``Janet logan``
    and a name all in lower case keep them), a salutation
    starting one (``Dear Sample Doctor``); a name left as
    a sentence's ``A`` is dropped. Places separated by a space only become one (``Munson Medical`` + ``Center``).

    Example:
        >>> trim_edges("office of Chattanooga GYN", [(7, 21, "LOCATION")])
        [(10, 21, 'LOCATION')]
        >>> trim_edges("Thanks to Dr. X's ingenuity, we", [(14, 27, "NAME")])
        [(14, 17, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label in ("LOCATION", "HOSPITAL"):
            m = _PLACE_LEAD.match(text, start, end)
            if m:
                start = m.end()
            prev = out[-1] if out else None
            if prev and prev[2] in ("LOCATION", "HOSPITAL") and _PLACE_GAP.match(text, prev[1], start) \
                    and "\n" not in text[prev[1] : start]:
                hospital = "HOSPITAL" in (label, prev[2]) or _FACILITY_END.search(text, prev[0], end)
                out[-1] = (prev[0], end, "HOSPITAL" if hospital else label)
                continue
        elif label == "NAME" and not text[start:end].islower():
            m = _SALUTATION.match(text, start, end)
            if m:  # "Dear Sample Doctor": the salutation is no part of the name
                start = m.end()
            lex = lexicons()
            written_end = end
            while True:
                m = _TRAILING_LOWER.search(text, start, end)
                if not m or m.start() == start:
                    break
                possessive = text[max(start, m.start() - 2) : m.start()].endswith(("'s", "'"))
                if not possessive and lex.common_count(text[m.start() : end].strip()) < COMMON_LIMIT:
                    break  # "Janet logan", "Brisavel se": a surname written in lower case
                end = m.start()
            if end < written_end and end - start == 1 and text[start] in "AI":
                continue  # "A banana bag": the article was all that stayed
        out.append((start, end, label))
    return out
