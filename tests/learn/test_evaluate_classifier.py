"""evaluate(): the metrics against scikit-learn's on a case small enough to check by hand, and the report files."""

import json

import pytest

from learn_fixtures import SMALL_FEATURES, make_texts


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from medtext.learn import train

    m, _ = train(make_texts(6), output=tmp_path_factory.mktemp("m") / "topics", features=SMALL_FEATURES, checks=False)
    return m


def test_classification_metrics_by_hand():
    """gold a a b c, predicted a b b a: per label a P 1/2 R 1/2, b P 1/2 R 1, c P 0 R 0."""
    from medtext.learn.api import classification_metrics

    m = classification_metrics(["a", "a", "b", "c"], ["a", "b", "b", "a"], ["a", "b", "c"])
    assert m["accuracy"] == pytest.approx(0.5) and m["micro_f1"] == pytest.approx(0.5)
    assert m["per_label"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["per_label"]["b"]["f1"] == pytest.approx(2 / 3) and m["per_label"]["c"]["f1"] == 0.0
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert m["weighted_f1"] == pytest.approx((2 * 0.5 + 1 * 2 / 3 + 0) / 4)


def test_report_confusion_matrix_names_its_rows(model, tmp_path):
    """With a gold label the model does not know, the matrix grew a row and a column but 'labels' still
    listed the model's labels only (3 names for a 4 x 4 matrix)."""
    from medtext.learn import evaluate

    rows = make_texts(3, seed=5)
    rows[0]["label"] = "unheard of"
    metrics = evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=lambda msg: None)
    cm = json.loads((tmp_path / "rep" / "confusion_matrix.json").read_text())
    assert cm["labels"] == list(model.labels) + ["unheard of"]
    assert len(cm["matrix"]) == len(cm["labels"]) and all(len(row) == len(cm["labels"]) for row in cm["matrix"])
    gold_row = cm["matrix"][cm["labels"].index("unheard of")]
    assert sum(gold_row) == 1 and metrics["per_label"]["unheard of"]["support"] == 1
    for j, label in enumerate(cm["labels"]):  # column sums are the predictions of each label
        assert sum(row[j] for row in cm["matrix"]) == sum(1 for r in rows for p in model.predict([r["text"]]) if p == label)


@pytest.mark.parametrize("variant", [" NEOPLASMS ", "neoplasm"])
def test_gold_labels_the_model_lacks_are_warned(model, variant):
    """A case or spelling variant of one label was scored silently as a label of its own (recall 0 there,
    macro-F1 down); W060 only spoke when no gold label at all was the model's."""
    from medtext.learn import evaluate

    rows = make_texts(3, seed=5)
    for r in rows:
        if r["label"] == "neoplasms":
            r["label"] = variant
    msgs = []
    evaluate(model, rows, warn=msgs.append)
    assert len(msgs) == 1 and "W061" in msgs[0] and "3 record(s)" in msgs[0] and repr(variant.strip()) in msgs[0]
    assert "carcinoma" not in msgs[0]
    msgs.clear()
    evaluate(model, make_texts(3, seed=5), warn=msgs.append)
    assert msgs == []


def test_multilabel_gold_written_as_one_string_is_warned(tmp_path):
    """Gold labels "a,b" (commas, where a JSON list or a|b is meant) are one unknown label each."""
    from medtext.learn import evaluate, train

    from learn_fixtures import make_texts as mk

    rows = [{"id": r["id"], "text": r["text"], "labels": [r["label"]] + (["extra"] if i % 2 else [])}
            for i, r in enumerate(mk(6))]
    model, _ = train(rows, task="multilabel", output=tmp_path / "ml", features=SMALL_FEATURES, checks=False)
    gold = [dict(r, labels=",".join(r["labels"])) for r in rows]
    msgs = []
    evaluate(model, gold, warn=msgs.append)
    assert len(msgs) == 1 and "W061" in msgs[0] and "'neoplasms,extra'" in msgs[0]


@pytest.mark.parametrize("multilabel", [False, True])
def test_macro_f1_leaves_out_labels_absent_from_gold_and_predictions(multilabel):
    """A model label that neither the gold nor the predictions hold has no F1; it was averaged in as 0, so a
    perfect run on a file with 1 of 3 labels reported macro-F1 0.333 (scikit-learn's f1_score: 1.0)."""
    from sklearn.metrics import f1_score

    from medtext.learn.api import classification_metrics

    gold, pred = ["a", "a", "b"], ["a", "b", "b"]
    if multilabel:
        gold, pred = [[g] for g in gold], [[p] for p in pred]
    m = classification_metrics(gold, pred, ["a", "b", "c"], multilabel=multilabel)
    assert m["macro_f1"] == pytest.approx(f1_score(["a", "a", "b"], ["a", "b", "b"], average="macro"))
    assert m["per_label"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    perfect = classification_metrics(gold[:1], gold[:1], ["a", "b", "c"], multilabel=multilabel)
    assert perfect["macro_f1"] == 1.0 and perfect["accuracy"] == 1.0


def test_macro_f1_counts_a_label_only_predicted():
    """A label predicted but absent from the gold is a wrong prediction: its F1 0 stays in the average."""
    from medtext.learn.api import classification_metrics

    m = classification_metrics(["a", "a"], ["a", "c"], ["a", "b", "c"])
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0) / 2)


def test_report_with_no_known_gold_label_warns_once(model, tmp_path):
    """With no gold label among the model's, matplotlib's "No artists with labels found to put in legend"
    UserWarning went to stderr (two more lines under `medtext evaluate classifier --report`)."""
    import warnings

    from medtext.learn import evaluate

    rows = [dict(r, label="unheard of") for r in make_texts(7, seed=5)]  # 21 records: no W180 either
    msgs = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=msgs.append)
    assert [str(w.message) for w in caught] == [] and len(msgs) == 1 and "W060" in msgs[0]
    assert (tmp_path / "rep" / "pr_curves.png").stat().st_size > 0


@pytest.mark.parametrize("n,warned", [(1, True), (19, True), (20, False)])
def test_report_confidence_intervals_of_few_records_warn_once(model, tmp_path, n, warned):
    """With 1 record the bootstrap intervals had width 0, without a word."""
    from medtext.learn import evaluate

    rows = make_texts(7, seed=5)[:n]
    msgs = []
    metrics = evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=msgs.append)
    assert [m for m in msgs if "W180" in m] == ([msgs[0]] if warned else []) and len(msgs) == int(warned)
    if warned:
        assert f"rest on {n} record(s), fewer than 20" in msgs[0]
    assert set(metrics["confidence_intervals"]) == {"accuracy", "macro_f1", "weighted_f1", "micro_f1"}
    msgs.clear()
    evaluate(model, rows, warn=msgs.append)  # no report, no intervals: nothing to warn about
    assert msgs == []


# ----------------------------------------------------------------------------- the report folder appears whole


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fail_at_first_plot(monkeypatch):
    import matplotlib.figure

    def boom(self, *args, **kwargs):
        raise RuntimeError("plotting failed")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", boom)


def test_report_failing_midway_leaves_no_partial_report(model, tmp_path, monkeypatch):
    """The report's files were written one by one into the folder: bootstrap_ci.json and the per-class
    tables stayed behind when the confusion-matrix plot failed."""
    from medtext.learn import evaluate

    _fail_at_first_plot(monkeypatch)
    with pytest.raises(RuntimeError, match="plotting failed"):
        evaluate(model, make_texts(7, seed=5), report_dir=tmp_path / "rep", bootstrap=10, warn=lambda m: None)
    assert list(tmp_path.iterdir()) == []  # neither the report folder nor its hidden staging folder


def test_report_failing_midway_leaves_an_earlier_report_as_it_was(model, tmp_path, monkeypatch):
    from medtext.learn import evaluate

    rows = make_texts(7, seed=5)
    evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10)
    (tmp_path / "rep" / "bootstrap_ci.json").write_text('{"earlier": "report"}')
    before = _snapshot(tmp_path / "rep")
    assert set(before) == {"bootstrap_ci.json", "per_class.csv", "per_class.md", "confusion_matrix.png",
                           "confusion_matrix.json", "pr_curves.png", "pr_curves.json"}
    _fail_at_first_plot(monkeypatch)
    with pytest.raises(RuntimeError, match="plotting failed"):
        evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10)
    assert _snapshot(tmp_path / "rep") == before and [p.name for p in tmp_path.iterdir()] == ["rep"]
    monkeypatch.undo()
    evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10)  # a finished report replaces it whole
    assert json.loads((tmp_path / "rep" / "bootstrap_ci.json").read_text())["accuracy"]["n_boot"] == 10


def test_report_into_a_folder_with_other_files_keeps_them(model, tmp_path):
    from medtext.learn import evaluate

    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "scatter.png").write_bytes(b"an earlier regressor report's plot")
    evaluate(model, make_texts(7, seed=5), report_dir=folder, bootstrap=10)
    names = {p.name for p in folder.iterdir()}
    assert (folder / "notes.txt").read_text() == "mine" and "scatter.png" not in names
    assert {"bootstrap_ci.json", "confusion_matrix.png", "per_class.csv"} <= names
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_bootstrap_without_a_report_is_refused(model):
    """``evaluate(..., bootstrap=500)`` without ``report_dir`` computed no intervals and said nothing
    (the CLI refuses ``--bootstrap`` without ``--report`` the same way)."""
    from medtext.errors import InputError
    from medtext.learn import evaluate

    with pytest.raises(InputError, match=r"E011.*bootstrap=500 without report_dir"):
        evaluate(model, make_texts(7, seed=5), bootstrap=500)
