"""medtext train --algorithm nbsvm / term-pairs / line-max / --config: train -> classify -> evaluate round trips and
one-line errors for bad combinations and bad annotations."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learn"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from learn_fixtures import ade_rows, hoc_rows, make_texts, write_jsonl  # noqa: E402
from test_learn_cli import failed_with, lines, run  # noqa: E402

SMALL = {"features": {"min_df": 1, "char_ngram_range": [2, 4]}}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("train-algos")
    write_jsonl(d / "topics.jsonl", make_texts())
    ml = [{"id": r["id"], "text": r["text"], "labels": [r["label"]] + (["severe"] if "stroke" in r["text"] else [])}
          for r in make_texts(10, seed=1)]
    write_jsonl(d / "ml.jsonl", ml)
    write_jsonl(d / "ade.jsonl", ade_rows())
    write_jsonl(d / "ade-offsets.jsonl", ade_rows(seed=1, offsets=True))
    write_jsonl(d / "hoc.jsonl", hoc_rows())
    write_jsonl(d / "hoc-offsets.jsonl", hoc_rows(offsets=True))
    (d / "small.json").write_text(json.dumps(SMALL))
    return d


def test_nbsvm_train_classify_evaluate(data, tmp_path):
    r = run("train", "--algorithm", "nbsvm", "-i", data / "topics.jsonl", "-o", tmp_path / "nb", "--config",
            data / "small.json", "--cv", "3")
    assert r.exit_code == 0, r.output
    summary = lines(r)[-1]
    assert summary["algorithm"] == "nbsvm" and summary["cv_metrics"]["macro_f1"] > 0.8
    meta = json.loads((tmp_path / "nb" / "meta.json").read_text())
    assert meta["algorithm"] == "nbsvm" and meta["params"]["C"] == 0.01 and meta["features"]["min_df"] == 1
    out = lines(run("classify", "--model", tmp_path / "nb", "Metastatic carcinoma.", "Atrial fibrillation."))
    assert [o["label"] for o in out] == ["neoplasms", "cardiovascular diseases"]
    ev = run("evaluate", "classifier", "--model", tmp_path / "nb", "--input", data / "topics.jsonl")
    assert ev.exit_code == 0 and lines(ev)[-1]["accuracy"] > 0.9


def test_nbsvm_multilabel_search(data, tmp_path):
    r = run("train", "--task", "multilabel", "--algorithm", "nbsvm", "-i", data / "ml.jsonl", "-o", tmp_path / "ml",
            "--config", data / "small.json", "--search", "--cv", "3")
    assert r.exit_code == 0, r.output
    assert set(lines(r)[-1]["params"]) == {"C", "class_weight"}
    out = lines(run("classify", "--model", tmp_path / "ml", "stroke in coronary patients"))
    assert set(out[0]) == {"labels", "scores"} and "severe" in out[0]["scores"]
    ev = run("evaluate", "classifier", "--model", tmp_path / "ml", "--input", data / "ml.jsonl")
    assert ev.exit_code == 0 and lines(ev)[-1]["micro_f1"] > 0.8


@pytest.mark.parametrize("file", ["ade.jsonl", "ade-offsets.jsonl"])
def test_term_pairs_train_classify_evaluate(data, tmp_path, file):
    r = run("train", "--algorithm", "term-pairs", "-i", data / file, "-o", tmp_path / "tp", "--config",
            data / "small.json", "--cv", "3")
    assert r.exit_code == 0, r.output
    assert lines(r)[-1]["params"]["positive"] == "ade"
    out = lines(run("classify", "--model", tmp_path / "tp", "Plavodin induced seizures.", "Aspirin and rash."))
    assert [o["label"] for o in out] == ["ade", "no_ade"]
    ev = run("evaluate", "classifier", "--model", tmp_path / "tp", "--input", data / "ade.jsonl")
    assert ev.exit_code == 0 and lines(ev)[-1]["per_label"]["ade"]["f1"] > 0.9


def test_term_pairs_other_field_names_and_positive(data, tmp_path):
    rows = [{"id": r["id"], "text": r["text"], "y": {"ade": "yes", "no_ade": "no"}[r["label"]], "pmid": r["group"],
             "rel": [p for p in r["pairs"]] + ([{"drug": "aspirin", "effect": "rash"}] if r["id"] == "s1" else [])}
            for r in ade_rows()]
    p = write_jsonl(tmp_path / "named.jsonl", rows)
    base = ["train", "--algorithm", "term-pairs", "-i", p, "--config", data / "small.json", "--label-field", "y",
            "--pairs-field", "rel", "--group-field", "pmid"]
    # s1 is labelled "no" but has a drug-effect pair: the positive label must be named
    assert failed_with(run(*base, "-o", tmp_path / "a"), "E120")
    r = run(*base, "-o", tmp_path / "b", "--positive", "yes")
    assert r.exit_code == 0, r.output
    meta = json.loads((tmp_path / "b" / "meta.json").read_text())
    assert meta["params"]["positive"] == "yes" and meta["training_data"]["group_field"] == "pmid"


@pytest.mark.parametrize("file", ["hoc.jsonl", "hoc-offsets.jsonl"])
def test_line_max_train_classify_evaluate(data, tmp_path, file):
    r = run("train", "--task", "multilabel", "--algorithm", "line-max", "-i", data / file, "-o", tmp_path / "lm",
            "--config", data / "small.json", "--cv", "3")
    assert r.exit_code == 0, r.output
    assert lines(r)[-1]["algorithm"] == "line-max" and lines(r)[-1]["cv_metrics"]["micro_f1"] > 0.8
    meta = json.loads((tmp_path / "lm" / "meta.json").read_text())
    assert meta["training_data"]["sentences_field"] == "sentences" and "line_head" in meta["spec"]
    out = lines(run("classify", "--model", tmp_path / "lm", "Patients were treated .\nMetastatic carcinoma ."))
    assert out[0]["labels"] == ["neoplasms"]
    ev = run("evaluate", "classifier", "--model", tmp_path / "lm", "--input", data / "hoc.jsonl")
    assert ev.exit_code == 0 and lines(ev)[-1]["micro_f1"] > 0.9


def test_help_lists_the_algorithms_of_each_task():
    from medtext.cli.learn_commands import TRAIN_ALGORITHMS
    from medtext.learn.models import TASK_ALGORITHMS

    assert TRAIN_ALGORITHMS == TASK_ALGORITHMS
    r = run("train", "--help")
    text = " ".join(r.stdout.replace("│", " ").split())
    for task, algos in TASK_ALGORITHMS.items():
        assert f"{task}: {', '.join(algos)}" in text
    assert "--pairs-field" in text and "--config" in text and "--sentences-field" in text


def test_ordinal_is_accepted(tmp_path):
    rows = [{"id": str(i), "text": ["great relief", "terrible pain", "ok"][i % 3] + f" {i}", "label": [9, 2, 5][i % 3]}
            for i in range(30)]
    p = write_jsonl(tmp_path / "r.jsonl", rows)
    r = run("train", "--task", "regress", "--algorithm", "ordinal", "-i", p, "-o", tmp_path / "o")
    assert r.exit_code == 0, r.output


_LM = ["--task", "multilabel", "--algorithm", "line-max"]


def _ade_without(field):
    return [{k: v for k, v in r.items() if k != field} for r in ade_rows()]


@pytest.mark.parametrize("args,rows,code", [
    (["--task", "regress", "--algorithm", "nbsvm"], None, "E011"),
    (["--task", "sentences", "--algorithm", "nbsvm"], None, "E011"),
    (["--task", "multilabel", "--algorithm", "term-pairs"], None, "E011"),
    (["--algorithm", "bayes"], None, "E011"),
    (["--algorithm", "logreg", "--positive", "ade"], None, "E011"),
    (["--algorithm", "term-pairs"], "topics", "E079"),                      # no pairs field at all
    (["--algorithm", "term-pairs"], _ade_without("pairs"), "E079"),
    (["--algorithm", "term-pairs", "--pairs-field", "relations"], "ade", "E079"),
    (["--algorithm", "term-pairs"], [dict(r, pairs="aspirin") if i == 3 else r for i, r in enumerate(ade_rows())], "E078"),
    (["--algorithm", "term-pairs"], [dict(r, pairs=[{"drug": [0, 999]}]) if i == 3 else r
                                     for i, r in enumerate(ade_rows())], "E078"),
    (["--algorithm", "term-pairs"], [dict(r, label=["a", "b", "c"][i % 3]) for i, r in enumerate(ade_rows())], "E120"),
    (["--algorithm", "term-pairs", "--input-format", "csv"], "ade", "E121"),
    (_LM, "ml", "E126"),                                                    # no sentences field at all
    (_LM + ["--sentences-field", "lines"], "hoc", "E126"),
    (_LM, [dict(r, sentences=[{"text": "Carcinoma .", "labels": ["stroke"]}]) if i == 2 else r
           for i, r in enumerate(hoc_rows())], "E125"),                    # a label the record does not have
    (_LM, [dict(r, sentences=[{"start": 0, "end": 999, "labels": []}]) if i == 2 else r
           for i, r in enumerate(hoc_rows())], "E125"),                    # offsets out of range
    (_LM, [dict(r, sentences={"text": "x", "labels": []}) if i == 2 else r for i, r in enumerate(hoc_rows())], "E125"),
    (_LM, [dict(r, sentences=[]) for r in hoc_rows()], "E127"),
    (_LM + ["--input-format", "csv"], "hoc", "E121"),
    (["--task", "multilabel", "--algorithm", "logreg"], "hoc-meta", "E122"),  # line-max params, another --algorithm
])
def test_bad_inputs_are_one_line(data, tmp_path, args, rows, code):
    if rows is None or rows == "topics":
        p = data / "topics.jsonl"
    elif rows in ("ade", "hoc", "ml"):
        p = data / f"{rows}.jsonl"
    elif rows == "hoc-meta":
        p = data / "hoc.jsonl"
    else:
        p = write_jsonl(tmp_path / "bad.jsonl", rows)
    config = Path(__file__).resolve().parents[2] / "models" / "hallmarks" / "meta.json" if rows == "hoc-meta" else data / "small.json"
    r = run("train", *args, "-i", p, "-o", tmp_path / "m", "--config", config)
    assert failed_with(r, code), r.output
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("content,needle", [
    ('{"params": {"Cee": 1}}', "'Cee'"), ('{"features": {"ngrams": 2}}', "'ngrams'"), ("[1, 2]", "JSON list"),
    ("{not json", "not valid JSON"), ('{"params": [1]}', "'params' is a list"), ('{"context": {"window": 1}}', "'window'"),
])
def test_bad_config_is_one_line(data, tmp_path, content, needle):
    cfg = tmp_path / "cfg.json"
    cfg.write_text(content)
    r = run("train", "--algorithm", "nbsvm", "-i", data / "topics.jsonl", "-o", tmp_path / "m", "--config", cfg)
    assert failed_with(r, "E122") and needle in r.stderr, r.output


def test_model_meta_is_a_config(data, tmp_path):
    """Training with a model's meta.json as --config repeats the model (same spec)."""
    first = run("train", "--algorithm", "term-pairs", "-i", data / "ade.jsonl", "-o", tmp_path / "one",
                "--config", data / "small.json")
    assert first.exit_code == 0, first.output
    again = run("train", "--algorithm", "term-pairs", "-i", data / "ade.jsonl", "-o", tmp_path / "two",
                "--config", tmp_path / "one" / "meta.json")
    assert again.exit_code == 0, again.output
    one, two = (json.loads((tmp_path / n / "meta.json").read_text()) for n in ("one", "two"))
    assert one["spec"] == two["spec"] and one["params"] == two["params"]


# ----------------------------------------------------------------------------- --config chooses the task and the algorithm

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("name", "file", "task", "algorithm"), [
    ("hallmarks", "hoc.jsonl", "multilabel", "line-max"), ("ade-sentences", "ade.jsonl", "classify", "term-pairs"),
])
def test_shipped_meta_alone_is_a_config(data, tmp_path, name, file, task, algorithm):
    """`medtext train --config models/NAME/meta.json` needs no --task / --algorithm to repeat the model's settings."""
    shipped = json.loads((REPO / "models" / name / "meta.json").read_text())
    r = run("train", "-i", data / file, "-o", tmp_path / "m", "--config", REPO / "models" / name / "meta.json")
    assert r.exit_code == 0, r.output
    assert (lines(r)[-1]["task"], lines(r)[-1]["algorithm"]) == (task, algorithm)
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    assert meta["params"] == shipped["params"] and meta["features"] == shipped["features"]


def test_config_algorithm_of_another_task_is_left_out(data, tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps(dict(SMALL, task="multilabel", algorithm="line-max")))
    r = run("train", "--task", "classify", "-i", data / "topics.jsonl", "-o", tmp_path / "m", "--config", cfg)
    assert r.exit_code == 0, r.output
    assert lines(r)[-1]["algorithm"] == "logreg"                          # the task's default, as without a config
    r = run("train", "-i", data / "topics.jsonl", "-o", tmp_path / "n", "--config", cfg, "--algorithm", "nbsvm",
            "--task", "classify")
    assert r.exit_code == 0 and lines(r)[-1]["algorithm"] == "nbsvm"      # the command line wins


@pytest.mark.parametrize(("extra", "needle"), [
    ({"algorithm": 3}, "'algorithm' is a int, not a string"),
    ({"algorithm": "bayes"}, "'algorithm' 'bayes' is not one for --task classify"),
    ({"task": "cluster"}, "'task' 'cluster' is not one of classify"),
])
def test_bad_config_task_or_algorithm_is_one_line(data, tmp_path, extra, needle):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps(dict(SMALL, **extra)))
    r = run("train", "-i", data / "topics.jsonl", "-o", tmp_path / "m", "--config", cfg)
    assert failed_with(r, "E122") and needle in r.stderr, r.output
