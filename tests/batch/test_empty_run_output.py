"""A finished run into a folder whose input held no record reads back as no records, not as E005."""

from __future__ import annotations

import json

import pytest

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.errors import InputError
from medtext.io import read_annotations


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_run_without_records_reads_back_empty(tmp_path, fmt):
    source = tmp_path / "empty.jsonl"
    source.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    summary = annotate_corpus(AnnotateJob(inputs=[str(source)], output=str(out), output_format=fmt, exclude=["ner"]))
    assert summary.processed == 0 and summary.failed == 0
    assert list(read_annotations(out)) == []


def test_an_unfinished_or_foreign_folder_without_shards_is_still_refused(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"version": 1, "shards": {}, "complete": False}))
    with pytest.raises(InputError, match="E005"):
        read_annotations(tmp_path)
    (tmp_path / "manifest.json").write_text("not json")
    with pytest.raises(InputError, match="E005"):
        read_annotations(tmp_path)
