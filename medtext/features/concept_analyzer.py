"""Concept tokens of a text from medtext's shipped lexicon, in pure Python (no spaCy).

The text is cut into words and punctuation, and the longest lexicon terms
(ICD-10-CM, the drug dictionary, the corpora's MeSH pairs; see
``medtext/resources/lexicons/README.md``) are looked up left to right, the way
the concept matcher does without the NER. Each term found gives:

* ``code=SYSTEM:CODE`` for each of its codes (``code=MESH:D003920``);
* for ICD-10-CM codes, the chapter-level prefixes ``icd1=E``, ``icd2=E1``, ``icd3=E11``,
  which let a linear model generalise across the diseases of one organ system;
* ``ent=LABEL:term`` (``ent=DISEASE:diabetes mellitus``);
* with ``trees=1``, for a DISEASE term naming a MeSH descriptor, its top-level MeSH trees
  (``tree1=C04`` for "glioma", Neoplasms; see :mod:`medtext.features.mesh_trees`); with
  ``trees=2`` also the second level (``tree2=C04.557``). Off (``trees=0``) by default;
* with ``pairs=True``, for each CHEMICAL term and DISEASE term of the text (a drug and
  a possible adverse effect), the order of the two (``CD`` / ``DC``), their distance,
  the words and word pairs between them and the two words around them, e.g.
  ``btw=CDinduced`` for "aspirin induced asthma"; plus ``n_chem=`` / ``n_dis=`` counts.
  A linear model cannot form such conjunctions from separate tokens.

A text without any term gives the single token ``concepts=none``. The same object
serves training (scikit-learn) and the numpy prediction path, so both see identical
features; the lexicon loads on first use (about 0.2 s).

Example:
    >>> ConceptAnalyzer(codes=False, mentions=False)("Crohn's disease of small intestine")
    ['icd1=K', 'icd2=K5', 'icd3=K50']
    >>> ConceptAnalyzer()("No findings.")
    ['concepts=none']
    >>> ConceptAnalyzer(codes=False, chapters=False, mentions=False, trees=2)("A glioma.")
    ['tree1=C04', 'tree2=C04.557']
"""

from __future__ import annotations

import re
import unicodedata

from medtext.errors import Errors, ModelError
from medtext.features.text import Analyzer
from medtext.pipeline.lexicon import shipped_lexicon, shipped_lexicon_fingerprint

# Words, the clitic 's (as the lexicon's keys have it: "crohn 's disease"), other characters.
TERM_TOKEN = re.compile(r"'s(?!\w)|\w+|[^\w\s]")
NONE_TOKEN = "concepts=none"


class ConceptAnalyzer(Analyzer):
    """Concept tokens (codes, ICD-10-CM chapter prefixes, mentions) of lexicon terms in a text."""

    kind = "concepts"
    _params = ("codes", "chapters", "mentions", "pairs", "lexicon", "trees", "mesh_trees")
    # The token kinds a user may switch on (``ClinicalTfidf(concept_kinds=...)``).
    KINDS = ("codes", "chapters", "mentions", "pairs")

    def __init__(self, codes: bool = True, chapters: bool = True, mentions: bool = True, pairs: bool = False,
                 lexicon: str | None = None, trees: int = 0, mesh_trees: str | None = None):
        self.codes = codes
        self.chapters = chapters
        self.mentions = mentions
        self.pairs = pairs
        if isinstance(trees, bool) or trees not in (0, 1, 2):
            raise ValueError(f"trees must be 0 (off), 1 (top-level MeSH trees) or 2 (and second level); got {trees!r}"[:120])
        self.trees = trees
        # As for the lexicon: a model with tree features records the tree file it was learnt on.
        self.mesh_trees = None
        if trees:
            from medtext.features.mesh_trees import mesh_trees_fingerprint

            self.mesh_trees = mesh_trees or mesh_trees_fingerprint()
            if self.mesh_trees != mesh_trees_fingerprint():
                raise ModelError(Errors.E116.format(resource="MeSH tree file", expected=self.mesh_trees, found=mesh_trees_fingerprint()))
        # The fingerprint of the lexicon the features were learnt on; a model saved
        # with one refuses to load (one-line ModelError) where the shipped lexicon differs.
        self.lexicon = lexicon or shipped_lexicon_fingerprint()
        if self.lexicon != shipped_lexicon_fingerprint():
            raise ModelError(Errors.E116.format(resource="lexicon", expected=self.lexicon, found=shipped_lexicon_fingerprint()))

    def get_config(self) -> dict:
        cfg = super().get_config()
        if not self.trees:  # the configuration of models without tree features stays as it was
            del cfg["trees"], cfg["mesh_trees"]
        return cfg

    def __call__(self, text: str) -> list[str]:
        orths = TERM_TOKEN.findall(unicodedata.normalize("NFKC", text))
        lowers = [t.lower() for t in orths]
        out: list[str] = []
        found = shipped_lexicon().match(lowers, orths)
        for start, end, label, codes, _source in found:
            if self.mentions:
                out.append(f"ent={label}:{' '.join(lowers[start:end])}")
            for code in codes:
                if self.codes:
                    out.append(f"code={code['system']}:{code['code']}")
                if self.chapters and code["system"] == "ICD10CM":
                    value = code["code"]
                    out += [f"icd1={value[:1]}", f"icd2={value[:2]}", f"icd3={value[:3]}"]
            if self.trees and label == "DISEASE":
                out += tree_tokens(" ".join(lowers[start:end]), self.trees)
        if self.pairs:
            out += pair_tokens(lowers, [(m[0], m[1]) for m in found if m[2] == "CHEMICAL"],
                               [(m[0], m[1]) for m in found if m[2] == "DISEASE"])
        return out or [NONE_TOKEN]


def tree_tokens(key: str, depth: int) -> list[str]:
    """``tree1=`` (and with ``depth=2`` ``tree2=``) tokens of the MeSH trees of a lexicon key.

    Example:
        >>> tree_tokens("stroke", 2)
        ['tree1=C10', 'tree1=C14', 'tree2=C10.228', 'tree2=C14.907']
    """
    from medtext.features.mesh_trees import tree_prefixes

    prefixes = tree_prefixes(key)
    out = [f"tree1={t}" for t in dict.fromkeys(p[:3] for p in prefixes)]
    if depth >= 2:
        out += [f"tree2={p}" for p in prefixes if len(p) > 3]
    return out


def pair_tokens(lowers: list[str], chemicals: list[tuple[int, int]], diseases: list[tuple[int, int]]) -> list[str]:
    """Tokens of every (chemical, disease) pair of token spans: order, distance, context.

    Example:
        >>> pair_tokens(["aspirin", "induced", "asthma"], [(0, 1)], [(2, 3)])
        ['n_chem=1', 'n_dis=1', 'pair', 'order=CD', 'dist=CD0', 'btw=CDinduced']
    """
    out = [f"n_chem={min(len(chemicals), 3)}", f"n_dis={min(len(diseases), 3)}"]
    if not (chemicals and diseases):
        return out
    out.append("pair")
    for chemical in chemicals:
        for disease in diseases:
            first, second = sorted((chemical, disease))
            order = "CD" if first == chemical else "DC"
            between = lowers[first[1] : second[0]]
            out.append(f"order={order}")
            out.append(f"dist={order}{min(len(between) // 2, 8)}")
            out += [f"btw={order}{w}" for w in between]
            out += [f"btw2={order}{a}_{b}" for a, b in zip(between, between[1:])]
            out += [f"pre={order}{w}" for w in lowers[max(0, first[0] - 2) : first[0]]]
            out += [f"post={order}{w}" for w in lowers[second[1] : second[1] + 2]]
    return out
