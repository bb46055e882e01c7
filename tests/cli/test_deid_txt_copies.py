"""``medtext deid`` to a folder: .txt copies keep the folders below the input folder, never replace an input; ids stay unique."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def nest(tmp_path: Path) -> Path:
    for rel, text in (("a/x.txt", "Seen by Dr. Tasker."), ("b/x.txt", "Call 410-555-0199.")):
        f = tmp_path / "nest" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return tmp_path / "nest"


def test_two_txt_inputs_with_one_name_keep_their_folders_in_a_folder_output(tmp_path, nest):
    result = run("deid", nest, "-o", tmp_path / "ndir", "-q")
    assert result.exit_code == 0, result.stderr
    a, b = (tmp_path / "ndir" / "a" / "x.txt").read_text(encoding="utf-8"), (tmp_path / "ndir" / "b" / "x.txt").read_text(encoding="utf-8")
    assert "Tasker" not in a and a.startswith("Seen by")
    assert "410-555-0199" not in b and b.startswith("Call")
    assert not (tmp_path / "ndir" / "x.txt").exists()
    assert not list((tmp_path / "ndir").rglob("*.partial"))


def test_a_jsonl_output_keeps_both_with_unique_ids(tmp_path, nest):
    out = tmp_path / "d.jsonl"
    result = run("deid", nest / "a/x.txt", nest / "b/x.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a/x.txt", "b/x.txt"]


def test_a_copy_never_replaces_its_input(nest):
    before = (nest / "a/x.txt").read_text(encoding="utf-8")
    result = run("deid", nest / "a", "-o", nest / "a", "-q")
    assert result.exit_code == 2 and "E008" in result.stderr
    assert (nest / "a/x.txt").read_text(encoding="utf-8") == before
