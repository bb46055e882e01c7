"""``--errors -`` (or blank) is refused in one line by annotate and deid; it wrote a file named '-'."""

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["annotate", "deid"])
@pytest.mark.parametrize("errors", ["-", "", "  "])
def test_errors_file_must_be_a_path(tmp_path, monkeypatch, command, errors):
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes.jsonl"
    notes.write_text(json.dumps({"id": "a", "text": "No fever."}) + "\n", encoding="utf-8")
    result = runner.invoke(app, [command, str(notes), "-o", str(tmp_path / "out.jsonl"), "--errors", errors])
    assert result.exit_code == 2, result.output
    assert "[E011] Option --errors must be a file path" in result.output
    assert not (tmp_path / "-").exists() and not (tmp_path / "out.jsonl").exists()
