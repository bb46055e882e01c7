"""Learn commands on bad input: one-line errors, nothing lost, nothing deleted (CliRunner)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learn"))

from learn_fixtures import (SMALL_FEATURES, multilabel_rows, rct_file, regress_rows,  # noqa: E402,F401
                            texts_rows, train_file, write_jsonl)
from test_learn_cli import failed_with, lines, models, run  # noqa: E402,F401


def test_train_into_a_foreign_folder_deletes_nothing(tmp_path, train_file):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "config.json").write_text("{}")
    r = run("train", "--input", train_file, "-o", proj)
    assert failed_with(r, "E008") and "new or empty folder" in r.stderr
    assert (proj / "config.json").read_text() == "{}"


def test_train_output_is_an_existing_file(tmp_path, train_file):
    target = tmp_path / "dev.jsonl"
    target.write_text("keep")
    assert failed_with(run("train", "--input", train_file, "-o", target), "E008")
    assert target.read_text() == "keep"


@pytest.mark.parametrize("below", ["m", "sub/m"])
def test_train_output_below_a_file_says_the_parent_is_a_file(tmp_path, train_file, below):
    blocker = tmp_path / "afile"
    blocker.write_text("keep")
    r = run("train", "--input", train_file, "-o", blocker / below)
    assert failed_with(r, "E008") and f"'{blocker}' is a file, not a folder" in r.stderr   # was "File exists"
    assert blocker.read_text() == "keep"


def test_evaluate_report_below_a_file_says_the_parent_is_a_file(models, tmp_path, train_file):
    blocker = tmp_path / "afile"
    blocker.write_text("keep")
    r = run("evaluate", "classifier", "--model", models / "topics", "--input", train_file, "--report", blocker / "rep")
    assert failed_with(r, "E008") and f"'{blocker}' is a file, not a folder" in r.stderr   # was "Not a directory"
    assert blocker.read_text() == "keep"


# ----------------------------------------------------------------------------- one output line per input record

MIXED = ['{"id": "g1", "text": "metastatic carcinoma"}', '{"id": "e1", "text": ""}',
         '{"id": "g2", "text": "atrial stroke"}', '{"id": "e2", "text": null}', "this is not json",
         '{"id": "e3", "label": "x"}', '{"id": "e4", "text": 12345}', '{"id": "g3", "text": "hepatic cirrhosis"}']


def _summary_line(result):
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in result.output
    return err[0]


def test_classify_writes_an_error_line_for_every_bad_record(models, tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_text("\n".join(MIXED) + "\n", encoding="utf-8")
    r = run("classify", "--model", models / "topics", "--input", p)
    assert r.exit_code == 1
    out = lines(r)
    assert [o["id"] for o in out] == ["g1", "e1", "g2", "e2", "mixed.jsonl:5", "e3", "e4", "g3"]
    assert [("error" in o) for o in out] == [False, True, False, True, True, True, True, False]
    assert out[1]["error"] == "empty text" and out[3]["error"] == "text is null"
    assert out[4]["error"].startswith("malformed JSON") and "text field" in out[5]["error"]
    assert out[6]["error"] == "text is not a string (got int)"
    good = lines(run("classify", "--model", models / "topics", "metastatic carcinoma", "atrial stroke",
                     "hepatic cirrhosis"))
    assert [o for o in out if "error" not in o] == [dict(g, id=i) for g, i in zip(good, ["g1", "g2", "g3"])]
    summary = _summary_line(r)
    assert "5 of 8 record(s) not processed" in summary and "12345" not in summary


CSV = "id,text,label\ng1,metastatic carcinoma,neoplasms\ng2,atrial stroke,cardiovascular diseases\n"


@pytest.mark.parametrize("command", [["classify", "--model", "{m}"], ["evaluate", "classifier", "--model", "{m}"],
                                     ["train", "-o", "{out}"], ["check"]])
def test_a_csv_read_as_jsonl_is_one_clear_error(models, tmp_path, command):
    p = tmp_path / "table.csv"
    p.write_text(CSV, encoding="utf-8")
    args = [a.format(m=models / "topics", out=tmp_path / "new") for a in command]
    r = run(*args, "--input", p, "--input-format", "jsonl")
    # before: an error line per record (classify), E077 / E009 / 3 unreadable records (evaluate / train / check)
    assert failed_with(r, "E182") and "does not look like JSONL" in r.stderr and "--input-format csv" in r.stderr
    assert r.stdout == "" and "carcinoma" not in r.stderr and not (tmp_path / "new").exists()


def test_a_csv_on_stdin_is_one_clear_error(models):
    r = run("classify", "--model", models / "topics", input=CSV)
    assert failed_with(r, "E182") and "--input FILE" in r.stderr and r.stdout == ""


def test_a_jsonl_file_with_a_bad_first_line_keeps_its_error_line(models, tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"id": "g1", "text": "metastatic carci\n{"id": "g2", "text": "atrial stroke"}\n', encoding="utf-8")
    r = run("classify", "--model", models / "topics", "--input", p)
    assert r.exit_code == 1 and [("error" in o) for o in lines(r)] == [True, False]


def test_classify_empty_text_argument_keeps_its_place(models):
    r = run("classify", "--model", models / "topics", "metastatic carcinoma", "", "atrial stroke")
    assert r.exit_code == 1
    out = lines(r)
    assert len(out) == 3 and out[1] == {"error": "empty text"}
    assert out[0]["label"] == "neoplasms" and out[2]["label"] == "cardiovascular diseases"
    assert "1 of 3" in _summary_line(r)


def test_classify_stdin_bad_lines_are_named_by_line(models):
    data = '{"id": 1, "text": "colitis"}\nnot json\n{"text": ""}\n[1, 2]\n'
    r = run("classify", "--model", models / "topics", input=data)
    assert r.exit_code == 1
    assert [o.get("id") for o in lines(r)] == [1, "<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert [o.get("error") for o in lines(r)][1:] == ["malformed JSON", "empty text", "not a JSON object"]


def test_score_writes_error_lines(models, tmp_path):
    p = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": "great relief"}, {"id": "y", "text": "  "},
                                            {"id": "z", "text": "terrible pain"}])
    r = run("score", "--model", models / "rating", "--input", p)
    assert r.exit_code == 1
    assert [sorted(o) for o in lines(r)] == [["id", "score"], ["error", "id"], ["id", "score"]]


def test_rct_blank_sentence_keeps_its_place(models, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("###7\nbackground\tHeart disease is common .\noutcome\t \noutcome\tNo adverse events occurred .\n",
                 encoding="utf-8")
    r = run("classify", "--model", models / "roles", "--input", p, "--input-format", "rct")
    assert r.exit_code == 1
    out = lines(r)
    assert [o["id"] for o in out] == ["7:0", "7:1", "7:2"] and out[1] == {"id": "7:1", "error": "blank text"}
    assert out[0]["label"] and out[2]["label"]


# ----------------------------------------------------------------------------- unreadable model folders


@pytest.fixture()
def corrupt_model(models, tmp_path):
    """A copy of the topics model whose vocabulary is not JSON (its checksum updated)."""
    import shutil

    from test_persist import replace_file

    d = tmp_path / "corrupt"
    shutil.copytree(models / "topics", d)
    replace_file(d, "vocab.word.json", b"[not json")
    return d


def test_fast_path_unreadable_model_is_one_line(corrupt_model, capsys):
    from medtext.learn.predict_cli import fast_main

    assert fast_main(["classify", "--model", str(corrupt_model), "zebrafish note"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "E035" in err and "Traceback" not in err and "zebrafish" not in err


@pytest.mark.parametrize("args", [["classify", "--model", "{m}", "x"],
                                  ["evaluate", "classifier", "--model", "{m}", "--input", "{train}"]])
def test_typer_path_unreadable_model_is_e035(corrupt_model, train_file, args):
    assert failed_with(run(*[a.format(m=corrupt_model, train=train_file) for a in args]), "E035")


def test_train_svm_one_example_class_is_one_line(tmp_path, texts_rows):
    rows = [r for r in texts_rows if r["label"] != "neoplasms"] + [next(r for r in texts_rows if r["label"] == "neoplasms")]
    r = run("train", "--input", write_jsonl(tmp_path / "t.jsonl", rows), "-o", tmp_path / "m", "--algorithm", "svm")
    assert failed_with(r, "E073") and "'neoplasms'" in r.stderr
    assert not (tmp_path / "m").exists()


def test_train_cv_larger_than_data(tmp_path, texts_rows):
    r = run("train", "--input", write_jsonl(tmp_path / "t.jsonl", texts_rows[:8]), "-o", tmp_path / "m", "--cv", "20")
    assert failed_with(r, "E074")


def test_train_search_on_tiny_data_names_its_default_folds(tmp_path, texts_rows):
    r = run("train", "--input", write_jsonl(tmp_path / "t.jsonl", texts_rows[:3]), "-o", tmp_path / "m", "--search")
    assert failed_with(r, "E183") and "Option --cv" not in r.stderr and "--search" in r.stderr
    assert not (tmp_path / "m").exists()


def test_evaluate_report_path_is_a_file(models, tmp_path, train_file):
    target = tmp_path / "report.txt"
    target.write_text("keep")
    r = run("evaluate", "classifier", "--model", models / "topics", "--input", train_file, "--report", target)
    assert failed_with(r, "E008") and target.read_text() == "keep"


# ----------------------------------------------------------------------------- evaluate regressor: valid JSON only


def _strict_json(line):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(line, parse_constant=refuse)


def test_evaluate_regressor_csv_nan_cell_is_a_missing_label(models, tmp_path):
    p = tmp_path / "ev.csv"
    p.write_text("id,text,label\nr1,great relief,9\nr2,terrible pain,NaN\nr3,nausea,2\n", encoding="utf-8")
    r = run("evaluate", "regressor", "--model", models / "rating", "--input", p)
    assert failed_with(r, "E069") and "first ids: r2" in r.stderr


@pytest.mark.parametrize("name,content,bad_id", [
    ("ev.jsonl", '{"id": "r1", "text": "great relief", "label": 9}\n{"id": "r2", "text": "pain", "label": "inf"}\n', "r2"),
    ("ev2.jsonl", '{"id": "r1", "text": "great relief", "label": 9}\n{"id": "r2", "text": "pain", "label": "ten"}\n', "r2"),
])
def test_evaluate_regressor_refuses_non_finite_gold(models, tmp_path, name, content, bad_id):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    r = run("evaluate", "regressor", "--model", models / "rating", "--input", p)
    assert failed_with(r, "E075") and f"first ids: {bad_id}" in r.stderr
    assert r.stdout.strip() == ""


def test_evaluate_regressor_constant_gold_writes_null_r2(models, tmp_path, regress_rows):
    p = write_jsonl(tmp_path / "ev.jsonl", [dict(r, label=7) for r in regress_rows[:6]])
    r = run("evaluate", "regressor", "--model", models / "rating", "--input", p, "--report", tmp_path / "rep",
            "--bootstrap", "20")
    assert r.exit_code == 0, r.output
    m = _strict_json(r.stdout.splitlines()[-1])
    assert m["r2"] is None and m["rmse"] > 0 and m["confidence_intervals"]["r2"]["low"] is None
    _strict_json((tmp_path / "rep" / "bootstrap_ci.json").read_text())


# ----------------------------------------------------------------------------- check agrees with train


def test_check_strict_fails_where_train_fails(tmp_path, regress_rows):
    p = write_jsonl(tmp_path / "r.jsonl", [dict(r, label="ten") if i == 5 else r for i, r in enumerate(regress_rows)])
    r = run("check", "--task", "regress", "--input", p, "--strict")
    assert r.exit_code == 1 and json.loads(r.stdout.splitlines()[-1])["problems"]["not_a_number"]["count"] == 1
    assert failed_with(run("train", "--task", "regress", "--input", p, "-o", tmp_path / "m"), "E064")


def test_check_empty_file_and_unknown_task(tmp_path):
    p = tmp_path / "empty.jsonl"
    p.write_text("")
    assert failed_with(run("check", "--input", p, "--strict"), "E065")
    assert failed_with(run("check", "--input", p, "--task", "cluster"), "E011")


# ----------------------------------------------------------------------------- label mismatches are visible


@pytest.fixture(scope="module")
def graded(tmp_path_factory, texts_rows):
    """A model trained on integer labels 1..3 (JSON numbers)."""
    from medtext.learn import train

    grade = {"neoplasms": 1, "cardiovascular diseases": 2, "digestive system diseases": 3}
    rows = [dict(r, label=grade[r["label"]]) for r in texts_rows]
    d = tmp_path_factory.mktemp("graded")
    train(rows, output=d / "m", features=SMALL_FEATURES, checks=False)
    return d / "m", rows


def test_float_gold_matches_integer_model_labels(graded, tmp_path):
    model, rows = graded
    as_int = run("evaluate", "classifier", "--model", model, "--input", write_jsonl(tmp_path / "i.jsonl", rows))
    as_float = run("evaluate", "classifier", "--model", model,
                   "--input", write_jsonl(tmp_path / "f.jsonl", [dict(r, label=float(r["label"])) for r in rows]))
    as_csv = tmp_path / "s.csv"
    as_csv.write_text("id,text,label\n" + "".join(f"{r['id']},{r['text']},{r['label']}.0\n" for r in rows))
    as_str = run("evaluate", "classifier", "--model", model, "--input", as_csv)
    m_int, m_float, m_str = (json.loads(r.stdout.splitlines()[-1]) for r in (as_int, as_float, as_str))
    assert m_int["accuracy"] > 0.9 and m_float == m_int and m_str == m_int
    assert set(m_float["per_label"]) == {"1", "2", "3"} and as_float.stderr == ""


def test_no_gold_label_known_to_the_model_warns(graded, tmp_path):
    model, rows = graded
    p = write_jsonl(tmp_path / "w.jsonl", [dict(r, label=f"grade {r['label']}") for r in rows])
    r = run("evaluate", "classifier", "--model", model, "--input", p)
    assert r.exit_code == 0
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "W060" in err[0] and "'grade 1'" in err[0] and "metastatic" not in err[0]
    assert json.loads(r.stdout.splitlines()[-1])["accuracy"] == 0.0


def test_train_warns_about_comma_separated_multilabels(tmp_path, multilabel_rows):
    rows = [dict(r, labels=", ".join(r["labels"])) for r in multilabel_rows]
    r = run("train", "--task", "multilabel", "--input", write_jsonl(tmp_path / "c.jsonl", rows), "-o", tmp_path / "m")
    assert r.exit_code == 0, r.output
    assert any(l.startswith("warning: comma separated labels") for l in r.stderr.splitlines())
    assert failed_with(run("train", "--task", "multilabel", "--input", tmp_path / "c.jsonl", "-o", tmp_path / "m2",
                           "--strict"), "E066")


def test_evaluate_names_records_without_text_not_missing_labels(models, tmp_path, texts_rows):
    rows = [dict(r, text="") if i in (2, 5) else r for i, r in enumerate(texts_rows[:10])]
    r = run("evaluate", "classifier", "--model", models / "topics", "--input", write_jsonl(tmp_path / "e.jsonl", rows))
    assert failed_with(r, "E077") and "empty text" in r.stderr
    assert f"first ids: {rows[2]['id']}, {rows[5]['id']}" in r.stderr and "gold label" not in r.stderr


def test_fast_path_ctrl_c_is_one_line_and_exit_130(models, monkeypatch, capsys):
    import medtext.learn.predict_cli as predict_cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(predict_cli, "run", interrupted)
    assert predict_cli.fast_main(["classify", "--model", str(models / "topics"), "zebrafish note"]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "E123" in err and "zebrafish" not in err


def test_fast_path_ctrl_c_swallowed_by_a_finalizer_still_stops(models, monkeypatch, capsys):
    import time

    import medtext.learn.predict_cli as predict_cli

    class Finalized:
        def __del__(self):
            raise KeyboardInterrupt  # Python prints "Exception ignored" and goes on, unless medtext raises it again

    def interrupted_in_a_finalizer(*args, **kwargs):
        Finalized()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pass

    monkeypatch.setattr(predict_cli, "run", interrupted_in_a_finalizer)
    assert predict_cli.fast_main(["classify", "--model", str(models / "topics"), "x"]) == 130
    err = capsys.readouterr().err
    assert "Exception ignored" not in err and "E123" in err


# ----------------------------------------------------------------------------- --config values and tiny files


@pytest.mark.parametrize("config,code", [
    ({"params": {"C": "3"}}, "E122"),
    ({"params": {"C": -1}}, "E122"),
    ({"features": {"word_ngram_range": [3, 1]}}, "E122"),
    ({"features": {"min_df": 1000}}, "E136"),
])
def test_train_config_values_that_cannot_work(tmp_path, train_file, config, code):
    """Was: 'unexpected InvalidParameterError' / 'unexpected ValueError', nothing saying which setting."""
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps(config))
    r = run("train", "--input", train_file, "-o", tmp_path / "m", "--config", cfg)
    assert failed_with(r, code) and "unexpected" not in r.stderr, r.output
    assert not (tmp_path / "m").exists()


def test_classify_stdin_ids_follow_the_jsonl_reader(models, tmp_path):
    """A NaN id on stdin was echoed as `"id": NaN` (not JSON); a list/object/boolean id was echoed as it was,
    where the same line in a file is an error line ('id is not a string or number')."""
    data = ('{"id": NaN, "text": "colitis"}\n{"id": [1], "text": "colitis"}\n{"id": {"a": 1}, "text": "colitis"}\n'
            '{"id": true, "text": "colitis"}\n{"id": "ok", "text": "colitis"}\n')
    r = run("classify", "--model", models / "topics", input=data)
    strict = lambda c: (_ for _ in ()).throw(ValueError(c))  # noqa: E731 - json.loads takes NaN unless told not to
    out = [json.loads(l, parse_constant=strict) for l in r.stdout.splitlines()]
    assert r.exit_code == 1 and len(out) == 5
    assert "id" not in out[0] and out[0]["label"]
    assert [o.get("error") for o in out[1:4]] == ["id is not a string or number (got list)",
                                                 "id is not a string or number (got dict)",
                                                 "id is not a string or number (got bool)"]
    assert [o["id"] for o in out[1:]] == ["<stdin>:2", "<stdin>:3", "<stdin>:4", "ok"]
    p = tmp_path / "same.jsonl"
    p.write_text(data, encoding="utf-8")
    from_file = lines(run("classify", "--model", models / "topics", "--input", p))
    assert [o.get("error") for o in from_file] == [o.get("error") for o in out]


def test_train_output_dash_is_refused_not_made_a_folder(tmp_path, train_file, monkeypatch):
    """`medtext train -o -` wrote the model into a new folder named '-'."""
    monkeypatch.chdir(tmp_path)
    r = run("train", "--input", train_file, "-o", "-")
    assert failed_with(r, "E008") and "standard output" in r.stderr
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", ["train", "check", "evaluate"])
def test_plain_text_input_has_no_labels(tmp_path, models, command):
    """A .txt file (one unlabelled document) gave "E060 ... 1 record(s) have no label (first ids: x.txt)"."""
    p = tmp_path / "x.txt"
    p.write_text("background\tHeart disease is common .\n", encoding="utf-8")
    args = {"train": ("train", "-i", p, "-o", tmp_path / "m"), "check": ("check", "-i", p),
            "evaluate": ("evaluate", "classifier", "--model", models / "topics", "-i", p)}[command]
    r = run(*args)
    assert failed_with(r, "E168") and "--input-format rct" in r.stderr and "Heart" not in r.stderr
    assert not (tmp_path / "m").exists()
