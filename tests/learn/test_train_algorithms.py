"""learn.train with nbsvm / term-pairs / --config settings: the registry, the annotations field, and equality
with the estimators scripts/build_learn_models.py builds for the shipped models."""

import json

import numpy as np
import pytest

from medtext.errors import InputError
from medtext.learn import train
from medtext.learn.api import DEFAULT_FEATURES
from medtext.learn.models import TASK_ALGORITHMS, TASK_PARAMS, algorithm_params, build_estimator
from medtext.learn.term_pair_data import pair_terms

from learn_fixtures import EFFECTS, SMALL_FEATURES, ade_rows, make_texts


def test_registry_parameters_build():
    for task, algos in TASK_ALGORITHMS.items():
        assert set(algos) == set(TASK_PARAMS[task])
        for a in algos:
            if a != "term-pairs":
                assert build_estimator(task, a, features=SMALL_FEATURES) is not None
    with pytest.raises(ValueError, match="unknown parameter"):
        build_estimator("classify", "nbsvm", transition_weight=1.0)
    with pytest.raises(ValueError, match="does not fit"):
        algorithm_params("regress", "nbsvm")


@pytest.mark.parametrize("value,text,expected", [
    (None, "x", ([], [])),
    ([], "x", ([], [])),
    ([{"drug": "aspirin", "effect": "rash"}, {"drug": "aspirin"}], "", (["aspirin"], ["rash"])),
    ([{"effect": [4, 8]}], "Bad rash now", ([], ["rash"])),
])
def test_pair_terms(value, text, expected):
    assert pair_terms(value, text) == expected


@pytest.mark.parametrize("value,why", [
    ("aspirin", "not a list"), ([["aspirin", "rash"]], "not an object"), ([{"drug": "a", "dose": "b"}], "key 'dose'"),
    ([{}], "without drug and effect"), ([{"drug": " "}], "blank term"), ([{"drug": [0, 99]}], "outside the text"),
    ([{"drug": 7}], "a term that is a int"), ([{"drug": [0.0, 2.0]}], "a term that is a list"),
])
def test_pair_terms_refuses(value, why):
    with pytest.raises(ValueError, match=why):
        pair_terms(value, "Aspirin gave rash.")


def test_nbsvm_api_round_trip(tmp_path):
    rows = make_texts()
    est, _ = train(rows, algorithm="nbsvm", features=SMALL_FEATURES, checks=False)
    model, report = train(rows, algorithm="nbsvm", features=SMALL_FEATURES, checks=False, output=tmp_path / "m")
    texts = [r["text"] for r in rows]
    assert np.abs(model.predict_proba(texts) - est.predict_proba(texts)).max() < 1e-9
    assert model.meta["algorithm"] == "nbsvm" and model.meta["params"] == algorithm_params("classify", "nbsvm")
    assert type(est.named_steps["model"]).__name__ == "NBSVMClassifier"


def test_multilabel_nbsvm_numpy_equals_sklearn(tmp_path, multilabel_rows):
    est, _ = train(multilabel_rows, task="multilabel", algorithm="nbsvm", features=SMALL_FEATURES, checks=False)
    model, _ = train(multilabel_rows, task="multilabel", algorithm="nbsvm", features=SMALL_FEATURES, checks=False,
                     output=tmp_path / "ml")
    texts = [r["text"] for r in multilabel_rows]
    assert np.abs(model.predict_proba(texts) - est.predict_proba(texts)).max() < 1e-9
    gold = {tuple(sorted(r["labels"])) for r in multilabel_rows}
    assert "severe" in model.labels and tuple(sorted(model.predict(["metastatic carcinoma"])[0])) in gold


def test_term_pairs_api_uses_annotations_and_groups(tmp_path):
    rows = ade_rows(offsets=True)
    model, report = train(rows, algorithm="term-pairs", features=SMALL_FEATURES, checks=False, cv=3,
                          output=tmp_path / "tp")
    assert report["params"]["positive"] == "ade" and model.labels == ["ade", "no_ade"]
    assert model.meta["training_data"]["pairs_field"] == "pairs" and "unit_head" in model.meta["spec"]
    assert model.predict(["Quexamine induced green ears."]) == ["ade"]
    # the pair block's terms are the annotated ones (effects given as offsets resolve to their text)
    block = {b["name"]: b for b in model.meta["spec"]["blocks"]}["term_pairs"]["analyzer"]
    annotated = [pair_terms(r["pairs"], r["text"]) for r in rows]
    assert block["drugs"] == sorted({t for d, _ in annotated for t in d})
    assert block["effects"] == sorted({t for _, e in annotated for t in e})
    assert set(block["effects"]) <= set(EFFECTS) and len(block["effects"]) > 1


@pytest.mark.parametrize("rows,code", [
    ([{k: v for k, v in r.items() if k != "pairs"} for r in ade_rows()], "E079"),
    ([dict(r, pairs={"drug": "x"}) if i == 4 else r for i, r in enumerate(ade_rows())], "E078"),
    ([dict(r, label=["ade", "no_ade", "maybe"][i % 3]) for i, r in enumerate(ade_rows())], "E120"),
])
def test_term_pairs_bad_input(rows, code):
    with pytest.raises(InputError, match=code):
        train(rows, algorithm="term-pairs", features=SMALL_FEATURES, checks=False)


def test_term_pairs_positive_must_be_a_label():
    with pytest.raises(InputError, match="E120.*'yes'"):
        train(ade_rows(), algorithm="term-pairs", params={"positive": "yes"}, features=SMALL_FEATURES, checks=False)


@pytest.mark.parametrize("kwargs,code", [
    ({"task": "regress", "algorithm": "nbsvm"}, "E011"),
    ({"task": "multilabel", "algorithm": "term-pairs"}, "E011"),
    ({"algorithm": "nbsvm", "params": {"Cee": 1.0}}, "E122"),
    ({"algorithm": "logreg", "features": {"ngram": 2}}, "E122"),
    ({"algorithm": "logreg", "context": {"window": 2}}, "E122"),
])
def test_bad_settings_refused_before_reading(kwargs, code):
    with pytest.raises(InputError, match=code):
        train("/nonexistent.jsonl", **kwargs)


def _build_script():
    return pytest.importorskip("scripts.build_learn_models")


@pytest.mark.parametrize("name", ["abstract-topics", "ade-sentences"])
def test_cli_settings_equal_build_script(name, tmp_path):
    """train(algorithm=..., params/features of CONFIGS) fits the estimator the build script fits:
    the same probabilities on a small synthetic set."""
    B = _build_script()
    cfg = dict(B.CONFIGS[name])
    cfg["features"] = {k: v for k, v in dict(cfg["features"], **SMALL_FEATURES).items() if not k.startswith("concept")}
    if name == "ade-sentences":
        rows, algorithm = ade_rows(), "term-pairs"
        cfg["params"] = dict(cfg["params"], pair_folds=3)
        kw = {"drugs": [pair_terms(r["pairs"], r["text"])[0] for r in rows],
              "effects": [pair_terms(r["pairs"], r["text"])[1] for r in rows], "groups": [r["group"] for r in rows]}
    else:
        rows, algorithm, kw = make_texts(), "nbsvm", {}
    texts, y = [r["text"] for r in rows], np.array([r["label"] for r in rows], dtype=object)
    ref = B.make_estimator(name, cfg).fit(texts, y, **kw)
    cfg_file = tmp_path / "cfg.json"
    cfg_file.write_text(json.dumps({"params": cfg["params"], "features": cfg["features"]}))
    from medtext.learn.train_config import read_config

    settings = read_config(cfg_file)
    model, _ = train(rows, algorithm=algorithm, params=settings["params"], features=settings["features"], checks=False,
                     output=tmp_path / "m")
    assert np.abs(model.predict_proba(texts) - ref.predict_proba(texts)).max() < 1e-9
    assert dict(DEFAULT_FEATURES, **cfg["features"]) == {k: tuple(v) if isinstance(v, list) else v
                                                         for k, v in model.meta["features"].items()}


@pytest.mark.parametrize("name", ["abstract-topics", "ade-sentences", "hallmarks", "review-rating", "sentence-roles"])
def test_shipped_meta_names_the_algorithm_its_settings_are_for(name):
    """A shipped model's meta.json (and the build script's CONFIGS) names the `medtext train --algorithm` that takes
    its params, so `--config models/NAME/meta.json` alone repeats it."""
    from pathlib import Path

    from medtext.learn.models import TASK_ALGORITHMS
    from medtext.learn.train_config import check_settings, chosen_algorithm, read_config

    path = Path(__file__).resolve().parents[2] / "models" / name / "meta.json"
    cfg = read_config(path)
    assert cfg["algorithm"] in TASK_ALGORITHMS[cfg["task"]]
    assert chosen_algorithm(cfg, cfg["task"], path) == cfg["algorithm"]
    check_settings(cfg["task"], cfg["algorithm"], cfg["params"], cfg["features"], cfg["context"], str(path))
    B = _build_script()
    assert (B.CONFIGS[name]["task"], B.CONFIGS[name]["algorithm"]) == (cfg["task"], cfg["algorithm"])
