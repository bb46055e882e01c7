"""Records that share an id: all are written, and the run says so in one W040 line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.duplicate_ids import DuplicateIds
from medtext.cli.app import app
from medtext.io.records import Document

runner = CliRunner()


def jsonl(path: Path, ids: list) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": f"No fever on day {n}."}) + "\n" for n, i in enumerate(ids)), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_repeated_ids_are_all_written_and_reported_with_the_first_place(tmp_path, command):
    src = jsonl(tmp_path / "notes.jsonl", ["a", "b", "a", "c", "a", "b"])
    out = tmp_path / "out.jsonl"
    extra = ["--exclude", "ner"] if command == "annotate" else []
    result = runner.invoke(app, [command, str(src), "-o", str(out), "-q", *extra])
    assert result.exit_code == 0
    written = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == ["a", "b", "a", "c", "a", "b"]
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"medtext {command}: warning: [W040] 3 record(s) have an id")
    assert f"(first: {src} line 3)" in line
    assert "No fever" not in line  # ids and places only, never text


def test_unique_ids_give_no_warning(tmp_path):
    src = jsonl(tmp_path / "notes.jsonl", ["a", "b", 1, "1"])  # the number 1 and the string "1" are different ids
    result = runner.invoke(app, ["annotate", str(src), "-o", str(tmp_path / "o.jsonl"), "-q", "--exclude", "ner"])
    assert result.exit_code == 0 and result.stderr == ""


def test_the_python_api_reports_repeats_across_files(tmp_path):
    first = jsonl(tmp_path / "one.jsonl", ["x", "y"])
    second = jsonl(tmp_path / "two.jsonl", ["z", "y"])
    summary = annotate_corpus(AnnotateJob(inputs=[str(first), str(second)], output=str(tmp_path / "out.jsonl"), exclude=("ner",)))
    assert summary.processed == 4
    assert summary.duplicate_ids == (1, str(second), 2)


def test_bad_records_count_too_and_lines_may_be_unknown():
    ids = DuplicateIds()
    items = [Document("n1", "x", "a.txt", None), Document("n2", "y", "a.txt", None), Document("n1", "z", "b.txt", None)]
    assert list(ids.watch(items)) == items
    assert ids.report() == (1, "b.txt", None)
    assert DuplicateIds().report() is None
