"""The field options are the same on every command that reads records (DESIGN.md, README "Every command")."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()
FIELDS = ("--id-field", "--text-field", "--label-field")
RECORD_COMMANDS = [["annotate"], ["deid"], ["visualize"], ["classify"], ["score"], ["train"], ["check"],
                   ["evaluate", "classifier"], ["evaluate", "regressor"]]


@pytest.mark.parametrize("command", RECORD_COMMANDS, ids=" ".join)
def test_every_record_command_takes_the_three_field_options(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in FIELDS:
        assert option in result.output, f"{' '.join(command)} has no {option}"


@pytest.fixture()
def notes(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text(json.dumps({"key": "n1", "body": "No fever.", "y": "a"}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["deid", "visualize"])
def test_label_field_is_accepted_where_no_label_is_read(tmp_path, notes, command):
    # was: "No such option: --label-field" (exit 2) on deid and visualize, while annotate took it
    out = tmp_path / ("out.jsonl" if command == "deid" else "page.html")
    args = [command, str(notes), "-o", str(out), "--id-field", "key", "--text-field", "body", "--label-field", "y"]
    result = runner.invoke(app, args + (["--exclude", "ner"] if command == "visualize" else []))
    assert result.exit_code == 0, result.output
    assert out.is_file()
    if command == "deid":
        assert json.loads(out.read_text(encoding="utf-8"))["id"] == "n1"
