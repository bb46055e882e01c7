"""A reader that closes standard output early (``medtext ... | head -1``) ends the command
quietly with exit 0, as it does for ``classify``; click's own handling exited 1 ("some records
failed"). A broken pipe that is not standard output stays a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def many(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": i, "label": "a", "text": f"No fever {i}."}) + "\n" for i in range(3000)), encoding="utf-8")
    return path


def first_byte_then_close(args: list[str]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "medtext", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout.read(1)
    proc.stdout.close()  # as `head -c 1` does
    err = proc.stderr.read().decode("utf-8", "replace")
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("command", [["annotate", "{many}", "-o", "-", "--exclude", "ner", "-q"], ["deid", "{many}", "-o", "-"]])
def test_closed_stdout_is_a_quiet_exit_0(many, command):
    code, err = first_byte_then_close([a.format(many=many) for a in command])
    assert (code, err) == (0, "")


def test_a_broken_pipe_elsewhere_is_still_a_failure(monkeypatch):
    from typer.testing import CliRunner

    from medtext.cli.app import app

    def broken(*args, **kwargs):
        raise BrokenPipeError  # e.g. a Dask scheduler's socket; standard output is fine

    monkeypatch.setattr("medtext.batch.annotate_corpus", broken)
    result = CliRunner().invoke(app, ["annotate", str(ROOT / "corpora"), "-o", "-", "--exclude", "ner", "-q"])
    assert result.exit_code == 2 and "unexpected BrokenPipeError" in result.stderr
