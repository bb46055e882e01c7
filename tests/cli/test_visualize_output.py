"""``medtext visualize -o``: never the input it renders (it was replaced by the page), never a file named '-'."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()
NOTE = "Seen by Dr. Tasker. No fever."


@pytest.mark.parametrize("same", [lambda d: d / "n.txt", lambda d: d / "sub" / ".." / "n.txt"])
def test_the_page_never_replaces_an_input(tmp_path, same):
    note = tmp_path / "n.txt"
    note.write_text(NOTE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["visualize", str(tmp_path), "-o", str(same(tmp_path)), "--exclude", "ner"])
    assert result.exit_code == 2 and "[E115]" in result.output and "it is the input" in result.output
    assert note.read_text(encoding="utf-8") == NOTE
    assert "Tasker" not in result.output


def test_dash_is_refused_not_written_as_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["visualize", "n.txt", "-o", "-", "--exclude", "ner"])
    assert result.exit_code == 2 and "[E115]" in result.output
    assert not (tmp_path / "-").exists()
