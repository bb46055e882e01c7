"""Sentiment tokens from the VADER lexicon (MIT; see medtext/resources/sentiment/README.md), pure Python.

:class:`SentimentAnalyzer` turns a text into a few pseudo-tokens per opinion word, which a
TF-IDF block (``ClinicalTfidf(sentiment=True)``) counts: the polarity (``pos`` / ``neg``,
``not_`` in front when the word is in a negation scope), its strength (``pos3``: valence
3 to 4) and where in the text it occurs (``pos@2``: last third, after negation). It helps
with opinion words too rare in the training data to get a weight of their own. Imports only
the standard library (the numpy prediction path uses the same object).

Example:
    >>> SentimentAnalyzer()("Works great, no side effects")
    ['pos', 'pos3', 'pos@0', 'neg', 'neg1', 'neg@1']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .text import Analyzer, WordAnalyzer


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """``{word: valence}`` of the shipped lexicon (valence -4 .. +4)."""
    raw = resources.files("medtext.resources").joinpath("sentiment/vader_lexicon.tsv").read_text(encoding="utf-8")
    out = {}
    for line in raw.splitlines():
        word, _, value = line.partition("\t")
        out[word] = float(value)
    return out


class SentimentAnalyzer(Analyzer):
    """Pseudo-tokens of the lexicon's opinion words (see the module docstring); ``parts``: position buckets."""

    kind = "sentiment"
    _params = ("parts",)

    def __init__(self, parts: int = 3):
        self.parts = int(parts)

    def __call__(self, text: str) -> list[str]:
        lex = vader_lexicon()
        toks = WordAnalyzer(negation=True).tokens(text)
        n = len(toks)
        out: list[str] = []
        for i, tok in enumerate(toks):
            negated = tok.startswith("not_")
            v = lex.get(tok[4:] if negated else tok)
            if v is None or v == 0:
                continue
            pol = "pos" if v > 0 else "neg"
            pre = "not_" if negated else ""
            flipped = ("neg" if pol == "pos" else "pos") if negated else pol
            out += [pre + pol, f"{pre}{pol}{min(int(abs(v)), 3)}", f"{flipped}@{i * self.parts // n}"]
        return out
