"""``medtext deid -o`` naming a folder as a .jsonl file, or a file as a folder: one line that says which, and
never suggests Parquet (deid writes JSONL only)."""

from __future__ import annotations

from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


def _run(tmp_path, output):
    note = tmp_path / "n.txt"
    note.write_text("Seen by Dr. Tasker.", encoding="utf-8")
    return runner.invoke(app, ["deid", str(note), "-o", str(output), "--quiet"])


def test_a_jsonl_name_that_is_a_folder(tmp_path):
    (tmp_path / "out.jsonl").mkdir()
    result = _run(tmp_path, tmp_path / "out.jsonl")
    assert result.exit_code == 2
    assert "it is a folder;" in result.output and "does not exist" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_folder_name_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("", encoding="utf-8")
    result = _run(tmp_path, tmp_path / "out")
    assert result.exit_code == 2
    assert "it is a file;" in result.output and "parquet" not in result.output.lower()
    assert len(result.output.strip().splitlines()) == 1
