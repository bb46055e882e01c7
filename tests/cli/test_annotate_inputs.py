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


TABLE = "id,text\n" + "".join(f"{i},Patient {i} has asthma.\n" for i in range(31))


def test_a_csv_read_as_jsonl_is_one_clear_error_not_an_error_per_line(tmp_path):
    src = tmp_path / "notes.csv"
    src.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(src, "--input-format", "jsonl", "-o", out, "-q", "--exclude", "ner")
    # before: exit 1 and 32 error lines, one per line of the table
    assert result.exit_code == 2 and "[E182]" in result.stderr and "--input-format csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "asthma" not in result.stderr
    assert not out.exists() and not (tmp_path / "out.errors.jsonl").exists()


def test_a_csv_on_standard_input_read_as_jsonl_is_one_clear_error(tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", "-", "-o", str(out), "-q", "--exclude", "ner"], input=TABLE)
    assert result.exit_code == 2 and "[E182]" in result.stderr and "standard input" in result.stderr
    assert "--input-format csv" in result.stderr and not out.exists()


def test_deid_refuses_a_csv_read_as_jsonl_in_one_line(tmp_path):
    src = tmp_path / "notes.csv"
    src.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "deid.jsonl"
    result = runner.invoke(app, ["deid", str(src), "--input-format", "jsonl", "-o", str(out)])
    assert result.exit_code == 2 and "[E182]" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_bad_first_line_among_json_lines_stays_that_records_error(tmp_path):
    good = [json.dumps({"id": f"n{i}", "text": f"Patient {i} has asthma."}) for i in range(6)]
    src = tmp_path / "notes.jsonl"
    src.write_text("id,text\n" + "\n".join(good) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", "-", "-o", str(out), "-q", "--exclude", "ner"], input=src.read_text())
    assert result.exit_code == 1
    assert [r["id"] for r in lines_of(out)] == [f"n{i}" for i in range(6)]
    assert [e["line"] for e in lines_of(tmp_path / "out.errors.jsonl")] == [1]
