"""CLI output lines of train / classify / score / check / evaluate, via CliRunner."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from medtext.errors import MedtextError
from medtext.learn.persist import write_meta

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learn"))

from learn_fixtures import (SMALL_FEATURES, multilabel_rows, rct_file, regress_rows,  # noqa: E402,F401
                            texts_rows, train_file, write_jsonl)


def _make_app() -> typer.Typer:
    """The real app when it registers the learn commands, else a test app with the same error handling."""
    from medtext.cli.app import MedtextGroup, app

    if any(c.name == "classify" for c in app.registered_commands):
        return app
    from medtext.cli.learn_commands import register, register_evaluate

    test_app = typer.Typer(cls=MedtextGroup, add_completion=False, pretty_exceptions_enable=False)
    register(test_app)
    ev = typer.Typer()
    register_evaluate(ev)
    test_app.add_typer(ev, name="evaluate")
    return test_app


APP = _make_app()
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(APP, [str(a) for a in args], input=input)


def lines(result):
    return [json.loads(l) for l in result.stdout.splitlines() if l.startswith("{")]


def failed_with(result, code):
    """Exit 2 with exactly one stderr line carrying the error ``code``, no traceback."""
    err = result.stderr.strip().splitlines()
    return (result.exit_code == 2 and len(err) == 1 and code in err[0] and "Traceback" not in result.output
            and not isinstance(result.exception, MedtextError))


@pytest.fixture(scope="module")
def models(tmp_path_factory, texts_rows, multilabel_rows, regress_rows, rct_file):
    from medtext.learn import train

    d = tmp_path_factory.mktemp("models")
    train(texts_rows, output=d / "topics", features=SMALL_FEATURES, checks=False)
    train(multilabel_rows, task="multilabel", output=d / "ml", features=SMALL_FEATURES, checks=False)
    train(regress_rows, task="regress", output=d / "rating", features=SMALL_FEATURES, checks=False)
    train(str(rct_file), task="sentences", output=d / "roles", features=SMALL_FEATURES, checks=False)
    return d


def test_classify_texts(models):
    r = run("classify", "--model", models / "topics", "Metastatic carcinoma.", "Atrial fibrillation.")
    assert r.exit_code == 0, r.output
    out = lines(r)
    assert len(out) == 2 and all(set(o) == {"label", "scores"} for o in out)
    assert out[0]["label"] == "neoplasms" and out[1]["label"] == "cardiovascular diseases"


def test_classify_file_keeps_ids_and_order(models, tmp_path, texts_rows):
    p = write_jsonl(tmp_path / "in.jsonl", [{"id": r["id"], "text": r["text"]} for r in texts_rows[:7]])
    out = lines(run("classify", "--model", models / "topics", "--input", p))
    assert [o["id"] for o in out] == [r["id"] for r in texts_rows[:7]]


def test_classify_csv_with_fields(models, tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("doc,body\nd1,lymphoma relapse\nd2,coronary stenosis\n", encoding="utf-8")
    out = lines(run("classify", "--model", models / "topics", "--input", p, "--id-field", "doc", "--text-field", "body"))
    assert [o["id"] for o in out] == ["d1", "d2"]


def test_classify_stdin(models):
    data = '{"id": 7, "text": "hepatic cirrhosis"}\n{"id": 8, "text": "liver colitis"}\n'
    out = lines(run("classify", "--model", models / "topics", input=data))
    assert [o["id"] for o in out] == [7, 8] and out[0]["label"] == "digestive system diseases"


def test_bad_records_exit_1(models, tmp_path):
    p = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "carcinoma"}, {"id": "b", "text": ""},
                                            {"id": "c", "text": "stroke"}])
    r = run("classify", "--model", models / "topics", "--input", p)
    assert r.exit_code == 1
    assert [o["id"] for o in lines(r)] == ["a", "b", "c"]
    assert lines(r)[1] == {"id": "b", "error": "empty text"}


def test_multilabel_lines(models):
    out = lines(run("classify", "--model", models / "ml", "metastatic carcinoma"))
    assert set(out[0]) == {"labels", "scores"} and isinstance(out[0]["labels"], list)


def test_score_lines(models, tmp_path):
    p = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": "great relief"}, {"id": "y", "text": "terrible pain"}])
    out = lines(run("score", "--model", models / "rating", "--input", p))
    assert [set(o) for o in out] == [{"id", "score"}] * 2 and out[0]["score"] > out[1]["score"]


def test_score_refuses_classifier(models):
    assert failed_with(run("score", "--model", models / "topics", "x"), "E068")


def test_rct_input_one_line_per_sentence(models, rct_file):
    out = lines(run("classify", "--model", models / "roles", "--input", rct_file, "--input-format", "rct"))
    n_sent = sum(1 for l in rct_file.read_text().splitlines() if "\t" in l)
    assert len(out) == n_sent
    assert out[0]["id"] == "1000:0" and out[5]["id"] == "1001:0"
    assert out[0]["label"] == "background"


def test_rct_input_with_plain_classifier(models, rct_file):
    out = lines(run("classify", "--model", models / "topics", "--input", rct_file, "--input-format", "rct"))
    assert len(out) == sum(1 for l in rct_file.read_text().splitlines() if "\t" in l)
    # without --input-format a .txt file is one document, as for `medtext annotate`
    whole = lines(run("classify", "--model", models / "topics", "--input", rct_file))
    assert len(whole) == 1 and whole[0]["id"] == rct_file.name


def test_unknown_model_is_one_error(models):
    r = run("classify", "--model", "no-such-model", "x")
    assert failed_with(r, "E030")


@pytest.mark.parametrize(("command", "listed"), [(["classify", "x"], "my-classifier, my-tagger"),
                                                 (["score", "x"], "my-rater"),
                                                 (["evaluate", "regressor", "--input", "x.jsonl"], "my-rater")])
def test_unknown_model_lists_only_models_of_the_commands_kind(tmp_path, monkeypatch, command, listed):
    for name, task in [("my-classifier", "classify"), ("my-tagger", "multilabel"), ("my-rater", "regress"),
                       ("my-ner", "ner"), ("my-phi", "phi")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "meta.json").write_text(json.dumps({"name": name, "task": task}))
    (tmp_path / "my-broken").mkdir()
    (tmp_path / "my-broken" / "meta.json").write_text("{not json")
    monkeypatch.setenv("MEDTEXT_MODELS", str(tmp_path))
    r = run(*command, "--model", "no-such-model")
    assert failed_with(r, "E030")
    # before: every model, pipeline ones included ("... my-broken, my-classifier, my-ner, my-phi, my-rater, ...")
    mine = [n.strip(" .") for n in r.stderr.split("one of: ")[1].split(",") if n.strip().startswith("my-")]
    assert ", ".join(mine) == listed
    assert "phi-physionet" not in r.stderr and " ner," not in r.stderr


@pytest.mark.parametrize("command", [["classify", "x"], ["score", "x"], ["evaluate", "classifier", "--input", "{train}"]])
def test_model_given_as_a_file_says_it_is_a_file(models, train_file, monkeypatch, command):
    args = [a.format(train=train_file) for a in command]
    monkeypatch.chdir(train_file.parent)
    for model in (train_file, train_file.name):  # a path, and a bare name in the current folder
        r = run(*args, "--model", model)
        assert failed_with(r, "E181") and "is a file, not a model folder" in r.stderr   # was "not found" (E030)
    r = run(*args, "--model", models / "topics" / "meta.json")
    assert failed_with(r, "E181") and f"give its folder '{models / 'topics'}'" in r.stderr


def test_model_folder_without_meta_says_it_is_not_a_model_folder(tmp_path):
    (tmp_path / "weights").mkdir()
    r = run("classify", "--model", tmp_path / "weights", "x")
    assert failed_with(r, "E031") and "not a medtext model folder" in r.stderr and "medtext train -o" in r.stderr


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_bootstrap_without_report_is_refused_not_ignored(models, tmp_path, texts_rows, regress_rows, kind):
    model, rows = (models / "topics", texts_rows) if kind == "classifier" else (models / "rating", regress_rows)
    gold = write_jsonl(tmp_path / "gold.jsonl", rows)
    r = run("evaluate", kind, "--model", model, "--input", gold, "--bootstrap", "50")
    # before: exit 0 with the metrics, the 50 resamples silently unused
    assert failed_with(r, "E011") and "--bootstrap" in r.stderr and "--report" in r.stderr and r.stdout == ""


def test_train_check_evaluate(tmp_path, train_file):
    r = run("train", "--input", train_file, "-o", tmp_path / "m", "--cv", "3", "--algorithm", "svm")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["cv_metrics"]["macro_f1"] > 0.5 and (tmp_path / "m" / "meta.json").exists()
    r = run("evaluate", "classifier", "--model", tmp_path / "m", "--input", train_file, "--report", tmp_path / "rep",
            "--bootstrap", "50")
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout.splitlines()[-1])
    for key in ("accuracy", "macro_f1", "weighted_f1", "micro_f1", "per_label"):
        assert key in metrics
    for f in ("confusion_matrix.png", "pr_curves.png", "per_class.csv", "bootstrap_ci.json"):
        assert (tmp_path / "rep" / f).exists()
    r = run("check", "--input", train_file, "--eval", train_file)
    assert r.exit_code == 0
    rep = json.loads(r.stdout.splitlines()[-1])
    assert rep["problems"]["leakage"]["count"] == rep["n_records"]
    assert run("check", "--input", train_file, "--eval", train_file, "--strict").exit_code == 1


def test_train_with_concept_features(tmp_path, train_file):
    r = run("train", "--input", train_file, "-o", tmp_path / "m", "--concepts", "--concept-weight", "0.7")
    assert r.exit_code == 0, r.output
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    assert meta["features"]["concepts"] is True and meta["features"]["concept_weight"] == 0.7
    assert (tmp_path / "m" / "vocab.concepts.json").exists()
    r = run("classify", "--model", tmp_path / "m", "metastatic breast cancer")
    assert r.exit_code == 0 and "label" in json.loads(r.stdout.splitlines()[-1])


def test_train_with_mesh_tree_features(tmp_path, train_file):
    r = run("train", "--input", train_file, "-o", tmp_path / "m", "--concepts", "--concept-trees", "1")
    assert r.exit_code == 0, r.output
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    assert meta["features"]["concept_trees"] == 1
    vocabulary = json.loads((tmp_path / "m" / "vocab.concepts.json").read_text())
    assert any(term.startswith("tree1=C") for term in vocabulary)
    r = run("classify", "--model", tmp_path / "m", "metastatic breast cancer")
    assert r.exit_code == 0 and "label" in json.loads(r.stdout.splitlines()[-1])


@pytest.mark.parametrize("args", [["--concept-trees", "1"], ["--concepts", "--concept-trees", "3"]])
def test_mesh_tree_option_misused_is_one_line(tmp_path, train_file, args):
    r = run("train", "--input", train_file, "-o", tmp_path / "m", *args)
    assert r.exit_code == 2 and "--concept-trees" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "m").exists()


def test_concept_model_of_another_lexicon_is_refused_in_one_line(tmp_path, train_file):
    assert run("train", "--input", train_file, "-o", tmp_path / "m", "--concepts").exit_code == 0
    meta_path = tmp_path / "m" / "meta.json"
    meta = json.loads(meta_path.read_text())
    block = next(b for b in meta["spec"]["blocks"] if b["name"] == "concepts")
    block["analyzer"]["lexicon"] = "0" * 16  # as if trained on another lexicon
    write_meta(tmp_path / "m", meta)
    r = run("classify", "--model", tmp_path / "m", "metastatic breast cancer")
    assert r.exit_code == 2
    assert "E116" in r.output and "Traceback" not in r.output


def test_evaluate_regressor(models, tmp_path, regress_rows):
    p = write_jsonl(tmp_path / "ev.jsonl", regress_rows)
    r = run("evaluate", "regressor", "--model", models / "rating", "--input", p)
    m = json.loads(r.stdout.splitlines()[-1])
    assert set(m) >= {"rmse", "mae", "r2"} and m["rmse"] < 3


def test_evaluate_multilabel_empty_labels(models, tmp_path, multilabel_rows):
    p = write_jsonl(tmp_path / "ev.jsonl", multilabel_rows)
    m = json.loads(run("evaluate", "classifier", "--model", models / "ml", "--input", p).stdout.splitlines()[-1])
    assert 0 <= m["micro_f1"] <= 1


@pytest.mark.parametrize("args,code", [
    (["train", "--input", "missing.jsonl", "-o", "x"], "E001"),
    (["train", "--input", "{train}", "-o", "{tmp}/x", "--task", "cluster"], "E011"),
    (["train", "--input", "{train}", "-o", "{tmp}/x", "--algorithm", "ridge"], "E011"),
    (["classify", "--model", "{models}/topics", "--input", "{train}", "--input-format", "xml"], "E002"),
])
def test_bad_arguments(args, code, tmp_path, train_file, models):
    args = [a.format(train=train_file, tmp=tmp_path, models=models) for a in args]
    assert failed_with(run(*args), code)


def test_classify_path_imports_no_sklearn_or_spacy(models):
    code = (
        "import sys\n"
        "from medtext.learn.predict_cli import fast_main\n"
        f"rc = fast_main(['classify', '--model', {str(models / 'topics')!r}, 'carcinoma'])\n"
        "assert rc == 0\n"
        "bad = [m for m in ('sklearn', 'spacy', 'scipy', 'pandas', 'typer', 'click', 'pydantic', 'rich')\n"
        "       if m in sys.modules]\n"
        "print('HEAVY', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert "HEAVY []" in out.stdout


def test_fast_path_matches_typer_command(models, tmp_path, texts_rows, capsys):
    from medtext.learn.predict_cli import fast_main

    p = write_jsonl(tmp_path / "in.jsonl", [{"id": r["id"], "text": r["text"]} for r in texts_rows[:5]]
                    + [{"id": "empty", "text": ""}])
    args = ["classify", "--model", str(models / "topics"), "--input", str(p)]
    typer_out = run(*args)
    assert typer_out.exit_code == 1
    capsys.readouterr()
    assert fast_main(args) == 1
    out = capsys.readouterr()
    assert out.out == typer_out.stdout
    assert len(out.err.strip().splitlines()) == 1 and "empty" in out.err
    assert fast_main(["classify", "--model", str(models / "topics"), "carcinoma"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] == "neoplasms"
    assert fast_main(["score", "--model=" + str(models / "rating"), "great relief"]) == 0
    assert "score" in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("argv", [["classify", "--help"], ["classify", "--model"], ["train", "--input", "x"],
                                  ["classify", "--unknown", "1", "--model", "m"], ["classify", "text only"]])
def test_fast_path_declines(argv):
    from medtext.learn.predict_cli import fast_main

    assert fast_main(argv) is None


def test_fast_path_errors_are_one_line(capsys):
    from medtext.learn.predict_cli import fast_main

    assert fast_main(["classify", "--model", "no-such-model", "zebrafish note"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "E030" in err and "zebrafish" not in err


def test_check_reports_duplicate_ids_of_the_id_field(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("visit,text,label\n" + "".join(f"v{i % 4},case number {i} seen,{'ab'[i % 2]}\n" for i in range(12)))
    r = run("check", "--input", path, "--id-field", "visit", "--min-examples", "1")
    assert r.exit_code == 0 and "warning: duplicate id: 4" in r.stdout and "v0 (3 records)" in r.stdout
    assert lines(r)[-1]["problems"]["duplicate_id"]["count"] == 4
    assert run("check", "--input", path, "--id-field", "visit", "--min-examples", "1", "--strict").exit_code == 1
    assert "duplicate_id" not in lines(run("check", "--input", path, "--min-examples", "1"))[-1]["problems"]


@pytest.mark.parametrize("command", ["train", "check"])
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_label_field_the_file_lacks_is_one_line_naming_its_columns(tmp_path, command, suffix):
    rows = [{"id": f"r{i}", "text": f"case number {i}", "category": "ab"[i % 2]} for i in range(8)]
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        path.write_text("id,text,category\n" + "".join(f"{r['id']},{r['text']},{r['category']}\n" for r in rows))
    else:
        write_jsonl(path, rows)
    extra = ["-o", tmp_path / "m"] if command == "train" else []
    r = run(command, "--input", path, "--label-field", "diagnosis", *extra)
    what = "column" if suffix == ".csv" else "field"
    assert failed_with(r, "E159")
    assert f"no {what} 'diagnosis' for the labels ({what}s found: 'id', 'text', 'category')" in r.stderr


# ----------------------------------------------------------------------------- --help reads right for a new user


def help_text(*args):
    """The --help page of a command as one line of words (rich boxes and wrapping removed)."""
    r = run(*args, "--help")
    assert r.exit_code == 0, r.output
    return " ".join(re.sub("[│╭╮╰╯─]", " ", r.stdout).split())


@pytest.mark.parametrize("command", [["train"], ["check"]])
def test_label_field_help_says_how_multilabel_strings_split(command):
    text = help_text(*command)
    assert "split on | (\"a|b\"" in text and "commas and semicolons do not split" in text


@pytest.mark.parametrize("command", [["classify"], ["score"]])
def test_prediction_help_is_honest_about_its_options(command):
    text = help_text(*command)
    # was "holding labels"; the metavar is typer's (TEXT before typer 0.28, <str> after)
    assert re.search(r"--label-field (TEXT|<str>) Not read here: the command needs the id and text only", text)
    assert "jsonl, csv, tsv, parquet, rct" in text and "'medtext info' lists all" in text  # parquet was missing
    assert "in input order" in text and '{"id", "error"}' in text and "exits 1" in text


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_evaluate_help_says_what_the_report_and_bootstrap_do(kind):
    text = help_text("evaluate", kind)
    assert "(used with --report only)" in text and "95% bootstrap confidence intervals" in text
    assert "last line of stdout" in text and "'medtext info' lists all" in text
    if kind == "classifier":
        assert "single-label, multi-label and sentence-role models" in text
        assert 'string split on |, e.g. "a|b"' in text
