"""Bad training files give one clear, coded error (no text in the message)."""

import json

import pytest

from medtext.errors import InputError
from medtext.learn import train

from learn_fixtures import SMALL_FEATURES, make_texts


def _jsonl(tmp_path, rows, name="bad.jsonl"):
    p = tmp_path / name
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return p


GOOD = make_texts(6)


@pytest.mark.parametrize("rows,code", [
    ([{"id": r["id"], "label": r["label"]} for r in GOOD], "E004"),                       # no text field at all
    ([dict(r, label=None) if i == 2 else r for i, r in enumerate(GOOD)], "E060"),        # missing label
    ([dict(r, text="   ") if i == 1 else r for i, r in enumerate(GOOD)], "E061"),        # blank text
    ([dict(r, label="neoplasms") for r in GOOD], "E062"),                                 # one class only
    ([dict(r, label="neoplasm") if i == 0 and r["label"] == "neoplasms" else r
      for i, r in enumerate(sorted(GOOD, key=lambda r: r["label"] != "neoplasms"))], "E063"),  # label typo
    ([], "E065"),
])
def test_bad_classify_files(tmp_path, rows, code):
    with pytest.raises(InputError, match=code) as exc:
        train(str(_jsonl(tmp_path, rows)), features=SMALL_FEATURES, checks=False)
    assert "carcinoma" not in str(exc.value) and "\n" not in str(exc.value)


def test_typo_can_be_kept(tmp_path):
    rows = [dict(r) for r in GOOD]
    rows[0]["label"] = rows[0]["label"].upper()
    model, _ = train(rows, features=SMALL_FEATURES, checks=False, keep_labels=True)
    assert model is not None


def test_csv_missing_column(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,body,label\n1,x,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="E004"):
        train(str(p), features=SMALL_FEATURES)


def test_regress_needs_numbers(tmp_path):
    rows = [{"id": str(i), "text": f"text {i}", "label": "high" if i == 3 else i} for i in range(10)]
    with pytest.raises(InputError, match="E064"):
        train(str(_jsonl(tmp_path, rows)), task="regress", features=SMALL_FEATURES, checks=False)


def test_sentences_need_rct(tmp_path):
    with pytest.raises(InputError, match="E067"):
        train(str(_jsonl(tmp_path, GOOD)), task="sentences", features=SMALL_FEATURES)


def test_strict_checks_stop_training(tmp_path):
    rows = GOOD + [dict(GOOD[0], id="dup")]
    with pytest.raises(InputError, match="E066"):
        train(str(_jsonl(tmp_path, rows)), features=SMALL_FEATURES, strict=True)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="E001"):
        train(str(tmp_path / "nope.jsonl"))


# ----------------------------------------------------------------------------- calibrated SVM and folds


def _one_example_of(rows, label):
    keep = [r for r in rows if r["label"] != label] + [next(r for r in rows if r["label"] == label)]
    return keep


@pytest.mark.parametrize("cv", [None, 3])
def test_svm_class_of_one_example(tmp_path, cv):
    rows = _one_example_of(GOOD, "neoplasms")
    with pytest.raises(InputError, match="E073") as exc:
        train(str(_jsonl(tmp_path, rows)), algorithm="svm", cv=cv, features=SMALL_FEATURES, checks=False)
    msg = str(exc.value)
    assert "label 'neoplasms' has only 1 example" in msg and "--algorithm logreg" in msg and "fold" not in msg


def test_svm_sentence_role_of_one_sentence(tmp_path):
    from learn_fixtures import make_rct

    text = make_rct(6).replace("population\tWe", "rare\tWe", 1)
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="E073.*label 'rare' has only 1"):
        train(str(p), task="sentences", algorithm="svm", features=SMALL_FEATURES, checks=False)


def test_svm_multilabel_label_of_one_record(tmp_path):
    rows = [{"id": r["id"], "text": r["text"], "labels": [r["label"]] + (["rare"] if i == 0 else [])}
            for i, r in enumerate(GOOD)]
    with pytest.raises(InputError, match="E073.*label 'rare' has only 1"):
        train(rows, task="multilabel", algorithm="svm", features=SMALL_FEATURES, checks=False)


def test_linear_classifier_says_why():
    import numpy as np

    from medtext.learn.linear import LinearClassifier, TooFewExamples

    with pytest.raises(TooFewExamples, match="class 'c' has 1 example"):
        LinearClassifier(algorithm="svm").fit(np.eye(5), ["a", "a", "b", "b", "c"])


def test_more_folds_than_records(tmp_path):
    with pytest.raises(InputError, match="E074.*--cv 40 needs at least 40 records.*has 18"):
        train(str(_jsonl(tmp_path, GOOD)), cv=40, features=SMALL_FEATURES, checks=False)


def test_search_on_fewer_records_than_its_default_folds_says_where_the_5_comes_from(tmp_path):
    rows = GOOD[:2] + GOOD[-2:]
    with pytest.raises(InputError, match="E183") as exc:  # was "E074 Option --cv 5 needs ...", --cv never given
        train(str(_jsonl(tmp_path, rows)), search=True, features=SMALL_FEATURES, checks=False)
    msg = str(exc.value)
    assert "--cv 5" not in msg and "5-fold cross-validation (its default when --cv is not given)" in msg
    assert "has 4" in msg and "Give --cv 4" in msg and "without --search" in msg
    with pytest.raises(InputError, match="E074.*--cv 6 needs at least 6 records"):  # a --cv given stays E074
        train(str(_jsonl(tmp_path, rows)), search=True, cv=6, features=SMALL_FEATURES, checks=False)


@pytest.mark.parametrize("task", ["classify", "sentences"])
def test_label_lists_need_multilabel(tmp_path, task):
    rows = [dict(r, label=[r["label"], "other"]) if i % 2 else r for i, r in enumerate(GOOD)]
    if task == "sentences":  # records as the API takes them: one abstract per record id
        rows = [dict(r, abstract_id=str(i // 3)) for i, r in enumerate(rows)]
    with pytest.raises(InputError, match="E076") as exc:
        train(rows, task=task, features=SMALL_FEATURES, checks=False)
    assert "--task multilabel" in str(exc.value) and "9 record(s)" in str(exc.value)


def test_evaluate_single_label_model_on_label_lists(tmp_path):
    from medtext.learn import evaluate

    model, _ = train(GOOD, output=tmp_path / "m", features=SMALL_FEATURES, checks=False)
    rows = [dict(r, label=[r["label"]]) for r in GOOD]
    with pytest.raises(InputError, match="E076.*single-label classifier"):
        evaluate(model, rows)


@pytest.mark.parametrize("kind", ["classify", "multilabel"])
def test_evaluate_refuses_object_labels_saying_what_they_are(tmp_path, kind):
    from medtext.learn import evaluate

    rows = GOOD if kind == "classify" else [dict(r, label=[r["label"]]) for r in GOOD]
    model, _ = train(rows, task=kind, output=tmp_path / "m", features=SMALL_FEATURES, checks=False,
                     label_field="label")
    bad = [dict(r, label={"name": r["label"]} if i == 2 else r["label"]) for i, r in enumerate(rows)]
    with pytest.raises(InputError, match="E180") as exc:
        evaluate(model, bad, label_field="label")
    assert "JSON object" in str(exc.value) and "list of labels" not in str(exc.value)


def test_json_numbers_1_and_1_0_are_one_class():
    rows = [dict(r, label=float(i % 2) if i % 3 else i % 2) for i, r in enumerate(GOOD)]
    model, _ = train(rows, output=None, features=SMALL_FEATURES, checks=False)
    assert sorted(model.classes_) == ["0", "1"]


def test_csv_nan_label_is_missing(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,text,label\n" + "".join(f"{r['id']},{r['text']},{'NaN' if i == 4 else r['label']}\n"
                                             for i, r in enumerate(GOOD)))
    with pytest.raises(InputError, match="E060.*first ids: " + GOOD[4]["id"]):
        train(str(p), features=SMALL_FEATURES, checks=False)


# ----------------------------------------------------------------------------- settings of the wrong type or value


@pytest.mark.parametrize("kw,needle", [
    ({"params": {"C": "3"}}, "'C' must be a number; got str '3'"),
    ({"params": {"C": True}}, "'C' must be a number"),
    ({"params": {"C": float("nan")}}, "'C' must be a finite number"),
    ({"params": {"C": -1}}, "The 'C' parameter of LogisticRegression"),                 # scikit-learn's check
    ({"params": {"class_weight": "balance"}}, "The 'class_weight' parameter"),
    ({"features": {"min_df": "two"}}, "The 'min_df' parameter of TfidfVectorizer"),
    ({"features": {"max_features_word": 0}}, "The 'max_features' parameter"),
    ({"features": {"word_ngram_range": [3, 1]}}, "word_ngram_range must be null or [low, high]"),
    ({"features": {"word_ngram_range": "1,2"}}, "word_ngram_range must be null or [low, high]"),
    ({"features": {"numbers": "drop"}}, "numbers must be 'collapse' or 'keep'"),
    ({"features": {"char_weight": -1}}, "char_weight must be a finite number >= 0"),
])
def test_settings_of_a_wrong_type_or_value_are_one_coded_line(kw, needle):
    """A config value that cannot work is E122 naming it (was: an unexpected InvalidParameterError/ValueError,
    or for a reversed n-gram range 'empty vocabulary')."""
    rows = [dict(r, text=r["text"] + " zqxmarker") for r in GOOD]
    with pytest.raises(InputError, match="E122") as exc:
        train(rows, checks=False, settings_source="cfg.json", **kw)
    msg = str(exc.value)
    assert needle in msg and "cfg.json" in msg and "\n" not in msg and "zqxmarker" not in msg


def test_sentence_context_values_are_numbers(tmp_path):
    from learn_fixtures import make_rct

    p = tmp_path / "r.txt"
    p.write_text(make_rct(4), encoding="utf-8")
    with pytest.raises(InputError, match="E122.*context: 'window' must be a number; got str '2'"):
        train(str(p), task="sentences", context={"window": "2"}, checks=False)


@pytest.mark.parametrize("rows,features,why", [
    ([{"text": w, "label": "ab"[i % 2]} for i, w in enumerate(["alpha", "beta", "gamma", "delta"])], None,
     "every term is in fewer records than min_df"),                        # a small file: min_df 2 keeps nothing
    (GOOD, {"min_df": 1000}, "min_df is more than the number of records"),
    ([{"text": t, "label": "ab"[i % 2]} for i, t in enumerate(["!!", "??", "!!", "??"])], {"min_df": 1},
     "no term in any text"),
])
def test_features_that_keep_no_term_are_E136(rows, features, why):
    """Was: 'unexpected ValueError' (scikit-learn's 'After pruning, no terms remain')."""
    with pytest.raises(InputError, match="E136") as exc:
        train(rows, features=features, checks=False)
    assert why in str(exc.value) and "min_df" in str(exc.value) and "\n" not in str(exc.value)


def test_clinical_tfidf_refuses_a_reversed_range():
    from medtext.features.tfidf import ClinicalTfidf

    with pytest.raises(ValueError, match="char_ngram_range must be null or"):
        ClinicalTfidf(char_ngram_range=(5, 2)).fit(["chest pain", "fever"])


@pytest.mark.parametrize("bad", [[None], ["a", {"x": 1}], [["a"]], '["a", null]'])
def test_multilabel_label_items_must_be_labels(tmp_path, bad):
    """A null / object / list among a record's labels was trained as the label 'None' / "{'x': 1}" / "['a']"."""
    from medtext.learn import check_records
    from medtext.learn.data import read_records

    rows = [{"id": r["id"], "text": r["text"], "labels": bad if i == 4 else [r["label"]]} for i, r in enumerate(GOOD)]
    p = _jsonl(tmp_path, rows)
    with pytest.raises(InputError, match="E137") as exc:
        train(str(p), task="multilabel", features=SMALL_FEATURES, checks=False)
    assert f"first ids: {GOOD[4]['id']}" in str(exc.value) and "\n" not in str(exc.value)
    rep = check_records(read_records(p, label_field="labels"), multilabel=True)
    assert rep["problems"]["label_item"]["examples"] == [GOOD[4]["id"]]
    assert "None" not in rep["label_counts"]


@pytest.mark.parametrize("text,why", [(["a list"], "text is not a string (got list)"),
                                      (12, "text is not a string (got int)"), ("  ", "blank text")])
def test_unusable_text_says_why(tmp_path, text, why):
    """E061 said 'empty or blank text' for a list or a number in the text field too."""
    rows = [dict(r, text=text) if i == 2 else r for i, r in enumerate(GOOD)]
    for records in (str(_jsonl(tmp_path, rows)), rows):
        with pytest.raises(InputError, match="E061") as exc:
            train(records, features=SMALL_FEATURES, checks=False)
        assert f"({why}; first ids: {GOOD[2]['id']})" in str(exc.value)


@pytest.mark.parametrize("labels,n", [([i / 7 for i in range(120)], 120), ([3] * 120, 1)])
def test_ordinal_needs_a_rating_scale(labels, n):
    """Continuous or constant labels with --algorithm ordinal ended in 'unexpected ValueError' on the command line."""
    rows = [{"id": str(i), "text": f"dose {i} word{i % 7} word{i % 5}", "label": y} for i, y in enumerate(labels)]
    with pytest.raises(InputError, match="E138") as exc:
        train(rows, task="regress", algorithm="ordinal", features=SMALL_FEATURES, checks=False)
    assert f"the labels take {n}" in str(exc.value) and "--algorithm ridge" in str(exc.value)


# ----------------------------------------------------------------------------- a label field the file does not have


def _as_csv(tmp_path, rows, name="t.csv", sep=","):
    import csv

    p = tmp_path / name
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(["id", "text", "category"])
        w.writerows([r["id"], r["text"], r["label"]] for r in rows)
    return p


@pytest.mark.parametrize(("make", "what"), [
    (lambda tmp, rows: _as_csv(tmp, rows), "column"),
    (lambda tmp, rows: _as_csv(tmp, rows, "t.tsv", "\t"), "column"),
    (lambda tmp, rows: _jsonl(tmp, [{"id": r["id"], "text": r["text"], "category": r["label"]} for r in rows]), "field"),
    (lambda tmp, rows: [{"id": r["id"], "text": r["text"], "category": r["label"]} for r in rows], "field"),
])
@pytest.mark.parametrize(("task", "label_field"), [("classify", None), ("classify", "cat"), ("multilabel", None)])
def test_label_field_the_file_lacks_is_named_with_the_fields_it_has(tmp_path, make, what, task, label_field):
    data = make(tmp_path, GOOD)
    with pytest.raises(InputError, match="E159") as exc:
        train(data if isinstance(data, list) else str(data), task=task, label_field=label_field,
              features=SMALL_FEATURES, checks=False)
    missing = label_field or ("labels" if task == "multilabel" else "label")
    message = str(exc.value)
    assert f"has no {what} '{missing}' for the labels ({what}s found: 'id', 'text', 'category')" in message
    assert "--label-field" in message and "carcinoma" not in message and "\n" not in message


def test_evaluate_names_the_missing_gold_label_column(tmp_path):
    from medtext.learn import evaluate

    model, _ = train(GOOD, output=tmp_path / "m", features=SMALL_FEATURES, checks=False)
    with pytest.raises(InputError, match=r"E159.*no column 'label'.*'id', 'text', 'category'"):
        evaluate(model, str(_as_csv(tmp_path, GOOD)))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_labels_column_does_not_stand_in_for_a_label_field_the_user_named(tmp_path, fmt):
    # 'labels' is the default field's alternative only: --label-field cat on a file without 'cat' is E159
    if fmt == "csv":
        path = _as_csv(tmp_path, GOOD)
        path.write_text(path.read_text(encoding="utf-8").replace("category", "labels", 1), encoding="utf-8")
    else:
        path = _jsonl(tmp_path, [{"id": r["id"], "text": r["text"], "labels": r["label"]} for r in GOOD])
    with pytest.raises(InputError, match="E159.*'cat'"):
        train(str(path), task="classify", label_field="cat", features=SMALL_FEATURES, checks=False)


@pytest.mark.parametrize("huge", [1e160, 4e39])
def test_regression_labels_too_large_write_no_model(tmp_path, huge, capfd):
    """Labels whose squares overflow (1e160) or whose weights overflow float32 storage (4e39) printed numpy
    RuntimeWarnings, wrote the model folder, then refused to load it ("E035 ... head holds NaN/inf")."""
    rows = [{"id": str(i), "text": f"{w} stroke {i % 4}", "label": huge if i % 2 else float(i)}
            for i, w in enumerate(["carcinoma", "colitis", "infarction"] * 6)]
    out = tmp_path / "m"
    with pytest.raises(InputError, match="E166") as exc:
        train(str(_jsonl(tmp_path, rows)), task="regress", output=out, features=SMALL_FEATURES, checks=False)
    assert f"{huge:.3g}" in str(exc.value) and "\n" not in str(exc.value)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.jsonl"]
    assert "Warning" not in capfd.readouterr().err


def test_regression_overflow_keeps_the_model_it_would_replace(tmp_path):
    rows = [{"id": str(i), "text": f"{w} stroke {i % 4}", "label": float(i)}
            for i, w in enumerate(["carcinoma", "colitis", "infarction"] * 6)]
    out = tmp_path / "m"
    train(rows, task="regress", output=out, features=SMALL_FEATURES, checks=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError, match="E166"):
        train([dict(r, label=1e200) if i == 3 else r for i, r in enumerate(rows)], task="regress", output=out,
              features=SMALL_FEATURES, checks=False)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_malformed_csv_row_names_the_csv_format(tmp_path):
    """A CSV row with a missing cell was reported as "Malformed jsonl file 't.csv' at line 4"."""
    p = tmp_path / "t.csv"
    p.write_text("id,text,label\n" + "".join(f'{r["id"]},{r["text"]},{r["label"]}\n' for r in GOOD[:2])
                 + "x3,no label cell\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E009\] Malformed csv file '.*t.csv' at line 4: malformed row"):
        train(str(p), features=SMALL_FEATURES, checks=False)


def test_missing_label_column_of_a_semicolon_file_lists_its_columns(tmp_path):
    # the reader finds the text column by trying ";" (E159 split the header on "," and showed one 'id;text;cat' cell)
    path = tmp_path / "semi.csv"
    path.write_text("id;text;cat\n1;Fever and cough;a\n2;No fever;b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E159.*no column 'label'.*columns found: 'id', 'text', 'cat'\)"):
        train(str(path), task="classify")
