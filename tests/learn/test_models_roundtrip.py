"""Train -> save -> load -> predict round trips, and numpy path == scikit-learn path (to 1e-9)."""

import json

import numpy as np
import pytest

from medtext.learn import load_model, train
from medtext.learn.api import prepare_training
from medtext.learn.data import read_records
from medtext.learn.linear_numpy import NumpyModel
from medtext.learn.models import build_estimator, export_spec

from learn_fixtures import SMALL_FEATURES


@pytest.mark.parametrize("algorithm", ["logreg", "svm"])
def test_classifier_numpy_equals_sklearn(tmp_path, texts_rows, algorithm):
    est, _ = train(texts_rows, task="classify", algorithm=algorithm, features=SMALL_FEATURES, checks=False)
    texts = [r["text"] for r in texts_rows] + ["carcinoma of the liver", "", "zzz unknown words"]
    ref = est.predict_proba(texts)
    inner = est.named_steps["model"].estimator_          # the plain scikit-learn model
    assert np.abs(ref - inner.predict_proba(est.named_steps["features"].transform(texts))).max() < 1e-9
    model, _ = train(texts_rows, task="classify", algorithm=algorithm, features=SMALL_FEATURES, checks=False,
                     output=tmp_path / "m")
    assert np.abs(model.predict_proba(texts) - ref).max() < 1e-9
    assert model.predict(texts) == list(est.predict(texts))
    out = model.classify(texts[:2])
    assert set(out[0]) == {"label", "scores"} and abs(sum(out[0]["scores"].values()) - 1) < 1e-9


def test_multilabel_round_trip(tmp_path, multilabel_rows):
    model, _ = train(multilabel_rows, task="multilabel", features=SMALL_FEATURES, checks=False, output=tmp_path / "ml")
    X, Y, labels = prepare_training([{"id": r["id"], "text": r["text"], "label": r["labels"]} for r in multilabel_rows],
                                    "multilabel")
    est = build_estimator("multilabel", features=dict(__import__("medtext.learn.api", fromlist=["x"]).DEFAULT_FEATURES,
                                                      **SMALL_FEATURES)).fit(X, Y)
    assert np.abs(model.predict_proba(X) - est.predict_proba(X)).max() < 1e-9
    recs = model.classify(X[:3])
    assert set(recs[0]) == {"labels", "scores"} and isinstance(recs[0]["labels"], list)
    assert model.labels == labels


@pytest.mark.parametrize("algorithm", ["ridge", "linear", "ordinal"])
def test_regressor_round_trip(tmp_path, regress_rows, algorithm):
    est, _ = train(regress_rows, task="regress", algorithm=algorithm, features=SMALL_FEATURES, checks=False)
    model, _ = train(regress_rows, task="regress", algorithm=algorithm, features=SMALL_FEATURES, checks=False,
                     output=tmp_path / "r")
    texts = [r["text"] for r in regress_rows]
    assert np.abs(np.array(model.score(texts)) - est.predict(texts)).max() < 1e-9
    lo, hi = min(r["label"] for r in regress_rows), max(r["label"] for r in regress_rows)
    assert all(lo <= s <= hi for s in model.score(["great great great excellent relief"] * 2))


@pytest.mark.parametrize("transition_weight,stack", [(0.0, False), (1.0, False), (0.5, True)])
def test_sentence_roles_round_trip(tmp_path, rct_file, transition_weight, stack):
    recs = read_records(rct_file, "rct")
    X, y, labels = prepare_training(recs, "sentences")
    est = build_estimator("sentences", features=SMALL_FEATURES, transition_weight=transition_weight,
                          stack=stack).fit(X, y)
    spec = export_spec(est, "sentences")
    np_model = NumpyModel(spec)
    for abstract in X[:3]:
        labs, post = np_model.predict_abstract(abstract)
        assert labs == est.predict([abstract])[0]
        assert np.abs(post - est.predict_proba([abstract])[0]).max() < 1e-9
    model, _ = train(str(rct_file), task="sentences", features=SMALL_FEATURES, checks=False, output=tmp_path / "s",
                     params={"transition_weight": transition_weight, "stack": stack})
    assert model.predict(X[:2]) == est.predict(X[:2])
    assert model.predict(X[:1])[0][:2] == ["background", "population"]


def test_meta_contents(tmp_path, train_file):
    train(str(train_file), output=tmp_path / "m", features=SMALL_FEATURES, cv=3)
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    for key in ("name", "task", "labels", "versions", "training_data", "metrics", "files", "format_version"):
        assert key in meta
    assert meta["versions"]["medtext"] and "scikit-learn" in meta["versions"] and "spacy" in meta["versions"]
    assert len(meta["training_data"]["sha256"]) == 64 and meta["metrics"]["macro_f1"] > 0.5
    assert all(len(h) == 64 for h in meta["files"].values())
    assert not list((tmp_path / "m").glob("*.pkl"))


def test_search_picks_params(texts_rows):
    est, report = train(texts_rows, features={"min_df": 1, "char_ngram_range": None}, search=True, cv=3, checks=False)
    assert set(report["params"]) == {"C", "class_weight"} and report["cv_metrics"]["macro_f1"] > 0.5


def test_pandas_input(tmp_path, texts_rows):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(texts_rows)
    model, _ = train(df, output=tmp_path / "pd", features=SMALL_FEATURES, checks=False)
    assert len(model.predict(df["text"])) == len(df)


def test_line_max_multilabel_round_trip(tmp_path, multilabel_rows):
    from medtext.learn.api import DEFAULT_FEATURES
    from medtext.learn.models import LineMaxMultiLabel
    from medtext.features.tfidf import ClinicalTfidf
    from medtext.learn.persist import save_spec

    X, Y, labels = prepare_training([{"id": r["id"], "text": r["text"], "label": r["labels"]} for r in multilabel_rows],
                                    "multilabel")
    docs = [x.replace(" with ", " with\n") for x in X]          # multi-line documents
    est = LineMaxMultiLabel(features=ClinicalTfidf(**dict(DEFAULT_FEATURES, **SMALL_FEATURES)), mix=0.4,
                            threshold=0.45).fit(docs, Y)
    save_spec(export_spec(est, "multilabel", labels), tmp_path / "lm")
    model = load_model(tmp_path / "lm")
    assert np.abs(model.predict_proba(docs) - est.predict_proba(docs)).max() < 1e-9
    pred = est.predict(docs)
    assert model.predict(docs) == [[labels[j] for j in np.flatnonzero(r)] for r in pred]


def test_predict_frame(tmp_path, texts_rows, regress_rows):
    pd = pytest.importorskip("pandas")
    model, _ = train(texts_rows, output=tmp_path / "c", features=SMALL_FEATURES, checks=False)
    df = pd.DataFrame(texts_rows[:4])
    out = model.predict_frame(df)
    assert list(out["label"]) == model.predict(df["text"]) and "p(neoplasms)" in out.columns
    reg, _ = train(regress_rows, task="regress", output=tmp_path / "r", features=SMALL_FEATURES, checks=False)
    assert "score" in reg.predict_frame(pd.DataFrame(regress_rows[:3])).columns


@pytest.mark.parametrize("kinds, trees", [(("codes", "chapters", "mentions"), {}), (("pairs",), {}),
                                          (("codes", "chapters", "mentions"), {"concept_trees": 2}),
                                          (("codes", "chapters", "mentions"), {"concept_trees": 2, "tree_weight": 0.4})])
def test_concept_features_numpy_equals_sklearn(tmp_path, texts_rows, kinds, trees):
    feats = dict(SMALL_FEATURES, concepts=True, concept_weight=0.5, concept_kinds=kinds, **trees)
    est, _ = train(texts_rows, task="classify", algorithm="logreg", features=feats, checks=False)
    model, _ = train(texts_rows, task="classify", algorithm="logreg", features=feats, checks=False, output=tmp_path / "c")
    texts = [r["text"] for r in texts_rows] + ["metastatic breast cancer treated with tamoxifen", ""]
    assert "concepts" in [b["name"] for b in est.named_steps["features"].export_blocks()]
    if trees:
        assert any("tree1=C04" in n for n in est.named_steps["features"].get_feature_names_out())
    assert np.abs(model.predict_proba(texts) - est.predict_proba(texts)).max() < 1e-9
