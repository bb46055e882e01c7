"""Replace PHI spans in a text: redact (``[LABEL]``), mask (same length) or surrogate (realistic fakes).

Example:
    >>> spans = [{"start": 8, "end": 11, "label": "NAME"}]
    >>> apply_spans("Seen by Kay today.", spans, mode="redact")
    'Seen by [NAME] today.'
    >>> apply_spans("Seen by Kay today.", spans, mode="mask")
    'Seen by *** today.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from medtext.deid.surrogates import SurrogateMaker
from medtext.errors import Errors, MedtextError

MODES = ("redact", "mask", "surrogate")


def check_mode(mode: str) -> str:
    """The mode, or MedtextError E112 naming the valid ones."""
    if mode not in MODES:
        raise MedtextError(Errors.E112.format(mode=mode, choices=", ".join(MODES)))
    return mode


def _span_tuple(i: int, span: Any) -> tuple[int, int, str]:
    """``(start, end, label)`` of one span dict; TypeError naming the span and what is expected."""
    if not isinstance(span, Mapping) or any(k not in span for k in ("start", "end", "label")):
        found = type(span).__name__ if not isinstance(span, Mapping) else "keys " + (", ".join(map(repr, span)) or "(none)")
        raise TypeError(f"apply_spans takes PHI spans as dicts with 'start', 'end' and 'label' (as in doc._.phi); span {i} has {found}")
    start, end = _offset(span["start"]), _offset(span["end"])
    if start is None or end is None:
        kinds = f"{type(span['start']).__name__}/{type(span['end']).__name__}"
        raise TypeError(f"apply_spans: span {i} has start/end of types {kinds}; give whole-number character offsets")
    return start, end, str(span["label"])


def _offset(value: Any) -> int | None:
    """A character offset as int (numpy integers, whole floats and digit strings too); None for other text, booleans
    or fractions."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, (str, bytes, bool)):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number == value else None


def _sorted_spans(text: str, spans: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    out = sorted(_span_tuple(i, s) for i, s in enumerate(spans))
    cleaned: list[tuple[int, int, str]] = []
    for start, end, label in out:
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if cleaned and start < cleaned[-1][1]:  # overlapping input: merge, keep the first label
            prev = cleaned[-1]
            cleaned[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            cleaned.append((start, end, label))
    return cleaned


def run_seed(seed: int | None) -> int:
    """The seed of a run: ``seed``, or a fresh 64-bit random one when it is None.

    The seed is a secret key: surrogates and each document's date shift follow from it and the
    document's id, so whoever knows both can undo the shift. A fixed default (such as 0) would give
    every reader of a released corpus that key.

    Example:
        >>> run_seed(7), run_seed(None) != run_seed(None)
        (7, True)
    """
    import secrets

    return secrets.randbits(64) if seed is None else seed


def mask_text(value: str, char: str = "*") -> str:
    """Same length, every character but line breaks replaced by ``char``."""
    return "".join(c if c in "\r\n" else char for c in value)


def apply_spans(text: str, spans: Iterable[Mapping[str, Any]], mode: str = "redact", *, seed: int | None = None,
                doc_key: object = "", mask_char: str = "*") -> str:
    """The text with each PHI span (``{start, end, label}``) replaced as ``mode`` says.

    ``surrogate`` draws fakes from a generator seeded by ``seed`` and ``doc_key``
    (the document id), so a rerun with the same seed gives the same output; without a seed, a fresh
    random key (:func:`run_seed`: a fixed default would let any reader undo the date shifts).
    """
    check_mode(mode)
    ordered = _sorted_spans(text, spans)
    maker = (SurrogateMaker(run_seed(seed), doc_key, [text[s:e] for s, e, _ in ordered])
             if mode == "surrogate" else None)
    parts: list[str] = []
    last = 0
    for start, end, label in ordered:
        parts.append(text[last:start])
        original = text[start:end]
        if mode == "redact":
            parts.append(f"[{label}]")
        elif mode == "mask":
            parts.append(mask_text(original, mask_char))
        else:
            assert maker is not None
            parts.append(maker.value(label, original))
        last = end
    parts.append(text[last:])
    return "".join(parts)
