"""Turn an annotated Doc into the annotation record of DESIGN.md (plain dicts).

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> record = doc_to_record(nlp("No fever. Cough."), "n1")
    >>> record["sentences"]
    [[0, 9], [10, 16]]
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.tokens import Doc, Span

from medtext.pipeline.extensions import ASSERTION_CATEGORIES, doc_text, register_extensions, span_data_key

RECORD_KEYS = ("id", "text", "sentences", "sections", "entities", "abbreviations", "phi")


def doc_to_record(doc: Doc, doc_id: Any, include_text: bool = True) -> dict[str, Any]:
    """The annotation record of one document; offsets index ``doc.text`` exactly.

    ``doc`` must be a spaCy ``Doc`` (a TypeError says so for a string: run the pipeline first).
    """
    if not isinstance(doc, Doc):
        hint = ": annotate it first, doc_to_record(nlp(text), doc_id)" if isinstance(doc, str) else ""
        raise TypeError(f"doc_to_record takes a spaCy Doc; got {type(doc).__name__}{hint}")
    if not (Doc.has_extension("phi") and Span.has_extension("triggers")):
        register_extensions()  # a Doc of another pipeline (spacy.blank, scispaCy): medtext's attributes at their defaults
    record: dict[str, Any] = {"id": doc_id}
    if include_text:
        record["text"] = doc_text(doc)
    record["sentences"] = sentence_offsets(doc)
    record["sections"] = [
        {"category": s["category"], "title": s["title"], "start": s["start"], "end": s["end"]}
        for s in (doc._.sections or [])
    ]
    defaults = _stored_span_defaults()
    if defaults is None:
        record["entities"] = [entity_record(ent) for ent in doc.ents]
    else:
        record["entities"] = [_stored_entity_record(ent, doc.user_data, defaults) for ent in doc.ents]
    record["abbreviations"] = [dict(a) for a in (doc._.abbreviations or [])]
    record["phi"] = [dict(p) for p in (doc._.phi or [])]
    return record


def sentence_offsets(doc: Doc) -> list[list[int]]:
    """[[start, end]] of each sentence, trailing whitespace excluded; [] when unsegmented."""
    if not doc.has_annotation("SENT_START"):
        return []
    if "sents" in doc.user_hooks:
        return _hooked_sentence_offsets(doc)
    # doc.sents without Span objects, and Tokens only at sentence bounds: a sentence starts at
    # token 0 and at every token whose sent_start is 1; it runs from its first to its last
    # non-space token.
    columns = doc.to_array([SENT_START, IS_SPACE])
    words = numpy.flatnonzero(columns[:, 1] == 0)
    if not len(words):
        return []
    marks = columns[:, 0] == 1
    marks[0] = False  # token 0 starts the first sentence whatever its value
    sentence = numpy.cumsum(marks)[words]  # the sentence of each non-space token
    change = sentence[1:] != sentence[:-1]
    firsts = words[numpy.concatenate(([True], change))].tolist()
    lasts = words[numpy.concatenate((change, [True]))].tolist()
    out = []
    for first, last in zip(firsts, lasts):
        end = doc[last]
        out.append([doc[first].idx, end.idx + len(end)])
    return out


def _hooked_sentence_offsets(doc: Doc) -> list[list[int]]:
    out = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if tokens:
            out.append([tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)])
    return out


def entity_record(ent: Span) -> dict[str, Any]:
    """One entity of the record: offsets, label, codes, source, assertions, triggers."""
    underscore = ent._
    item: dict[str, Any] = {
        "start": ent.start_char,
        "end": ent.end_char,
        "text": ent.text,
        "label": ent.label_,
        "codes": [dict(c) for c in (underscore.codes or [])],
        "source": underscore.source or "other",
    }
    for category in ASSERTION_CATEGORIES:
        item[category] = bool(getattr(underscore, category))
    item["triggers"] = dict(underscore.triggers or {})
    return item


_SPAN_FIELDS = ("codes", "source", *ASSERTION_CATEGORIES, "triggers")


def _stored_span_defaults() -> dict[str, Any] | None:
    """The defaults of the span attributes a record reads, when each is a plain stored value (no getter,
    no method, an immutable default: then ``span._.name`` is ``doc.user_data.get(key, default)``); else None.

    Example:
        >>> from medtext.pipeline.extensions import register_extensions
        >>> register_extensions()
        >>> _stored_span_defaults()["negated"]
        False
    """
    defaults = {}
    for name in _SPAN_FIELDS:
        extension = Span.get_extension(name)  # (default, method, getter, setter)
        if extension is None or extension[1] is not None or extension[2] is not None:
            return None
        if isinstance(extension[0], (dict, list, set)):  # spaCy stores a copy of it on first read
            return None
        defaults[name] = extension[0]
    return defaults


def _stored_entity_record(ent: Span, user_data: dict[Any, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """:func:`entity_record`, reading the attributes from ``doc.user_data`` (where ``ent._`` finds them) directly."""
    start, end = ent.start_char, ent.end_char
    get = user_data.get
    values = {name: get(span_data_key(name, start, end), default) for name, default in defaults.items()}
    item: dict[str, Any] = {
        "start": start,
        "end": end,
        "text": ent.text,
        "label": ent.label_,
        "codes": [dict(c) for c in (values["codes"] or [])],
        "source": values["source"] or "other",
    }
    for category in ASSERTION_CATEGORIES:
        item[category] = bool(values[category])
    item["triggers"] = dict(values["triggers"] or {})
    return item
