"""Rules of the concepts component about what is (not) an entity, kept apart from its matching logic.

Gene-symbol short forms (``<name> gene (SF)``), short forms written right after an
entity, personal titles and ``cell death`` (never entities), everyday words the NER
took for chemicals, section headers of clinical notes, the short forms notes use
without defining them (``HTN``, ``DVT``: ``medtext/resources/clinical_short_forms.tsv``),
and merging of code lists.

Example:
    >>> sorted(gene_short_forms("the von Hippel-Lindau tumor suppressor gene (VHL)"))
    ['vhl']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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


# Section headers that name no mention of what they head: "ALLERGIES:", "PSYCHIATRIC:" (a review of
# systems). In MTSamples, 820 of the 891 header-like "<lexicon DISEASE term>:" are these words.
HEADER_WORDS = frozenset({"allergies", "allergy", "drug allergies", "psychiatric", "substance use", "substance abuse", "cc"})
_HEADER_GAP = 4  # upper-case words of a header around the entity: "PAST PSYCHIATRIC HISTORY:"


def in_header(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is (part of) a section header: the words up to a colon, starting a line or
    a sentence (``ALLERGIES:``, ``PAST PSYCHIATRIC HISTORY:``, ``Psychiatric:``), not a numbered item
    (``1. HTN: stable``). Words added around the span are upper case, and then so is the span.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("Sulfa. PAST PSYCHIATRIC HISTORY: none. 1. HTN: stable")
        >>> in_header(doc, 4, 5), in_header(doc, 11, 12), in_header(doc, 0, 1)
        (True, False, False)
    """
    j = end
    while j < len(doc) and j - end < _HEADER_GAP and doc[j].is_upper and doc[j].is_alpha:
        j += 1
    if j >= len(doc) or doc[j].text != ":":
        return False
    i = start
    while i > 0 and start - i < _HEADER_GAP and doc[i - 1].is_upper and doc[i - 1].is_alpha:
        i -= 1
    if (i != start or j != end) and not all(t.is_upper or not t.is_alpha for t in doc[start:end]):
        return False
    if i == 0:
        return True
    before = doc[i - 1]
    if "\n" in before.text or (before.is_space and "\n" in before.text):
        return True
    if before.text not in (".", ",", ";", ":") and not ("\n" in before.whitespace_ or before.is_space):
        return False
    # "1. HTN:" or "1) HTN:": a numbered problem, not a header
    return not (i >= 2 and (doc[i - 2].like_num or doc[i - 2].text in (")", "#")) and before.text == ".")


def header_not_entity(doc: Doc, ent: Span, source: str, codes: list[Code]) -> bool:
    """An entity that is a section header of a note: a header word (:data:`HEADER_WORDS`), or any word the NER
    alone found (no vocabulary knows it) in a header: ``ANUS:``, ``FHX:``, ``EXAM:``, ``IMPRESSIONS:``. Hand-judged
    on 40 MTSamples notes: all 34 entities before a header's colon were such headers.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("None.,ALLERGIES: , Sulfa.,ANUS:  Patent.")
        >>> [header_not_entity(doc, Span(doc, i, i + 1, label="DISEASE"), "model", []) for i in (2, 7)]
        [True, True]
    """
    if not in_header(doc, ent.start, ent.end):
        return False
    return ent.text.lower() in HEADER_WORDS or (source == "model" and not codes)


def nitric_oxide_no(ent: Span, disease_starts: set[int]) -> bool:
    """A CHEMICAL ``NO`` that is the word *no* in upper case: before an upper-case word (``NO KNOWN DRUG
    ALLERGIES``) or before a disease (``NO lymphadenitis``); nitric oxide is followed by ``synthase``,
    ``production``, ``levels`` ...

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("NO KNOWN ALLERGIES. NO synthase")
        >>> nitric_oxide_no(Span(doc, 0, 1, label="CHEMICAL"), set()), nitric_oxide_no(Span(doc, 4, 5, label="CHEMICAL"), set())
        (True, False)
    """
    doc = ent.doc
    if ent.label_ != "CHEMICAL" or ent.text != "NO" or ent.end >= len(doc):
        return False
    after = doc[ent.end]
    return (after.is_upper and after.is_alpha and len(after) > 1) or ent.end in disease_starts


@dataclass(frozen=True)
class ShortForm:
    """A short form of :func:`clinical_short_forms`: its long form, label and where it does not count."""

    text: str
    long: str
    label: str
    not_before: frozenset[str]
    not_after: frozenset[str]
    beside: frozenset[str]


def _words(cell: str) -> frozenset[str]:
    return frozenset(w.strip() for w in cell.split(",") if w.strip())


@lru_cache(maxsize=1)
def clinical_short_forms() -> dict[str, list[tuple[tuple[str, ...], ShortForm]]]:
    """First token -> (tokens, :class:`ShortForm`) of the shipped ``clinical_short_forms.tsv``, longest first.

    Example:
        >>> [sf.long for _, sf in clinical_short_forms()["HTN"]]
        ['hypertension']
    """
    text = files("medtext.resources").joinpath("clinical_short_forms.tsv").read_text(encoding="utf-8")
    out: dict[str, list[tuple[tuple[str, ...], ShortForm]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        tokens = tuple(cells[0].split())
        form = ShortForm(cells[0], cells[1], cells[2], _words(cells[3]), _words(cells[4]), _words(cells[5]))
        out.setdefault(tokens[0], []).append((tokens, form))
    for entries in out.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return out


_LINKS = frozenset({",", "/", "and", "or", "&", ";"})


def _neighbour(doc: Doc, i: int, step: int) -> str:
    """The text of the nearest word from ``i`` in direction ``step``, past commas, slashes and ``and``/``or``."""
    while 0 <= i < len(doc) and (doc[i].lower_ in _LINKS or doc[i].is_space):
        i += step
    return doc[i].text if 0 <= i < len(doc) else ""


def _word_ahead(doc: Doc, i: int, words: frozenset[str], window: int = 4) -> bool:
    """Whether one of ``words`` is among the next ``window`` tokens from ``i``, before a period, colon or semicolon
    (``CVA or flank tenderness``)."""
    for token in doc[i : i + window]:
        if token.text in (".", ";", ":"):
            return False
        if token.lower_ in words:
            return True
    return False


def clinical_short_form_at(doc: Doc, start: int) -> tuple[int, ShortForm] | None:
    """(end, short form) of the clinical short form that starts at token ``start`` and counts there: no
    ``not_before`` word in the next four tokens of its sentence (``CVA or flank tenderness``), not right after a
    ``not_after`` word, beside a ``beside`` short form if any.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("No CVA or flank tenderness. History of CVA and DVT, PE. PE: normal")
        >>> [(i, clinical_short_form_at(doc, i)[0]) for i in range(len(doc)) if clinical_short_form_at(doc, i)]
        [(8, 9), (10, 11), (12, 13)]
    """
    entries = clinical_short_forms().get(doc[start].text)
    if not entries:
        return None
    for tokens, form in entries:
        end = start + len(tokens)
        if end > len(doc) or any(doc[start + k].text != tok for k, tok in enumerate(tokens)):
            continue
        if form.not_before and _word_ahead(doc, end, form.not_before):
            return None
        if start > 0 and doc[start - 1].lower_ in form.not_after:
            return None
        if form.beside and _neighbour(doc, start - 1, -1) not in form.beside and _neighbour(doc, end, 1) not in form.beside:
            return None
        return end, form
    return None


@dataclass(frozen=True)
class NonEntity:
    """A line of ``clinical_non_entities.tsv``: whose entities it drops, and the words one of which must follow."""

    lexicon: bool  # also the lexicon's own matches, coded or not ("wound")
    before: frozenset[str]  # empty: any context


@lru_cache(maxsize=1)
def clinical_non_entities() -> tuple[dict[str, NonEntity], dict[str, NonEntity]]:
    """(texts matched as written, texts matched in any case) of the shipped ``clinical_non_entities.tsv``.

    Example:
        >>> as_written, any_case = clinical_non_entities()
        >>> "ER" in as_written, "acute distress" in any_case, any_case["wound"].lexicon
        (True, True, True)
    """
    text = files("medtext.resources").joinpath("clinical_non_entities.tsv").read_text(encoding="utf-8")
    as_written: dict[str, NonEntity] = {}
    any_case: dict[str, NonEntity] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + ["", ""])[:3]
        phrase = cells[0].strip()
        rule = NonEntity(cells[1].strip() == "lexicon", _words(cells[2]))
        (any_case if phrase == phrase.lower() else as_written)[phrase] = rule
    return as_written, any_case


def _non_entity_rule(doc: Doc, start: int, end: int) -> NonEntity | None:
    as_written, any_case = clinical_non_entities()
    text = doc[start:end].text
    rule = as_written.get(text) or any_case.get(text.lower())
    if rule is None or (rule.before and (end >= len(doc) or doc[end].lower_ not in rule.before)):
        return None
    return rule


def clinical_non_entity(ent: Span, source: str, codes: list[Code]) -> bool:
    """An entity of the NER alone, without codes, that is a phrase of clinical notes naming no disease or
    chemical (``no acute distress``, ``extraocular movements``, ``Vicryl sutures``, ``ER``).

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("in no acute distress")
        >>> clinical_non_entity(Span(doc, 2, 4, label="DISEASE"), "model", [])
        True
    """
    if source != "model" or codes:
        return False
    return _non_entity_rule(ent.doc, ent.start, ent.end) is not None


def lexicon_non_entity(doc: Doc, start: int, end: int) -> bool:
    """A match of the lexicon that names nothing in notes: ``wound`` (surgical: 21 of 24 uses read in MTSamples
    notes), ``bipolar`` before ``cautery`` or ``forceps``.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("The wound was closed with bipolar cautery; bipolar disorder")
        >>> lexicon_non_entity(doc, 1, 2), lexicon_non_entity(doc, 5, 6), lexicon_non_entity(doc, 8, 9)
        (True, True, False)
    """
    rule = _non_entity_rule(doc, start, end)
    return rule is not None and rule.lexicon


@lru_cache(maxsize=1)
def clinical_first_words() -> tuple[frozenset[str], frozenset[str]]:
    """The first tokens where the rules of notes can apply: of the short forms as written, and, lower-cased, of
    the header words and the lexicon's non-entities (the concepts component tests each token's ``ORTH`` /
    ``LOWER`` id against them).

    Example:
        >>> as_written, lower = clinical_first_words()
        >>> "HTN" in as_written, "wound" in lower, "allergies" in lower
        (True, True, True)
    """
    words = set(HEADER_WORDS)
    for table in clinical_non_entities():
        words.update(text.lower() for text, rule in table.items() if rule.lexicon)
    return frozenset(clinical_short_forms()), frozenset(text.split()[0] for text in words)


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
