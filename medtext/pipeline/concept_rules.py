"""Rules of the concepts component about what is (not) an entity, kept apart from its matching logic.

Gene-symbol short forms (``<name> gene (SF)``), short forms written right after an
entity, personal titles and ``cell death`` (never entities), everyday words the NER
took for chemicals, and merging of code lists. The rules for clinical notes are in
:mod:`medtext.pipeline.note_entity_rules`.

Example:
    >>> sorted(gene_short_forms("the von Hippel-Lindau tumor suppressor gene (VHL)"))
    ['vhl']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span

from medtext.pipeline.lexicon import Code
from medtext.pipeline.phi_lexicons import common_counts

_GENE_HEADS = frozenset({"gene", "genes", "protein", "proteins", "locus", "product", "receptor", "kinase"})
# A bracketed short form, then (checked in a few characters before it) a gene word: the brackets are
# rare enough that this is much faster than one case-insensitive pattern tried at every position.
_BRACKETED = re.compile(r"[(\[][ \t]*([A-Za-z0-9][^()\[\]\s]{1,9})[ \t]*[)\]]")
_GENE_WORD_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_GENE_HEADS)) + r")\s*$", re.IGNORECASE)


def gene_short_forms(text: str) -> set[str]:
    """Lower-cased short forms that abbreviate a gene or protein name: ``<name> gene (SF)`` where a word
    of the name starts with the short form's first letter.

    ``the disease gene (PDS)`` or ``the gene (APC)`` do not count: there the short form is the disease's,
    and NCBI-disease annotates it in ``PDS gene``.

    Example:
        >>> sorted(gene_short_forms("The von Hippel-Lindau tumor suppressor gene (VHL); the disease gene (PDS)."))
        ['vhl']
    """
    out = set()
    for m in _BRACKETED.finditer(text):
        short = m.group(1)
        if not any(c.isupper() for c in short) or not _GENE_WORD_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        words = re.findall(r"[A-Za-z0-9]+", text[max(0, m.start() - 90) : m.start()])[-6:-1]  # before the gene word
        if any(w[0].lower() == short[0].lower() for w in words):
            out.add(short.lower())
    return out


def long_form_end(text: str, short_start: int) -> int:
    """Where the long form of a definition ends: before the blanks and brackets that open the short form.

    Example:
        >>> long_form_end("heteroduplex (HD)", 14), long_form_end("alkaptonuria gene ( AKU", 20)
        (12, 17)
    """
    i = short_start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and text[i - 1] in "([":
        i -= 1
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


def defined_short_form(doc: Doc, ent: Span) -> str | None:
    """The short form in ``<entity> ( SF )`` when it looks like an abbreviation of the entity.

    Example: ``streptozotocin (STZ)`` -> ``"STZ"``; ``pain (n = 4)`` -> None.
    """
    i = ent.end
    if i + 2 >= len(doc) or doc[i].text != "(" or doc[i + 2].text != ")":
        return None
    short = doc[i + 1].text
    if not 2 <= len(short) <= 10 or not any(c.isupper() for c in short) or short == ent.text:
        return None
    if short[0].lower() != ent.text[0].lower() or not short[0].isalnum():
        return None
    return short


# Personal titles the NER sometimes takes for a DISEASE in notes ("Dr. Kniest"); with the period only,
# since "DR" may be diabetic retinopathy and "MS" multiple sclerosis.
_TITLES = frozenset({"Dr.", "DR.", "dr.", "Mr.", "MR.", "Mrs.", "MRS.", "Ms.", "Prof."})


def no_entity(span: Span) -> bool:
    """A span that is never a disease or chemical: a personal title, a span starting with one or right after
    one (``Dr. X``, ``Dr. K``: not potassium), or ``death`` in ``cell death`` (a process; training sets: 5
    such uses unannotated, 1 annotated).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("programmed cell death, said Dr. Kniest")
        >>> [no_entity(Span(doc, i, j, label="DISEASE")) for i, j in ((2, 3), (1, 3), (5, 6), (5, 7), (6, 7))]
        [True, False, True, True, True]
    """
    token = span.doc[span.start]
    if token.text in _TITLES or (span.start > 0 and span.doc[span.start - 1].text in _TITLES):
        return True
    if span.end - span.start != 1:
        return False
    return (
        span.label_ == "DISEASE" and token.lower_ in ("death", "deaths") and span.start > 0
        and span.doc[span.start - 1].lower_ == "cell"
    )


def plain_word_chemical(ent: Span, source: str) -> bool:
    """A CHEMICAL of the model that is one everyday word of clinical notes no vocabulary knows as a chemical
    (the NER's ``tourniquet``, ``plane``, ``guide`` in operative notes).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Tourniquet was inflated")
        >>> plain_word_chemical(Span(doc, 0, 1, label="CHEMICAL"), "model")
        True
    """
    return (
        source == "model" and ent.label_ == "CHEMICAL" and ent.end - ent.start == 1
        and not ent.doc[ent.start].is_upper and ent.doc[ent.start].lower_ in common_counts()
    )


# Where a disease phrase's head ends: "carcinoma of the prostate", "infection with", "pain in".
_HEAD_CUT = re.compile(r"\b(?:of|in|with|from|on|due|after|to|at|for)\b")
_HEAD_WORD = re.compile(r"[a-z][a-z0-9'-]*")
# Endings of disease and symptom words: a head with one of them needs no vocabulary.
DISEASE_SUFFIXES = ("itis", "osis", "oses", "emia", "oma", "omas", "omata", "pathy", "plasia", "trophy", "algia", "uria",
                    "megaly", "ectasia", "penia", "rrhea", "rrhage", "plegia", "paresis", "iasis", "ia", "ism", "ing")


def disease_head(text: str) -> str | None:
    """The head word of a disease phrase: lower case, the last word before the first ``of`` / ``in`` / ``with``
    ..., British ``ae`` / ``oe`` and plural ``s`` folded, possessive dropped.

    Example:
        >>> disease_head("Adenocarcinoma of the prostate"), disease_head("sterile dressings"), disease_head("Hypokalaemia")
        ('adenocarcinoma', 'dressing', 'hypokalemia')
    """
    text = text.lower()
    cut = _HEAD_CUT.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    words = _HEAD_WORD.findall(text)
    if not words:
        return None
    word = words[-1].removesuffix("'s").replace("ae", "e").replace("oe", "e")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
        word = word[:-1]
    return word


@lru_cache(maxsize=1)
def disease_heads() -> frozenset[str]:
    """Head words (:func:`disease_head`) of the shipped lexicon's DISEASE terms, written by ``scripts/build_lexicons.py``.

    Example:
        >>> "carcinoma" in disease_heads(), "trachea" in disease_heads()
        (True, False)
    """
    text = files("medtext.resources").joinpath("lexicons", "disease_heads.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def unlike_disease(ent: Span, source: str, codes: list[Code], heads: frozenset[str]) -> bool:
    """A DISEASE of the model that no vocabulary codes and whose head is no disease word: no term of the
    lexicon ends in it and it has no disease ending (the NER's ``trachea``, ``sterile drapes``, ``penile
    prosthesis`` in operative notes). Acronyms and names with digits stay (``HPT``, ``AO2``).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Sterile drapes and mild hepatitis")
        >>> heads = frozenset({"hepatitis"})
        >>> [unlike_disease(Span(doc, i, j, label="DISEASE"), "model", [], heads) for i, j in ((0, 2), (3, 5))]
        [True, False]
    """
    if source != "model" or ent.label_ != "DISEASE" or codes:
        return False
    text = ent.text
    if not any(ch.islower() for ch in text) or any(ch.isdigit() for ch in text):
        return False
    head = disease_head(text)
    return head is not None and head not in heads and not head.endswith(DISEASE_SUFFIXES)


def merge_codes(first: list[Code], second: Iterable[Code]) -> list[Code]:
    """The codes of ``first``, then those of ``second`` it lacks (copied).

    Example:
        >>> merge_codes([{"system": "MESH", "code": "D1"}], [{"system": "MESH", "code": "D1"}, {"system": "ICD10CM", "code": "I10"}])
        [{'system': 'MESH', 'code': 'D1'}, {'system': 'ICD10CM', 'code': 'I10'}]
    """
    out = list(first)
    for code in second:
        if code not in out:
            out.append(dict(code))
    return out
