"""Sentences of a raw abstract for ``medtext classify --model sentence-roles "TEXT"`` (no spaCy: the fast path).

A sentence ends at ``.``, ``!`` or ``?`` followed by whitespace and an upper-case letter, a digit, or an
opening quote / bracket before one, except after the abbreviations of :data:`NOT_SENTENCE_ENDS`, whose
period is followed by a number or a capital inside a sentence of an abstract ("10% vs. 20%", "Fig. 2",
"e.g. RR", "et al. In", "approx. 50"). A single capital letter before a period still ends a sentence
("vitamin D. The", "group B. Results"), so authors' initials split.

Example:
    >>> text = "Rates were 10% vs. 20% (Fig. 2). Vitamin D. The end."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Rates were 10% vs. 20% (Fig. 2).', 'Vitamin D.', 'The end.']
"""

from __future__ import annotations

import re

# Abbreviations whose period never ends a sentence of an abstract (case as written).
NOT_SENTENCE_ENDS = ("vs", "Vs", "e.g", "i.e", "Fig", "Figs", "fig", "figs", "et al", "approx", "ca", "cf",
                     "viz", "resp", "Dr", "Drs", "No", "Nos", "Eq", "Ref", "Refs", "Suppl")

_SENT_SPLIT = re.compile(
    r"(?<=[.!?])"
    + "".join(rf"(?<!\b{re.escape(word)}\.)" for word in NOT_SENTENCE_ENDS)
    + r"\s+(?=[\"'(\[]?[A-Z0-9])"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets into ``text`` of its sentences, leading and trailing whitespace left out
    (example: the module's)."""
    spans, pos = [], 0
    for sentence in _SENT_SPLIT.split(text.strip()):
        start = text.index(sentence, pos)
        spans.append((start, start + len(sentence)))
        pos = start + len(sentence)
    return spans
