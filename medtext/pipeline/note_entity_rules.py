"""Entity rules for clinical notes (the concepts component's ``clinical_notes`` setting).

Section headers that name nothing (``ALLERGIES:``, ``PSYCHIATRIC:``), upper-case ``NO``
that is the word *no*, the short forms notes use without defining them (``HTN``,
``DVT``: ``medtext/resources/clinical_short_forms.tsv``) and phrases of notes that the
NER takes for diseases (``no acute distress``: ``clinical_non_entities.tsv``).

Example:
    >>> [sf.long for _, sf in clinical_short_forms()["HTN"]]
    ['hypertension']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span

from medtext.pipeline.lexicon import Code

# Section headers that name no mention of what they head: "ALLERGIES:", "PSYCHIATRIC:" (a review of
# systems). In MTSamples, 820 of the 891 header-like "<lexicon DISEASE term>:" are these words.
HEADER_WORDS = frozenset({"allergies", "allergy", "drug allergies", "psychiatric", "substance use", "substance abuse", "cc"})
_HEADER_GAP = 4  # upper-case words of a header around the entity: "PAST PSYCHIATRIC HISTORY:"


def in_header(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is (part of) a section header: the words up to a colon (or the comma that
    transcribed notes put before a header's first numbered item: ``ALLERGIES,1.  PENICILLIN``), starting a line or
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
    if j >= len(doc) or not (doc[j].text == ":" or _comma_before_list(doc, j)):
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


def _comma_before_list(doc: Doc, j: int) -> bool:
    """``doc[j]`` is the comma of a transcribed header before its first numbered item (``ALLERGIES,1.  PENICILLIN``)."""
    return (
        doc[j].text == ","
        and j + 2 < len(doc)
        and doc[j + 1].text.isdigit()
        and len(doc[j + 1]) <= 2
        and doc[j + 2].text in (".", ")")
        and not doc[j].whitespace_
    )


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
