"""De-identification scores with DESIGN.md's matching rule (``medtext evaluate deid``).

A gold PHI phrase is *found* when predicted PHI spans cover all its letters and
digits; a predicted span is *correct* when it overlaps a gold phrase. An empty gold
phrase (start == end) holds nothing to find: it is left out of the scores and counted
in ``n_gold_empty`` (``evaluate_physionet`` warns, W166).
Precision = correct / predicted, recall = found / gold, F1 their harmonic mean;
``per_type`` gives the recall of each gold type.

Example:
    >>> text = "Seen by Dr Kay on 7/23."
    >>> counts = DeidCounts()
    >>> counts.add(text, gold=[(11, 14, "HCPName"), (18, 22, "Date")], predicted=[(11, 14), (0, 4)])
    [(18, 22, 'Date')]
    >>> m = counts.metrics()
    >>> m["precision"], m["recall"]
    (0.5, 0.5)
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError, MedtextError, Warnings
from medtext.evaluate.metrics import prf


def found(text: str, start: int, end: int, covered: bytearray) -> bool:
    """Are all letters and digits of ``text[start:end]`` covered (any overlap when it has none)?

    Offsets past the end of ``text`` count as the end of ``text``.
    """
    end = min(end, len(text))
    alnum = [i for i in range(start, end) if text[i].isalnum()]
    if not alnum:
        return any(covered[start:end])
    return all(covered[i] for i in alnum)


@dataclass
class DeidCounts:
    """Running counts over notes; :meth:`metrics` gives the evaluate JSON fields."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    notes: int = 0
    gold_empty: int = 0
    gold_by_type: Counter[str] = field(default_factory=Counter)
    found_by_type: Counter[str] = field(default_factory=Counter)
    predicted_by_label: Counter[str] = field(default_factory=Counter)
    correct_by_label: Counter[str] = field(default_factory=Counter)

    def add(self, text: str, gold: Iterable[tuple[int, int, str]], predicted: Iterable[Sequence[Any]]) -> list[tuple[int, int, str]]:
        """Score one note; ``predicted`` items are ``(start, end[, label])``. Returns the missed gold phrases.
        Empty gold phrases (``start == end``) are only counted (``n_gold_empty``)."""
        gold = list(gold)
        self.gold_empty += sum(1 for start, end, _ in gold if end <= start)
        gold = [g for g in gold if g[1] > g[0]]
        predicted = [tuple(p) for p in predicted]
        covered = bytearray(len(text) + 1)
        for p in predicted:
            covered[p[0] : p[1]] = b"\x01" * (p[1] - p[0])
        missed = []
        for start, end, kind in gold:
            self.gold += 1
            self.gold_by_type[kind] += 1
            if found(text, start, end, covered):
                self.found += 1
                self.found_by_type[kind] += 1
            else:
                missed.append((start, end, kind))
        for p in predicted:
            label = p[2] if len(p) > 2 else "PHI"
            self.predicted += 1
            self.predicted_by_label[label] += 1
            if any(p[0] < end and start < p[1] for start, end, _ in gold):
                self.correct += 1
                self.correct_by_label[label] += 1
        self.notes += 1
        return missed

    def metrics(self) -> dict[str, Any]:
        """precision, recall, f1, counts, per-type recall and per-label precision."""
        precision = prf(self.correct, self.predicted - self.correct, 0)["precision"]
        recall = prf(self.found, 0, self.gold - self.found)["recall"]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "n_notes": self.notes,
            "n_gold": self.gold,
            "n_found": self.found,
            "n_predicted": self.predicted,
            "n_correct": self.correct,
            "n_gold_empty": self.gold_empty,
            "per_type": {
                kind: {"recall": self.found_by_type[kind] / n, "n": n} for kind, n in sorted(self.gold_by_type.items())
            },
            "per_label": {
                label: {"precision": self.correct_by_label[label] / n, "n": n}
                for label, n in sorted(self.predicted_by_label.items())
            },
        }


def check_gold(text_path: str | Path, phi_path: str | Path, notes: Sequence[Any], warn: Callable[[str], None] | None = None) -> None:
    """Refuse gold that cannot be scored, warn about phrases that do not match their notes.

    ``InputError``: no notes (E118), no phrases (E119), a phrase past the end of
    its note (E113). Phrases whose offsets do not give back their text (W110) and
    empty phrases (W166: left out of the scores) go to ``warn`` (counts and the first
    line only; default :func:`warnings.warn`).
    """
    if not notes:
        raise InputError(Errors.E118.format(path=text_path, what="notes (START_OF_RECORD ... ||||END_OF_RECORD records)", option="--text"))
    total = sum(len(note.phi) for note in notes)
    if not total:
        raise InputError(Errors.E118.format(path=phi_path, what="PHI phrases ('patient note start end TYPE text' lines)", option="--phi"))
    misaligned, first = 0, None
    empty = [p.line for note in notes for p in note.phi if p.end <= p.start]
    if len(empty) == total:
        raise InputError(Errors.E118.format(path=phi_path, what="non-empty PHI phrases (every phrase has start == end)",
                                            option="--phi"))
    for note in notes:
        size = len(note.text)
        for p in note.phi:
            if p.end > size:
                raise InputError(Errors.E113.format(path=phi_path, line=p.line, start=p.start, end=p.end, id=note.id, size=size))
            if not p.aligned:
                misaligned += 1
                first = first or p.line
    messages = []
    if misaligned:
        messages.append(Warnings.W110.format(path=phi_path, n=misaligned, total=total, line=first))
    if empty:
        messages.append(Warnings.W166.format(path=phi_path, n=len(empty), total=total, line=empty[0]))
    for message in messages:
        if warn is not None:
            warn(message)
        else:
            warnings.warn(message, UserWarning, stacklevel=3)


def evaluate_physionet(
    text_path: str | Path,
    phi_path: str | Path,
    nlp: Any = None,
    batch_size: int = 64,
    *,
    warn: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the pipeline (default: ``medtext.load()``) on every note and score its ``doc._.phi``.

    Adds ``notes_per_second`` (pipeline time only) to the metrics. Gold that
    cannot be scored is refused and misaligned phrases are reported (:func:`check_gold`);
    a pipeline without a ``phi`` component is refused (``MedtextError`` E119).

    Example:
        >>> evaluate_physionet("id.text", "id-phi.phrase")["recall"]  # doctest: +SKIP
        0.97
    """
    from medtext.evaluate._gold import gold_hint
    from medtext.io.physionet import read_physionet

    if Path(text_path).is_file() and Path(phi_path).is_file() and Path(text_path).samefile(phi_path):
        raise InputError(Errors.E167.format(path=text_path))
    with gold_hint("Give --text a PhysioNet id.text file and --phi its id-phi.phrase file (--format physionet)."):
        notes = list(read_physionet(text_path, phi_path))
    check_gold(text_path, phi_path, notes, warn)  # before the pipeline loads: bad gold fails at once
    if nlp is None:
        from medtext.pipeline.loader import load

        nlp = load()
    pipe_names = getattr(nlp, "pipe_names", None)
    if pipe_names is not None and "phi" not in pipe_names:
        raise MedtextError(Errors.E119.format(available=", ".join(pipe_names) or "(none)"))
    counts = DeidCounts()
    started = time.perf_counter()
    docs = list(nlp.pipe((note.text for note in notes), batch_size=batch_size))
    elapsed = time.perf_counter() - started
    for note, doc in zip(notes, docs):
        gold = [(p.start, p.end, p.type) for p in note.phi]
        counts.add(note.text, gold, [(p["start"], p["end"], p["label"]) for p in (doc._.phi or [])])
    metrics = counts.metrics()
    metrics["notes_per_second"] = len(notes) / elapsed if elapsed > 0 else 0.0
    return metrics
