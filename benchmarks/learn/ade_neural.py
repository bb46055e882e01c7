"""Experiment (issue 5): a spaCy/thinc neural sentence classifier for ADE sentences, alone and
averaged with the shipped linear model (TermPairClassifier), on the three 80/20 PMID splits of
benchmarks/learn/RESULTS.md (``group_split`` salts medtext / s2 / s3).

The neural model is spaCy 3.8's ``textcat`` (exclusive ade / no_ade) on ``spacy.blank("en")``
with medtext's tokenizer, trained with ``nlp.update``; the number of epochs is chosen by early
stopping on 10% of the training PMIDs (never the dev split). The linear model's dev
probabilities are cached under ``--cache`` (they take ~1 minute per split).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    python -m benchmarks.learn.ade_neural --shared ../shared [--salts medtext s2 s3] [--arch reduce]

Prints one JSON line per split and a summary line (metrics only, no sentence text).

Measured 2026-12-04 (helper 45), table split (salt medtext) only, F1(ade) (P / R); linear model alone
0.791 (0.771 / 0.812):
- ``--arch reduce`` (TextCatReduce mean+max over HashEmbed width 96 + MaxoutWindow CNN depth 4):
  0.643 (0.783 / 0.545), best inner-stop epoch 6 of 9 (286 s); averaged 0.5/0.5 with the linear
  model 0.702; linear weight 0.3/0.4/0.6/0.7: 0.665/0.677/0.751/0.782.
- ``--arch ensemble --oversample 3`` (TextCatEnsemble.v2 = the CNN above + bag-of-words 1-2 grams,
  ade rows x3): 0.685 (0.674 / 0.696), best epoch 2 of 5 (313 s); average 0.755; linear weight
  0.3/0.4/0.6/0.7: 0.716/0.728/0.774/0.784.
Both are far below the 0.78 bar and every mix is below the linear model alone, so the search
stopped there (issue 5's rule) and nothing ships.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from scripts import learn_data as D

POS = "ade"


def f1_parts(gold: np.ndarray, p_ade: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Precision, recall and F1 of the ade class for ``p_ade >= threshold``."""
    pred = p_ade >= threshold
    tp = float(np.sum(pred & gold))
    p = tp / max(pred.sum(), 1)
    r = tp / max(gold.sum(), 1)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-12), 4)}


def linear_proba(rows_train, rows_dev, cache: Path, salt: str) -> np.ndarray:
    """p(ade) of the shipped configuration on ``rows_dev`` (cached per salt)."""
    path = cache / f"linear-{salt}.npy"
    if path.is_file():
        return np.load(path)
    from scripts.build_learn_models import fit_kwargs, make_estimator, xy

    labels = ["ade", "no_ade"]
    Xt, yt = xy("classify", rows_train, labels)
    Xd, _ = xy("classify", rows_dev, labels)
    est = make_estimator("ade-sentences").fit(Xt, yt, **fit_kwargs("ade-sentences", rows_train, labels))
    p = est.predict_proba(Xd)[:, list(est.classes_).index(POS)]
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, p)
    return p


def textcat_model(arch: str, width: int, depth: int, window: int) -> dict:
    tok2vec = {"@architectures": "spacy.Tok2Vec.v2",
               "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                         "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "rows": [10000, 2000, 4000, 500],
                         "include_static_vectors": False},
               "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                          "window_size": window, "maxout_pieces": 3}}
    if arch == "reduce":
        return {"@architectures": "spacy.TextCatReduce.v1", "exclusive_classes": True, "use_reduce_first": False,
                "use_reduce_last": False, "use_reduce_max": True, "use_reduce_mean": True, "nO": None,
                "tok2vec": tok2vec}
    if arch == "attention":
        return {"@architectures": "spacy.TextCatParametricAttention.v1", "exclusive_classes": True, "nO": None,
                "tok2vec": tok2vec}
    if arch == "ensemble":
        return {"@architectures": "spacy.TextCatEnsemble.v2", "nO": None, "tok2vec": tok2vec,
                "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                                 "no_output_layer": False, "length": 262144, "nO": None}}
    raise SystemExit(f"unknown arch {arch!r}")


def train_textcat(train_rows, stop_rows, args, seed: int = 0):
    """Train spaCy textcat with early stopping on ``stop_rows``; return the nlp with the best weights."""
    import spacy
    from spacy.training import Example
    from thinc.api import fix_random_seed

    import medtext.pipeline.tokenizer  # noqa: F401  (registers medtext.Tokenizer.v1)

    fix_random_seed(seed)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    nlp.add_pipe("textcat", config={"model": textcat_model(args.arch, args.width, args.depth, args.window),
                                    "threshold": 0.5})

    def examples(rows):
        out = []
        for d, r in zip(nlp.tokenizer.pipe(r["text"] for r in rows), rows):
            out.append(Example.from_dict(d, {"cats": {"ade": float(r["label"] == POS), "no_ade": float(r["label"] != POS)}}))
        return out

    train = examples(train_rows)
    if args.oversample > 1:
        train = train + [e for e in train if e.reference.cats["ade"] == 1.0] * (args.oversample - 1)
    stop_docs = [e.predicted for e in examples(stop_rows)]
    stop_gold = np.array([r["label"] == POS for r in stop_rows])
    optimizer = nlp.initialize(lambda: train[:500])
    optimizer.learn_rate = args.lr
    rng = random.Random(seed)
    best, best_bytes, bad = -1.0, None, 0
    for epoch in range(args.epochs):
        rng.shuffle(train)
        t = time.perf_counter()
        losses: dict[str, float] = {}
        for i in range(0, len(train), args.batch):
            nlp.update(train[i:i + args.batch], drop=args.dropout, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            p = predict(nlp, stop_docs)
            f = f1_parts(stop_gold, p)["f1"]
            if f > best:
                best, best_bytes, bad = f, nlp.to_bytes(), 0
            else:
                bad += 1
        print(f"    epoch {epoch + 1}: loss {losses.get('textcat', 0):.2f} stop-F1 {f:.4f} "
              f"({time.perf_counter() - t:.0f}s)", file=sys.stderr)
        if bad >= args.patience:
            break
    nlp.from_bytes(best_bytes)
    return nlp


def predict(nlp, docs_or_texts) -> np.ndarray:
    tc = nlp.get_pipe("textcat")
    docs = [d if not isinstance(d, str) else nlp.make_doc(d) for d in docs_or_texts]
    scores = tc.predict([d.copy() for d in docs])
    j = list(tc.labels).index(POS)
    return np.asarray(tc.model.ops.to_numpy(scores))[:, j]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--salts", nargs="*", default=["medtext", "s2", "s3"])
    ap.add_argument("--arch", default="reduce")
    ap.add_argument("--width", type=int, default=96)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--window", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--oversample", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", default="/tmp/h45-cache")
    args = ap.parse_args(argv)
    rows = D.ade_sentences(args.shared)
    cache = Path(args.cache)
    tag = f"{args.arch}-w{args.width}-d{args.depth}-win{args.window}-o{args.oversample}-s{args.seed}"
    res = []
    for salt in args.salts:
        train, dev = D.group_split(rows, salt=salt)
        gold = np.array([r["label"] == POS for r in dev])
        lin = linear_proba(train, dev, cache, salt)
        fit, stop = D.group_split(train, dev_share=0.1, salt=f"stop-{salt}")
        t = time.perf_counter()
        nlp = train_textcat(fit, stop, args, seed=args.seed)
        fit_s = time.perf_counter() - t
        neu = predict(nlp, [r["text"] for r in dev])
        np.save(cache / f"neural-{tag}-{salt}.npy", neu)
        line = {"salt": salt, "n_dev": len(dev), "fit_s": round(fit_s), "linear": f1_parts(gold, lin),
                "neural": f1_parts(gold, neu), "avg": f1_parts(gold, 0.5 * lin + 0.5 * neu),
                "mix": {str(w): f1_parts(gold, w * lin + (1 - w) * neu)["f1"] for w in (0.3, 0.4, 0.6, 0.7)}}
        res.append(line)
        print(json.dumps(line), flush=True)
    mean = {k: round(float(np.mean([r[k]["f1"] for r in res])), 4) for k in ("linear", "neural", "avg")}
    print(json.dumps({"config": tag, "mean_f1": mean}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
