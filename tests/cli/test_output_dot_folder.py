"""``-o .`` and ``-o ..`` name a folder like any other: its errors file goes beside it, not a crash."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("output", [".", "./"])
def test_deid_into_the_current_folder(tmp_path, monkeypatch, output):
    notes = tmp_path / "notes.jsonl"
    notes.write_text(json.dumps({"id": "a", "text": "Seen by Dr. Tasker."}) + "\n" + json.dumps({"id": "b", "text": ""}) + "\n",
                     encoding="utf-8")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    monkeypatch.chdir(run_dir)
    result = runner.invoke(app, ["deid", str(notes), "-o", output, "--quiet"])
    assert result.exit_code == 1, result.output  # record b failed, a was written
    assert "unexpected" not in result.output
    record = json.loads((run_dir / "deidentified.jsonl").read_text(encoding="utf-8"))
    assert record["id"] == "a" and "Tasker" not in record["text"]
    errors = (tmp_path / "run.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in errors] == ["b"]


def test_annotate_into_the_current_folder(tmp_path, monkeypatch):
    notes = tmp_path / "notes.jsonl"
    notes.write_text(json.dumps({"id": "a", "text": "No fever."}) + "\n", encoding="utf-8")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    monkeypatch.chdir(run_dir)
    result = runner.invoke(app, ["annotate", str(notes), "-o", ".", "--exclude", "ner", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (run_dir / "manifest.json").is_file()


def test_errors_path_beside_dot_names_the_folder(tmp_path, monkeypatch):
    from medtext.batch.job import errors_path_beside

    monkeypatch.chdir(tmp_path)
    assert errors_path_beside(".", folder=True) == tmp_path.parent / f"{tmp_path.name}.errors.jsonl"
    assert errors_path_beside("..", folder=True) == tmp_path.parent.parent / f"{tmp_path.parent.name}.errors.jsonl"
    assert errors_path_beside("out/", folder=True).as_posix() == "out.errors.jsonl"
    assert errors_path_beside("x/out.jsonl", folder=False).as_posix() == "x/out.errors.jsonl"
