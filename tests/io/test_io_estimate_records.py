"""The progress estimate never fails a run: inputs it cannot count give None (the run then reports them)."""

from __future__ import annotations

import os

import pytest

from medtext.io.dispatch import estimate_records


def test_a_corrupt_parquet_file_is_not_counted(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"garbage")
    assert estimate_records([bad]) is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_broken_link_in_a_folder_is_not_counted(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    os.symlink(tmp_path / "gone.jsonl", tmp_path / "b.jsonl")
    assert estimate_records([tmp_path], "jsonl") is None
