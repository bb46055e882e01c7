"""Sentence-boundary F1 on the Hallmarks-of-Cancer abstracts (one sentence per line).

The lines are detokenized (no space before ``. , ; : ! ? ) ]``, none after ``( [``)
and joined with one space; a segmenter is scored on the sentence-start offsets.

Example:
    >>> text, gold = detokenize_abstract(["A ( B ) .", "C ."])
    >>> text, gold
    ('A (B). C.', [0, 6])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

_SPACE_BEFORE = re.compile(r" (?=[.,;:!?)\]])")
_SPACE_AFTER = re.compile(r"(?<=[(\[]) ")


def detokenize_abstract(lines: list[str]) -> tuple[str, list[int]]:
    """Join tokenized sentence lines into text; return it with gold sentence starts."""
    parts, starts, offset = [], [], 0
    for line in lines:
        sentence = _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", line.strip()))
        if not sentence:
            continue
        if parts:
            offset += 1
        starts.append(offset)
        parts.append(sentence)
        offset += len(sentence)
    return " ".join(parts), starts


def hoc_abstracts(shared: Path) -> Iterator[tuple[str, list[int]]]:
    """Yield (text, gold starts) for every HoC abstract in the shared corpora."""
    folder = shared / "corpora" / "hallmarks_of_cancer" / "text"
    for path in sorted(folder.glob("*.txt")):
        yield detokenize_abstract(path.read_text(encoding="utf-8").splitlines())


def score_starts(pairs: list[tuple[list[int], list[int]]]) -> dict[str, float]:
    """Precision / recall / F1 of predicted vs gold sentence starts (first start excluded)."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        p, g = set(predicted) - {0}, set(gold) - {0}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def evaluate_segmenter(segment: Callable[[str], list[int]], data: list[tuple[str, list[int]]]) -> dict[str, float]:
    """Score a function text -> sentence start offsets on (text, gold) pairs."""
    return score_starts([(segment(text), gold) for text, gold in data])
