"""Concept tokens of a text from medtext's shipped lexicon, in pure Python (no spaCy).

The text is cut into words and punctuation, and the longest lexicon terms
(ICD-10-CM, the drug dictionary, the corpora's MeSH pairs; see
``medtext/resources/lexicons/README.md``) are looked up left to right, the way
the concept matcher does without the NER. Each term found gives:

* ``code=SYSTEM:CODE`` for each of its codes (``code=MESH:D003920``);
* for ICD-10-CM codes, the chapter-level prefixes ``icd1=E``, ``icd2=E1``, ``icd3=E11``,
  which let a linear model generalise across the diseases of one organ system;
* ``ent=LABEL:term`` (``ent=DISEASE:diabetes mellitus``).

A text without any term gives the single token ``concepts=none``. The same object
serves training (scikit-learn) and the numpy prediction path, so both see identical
features; the lexicon loads on first use (about 0.2 s).

Example:
    >>> ConceptAnalyzer(codes=False, mentions=False)("Crohn's disease of small intestine")
    ['icd1=K', 'icd2=K5', 'icd3=K50']
    >>> ConceptAnalyzer()("No findings.")
    ['concepts=none']
"""

from __future__ import annotations

import re
import unicodedata

from medtext.features.text import _Analyzer

# Words, the clitic 's (as the lexicon's keys have it: "crohn 's disease"), other characters.
_TOKEN = re.compile(r"'s(?!\w)|\w+|[^\w\s]")
NONE_TOKEN = "concepts=none"


class ConceptAnalyzer(_Analyzer):
    """Concept tokens (codes, ICD-10-CM chapter prefixes, mentions) of lexicon terms in a text."""

    kind = "concepts"
    _params = ("codes", "chapters", "mentions")

    def __init__(self, codes: bool = True, chapters: bool = True, mentions: bool = True):
        self.codes = codes
        self.chapters = chapters
        self.mentions = mentions

    def __call__(self, text: str) -> list[str]:
        from medtext.pipeline.lexicon import shipped_lexicon

        orths = _TOKEN.findall(unicodedata.normalize("NFKC", text))
        lowers = [t.lower() for t in orths]
        out: list[str] = []
        for start, end, label, codes, _source in shipped_lexicon().match(lowers, orths):
            if self.mentions:
                out.append(f"ent={label}:{' '.join(lowers[start:end])}")
            for code in codes:
                if self.codes:
                    out.append(f"code={code['system']}:{code['code']}")
                if self.chapters and code["system"] == "ICD10CM":
                    value = code["code"]
                    out += [f"icd1={value[:1]}", f"icd2={value[:2]}", f"icd3={value[:3]}"]
        return out or [NONE_TOKEN]
