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

from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from medtext.pipeline.extensions import ASSERTION_CATEGORIES, doc_text

RECORD_KEYS = ("id", "text", "sentences", "sections", "entities", "abbreviations", "phi")


def doc_to_record(doc: Doc, doc_id: Any, include_text: bool = True) -> dict[str, Any]:
    """The annotation record of one document; offsets index ``doc.text`` exactly."""
    record: dict[str, Any] = {"id": doc_id}
    if include_text:
        record["text"] = doc_text(doc)
    record["sentences"] = sentence_offsets(doc)
    record["sections"] = [
        {"category": s["category"], "title": s["title"], "start": s["start"], "end": s["end"]}
        for s in (doc._.sections or [])
    ]
    record["entities"] = [entity_record(ent) for ent in doc.ents]
    record["abbreviations"] = [dict(a) for a in (doc._.abbreviations or [])]
    record["phi"] = [dict(p) for p in (doc._.phi or [])]
    return record


def sentence_offsets(doc: Doc) -> list[list[int]]:
    """[[start, end]] of each sentence, trailing whitespace excluded; [] when unsegmented."""
    if not doc.has_annotation("SENT_START"):
        return []
    if "sents" in doc.user_hooks:
        return _hooked_sentence_offsets(doc)
    # doc.sents without Span and Token objects: a sentence starts at token 0 and
    # at every token whose sent_start is 1.
    out = []
    first = last = -1
    for i, (start, idx, length, space) in enumerate(doc.to_array([SENT_START, IDX, LENGTH, IS_SPACE]).tolist()):
        if start == 1 and i:
            if first >= 0:
                out.append([first, last])
            first = -1
        if not space:
            if first < 0:
                first = idx
            last = idx + length
    if first >= 0:
        out.append([first, last])
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
