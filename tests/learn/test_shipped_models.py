"""Shipped models: load by name, predict with the numpy path, and (slow, needs ../shared) equal the
full scikit-learn model retrained by the build script."""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from medtext.learn import load_model

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MEDTEXT_SHARED", REPO.parent / "shared"))
SHIPPED = ["abstract-topics", "hallmarks", "ade-sentences", "sentence-roles", "review-rating"]
present = [n for n in SHIPPED if (REPO / "models" / n / "meta.json").exists()]
needs_shared = pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="../shared/corpora not available")


@pytest.mark.parametrize("name", present)
def test_shipped_model_loads_and_is_small(name):
    m = load_model(name)
    meta = m.meta
    assert meta["name"] == name and meta["metrics"] and meta["training_data"]["sha256"]
    size = sum(p.stat().st_size for p in (REPO / "models" / name).iterdir())
    assert size < 20e6
    if name == "abstract-topics":
        assert m.labels == sorted(["neoplasms", "digestive system diseases", "nervous system diseases",
                                   "cardiovascular diseases", "general pathological conditions"])
    if name == "ade-sentences":
        assert m.labels == ["ade", "no_ade"]
    if name == "hallmarks":
        assert "Sustaining proliferative signaling" in m.labels and len(m.labels) == 10


def test_demo_abstracts_classify():
    if "abstract-topics" not in present:
        pytest.skip("abstract-topics not built")
    rows = [json.loads(l) for l in (REPO / "corpora" / "abstracts.jsonl").read_text().splitlines()]
    out = load_model("abstract-topics").classify([r["text"] for r in rows])
    assert len(out) == 8 and out[0]["label"] == "neoplasms"


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("name", [n for n in present if n != "sentence-roles"])
def test_shipped_equals_full_sklearn_model(name):
    """Retrain the shipped configuration on the same data: the full scikit-learn model's
    probabilities/scores equal the shipped numpy model's (to 1e-9)."""
    from scripts import build_learn_models as B

    cfg = B.CONFIGS[name]
    rows = B.rows_for(name, str(SHARED))
    labels = B.labels_of(cfg["task"], rows)
    X, y = B.xy(cfg["task"], rows, labels)
    est = B.make_estimator(name).fit(X, y, **B.fit_kwargs(name, rows, labels))
    model = load_model(name)
    sample = X[:: max(1, len(X) // 200)]
    if cfg["task"] == "regress":
        assert np.abs(np.array(model.score(sample)) - est.predict(sample)).max() < 1e-9
    else:
        assert np.abs(model.predict_proba(sample) - est.predict_proba(sample)).max() < 1e-9
