"""Train the PHI model (``models/phi-physionet``) on the PhysioNet deid notes.

Units (see :mod:`phi_patterns`) overlapping a gold phrase take its label
(HCPName, PTName, RelativeProxyName -> NAME; Location -> LOCATION; Date,
DateYear -> DATE; Phone -> PHONE; Other -> ID), the rest ``O``. A multinomial
logistic regression is fitted on the training patients; the PHI threshold is
chosen on out-of-fold predictions (folds by patient) as the lowest
probability that keeps span precision at ``--min-precision``. Patients from
``--holdout-from`` on are held out: never used for fitting or tuning, only
scored at the end (``--final`` then refits on every patient for shipping).

Example:
    $ python -m medtext.pipeline.phi_train --shared ../shared --holdout-from 66 -o /tmp/phi-dev
    $ python -m medtext.pipeline.phi_train --shared ../shared --holdout-from 66 --final -o models/phi-physionet
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from medtext.pipeline.phi_features import CANDIDATE_KINDS, context_tokens, note_case, unit_features
from medtext.pipeline.phi_model import PhiModel, decode
from medtext.pipeline.phi_patterns import units

GOLD_LABELS = {
    "HCPName": "NAME",
    "PTName": "NAME",
    "RelativeProxyName": "NAME",
    "Location": "LOCATION",
    "Date": "DATE",
    "DateYear": "DATE",
    "Phone": "PHONE",
    "Other": "ID",
}
LABELS = ("O", "NAME", "LOCATION", "DATE", "PHONE", "ID")
PHI_WEIGHT = [1.0]  # class weight of the PHI labels in fit(); set from --phi-weight
SKIP_MIN_COUNT = [20]  # --skip-min-count
STACK = [False]  # train a second stage (--stack; experimental: it did not help in cross-validation)


class NoteData:
    """One note's units, candidate features and labels."""

    def __init__(self, note: Any) -> None:
        self.note = note
        self.text = note.text
        self.gold = [(p.start, p.end, p.type) for p in note.phi]
        self.units = units(self.text)
        self.candidates = [i for i, u in enumerate(self.units) if u.kind in CANDIDATE_KINDS]
        case = note_case(self.text)
        cache: dict[tuple[str, str, str], list[str]] = {}
        toks = context_tokens(self.units)
        self.features = [unit_features(self.units, i, case, cache, toks) for i in self.candidates]
        self.labels = [self._label(self.units[i]) for i in self.candidates]

    def _label(self, unit: Any) -> str:
        for start, end, kind in self.gold:
            if unit.start < end and start < unit.end:
                return GOLD_LABELS.get(kind, "ID")
        return "O"


def vectorize(datas: Sequence[NoteData], vocab: dict[str, int]) -> Any:
    """A CSR matrix of the candidates' features (features outside ``vocab`` dropped)."""
    from scipy.sparse import csr_matrix

    indices: list[int] = []
    indptr = [0]
    for data in datas:
        for feats in data.features:
            indices.extend(vocab[f] for f in set(feats) if f in vocab)
            indptr.append(len(indices))
    values = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((values, np.asarray(indices), np.asarray(indptr)), shape=(len(indptr) - 1, len(vocab)))


def fit(datas: Sequence[NoteData], c: float, min_count: int) -> PhiModel:
    """Fit the logistic regression on these notes; returns a model (threshold 0.5)."""
    from collections import Counter

    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(f for d in datas for feats in d.features for f in set(feats))
    features = sorted(f for f, n in counts.items() if n >= min_count)
    vocab = {f: i for i, f in enumerate(features)}
    x = vectorize(datas, vocab)
    y = np.asarray([LABELS.index(label) for d in datas for label in d.labels])
    weight = PHI_WEIGHT[0]
    class_weight = {k: (1.0 if k == 0 else weight) for k in range(len(LABELS))} if weight != 1 else None
    clf = LogisticRegression(C=c, max_iter=3000, tol=1e-5, class_weight=class_weight)
    clf.fit(x, y)
    present = list(clf.classes_)
    weights = np.zeros((len(features), len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -30.0, dtype=np.float32)
    for col, cls in enumerate(present):
        weights[:, cls] = clf.coef_[col]
        bias[cls] = clf.intercept_[col]
    model = PhiModel(LABELS, features, weights, bias, 0.5)
    model.skip_words = skip_words(datas, SKIP_MIN_COUNT[0])
    return model


def skip_words(datas: Sequence[NoteData], min_count: int) -> frozenset[str]:
    """Words seen at least ``min_count`` times in these notes and never as PHI (never classified, for speed)."""
    from collections import Counter

    seen: Counter[str] = Counter()
    phi: set[str] = set()
    for data in datas:
        for i, label in zip(data.candidates, data.labels):
            unit = data.units[i]
            if unit.kind == "WORD":
                seen[unit.text.lower()] += 1
                if label != "O":
                    phi.add(unit.text.lower())
    return frozenset(w for w, n in seen.items() if n >= min_count and w not in phi) if min_count > 0 else frozenset()


def patient_folds(datas: Sequence[NoteData], c: float, min_count: int, folds: int) -> Iterator[tuple[list[NoteData], PhiModel]]:
    """(held-out notes, model fitted on the other patients) of each of ``folds`` folds by patient."""
    patients = sorted({d.note.patient for d in datas})
    for k in range(folds):
        held = set(patients[k::folds])
        model = fit([d for d in datas if d.note.patient not in held], c, min_count)
        yield [d for d in datas if d.note.patient in held], model


def oof_first_stage(datas: Sequence[NoteData], c: float, min_count: int, folds: int) -> list[tuple[NoteData, Any, Any, Any]]:
    """(note, units, candidates, first-stage probabilities) of every note, each from a model that never saw its patient."""
    return [(d, *model.unit_probabilities(d.text)) for held, model in patient_folds(datas, c, min_count, folds) for d in held]


def fit_stack(oof: Sequence[tuple[NoteData, Any, Any, Any]], c: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Second-stage weights from out-of-fold first-stage probabilities."""
    from sklearn.linear_model import LogisticRegression

    from medtext.pipeline.phi_model import stack_features

    xs, ys = [], []
    for data, us, candidates, probs in oof:
        xs.append(stack_features(data.text, us, candidates, probs))
        ys += [LABELS.index(label) for label in data.labels]
    x = np.vstack(xs)
    weight = PHI_WEIGHT[0]
    class_weight = {k: (1.0 if k == 0 else weight) for k in range(len(LABELS))} if weight != 1 else None
    clf = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight).fit(x, np.asarray(ys))
    weights = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -30.0, dtype=np.float32)
    for col, cls in enumerate(clf.classes_):
        weights[:, cls] = clf.coef_[col]
        bias[cls] = clf.intercept_[col]
    return weights, bias


def spans_of(model: PhiModel, data: NoteData, threshold: float | dict[str, float]) -> list[tuple[int, int, str]]:
    """What the full component would output for this note at this threshold."""
    us, candidates, probs = model.unit_probabilities(data.text)
    return _combine(data, us, candidates, probs, model.labels, threshold)


def _combine(data: NoteData, us: Any, candidates: Any, probs: Any, labels: Sequence[str],
             threshold: float | dict[str, float]) -> list[tuple[int, int, str]]:
    from medtext.pipeline.phi import combine
    from medtext.pipeline.phi_patterns import rule_spans

    return combine(data.text, rule_spans(data.text), decode(data.text, us, candidates, probs, labels, threshold))


def score(model: PhiModel, datas: Sequence[NoteData], threshold: float | dict[str, float]) -> dict[str, Any]:
    from medtext.evaluate.deid import DeidCounts

    counts = DeidCounts()
    for data in datas:
        counts.add(data.text, data.gold, spans_of(model, data, threshold))
    return counts.metrics()


def cross_validate(datas: Sequence[NoteData], c: float, min_count: int, folds: int,
                   threshold: float | dict[str, float]) -> dict[str, Any]:
    """Scores of a K-fold cross-validation by patient at fixed thresholds: each note scored by a model that
    never saw its patient; the metrics of all notes, plus ``per_fold`` precision / recall.

    Example:
        >>> cross_validate(datas, 3.0, 2, 5, {"NAME": 0.03})["recall"]  # doctest: +SKIP
        0.977
    """
    from medtext.evaluate.deid import DeidCounts

    total, per_fold = DeidCounts(), []
    for held, model in patient_folds(datas, c, min_count, folds):
        counts = DeidCounts()
        for data in held:
            spans = spans_of(model, data, threshold)
            counts.add(data.text, data.gold, spans)
            total.add(data.text, data.gold, spans)
        fold = counts.metrics()
        per_fold.append({k: fold[k] for k in ("precision", "recall", "n_gold", "n_found")})
    return {**total.metrics(), "per_fold": per_fold}


def tune_threshold(datas: Sequence[NoteData], c: float, min_count: int, folds: int,
                   min_precision: float) -> tuple[float, dict[str, float], dict[str, Any]]:
    """Global and per-label thresholds with the best recall at precision >= min_precision (out-of-fold).

    Out-of-fold unit probabilities are computed once (folds by patient); a grid
    search picks the global threshold, then each label's threshold is moved in
    turn (two rounds) while precision stays at or above ``min_precision``.
    """
    from medtext.evaluate.deid import DeidCounts

    oof = oof_first_stage(datas, c, min_count, folds)
    if STACK[0]:
        from medtext.pipeline.phi_model import stack_features
        from medtext.pipeline.phi_scorer import softmax

        weights, bias = fit_stack(oof)
        oof = [(d, us, cands, softmax(stack_features(d.text, us, cands, p) @ weights + bias)) for d, us, cands, p in oof]

    def evaluate(limits: dict[str, float]) -> dict[str, Any]:
        counts = DeidCounts()
        for data, us, candidates, probs in oof:
            counts.add(data.text, data.gold, _combine(data, us, candidates, probs, LABELS, limits))
        return counts.metrics()

    def key(m: dict[str, Any]) -> tuple[bool, float, float]:
        ok = m["precision"] >= min_precision
        return (ok, m["recall"] if ok else m["f1"], m["precision"])

    grid = [0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    table: dict[str, Any] = {}
    best_t, best_m = grid[0], None
    for t in grid:
        m = evaluate({label: t for label in LABELS[1:]})
        table[str(t)] = {k: round(m[k], 4) for k in ("precision", "recall", "f1")}
        if best_m is None or key(m) > key(best_m):
            best_t, best_m = t, m
    limits = {label: best_t for label in LABELS[1:]}
    for _ in range(2):
        for label in LABELS[1:]:
            for t in grid:
                trial = {**limits, label: t}
                m = evaluate(trial)
                if key(m) > key(best_m):
                    limits, best_m = trial, m
    table["per_label"] = {"thresholds": limits, **{k: round(best_m[k], 4) for k in ("precision", "recall", "f1")},
                          **{k: best_m[k] for k in ("n_gold", "n_found", "n_predicted", "n_correct")},
                          "per_type": {kind: {"recall": round(v["recall"], 4), "n": v["n"]} for kind, v in best_m["per_type"].items()}}
    return best_t, limits, table


def train_model(datas: Sequence[NoteData], args: Any) -> PhiModel:
    """First stage on every note; second stage (with --stack) on out-of-fold first-stage output."""
    model = fit(datas, args.c, args.min_count)
    if STACK[0]:
        model.set_stack(*fit_stack(oof_first_stage(datas, args.c, args.min_count, args.folds)))
    return model


def corpus_hash(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    from medtext.io.physionet import read_physionet

    parser = argparse.ArgumentParser(description="Train the PHI model on PhysioNet deid notes.")
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding corpora/physionet_deid")
    parser.add_argument("--holdout-from", type=int, default=66, help="patients >= this are held out")
    parser.add_argument("--final", action="store_true", help="after scoring the holdout, refit on every patient")
    parser.add_argument("-c", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--min-precision", type=float, default=0.9)
    parser.add_argument("--threshold", type=float, default=None, help="skip tuning, use this threshold")
    parser.add_argument("--label-thresholds", default=None, help='skip tuning, use these per-label thresholds (JSON)')
    parser.add_argument("--skip-min-count", type=int, default=20,
                        help="words seen this often and never as PHI are not classified (0: classify every word)")
    parser.add_argument("--stack", action="store_true", help="add a second stage (experimental, off by default)")
    parser.add_argument("--phi-weight", type=float, default=1.0, help="class weight of the PHI labels (O has 1)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)

    PHI_WEIGHT[0] = args.phi_weight
    STACK[0] = args.stack
    SKIP_MIN_COUNT[0] = args.skip_min_count
    folder = args.shared / "corpora" / "physionet_deid"
    text_path, phi_path = folder / "id.text", folder / "id-phi.phrase"
    started = time.time()
    datas = [NoteData(n) for n in read_physionet(text_path, phi_path)]
    train = [d for d in datas if d.note.patient < args.holdout_from]
    holdout = [d for d in datas if d.note.patient >= args.holdout_from]
    print(f"notes: {len(train)} train, {len(holdout)} holdout ({time.time() - started:.0f}s)", file=sys.stderr)
    if args.label_thresholds is not None:
        threshold, limits, table = args.threshold or 0.5, json.loads(args.label_thresholds), {}
    elif args.threshold is None:
        threshold, limits, table = tune_threshold(train, args.c, args.min_count, args.folds, args.min_precision)
    else:
        threshold, limits, table = args.threshold, {}, {}
    print(f"threshold {threshold}, per label {limits}", file=sys.stderr)
    model = train_model(train, args)
    model.threshold, model.label_thresholds = threshold, dict(limits)
    holdout_metrics = score(model, holdout, model.thresholds()) if holdout else {}
    train_metrics = score(model, train, model.thresholds())
    summary = {k: round(holdout_metrics.get(k, 0.0), 4) for k in ("precision", "recall", "f1")}
    print(f"holdout (patients >= {args.holdout_from}): {summary}", file=sys.stderr)
    trained_on = f"patients 1-{args.holdout_from - 1}"
    if args.final:
        model = train_model(datas, args)
        model.threshold, model.label_thresholds = threshold, dict(limits)
        trained_on = "patients 1-82 (all of the shared half)"
    import sklearn
    import spacy

    from medtext.about import __version__

    meta = {
        "name": "phi-physionet",
        "task": "phi",
        "version": "1.0.0",
        "description": "Linear classifier of words and numbers for PHI in clinical notes (see medtext.pipeline.phi).",
        "medtext_version": __version__,
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "training_data": {
            "corpus": "PhysioNet deid 1.1 gold standard (re-identified nursing notes), shared half",
            "trained_on": trained_on,
            "licence": "the corpus is GNU GPL 2.0; the weights are statistics of it, no text is stored",
            "sha256": corpus_hash([text_path, phi_path]),
        },
        "hyperparameters": {"C": args.c, "min_count": args.min_count, "folds": args.folds, "min_precision": args.min_precision,
                            "phi_weight": args.phi_weight, "stack": args.stack, "skip_min_count": args.skip_min_count},
        "metrics": {
            "tuning": f"threshold chosen on {args.folds}-fold out-of-fold predictions over patients 1-{args.holdout_from - 1}",
            "holdout": {f"patients {args.holdout_from}-82": holdout_metrics},
            "train_fit": {k: train_metrics[k] for k in ("precision", "recall", "f1")},
            "threshold_table": table,
        },
        "lexicons": "medtext/resources/phi (US Census 1990 names, public domain; GeoNames CC BY 4.0; MTSamples CC0)",
    }
    model.save(args.output, meta)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
