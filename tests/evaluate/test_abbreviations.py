"""Abbreviation evaluation: metrics on a tiny hand-made gold file, bad gold files, the CLI command."""

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.errors import InputError, MedtextError
from medtext.evaluate.abbreviations import evaluate_abbreviations, gold_documents

# Three records. What medtext finds, by hand:
#   1: TAI|timed artificial insemination (gold)            -> tp
#   2: CT|computed tomography (gold), MRI|magnetic resonance imaging (gold, but written
#      "MRI" without a definition, so not found)          -> tp, fn
#      and "(HR)" after "heart rate" is found but the gold lists it only as a //* synonym -> fp
#   3: no gold; "(p < 0.05)" gives nothing                -> nothing
GOLD = (
    "111\n"
    "Two timed artificial insemination (TAI) protocols.\n"
    "The TAI protocols worked.\n"
    "  TAI|timed artificial insemination\n"
    "\n"
    "222\n"
    "Imaging.\n"
    "We used computed tomography (CT) and MRI.\tThe heart rate (HR) rose.\n"
    "  CT|computed  tomography\n"
    "  MRI|magnetic resonance imaging\n"
    "//*  HR|heart rate\n"
    "// an annotator's comment with a | bar\n"
    "\n"
    "333\n"
    "Nothing here.\n"
    "Values differed (p < 0.05).\n"
)


@pytest.fixture()
def gold_file(tmp_path):
    path = tmp_path / "gold_labeled"
    path.write_text(GOLD, encoding="utf-8")
    return path


def test_metrics_on_a_hand_made_gold_file(gold_file):
    metrics = evaluate_abbreviations(gold_file)
    assert (metrics["tp"], metrics["fp"], metrics["fn"]) == (2, 1, 1)
    assert metrics["precision"] == pytest.approx(2 / 3)
    assert metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["f1"] == pytest.approx(2 / 3)
    assert metrics["n_documents"] == 3
    assert metrics["n_gold"] == 3


def test_gold_pairs_skip_comments_and_collapse_whitespace(gold_file):
    docs = list(gold_documents(gold_file))
    assert [key.split("@")[0] for key, _, _ in docs] == ["111", "222", "333"]
    assert docs[1][2] == {("CT", "computed tomography"), ("MRI", "magnetic resonance imaging")}
    assert docs[0][1] == "Two timed artificial insemination (TAI) protocols. The TAI protocols worked."


def test_the_same_pmid_twice_stays_two_documents(tmp_path):
    record = "7\nT (TAI) x.\nA timed artificial insemination (TAI).\n  TAI|timed artificial insemination\n"
    path = tmp_path / "twice"
    path.write_text(record + "\n" + record, encoding="utf-8")
    metrics = evaluate_abbreviations(path)
    assert (metrics["n_documents"], metrics["n_gold"], metrics["tp"]) == (2, 2, 2)


BAD_FILES = [
    ("PMID\nTitle.\nAbstract.\n", 1),  # a record must start with digits
    ("12\nTitle only.\n", 1),  # no abstract line
    ("12\nTitle.\nAbstract.\n  TAI without a bar\n", 4),  # a pair line needs SF|LF
    ("12\nTitle.\nAbstract.\n  TAI|timed artificial insemination\nstray text\n", 5),
    ("12\nTitle.\nAbstract.\n\n13\nT.\nA.\n  |empty short form\n", 8),
]


@pytest.mark.parametrize(("content", "line"), BAD_FILES)
def test_bad_gold_files_name_file_and_line(tmp_path, content, line):
    path = tmp_path / "bad_gold"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        evaluate_abbreviations(path)
    message = str(err.value)
    assert str(path) in message and f"line {line}" in message
    assert "\n" not in message


def test_empty_gold_file_and_unknown_format(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="E091"):
        evaluate_abbreviations(empty)
    with pytest.raises(InputError, match="E090"):
        evaluate_abbreviations(empty, fmt="bioc")


def test_a_pipeline_without_the_component_is_refused(gold_file):
    import spacy

    with pytest.raises(MedtextError, match="E092"):
        evaluate_abbreviations(gold_file, nlp=spacy.blank("en"))


runner = CliRunner()


def test_cli_prints_metrics_json_on_the_last_line(gold_file):
    result = runner.invoke(app, ["evaluate", "abbreviations", "--gold", str(gold_file), "--format", "ab3p"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"precision", "recall", "f1"} <= metrics.keys()
    assert (metrics["tp"], metrics["fp"], metrics["fn"]) == (2, 1, 1)


def test_cli_with_a_saved_pipeline(gold_file, nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    result = runner.invoke(app, ["evaluate", "abbreviations", "--gold", str(gold_file), "--model", str(tmp_path / "pipeline")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["tp"] == 2


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--gold", "{bad}"], "E009"),
        (["--gold", "{missing}"], "E001"),
        (["--gold", "{gold}", "--format", "bioc"], "E090"),
        (["--gold", "{gold}", "--model", "{missing}"], "E001"),
    ],
)
def test_cli_failures_are_one_line_with_exit_code_2(tmp_path, gold_file, args, code):
    bad = tmp_path / "bad_gold"
    bad.write_text("PMID\nT.\nA.\n", encoding="utf-8")
    paths = {"bad": bad, "missing": tmp_path / "nope", "gold": gold_file}
    result = runner.invoke(app, ["evaluate", "abbreviations", *[a.format(**paths) for a in args]])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0] and "Traceback" not in result.output
