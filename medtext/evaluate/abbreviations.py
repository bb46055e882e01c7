"""Score abbreviation detection against an Ab3P-style gold file (``medtext evaluate abbreviations``).

Each gold record is run through the pipeline as ``title + " " + abstract``; the
distinct (short, long) pairs of ``doc._.abbreviations`` are compared with the
record's gold ``  SF|LF`` pairs, exactly (case kept, runs of whitespace
collapsed), per document, then micro-averaged. ``//`` comment lines, ``//*``
synonyms included, are not gold: a predicted synonym counts as a false positive.

Example:
    >>> from pathlib import Path; import tempfile
    >>> gold = Path(tempfile.mkdtemp()) / "gold.txt"
    >>> _ = gold.write_text("1\\nT.\\nThe heart rate (HR) rose.\\n  HR|heart rate\\n", encoding="utf-8")
    >>> metrics = evaluate_abbreviations(gold)
    >>> metrics["precision"], metrics["recall"], metrics["n_documents"]
    (1.0, 1.0, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError, MedtextError
from medtext.evaluate.metrics import set_prf

GOLD_FORMATS = ("ab3p",)


def normalize(form: str) -> str:
    """Collapse runs of whitespace (gold files carry stray ``\\r`` and double spaces)."""
    return " ".join(form.split())


def gold_documents(path: str | Path, fmt: str = "ab3p") -> Iterator[tuple[str, str, set[tuple[str, str]]]]:
    """``(doc key, text, gold pairs)`` for each record of a gold file.

    The key is ``PMID@line`` so that a PMID listed twice stays two documents.
    Raises ``InputError`` for an unknown format or a malformed file (naming file and line).
    """
    if fmt not in GOLD_FORMATS:
        raise InputError(Errors.E090.format(fmt=fmt, choices=", ".join(GOLD_FORMATS)))
    from medtext.io.ab3p import read_ab3p

    count = 0
    for record in read_ab3p(path):
        count += 1
        pairs = {(normalize(short), normalize(long)) for short, long in record.pairs}
        yield f"{record.pmid}@{record.line}", record.text, pairs
    if count == 0:
        raise InputError(Errors.E091.format(path=path))


def predicted_pairs(abbreviations: Iterable[dict[str, Any]] | None) -> set[tuple[str, str]]:
    """The distinct (short, long) pairs of a doc's ``doc._.abbreviations`` records."""
    return {(normalize(a["short"]), normalize(a["long"])) for a in abbreviations or ()}


def default_nlp() -> Any:
    """The default pipeline, cut down to what abbreviations need (tokenizer + ``abbreviations``)."""
    from medtext.pipeline.loader import component_names, load

    return load(exclude=[name for name in component_names() if name != "abbreviations"])


def evaluate_abbreviations(path: str | Path, fmt: str = "ab3p", nlp: Any = None, batch_size: int = 64) -> dict[str, Any]:
    """Precision, recall and F1 of exact (short, long) pairs per document, micro-averaged.

    ``nlp`` defaults to :func:`default_nlp`; any pipeline with an ``abbreviations``
    component will do. Returns ``precision, recall, f1, tp, fp, fn, n_documents, n_gold``.
    """
    if nlp is None:
        nlp = default_nlp()
    if "abbreviations" not in nlp.pipe_names:
        raise MedtextError(Errors.E092.format(available=", ".join(nlp.pipe_names) or "(none)"))
    gold: set[tuple[str, str, str]] = set()
    predicted: set[tuple[str, str, str]] = set()
    from medtext.evaluate._gold import gold_hint

    docs = gold_documents(path, fmt)
    n_documents = 0
    keyed = ((text, (key, pairs)) for key, text, pairs in docs)
    with gold_hint("Give --gold an Ab3P labeled file (--format ab3p)."):
        for doc, (key, pairs) in nlp.pipe(keyed, as_tuples=True, batch_size=batch_size):
            n_documents += 1
            gold.update((key, short, long) for short, long in pairs)
            predicted.update((key, short, long) for short, long in predicted_pairs(doc._.abbreviations))
    metrics = set_prf(predicted, gold)
    metrics.update(n_documents=n_documents, n_gold=len(gold))
    return metrics
