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

Measured 2026-12-05 (helper 74; 2 shared cores, about 55 s per fit, 6 fits per variant), weighted-F1:

    variant                                  dev     CV folds 1-5                          CV mean
    base (shipped)                           0.8264  0.7888 0.7997 0.8199 0.7948 0.8137   0.8034
    stack3 (stack_window 3)                  0.8212  0.7929 0.8019 0.8196 0.7922 0.8146   0.8042
    char25 (+ char 2-5, 60k; fit 3x slower)  0.8224  0.7898 0.8089 0.8158 0.7968 0.8243   0.8071
    shape (length / numbers / % / p-value    0.8193  0.7937 0.7959 0.8262 0.7930 0.8221   0.8062
           / brackets / colon / no stop)
    ctx2 (neighbours' words window 2)        0.8238  0.7900 0.8024 0.8203 0.7945 0.8159   0.8046
    C2 (C = 2)                               0.8257  0.7916 0.8030 0.8210 0.7968 0.8139   0.8053
    balanced (class_weight balanced)         0.8049  0.7762 0.7906 0.8080 0.7911 0.8188   0.7969
    concepts (lexicon concept block, weight  0.8157  (not run: lower on dev)
              0.5, top-level MeSH trees)
    concepts3 (the same at weight 0.3)       0.8202  (not run)

The dev figure is optimistic: 5-fold CV by abstract gives 0.803 (folds 0.789-0.820, sd about 0.013 for
160-abstract folds, so about 0.018 for an 80-abstract set like dev). No variant is better on the dev file;
the CV gains (<= +0.004; higher on 3-5 of the 5 folds) are within the folds' spread. Nothing ships.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time

import numpy as np

from scripts import learn_data as D

# name -> {"params"|"features"|"context": {key: value}} overrides of CONFIGS["sentence-roles"];
# "text": {"shape": True} appends shape_words to every sentence (a prototype, not a package feature)
VARIANTS: dict[str, dict[str, dict]] = {
    "base": {},
    "stack3": {"params": {"stack_window": 3}},
    "char25": {"features": {"char_ngram_range": (2, 5), "max_features_char": 60_000}},
    "balanced": {"params": {"class_weight": "balanced"}},
    "C2": {"params": {"C": 2.0}},
    "ctx2": {"context": {"window": 2}},
    # lexicon concepts of each sentence (codes, ICD-10-CM chapters, top-level MeSH trees, mentions), as abstract-topics
    "concepts": {"features": {"concepts": True, "concept_weight": 0.5, "concept_trees": 1}},
    "concepts3": {"features": {"concepts": True, "concept_weight": 0.3, "concept_trees": 1}},
    # prototype: sentence-shape marker words appended to each sentence (see shape_words)
    "shape": {"text": {"shape": True}},
}
_PVAL = re.compile(r"\bp\s*[<=>\u2264\u2265]", re.I)
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


def shape_words(sentence: str) -> str:
    """Marker words (letters only, so the word analyzer keeps them) for a sentence's shape: length in
    tokens, count of numbers, a percent sign, a p-value, brackets, a colon / semicolon, no final full stop."""
    toks = sentence.split()
    n = len(toks)
    out = ["zzlen" + "abcde"[(n > 5) + (n > 10) + (n > 20) + (n > 30)]]
    k = len(_NUM.findall(sentence))
    out.append("zznum" + "abcd"[(k > 0) + (k > 1) + (k > 3)])
    if "%" in sentence:
        out.append("zzpct")
    if _PVAL.search(sentence):
        out.append("zzpval")
    if "(" in sentence:
        out.append("zzparen")
    if ":" in sentence or ";" in sentence:
        out.append("zzcolon")
    if not sentence.rstrip().endswith("."):
        out.append("zznostop")
    return sentence + " . " + " ".join(out)


def text_of(cfg: dict, X):
    if (cfg.get("text") or {}).get("shape"):
        return [[shape_words(s) for s in a] for a in X]
    return X


def variant_config(name: str) -> dict:
    from scripts.build_learn_models import CONFIGS

    cfg = copy.deepcopy(CONFIGS["sentence-roles"])
    cfg.pop("text", None)
    for part, over in VARIANTS[name].items():
        cfg[part] = dict(cfg.get(part) or {}, **over)
    return cfg


def fit_score(cfg, Xt, yt, Xe, ye, labels) -> tuple[float, float]:
    """Weighted-F1 on (Xe, ye) of the configuration trained on (Xt, yt), and the fit time (s)."""
    from scripts.build_learn_models import make_estimator, score

    est = make_estimator("sentence-roles", {k: v for k, v in cfg.items() if k != "text"})
    t = time.perf_counter()
    est.fit(text_of(cfg, Xt), yt)
    fit_s = time.perf_counter() - t
    return score("sentences", ye, est.predict(text_of(cfg, Xe)), labels)["weighted_f1"], fit_s


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
