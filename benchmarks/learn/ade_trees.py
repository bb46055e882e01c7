"""Experiment (issue 5): MeSH tree features of disease mentions (``ClinicalTfidf(concept_trees=...)``) in the
ADE sentence model, on the three 80/20 PMID splits of benchmarks/learn/RESULTS.md (``group_split`` salts
medtext / s2 / s3). Each variant is ``CONFIGS["ade-sentences"]`` with its ``features`` updated; the
pair block and pair head are unchanged (they never see concept or tree tokens).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    python -m benchmarks.learn.ade_trees --shared ../shared [--variants base concepts_t1_w03 ...] [--salts medtext s2 s3]

Prints one JSON line per variant and split and a summary line per variant (metrics only, no sentence text).

Measured 2026-12-05 (helper 55), F1(ade) medtext / s2 / s3 (mean; about 15 s per fit):
- base (shipped)                              0.7914 / 0.7734 / 0.7652 (0.7767)
- concepts_t1_w03 (codes/chapters/mentions + tree1, weight 0.3)  0.7926 / 0.7760 / 0.7642 (0.7776)
- concepts_t1_w05 (the same, weight 0.5)      0.7906 / 0.7804 / 0.7615 (0.7775)
- concepts_t2_w03 (+ tree2, weight 0.3)       0.7906 / 0.7769 / 0.7634 (0.7770)
- concepts_t0_w03 (no trees, weight 0.3)      0.7911 / 0.7795 / 0.7650 (0.7785)
- trees1_only_w02 / _w05 (tree1 block alone)  0.7924 / 0.7754 / 0.7621 (0.7766) / 0.7919 / 0.7666 / 0.7611 (0.7732)
- trees2_only_w05 (tree1 + tree2 block alone) 0.7946 / 0.7677 / 0.7663 (0.7762)
No variant is higher on all three splits, and every mean is within +-0.004 of the shipped model's; the
trees add nothing over the concept block without them. Nothing ships.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time

import numpy as np

from scripts import learn_data as D

VARIANTS = {
    "base": {},
    "concepts_t1_w03": {"concepts": True, "concept_trees": 1, "concept_weight": 0.3},
    "concepts_t1_w05": {"concepts": True, "concept_trees": 1, "concept_weight": 0.5},
    "concepts_t2_w03": {"concepts": True, "concept_trees": 2, "concept_weight": 0.3},
    "concepts_t0_w03": {"concepts": True, "concept_weight": 0.3},
    # concept_kinds=() leaves a one-column concepts block (the 'no concept' token); the trees get their own block
    "trees1_only_w02": {"concepts": True, "concept_kinds": (), "concept_trees": 1, "tree_weight": 0.2},
    "trees1_only_w05": {"concepts": True, "concept_kinds": (), "concept_trees": 1, "tree_weight": 0.5},
    "trees2_only_w05": {"concepts": True, "concept_kinds": (), "concept_trees": 2, "tree_weight": 0.5},
}
POS = "ade"


def main(argv: list[str] | None = None) -> int:
    from scripts.build_learn_models import CONFIGS, fit_kwargs, make_estimator, xy

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--variants", nargs="*", choices=sorted(VARIANTS), default=list(VARIANTS))
    ap.add_argument("--salts", nargs="*", default=["medtext", "s2", "s3"])
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"ade_trees: no corpora under {args.shared}", file=sys.stderr)
        return 2
    rows = D.ade_sentences(args.shared)
    labels = ["ade", "no_ade"]
    for variant in args.variants:
        f1s = []
        for salt in args.salts:
            train, dev = D.group_split(rows, salt=salt)
            cfg = copy.deepcopy(CONFIGS["ade-sentences"])
            cfg["features"].update(VARIANTS[variant])
            est = make_estimator("ade-sentences", cfg)
            Xt, yt = xy("classify", train, labels)
            Xd, yd = xy("classify", dev, labels)
            t = time.perf_counter()
            est.fit(Xt, yt, **fit_kwargs("ade-sentences", train, labels))
            fit_s = time.perf_counter() - t
            gold, pred = (yd == POS), (np.asarray(est.predict(Xd)) == POS)
            tp = float((gold & pred).sum())
            p, r = tp / max(pred.sum(), 1), tp / max(gold.sum(), 1)
            f1 = 2 * p * r / max(p + r, 1e-12)
            f1s.append(f1)
            print(json.dumps({"variant": variant, "salt": salt, "n_dev": len(dev), "f1_ade": round(f1, 4),
                              "p": round(p, 4), "r": round(r, 4), "fit_s": round(fit_s)}), flush=True)
        print(json.dumps({"variant": variant, "mean_f1_ade": round(float(np.mean(f1s)), 4)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
