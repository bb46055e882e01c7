"""The labelled sentences that ``medtext train --task multilabel --algorithm line-max`` learns from.

Each training record carries a ``sentences`` field (``--sentences-field``): a list of objects,
one per sentence of the record's text, each with its own ``labels`` (a list, maybe empty) and
either its ``text`` or its ``start`` / ``end`` character offsets into the record's text:

    {"id": "d1", "text": "Tumour cells grew fast.\\nVEGF drove new vessels.\\n",
     "labels": ["Inducing angiogenesis", "Sustaining proliferative signaling"],
     "sentences": [{"text": "Tumour cells grew fast.", "labels": ["Sustaining proliferative signaling"]},
                   {"start": 24, "end": 47, "labels": ["Inducing angiogenesis"]}]}

A sentence's labels must be labels of its record (a document has the labels of its sentences,
as in the Hallmarks of Cancer corpus). The sentences are training data only: prediction
reads the record's text line by line, so texts written one sentence per line (as HoC's are)
train and predict on the same units.

Example:
    >>> sentence_labels([{"text": "A.", "labels": ["x"]}, {"start": 3, "end": 5, "labels": []}], "A.\\nB.", ["x"])
    (['A.', 'B.'], [['x'], []])
"""

from __future__ import annotations

from typing import Any, Sequence

from medtext.errors import Errors, InputError

KEYS = ("text", "start", "end", "labels")


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _sentence(item: Any, text: str, doc_labels: set[str]) -> tuple[str, list[str]]:
    """``(sentence text, labels)`` of one item; ValueError with a text-free reason otherwise."""
    if not isinstance(item, dict):
        raise ValueError(f"an item that is a {type(item).__name__}, not an object")
    other = sorted(set(item) - set(KEYS))
    if other:
        raise ValueError(f"an item with key '{other[0][:40]}' (keys: text or start/end, and labels)")
    labels = item.get("labels")
    if not isinstance(labels, list) or not all(isinstance(l, str) for l in labels):
        found = "no labels" if labels is None else f"labels that are a {type(labels).__name__}"
        raise ValueError(f"a sentence with {found}, not a list of label strings")
    labels = [l.strip() for l in labels if l.strip()]
    if unknown := [l for l in labels if l not in doc_labels]:
        raise ValueError(f"a sentence label '{unknown[0][:60]}' that is not one of the record's labels")
    has_span = "start" in item or "end" in item
    if has_span and "text" in item:
        raise ValueError("an item with both text and start/end (give one of them)")
    if has_span:
        start, end = item.get("start"), item.get("end")
        if not (_int(start) and _int(end)):
            raise ValueError("start/end that are not both integers")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets [{start}, {end}] outside the text ({len(text)} characters)")
        sentence = text[start:end]
        if not sentence.strip():
            raise ValueError(f"offsets [{start}, {end}] that cover only white space")
        return sentence, labels
    sentence = item.get("text")
    if not isinstance(sentence, str):
        found = "no text or start/end" if sentence is None else f"a text that is a {type(sentence).__name__}"
        raise ValueError(f"an item with {found}")
    if not sentence.strip():
        raise ValueError("a blank sentence text")
    return sentence, labels


def sentence_labels(value: Any, text: str, doc_labels: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """``(sentence texts, their label lists)`` of one record's sentences field; ValueError with a
    text-free reason when it is malformed (``None``: the field is missing)."""
    if value is None:
        raise ValueError("no such field")
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"a {type(value).__name__}, not a list")
    known = set(doc_labels)
    pairs = [_sentence(item, text, known) for item in value]
    return [s for s, _ in pairs], [l for _, l in pairs]


def _first_ids(recs: list[dict[str, Any]], k: int = 3) -> str:
    return ", ".join(str(r["id"] if r.get("id") is not None else f"line {r.get('line')}") for r in recs[:k])


def line_max_fit_params(records: list[dict[str, Any]], raw: list[dict[str, Any]], doc_labels: list[list[str]],
                        labels: Sequence[str], *, source: str, field: str = "sentences") -> dict[str, list]:
    """``{"sentences", "sentence_Y"}`` for :meth:`medtext.learn.models.LineMaxMultiLabel.fit`, one
    entry per record (its sentence texts; their 0/1 rows over ``labels``); ``raw[i]`` holds record
    ``i``'s field. One-line InputError: E126 when records lack the field, E125 when it is
    malformed, E127 when no record has a sentence."""
    import numpy as np

    pos = {l: j for j, l in enumerate(labels)}
    sentences, rows, missing, bad = [], [], [], []
    for r, fields, own in zip(records, raw, doc_labels):
        value = fields.get(field)
        if value is None:
            missing.append(r)
            continue
        try:
            texts, labs = sentence_labels(value, r.get("text") or "", own)
        except ValueError as exc:
            bad.append((r, str(exc)))
            continue
        Y = np.zeros((len(texts), len(labels)), dtype=int)
        for i, ls in enumerate(labs):
            Y[i, [pos[l] for l in ls]] = 1
        sentences.append(texts)
        rows.append(Y)
    if missing:
        raise InputError(Errors.E126.format(path=source, n=len(missing), field=field, ids=_first_ids(missing)))
    if bad:
        raise InputError(Errors.E125.format(path=source, n=len(bad), field=field, why=bad[0][1],
                                            ids=_first_ids([r for r, _ in bad])))
    if not any(sentences):
        raise InputError(Errors.E127.format(path=source, field=field))
    return {"sentences": sentences, "sentence_Y": rows}
