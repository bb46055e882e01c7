"""`medtext annotate` on damaged inputs: every record ends up in the output or the errors file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, ["annotate", *[str(a) for a in args]])


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_an_unclosed_csv_quote_costs_one_row(tmp_path):
    rows = [f"{i},Patient {i} has asthma." for i in range(30)]
    rows[2] = '2,"Quoted start, never closed asthma'
    src = tmp_path / "uq.csv"
    src.write_text("id,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(src, "-o", out, "-q", "--exclude", "ner")
    assert result.exit_code == 1
    assert [r["id"] for r in lines_of(out)] == [str(i) for i in range(30) if i != 2]
    assert [(e["id"], e["line"]) for e in lines_of(tmp_path / "out.errors.jsonl")] == [("2", 4)]
    assert "Quoted" not in result.stderr


def test_one_nul_line_early_in_jsonl_costs_that_line_only(tmp_path):
    good = [json.dumps({"id": f"n{i}", "text": f"Patient {i} has asthma."}) for i in range(30)]
    src = tmp_path / "nul30.jsonl"
    src.write_bytes("\n".join(good[:5]).encode() + b'\n{"id":"bad","text":"x\x00y"}\n' + "\n".join(good[5:]).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    result = run(src, "-o", out, "-q", "--exclude", "ner")
    assert result.exit_code == 1
    assert [r["id"] for r in lines_of(out)] == [f"n{i}" for i in range(30)]
    assert [(e["id"], e["line"]) for e in lines_of(tmp_path / "out.errors.jsonl")] == [("nul30.jsonl:6", 6)]
