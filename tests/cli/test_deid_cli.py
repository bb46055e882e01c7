"""``medtext deid``, ``medtext evaluate deid`` and ``medtext visualize`` through the Typer app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()
PHI_NOTE = "Seen by Dr. Tasker on 7/23, call 410-555-0199."


def run(args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def corpus(tmp_path):
    lines = [
        {"id": "a", "text": PHI_NOTE},
        {"id": "b", "text": ""},
        {"id": "c"},
        {"id": "d", "text": "DAUGHTER GENEVIEVE CALLED, UPDATED BY DR. PELLOWSKI."},
    ]
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", ["redact", "mask", "surrogate"])
def test_deid_round_trip_with_bad_records(tmp_path, corpus, mode):
    out = tmp_path / "out.jsonl"
    result = run(["deid", corpus, "-o", out, "--mode", mode, "--quiet"])
    assert result.exit_code == 1  # some records failed, the rest were written
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "d"]
    for r in records:
        assert set(r) == {"id", "text"}
        for secret in ("Tasker", "7/23", "410-555-0199", "GENEVIEVE", "PELLOWSKI"):
            assert secret not in r["text"]
    if mode == "mask":
        assert len(records[0]["text"]) == len(PHI_NOTE)
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errors] == [2, 3, 5]
    assert all(set(e) == {"id", "source", "line", "reason"} for e in errors)
    assert "Tasker" not in result.output and "GENEVIEVE" not in result.output  # nothing of the text in logs


def test_deid_all_good_exits_0_and_folder_gets_txt(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n1.txt").write_text(PHI_NOTE, encoding="utf-8")
    out = tmp_path / "deid"
    result = run(["deid", notes, "-o", out, "--quiet"])
    assert result.exit_code == 0, result.output
    record = json.loads((out / "deidentified.jsonl").read_text(encoding="utf-8"))
    assert record["id"] == "n1.txt" and "[NAME]" in record["text"]
    assert (out / "n1.txt").read_text(encoding="utf-8") == record["text"]
    assert not (tmp_path / "deid.errors.jsonl").exists()


def test_deid_surrogate_is_seeded(tmp_path, corpus):
    a, b, c = (tmp_path / f"{n}.jsonl" for n in "abc")
    run(["deid", corpus, "-o", a, "--mode", "surrogate", "--seed", "5", "-q"])
    run(["deid", corpus, "-o", b, "--mode", "surrogate", "--seed", "5", "-q"])
    run(["deid", corpus, "-o", c, "--mode", "surrogate", "--seed", "6", "-q"])
    assert a.read_text() == b.read_text() != c.read_text()


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["--mode", "scramble"], "E112"), (["--max-chars", "0"], "--max-chars")],
)
def test_deid_cannot_run(tmp_path, corpus, args, needle):
    result = run(["deid", corpus, "-o", tmp_path / "o.jsonl", *args])
    assert result.exit_code == 2 and needle in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_deid_missing_input(tmp_path):
    result = run(["deid", tmp_path / "nope.jsonl", "-o", tmp_path / "o.jsonl"])
    assert result.exit_code == 2 and "E001" in result.output


def write_physionet(tmp_path, phrases):
    note = "Seen by Dr. Tasker on 7/23.\n"
    (tmp_path / "id.text").write_text(f"START_OF_RECORD=1||||1||||\n{note}||||END_OF_RECORD\n", encoding="utf-8")
    (tmp_path / "id-phi.phrase").write_text("".join(p + "\n" for p in phrases), encoding="utf-8")
    return tmp_path / "id.text", tmp_path / "id-phi.phrase"


def test_evaluate_deid_prints_metrics_last(tmp_path):
    text, phi = write_physionet(tmp_path, ["1 1 12 18 HCPName Tasker", "1 1 22 26 Date 7/23"])
    result = run(["evaluate", "deid", "--text", text, "--phi", phi, "--format", "physionet"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["recall"] == 1.0 and metrics["precision"] == 1.0 and metrics["f1"] == 1.0


@pytest.mark.parametrize(
    ("phrases", "extra", "needle"),
    [
        (["1 1 twelve 18 HCPName Tasker"], [], "line 1"),
        (["1 1 12 18 HCPName Tasker"], ["--format", "i2b2"], "--format"),
    ],
)
def test_evaluate_deid_bad_input(tmp_path, phrases, extra, needle):
    text, phi = write_physionet(tmp_path, phrases)
    result = run(["evaluate", "deid", "--text", text, "--phi", phi, *extra])
    assert result.exit_code == 2 and needle in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Tasker" not in result.output


def test_visualize_records_legend_and_escaping(tmp_path):
    record = {
        "id": "<n1>",
        "text": "Pt denies chest pain. Mother had cancer. <script>alert(1)</script>",
        "sentences": [],
        "sections": [{"category": "hpi", "title": "HPI", "start": 0, "end": 20}],
        "entities": [
            {"start": 10, "end": 20, "text": "chest pain", "label": "DISEASE", "codes": [{"system": "MESH", "code": "D002637"}],
             "negated": True},
            {"start": 33, "end": 39, "text": "cancer", "label": "DISEASE", "family": True},
        ],
        "phi": [],
    }
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = run(["visualize", path, "-o", out])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'id="legend"' in page and "negated" in page and "hypothetical" in page
    assert '<span class="ent negated"' in page and '<span class="ent family"' in page
    assert "D002637" in page and "&lt;script&gt;" in page and "<script>" not in page and "&lt;n1&gt;" in page
    assert "http" not in page  # self-contained: no external assets
    assert "chest pain" not in result.output


def test_visualize_raw_documents(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n1.txt").write_text("HISTORY: Seen by Dr. Tasker on 7/23.\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = run(["visualize", notes, "-o", out])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'class="phi"' in page and "n1.txt" in page


def test_visualize_bad_record_file(tmp_path):
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "ok", "entities": []}) + "\n{broken\n", encoding="utf-8")
    result = run(["visualize", path, "-o", tmp_path / "p.html"])
    assert result.exit_code == 2 and "E114" in result.output and "line 2" in result.output


def test_visualize_reads_annotation_records_or_documents_from_standard_input(tmp_path):
    # an annotation record is rendered as it is (the made-up entity proves it was not re-annotated) ...
    record = {"id": "r1", "text": "Zorbulitis again.", "sentences": [], "sections": [], "phi": [],
              "entities": [{"start": 0, "end": 10, "text": "Zorbulitis", "label": "DISEASE", "negated": True}]}
    out = tmp_path / "records.html"
    result = runner.invoke(app, ["visualize", "-", "-o", str(out)], input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    assert '<span class="ent negated"' in out.read_text(encoding="utf-8")
    # ... plain lines are documents, annotated by the pipeline
    out = tmp_path / "lines.html"
    result = runner.invoke(app, ["visualize", "-", "--input-format", "lines", "-o", str(out), "--exclude", "ner"],
                           input="Seen by Dr. Tasker on 7/23.\n")
    assert result.exit_code == 0, result.output
    assert 'class="phi"' in out.read_text(encoding="utf-8") and "stdin:1" in out.read_text(encoding="utf-8")
