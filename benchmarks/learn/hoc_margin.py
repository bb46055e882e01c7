"""Experiment (issue 5): how the shipped Hallmarks-of-Cancer model varies over 80/20 PMID splits, and
whether a change is better on all of them.

Each fit variant is ``CONFIGS["hallmarks"]`` with its ``params`` / ``features`` updated, fitted on the
training part of a split (``group_split`` salts medtext / s2 / s3 ...) as ``scripts/build_learn_models.py``
fits it (``make_estimator``, ``fit_kwargs``), and scored on the dev part with the same ``score`` (micro-F1).
Decision rules on top of a fitted variant: ``fixed`` (its own mix and threshold) and rules whose mix /
thresholds are tuned by 5-fold cross-validation *inside the training part* (out-of-fold document-head and
line-max probabilities; the dev part is never looked at): ``cv-thr`` (one threshold), ``cv-mix-thr``
(mix and one threshold), ``cv-label-thr`` (one threshold per label, coordinate ascent on micro-F1),
``cv-label-mix`` (one mix per label and one threshold), ``cv-stack-own`` / ``cv-stack`` (a logistic
regression per label on the logits of its own document / max / second / mean line probabilities, or on the
document and max logits of every label, i.e. label co-occurrence; threshold from its own 5-fold predictions).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    python -m benchmarks.learn.hoc_margin --shared ../shared [--variants base ...] [--salts medtext s2 s3] [--inner 5]
        [--rules fixed cv-thr ...] [--cache DIR] [--bootstrap N]

The figures below: ``--variants base C1 --cache DIR`` (all rules), then ``--inner 0 --variants C10 C1 char1-5
feat100k no-cw line-svm word1-3 doc-nbsvm line-nbsvm concepts``, and ``--salts s4 s5 s6`` with ``--inner 0
--variants base`` and ``--variants C1 --rules fixed cv-thr cv-stack``.

Prints one JSON line per variant, split and rule, and a summary line per variant and rule (metrics only,
no abstract text). ``--cache DIR`` keeps each fit's probabilities (no text) so rules can be re-scored.

Measured 2026-12-05 (helper 73), micro-F1 medtext / s2 / s3 (mean); about 25 s per fit, 2.5 min per split
for the 5-fold inner CV:
- base (shipped), fixed                      0.7893 / 0.7897 / 0.8196 (0.7995)
- base, cv-thr (chose 0.45 / 0.425 / 0.425)  0.7901 / 0.8000 / 0.8073 (0.7992)
- base, cv-mix-thr                           0.7901 / 0.7876 / 0.8147 (0.7975)
- base, cv-label-thr                         0.7884 / 0.7940 / 0.8082 (0.7969)
- base, cv-label-mix (a mix per label)       0.7847 / 0.7924 / 0.8073 (0.7948)
- base, cv-stack-own (each label's doc / max / second / mean line logits)  0.7856 / 0.7876 / 0.8117 (0.7950)
- base, cv-stack (every label's doc + max logits: label co-occurrence)    0.7810 / 0.8044 / 0.8165 (0.8006)
- C1 (C = line_C = 1), fixed                 0.7916 / 0.8005 / 0.8151 (0.8024); cv-thr 0.7916 / 0.7967 / 0.8151
  (0.8011); cv-label-thr 0.7975 mean; cv-label-mix 0.7969; cv-stack-own 0.7961
- C1, cv-stack                               0.7987 / 0.8005 / 0.8233 (0.8075): the only variant higher than
  base on all three splits with mean gain >= 0.005, so it was checked on three fresh splits (salts s4 / s5 / s6):
  base 0.7896 / 0.8406 / 0.8145 (0.8149), C1 cv-stack 0.7945 / 0.8414 / 0.7927 (0.8095), C1 fixed 0.7779 /
  0.8421 / 0.8032 (0.8078), C1 cv-thr 0.7779 / 0.8421 / 0.8061 (0.8087): worse, a selection effect.
- C10 0.7676 / 0.7725 / 0.8063 (0.7821); char 1-5 0.7911 / 0.7907 / 0.8189 (0.8002); word 1-3 0.7897 /
  0.7939 / 0.8203 (0.8013; +0.002); feat100k identical to base (the 80% training parts have < 50,000 word and
  char n-grams at min_df 2, so the caps do not bind); concept block with MeSH trees (weight 0.5) 0.7884 /
  0.7975 / 0.8068 (0.7976); NB-SVM document head (C=0.01) 0.7904 / 0.7776 / 0.8126 (0.7936); NB-SVM line
  head 0.7559 / 0.7591 / 0.7925 (0.7692); calibrated-SVM line head (C=0.3) 0.7573 mean; no class weights
  (threshold 0.5) 0.5794 mean.
Nothing ships. The shipped configuration over the six splits: 0.789-0.841, mean 0.807 (sd 0.021); the
shipped split (salt medtext) is the lowest with s2 and s4 (0.789-0.790). Resampling one ~300-abstract dev
part (``--variants base --inner 0 --salts medtext s2 s3 s4 s5 s6 --bootstrap 200``) gives sd 0.013-0.017, and a share
below 0.78 of 0.25-0.28 on the three 0.789 splits (0-0.01 on the others).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

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
    "no-cw": ({"class_weight": None, "line_class_weight": None}, {}),
    "line-svm": ({"line_algorithm": "svm", "line_C": 0.3}, {}),
    "word1-3": ({}, {"word_ngram_range": (1, 3)}),
    # NB-SVM heads (medtext.learn.nbsvm_multilabel; C and power as abstract-topics uses them)
    "doc-nbsvm": ({"doc_nbsvm": {"C": 0.01}}, {}),
    "line-nbsvm": ({"line_nbsvm": {"C": 0.01}}, {}),
}
RULES = ("fixed", "cv-thr", "cv-mix-thr", "cv-label-thr", "cv-label-mix", "cv-stack-own", "cv-stack")
GRID_THR = np.round(np.arange(0.2, 0.801, 0.025), 3)
GRID_MIX = np.round(np.arange(0.0, 1.001, 0.1), 2)
PARTS = ("doc", "max", "second", "mean")  # document head; max, second largest and mean of the line head over lines


def micro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Tuning objective only (the reported figures use build_learn_models.score)."""
    tp = float((Y.astype(bool) & P.astype(bool)).sum())
    return 2 * tp / max(float(Y.sum() + P.sum()), 1.0)


def components(est, X) -> dict[str, np.ndarray]:
    """Document-head probabilities and the max / second largest / mean line-head probabilities of a fitted
    LineMaxMultiLabel (``mix * doc + (1 - mix) * max`` is its predict_proba, checked)."""
    from medtext.learn.models import split_lines

    X = list(X)
    p_doc = est.doc_head_.predict_proba(est.features_.transform(X))
    lines = [split_lines(x) for x in X]
    p_line = est.line_head_.predict_proba(est.features_.transform([l for ls in lines for l in ls]))
    out = {"doc": p_doc, **{k: np.empty_like(p_doc) for k in PARTS[1:]}}
    i = 0
    for j, ls in enumerate(lines):
        block = np.sort(p_line[i:i + len(ls)], axis=0)
        out["max"][j], out["mean"][j] = block[-1], block.mean(axis=0)
        out["second"][j] = block[-2] if len(ls) > 1 else 0.0
        i += len(ls)
    assert np.allclose(est.predict_proba(X), est.mix * p_doc + (1 - est.mix) * out["max"], rtol=0, atol=1e-12)
    return out


def best_threshold(Y, p) -> tuple[float, float]:
    return max(((micro_f1(Y, p >= t), float(t)) for t in GRID_THR), key=lambda x: x[0])


def stack_features(c: dict[str, np.ndarray], own: bool, j: int) -> np.ndarray:
    """Logits of the components: label j's own four, or (``own=False``) document and max of every label."""
    lg = {k: np.log(np.clip(v, 1e-6, 1 - 1e-6) / (1 - np.clip(v, 1e-6, 1 - 1e-6))) for k, v in c.items()}
    if own:
        return np.column_stack([lg[k][:, j] for k in PARTS])
    return np.hstack([lg["doc"], lg["max"]])


def decide(rule: str, oof_c, Yo, dev_c, mix: float, thr: float) -> tuple[np.ndarray, dict]:
    """0/1 predictions on the dev part for ``rule``, its parameters chosen on ``(oof_c, Yo)`` only."""
    k = Yo.shape[1] if Yo is not None else dev_c["doc"].shape[1]
    mixed = lambda c, m: m * c["doc"] + (1 - m) * c["max"]
    if rule == "fixed":
        return (mixed(dev_c, mix) >= thr).astype(int), {"mix": mix, "threshold": thr}
    if rule in ("cv-thr", "cv-mix-thr", "cv-label-thr"):
        mixes = GRID_MIX if rule == "cv-mix-thr" else [mix]
        _, t, m = max((best_threshold(Yo, mixed(oof_c, mm)) + (float(mm),) for mm in mixes), key=lambda x: x[0])
        thrs = np.full(k, t)
        if rule == "cv-label-thr":
            p = mixed(oof_c, m)
            for _ in range(3):  # coordinate ascent on micro-F1, labels in order
                for j in range(k):
                    scores = []
                    for tt in GRID_THR:
                        trial = thrs.copy()
                        trial[j] = tt
                        scores.append(micro_f1(Yo, p >= trial[None, :]))
                    thrs[j] = GRID_THR[int(np.argmax(scores))]
        return (mixed(dev_c, m) >= thrs[None, :]).astype(int), {"mix": m, "thresholds": thrs.tolist()}
    if rule == "cv-label-mix":
        mixes, t = np.full(k, mix), thr
        for _ in range(3):
            for j in range(k):
                scores = []
                for mm in GRID_MIX:
                    trial = mixes.copy()
                    trial[j] = mm
                    scores.append(best_threshold(Yo, trial * oof_c["doc"] + (1 - trial) * oof_c["max"]))
                f_t = max(scores, key=lambda x: x[0])
                mixes[j], t = GRID_MIX[scores.index(f_t)], f_t[1]
        return ((mixes * dev_c["doc"] + (1 - mixes) * dev_c["max"]) >= t).astype(int), {"mixes": mixes.tolist(), "threshold": t}
    # stacking: one logistic regression per label on the components' logits, fitted on the out-of-fold ones;
    # its threshold from its own cross-validated predictions on the same out-of-fold rows
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    own = rule == "cv-stack-own"
    p_oof, p_dev = np.zeros(Yo.shape), np.zeros((len(dev_c["doc"]), k))
    for j in range(k):
        Fo, Fd = stack_features(oof_c, own, j), stack_features(dev_c, own, j)
        lr = LogisticRegression(C=1.0, max_iter=2000)
        p_oof[:, j] = cross_val_predict(lr, Fo, Yo[:, j], cv=5, method="predict_proba")[:, 1]
        p_dev[:, j] = lr.fit(Fo, Yo[:, j]).predict_proba(Fd)[:, 1]
    f, t = best_threshold(Yo, p_oof)
    return (p_dev >= t).astype(int), {"threshold": t}


def fit_variant(cfg, train, labels):
    from scripts.build_learn_models import fit_kwargs, make_estimator, xy

    from medtext.learn.nbsvm_multilabel import MultiLabelNBSVM

    Xt, Yt = xy("multilabel", train, labels)
    cfg = copy.deepcopy(cfg)
    nb = {k: cfg["params"].pop(k) for k in ("doc_nbsvm", "line_nbsvm") if k in cfg["params"]}
    est = make_estimator("hallmarks", cfg)
    if "doc_nbsvm" in nb:
        est.set_params(doc_head=MultiLabelNBSVM(**nb["doc_nbsvm"]))
    if "line_nbsvm" in nb:
        est.set_params(line_head=MultiLabelNBSVM(**nb["line_nbsvm"]))
    est.fit(Xt, Yt, **fit_kwargs("hallmarks", train, labels))
    return est


def oof(cfg, train, labels, folds: int):
    """Out-of-fold components on the training part (documents are their own PMID groups)."""
    from sklearn.model_selection import KFold

    from scripts.build_learn_models import xy

    Xt, Yt = xy("multilabel", train, labels)
    out = {k: np.zeros(Yt.shape) for k in PARTS}
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(Xt):
        c = components(fit_variant(cfg, [train[i] for i in tr], labels), [Xt[i] for i in te])
        for k in PARTS:
            out[k][te] = c[k]
    return Yt, out


def split_components(variant, cfg, salt, train, dev, labels, inner: int, cache: Path | None):
    """(dev gold, dev components, out-of-fold gold or None, out-of-fold components or None, fit s), cached."""
    from scripts.build_learn_models import xy

    path = cache / f"{variant}-{salt}-{inner}.npz" if cache else None
    if path and path.exists():
        z = np.load(path)
        get = lambda pre: {k: z[f"{pre}_{k}"] for k in PARTS}
        return z["Yd"], get("dev"), (z["Yo"] if inner else None), (get("oof") if inner else None), float(z["fit_s"])
    t = time.perf_counter()
    est = fit_variant(cfg, train, labels)
    fit_s = time.perf_counter() - t
    Xd, Yd = xy("multilabel", dev, labels)
    dev_c = components(est, Xd)
    Yo, oof_c = oof(cfg, train, labels, inner) if inner else (None, None)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"Yd": Yd, "fit_s": fit_s, **{f"dev_{k}": v for k, v in dev_c.items()}}
        if inner:
            arrays.update({"Yo": Yo, **{f"oof_{k}": v for k, v in oof_c.items()}})
        np.savez(path, **arrays)
    return Yd, dev_c, Yo, oof_c, fit_s


def main(argv: list[str] | None = None) -> int:
    from scripts.build_learn_models import CONFIGS, labels_of, score

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--variants", nargs="*", choices=sorted(VARIANTS), default=["base"])
    ap.add_argument("--salts", nargs="*", default=["medtext", "s2", "s3"])
    ap.add_argument("--inner", type=int, default=5, help="inner CV folds for the cv-* rules (0: fixed rule only)")
    ap.add_argument("--rules", nargs="*", choices=RULES, default=None)
    ap.add_argument("--bootstrap", type=int, default=0,
                    help="resamples of each dev part for the fixed rule's spread (sd, share below the 0.78 target)")
    ap.add_argument("--cache", default=None, help="folder for the fitted components (probabilities only), reused")
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"hoc_margin: no corpora under {args.shared}", file=sys.stderr)
        return 2
    rows = D.hallmarks(args.shared)
    labels = labels_of("multilabel", rows)
    rules = args.rules or (RULES if args.inner else ("fixed",))
    for variant in args.variants:
        cfg = copy.deepcopy(CONFIGS["hallmarks"])
        cfg["params"].update(VARIANTS[variant][0])
        cfg["features"].update(VARIANTS[variant][1])
        mix0, thr0 = float(cfg["params"]["mix"]), float(cfg["params"]["threshold"])
        scores: dict[str, list[float]] = {r: [] for r in rules}
        for salt in args.salts:
            train, dev = D.group_split(rows, salt=salt)
            Yd, dev_c, Yo, oof_c, fit_s = split_components(variant, cfg, salt, train, dev, labels, args.inner,
                                                          Path(args.cache) if args.cache else None)
            for rule in rules:
                pred, chosen = decide(rule, oof_c, Yo, dev_c, mix0, thr0)
                f = score("multilabel", Yd, pred, labels)["micro_f1"]
                scores[rule].append(f)
                if rule == "fixed" and args.bootstrap:
                    rng = np.random.default_rng(0)
                    boot = np.array([score("multilabel", Yd[i], pred[i], labels)["micro_f1"]
                                     for i in (rng.integers(0, len(Yd), len(Yd)) for _ in range(args.bootstrap))])
                    chosen = dict(chosen, boot_sd=round(float(boot.std()), 4),
                                  boot_below_078=round(float((boot < 0.78).mean()), 3))
                print(json.dumps({"variant": variant, "salt": salt, "rule": rule, "n_dev": len(dev),
                                  "micro_f1": round(f, 4), "fit_s": round(fit_s), **chosen}), flush=True)
        for rule in rules:
            print(json.dumps({"variant": variant, "rule": rule, "per_split": [round(x, 4) for x in scores[rule]],
                              "mean_micro_f1": round(float(np.mean(scores[rule])), 4)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
