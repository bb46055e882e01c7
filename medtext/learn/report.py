"""Evaluation report folder: confusion matrix and precision-recall curves (PNG), per-class table
(CSV + Markdown), bootstrap confidence intervals (JSON). Uses matplotlib's Agg backend.

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


def bootstrap_ci(gold, pred, kind: str, labels, n_boot: int = 1000, seed: int = 0, alpha: float = 0.05):
    """Percentile bootstrap (resampling records) of the headline metrics."""
    from .api import classification_metrics, regression_metrics

    rng = np.random.default_rng(seed)
    n = len(gold)
    keys = ("rmse", "mae", "r2") if kind == "regressor" else ("accuracy", "macro_f1", "weighted_f1", "micro_f1")
    samples: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        g = [gold[i] for i in idx]
        p = [pred[i] for i in idx]
        m = regression_metrics(g, p) if kind == "regressor" else classification_metrics(
            g, p, labels, multilabel=kind == "multilabel")
        for k in keys:
            if m[k] is not None:  # r2 is undefined on a resample of equal gold values
                samples[k].append(m[k])
    return {k: {"low": float(np.percentile(v, 100 * alpha / 2)) if v else None,
                "high": float(np.percentile(v, 100 * (1 - alpha / 2))) if v else None,
                "level": 1 - alpha, "n_boot": n_boot} for k, v in samples.items()}


def write_report(folder: str | os.PathLike, model, gold: Sequence, pred: Sequence, proba, metrics: dict[str, Any],
                 n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kind = model.kind
    ci = bootstrap_ci(list(gold), list(pred), kind, model.labels, n_boot=n_boot, seed=seed)
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
    per = metrics["per_label"]
    with open(folder / "per_class.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["label", "precision", "recall", "f1", "support"])
        for l, m in per.items():
            w.writerow([l, f"{m['precision']:.4f}", f"{m['recall']:.4f}", f"{m['f1']:.4f}", m["support"]])
    with open(folder / "per_class.md", "w", encoding="utf-8") as f:
        f.write("| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n")
        for l, m in per.items():
            f.write(f"| {l} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |\n")
    labels = list(model.labels)
    pos = {l: i for i, l in enumerate(labels)}
    if kind == "multilabel":
        # per label 2x2 counts: rows gold yes/no, columns predicted yes/no
        cm = np.zeros((len(labels), 4), dtype=int)
        for g, p in zip(gold, pred):
            for l in labels:
                cm[pos[l]] += np.array([l in g and l in p, l in g and l not in p, l not in g and l in p,
                                        l not in g and l not in p], dtype=int)
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.5))
        ax.imshow(cm, cmap="Blues", aspect="auto")
        ax.set_xticks(range(4), ["TP", "FN", "FP", "TN"])
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        for i in range(len(labels)):
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
            json.dump({"labels": labels, "columns": ["TP", "FN", "FP", "TN"], "matrix": cm.tolist()}, f)
        else:  # rows gold, columns predicted, over the model's labels then gold labels it does not know
            json.dump({"labels": all_l, "matrix": cm.tolist()}, f)
    if proba is not None:
        from sklearn.metrics import average_precision_score, precision_recall_curve

        fig, ax = plt.subplots(figsize=(6, 5))
        for j, l in enumerate(labels):
            y = np.array([(l in g) if kind == "multilabel" else (str(g) == l) for g in gold], dtype=int)
            if y.sum() == 0:
                continue
            prec, rec, _ = precision_recall_curve(y, proba[:, j])
            ap = average_precision_score(y, proba[:, j])
            ax.plot(rec, prec, label=f"{l} (AP {ap:.2f})")
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
    return ci
