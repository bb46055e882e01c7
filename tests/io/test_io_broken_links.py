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


@pytest.mark.parametrize(("fmt", "good", "content", "bad"), [
    ("lines", "a.txt", "No fever.\n", "b.txt"),
    ("jsonl", "a.jsonl", '{"id": "n1", "text": "No fever."}\n', "b.jsonl"),
    ("csv", "a.csv", 'id,text\nn1,"No fever."\n', "b.csv"),
    ("tsv", "a.tsv", "id\ttext\nn1\tNo fever.\n", "b.tsv"),
    (None, "a.jsonl", '{"id": "n1", "text": "No fever."}\n', "b.jsonl"),  # record files by suffix
])
def test_a_broken_link_to_a_record_file_is_a_bad_record(tmp_path, fmt, good, content, bad):
    d = tmp_path / "in"
    d.mkdir()
    (d / good).write_text(content, encoding="utf-8")
    os.symlink(tmp_path / f"moved-away{os.path.splitext(bad)[1]}", d / bad)
    for given in (d, d / ("*" + os.path.splitext(bad)[1])):  # a folder, or a glob
        items = list(read_corpus(str(given), fmt))
        assert [type(i).__name__ for i in items] == ["Document", "BadRecord"], given
        assert (items[1].id, items[1].reason) == (bad, "cannot read file (broken symbolic link)")


@pytest.mark.parametrize("fmt", ["txt", "lines", "jsonl", "csv"])
def test_annotate_with_an_input_format_writes_the_broken_link_to_the_errors_file(tmp_path, fmt):
    d = tmp_path / "in"
    d.mkdir()
    suffix = {"txt": ".txt", "lines": ".txt", "jsonl": ".jsonl", "csv": ".csv"}[fmt]
    content = {"jsonl": '{"id": "n1", "text": "No fever."}\n', "csv": 'id,text\nn1,"No fever."\n'}.get(fmt, "No fever.\n")
    (d / f"a{suffix}").write_text(content, encoding="utf-8")
    os.symlink(tmp_path / "moved-away", d / f"b{suffix}")
    (d / f"c{suffix}").write_text(content.replace("n1", "n3"), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["annotate", str(d), "-o", str(out), "--input-format", fmt, "--exclude", "ner", "-q"])
    assert result.exit_code == 1, result.stderr                       # the run went on, then said a record failed
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2     # a and c
    errors = [json.loads(line) for line in (tmp_path / "o.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["id"], e["reason"]) for e in errors] == [(f"b{suffix}", "cannot read file (broken symbolic link)")]


def test_a_missing_path_given_by_name_is_still_e001(tmp_path):
    os.symlink(tmp_path / "moved-away", tmp_path / "b.jsonl")
    result = CliRunner().invoke(app, ["annotate", str(tmp_path / "b.jsonl"), "-o", str(tmp_path / "o.jsonl"), "-q"])
    assert result.exit_code == 2 and "E001" in result.stderr
