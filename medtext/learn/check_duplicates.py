"""Duplicate texts, conflicting labels and leakage for the data checks, as problem entries.

Items are ``(record id, text, label)`` with ``label`` ``None`` for a record without a usable one (it
still counts as a duplicate). Texts are grouped by :func:`~medtext.learn.check_text.case_key`
(case and spacing ignored), then by :func:`~medtext.learn.check_text.loose_key` (punctuation too).
Entries name record ids only, never text.

Example:
    >>> items = [("1", "Fever.", "a"), ("2", "fever.", "b"), ("3", "Fever!", "a"), ("4", "Cough", "a")]
    >>> p = duplicate_problems(items)
    >>> p["duplicate_text"]["examples"], p["conflicting_labels"]["examples"], p["near_duplicate_text"]["examples"]
    (['1 = 2'], ['1 / 2'], ['1 ~ 3'])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

from .check_text import case_key, loose_key

Item = tuple[str, str, Any]


class TextIndex:
    """Items grouped by text: ``by_text`` ``{case key: [items]}`` and ``loose`` ``{loose key: [case keys]}`` (texts
    with letters or digits), built once for both the duplicate and the leakage checks.

    >>> TextIndex([("1", "Fever.", "a"), ("2", "fever!", "b")]).loose
    {'fever': ['fever.', 'fever!']}
    """

    def __init__(self, items: Sequence[Item]):
        self.by_text: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            self.by_text[case_key(item[1])].append(item)
        self.loose: dict[str, list[str]] = defaultdict(list)
        for k in self.by_text:
            if lk := loose_key(k):
                self.loose[lk].append(k)
        self.by_text, self.loose = dict(self.by_text), dict(self.loose)


def _entry(items: list[str], examples: int, detail: str, **extra: Any) -> dict[str, Any]:
    return {"count": len(items), "examples": items[:examples], "detail": detail, **extra}


def duplicate_problems(items: Sequence[Item] | TextIndex, *, examples: int = 3,
                       what: str = "labels") -> dict[str, dict[str, Any]]:
    """``duplicate_text`` (texts equal once case and spacing are ignored: count of such texts, ``records``
    holding them, ``exact``: how many are identical character for character), ``conflicting_labels`` (those of
    them with different labels, or ``what``) and ``near_duplicate_text`` (texts that differ in punctuation only;
    ``conflicting``: how many of them have different labels)."""
    index = items if isinstance(items, TextIndex) else TextIndex(items)
    by_text = index.by_text
    dups = [g for g in by_text.values() if len(g) > 1]
    out: dict[str, dict[str, Any]] = {}
    if dups:
        n_exact = sum(len({t for _, t, _ in g}) == 1 for g in dups)
        out["duplicate_text"] = _entry(
            [" = ".join(rid for rid, _, _ in g[:3]) for g in dups], examples,
            f"texts held by {sum(map(len, dups))} records: {n_exact} identical, "
            f"{len(dups) - n_exact} differing only in case or spacing",
            records=sum(map(len, dups)), exact=n_exact)
    conflicts = [" / ".join(rid for rid, _, _ in g[:3]) for g in dups if len({y for _, _, y in g if y is not None}) > 1]
    if conflicts:
        out["conflicting_labels"] = _entry(conflicts, examples, "the same text, case and spacing ignored, "
                                           f"with different {what}")
    near = [ks for ks in index.loose.values() if len(ks) > 1]
    if near:
        n_conf = sum(len({y for k in ks for _, _, y in by_text[k] if y is not None}) > 1 for ks in near)
        out["near_duplicate_text"] = _entry(
            [" ~ ".join(by_text[k][0][0] for k in ks[:3]) for ks in near], examples,
            f"texts that differ only in punctuation, besides case and spacing; {n_conf} of them with different {what}",
            records=sum(len(by_text[k]) for ks in near for k in ks), conflicting=n_conf)
    return out


def leakage_problems(items: Sequence[Item] | TextIndex, eval_items: Sequence[Item] | TextIndex, *,
                     examples: int = 3) -> dict[str, dict[str, Any]]:
    """``leakage``: texts (case and spacing ignored) in both files, with ``records`` / ``eval_records`` holding
    them; ``near_leakage``: texts in both files once punctuation is ignored too, not already leakage."""
    t_index, e_index = (x if isinstance(x, TextIndex) else TextIndex(x) for x in (items, eval_items))
    train, ev = t_index.by_text, e_index.by_text
    out: dict[str, dict[str, Any]] = {}
    shared = [k for k in train if k in ev]
    if shared:
        n, m = sum(len(train[k]) for k in shared), sum(len(ev[k]) for k in shared)
        out["leakage"] = _entry(
            [f"{train[k][0][0]} ~ {ev[k][0][0]}" for k in shared], examples,
            f"texts present in both the training and the evaluation file, case and spacing ignored: {n} training "
            f"and {m} evaluation records", records=n, eval_records=m)
    loose_ev = e_index.loose
    near = [(ks, loose_ev[lk]) for lk, ks in t_index.loose.items()
            if lk in loose_ev and not set(ks) & set(loose_ev[lk])]
    if near:
        n, m = sum(len(train[k]) for ks, _ in near for k in ks), sum(len(ev[k]) for _, eks in near for k in eks)
        out["near_leakage"] = _entry(
            [f"{train[ks[0]][0][0]} ~ {ev[eks[0]][0][0]}" for ks, eks in near], examples,
            f"texts of the training file that differ only in punctuation from texts of the evaluation file: {n} "
            f"training and {m} evaluation records", records=n, eval_records=m)
    return out
