"""NER evaluation on tiny hand-made gold files, and clear errors for bad gold files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import medtext
from medtext.cli.app import app
from medtext.errors import InputError
from medtext.evaluate.ner import conll_gold, evaluate_ner, pubtator_gold

# "Zorbulitis and flimoxane. Fever." -- gold: Zorbulitis (DISEASE, composite id), flimoxane (CHEMICAL),
# Fever (DISEASE, OMIM id). Doc 2: "Grimsyl toxicity." -- gold: Grimsyl toxicity (DISEASE, no id).
PUBTATOR = (
    "1|t|Zorbulitis and flimoxane.\n"
    "1|a|Fever.\n"
    "1\t0\t10\tZorbulitis\tSpecificDisease\tD000001|D000002\n"
    "1\t15\t24\tflimoxane\tChemical\tD000003\n"
    "1\t26\t31\tFever\tModifier\tOMIM:123456\n"
    "1\tCID\tD000003\tD000001\n"
    "\n"
    "2|t|Grimsyl toxicity.\n"
    "2|a|\n"
    "2\t0\t16\tGrimsyl toxicity\tDisease\t-1\n"
)
TERMS = [
    {"term": "Zorbulitis", "label": "DISEASE", "codes": [{"system": "MESH", "code": "D000002"}]},  # any part of a composite
    {"term": "flimoxane", "label": "DISEASE", "codes": []},  # wrong label: FP + FN
    {"term": "fever", "label": "DISEASE", "codes": [{"system": "OMIM", "code": "123456"}]},  # OMIM, bare code
    {"term": "Grimsyl", "label": "CHEMICAL", "codes": []},  # wrong span
]


@pytest.fixture()
def toy_nlp():
    nlp = medtext.load(exclude=["ner"], config={"components.concepts.use_shipped_lexicon": False})
    nlp.get_pipe("concepts").add_terms(TERMS)
    return nlp


@pytest.fixture()
def gold(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(PUBTATOR, encoding="utf-8")
    return path


def test_pubtator_scores_by_exact_span_and_label(toy_nlp, gold):
    result = evaluate_ner(toy_nlp, gold, "pubtator", codes=True)
    # predicted: Zorbulitis D (tp), flimoxane D (fp), Fever D (tp), Grimsyl C (fp); gold has 4 mentions.
    assert (result["tp"], result["fp"], result["fn"]) == (2, 2, 2)
    assert result["precision"] == pytest.approx(0.5) and result["recall"] == pytest.approx(0.5)
    assert result["per_label"]["DISEASE"]["tp"] == 2 and result["per_label"]["DISEASE"]["fn"] == 1
    assert result["per_label"]["CHEMICAL"] == pytest.approx(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    )
    assert result["normalization_accuracy"] == pytest.approx(1.0)
    assert result["normalization_n"] == 2


def test_normalization_counts_wrong_codes(toy_nlp, gold):
    toy_nlp.get_pipe("concepts").add_terms(
        [{"term": "Zorbulitis", "label": "DISEASE", "codes": [{"system": "MESH", "code": "D999999"}]}]
    )
    assert evaluate_ner(toy_nlp, gold, "pubtator", codes=True)["normalization_accuracy"] == pytest.approx(0.5)


def test_micro_average_is_over_labels_present_in_gold(toy_nlp, tmp_path):
    path = tmp_path / "diseases.txt"
    path.write_text("7|t|Flimoxane and fever.\n7|a|\n7\t14\t19\tfever\tDisease\tD1\n", encoding="utf-8")
    toy_nlp.get_pipe("concepts").add_terms([{"term": "flimoxane", "label": "CHEMICAL", "codes": []}])
    result = evaluate_ner(toy_nlp, path, "pubtator")
    assert set(result["per_label"]) == {"DISEASE"}
    assert (result["tp"], result["fp"], result["fn"]) == (1, 0, 0)  # the CHEMICAL prediction is not counted


def test_conll_text_is_tokens_joined_by_spaces(toy_nlp, tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text(
        "Zorbulitis\tB-Disease\nafter\tO\nflimoxane\tB-Chemical\n.\tO\n\nHigh\tB-Disease\nfever\tI-Disease\n",
        encoding="utf-8",
    )
    docs = list(conll_gold(path))
    assert docs[0][1] == "Zorbulitis after flimoxane ."
    assert set(docs[0][2]) == {(0, 10, "DISEASE"), (17, 26, "CHEMICAL")}
    assert set(docs[1][2]) == {(0, 10, "DISEASE")}
    result = evaluate_ner(toy_nlp, path, "conll")
    assert (result["tp"], result["fp"], result["fn"]) == (1, 2, 2)


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("1|t|Title\n1|a|Body\n1\tx\t3\tTit\tDisease\tD1\n", 3, "integers"),
        ("1|t|Title\n1|a|Body\n1\t0\t300\tTit\tDisease\tD1\n", 3, "outside the text"),
        ("1|t|Title\n1|a|Body\n2\t0\t3\tTit\tDisease\tD1\n", 3, "annotation line of PMID 1"),
        ("1|t|Title\n1|a|Body\n1\t0\t3\n", 3, "tab-separated fields"),
        ("hello\n", 1, "PMID|t|title"),
    ],
)
def test_bad_pubtator_files_name_file_and_line(tmp_path, content, line, fragment):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(pubtator_gold(path))
    assert str(path) in str(info.value) and f"line {line}" in str(info.value) and fragment in str(info.value)


def test_bad_conll_tag(tmp_path, toy_nlp):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tO\nb\tDisease\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        evaluate_ner(toy_nlp, path, "conll")


runner = CliRunner()


def test_cli_prints_json_on_the_last_line(gold, monkeypatch, toy_nlp):
    monkeypatch.setattr(medtext, "load", lambda *a, **k: toy_nlp)
    result = runner.invoke(app, ["evaluate", "ner", "--gold", str(gold), "--format", "pubtator", "--codes"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["f1"] == pytest.approx(0.5) and metrics["normalization_accuracy"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--format", "brat"], "E083"),
        (["--gold", "/nonexistent/gold.txt"], "E001"),
    ],
)
def test_cli_errors_are_one_line(gold, args, fragment):
    argv = ["evaluate", "ner", "--gold", str(gold), *args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0]


def test_cli_bad_gold_file_is_one_line(tmp_path, monkeypatch, toy_nlp):
    monkeypatch.setattr(medtext, "load", lambda *a, **k: toy_nlp)
    path = tmp_path / "bad.txt"
    path.write_text("1|t|Title\n1|a|Body\n1\tx\t3\tTit\tDisease\tD1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "ner", "--gold", str(path)])
    assert result.exit_code == 2
    assert "line 3" in result.output and "Traceback" not in result.output


def test_corpus_dev_file_reads(shared_corpora):
    docs = list(pubtator_gold(shared_corpora / "ncbi_disease/original-data/NCBIdevelopset_corpus.txt"))
    assert len(docs) == 100 and sum(len(spans) for _, _, spans in docs) == 787
