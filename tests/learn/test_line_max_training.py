"""learn.train --algorithm line-max: each record's labelled sentences (medtext.learn.sentence_label_data),
one-line errors for bad ones, equality with the estimator scripts/build_learn_models.py builds for
`hallmarks`; the shipped model rebuilt from its meta.json is in test_shipped_rebuilds."""

import json
from pathlib import Path

import numpy as np
import pytest

from medtext.errors import InputError
from medtext.learn import train
from medtext.learn.models import LineMaxMultiLabel
from medtext.learn.sentence_label_data import sentence_labels

from learn_fixtures import SMALL_FEATURES, hoc_rows

REPO = Path(__file__).resolve().parents[2]
TEXT = "Cells grew.\nTumours spread fast.\n"


@pytest.mark.parametrize("value,expected", [
    ([], ([], [])),
    ([{"text": "Cells grew.", "labels": []}], (["Cells grew."], [[]])),
    ([{"start": 12, "end": 32, "labels": ["b"]}], (["Tumours spread fast."], [["b"]])),
    ([{"text": "Cells grew.", "labels": [" a "]}, {"start": 12, "end": 32, "labels": ["a", "b"]}],
     (["Cells grew.", "Tumours spread fast."], [["a"], ["a", "b"]])),
])
def test_sentence_labels(value, expected):
    assert sentence_labels(value, TEXT, ["a", "b"]) == expected


@pytest.mark.parametrize("value,why", [
    ("Cells grew.", "a str, not a list"),
    ({"text": "Cells grew.", "labels": []}, "a dict, not a list"),
    (["Cells grew."], "not an object"),
    ([{"text": "Cells grew.", "labels": [], "role": "x"}], "key 'role'"),
    ([{"text": "Cells grew."}], "no labels"),
    ([{"text": "Cells grew.", "labels": "a"}], "labels that are a str"),
    ([{"text": "Cells grew.", "labels": [1]}], "labels that are a list"),
    ([{"text": "Cells grew.", "labels": ["c"]}], "label 'c' that is not one of the record's labels"),
    ([{"text": "Cells grew.", "start": 0, "end": 11, "labels": []}], "both text and start/end"),
    ([{"start": 0, "labels": []}], "not both integers"),
    ([{"start": 0.0, "end": 11.0, "labels": []}], "not both integers"),
    ([{"start": 12, "end": 99, "labels": []}], "outside the text"),
    ([{"start": 5, "end": 5, "labels": []}], "outside the text"),
    ([{"start": -1, "end": 5, "labels": []}], "outside the text"),
    ([{"start": 11, "end": 12, "labels": []}], "only white space"),
    ([{"labels": []}], "no text or start/end"),
    ([{"text": 7, "labels": []}], "a text that is a int"),
    ([{"text": "  ", "labels": []}], "blank sentence"),
])
def test_sentence_labels_refuses(value, why):
    with pytest.raises(ValueError, match=why):
        sentence_labels(value, TEXT, ["a", "b"])


def test_line_max_trains_on_the_sentences(tmp_path):
    rows = hoc_rows()
    model, report = train(rows, task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False,
                          cv=3, output=tmp_path / "lm")
    assert model.meta["algorithm"] == "line-max" and model.meta["training_data"]["sentences_field"] == "sentences"
    assert model.meta["params"] == {"C": 3.0, "class_weight": "balanced", "line_C": 3.0,
                                    "line_class_weight": "balanced", "mix": 0.5, "threshold": 0.5}
    assert "line_head" in model.meta["spec"] and report["cv_metrics"]["micro_f1"] > 0.8
    # the sentence head learnt the sentences' own labels: a filler line says nothing, a topic line its topic
    est, _ = train(rows, task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False)
    p = est.line_head_.predict_proba(est.features_.transform(["Patients were treated .", "Carcinoma lymphoma ."]))
    j = model.labels.index("neoplasms")
    assert p[1, j] > 0.5 > p[0, j]


def test_offsets_and_texts_give_the_same_model(tmp_path):
    a, _ = train(hoc_rows(), task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False,
                 output=tmp_path / "text")
    b, _ = train(hoc_rows(offsets=True), task="multilabel", algorithm="line-max", features=SMALL_FEATURES,
                 checks=False, output=tmp_path / "offsets")
    assert a.meta["spec"] == b.meta["spec"]


def test_sentences_differ_from_document_labels_only():
    """Trained on its sentences' own labels the sentence head differs from the one trained on every line
    with the document's labels (what LineMaxMultiLabel does without sentences)."""
    rows = hoc_rows()
    est, _ = train(rows, task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False)
    plain = LineMaxMultiLabel(features=est.features, doc_head=est.doc_head, line_head=est.line_head)
    plain.fit([r["text"] for r in rows], np.array([[int(l in r["labels"]) for l in sorted({"cardiovascular diseases",
               "digestive system diseases", "neoplasms"})] for r in rows]))
    assert not np.array_equal(plain.line_head_.coef_, est.line_head_.coef_)
    assert np.array_equal(plain.doc_head_.coef_, est.doc_head_.coef_)


def _with(rows, i, **change):
    return [dict(r, **change) if j == i else r for j, r in enumerate(rows)]


@pytest.mark.parametrize("rows,code,needle", [
    ([{k: v for k, v in r.items() if k != "sentences"} for r in hoc_rows()], "E126", "30 record(s)"),
    (_with(hoc_rows(), 4, sentences=None), "E126", "doc-4"),
    (_with(hoc_rows(), 4, sentences="Carcinoma ."), "E125", "a str, not a list; first ids: doc-4"),
    (_with(hoc_rows(), 5, sentences=[{"text": "Carcinoma .", "labels": ["cardiovascular diseases"]}]), "E125",
     "label 'cardiovascular diseases' that is not one of the record's labels; first ids: doc-5"),
    (_with(hoc_rows(), 6, sentences=[{"start": 0, "end": 9999, "labels": []}]), "E125", "outside the text"),
    (_with(hoc_rows(), 6, sentences=[["Carcinoma .", ["neoplasms"]]]), "E125", "not an object"),
    ([dict(r, sentences=[]) for r in hoc_rows()], "E127", "'sentences'"),
])
def test_bad_sentences_are_one_line_errors(rows, code, needle):
    with pytest.raises(InputError) as e:
        train(rows, task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False)
    msg = str(e.value)
    assert code in msg and needle in msg and "\n" not in msg
    texts = {s.get("text") for r in rows for s in (r.get("sentences") or []) if isinstance(s, dict)}
    assert not any(t and t in msg for t in texts)  # no note text in the message


def test_other_field_name_and_file_input(tmp_path):
    rows = [{"id": r["id"], "text": r["text"], "labels": r["labels"], "sents": r["sentences"]} for r in hoc_rows()]
    path = tmp_path / "hoc.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError, match="E126.*'sentences'"):
        train(str(path), task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False)
    model, _ = train(str(path), task="multilabel", algorithm="line-max", features=SMALL_FEATURES, checks=False,
                     sentences_field="sents", output=tmp_path / "m")
    assert model.meta["training_data"]["sentences_field"] == "sents"
    csv = tmp_path / "hoc.csv"
    csv.write_text("id,text,labels\n1,a,x\n")
    with pytest.raises(InputError, match="E121.*--algorithm line-max reads the 'sentences' field"):
        train(str(csv), task="multilabel", algorithm="line-max", checks=False)


def test_hallmarks_meta_names_its_algorithm():
    """The shipped hallmarks meta.json as --config without --algorithm line-max: E122 says whose params they are."""
    from medtext.learn.train_config import read_config

    s = read_config(REPO / "models" / "hallmarks" / "meta.json")
    with pytest.raises(InputError, match="E122.*'line_C'.*these are the params of --algorithm line-max"):
        train("/nonexistent.jsonl", task="multilabel", params=s["params"], features=s["features"])


@pytest.mark.parametrize("kwargs,why", [
    ({"sentences": [["a"]]}, "pass both"),
    ({"sentences": [["a"]], "sentence_Y": [[[1]]]}, "one entry per document"),
    ({"sentences": [["a"], ["b"]], "sentence_Y": [[[1], [0]], [[1]]]}, "one sentence_Y row per sentence"),
])
def test_line_max_fit_checks_its_sentences(kwargs, why):
    with pytest.raises(ValueError, match=why):
        LineMaxMultiLabel().fit(["a", "b"], np.array([[1], [0]]), **kwargs)


def test_line_max_equals_build_script():
    """train(algorithm="line-max", params/features of CONFIGS["hallmarks"]) fits the estimator the build script
    fits, on the sentences the build script reads: the same arrays."""
    B = pytest.importorskip("scripts.build_learn_models")
    from scripts import learn_data as D

    from medtext.learn.models import export_spec

    rows = hoc_rows()
    labels = sorted({l for r in rows for l in r["labels"]})
    # the build script's rows: HoC text + one label list per line (line_labels)
    brows = [{"text": r["text"], "labels": r["labels"], "line_labels": [s["labels"] for s in r["sentences"]]}
             for r in rows]
    assert [D.hallmarks_lines([b])[0] for b in brows] == [[s["text"] for s in r["sentences"]] for r in rows]
    cfg = dict(B.CONFIGS["hallmarks"], features=dict(B.CONFIGS["hallmarks"]["features"], **SMALL_FEATURES))
    X, Y = B.xy("multilabel", brows, labels)
    ref = B.make_estimator("hallmarks", cfg).fit(X, Y, **B.fit_kwargs("hallmarks", brows, labels))
    est, _ = train(rows, task="multilabel", algorithm="line-max", params=cfg["params"], features=cfg["features"],
                   checks=False)
    a, b = export_spec(ref, "multilabel", labels), export_spec(est, "multilabel", labels)
    for part in ("head", "line_head"):
        for key, value in a[part].items():
            assert np.array_equal(np.asarray(value), np.asarray(b[part][key])), (part, key)
    assert a["blocks"][0]["terms"] == b["blocks"][0]["terms"]
