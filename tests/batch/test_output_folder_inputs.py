"""A folder output must never become an input: its shards would be read back as documents by the next run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.errors import InputError


def notes(path: Path, n: int = 3) -> Path:
    path.write_text("".join(json.dumps({"id": f"n{i}", "text": "History of asthma. No fever."}) + "\n" for i in range(n)), encoding="utf-8")
    return path


def run(inputs: list[Path], out: Path, **kw):
    return annotate_corpus(AnnotateJob(inputs=[str(p) for p in inputs], output=str(out), exclude=("ner",), **kw))


def test_an_output_folder_that_holds_the_input_is_refused_before_anything_is_written(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    src = notes(data / "notes.jsonl")
    for given in (data, src):  # `annotate data -o data` and `annotate data/notes.jsonl -o data`
        with pytest.raises(InputError, match=r"E008.*'.*data' is not usable: it holds the input '.*notes.jsonl'.*outside the inputs"):
            run([given], data)
        assert sorted(p.name for p in data.iterdir()) == ["notes.jsonl"]


def test_a_rerun_into_a_folder_below_the_inputs_never_reads_or_clears_its_own_shards(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    notes(data / "notes.jsonl")
    with pytest.raises(InputError, match=r"E008.*inside the input folder '.*data', which is read for .jsonl files"):
        run([data], data / "annotations")
    assert not (data / "annotations").exists()


def test_an_input_folder_read_for_other_files_or_a_hidden_folder_in_it_may_hold_the_output(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("History of asthma.", encoding="utf-8")
    for _ in range(2):  # the second run reads the same single document, not the shards
        assert run([data], data / "annotations", input_format="txt").processed == 1
    other = tmp_path / "other"
    other.mkdir()
    notes(other / "notes.jsonl")
    for _ in range(2):
        assert run([other], other / ".annotations").processed == 3
