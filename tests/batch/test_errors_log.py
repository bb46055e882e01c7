"""The errors file: replaced only when medtext wrote it; a resume keeps exactly the recorded bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtext.batch.sinks import ErrorsLog, is_errors_file
from medtext.errors import InputError
from medtext.io.records import BadRecord

LINE = json.dumps(BadRecord("d1", "in.jsonl", 3, "empty text").to_dict()) + "\n"


@pytest.mark.parametrize(
    ("content", "ours"),
    [
        (LINE * 3, True),
        ("", True),
        (LINE + LINE[:20], True),  # a run killed while appending its last line
        (LINE + '{"id": 1, "text": "a record"}\n', False),
        ('{"id": 1, "source": "x", "line": 2, "reason": "r", "text": "t"}\n', False),
        ("plain text\n", False),
        (LINE + "[1, 2]\n", False),
    ],
)
def test_is_errors_file(tmp_path, content, ours):
    path = tmp_path / "e.jsonl"
    path.write_text(content, encoding="utf-8")
    assert is_errors_file(path) is ours


def test_reset_refuses_a_foreign_file_and_leaves_it(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text('{"id": 1, "text": "a record"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="E117.*not a medtext errors file"):
        ErrorsLog(path).reset()
    assert path.read_text(encoding="utf-8") == '{"id": 1, "text": "a record"}\n'


def test_reset_refuses_a_folder(tmp_path):
    with pytest.raises(InputError, match="E117.*folder"):
        ErrorsLog(tmp_path).reset()


def test_resume_keeps_the_recorded_prefix(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text(LINE * 2 + LINE[:10], encoding="utf-8")
    ErrorsLog(path).reset(keep_bytes=2 * len(LINE))
    assert path.read_text(encoding="utf-8") == LINE * 2


@pytest.mark.parametrize("content", ["", LINE, "x" * (3 * len(LINE))], ids=["emptied", "shorter", "replaced"])
def test_resume_refuses_an_errors_file_changed_since(tmp_path, content):
    path = tmp_path / "e.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="E117.*--resume"):
        ErrorsLog(path).reset(keep_bytes=2 * len(LINE))
    assert path.read_text(encoding="utf-8") == content  # not truncated, not extended with zeros


def test_append_creates_the_file_only_when_needed(tmp_path):
    log = ErrorsLog(Path(tmp_path / "sub" / "e.jsonl"))
    log.reset()
    log.append([])
    assert not log.path.exists()
    log.append([BadRecord("d1", "in.jsonl", 3, "empty text")])
    log.close()
    assert log.path.read_text(encoding="utf-8") == LINE
