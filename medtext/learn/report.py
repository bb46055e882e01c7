"""Evaluation report folder: confusion matrix (PNG + JSON), precision-recall curves (PNG, average precision
per label in JSON), per-class table (CSV + Markdown), bootstrap confidence intervals (JSON). Uses matplotlib's
Agg backend.

Example:
    >>> write_report("out/report", model, gold, pred, proba, metrics)   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .bootstrap import bootstrap_ci


def write_report(folder: str | os.PathLike, model, gold: Sequence, pred: Sequence, proba, metrics: dict[str, Any],
                 n_boot: int = 1000, seed: int = 0, groups: Sequence[int] | None = None) -> dict[str, Any]:
    """Write the report files into ``folder``; returns the bootstrap intervals (``groups``: see :func:`bootstrap_ci`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kind = model.kind
    ci = bootstrap_ci(list(gold), list(pred), kind, model.labels, n_boot=n_boot, seed=seed, groups=groups)
    with open(folder / "bootstrap_ci.json", "w", encoding="utf-8") as f:
        json.dump(ci, f, indent=2)
    if kind == "regressor":
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.scatter(gold, pred, s=6, alpha=0.4)
        ax.set_xlabel("gold")
        ax.set_ylabel("predicted")
        ax.set_title(f"{model.name}: RMSE {metrics['rmse']:.3f}" if metrics["rmse"] is not None else model.name)
        fig.tight_layout()
        fig.savefig(folder / "scatter.png", dpi=100)
        plt.close(fig)
        return ci
    _per_class_tables(folder, metrics)
    labels = list(model.labels)
    pos = {l: i for i, l in enumerate(labels)}
    if kind == "multilabel":
        # per label 2x2 counts: rows gold yes/no, columns predicted yes/no; the model's labels, then gold
        # labels it does not know (all their records are false negatives, as per_label counts them)
        all_l = labels + sorted({l for g in gold for l in g} - set(labels))
        pos = {l: i for i, l in enumerate(all_l)}
        cm = np.zeros((len(all_l), 4), dtype=int)
        for g, p in zip(gold, pred):
            for l in all_l:
                cm[pos[l]] += np.array([l in g and l in p, l in g and l not in p, l not in g and l in p,
                                        l not in g and l not in p], dtype=int)
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(all_l) + 1.5))
        ax.imshow(cm, cmap="Blues", aspect="auto")
        ax.set_xticks(range(4), ["TP", "FN", "FP", "TN"])
        ax.set_yticks(range(len(all_l)), all_l, fontsize=7)
        ax.set_ylabel("label")
        for i in range(len(all_l)):
            for j in range(4):
                ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=7)
    else:
        extra = sorted({str(g) for g in gold} - set(labels))
        all_l = labels + extra
        pos = {l: i for i, l in enumerate(all_l)}
        cm = np.zeros((len(all_l), len(all_l)), dtype=int)
        for g, p in zip(gold, pred):
            cm[pos[str(g)], pos[str(p)]] += 1
        fig, ax = plt.subplots(figsize=(1 + 0.8 * len(all_l), 1 + 0.7 * len(all_l)))
        ax.imshow(cm, cmap="Blues")
        ax.set_xticks(range(len(all_l)), all_l, rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(all_l)), all_l, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        for i in range(len(all_l)):
            for j in range(len(all_l)):
                ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=7)
    ax.set_title(f"{model.name}: confusion")
    fig.tight_layout()
    fig.savefig(folder / "confusion_matrix.png", dpi=100)
    plt.close(fig)
    with open(folder / "confusion_matrix.json", "w", encoding="utf-8") as f:
        if kind == "multilabel":  # one row per label: its TP, FN, FP, TN counts
            json.dump({"labels": all_l, "columns": ["TP", "FN", "FP", "TN"], "matrix": cm.tolist()}, f)
        else:  # rows gold, columns predicted, over the model's labels then gold labels it does not know
            json.dump({"labels": all_l, "matrix": cm.tolist()}, f)
    if proba is not None:
        from sklearn.metrics import average_precision_score, precision_recall_curve

        fig, ax = plt.subplots(figsize=(6, 5))
        aps: dict[str, Any] = {}
        for j, l in enumerate(labels):
            y = np.array([(l in g) if kind == "multilabel" else (str(g) == l) for g in gold], dtype=int)
            if y.sum() == 0:  # no positive record: no recall, no curve
                aps[l] = {"average_precision": None, "support": 0}
                continue
            prec, rec, _ = precision_recall_curve(y, proba[:, j])
            ap = float(average_precision_score(y, proba[:, j]))
            aps[l] = {"average_precision": ap, "support": int(y.sum())}
            # steps, as average precision sums them (a straight line between points overstates precision)
            ax.plot(rec, prec, drawstyle="steps-post", label=f"{l} (AP {ap:.2f})")
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        if ax.lines:  # no curve when no gold record has a model label (matplotlib warns on an empty legend)
            ax.legend(fontsize=6)
        else:
            ax.text(0.5, 0.5, "no gold record has a label of the model", ha="center", va="center", fontsize=8)
        ax.set_title(f"{model.name}: precision-recall")
        fig.tight_layout()
        fig.savefig(folder / "pr_curves.png", dpi=100)
        plt.close(fig)
        with open(folder / "pr_curves.json", "w", encoding="utf-8") as f:  # one-vs-rest, from the probabilities
            json.dump(aps, f, indent=2)
    return ci


def _per_class_tables(folder: Path, metrics: dict[str, Any]) -> None:
    """per_class.csv and per_class.md: the JSON's per_label, with ``predicted`` and whether macro-F1 averages
    the label (a label in neither the gold nor the predictions has scores 0 by convention, and is left out)."""
    per = metrics["per_label"]
    averaged = set(metrics.get("macro_f1_labels", per))
    with open(folder / "per_class.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["label", "precision", "recall", "f1", "support", "predicted", "in_macro_f1"])
        for l, m in per.items():
            w.writerow([l, f"{m['precision']:.4f}", f"{m['recall']:.4f}", f"{m['f1']:.4f}", m["support"],
                        m.get("predicted", ""), "yes" if l in averaged else "no"])
    with open(folder / "per_class.md", "w", encoding="utf-8") as f:
        f.write("| label | precision | recall | F1 | support | predicted |\n|---|---:|---:|---:|---:|---:|\n")
        for l, m in per.items():
            mark = "" if l in averaged else " *"
            f.write(f"| {l}{mark} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} | "
                    f"{m.get('predicted', '')} |\n")
        if averaged != set(per):
            f.write("\n\\* in neither the gold nor the predictions: scores 0 by convention, not part of macro-F1 "
                    f"({metrics['macro_f1']:.3f}, over {len(averaged)} label(s)).\n")
