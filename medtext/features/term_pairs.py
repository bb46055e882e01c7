"""Drug / effect pair tokens from the shipped lexicon plus term lists learnt from annotated training data.

:class:`TermPairAnalyzer` finds CHEMICAL and DISEASE terms of the shipped lexicon (as
:class:`~medtext.features.concept_analyzer.ConceptAnalyzer` does), then, on the words
still free, the longest ``drugs`` and ``effects`` of its own term lists (e.g. the drug
and adverse-effect spans annotated in a training corpus), and gives the tokens of
:func:`~medtext.features.concept_analyzer.pair_tokens` for every (drug, effect) pair.
The term lists are part of its config, so a saved model predicts with the lists it was
trained with. :class:`TermPairTfidf` is the TF-IDF block over these tokens; it learns
its vocabulary *cross-fitted*: the tokens of a training record come from term lists
built without the record's own group (document), so that the training records see the
coverage that unseen text will see (with their own terms, every annotated record would
have a pair and the model would trust pairs too much).

Pure Python apart from :class:`TermPairTfidf` (scikit-learn), which the numpy prediction
path never imports.

Example:
    >>> an = TermPairAnalyzer(drugs=["zorbitrol"], effects=["purple toes"])
    >>> an("Zorbitrol-induced purple toes.")
    ['n_chem=1', 'n_dis=1', 'pair', 'order=CD', 'dist=CD1', 'btw=CD-', 'btw=CDinduced', 'btw2=CD-_induced', 'post=CD.']
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any, Iterable, Sequence

from medtext.errors import Errors, ModelError
from medtext.features.concept_analyzer import TERM_TOKEN, pair_tokens
from medtext.features.text import Analyzer
from medtext.pipeline.lexicon import shipped_lexicon, shipped_lexicon_fingerprint


def term_key(term: str) -> str:
    """A term as the analyzer matches it: NFKC, lower-cased words and punctuation joined by spaces.

    >>> term_key("Hand-foot  Syndrome")
    'hand - foot syndrome'
    """
    return " ".join(t.lower() for t in TERM_TOKEN.findall(unicodedata.normalize("NFKC", term)))


class _Terms:
    """Longest-match lookup of token tuples, on words not yet covered."""

    def __init__(self, keys: Iterable[str]):
        self.keys = {tuple(k.split(" ")) for k in keys if k}
        self.longest: dict[str, int] = {}
        for k in self.keys:
            self.longest[k[0]] = max(self.longest.get(k[0], 0), len(k))

    def match(self, lowers: Sequence[str], covered: list[bool]) -> list[tuple[int, int]]:
        out, i, n = [], 0, len(lowers)
        while i < n:
            hit = 0
            if not covered[i]:
                for length in range(min(self.longest.get(lowers[i], 0), n - i), 0, -1):
                    if tuple(lowers[i : i + length]) in self.keys and not any(covered[i : i + length]):
                        hit = length
                        break
            if hit:
                out.append((i, i + hit))
                covered[i : i + hit] = [True] * hit
                i += hit
            else:
                i += 1
        return out


class TermPairAnalyzer(Analyzer):
    """Pair tokens of (drug, effect) terms: shipped lexicon first, then ``drugs``, then ``effects``."""

    kind = "term_pairs"
    _params = ("drugs", "effects", "lexicon")

    def __init__(self, drugs: Iterable[str] = (), effects: Iterable[str] = (), lexicon: str | None = None):
        self.drugs = tuple(sorted({term_key(t) for t in drugs} - {""}))
        self.effects = tuple(sorted({term_key(t) for t in effects} - {""}))
        self.lexicon = lexicon or shipped_lexicon_fingerprint()
        if self.lexicon != shipped_lexicon_fingerprint():
            raise ModelError(Errors.E116.format(resource="lexicon", expected=self.lexicon, found=shipped_lexicon_fingerprint()))
        self._drugs = _Terms(self.drugs)
        self._effects = _Terms(self.effects)

    def __getstate__(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._params}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)

    def spans(self, text: str) -> tuple[list[str], list[tuple[int, int]], list[tuple[int, int]]]:
        """Lower-cased tokens, drug spans and effect spans (token offsets, in text order)."""
        orths = TERM_TOKEN.findall(unicodedata.normalize("NFKC", text))
        lowers = [t.lower() for t in orths]
        covered = [False] * len(lowers)
        drugs, effects = [], []
        for start, end, label, _codes, _source in shipped_lexicon().match(lowers, orths):
            (drugs if label == "CHEMICAL" else effects).append((start, end))
            covered[start:end] = [True] * (end - start)
        drugs += self._drugs.match(lowers, covered)
        effects += self._effects.match(lowers, covered)
        return lowers, sorted(drugs), sorted(effects)

    def __call__(self, text: str) -> list[str]:
        lowers, drugs, effects = self.spans(text)
        return pair_tokens(lowers, drugs, effects)

    def unit_spans(self, text: str) -> tuple[list[str], list[tuple[tuple[int, int], tuple[int, int], list[str]]]]:
        """Lower-cased tokens and, per (drug, effect) pair, the two spans and :func:`unit_tokens`."""
        lowers, drugs, effects = self.spans(text)
        return lowers, [(d, e, unit_tokens(lowers, d, e, drugs, effects)) for d in drugs for e in effects]

    def units(self, text: str) -> list[list[str]]:
        """One token list per (drug, effect) pair of the text (the units of a pair-level head).

        >>> TermPairAnalyzer().units("Asthma after aspirin.")
        [['order=DC', 'dist=DC0', 'btw=DCafter', 'btwall=DCafter', 'post=DC.', 'eff=asthma', 'nent=0']]
        """
        return [tokens for _d, _e, tokens in self.unit_spans(text)[1]]


def unit_tokens(lowers: Sequence[str], drug: tuple[int, int], effect: tuple[int, int],
                drugs: Sequence[tuple[int, int]] = (), effects: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Tokens of one (drug, effect) pair: order, distance, the words between (other terms masked as
    ``<C>`` / ``<D>``), the whole short gap, three words around, the effect's words.

    >>> unit_tokens(["aspirin", "induced", "asthma"], (0, 1), (2, 3))
    ['order=CD', 'dist=CD0', 'btw=CDinduced', 'btwall=CDinduced', 'eff=asthma', 'nent=0']
    """
    first, second = sorted((drug, effect))
    order = "CD" if first == drug else "DC"
    mask = {j: "<C>" for s, e in drugs for j in range(s, e)}
    mask.update({j: "<D>" for s, e in effects for j in range(s, e)})
    between: list[str] = []
    for j in range(first[1], second[0]):
        word = mask.get(j, lowers[j])
        if not (between and j in mask and between[-1] == word):  # one mask per term
            between.append(word)
    out = [f"order={order}", f"dist={order}{min(len(between) // 2, 8)}"]
    out += [f"btw={order}{w}" for w in between]
    out += [f"btw2={order}{a}_{b}" for a, b in zip(between, between[1:])]
    if len(between) <= 4:
        out.append(f"btwall={order}" + "_".join(between))
    out += [f"pre={order}{w}" for w in lowers[max(0, first[0] - 3) : first[0]]]
    out += [f"post={order}{w}" for w in lowers[second[1] : second[1] + 3]]
    out += [f"eff={w}" for w in lowers[effect[0] : effect[1]]]
    out.append(f"nent={min(sum(1 for w in between if w in ('<C>', '<D>')), 3)}")
    return out


def group_fold(group: Any, folds: int) -> int:
    """Fold of a group (document id), stable across runs and machines.

    >>> group_fold("10030778", 5)
    0
    """
    return int(hashlib.sha256(f"term-pairs:{group}".encode()).hexdigest()[:8], 16) % folds
