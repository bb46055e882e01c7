"""Ctrl-C: one stderr line (E123) and exit 130, also when the interrupt lands in a finalizer."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

import medtext.batch
from medtext.batch.job import Summary
from medtext.cli.app import app

runner = CliRunner()


@pytest.fixture()
def note(tmp_path):
    src = tmp_path / "n.txt"
    src.write_text("No fever.\n", encoding="utf-8")
    return src


def run_with(monkeypatch, note, tmp_path, fake):
    monkeypatch.setattr(medtext.batch, "annotate_corpus", fake)
    return runner.invoke(app, ["annotate", str(note), "-o", str(tmp_path / "o.jsonl"), "--exclude", "ner", "-q"])


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, note, tmp_path):
    def interrupted(job, progress=None):
        raise KeyboardInterrupt

    result = run_with(monkeypatch, note, tmp_path, interrupted)
    assert result.exit_code == 130
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "E123" in lines[0] and "Interrupted" in lines[0], result.stderr


def test_ctrl_c_swallowed_by_a_finalizer_still_stops_the_command(monkeypatch, note, tmp_path):
    class Finalized:
        def __del__(self):
            raise KeyboardInterrupt  # what Python does with it: print "Exception ignored", go on

    def interrupted_in_a_finalizer(job, progress=None):
        Finalized()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the interrupt is raised again here, in the command's own code
            pass
        return Summary(processed=1)

    result = run_with(monkeypatch, note, tmp_path, interrupted_in_a_finalizer)
    assert result.exit_code == 130, result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert "E123" in result.stderr
