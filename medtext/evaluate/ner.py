"""NER evaluation against PubTator or CoNLL gold files (``medtext evaluate ner``).

Exact span + label matching, micro-averaged over the labels present in the gold
file, with per-label figures. PubTator documents are run as ``title + " " + abstract``;
CoNLL sentences as their tokens joined by single spaces. With ``codes=True`` the
result adds ``normalization_accuracy``: of the correctly found mentions that have a
gold id, the share whose predicted codes contain one of the gold ids (a composite id
``D001943|D010051`` or ``D1+D2`` counts when any part matches; ``OMIM:610102`` counts
like a MeSH id, bare or prefixed), and ``normalization_n``, how many such mentions
there were. With none (CoNLL gold has no ids) ``normalization_accuracy`` is None
(JSON null) and a warning says why.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])  # doctest: +SKIP
    >>> evaluate_ner(nlp, "NCBIdevelopset_corpus.txt", "pubtator")["f1"]  # doctest: +SKIP
    0.8
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError, Warnings
from medtext.evaluate._gold import gold_hint
from medtext.evaluate.metrics import set_prf
from medtext.io.conll import iob_to_spans, read_conll
from medtext.io.pubtator import read_pubtator

# PubTator mention types -> medtext labels (DESIGN.md).
PUBTATOR_LABELS = {
    "Disease": "DISEASE",
    "SpecificDisease": "DISEASE",
    "DiseaseClass": "DISEASE",
    "Modifier": "DISEASE",
    "CompositeMention": "DISEASE",
    "Chemical": "CHEMICAL",
}
CONLL_LABELS = {"disease": "DISEASE", "chemical": "CHEMICAL"}
_TAG = re.compile(r"^(?:O|[BIES]-\S+)$")


# Refuse a PubTator file when more than this share of its mentions is misaligned.
MAX_MISALIGNED_SHARE = 0.5


@dataclass
class GoldChecks:
    """What a gold reader saw that is worth a warning: counts and the first place (never text)."""

    mentions: int = 0
    unknown_type: int = 0
    first_unknown: tuple[str, int | None] | None = None
    misaligned: int = 0
    first_misaligned: tuple[str, int | None] | None = None


# --- gold as (text, {(start, end, label): ids}) ------------------------------------------


def pubtator_gold(
    path: str | Path, checks: GoldChecks | None = None
) -> Iterator[tuple[str, str, dict[tuple[int, int, str], tuple[str, ...]]]]:
    """(id, text, {(start, end, label): gold ids}) per PubTator document.

    Mentions of other types than :data:`PUBTATOR_LABELS` are left out; ``checks``
    (when given) counts them, and the mentions whose offsets do not give back their text.
    """
    checks = GoldChecks() if checks is None else checks
    for doc in read_pubtator(path):
        spans = {}
        for m in doc.mentions:
            checks.mentions += 1
            label = PUBTATOR_LABELS.get(m.type)
            if label is not None:
                spans[(m.start, m.end, label)] = m.ids
            else:
                checks.unknown_type += 1
                checks.first_unknown = checks.first_unknown or (doc.id, m.line)
        bad = doc.misaligned()
        if bad:
            checks.misaligned += len(bad)
            checks.first_misaligned = checks.first_misaligned or (doc.id, bad[0].line)
        yield doc.id, doc.text, spans


def check_pubtator(path: str | Path, checks: GoldChecks, warn: Callable[[str], None] | None = None) -> None:
    """Warn (W080, W081) about unscored types and misaligned mentions; refuse (E086) mostly misaligned offsets."""
    if checks.misaligned and checks.misaligned > MAX_MISALIGNED_SHARE * checks.mentions:
        doc_id, line = checks.first_misaligned or ("?", None)
        raise InputError(Errors.E086.format(path=path, n=checks.misaligned, total=checks.mentions, id=doc_id, line=line))
    notes = []
    if checks.unknown_type:
        doc_id, line = checks.first_unknown or ("?", None)
        types = ", ".join(PUBTATOR_LABELS)
        notes.append(Warnings.W080.format(path=path, n=checks.unknown_type, total=checks.mentions, id=doc_id, line=line, types=types))
    if checks.misaligned:
        doc_id, line = checks.first_misaligned or ("?", None)
        notes.append(Warnings.W081.format(path=path, n=checks.misaligned, total=checks.mentions, id=doc_id, line=line))
    for note in notes:
        _warn(note, warn)


def _warn(message: str, warn: Callable[[str], None] | None) -> None:
    if warn is not None:
        warn(message)
    else:
        warnings.warn(message, UserWarning, stacklevel=3)


def conll_gold(path: str | Path) -> Iterator[tuple[str, str, dict[tuple[int, int, str], tuple[str, ...]]]]:
    """(line id, text, spans) per CoNLL sentence; text = tokens joined by single spaces."""
    for sent in read_conll(path):
        for i, tag in enumerate(sent.tags):
            if not _TAG.match(tag):
                detail = "the tag (last column) is not O, B-X, I-X, E-X or S-X; check --format and that the tag is the last tab-separated column"
                raise InputError(Errors.E082.format(path=path, line=sent.line + i, detail=detail))
        offsets, pos = [], 0
        for tok in sent.tokens:
            offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        spans: dict[tuple[int, int, str], tuple[str, ...]] = {}
        for start, end, name in iob_to_spans(sent.tokens, sent.tags):
            spans[(offsets[start][0], offsets[end - 1][1], CONLL_LABELS.get(name.lower(), name.upper()))] = ()
        yield f"line{sent.line}", " ".join(sent.tokens), spans


def code_strings(codes: Iterable[dict[str, str]]) -> set[str]:
    """Every form a predicted code may take in gold: bare, prefixed, and a prefixed code stripped."""
    out = set()
    for c in codes:
        code, system = c.get("code", ""), c.get("system", "")
        out |= {code, f"{system}:{code}", code.rsplit(":", 1)[-1]}
    return out


def evaluate_ner(
    nlp: Any,
    gold: str | Path,
    fmt: str = "pubtator",
    codes: bool = False,
    batch_size: int = 32,
    *,
    warn: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Score ``nlp`` on a gold file; the ``medtext evaluate ner`` JSON as a dict.

    Problems that do not stop the scoring (PubTator mentions of unscored types or
    with misaligned offsets) go to ``warn(message)`` (default: :func:`warnings.warn`).
    """
    hint = "Give --gold a PubTator file (--format pubtator) or a CoNLL/IOB file (--format conll)."
    if fmt == "pubtator":
        checks = GoldChecks()
        with gold_hint(hint):
            docs = list(pubtator_gold(gold, checks))
        check_pubtator(gold, checks, warn)
    elif fmt == "conll":
        with gold_hint(hint):
            docs = list(conll_gold(gold))
    else:
        raise InputError(Errors.E083.format(fmt=fmt))
    gold_items: dict[tuple[int, int, int, str], tuple[str, ...]] = {}
    for i, (_, _, spans) in enumerate(docs):
        for (start, end, label), ids in spans.items():
            gold_items[(i, start, end, label)] = ids
    labels = sorted({key[3] for key in gold_items})
    if not labels:
        raise InputError(Errors.E084.format(path=gold))
    predicted: dict[tuple[int, int, int, str], set[str]] = {}
    texts = (text for _, text, _ in docs)
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        for ent in doc.ents:
            if ent.label_ in labels:
                predicted[(i, ent.start_char, ent.end_char, ent.label_)] = code_strings(ent._.codes or [])
    result: dict[str, Any] = dict(set_prf(predicted, gold_items))
    result["per_label"] = {
        label: set_prf((k for k in predicted if k[3] == label), (k for k in gold_items if k[3] == label)) for label in labels
    }
    result["n_documents"] = len(docs)
    if codes:
        found = [k for k in predicted if k in gold_items and gold_items[k]]
        correct = sum(1 for k in found if predicted[k] & set(gold_items[k]))
        # None (JSON null) when nothing could be scored: 0.0 would read as "every code wrong".
        result["normalization_accuracy"] = correct / len(found) if found else None
        result["normalization_n"] = len(found)
        if fmt == "conll":
            _warn(Warnings.W082.format(path=gold), warn)
        elif not found:
            _warn(Warnings.W083.format(path=gold), warn)
    return result


__all__ = [
    "CONLL_LABELS", "PUBTATOR_LABELS", "GoldChecks", "check_pubtator", "code_strings", "conll_gold", "evaluate_ner", "pubtator_gold",
]
