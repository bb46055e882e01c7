"""Experiment (issue 5): how stable is the NICTA-PIBOSO weighted-F1 of ``sentence-roles``, and is a variant
better on both the dev file and 5-fold cross-validation by abstract?

Each variant is ``CONFIGS["sentence-roles"]`` with some ``params`` / ``features`` / ``context`` entries
replaced, built by ``scripts.build_learn_models.make_estimator`` and scored with its ``score`` (weighted-F1
over sentences). Dev: trained on train_clean.txt, scored on dev_clean.txt (80 abstracts, 801 sentences).
CV: the 800 abstracts of train + dev in 5 folds by abstract (``KFold(5, shuffle=True, random_state=0)``),
weighted-F1 of each fold and their mean.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    python -m benchmarks.learn.piboso_cv --shared ../shared [--variants base stack3 ...] [--no-cv]

Prints one JSON line per variant and evaluation (metrics only, no sentence text).

Measured: see the table at the end of this docstring (filled in from the run).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time

import numpy as np

from scripts import learn_data as D

# name -> {"params"|"features"|"context": {key: value}} overrides of CONFIGS["sentence-roles"]
VARIANTS: dict[str, dict[str, dict]] = {
    "base": {},
    "stack3": {"params": {"stack_window": 3}},
    "char25": {"features": {"char_ngram_range": (2, 5), "max_features_char": 60_000}},
    "balanced": {"params": {"class_weight": "balanced"}},
    "C2": {"params": {"C": 2.0}},
    "C05": {"params": {"C": 0.5}},
    "trans05": {"params": {"transition_weight": 0.5}},
    "trans0": {"params": {"transition_weight": 0.0}},
    "ctx2": {"context": {"window": 2}},
    "word13": {"features": {"word_ngram_range": (1, 3)}},
    "stackw2": {"params": {"stack_weight": 2.0}},
    "stackw5": {"params": {"stack_weight": 5.0}},
}


def variant_config(name: str) -> dict:
    from scripts.build_learn_models import CONFIGS

    cfg = copy.deepcopy(CONFIGS["sentence-roles"])
    for part, over in VARIANTS[name].items():
        cfg[part] = dict(cfg.get(part) or {}, **over)
    return cfg


def fit_score(cfg, Xt, yt, Xe, ye, labels) -> tuple[float, float]:
    """Weighted-F1 on (Xe, ye) of the configuration trained on (Xt, yt), and the fit time (s)."""
    from scripts.build_learn_models import make_estimator, score

    est = make_estimator("sentence-roles", cfg)
    t = time.perf_counter()
    est.fit(Xt, yt)
    fit_s = time.perf_counter() - t
    return score("sentences", ye, est.predict(Xe), labels)["weighted_f1"], fit_s


def cv_folds(n: int, k: int = 5):
    from sklearn.model_selection import KFold

    return list(KFold(k, shuffle=True, random_state=0).split(np.zeros(n)))


def main(argv: list[str] | None = None) -> int:
    from scripts.build_learn_models import piboso

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--variants", nargs="*", choices=sorted(VARIANTS), default=["base"])
    ap.add_argument("--no-cv", action="store_true", help="dev file only")
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"piboso_cv: no corpora under {args.shared}", file=sys.stderr)
        return 2
    Xt, yt, labels = piboso(args.shared, "train")
    Xd, yd, _ = piboso(args.shared, "dev")
    Xa, ya = Xt + Xd, yt + yd
    for name in args.variants:
        cfg = variant_config(name)
        dev, fit_s = fit_score(cfg, Xt, yt, Xd, yd, labels)
        out = {"variant": name, "dev": round(dev, 4), "dev_fit_s": round(fit_s)}
        if not args.no_cv:
            folds = []
            for tr, te in cv_folds(len(Xa)):
                f1, _ = fit_score(cfg, [Xa[i] for i in tr], [ya[i] for i in tr], [Xa[i] for i in te],
                                  [ya[i] for i in te], labels)
                folds.append(round(f1, 4))
            out.update(cv_folds=folds, cv_mean=round(float(np.mean(folds)), 4))
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
