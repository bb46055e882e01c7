"""Experiment (issue 5): how the shipped Hallmarks-of-Cancer model varies over 80/20 PMID splits, and
whether a change is better on all of them.

Each fit variant is ``CONFIGS["hallmarks"]`` with its ``params`` / ``features`` updated, fitted on the
training part of a split (``group_split`` salts medtext / s2 / s3 ...) as ``scripts/build_learn_models.py``
fits it (``make_estimator``, ``fit_kwargs``), and scored on the dev part with the same ``score`` (micro-F1).
Decision rules on top of a fitted variant: ``fixed`` (its own mix and threshold) and rules whose mix /
thresholds are tuned by 5-fold cross-validation *inside the training part* (out-of-fold document-head and
line-max probabilities; the dev part is never looked at): ``cv-thr`` (one threshold), ``cv-mix-thr``
(mix and one threshold), ``cv-label-thr`` (one threshold per label, coordinate ascent on micro-F1).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    python -m benchmarks.learn.hoc_margin --shared ../shared [--variants base ...] [--salts medtext s2 s3] [--inner 5]

Prints one JSON line per variant, split and rule, and a summary line per variant and rule (metrics only,
no abstract text).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time

import numpy as np

from scripts import learn_data as D

# name -> (params update, features update)
VARIANTS: dict[str, tuple[dict, dict]] = {
    "base": ({}, {}),
    "C10": ({"C": 10.0, "line_C": 10.0}, {}),
    "C1": ({"C": 1.0, "line_C": 1.0}, {}),
    "char1-5": ({}, {"char_ngram_range": (1, 5)}),
    "feat100k": ({}, {"max_features_word": 100_000, "max_features_char": 100_000}),
    "concepts": ({}, {"concepts": True, "concept_trees": 1, "concept_weight": 0.5}),
}
RULES = ("fixed", "cv-thr", "cv-mix-thr", "cv-label-thr")
GRID_THR = np.round(np.arange(0.2, 0.801, 0.025), 3)
GRID_MIX = np.round(np.arange(0.0, 1.001, 0.1), 2)


def micro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Tuning objective only (the reported figures use build_learn_models.score)."""
    tp = float((Y & P).sum())
    return 2 * tp / max(float(Y.sum() + P.sum()), 1.0)


def components(est, X) -> tuple[np.ndarray, np.ndarray]:
    """(document-head, max-over-lines) probabilities of a fitted LineMaxMultiLabel."""
    mix = est.mix
    try:
        est.mix = 1.0
        p_doc = est.predict_proba(X)
        est.mix = 0.0
        p_line = est.predict_proba(X)
    finally:
        est.mix = mix
    return p_doc, p_line


def tune(Y: np.ndarray, p_doc: np.ndarray, p_line: np.ndarray, mix: float, rule: str) -> tuple[float, np.ndarray]:
    """(mix, per-label thresholds) chosen on out-of-fold probabilities for ``rule``."""
    k = Y.shape[1]
    mixes = GRID_MIX if rule == "cv-mix-thr" else [mix]
    best = (-1.0, mix, np.full(k, 0.5))
    for m in mixes:
        p = m * p_doc + (1 - m) * p_line
        for t in GRID_THR:
            f = micro_f1(Y, p >= t)
            if f > best[0] + 1e-12:
                best = (f, float(m), np.full(k, float(t)))
    if rule != "cv-label-thr":
        return best[1], best[2]
    m, thr = best[1], best[2].copy()
    p = m * p_doc + (1 - m) * p_line
    for _ in range(3):  # coordinate ascent, labels in order
        for j in range(k):
            scores = []
            for t in GRID_THR:
                thr_j = thr.copy()
                thr_j[j] = t
                scores.append(micro_f1(Y, p >= thr_j[None, :]))
            thr[j] = GRID_THR[int(np.argmax(scores))]
    return m, thr


def fit_variant(cfg, train, labels):
    from scripts.build_learn_models import fit_kwargs, make_estimator, xy

    Xt, Yt = xy("multilabel", train, labels)
    est = make_estimator("hallmarks", cfg)
    est.fit(Xt, Yt, **fit_kwargs("hallmarks", train, labels))
    return est


def oof(cfg, train, labels, folds: int):
    """Out-of-fold (p_doc, p_line) on the training part (documents are their own PMID groups)."""
    from sklearn.model_selection import KFold

    from scripts.build_learn_models import xy

    Xt, Yt = xy("multilabel", train, labels)
    p_doc, p_line = np.zeros(Yt.shape), np.zeros(Yt.shape)
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(Xt):
        est = fit_variant(cfg, [train[i] for i in tr], labels)
        d, l = components(est, [Xt[i] for i in te])
        p_doc[te], p_line[te] = d, l
    return Yt, p_doc, p_line


def main(argv: list[str] | None = None) -> int:
    from scripts.build_learn_models import CONFIGS, labels_of, score, xy

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--variants", nargs="*", choices=sorted(VARIANTS), default=["base"])
    ap.add_argument("--salts", nargs="*", default=["medtext", "s2", "s3"])
    ap.add_argument("--inner", type=int, default=5, help="inner CV folds for the cv-* rules (0: fixed rule only)")
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"hoc_margin: no corpora under {args.shared}", file=sys.stderr)
        return 2
    rows = D.hallmarks(args.shared)
    labels = labels_of("multilabel", rows)
    rules = RULES if args.inner else ("fixed",)
    for variant in args.variants:
        cfg = copy.deepcopy(CONFIGS["hallmarks"])
        cfg["params"].update(VARIANTS[variant][0])
        cfg["features"].update(VARIANTS[variant][1])
        mix0, thr0 = float(cfg["params"]["mix"]), float(cfg["params"]["threshold"])
        scores: dict[str, list[float]] = {r: [] for r in rules}
        for salt in args.salts:
            train, dev = D.group_split(rows, salt=salt)
            t = time.perf_counter()
            est = fit_variant(cfg, train, labels)
            fit_s = time.perf_counter() - t
            Xd, Yd = xy("multilabel", dev, labels)
            d_doc, d_line = components(est, Xd)
            if args.inner:
                t = time.perf_counter()
                Yo, o_doc, o_line = oof(cfg, train, labels, args.inner)
                inner_s = time.perf_counter() - t
            for rule in rules:
                if rule == "fixed":
                    m, thr = mix0, np.full(len(labels), thr0)
                    pred = est.predict(Xd)  # the estimator's own decision (checked against the components below)
                    assert np.array_equal(pred, (mix0 * d_doc + (1 - mix0) * d_line >= thr0).astype(int))
                else:
                    m, thr = tune(Yo, o_doc, o_line, mix0, rule)
                    pred = ((m * d_doc + (1 - m) * d_line) >= thr[None, :]).astype(int)
                f = score("multilabel", Yd, pred, labels)["micro_f1"]
                scores[rule].append(f)
                out = {"variant": variant, "salt": salt, "rule": rule, "n_dev": len(dev), "micro_f1": round(f, 4),
                       "mix": m, "thresholds": [float(x) for x in thr], "fit_s": round(fit_s)}
                if rule != "fixed":
                    out["inner_s"] = round(inner_s)
                print(json.dumps(out), flush=True)
        for rule in rules:
            print(json.dumps({"variant": variant, "rule": rule, "per_split": [round(x, 4) for x in scores[rule]],
                              "mean_micro_f1": round(float(np.mean(scores[rule])), 4)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
