"""A broken symbolic link in a corpus folder is reported (errors file), not silently left out."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.io import BadRecord, read_corpus
from medtext.io.dispatch import input_files

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "notes"
    d.mkdir()
    (d / "a.txt").write_text("No fever.\n", encoding="utf-8")
    os.symlink(tmp_path / "moved-away.txt", d / "b.txt")
    return d


def test_read_corpus_yields_a_bad_record_for_a_broken_link(folder):
    items = list(read_corpus(folder))
    assert [i.id for i in items] == ["a.txt", "b.txt"]
    assert isinstance(items[1], BadRecord) and items[1].reason == "cannot read file (broken symbolic link)"
    assert [os.path.basename(f) for f in input_files(folder)] == ["a.txt"]  # nothing to fingerprint


@pytest.mark.parametrize("output", ["o.jsonl", "out"])
def test_annotate_writes_the_broken_link_to_the_errors_file(tmp_path, folder, output):
    out = tmp_path / output
    result = CliRunner().invoke(app, ["annotate", str(folder), "-o", str(out), "--exclude", "ner", "-q"])
    assert result.exit_code == 1, result.stderr
    errors = tmp_path / ("o.errors.jsonl" if output.endswith(".jsonl") else "out.errors.jsonl")
    lines = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(e["id"], e["reason"]) for e in lines] == [("b.txt", "cannot read file (broken symbolic link)")]
