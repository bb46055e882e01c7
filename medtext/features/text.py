"""Clinical text normalisation and n-gram analyzers, in pure Python.

These callables are the single definition of tokenisation for medtext's linear
models: scikit-learn's ``TfidfVectorizer(analyzer=WordAnalyzer(...))`` uses them
at training time and the numpy prediction path (:mod:`medtext.learn.linear_numpy`)
uses the very same objects, so both paths see identical features. This module
imports only the standard library (the cold ``medtext classify`` path relies on it).

Example:
    >>> WordAnalyzer(ngram_range=(1, 2))("Patient received 5 mg IV")
    ['patient', 'received', '0', 'mg', 'iv', 'patient received', 'received 0', '0 mg', 'mg iv']
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+(?:[-']\w+)*")
_SPACE = re.compile(r"\s+")
_CLAUSE = re.compile(r"[.,;:!?()\[\]]")
NEGATION_CUES = frozenset({"no", "not", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot",
                           "denies", "denied", "deny", "negative", "absent", "free", "ruled"})


def normalize_text(text: str, *, lowercase: bool = True, numbers: str = "collapse") -> str:
    """Normalise a clinical text before tokenising.

    NFKC-folds Unicode (full-width digits, ligatures, non-breaking spaces),
    lowercases, and with ``numbers="collapse"`` maps every number (``12``, ``2.5``,
    ``1,000``) to ``0`` so that doses and counts share features.

    >>> normalize_text("HbA1c 7.5 %\\u00a0(2 visits)")
    'hba0c 0 % (0 visits)'
    """
    text = unicodedata.normalize("NFKC", text)
    if lowercase:
        text = text.lower()
    if numbers == "collapse":
        text = _DIGITS.sub("0", text)
    elif numbers != "keep":
        raise ValueError(f"numbers must be 'collapse' or 'keep', got {numbers!r}")
    return text


class Analyzer:
    """Shared parameter handling: picklable, comparable, with a readable repr."""

    _params: tuple[str, ...] = ()

    def get_config(self) -> dict[str, Any]:
        cfg = {k: getattr(self, k) for k in self._params}
        cfg["kind"] = self.kind  # type: ignore[attr-defined]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()}

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._params)
        return f"{type(self).__name__}({args})"


class WordAnalyzer(Analyzer):
    """Word n-grams of the normalised text (tokens: runs of word characters, inner ``-``/``'`` kept).

    With ``negation=True`` the words after a negation cue (``no``, ``not``, ``denies``,
    ``didn't`` ...) up to the end of the clause get a ``not_`` prefix, so "no pain" and
    "pain" become different features.

    >>> WordAnalyzer()("Non-small-cell lung cancer")
    ['non-small-cell', 'lung', 'cancer']
    >>> WordAnalyzer(negation=True)("Denies chest pain, has cough")
    ['denies', 'not_chest', 'not_pain', 'has', 'cough']
    """

    kind = "word"
    _params = ("ngram_range", "lowercase", "numbers", "negation")

    def __init__(self, ngram_range: tuple[int, int] = (1, 1), lowercase: bool = True, numbers: str = "collapse",
                 negation: bool = False):
        self.ngram_range = tuple(ngram_range)
        self.lowercase = lowercase
        self.numbers = numbers
        self.negation = negation

    def tokens(self, text: str) -> list[str]:
        norm = normalize_text(text, lowercase=self.lowercase, numbers=self.numbers)
        if not self.negation:
            return _WORD.findall(norm)
        out: list[str] = []
        for clause in _CLAUSE.split(norm):
            neg = False
            for tok in _WORD.findall(clause):
                out.append("not_" + tok if neg else tok)
                low = tok.lower()
                if low in NEGATION_CUES or low.endswith("n't"):
                    neg = True
        return out

    def __call__(self, text: str) -> list[str]:
        toks = self.tokens(text)
        lo, hi = self.ngram_range
        if lo == 1 and hi == 1:
            return toks
        out: list[str] = list(toks) if lo == 1 else []
        n_tok = len(toks)
        for n in range(max(lo, 2), hi + 1):
            for i in range(n_tok - n + 1):
                out.append(" ".join(toks[i : i + n]))
        return out


class CharAnalyzer(Analyzer):
    """Character n-grams inside word boundaries (like scikit-learn's ``char_wb``), on normalised text.

    >>> CharAnalyzer(ngram_range=(3, 3))("IV")
    [' iv', 'iv ']
    """

    kind = "char"
    _params = ("ngram_range", "lowercase", "numbers")

    def __init__(self, ngram_range: tuple[int, int] = (2, 5), lowercase: bool = True, numbers: str = "collapse"):
        self.ngram_range = tuple(ngram_range)
        self.lowercase = lowercase
        self.numbers = numbers

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        grams = self.word_grams
        for word in self.words(text):
            out += grams(word)
        return out

    def words(self, text: str) -> list[str]:
        """The normalised words whose n-grams :meth:`__call__` gives, in order.

        >>> CharAnalyzer().words("IV  Lasix")
        ['iv', 'lasix']
        """
        return _SPACE.sub(" ", normalize_text(text, lowercase=self.lowercase, numbers=self.numbers)).split()

    def word_grams(self, word: str) -> list[str]:
        """The n-grams of one word, padded with a space on each side (shorter first, then left to right).

        >>> CharAnalyzer(ngram_range=(2, 3)).word_grams("iv")
        [' i', 'iv', 'v ', ' iv', 'iv ']
        """
        w = " " + word + " "
        wl = len(w)
        lo, hi = self.ngram_range
        out: list[str] = []
        for n in range(lo, hi + 1):
            if n > wl:
                break
            out += [w[i : i + n] for i in range(wl - n + 1)]
            if n == wl:
                break
        return out


ANALYZERS = {"word": WordAnalyzer, "char": CharAnalyzer}


def analyzer_from_config(cfg: dict[str, Any]) -> Analyzer:
    """Rebuild an analyzer from :meth:`get_config` output (as stored in a model folder)."""
    cfg = dict(cfg)
    kind = cfg.pop("kind")
    if kind == "concepts":  # imported here: it loads the lexicon module, this module is stdlib only
        from medtext.features.concept_analyzer import ConceptAnalyzer

        return ConceptAnalyzer(**cfg)
    if kind == "term_pairs":
        from medtext.features.term_pairs import TermPairAnalyzer

        return TermPairAnalyzer(**cfg)
    if kind == "sentiment":  # imported here: it reads the lexicon file
        from medtext.features.sentiment import SentimentAnalyzer

        return SentimentAnalyzer(**cfg)
    if kind not in ANALYZERS:
        raise ValueError(f"unknown analyzer kind {kind!r}")
    return ANALYZERS[kind](**cfg)
