"""``medtext evaluate negation``: concept search, metrics on a hand-made gold file, bad gold files, CLI."""

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.errors import InputError
from medtext.evaluate.negation import evaluate_negation, judge_rows, locate_concept, metrics, negation_pipeline, read_gold

runner = CliRunner()
HEADER = "Report No.\tConcept\tSentence\tNegation\r\n"


def gold_file(tmp_path, rows, name="gold.tsv"):
    path = tmp_path / name
    path.write_bytes((HEADER + "".join("\t".join(r) + "\r\n" for r in rows)).encode("utf-8"))
    return path


# Six rows the concept search finds, and one it does not (rash). Expected: true positives
# fever and JVD; a false negative, sob (gold Negated, but nothing in the sentence negates it);
# true negatives bacteremia, effusion (pseudo-negation) and pneumonia ("not ruled out").
ROWS = [
    ("1", "fever", "She denies FEVER, chills, or sweats.", "Negated"),
    ("1", "staph   bacteremia", "He was found to have STAPH   BACTEREMIA.", "Affirmed"),
    ("2", "effusion", "No increase in the EFFUSION.", "Affirmed"),
    ("2", "pneumonia", "PNEUMONIA is not ruled out.", "Affirmed"),
    ("3", "sob", "Patient reports SOB improving.", "Negated"),
    ("3", "JVD", "Neck supple, no JVD.", "Negated"),
    ("4", "rash", "Skin is warm and dry.", "Negated"),
]


def test_locate_concept_is_case_and_whitespace_tolerant():
    assert locate_concept("staph   bacteremia", "found to have STAPH BACTEREMIA.") == (14, 30)
    assert locate_concept("staph bacteremia", "found to have staph\n  bacteremia.") == (14, 32)
    assert locate_concept("chest pain ", "No CHEST PAIN.") == (3, 13)


def test_locate_concept_prefers_whole_words_and_the_marked_mention():
    assert locate_concept("mi", "He was admitted to rule out MI.") == (28, 30)
    text = "BK Virus Plasma. Quantitative PCR testing for BK VIRUS is NEGATIVE."
    assert text[slice(*locate_concept("BK virus", text))] == "BK VIRUS"


def test_locate_concept_missing():
    assert locate_concept("rash", "Skin is warm.") is None
    assert locate_concept("   ", "Skin is warm.") is None


def test_metrics_on_a_hand_made_gold_file(tmp_path):
    path = gold_file(tmp_path, ROWS)
    result = evaluate_negation(path)
    # tp: fever, JVD; fn: sob; tn: bacteremia, effusion, pneumonia; fp: none.
    assert result["n"] == 6
    assert result["n_skipped"] == 1
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (2, 0, 1, 3)
    assert result["accuracy"] == pytest.approx(5 / 6)
    assert result["negated_precision"] == 1.0
    assert result["negated_recall"] == pytest.approx(2 / 3)
    assert result["negated_f1"] == pytest.approx(0.8)


def test_whole_report_row_uses_the_concepts_sentence(tmp_path):
    report = ("HISTORY: The patient has had a cough for two days. No fever.  PLAN: Rest. "
              "Discussed with family; they deny any change in diet.")
    rows = [("9", "cough", report, "Affirmed"), ("9", "fever", report, "Negated")]
    judgements, skipped = judge_rows(read_gold(gold_file(tmp_path, rows)), negation_pipeline())
    assert skipped == 0
    assert [(j.gold, j.predicted) for j in judgements] == [(False, False), (True, True)]
    assert judgements[1].trigger == "No"


def test_metrics_of_nothing():
    assert metrics([], 3) == {"n": 0, "n_skipped": 3, "accuracy": 0.0, "negated_precision": 0.0, "negated_recall": 0.0,
                              "negated_f1": 0.0, "tp": 0, "fp": 0, "fn": 0, "tn": 0}


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"Report\tConcept\tSentence\r\n1\tfever\tNo fever.\r\n",  # wrong header
        HEADER.encode() + b"1\tfever\tNo fever.\tMaybe\r\n",  # bad label
        HEADER.encode() + b"1\tfever\tNo fever.\r\n",  # missing cell
    ],
)
def test_bad_gold_files_give_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        evaluate_negation(path)
    assert "bad.tsv" in str(err.value)
    assert "\n" not in str(err.value)


def test_header_only_gold_file(tmp_path):
    path = gold_file(tmp_path, [])
    with pytest.raises(InputError, match=r"\[E103\]"):
        evaluate_negation(path)


def test_cli_prints_metrics_on_the_last_line(tmp_path):
    path = gold_file(tmp_path, ROWS)
    result = runner.invoke(app, ["evaluate", "negation", "--gold", str(path), "--format", "negex"])
    assert result.exit_code == 0, result.output
    metrics_line = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"n", "n_skipped", "accuracy", "negated_precision", "negated_recall", "negated_f1"} <= set(metrics_line)
    assert metrics_line["n"] == 6


def test_cli_extra_rules(tmp_path):
    path = gold_file(tmp_path, ROWS)
    rules = tmp_path / "rules.jsonl"
    rules.write_text('{"literal": "improving", "category": "negated", "direction": "backward", "max_scope": 2}\n')
    result = runner.invoke(app, ["evaluate", "negation", "--gold", str(path), "--context-rules", str(rules)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["fn"] == 0


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "conll"], "E104"),
        (["--gold", "missing.tsv"], "E001"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, args, message):
    path = gold_file(tmp_path, ROWS)
    argv = ["evaluate", "negation", "--gold", str(path), *args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.corpora
def test_shared_negex_half_meets_the_targets(shared_corpora):
    result = evaluate_negation(shared_corpora / "negex" / "Annotations-1-120.txt")
    assert result["n_skipped"] <= 0.01 * (result["n"] + result["n_skipped"])
    assert result["accuracy"] >= 0.985
    assert result["negated_f1"] >= 0.96


def test_docstring_examples():
    import doctest

    import medtext.evaluate.negation as module

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
