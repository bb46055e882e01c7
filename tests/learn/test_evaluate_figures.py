"""The figures of `medtext evaluate classifier|regressor` against scikit-learn's, and the cases where medtext
defines a figure on purpose (r2 of equal gold values, labels in neither the gold nor the predictions)."""

import json

import numpy as np
import pytest

from learn_fixtures import SMALL_FEATURES, make_texts


@pytest.mark.parametrize("value,n", [(0.1, 3), (0.7, 11), (1 / 3, 10), (2.2, 7)])
def test_r2_of_equal_gold_values_is_none_whatever_their_rounding(value, n):
    """Equal gold values whose float mean is off by one unit in the last place gave r2 = -5e31 and the like
    (as scikit-learn's r2_score does) where medtext promises null."""
    from medtext.learn.api import regression_metrics

    pred = np.linspace(0, 1, n)
    m = regression_metrics([value] * n, pred)
    assert m["r2"] is None
    assert m["rmse"] == pytest.approx(np.sqrt(np.mean((pred - value) ** 2)))


def test_regression_figures_equal_scikit_learn():
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    from medtext.learn.api import regression_metrics

    rng = np.random.default_rng(3)
    gold, pred = rng.integers(1, 11, 50).astype(float), rng.normal(6, 2, 50)
    m = regression_metrics(gold, pred)
    assert m["rmse"] == pytest.approx(np.sqrt(mean_squared_error(gold, pred)), rel=1e-12)
    assert m["mae"] == pytest.approx(mean_absolute_error(gold, pred), rel=1e-12)
    assert m["r2"] == pytest.approx(r2_score(gold, pred), rel=1e-12)


# ----------------------------------------------------------------------------- labels in neither gold nor predictions


@pytest.fixture(scope="module")
def multilabel_model(tmp_path_factory):
    """Labels: the three topics and "severe"."""
    from medtext.learn import train

    rows = []
    for r in make_texts(8, seed=1):
        labs = [r["label"]] + (["severe"] if "metastatic" in r["text"] or "stroke" in r["text"] else [])
        rows.append({"id": r["id"], "text": r["text"], "labels": labs})
    m, _ = train(rows, task="multilabel", output=tmp_path_factory.mktemp("ml") / "ml", features=SMALL_FEATURES,
                 checks=False)
    return m


@pytest.fixture(scope="module")
def topic_model(tmp_path_factory):
    from medtext.learn import train

    m, _ = train(make_texts(6), output=tmp_path_factory.mktemp("m") / "topics", features=SMALL_FEATURES, checks=False)
    return m


def _no_severe(model):
    """Records that neither carry nor get "severe" (nor anything of one topic, for a single-label model)."""
    rows = [r for r in make_texts(8, seed=7) if "metastatic" not in r["text"] and "stroke" not in r["text"]]
    if model.kind == "multilabel":
        rows = [dict(r, labels=[r["label"]]) for r in rows]
        return [r for r, p in zip(rows, model.predict([r["text"] for r in rows])) if "severe" not in p]
    return [r for r, p in zip(rows, model.predict([r["text"] for r in rows]))
            if r["label"] != "neoplasms" and p != "neoplasms"]


@pytest.mark.parametrize("which", ["multilabel_model", "topic_model"])
def test_per_label_says_which_labels_macro_f1_averages(which, request):
    """per_label listed a label that is in neither the gold nor the predictions with F1 0.0 beside a macro-F1
    that leaves it out, and nothing in the output told the two apart."""
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    from medtext.learn import evaluate

    model = request.getfixturevalue(which)
    absent = "severe" if model.kind == "multilabel" else "neoplasms"
    rows = _no_severe(model)
    m = evaluate(model, rows, warn=lambda msg: None)
    assert m["per_label"][absent] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "predicted": 0}
    assert absent not in m["macro_f1_labels"] and set(m["macro_f1_labels"]) == set(model.labels) - {absent}
    pred = model.predict([r["text"] for r in rows])
    if model.kind == "multilabel":
        mlb = MultiLabelBinarizer(classes=m["macro_f1_labels"])
        y_true, y_pred = mlb.fit_transform([r["labels"] for r in rows]), mlb.transform(pred)
        assert m["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro", zero_division=0), abs=1e-12)
        counts = y_pred.sum(axis=0)
    else:
        assert m["macro_f1"] == pytest.approx(f1_score([r["label"] for r in rows], pred, labels=m["macro_f1_labels"],
                                                       average="macro", zero_division=0), abs=1e-12)
        counts = [pred.count(l) for l in m["macro_f1_labels"]]
    assert [m["per_label"][l]["predicted"] for l in m["macro_f1_labels"]] == list(counts)


def test_per_class_table_agrees_with_the_json_and_marks_labels_left_out(multilabel_model, tmp_path):
    import csv

    from medtext.learn import evaluate

    rows = _no_severe(multilabel_model)
    m = evaluate(multilabel_model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=lambda msg: None)
    with open(tmp_path / "rep" / "per_class.csv", encoding="utf-8") as f:
        table = {r["label"]: r for r in csv.DictReader(f)}
    assert list(table) == list(m["per_label"])
    for label, row in table.items():
        want = m["per_label"][label]
        assert [float(row[k]) for k in ("precision", "recall", "f1")] == [round(want[k], 4) for k in
                                                                          ("precision", "recall", "f1")]
        assert (int(row["support"]), int(row["predicted"])) == (want["support"], want["predicted"])
        assert row["in_macro_f1"] == ("yes" if label in m["macro_f1_labels"] else "no")
    md = (tmp_path / "rep" / "per_class.md").read_text(encoding="utf-8")
    assert "| severe * |" in md and "not part of macro-F1" in md


# ----------------------------------------------------------------------------- report files against scikit-learn


def test_multilabel_confusion_matrix_counts_gold_labels_the_model_lacks(multilabel_model, tmp_path):
    """per_label scored a gold label the model does not have (support n, recall 0), but the multi-label
    confusion matrix left its row out; the counts are scikit-learn's multilabel_confusion_matrix."""
    from sklearn.metrics import multilabel_confusion_matrix
    from sklearn.preprocessing import MultiLabelBinarizer

    from medtext.learn import evaluate

    rows = [dict(r, labels=[r["label"]] + (["unheard of"] if i % 3 == 0 else []))
            for i, r in enumerate(make_texts(8, seed=7))]
    m = evaluate(multilabel_model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=lambda msg: None)
    cm = json.loads((tmp_path / "rep" / "confusion_matrix.json").read_text())
    assert cm["labels"] == list(multilabel_model.labels) + ["unheard of"] and cm["columns"] == ["TP", "FN", "FP", "TN"]
    pred = multilabel_model.predict([r["text"] for r in rows])
    mlb = MultiLabelBinarizer(classes=cm["labels"])
    ref = multilabel_confusion_matrix(mlb.fit_transform([r["labels"] for r in rows]), mlb.transform(pred))
    assert cm["matrix"] == [[int(tp), int(fn), int(fp), int(tn)] for (tn, fp), (fn, tp) in ref]
    assert cm["matrix"][-1][1] == m["per_label"]["unheard of"]["support"] == len(rows[::3])


@pytest.mark.parametrize("which", ["multilabel_model", "topic_model"])
def test_pr_curves_average_precision_is_scikit_learns(which, request, tmp_path):
    """The average precision of each curve was in the PNG's legend only (2 decimals)."""
    from sklearn.metrics import average_precision_score

    from medtext.learn import evaluate

    model = request.getfixturevalue(which)
    rows = _no_severe(model) + make_texts(3, seed=9)[:4]
    if model.kind == "multilabel":
        rows = [dict(r, labels=r.get("labels", [r["label"]])) for r in rows]
    evaluate(model, rows, report_dir=tmp_path / "rep", bootstrap=10, warn=lambda msg: None)
    aps = json.loads((tmp_path / "rep" / "pr_curves.json").read_text())
    proba = model.predict_proba([r["text"] for r in rows])
    assert list(aps) == list(model.labels)
    for j, label in enumerate(model.labels):
        y = np.array([label in r["labels"] if model.kind == "multilabel" else r["label"] == label for r in rows])
        if y.any():
            assert aps[label] == {"average_precision": pytest.approx(average_precision_score(y, proba[:, j]), abs=1e-12),
                                  "support": int(y.sum())}
        else:
            assert aps[label] == {"average_precision": None, "support": 0}


# ----------------------------------------------------------------------------- bootstrap confidence intervals


def test_bootstrap_with_groups_resamples_whole_groups():
    """Two abstracts of 5 sentences, one all right and one all wrong: drawing abstracts, a resample's accuracy
    is 0, 0.5 or 1; drawing sentences it takes 11 values."""
    from medtext.learn.report import bootstrap_ci

    gold = ["a"] * 10
    pred = ["a"] * 5 + ["b"] * 5
    ci = bootstrap_ci(gold, pred, "sentences", ["a", "b"], n_boot=200, seed=1, groups=[0] * 5 + [1] * 5)
    assert ci["accuracy"]["low"] == 0.0 and ci["accuracy"]["high"] == 1.0
    assert (ci["accuracy"]["unit"], ci["accuracy"]["n_units"], ci["accuracy"]["n_defined"]) == ("abstract", 2, 200)
    flat = bootstrap_ci(gold, pred, "sentences", ["a", "b"], n_boot=200, seed=1)
    assert 0.0 < flat["accuracy"]["low"] < 0.5 < flat["accuracy"]["high"] < 1.0
    assert (flat["accuracy"]["unit"], flat["accuracy"]["n_units"]) == ("record", 10)


def test_bootstrap_is_percentiles_of_the_statistic_over_resampled_records():
    """The interval is the 2.5th and 97.5th percentile of the statistic over resamples of the records drawn
    with numpy's default_rng(seed); the same seed gives the same interval, and it holds the point estimate."""
    from sklearn.metrics import accuracy_score, f1_score

    from medtext.learn.report import bootstrap_ci

    rng = np.random.default_rng(5)
    gold = list(rng.choice(["a", "b", "c"], 60))
    pred = [g if rng.random() < 0.7 else "a" for g in gold]
    ci = bootstrap_ci(gold, pred, "classifier", ["a", "b", "c"], n_boot=300, seed=4)
    assert ci == bootstrap_ci(gold, pred, "classifier", ["a", "b", "c"], n_boot=300, seed=4)
    draw = np.random.default_rng(4)
    acc, macro = [], []
    for _ in range(300):
        idx = draw.integers(0, 60, 60)
        g, p = [gold[i] for i in idx], [pred[i] for i in idx]
        acc.append(accuracy_score(g, p))
        macro.append(f1_score(g, p, average="macro", zero_division=0))
    assert (ci["accuracy"]["low"], ci["accuracy"]["high"]) == pytest.approx(tuple(np.percentile(acc, [2.5, 97.5])))
    assert (ci["macro_f1"]["low"], ci["macro_f1"]["high"]) == pytest.approx(tuple(np.percentile(macro, [2.5, 97.5])))
    assert ci["accuracy"]["low"] < accuracy_score(gold, pred) < ci["accuracy"]["high"]
    assert ci["macro_f1"]["low"] < f1_score(gold, pred, average="macro") < ci["macro_f1"]["high"]


def test_bootstrap_counts_resamples_where_r2_is_undefined():
    from medtext.learn.report import bootstrap_ci

    ci = bootstrap_ci([1.0, 1.0, 1.0, 2.0], [1.0, 1.5, 1.0, 2.0], "regressor", None, n_boot=100, seed=0)
    assert ci["rmse"]["n_defined"] == 100 and 0 < ci["r2"]["n_defined"] < 100


@pytest.fixture(scope="module")
def roles_model(tmp_path_factory):
    from learn_fixtures import make_rct

    from medtext.learn import train

    folder = tmp_path_factory.mktemp("rct")
    (folder / "train.txt").write_text(make_rct(12), encoding="utf-8")
    m, _ = train(str(folder / "train.txt"), task="sentences", output=folder / "roles", features=SMALL_FEATURES,
                 checks=False)
    return m


def test_sentence_report_resamples_abstracts_and_draws_pr_curves(roles_model, tmp_path):
    """The intervals of a sentence-role evaluation resampled sentences one by one, as if a sentence's role did
    not depend on its abstract's; and its report had no precision-recall curves."""
    from sklearn.metrics import average_precision_score

    from learn_fixtures import make_rct

    from medtext.learn import evaluate

    path = tmp_path / "dev.txt"
    path.write_text(make_rct(25, seed=3).replace("outcome\tNo serious", "population\tNo serious"), encoding="utf-8")
    msgs = []
    m = evaluate(roles_model, str(path), report_dir=tmp_path / "rep", bootstrap=50, warn=msgs.append)
    assert msgs == [] and m["n"] == 125
    plain = evaluate(roles_model, str(path), warn=msgs.append)  # no report: labels decoded the same way
    assert plain == {k: v for k, v in m.items() if k != "confidence_intervals"}
    assert {(v["unit"], v["n_units"]) for v in m["confidence_intervals"].values()} == {("abstract", 25)}
    assert m["confidence_intervals"] == json.loads((tmp_path / "rep" / "bootstrap_ci.json").read_text())
    assert (tmp_path / "rep" / "pr_curves.png").stat().st_size > 0
    aps = json.loads((tmp_path / "rep" / "pr_curves.json").read_text())
    abstracts = [[line.split("\t") for line in block.strip().split("\n")[1:]]
                 for block in path.read_text().split("\n\n") if block.strip()]
    scores = [s["scores"] for a in abstracts for s in roles_model.classify_abstract([t for _, t in a])]
    gold = [l for a in abstracts for l, _ in a]
    for label in ("background", "population"):
        y = [g == label for g in gold]
        assert aps[label]["average_precision"] == pytest.approx(
            average_precision_score(y, [s[label] for s in scores]), abs=1e-12)


def test_sentence_report_of_few_abstracts_warns(roles_model, tmp_path):
    """25 sentences of 5 abstracts: the intervals rest on 5 resampled units, not 25 (W180 did not speak)."""
    from learn_fixtures import make_rct

    from medtext.learn import evaluate

    path = tmp_path / "dev.txt"
    path.write_text(make_rct(5, seed=3), encoding="utf-8")
    msgs = []
    evaluate(roles_model, str(path), report_dir=tmp_path / "rep", bootstrap=10, warn=msgs.append)
    assert len(msgs) == 1 and "W197" in msgs[0] and "5 abstract(s), fewer than 20" in msgs[0]
