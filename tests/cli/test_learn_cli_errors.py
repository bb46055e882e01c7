"""Learn commands on bad input: one-line errors, nothing lost, nothing deleted (CliRunner)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learn"))

from learn_fixtures import (SMALL_FEATURES, multilabel_rows, rct_file, regress_rows,  # noqa: E402,F401
                            texts_rows, train_file, write_jsonl)
from test_learn_cli import failed_with, lines, models, run  # noqa: E402,F401


def test_train_into_a_foreign_folder_deletes_nothing(tmp_path, train_file):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "config.json").write_text("{}")
    r = run("train", "--input", train_file, "-o", proj)
    assert failed_with(r, "E008") and "new or empty folder" in r.stderr
    assert (proj / "config.json").read_text() == "{}"


def test_train_output_is_an_existing_file(tmp_path, train_file):
    target = tmp_path / "dev.jsonl"
    target.write_text("keep")
    assert failed_with(run("train", "--input", train_file, "-o", target), "E008")
    assert target.read_text() == "keep"
