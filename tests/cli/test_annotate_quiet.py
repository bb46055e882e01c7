"""--quiet: no summary line; failed records still get one line (how many, where the reasons are)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


def args(command: str, src: Path, out: Path) -> list[str]:
    extra = ["--exclude", "ner"] if command == "annotate" else []
    return [command, str(src), "-o", str(out), "-q", *extra]


def corpus(path: Path, bad: int) -> Path:
    records = [{"id": "a", "text": "No fever."}] + [{"id": f"b{i}", "text": ""} for i in range(bad)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_quiet_prints_only_how_many_failed_and_where(tmp_path, command):
    src = corpus(tmp_path / "bad.jsonl", 2)
    result = runner.invoke(app, args(command, src, tmp_path / "q.jsonl"))
    assert result.exit_code == 1
    assert [x for x in result.stderr.splitlines() if x.strip()] == [f"2 records failed (reasons in {tmp_path / 'q.errors.jsonl'})"]


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_quiet_prints_nothing_when_all_records_are_done(tmp_path, command):
    src = corpus(tmp_path / "ok.jsonl", 0)
    result = runner.invoke(app, args(command, src, tmp_path / "q.jsonl"))
    assert result.exit_code == 0 and result.stderr == ""


def test_without_quiet_the_summary_line_is_printed(tmp_path):
    src = corpus(tmp_path / "bad.jsonl", 1)
    result = runner.invoke(app, ["annotate", str(src), "-o", str(tmp_path / "q.jsonl"), "--exclude", "ner"])
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith("annotated 1 record, 1 failed") and "reasons in" in line
