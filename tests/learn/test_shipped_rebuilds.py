"""`medtext train --config models/NAME/meta.json` on the exported training JSONL rebuilds the shipped model:
the same spec (blocks, vocabularies, weights) and the same array files (slow; needs ../shared)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from medtext.learn import load_model, train
from medtext.learn.train_config import read_config

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MEDTEXT_SHARED", REPO.parent / "shared"))


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="../shared/corpora not available")
@pytest.mark.parametrize("name", ["abstract-topics", "hallmarks"])
def test_shipped_model_rebuilt_from_its_meta(tmp_path, name):
    from scripts.export_learn_jsonl import records

    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records(name, str(SHARED))))
    shipped = load_model(name)
    settings = read_config(REPO / "models" / name / "meta.json")
    # the task and algorithm the meta.json names, as `medtext train --config models/NAME/meta.json` takes them
    model, _ = train(str(data), task=settings["task"], algorithm=settings["algorithm"], params=settings["params"],
                     features=settings["features"], checks=False, output=tmp_path / "m")
    assert model.meta["spec"] == shipped.meta["spec"] and model.meta["files"] == shipped.meta["files"]
