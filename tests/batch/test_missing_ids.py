"""A run whose records get made-up ids ('<file name>:<line>': the id field is missing or empty) says so once (W195)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.cli.app import app


def run(inputs: list[Path], out: Path, **kw):
    return annotate_corpus(AnnotateJob(inputs=[str(p) for p in inputs], output=str(out), exclude=("ner",), **kw))


def test_a_misspelled_id_field_is_reported_with_the_first_place(tmp_path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text('note_id,text\n101,"History of asthma."\n102,""\n103,No fever.\n', encoding="utf-8")
    summary = run([f], tmp_path / "out.jsonl", id_field="note_ID")
    assert summary.missing_ids == (3, str(f), 2)  # the row with the empty text counts too: its error line has that id
    assert run([f], tmp_path / "out.jsonl", id_field="note_id").missing_ids is None


def test_empty_id_cells_and_json_lines_without_the_field_count(tmp_path) -> None:
    f = tmp_path / "notes.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in ({"id": "a", "text": "No fever."}, {"text": "Asthma."}, {"id": None, "text": "Cough."})), encoding="utf-8")
    assert run([f], tmp_path / "out.jsonl").missing_ids == (2, str(f), 2)


def test_formats_without_an_id_field_are_not_reported(tmp_path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("No fever.\nAsthma.\n", encoding="utf-8")
    assert run([tmp_path / "notes"], tmp_path / "out.jsonl").missing_ids is None
    assert run([tmp_path / "notes" / "a.txt"], tmp_path / "lines.jsonl", input_format="lines").missing_ids is None


def test_the_command_prints_one_warning_line(tmp_path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("note_id,text\n101,History of asthma.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", str(f), "-o", str(tmp_path / "o.jsonl"), "--exclude", "ner", "--id-field", "NoteID", "-q"])
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith("medtext annotate: warning: [W195] 1 record(s) have no id in field 'NoteID' (first: ")
    assert "--id-field" in line
