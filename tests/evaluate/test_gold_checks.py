"""Gold files that are cut, misaligned or otherwise suspect: evaluate refuses or warns, and never quotes text."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

import medtext
from medtext.cli.app import app
from medtext.errors import InputError
from medtext.evaluate.ner import evaluate_ner, pubtator_gold
from medtext.io.pubtator import read_pubtator

runner = CliRunner()

HEAD = "1|t|Aspirin caused asthma.\n1|a|No pneumonia was seen.\n1\t0\t7\tAspirin\tChemical\tD001241\n"


@pytest.fixture()
def toy_nlp():
    nlp = medtext.load(exclude=["ner"], config={"components.concepts.use_shipped_lexicon": False})
    nlp.get_pipe("concepts").add_terms(
        [{"term": "Aspirin", "label": "CHEMICAL", "codes": []}, {"term": "asthma", "label": "DISEASE", "codes": []}]
    )
    return nlp


def write(tmp_path, content, name="gold.txt"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# --- defect 1: PubTator mention lines cut short --------------------------------------------


def test_four_field_line_with_integer_offsets_is_a_cut_mention_not_a_relation(tmp_path):
    path = write(tmp_path, HEAD + "1\t15\t21\tasthma\n")
    with pytest.raises(InputError) as info:
        list(read_pubtator(path))
    message = str(info.value)
    assert "E009" in message and "line 4" in message and "asthma" not in message


def test_relation_lines_are_still_relations(tmp_path):
    path = write(tmp_path, HEAD + "1\tCID\tD001241\tD001249\n")
    doc = next(read_pubtator(path))
    assert [tuple(r) for r in doc.relations] == [("CID", "D001241", "D001249")]


def test_cut_type_is_reported_with_a_count(tmp_path, toy_nlp):
    path = write(tmp_path, HEAD + "1\t15\t21\tasthma\tDise")
    seen = []
    result = evaluate_ner(toy_nlp, path, "pubtator", warn=seen.append)
    assert len(seen) == 1 and "W080" in seen[0] and "1 of 2" in seen[0] and "line 4" in seen[0]
    assert "asthma" not in seen[0] and "Dise'" not in seen[0]
    assert result["tp"] == 1  # the scored mention is still scored


def test_cut_type_warns_on_the_command_line(tmp_path, toy_nlp, monkeypatch):
    monkeypatch.setattr(medtext, "load", lambda *a, **k: toy_nlp)
    path = write(tmp_path, HEAD + "1\t15\t21\tasthma\tDise")
    result = runner.invoke(app, ["evaluate", "ner", "--gold", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout.strip().splitlines()[-1])["tp"] == 1
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "W080" in warnings[0]


def test_cut_mention_fails_on_the_command_line(tmp_path):
    path = write(tmp_path, HEAD + "1\t15\t21\tasthma\n")
    result = runner.invoke(app, ["evaluate", "ner", "--gold", str(path)])
    assert result.exit_code == 2 and "E009" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- defect 10 (PubTator part): mentions whose offsets do not give back their text ----------


def test_a_few_misaligned_mentions_warn_without_text(tmp_path, toy_nlp):
    path = write(tmp_path, HEAD + "1\t15\t21\tasthmX\tDisease\tD001249\n1\t26\t35\tpneumonia\tDisease\tD011014\n")
    seen = []
    evaluate_ner(toy_nlp, path, "pubtator", warn=seen.append)
    assert len(seen) == 1 and "W081" in seen[0] and "1 of 3" in seen[0] and "PMID 1, line 4" in seen[0]
    assert "asthm" not in seen[0]


def test_mostly_misaligned_offsets_are_refused(tmp_path, toy_nlp):
    path = write(tmp_path, "1|t|Aspirin caused asthma.\n1|a|x\n1\t1\t8\tAspirin\tChemical\tD1\n1\t16\t22\tasthma\tDisease\tD2\n")
    with pytest.raises(InputError) as info:
        evaluate_ner(toy_nlp, path, "pubtator")
    assert "E086" in str(info.value) and "2 of 2" in str(info.value) and "sthma" not in str(info.value)


def test_clean_file_gives_no_warning(tmp_path, toy_nlp):
    path = write(tmp_path, HEAD + "1\t15\t21\tasthma\tDisease\tD001249\n")
    seen = []
    evaluate_ner(toy_nlp, path, "pubtator", warn=seen.append)
    assert seen == []
    checks_free = list(pubtator_gold(path))
    assert len(checks_free[0][2]) == 2


# --- defect 3: gold errors never quote note text -----------------------------------------


@pytest.mark.parametrize(
    "content",
    ["Patient John Smith is HIV-positive\n", "a\tO\nJohn\tSmith-HIV-positive\n", "Patient\tJohn Smith HIV\n"],
)
def test_bad_conll_tag_is_not_quoted(tmp_path, toy_nlp, content):
    path = write(tmp_path, content, "c.tsv")
    with pytest.raises(InputError) as info:
        evaluate_ner(toy_nlp, path, "conll")
    message = str(info.value)
    assert "E082" in message and str(path) in message and "line " in message
    for word in ("John", "Smith", "HIV", "positive"):
        assert word not in message


def test_bad_conll_tag_on_the_command_line_is_one_line_without_text(tmp_path):
    path = write(tmp_path, "Patient John Smith is HIV-positive\n", "c.tsv")
    result = runner.invoke(app, ["evaluate", "ner", "--gold", str(path), "--format", "conll"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 1" in lines[0] and "HIV" not in lines[0] and "Smith" not in lines[0]


# --- defect 4: evaluate deid on PHI files that do not fit their notes ----------------------

NOTE = "Seen by Dr. Kay on 7/23 at Calvert Hospital.\n"


class FakeDoc:
    def __init__(self, phi):
        self._ = type("Underscore", (), {"phi": phi})()


class FakeNlp:
    """Marks 'Kay' as PHI in every note."""

    pipe_names = ["sentences", "phi"]

    def pipe(self, texts, batch_size=64):
        for text in texts:
            i = text.find("Kay")
            yield FakeDoc([{"start": i, "end": i + 3, "label": "NAME", "text": "Kay"}] if i >= 0 else [])


def deid_files(tmp_path, phrases, notes=(NOTE,)):
    text = "".join(f"START_OF_RECORD=1||||{i}||||\n{note}||||END_OF_RECORD\n" for i, note in enumerate(notes, 1))
    (tmp_path / "id.text").write_text(text, encoding="utf-8")
    (tmp_path / "id-phi.phrase").write_text("".join(p + "\n" for p in phrases), encoding="utf-8")
    return str(tmp_path / "id.text"), str(tmp_path / "id-phi.phrase")


def test_phi_offsets_past_the_note_are_one_error_naming_file_and_line(tmp_path):
    from medtext.evaluate.deid import evaluate_physionet

    text, phi = deid_files(tmp_path, ["1 1 12 15 HCPName Kay", "1 1 40 400 Date 7/23"])
    with pytest.raises(InputError) as info:
        evaluate_physionet(text, phi, nlp=FakeNlp())
    assert "E113" in str(info.value) and phi in str(info.value) and "line 2" in str(info.value)
    assert "7/23" not in str(info.value)


def test_found_tolerates_offsets_past_the_end():
    from medtext.evaluate.deid import found

    assert found("Kay", 0, 10, bytearray(b"\x01\x01\x01\x00")) is True


def test_misaligned_phrases_warn_with_counts(tmp_path):
    from medtext.evaluate.deid import evaluate_physionet

    text, phi = deid_files(tmp_path, ["1 1 12 15 HCPName Kay", "1 1 0 4 HCPName Bob", "1 1 5 7 Date 1/1"])
    seen = []
    metrics = evaluate_physionet(text, phi, nlp=FakeNlp(), warn=seen.append)
    assert metrics["n_gold"] == 3
    assert len(seen) == 1 and "W110" in seen[0] and "2 of 3" in seen[0] and "line 2" in seen[0]
    assert "Bob" not in seen[0] and "1/1" not in seen[0]


def test_aligned_phrases_give_no_warning(tmp_path):
    from medtext.evaluate.deid import evaluate_physionet

    text, phi = deid_files(tmp_path, ["1 1 12 15 HCPName Kay", "1 1 19 23 Date 7/23"])
    seen = []
    assert evaluate_physionet(text, phi, nlp=FakeNlp(), warn=seen.append)["n_found"] == 1
    assert seen == []


@pytest.mark.parametrize(("empty_text", "empty_phi", "option"), [(False, True, "--phi"), (True, True, "--text")])
def test_empty_gold_is_refused(tmp_path, empty_text, empty_phi, option):
    from medtext.evaluate.deid import evaluate_physionet

    text, phi = deid_files(tmp_path, [], notes=() if empty_text else (NOTE,))
    with pytest.raises(InputError) as info:
        evaluate_physionet(text, phi, nlp=FakeNlp())
    assert "E118" in str(info.value) and option in str(info.value)


def test_pipeline_without_phi_is_refused(tmp_path):
    from medtext.errors import MedtextError
    from medtext.evaluate.deid import evaluate_physionet

    class NoPhi(FakeNlp):
        pipe_names = ["sentences", "assertion"]

    text, phi = deid_files(tmp_path, ["1 1 12 15 HCPName Kay"])
    with pytest.raises(MedtextError, match="E119"):
        evaluate_physionet(text, phi, nlp=NoPhi())


def test_evaluate_deid_cli_bad_offsets_is_one_line(tmp_path, monkeypatch):
    import medtext.pipeline.loader as loader

    monkeypatch.setattr(loader, "load", lambda *a, **k: FakeNlp())
    text, phi = deid_files(tmp_path, ["1 1 40 400 Date 7/23"])
    result = runner.invoke(app, ["evaluate", "deid", "--text", text, "--phi", phi])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "E113" in lines[0] and "unexpected" not in lines[0]


# --- defect 7: a --model that is not a pipeline is one line, not an unexpected error ---------


def _bad_models(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp\nthis is not a config\n", encoding="utf-8")
    (broken / "meta.json").write_text("{}", encoding="utf-8")
    classifier = tmp_path / "clf"
    classifier.mkdir()
    (classifier / "meta.json").write_text(json.dumps({"name": "clf", "task": "classify"}), encoding="utf-8")
    return {"missing": (str(tmp_path / "nonexist"), "E001"), "unknown name": ("nonexist", "E037"), "classifier": (str(classifier), "E036"),
            "broken": (str(broken), "E036"), "name": ("abstract-topics", "E036")}


@pytest.mark.parametrize("kind", ["missing", "unknown name", "classifier", "broken", "name"])
@pytest.mark.parametrize("command", ["ner", "negation", "deid", "abbreviations"])
def test_bad_model_is_one_line(tmp_path, kind, command):
    model, code = _bad_models(tmp_path)[kind]
    gold = write(tmp_path, HEAD)
    args = {
        "ner": ["--gold", str(gold)],
        "negation": ["--gold", str(write(tmp_path, "Report No.\tConcept\tSentence\tNegation\n1\tfever\tNo fever.\tNegated\n", "n.tsv"))],
        "deid": ["--text", deid_files(tmp_path, ["1 1 12 15 HCPName Kay"])[0], "--phi", str(tmp_path / "id-phi.phrase")],
        "abbreviations": ["--gold", str(write(tmp_path, "1\nT.\nThe heart rate (HR) rose.\n  HR|heart rate\n", "ab.txt"))],
    }[command]
    result = runner.invoke(app, ["evaluate", command, *args, "--model", model])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0] and "unexpected" not in lines[0]
    assert "--model" in lines[0] or code == "E001"


def test_saved_pipeline_folder_still_loads(tmp_path):
    from medtext.pipeline.loader import component_names

    folder = tmp_path / "abbr-pipeline"
    medtext.load(exclude=[n for n in component_names() if n != "abbreviations"]).to_disk(folder)
    gold = write(tmp_path, "1\nT.\nThe heart rate (HR) rose.\n  HR|heart rate\n", "ab.txt")
    result = runner.invoke(app, ["evaluate", "abbreviations", "--gold", str(gold), "--model", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["recall"] == 1.0


# --- defect 8: --codes with nothing to score ----------------------------------------------


def test_codes_on_conll_gold_are_null_with_a_warning(tmp_path, toy_nlp):
    path = write(tmp_path, "Aspirin\tB-Chemical\ncaused\tO\nasthma\tB-Disease\n", "c.tsv")
    seen = []
    result = evaluate_ner(toy_nlp, path, "conll", codes=True, warn=seen.append)
    assert result["tp"] == 2
    assert result["normalization_accuracy"] is None and result["normalization_n"] == 0
    assert len(seen) == 1 and "W082" in seen[0] and "PubTator" in seen[0]


def test_codes_on_pubtator_gold_without_ids_are_null(tmp_path, toy_nlp, monkeypatch):
    path = write(tmp_path, "1|t|Aspirin caused asthma.\n1|a|x\n1\t0\t7\tAspirin\tChemical\t-1\n")
    seen = []
    result = evaluate_ner(toy_nlp, path, "pubtator", codes=True, warn=seen.append)
    assert result["normalization_accuracy"] is None and result["normalization_n"] == 0 and "W083" in seen[0]
    monkeypatch.setattr(medtext, "load", lambda *a, **k: toy_nlp)
    cli = runner.invoke(app, ["evaluate", "ner", "--gold", str(path), "--codes"])
    metrics = json.loads(cli.stdout.strip().splitlines()[-1])
    assert "normalization_accuracy" in metrics and metrics["normalization_accuracy"] is None


def test_codes_without_codes_flag_add_no_keys(tmp_path, toy_nlp):
    path = write(tmp_path, "Aspirin\tB-Chemical\n", "c.tsv")
    seen = []
    result = evaluate_ner(toy_nlp, path, "conll", warn=seen.append)
    assert "normalization_accuracy" not in result and seen == []


# --- defect 10: messages that point the wrong way -------------------------------------------


def test_ab3p_pair_error_survives_one_line_folding(tmp_path):
    path = write(tmp_path, "1\nT.\nThe heart rate (HR) rose.\n  HR heart rate\n", "ab.txt")
    result = runner.invoke(app, ["evaluate", "abbreviations", "--gold", str(path)])
    assert result.exit_code == 2 and "line 4" in result.stderr and "two spaces, then SF|LF" in result.stderr
    assert "' SF|LF'" not in result.stderr and "heart rate" not in result.stderr


def test_negex_header_error_names_the_option_evaluate_has(tmp_path):
    path = write(tmp_path, "id\ttext\n1\tNo fever.\n", "n.tsv")
    result = runner.invoke(app, ["evaluate", "negation", "--gold", str(path)])
    assert result.exit_code == 2 and "E006" in result.stderr
    assert "--input-format" not in result.stderr and "--gold" in result.stderr


@pytest.mark.parametrize("command", ["ner", "negation", "abbreviations"])
def test_a_gold_folder_is_called_a_folder(tmp_path, command):
    result = runner.invoke(app, ["evaluate", command, "--gold", str(tmp_path)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "it is a folder" in line and "does not exist" not in line and "--input-format" not in line


def test_negation_with_every_row_skipped_is_refused(tmp_path):
    from medtext.evaluate.negation import evaluate_negation

    path = write(tmp_path, "Report No.\tConcept\tSentence\tNegation\n1\tzzz\tNo fever.\tNegated\n2\tqqq\tCough.\tAffirmed\n", "n.tsv")
    with pytest.raises(InputError) as info:
        evaluate_negation(path)
    assert "E106" in str(info.value) and "2 rows" in str(info.value) and "fever" not in str(info.value)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_is_not_called_a_folder():
    result = runner.invoke(app, ["evaluate", "ner", "--gold", "/dev/null"])
    assert result.exit_code == 2 and "E006" in result.stderr
    assert "folder" not in result.stderr and "not a regular file" in result.stderr and "'-'" in result.stderr
