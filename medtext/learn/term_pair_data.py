"""The drug / effect annotations that ``medtext train --algorithm term-pairs`` learns from.

Each training record may carry a ``pairs`` field (``--pairs-field``): a list of objects
``{"drug": TERM, "effect": TERM}`` (either key may be left out, e.g. a drug with a dose
but no effect), where a TERM is the string as written in the text or ``[start, end]``
character offsets into the record's text. A record without the field has no
annotations. An optional ``group`` field (``--group-field``; e.g. the PubMed id) keeps a
document's records in one fold of the model's cross-fitting; records without it are
groups of their own. Annotations are training data only: prediction reads the text.

Example:
    >>> pair_terms([{"drug": "aspirin", "effect": [13, 17]}], "Aspirin gave rash.")
    (['aspirin'], ['rash'])
"""

from __future__ import annotations

from typing import Any, Sequence

from medtext.errors import Errors, InputError

KEYS = ("drug", "effect")


def _term(value: Any, text: str) -> str:
    """A term string, or the text at ``[start, end]``; ValueError (text-free) otherwise."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("a blank term")
        return value
    if (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        start, end = value
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets [{start}, {end}] outside the text ({len(text)} characters)")
        if not text[start:end].strip():
            raise ValueError(f"offsets [{start}, {end}] cover only white space")
        return text[start:end]
    raise ValueError(f"a term that is a {type(value).__name__}, not a string or [start, end]")


def pair_terms(value: Any, text: str) -> tuple[list[str], list[str]]:
    """``(drug terms, effect terms)`` of one record's pairs field (``None``: no annotations);
    ValueError with a text-free reason when it is malformed."""
    if value is None:
        return [], []
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"a {type(value).__name__}, not a list")
    drugs: list[str] = []
    effects: list[str] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError(f"an item that is a {type(item).__name__}, not an object")
        other = sorted(set(item) - set(KEYS))
        if other:
            raise ValueError(f"an item with key '{other[0]}' (keys: drug, effect)")
        if all(item.get(k) is None for k in KEYS):
            raise ValueError("an item without drug and effect")
        for key, out in (("drug", drugs), ("effect", effects)):
            if item.get(key) is not None:
                term = _term(item[key], text)
                if term not in out:
                    out.append(term)
    return drugs, effects


def _first_ids(recs: list[dict[str, Any]], k: int = 3) -> str:
    return ", ".join(str(r["id"] if r.get("id") is not None else f"line {r.get('line')}") for r in recs[:k])


def term_pair_fit_params(records: list[dict[str, Any]], raw: list[dict[str, Any]], *, source: str,
                         pairs_field: str = "pairs", group_field: str = "group") -> dict[str, list]:
    """``{"drugs", "effects", "groups"}`` for :meth:`TermPairClassifier.fit`, one entry per record;
    ``raw[i]`` holds record ``i``'s pairs and group fields. One-line InputError (E078, E079) for
    malformed or absent annotations."""
    drugs, effects, groups, bad = [], [], [], []
    for i, (r, fields) in enumerate(zip(records, raw)):
        try:
            d, e = pair_terms(fields.get(pairs_field), r.get("text") or "")
        except ValueError as exc:
            bad.append((r, str(exc)))
            continue
        drugs.append(d)
        effects.append(e)
        g = fields.get(group_field)
        groups.append(f"\0record {i}" if g is None else str(g))
    if bad:
        raise InputError(Errors.E078.format(path=source, n=len(bad), field=pairs_field, why=bad[0][1],
                                            ids=_first_ids([r for r, _ in bad])))
    if not any(d and e for d, e in zip(drugs, effects)):
        raise InputError(Errors.E079.format(path=source, field=pairs_field))
    return {"drugs": drugs, "effects": effects, "groups": groups}


def positive_label(labels: Sequence[str], y: Sequence[str], drugs: list[list[str]], effects: list[list[str]],
                   positive: str | None, source: str) -> str:
    """The label whose records the pair head learns as positive: ``positive`` when given, else the only
    label with records that have both a drug and an effect term. E120 when there are not exactly two
    labels, ``positive`` is not one, or it cannot be told.

    >>> positive_label(["ade", "no"], ["ade", "no"], [["x"], ["x"]], [["y"], []], None, "f")
    'ade'
    """
    labels = [str(l) for l in labels]
    if len(labels) != 2:
        raise InputError(Errors.E120.format(path=source, detail=f"needs exactly two labels (a binary task), found "
                                            f"{len(labels)} ({', '.join(map(repr, labels[:5]))}); use --algorithm "
                                            f"logreg for other label sets"))
    if positive is not None:
        if str(positive) not in labels:
            raise InputError(Errors.E120.format(path=source, detail=f"was given positive label {positive!r}, which is "
                                                f"not one of the labels ({labels[0]!r}, {labels[1]!r})"))
        return str(positive)
    with_pairs = sorted({str(l) for l, d, e in zip(y, drugs, effects) if d and e})
    if len(with_pairs) != 1:
        raise InputError(Errors.E120.format(path=source, detail=f"cannot tell the positive label: records of both "
                                            f"labels have drug-effect pairs; name it with --positive "
                                            f"{labels[0]} (or --positive {labels[1]})"))
    return with_pairs[0]
