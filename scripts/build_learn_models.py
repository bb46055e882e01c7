"""Train medtext's shipped learn models from the shared corpora (train/dev data only).

    python -m scripts.build_learn_models --shared ../shared [--only NAME ...] [--out models] [--no-dev]

For each model it (1) measures the chosen configuration on held-out shared data —
5-fold cross-validation for Medical Abstracts (only 1,444 abstracts are shared), an
80/20 split by document id for HoC (PMID), ADE (PMID) and Druglib (review id), the
dev file for NICTA-PIBOSO — then (2) retrains on all shared data and writes
``models/<name>/`` with those held-out figures in meta.json. The configurations below
were chosen on the same held-out data (see benchmarks/learn/RESULTS.md); the test
splits are not in ../shared and were never used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from scripts import learn_data as D

# ---------------------------------------------------------------------------- configurations

CONFIGS: dict[str, dict[str, Any]] = {
    "abstract-topics": {
        # 5-fold CV macro-F1: calibrated SVM 0.589 (C=0.1) > 0.581 (C=0.3); logistic regression on the
        # same features 0.575 (C=3, balanced), on words only 0.557; bias tuning and LR+SVM ensembles
        # did not help in nested CV. + concept block (lexicon codes, ICD-10-CM chapters, mentions;
        # 2026-12-02): weight 0.3 0.605, 0.5 0.613, 0.7 0.614, 1.0 0.606 (ADE F1 0.707 vs 0.714 without).
        # Lexicon with the MeSH disease terms (later 2026-12-02): weight 0.5 0.609, 0.7 0.612, 1.0 0.602;
        # with trees C/F03 only and disease acronyms: weight 0.5 0.612; with the dictionaries' MeSH ids
        # replaced by the training corpora's: 0.613.
        # 2026-12-04, judged by 5-fold CV repeated with seeds 0-9 (mean; paired per seed): the calibrated SVM
        # above 0.611 (sd 0.003); NB-SVM (medtext.learn.nbsvm: one-vs-rest LinearSVC on features scaled by
        # |NB log-count ratio|^0.5, folded back into a plain linear head) C=0.01 0.622, better on all 10
        # seeds (+0.001 to +0.021). Seeds 0-2: power 1.0 0.614 (C=0.003), 0.7 0.621; C=0.003
        # 0.624, 0.03 0.621, 0.1 0.611; power 0.3 at C=0.03 0.620; alpha 0.5 0.623; the same one-vs-rest SVM without the ratios
        # (power 0) 0.614; concept weight 0.3 0.617, 0.8 0.619; char weight 0.7 0.618; a title block
        # (first sentence; words, chars or concepts) with the old SVM 0.605-0.615.
        # 2026-12-05 (helper 54), + MeSH tree tokens of each disease term (medtext.features.mesh_trees; tree1=C04
        # top level, tree2=C04.557 second level), same protocol, mean (sd) and paired difference against the
        # configuration above (0.6223, sd 0.0067; per seed 0.616 0.623 0.633 0.611 0.622 0.619 0.630 0.620 0.621
        # 0.629): in the concept block, top level, concept weight 0.5 0.6376 (+0.015, better on 10/10 seeds, min
        # +0.010), 0.6 0.6391 (+0.017, 10/10), 0.7 0.6382 (+0.016, 10/10, min +0.010; per seed 0.636 0.635 0.643
        # 0.633 0.637 0.641 0.640 0.636 0.636 0.645), 1.0 0.6388 (+0.017, 10/10); top + second level, weight 0.5
        # 0.6356 (+0.013), 0.7 0.6350 (+0.013, 9/10), 1.0 0.6353; trees in a block of their own beside the
        # concept block at 0.5: top level weight 0.3 0.6344, 0.5 0.6288 (9/10); top + second level 0.3 0.6352,
        # 0.5 0.6339; concept block 0.7 + second-level tree block 0.5 0.6358. Chosen: top level in the concept
        # block at weight 0.7 (the middle of the flat 0.5-1.0 range).
        "task": "classify", "algorithm": "nbsvm",
        "params": {"C": 0.01, "power": 0.5, "alpha": 1.0, "class_weight": "balanced"},
        "features": {"word_ngram_range": (1, 2), "char_ngram_range": (2, 5), "min_df": 2,
                     "max_features_word": None, "max_features_char": 60_000, "concepts": True, "concept_weight": 0.7,
                     "concept_trees": 1},
        "description": "Medical Abstracts TC: medical_tc_test.even_rows.csv (1,444 abstracts; half of the official test file)",
    },
    "hallmarks": {
        # dev micro-F1 (80/20 by PMID): document-level logistic regression alone 0.74 at its best
        # threshold; document + sentence-level heads (line-max) 0.771 with words only, 0.789 with
        # words + characters (threshold 0.5; 0.4 gave 0.779).
        # 2026-12-05 (helper 73), three 80/20 PMID splits (salts medtext / s2 / s3; python -m benchmarks.learn.hoc_margin):
        # this configuration 0.7893 / 0.7897 / 0.8196 (mean 0.7995); on s4 / s5 / s6 0.7896 / 0.8406 / 0.8145 (six
        # splits: mean 0.807, sd 0.021). Tuned by 5-fold CV inside each training part: one threshold 0.7992, mix +
        # threshold 0.7975, a threshold per label 0.7969, a mix per label 0.7948, a stacked logistic regression per
        # label on every label's document / line-max logits (label co-occurrence) 0.8006. C = line_C = 1 0.8024
        # (stacked 0.8075, higher on all three, but on s4 / s5 / s6 0.7945 / 0.8414 / 0.7927: worse), C 10 0.7821;
        # char 1-5 0.8002; word 1-3 0.8013; concept block with MeSH trees (weight 0.5) 0.7976; NB-SVM document head
        # 0.7936, line head 0.7692; calibrated-SVM line head 0.7573; 100k feature caps: the same model (< 50k
        # n-grams). Nothing better on every split by >= 0.005: unchanged.
        # "algorithm" is what `medtext train --algorithm` calls it (its heads are logistic regressions), so that
        # `medtext train --config models/hallmarks/meta.json` repeats the model without more options.
        "task": "multilabel", "algorithm": "line-max",
        "params": {"C": 3.0, "class_weight": "balanced", "line_C": 3.0, "line_class_weight": "balanced",
                   "mix": 0.5, "threshold": 0.5},
        "features": {"word_ngram_range": (1, 2), "char_ngram_range": (2, 5), "min_df": 2,
                     "max_features_word": 50_000, "max_features_char": 50_000},
        "description": "Hallmarks of Cancer: 1,482 shared abstracts (raw text files), top-level hallmarks",
    },
    "ade-sentences": {
        # dev F1(ade) (80/20 by PMID): balanced LinearSVC on word 1-3 + char 2-5 0.716 (C=0.1);
        # masking drug / effect names from a training-set lexicon did not help (0.715-0.723).
        # 2026-12-02, plain LR C=3 on the same features 0.714; + drug/disease pair block of the
        # shipped lexicon (order, distance, words between and around): weight 1 0.770 (C=1 0.755),
        # weight 2 0.762; pairs of the NER's entities instead 0.768; + codes/mentions block 0.707.
        # With the pair block, F1-tuned bias lowers it (0.761 vs 0.772 without). Lexicon with the MeSH
        # disease terms (later 2026-12-02): weight 1.0 0.765, 0.7 0.763, 1.5 0.766; trees C/F03 only
        # and disease acronyms: 0.764.
        # 2026-12-04 (helper 38), dev F1(ade) on three 80/20 PMID splits (salts medtext / s2 / s3; baseline above
        # 0.766 / 0.751 / 0.741, mean 0.753): NB log-count-ratio scaled features (NB-LR) 0.751 / 0.757 / 0.727;
        # pair block over the shipped lexicon + drug / effect terms of the training part's DRUG-AE.rel spans,
        # cross-fitted by PMID (5 folds) 0.779 / 0.769 / 0.754 (mean 0.767); the same without cross-fitting
        # 0.753 / 0.747 / 0.734 (training sentences then always have their own pair); block weight 0.7 / 1.5
        # 0.768 / 0.765, C 2 / 5 0.767 / 0.768, + the shipped-lexicon pair block 0.767, + masked words between
        # and effect words per pair 0.768 (mean of the three splits). + a pair-level head (LR C=1 balanced on
        # each drug/effect pair's tokens, masked words between, effect words; p = mix * p_sentence + (1 - mix)
        # * max over pairs): mix 0.8 0.785 / 0.770 / 0.759, 0.7 0.788 / 0.772 / 0.761, 0.6 0.791 / 0.773 /
        # 0.765 (mean 0.777), 0.5 0.789 / 0.775 / 0.768 (mean 0.777).
        # 2026-12-05 (helper 55), MeSH tree features of disease mentions (python -m benchmarks.learn.ade_trees; shipped
        # 0.7914 / 0.7734 / 0.7652, mean 0.7767): concept block with tree1, weight 0.3 0.7926 / 0.7760 / 0.7642
        # (0.7776), weight 0.5 0.7906 / 0.7804 / 0.7615 (0.7775); with tree1 + tree2, weight 0.3 0.7906 / 0.7769 /
        # 0.7634 (0.7770); without trees, weight 0.3 0.7911 / 0.7795 / 0.7650 (0.7785); trees alone in their own
        # block (concept_kinds=()): tree1 weight 0.2 0.7924 / 0.7754 / 0.7621 (0.7766), 0.5 0.7919 / 0.7666 /
        # 0.7611 (0.7732), tree1 + tree2 0.5 0.7946 / 0.7677 / 0.7663 (0.7762). None higher on all three splits;
        # all means within +-0.004 (noise), so not kept.
        "task": "classify", "algorithm": "term-pairs",  # logistic-regression heads, as `medtext train` builds it
        "params": {"C": 3.0, "class_weight": "balanced", "pair_folds": 5, "pair_weight": 1.0,
                   "pair_C": 1.0, "mix": 0.6, "positive": "ade"},
        "features": {"word_ngram_range": (1, 3), "char_ngram_range": (2, 5), "min_df": 2,
                     "max_features_word": 80_000, "max_features_char": 80_000},
        "description": "ADE corpus v2 (shared 80% by PMID): DRUG-AE.rel sentences = ade, ADE-NEG.txt / DRUG-DOSE.rel = no_ade",
    },
    "sentence-roles": {
        # dev weighted-F1 (train -> dev file): sentence alone 0.687; + neighbours' words and position
        # 0.800 (C=3); + stacked label probabilities of the neighbours 0.811 (window 1), 0.824
        # (window 2); Viterbi over label transitions on top: 0.826 at weight 0.2 (0.812 at 0.5).
        # Character n-grams with window 1: 0.817 (slower, larger).
        # 2026-12-05 (helper 74, python -m benchmarks.learn.piboso_cv): this configuration dev 0.8264, 5-fold CV by
        # abstract on train + dev 0.8034 (folds 0.789-0.820). Tried, dev / CV mean: stack window 3 0.8212 / 0.8042;
        # + char 2-5 (60k) 0.8224 / 0.8071 (fit 3x slower); sentence-shape words (length, numbers, %, p-value,
        # brackets, colon, no final stop) 0.8193 / 0.8062; neighbours' words window 2 0.8238 / 0.8046; C=2
        # 0.8257 / 0.8053 (higher on 5/5 folds, by +0.000 to +0.003); balanced class weights 0.8049 / 0.7969.
        # Lexicon concept block with top-level MeSH trees (as abstract-topics): weight 0.5 dev 0.8157, 0.3 0.8202.
        # None better on dev, none +0.004 on both: kept as is.
        "task": "sentences", "algorithm": "logreg",
        "params": {"C": 1.0, "transition_weight": 0.2, "stack": True, "stack_window": 2, "stack_weight": 3.0},
        "features": {"word_ngram_range": (1, 2), "char_ngram_range": None, "min_df": 2, "max_features_word": None},
        "context": {"window": 1, "neighbour_weight": 0.5, "position_bins": 10, "position_weight": 1.0},
        "description": "NICTA-PIBOSO train_clean.txt + dev_clean.txt (RCT format)",
    },
    "review-rating": {
        # dev RMSE (80/20 by review id; second figure: 5-fold CV on all 3,107 shared reviews): ridge alpha 1
        # 2.364 / 2.319 (0.3: 2.375, 3: 2.415); negation-scope features 2.366; rating-class logistic regression
        # expected value 2.40, blended 2.358. 2026-12 (helper 39): ordinal regression (cumulative logistic
        # regressions P(y > k), expected value; medtext.learn.ordinal) C=10 2.339 / 2.269 (C=3 2.377,
        # C=20 2.343 / 2.264, C=30 2.348 / 2.266); blended with ridge 0.3..0.7: no gain; NB-scaled features
        # 2.348 / 2.283 (|r|^0.5), 2.394 (|r|); + cross-fitted effectiveness / side-effect ridge predictions
        # (TSV columns) 2.343 / 2.271; word 1-3 2.340 / 2.263; words only 2.368 / 2.315. + VADER sentiment
        # block (polarity, negation, strength, position thirds; medtext.features.sentiment): weight 0.5
        # 2.323 / 2.253, 1.0 2.322 / 2.259 (dense valence sums instead: 2.323 / 2.246).
        "task": "regress", "algorithm": "ordinal",
        "params": {"C": 10.0},
        "features": {"word_ngram_range": (1, 2), "char_ngram_range": (2, 5), "min_df": 2,
                     "max_features_word": 60_000, "max_features_char": 60_000,
                     "sentiment": True, "sentiment_weight": 0.5},
        "description": "Druglib reviews (official training split, 3,107 reviews): benefits + side effects + comments -> rating",
    },
}

PRIMARY = {"classify": "macro_f1", "multilabel": "micro_f1", "sentences": "weighted_f1", "regress": "rmse"}


def primary(name: str, m: dict[str, Any]) -> float:
    """The issue's headline metric: F1 of the ade class for ADE, else by task."""
    if name == "ade-sentences":
        return m["per_label"]["ade"]["f1"]
    return m[PRIMARY[CONFIGS[name]["task"]]]


def primary_name(name: str) -> str:
    return "f1_ade" if name == "ade-sentences" else PRIMARY[CONFIGS[name]["task"]]


# ---------------------------------------------------------------------------- data


def sha256_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def source_files(name: str, shared) -> list[Path]:
    c = D.corpora_dir(shared)
    if name == "abstract-topics":
        return [c / "medical_abstracts_tc" / "medical_tc_test.even_rows.csv", c / "medical_abstracts_tc" / "medical_tc_labels.csv"]
    if name == "hallmarks":
        return sorted((c / "hallmarks_of_cancer" / "text").glob("*.txt")) + sorted((c / "hallmarks_of_cancer" / "labels").glob("*.txt"))
    if name == "ade-sentences":
        return [c / "ade_corpus_v2" / f for f in ("DRUG-AE.rel", "DRUG-DOSE.rel", "ADE-NEG.txt")]
    if name == "sentence-roles":
        return [D.piboso_path(shared, "train"), D.piboso_path(shared, "dev")]
    return [c / "druglib_reviews" / "drugLibTrain_raw.tsv"]


def xy(task: str, rows: list[dict[str, Any]], labels: list[str] | None = None):
    """Texts and targets of loader rows for ``task``."""
    X = [r["text"] for r in rows]
    if task == "regress":
        return X, np.array([r["label"] for r in rows], dtype=float)
    if task == "multilabel":
        pos = {l: i for i, l in enumerate(labels)}
        Y = np.zeros((len(rows), len(labels)), dtype=int)
        for i, r in enumerate(rows):
            for l in r["labels"]:
                Y[i, pos[l]] = 1
        return X, Y
    return X, np.array([r["label"] for r in rows], dtype=object)


def piboso(shared, split: str):
    from medtext.learn.api import prepare_training
    from medtext.learn.data import read_records

    return prepare_training(read_records(D.piboso_path(shared, split), "rct"), "sentences")


def rows_for(name: str, shared) -> list[dict[str, Any]]:
    return {"abstract-topics": D.medical_abstracts, "hallmarks": D.hallmarks, "ade-sentences": D.ade_sentences,
            "review-rating": D.druglib}[name](shared)


def labels_of(task: str, rows) -> list[str]:
    if task == "multilabel":
        return sorted({l for r in rows for l in r["labels"]})
    if task == "regress":
        return []
    return sorted({r["label"] for r in rows})


def dev_splits(name: str, shared):
    """Yield (train_X, train_y, dev_X, dev_y, labels, fit_kwargs) for the held-out measurement of ``name``."""
    task = CONFIGS[name]["task"]
    if name == "sentence-roles":
        Xt, yt, labels = piboso(shared, "train")
        Xd, yd, _ = piboso(shared, "dev")
        yield Xt, yt, Xd, yd, labels, {}
        return
    rows = rows_for(name, shared)
    labels = labels_of(task, rows)
    if name == "abstract-topics":
        from sklearn.model_selection import StratifiedKFold

        X, y = xy(task, rows, labels)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y.astype(str)):
            yield [X[i] for i in tr], y[tr], [X[i] for i in te], y[te], labels, {}
        return
    train, dev = D.group_split(rows)
    Xt, yt = xy(task, train, labels)
    Xd, yd = xy(task, dev, labels)
    yield Xt, yt, Xd, yd, labels, fit_kwargs(name, train, labels)


def fit_kwargs(name: str, rows: list[dict[str, Any]] | None, labels) -> dict[str, Any]:
    """Extra training data: HoC sentence labels of line-level models, ADE drug / effect spans of
    term-pair models; else nothing."""
    if rows is None:
        return {}
    if CONFIGS[name]["algorithm"] == "term-pairs":
        return {"drugs": [r["drugs"] for r in rows], "effects": [r["effects"] for r in rows],
                "groups": [r["group"] for r in rows]}
    if CONFIGS[name]["algorithm"] != "line-max":
        return {}
    sentences, sentence_Y = [], []
    for r in rows:  # per document: its non-blank lines and their 0/1 label rows
        lx, ly = D.hallmarks_lines([r])
        sentences.append(lx)
        sentence_Y.append(xy("multilabel", [{"text": t, "labels": l} for t, l in zip(lx, ly)], labels)[1])
    return {"sentences": sentences, "sentence_Y": sentence_Y}


def split_description(name: str) -> str:
    return {"abstract-topics": "5-fold stratified cross-validation on the 1,444 shared abstracts (pooled out-of-fold predictions)",
            "hallmarks": "80/20 split by PMID of the shared abstracts (scripts.learn_data.group_split)",
            "ade-sentences": "80/20 split by PMID of the shared sentences (scripts.learn_data.group_split)",
            "sentence-roles": "NICTA-PIBOSO dev_clean.txt (model trained on train_clean.txt)",
            "review-rating": "80/20 split by review id of the shared reviews (scripts.learn_data.group_split)"}[name]


# ---------------------------------------------------------------------------- fitting / scoring


def make_estimator(name: str, cfg: dict[str, Any] | None = None):
    from medtext.learn.api import DEFAULT_FEATURES
    from medtext.learn.models import build_estimator

    cfg = cfg or CONFIGS[name]
    feats = dict(DEFAULT_FEATURES, **cfg["features"])
    if cfg["algorithm"] == "line-max":
        from medtext.features.tfidf import ClinicalTfidf
        from medtext.learn.linear import MultiLabelLinearClassifier
        from medtext.learn.models import LineMaxMultiLabel

        p = cfg["params"]
        return LineMaxMultiLabel(
            features=ClinicalTfidf(**feats),
            doc_head=MultiLabelLinearClassifier("logreg", C=p["C"], class_weight=p.get("class_weight")),
            line_head=MultiLabelLinearClassifier(p.get("line_algorithm", "logreg"), C=p["line_C"],
                                                 class_weight=p.get("line_class_weight")),
            mix=p["mix"], threshold=p["threshold"])
    if cfg["algorithm"] == "term-pairs":
        from medtext.features.term_pair_tfidf import TermPairTfidf
        from medtext.features.tfidf import ClinicalTfidf
        from medtext.learn.linear import LinearClassifier
        from medtext.learn.term_pair_model import TermPairClassifier

        p = cfg["params"]
        pair_head = (LinearClassifier("logreg", C=p["pair_C"], class_weight=p.get("class_weight"))
                     if p.get("pair_C") else None)
        return TermPairClassifier(features=ClinicalTfidf(**feats),
                                  pairs=TermPairTfidf(folds=p["pair_folds"], min_df=feats["min_df"], weight=p["pair_weight"]),
                                  head=LinearClassifier("logreg", C=p["C"], class_weight=p.get("class_weight")),
                                  pair_head=pair_head, mix=p.get("mix", 1.0), positive=p.get("positive"))
    if cfg["algorithm"] == "nbsvm":
        from sklearn.pipeline import Pipeline

        from medtext.features.tfidf import ClinicalTfidf
        from medtext.learn.nbsvm import NBSVMClassifier

        return Pipeline([("features", ClinicalTfidf(**feats)), ("model", NBSVMClassifier(**cfg["params"]))])
    return build_estimator(cfg["task"], cfg["algorithm"], features=feats, context=cfg.get("context"), **cfg["params"])


def score(task: str, gold, pred, labels) -> dict[str, Any]:
    from medtext.learn.api import classification_metrics, regression_metrics

    if task == "regress":
        return regression_metrics(gold, pred)
    if task == "multilabel":
        g = [[labels[j] for j in np.flatnonzero(r)] for r in gold]
        p = [[labels[j] for j in np.flatnonzero(r)] for r in pred]
        return classification_metrics(g, p, labels, multilabel=True)
    if task == "sentences":
        return classification_metrics([l for a in gold for l in a], [l for a in pred for l in a], labels)
    return classification_metrics(list(gold), list(pred), labels)


def measure(name: str, shared, make=None, verbose: bool = True, cfg=None) -> tuple[dict[str, Any], float]:
    """Held-out metrics of ``make()`` (default: the shipped configuration, or ``cfg``) and the training time (s)."""
    task = CONFIGS[name]["task"]
    own = make is None
    make = make or (lambda: make_estimator(name, cfg))
    golds, preds, fit_s = [], [], 0.0
    labels = None
    for Xt, yt, Xd, yd, labels, kw in dev_splits(name, shared):
        est = make()
        t = time.perf_counter()
        est.fit(Xt, yt, **(kw if own else {}))
        fit_s += time.perf_counter() - t
        p = est.predict(Xd)
        golds.extend(list(yd))
        preds.extend(list(p))
    if task == "multilabel":
        golds, preds = np.array(golds), np.array(preds)
    m = score(task, golds, preds, labels)
    if verbose:
        print(f"  {name}: {primary_name(name)} = {primary(name, m):.4f} (fit {fit_s:.0f}s)", file=sys.stderr)
    return m, fit_s


def build(name: str, shared, out: Path, dev: bool = True) -> Path:
    from medtext.learn.api import DEFAULT_FEATURES, jsonable
    from medtext.learn.models import export_spec
    from medtext.learn.persist import save_spec

    cfg = CONFIGS[name]
    task = cfg["task"]
    print(f"{name}: measuring on held-out shared data" if dev else f"{name}: training", file=sys.stderr)
    metrics, dev_fit_s = measure(name, shared) if dev else (None, None)
    if name == "sentence-roles":
        Xa, ya, labels = piboso(shared, "train")
        Xd, yd, _ = piboso(shared, "dev")
        X, y = Xa + Xd, ya + yd
        n = sum(len(a) for a in X)
    else:
        rows = rows_for(name, shared)
        labels = labels_of(task, rows)
        X, y = xy(task, rows, labels)
        n = len(rows)
    t = time.perf_counter()
    est = make_estimator(name).fit(X, y, **(fit_kwargs(name, rows, labels) if name != "sentence-roles" else {}))
    fit_s = time.perf_counter() - t
    spec = export_spec(est, task, labels)
    files = source_files(name, shared)
    meta = {
        "name": name, "task": task, "algorithm": cfg["algorithm"], "params": jsonable(cfg["params"]),
        "features": jsonable(dict(DEFAULT_FEATURES, **cfg["features"])), "context": cfg.get("context"),
        "training_data": {"description": cfg["description"], "n_records": n, "n_files": len(files),
                          "sha256": sha256_files(files), "fit_seconds": round(fit_s, 1)},
        "metrics": ({"tuned_on": split_description(name), "fit_seconds": round(dev_fit_s, 1),
                     **{k: v for k, v in metrics.items()}} if metrics else None),
        "created": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "built_by": "python -m scripts.build_learn_models --shared ../shared",
    }
    folder = save_spec(spec, out / name, meta)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"{name}: wrote {folder} ({size / 1e6:.1f} MB)", file=sys.stderr)
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared", help="folder holding corpora/ (default ../shared)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "models"), help="models folder")
    ap.add_argument("--only", nargs="*", choices=sorted(CONFIGS), help="build only these models")
    ap.add_argument("--no-dev", action="store_true", help="skip the held-out measurement (meta.json gets no metrics)")
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"build_learn_models: no corpora under {args.shared}; nothing built", file=sys.stderr)
        return 2
    for name in args.only or list(CONFIGS):
        build(name, args.shared, Path(args.out), dev=not args.no_dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
