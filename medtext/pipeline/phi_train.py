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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from medtext.pipeline.phi_features import CANDIDATE_KINDS, note_case, unit_features
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
        self.features = [unit_features(self.units, i, case, cache) for i in self.candidates]
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
    import os

    weight = float(os.environ.get("MEDTEXT_PHI_PHI_WEIGHT", "1"))
    class_weight = {k: (1.0 if k == 0 else weight) for k in range(len(LABELS))} if weight != 1 else None
    clf = LogisticRegression(C=c, max_iter=3000, tol=1e-5, class_weight=class_weight)
    clf.fit(x, y)
    present = list(clf.classes_)
    weights = np.zeros((len(features), len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -30.0, dtype=np.float32)
    for col, cls in enumerate(present):
        weights[:, cls] = clf.coef_[col]
        bias[cls] = clf.intercept_[col]
    return PhiModel(LABELS, features, weights, bias, 0.5)


def spans_of(model: PhiModel, data: NoteData, threshold: float) -> list[tuple[int, int, str]]:
    """What the full component would output for this note at this threshold."""
    from medtext.pipeline.phi import combine
    from medtext.pipeline.phi_patterns import rule_spans

    us, candidates, probs = model.unit_probabilities(data.text)
    return combine(data.text, rule_spans(data.text), decode(data.text, us, candidates, probs, model.labels, threshold))


def score(model: PhiModel, datas: Sequence[NoteData], threshold: float) -> dict[str, Any]:
    from medtext.evaluate.deid import DeidCounts

    counts = DeidCounts()
    for data in datas:
        counts.add(data.text, data.gold, spans_of(model, data, threshold))
    return counts.metrics()


def tune_threshold(datas: Sequence[NoteData], c: float, min_count: int, folds: int, min_precision: float) -> tuple[float, dict[str, Any]]:
    """The threshold with the best recall at precision >= min_precision, on out-of-fold predictions."""
    from medtext.evaluate.deid import DeidCounts

    patients = sorted({d.note.patient for d in datas})
    grid = [round(t, 3) for t in np.arange(0.05, 0.9, 0.025)]
    counts = {t: DeidCounts() for t in grid}
    for k in range(folds):
        held = set(patients[k::folds])
        model = fit([d for d in datas if d.note.patient not in held], c, min_count)
        for data in (d for d in datas if d.note.patient in held):
            for t in grid:
                counts[t].add(data.text, data.gold, spans_of(model, data, t))
    results = {t: counts[t].metrics() for t in grid}
    ok = [t for t in grid if results[t]["precision"] >= min_precision]
    best = max(ok, key=lambda t: (results[t]["recall"], t)) if ok else max(grid, key=lambda t: results[t]["f1"])
    table = {str(t): {k: round(results[t][k], 4) for k in ("precision", "recall", "f1")} for t in grid}
    return best, table


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
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)

    folder = args.shared / "corpora" / "physionet_deid"
    text_path, phi_path = folder / "id.text", folder / "id-phi.phrase"
    started = time.time()
    datas = [NoteData(n) for n in read_physionet(text_path, phi_path)]
    train = [d for d in datas if d.note.patient < args.holdout_from]
    holdout = [d for d in datas if d.note.patient >= args.holdout_from]
    print(f"notes: {len(train)} train, {len(holdout)} holdout ({time.time() - started:.0f}s)", file=sys.stderr)
    if args.threshold is None:
        threshold, table = tune_threshold(train, args.c, args.min_count, args.folds, args.min_precision)
    else:
        threshold, table = args.threshold, {}
    print(f"threshold {threshold}", file=sys.stderr)
    model = fit(train, args.c, args.min_count)
    model.threshold = threshold
    holdout_metrics = score(model, holdout, threshold) if holdout else {}
    train_metrics = score(model, train, threshold)
    summary = {k: round(holdout_metrics.get(k, 0.0), 4) for k in ("precision", "recall", "f1")}
    print(f"holdout (patients >= {args.holdout_from}): {summary}", file=sys.stderr)
    trained_on = f"patients 1-{args.holdout_from - 1}"
    if args.final:
        model = fit(datas, args.c, args.min_count)
        model.threshold = threshold
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
        "hyperparameters": {"C": args.c, "min_count": args.min_count, "folds": args.folds, "min_precision": args.min_precision},
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
