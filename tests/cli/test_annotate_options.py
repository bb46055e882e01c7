"""Conflicting or invalid options are refused with one line (exit 2) before anything is written."""

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
def src(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "No fever."}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "fragment", "not_created"),
    [
        (["-o", "fp.jsonl", "--format", "parquet"], "--format must be the format of the -o file (jsonl)", "fp.jsonl"),
        (["-o", "fp.parquet", "--format", "jsonl"], "--format must be the format of the -o file (parquet)", "fp.parquet"),
        (["-o", "-", "--format", "parquet"], "--format must be jsonl with -o -", None),
        (["-o", "sd", "--shard-size", "0"], "--shard-size must be at least 1; got 0", "sd"),
        (["-o", "sd", "--shard-size", "-1"], "--shard-size must be at least 1; got -1", "sd"),
    ],
)
def test_annotate_refuses_conflicting_options(tmp_path, src, args, fragment, not_created):
    args = [str(tmp_path / a) if a in ("fp.jsonl", "fp.parquet", "sd") else a for a in args]
    result = run("annotate", src, *args, "-q")
    assert result.exit_code == 2
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "E011" in lines[0] and fragment in lines[0], result.stderr
    if not_created:
        assert not (tmp_path / not_created).exists()


def test_format_that_matches_the_file_is_accepted(tmp_path, src):
    out = tmp_path / "out.parquet"
    result = run("annotate", src, "-o", out, "--format", "parquet", "-q", "--exclude", "ner")
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:4] == b"PAR1"


@pytest.mark.parametrize("name", ["deid.parquet", "deid.PQ"])
def test_deid_refuses_a_parquet_output(tmp_path, src, name):
    result = run("deid", src, "-o", tmp_path / name, "-q")
    assert result.exit_code == 2
    assert "E011" in result.stderr and "deid writes JSONL" in result.stderr
    assert not (tmp_path / name).exists()
