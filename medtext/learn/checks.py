"""Data checks before learning: empty, wordless, duplicate and near-duplicate texts, duplicate ids, conflicting
labels, leakage between training and evaluation files, rare labels, class imbalance, label typos and case
variants, a single label, labels always given together, constant or extreme regression targets, suspicious
encodings, and a summary of text lengths.

Reports name counts and record ids only, never text. ``strict=True`` turns any problem
into an error (E066), except those named in ``allow`` (e.g. ``class_imbalance``, which a real
corpus may have on purpose). Texts are compared with case and spacing ignored (duplicate_text,
conflicting_labels, leakage), then also with punctuation ignored (near_duplicate_text, near_leakage).

Example:
    >>> rep = check_records([{"id": 1, "text": "a", "label": "x"}, {"id": 2, "text": "a", "label": "y"}])
    >>> rep["problems"]["conflicting_labels"]["count"]
    1
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Sequence

from medtext.errors import Errors, InputError

from .check_duplicates import TextIndex, duplicate_problems, leakage_problems
from .check_labels import cooccurring_labels, extreme_values, label_variants, value_summary
from .check_text import has_words, length_summary, suspicious
from .data import is_blank


# Every problem a report can name (``allow`` takes these).
PROBLEMS = ("unreadable_record", "duplicate_id", "empty_text", "missing_label", "label_list", "label_object",
            "label_item", "not_a_number", "comma_separated_labels", "duplicate_text", "conflicting_labels",
            "near_duplicate_text", "no_words", "suspicious_encoding", "constant_target", "extreme_values",
            "rare_labels", "class_imbalance", "label_typos", "label_variants", "single_label", "no_labels",
            "cooccurring_labels", "leakage", "near_leakage")


def check_allowed(allow: Sequence[str]) -> tuple[str, ...]:
    """The problem names of ``allow`` (E011 for a name that is no problem of :data:`PROBLEMS`).

    >>> check_allowed(["class_imbalance"])
    ('class_imbalance',)
    """
    unknown = [name for name in allow if name not in PROBLEMS]
    if unknown:
        raise InputError(Errors.E011.format(option="--allow", expected="problem names: " + ", ".join(PROBLEMS),
                                            found=", ".join(map(repr, unknown))))
    return tuple(allow)


def stopping_problems(report: dict[str, Any], allow: Sequence[str] = ()) -> dict[str, Any]:
    """The report's problems that stop a ``--strict`` run: those not named in ``allow``.

    >>> list(stopping_problems({"problems": {"class_imbalance": {}, "leakage": {}}}, allow=["class_imbalance"]))
    ['leakage']
    """
    return {k: v for k, v in report["problems"].items() if k not in allow}


def raise_if_strict(report: dict[str, Any], allow: Sequence[str] = ()) -> None:
    """E066 naming the report's problems that are not allowed, when there is any.

    >>> raise_if_strict({"problems": {"class_imbalance": {"count": 1}}}, allow=["class_imbalance"])
    """
    stopping = stopping_problems(report, allow)
    if stopping:
        raise InputError(Errors.E066.format(summary=", ".join(f"{k}: {v['count']}" for k, v in stopping.items())))


def _rid(r: dict[str, Any]) -> str:
    return str(r["id"]) if r.get("id") is not None else f"line {r.get('line')}"


def _short(value: Any, width: int = 40) -> str:
    """An id for a report line, cut to ``width`` characters.

    >>> _short("n1"), _short("x" * 50)
    ('n1', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')
    """
    text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def duplicate_ids(records: Sequence[dict[str, Any]], limit: int = 5) -> tuple[int, list[str]]:
    """``(number of ids that more than one record has, up to ``limit`` of them with their counts)``; records
    without an id are left out, and ``1`` and ``"1"`` are different ids (as in the output).

    >>> duplicate_ids([{"id": "a"}, {"id": "b"}, {"id": "a"}, {"id": 1}, {"id": "1"}, {"id": None}, {"id": None}])
    (1, ['a (2 records)'])
    """
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Any] = {}
    for r in records:
        if r.get("id") is not None:
            key = (type(r["id"]).__name__, repr(r["id"]))
            counts[key] += 1
            first.setdefault(key, r["id"])
    repeated = [k for k, n in counts.items() if n > 1]
    return len(repeated), [f"{_short(first[k])} ({counts[k]} records)" for k in repeated[:limit]]


def _task(multilabel: bool, regression: bool) -> str:
    return "multilabel" if multilabel else "regress" if regression else "classify"


def _list_like(v: Any) -> bool:
    """A multi-label string that reads as one label but looks like a list ("A, B" / "A; B")."""
    return isinstance(v, str) and not v.strip().startswith("[") and "|" not in v and bool(re.search(r"[,;]", v))


def check_records(records: Sequence[dict[str, Any]], *, source: str = "<records>", multilabel: bool = False,
                  regression: bool = False, eval_records: Sequence[dict[str, Any]] | None = None,
                  min_examples: int = 5, imbalance_ratio: float = 10.0, strict: bool = False,
                  examples: int = 3, allow: Sequence[str] = ()) -> dict[str, Any]:
    """Check labelled records; returns ``{"source", "n_records", "label_counts", "text_length", "problems": {name:
    {count, examples, detail?}}}`` (regression: also ``value_summary``). ``text_length`` summarises the usable
    texts' lengths in characters (min, 1st percentile, median, 99th percentile, max).

    Labels are read as training reads them (:func:`medtext.learn.api.read_label`), so a file
    without problems here does not fail training on its labels.
    """
    from .api import find_label_typos, read_label

    allow = check_allowed(allow)
    if not records:
        raise InputError(Errors.E065.format(path=source, what="learning"))
    task = _task(multilabel, regression)
    problems: dict[str, dict[str, Any]] = {}

    def add(name: str, items: list[str], detail: str | None = None) -> None:
        if items:
            problems[name] = {"count": len(items), "examples": items[:examples]}
            if detail:
                problems[name]["detail"] = detail

    add("unreadable_record", [_rid(r) for r in records if r.get("error")])
    n_dup, dup_examples = duplicate_ids(records, min(examples, 5))
    if n_dup:
        problems["duplicate_id"] = {"count": n_dup, "examples": dup_examples,
                                    "detail": "ids that more than one record has; give every record its own id, "
                                              "or name the id field with --id-field"}
    add("empty_text", [_rid(r) for r in records if not r.get("error") and is_blank(r.get("text"))])
    usable = [r for r in records if not r.get("error") and not is_blank(r.get("text"))]
    parsed = [read_label(r.get("label"), task) for r in usable]
    for kind, detail in (("missing_label", None), ("label_list", "lists of labels need --task multilabel"),
                         ("label_object", "a JSON object is not a label; give a string (multi-label: a list)"),
                         ("label_item", "a null, list or object among the labels"),
                         ("not_a_number", "a regressor needs finite numeric labels")):
        add(kind, [_rid(r) for r, (_, p) in zip(usable, parsed) if p and p.split(":")[0] == kind], detail)
    labelled = [(r, y) for r, (y, p) in zip(usable, parsed) if p is None]
    if multilabel:
        add("comma_separated_labels", [_rid(r) for r, _ in labelled if _list_like(r.get("label"))],
            detail="a label with commas or semicolons; separate multi-labels with | or give a JSON list")
    items = [(_rid(r), r["text"], tuple(sorted(set(y))) if multilabel else y) for r, y in labelled]
    items += [(_rid(r), r["text"], None) for r, (_, p) in zip(usable, parsed) if p is not None]  # duplicates too
    index = TextIndex(items)
    problems.update(duplicate_problems(index, examples=examples, what="values" if regression else "labels"))
    add("no_words", [_rid(r) for r in usable if not has_words(r["text"])],
        detail="texts with no letter or digit, only punctuation or symbols")
    add("suspicious_encoding", [_rid(r) for r in usable if suspicious(r["text"])],
        detail="mojibake such as \u00c3\u00a9 for \u00e9, U+FFFD replacement characters or control characters; "
               "check the file's encoding")
    counts: Counter[str] = Counter()
    extra: dict[str, Any] = {"text_length": length_summary(r["text"] for r in usable)}
    if regression:
        _check_values(labelled, add, extra)
    else:
        for _, y in labelled:
            counts.update(set(y) if multilabel else [y])
        add("rare_labels", [f"{l} ({n})" for l, n in sorted(counts.items(), key=lambda x: x[1]) if n < min_examples])
        if len(counts) >= 2:
            most, least = max(counts.values()), min(counts.values())
            if least and most / least >= imbalance_ratio:
                add("class_imbalance", [f"{max(counts, key=counts.get)} {most} vs {min(counts, key=counts.get)} {least}"],
                    detail=f"largest/smallest = {most / least:.1f}; consider class_weight=balanced")
        typos = find_label_typos(dict(counts))
        add("label_typos", [f"{a} ({n}) ~ {b} ({m})" for a, n, b, m in typos])
        seen = {(a, b) for a, _, b, _ in typos}
        add("label_variants", [f"{a} ({n}) ~ {b} ({m})" for a, n, b, m in label_variants(dict(counts))
                               if (a, b) not in seen],
            detail="labels that differ only in case or spacing: one class under two names?")
        if len(counts) == 1 and not multilabel:  # training refuses it (E062)
            add("single_label", [f"{l} ({n})" for l, n in counts.items()], detail="a classifier needs at least two")
        if multilabel and labelled and not counts:
            add("no_labels", [_rid(r) for r, _ in labelled], detail="every record's label list is empty")
        if multilabel:
            add("cooccurring_labels", [f"{' + '.join(ls)} ({n} records)" for ls, n in cooccurring_labels(y for _, y in labelled)],
                detail="labels always given together, to the same records: a model cannot tell them apart")
    if eval_records is not None:
        ev = [(_rid(r), r["text"], None) for r in eval_records if not r.get("error") and not is_blank(r.get("text"))]
        problems.update(leakage_problems(index, ev, examples=examples))
    report = {"source": source, "n_records": len(records), "label_counts": dict(counts.most_common()),
              **extra, "problems": problems}
    if strict:
        raise_if_strict(report, allow)
    return report


def _check_values(labelled: list[tuple[dict[str, Any], Any]], add, extra: dict[str, Any]) -> None:
    """Regression targets: their summary (``extra["value_summary"]``), one value for all, extreme values."""
    values = [float(y) for _, y in labelled]
    extra["value_summary"] = summary = value_summary(values)
    if summary and summary["n_distinct"] == 1 and summary["n"] > 1:
        add("constant_target", [f"{summary['min']:g} ({summary['n']} records)"],
            detail="every record has the same value; a regressor learns nothing from it")
    add("extreme_values", [f"{_rid(labelled[i][0])} ({x:g})" for i, x in extreme_values(values)],
        detail="values more than 3 interquartile ranges beyond the quartiles; a typo or another unit?")


def format_report(report: dict[str, Any]) -> list[str]:
    """Short human-readable lines (counts and example ids)."""
    lines = [f"{report['source']}: {report['n_records']} records"]
    if report.get("label_counts"):
        lines.append("labels: " + ", ".join(f"{l} {n}" for l, n in report["label_counts"].items()))
    if v := report.get("value_summary"):
        lines.append(f"values: min {v['min']:g}, median {v['median']:g}, mean {v['mean']:.3g}, max {v['max']:g} "
                     f"({v['n_distinct']} distinct)")
    if t := report.get("text_length"):
        lines.append(f"text length (characters): min {t['min']}, 1% {t['p01']}, median {t['median']}, "
                     f"99% {t['p99']}, max {t['max']}")
    if not report["problems"]:
        lines.append("no problems found")
    for name, p in report["problems"].items():
        ex = "; ".join(p["examples"])
        extra = f" ({p['detail']})" if p.get("detail") else ""
        lines.append(f"warning: {name.replace('_', ' ')}: {p['count']}{extra} e.g. {ex}")
    return lines
