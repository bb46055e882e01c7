"""Negation evaluation on NegEx-format gold rows (``medtext evaluate negation``).

Each gold row names a concept and the sentence (or, in a few rows, the whole
report) it occurs in. The concept is located by a case-insensitive search that
lets any run of whitespace stand for a space; when it occurs more than once,
the occurrence written in capitals is taken (the NegEx kit marks the annotated
mention that way), else the first. That span becomes the document's only
entity, the pipeline runs (sections, sentences, assertion) and only
``negated`` is judged. Rows whose concept is not found are skipped and counted
in ``n_skipped``, not in ``n``; when no row at all can be scored, the file is refused (E106).

Example:
    >>> locate_concept("staph   bacteremia", "was found to have STAPH BACTEREMIA.")
    (18, 34)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from medtext.errors import Errors, InputError, MedtextError
from medtext.evaluate.metrics import prf

NEEDED = ("sections", "sentences", "assertion")
LABEL = "CONCEPT"


@dataclass(frozen=True, slots=True)
class Judgement:
    """One scored row: where the concept was found, the gold and predicted labels."""

    line: int
    report: str
    start: int
    end: int
    gold: bool
    predicted: bool
    trigger: str | None


def locate_concept(concept: str, sentence: str) -> tuple[int, int] | None:
    """Character offsets of ``concept`` in ``sentence``, or None when it is not there.

    Example:
        >>> locate_concept("mi", "He was admitted to rule out MI.")
        (28, 30)
    """
    words = concept.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    lead = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    matches = list(re.finditer(lead + body + tail, sentence, re.IGNORECASE))
    if not matches:
        matches = list(re.finditer(body, sentence, re.IGNORECASE))
    if not matches:
        return None
    marked = [m for m in matches if m.group().isupper()]
    best = (marked or matches)[0]
    return best.start(), best.end()


def negation_pipeline(nlp: Language | None = None, rule_files: Iterable[str | Path] = ()) -> Language:
    """The rule pipeline evaluate needs: sections, sentences, assertion (nothing that sets entities)."""
    if nlp is None:
        import medtext
        from medtext.pipeline.loader import component_names

        exclude = [name for name in component_names() if name not in NEEDED]
        nlp = medtext.load(exclude=exclude)
    for name in NEEDED:
        if name not in nlp.pipe_names:
            raise MedtextError(Errors.E105.format(name=name))
    for path in rule_files:
        nlp.get_pipe("assertion").add_from_file(path)
    return nlp


def judge_rows(rows: Iterable[Any], nlp: Language) -> tuple[list[Judgement], int]:
    """Run the pipeline on every locatable row; return the judgements and the number skipped."""
    skipped = 0
    prepared: list[tuple[Any, tuple[int, int]]] = []
    docs = []
    for row in rows:
        where = locate_concept(row.concept, row.sentence)
        if where is None:
            skipped += 1
            continue
        doc = nlp.make_doc(row.sentence)
        span = doc.char_span(where[0], where[1], label=LABEL, alignment_mode="expand")
        if span is None:
            skipped += 1
            continue
        doc.ents = [span]
        prepared.append((row, where))
        docs.append(doc)
    judgements = []
    for (row, (start, end)), doc in zip(prepared, _run(nlp, docs)):
        ent = doc.ents[0] if doc.ents else None
        negated = bool(ent is not None and ent._.negated)
        trigger = (ent._.triggers or {}).get("negated") if ent is not None else None
        judgements.append(Judgement(row.line, str(row.report), start, end, bool(row.negated), negated, trigger))
    return judgements, skipped


def _run(nlp: Language, docs: list[Any]) -> Iterator[Any]:
    """Apply sections, sentences and assertion to pre-built docs (entities already set).

    Other components (an NER, a concept matcher) would replace the gold concept, so they
    do not run even when a saved pipeline has them.
    """
    components = [component for name, component in nlp.pipeline if name in NEEDED]
    for doc in docs:
        for component in components:
            doc = component(doc)
        yield doc


def metrics(judgements: Iterable[Judgement], skipped: int) -> dict[str, Any]:
    """The ``evaluate negation`` metrics: n, n_skipped, accuracy, negated P/R/F1 (+ counts)."""
    tp = fp = fn = tn = 0
    for j in judgements:
        if j.predicted and j.gold:
            tp += 1
        elif j.predicted:
            fp += 1
        elif j.gold:
            fn += 1
        else:
            tn += 1
    n = tp + fp + fn + tn
    scores = prf(tp, fp, fn)
    return {
        "n": n,
        "n_skipped": skipped,
        "accuracy": (tp + tn) / n if n else 0.0,
        "negated_precision": scores["precision"],
        "negated_recall": scores["recall"],
        "negated_f1": scores["f1"],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def read_gold(path: str | Path, fmt: str = "negex") -> list[Any]:
    """The gold rows of a NegEx TSV (``medtext.io.negex.read_negex``); InputError when empty."""
    if fmt != "negex":
        raise InputError(Errors.E104.format(fmt=fmt))
    from medtext.evaluate._gold import gold_hint
    from medtext.io.negex import read_negex

    with gold_hint("Give --gold a NegEx TSV (--format negex is the only format)."):
        rows = list(read_negex(path))
    if not rows:
        raise InputError(Errors.E103.format(path=path))
    return rows


def evaluate_negation(
    path: str | Path, fmt: str = "negex", *, nlp: Language | None = None, rule_files: Iterable[str | Path] = ()
) -> dict[str, Any]:
    """Score the assertion component's ``negated`` against a NegEx gold file.

    Example:
        >>> evaluate_negation("negex_dev.tsv")["accuracy"]  # doctest: +SKIP
        0.98
    """
    rows = read_gold(path, fmt)
    judgements, skipped = judge_rows(rows, negation_pipeline(nlp, rule_files))
    if not judgements:
        raise InputError(Errors.E106.format(path=path, n=skipped))
    return metrics(judgements, skipped)

