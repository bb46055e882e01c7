"""``medtext.load`` arguments given the easy way (one name, one file) or wrongly (a path that is no pipeline)."""

from __future__ import annotations

import pytest

import medtext
from medtext.errors import InputError


def test_exclude_and_disable_take_a_single_name():
    assert "ner" not in medtext.load(exclude="ner").pipe_names
    nlp = medtext.load(exclude="ner", disable="phi")
    assert "ner" not in nlp.pipe_names and "phi" in nlp.disabled


def test_user_files_take_a_single_file(tmp_path):
    rules = tmp_path / "my_headers.jsonl"
    rules.write_text('{"category": "medications", "titles": ["drug list"]}\n', encoding="utf-8")
    for given in (str(rules), rules):
        nlp = medtext.load(exclude="ner", user_files={"sections": given})
        assert [s["category"] for s in nlp("DRUG LIST: aspirin.")._.sections] == ["medications"]


@pytest.mark.parametrize(
    ("make", "code", "detail"),
    [
        (lambda d: d / "missing", "E001", "does not exist"),
        (lambda d: d, "E124", "no config.cfg"),
        (lambda d: (d / "a.txt").write_text("x") and d / "a.txt", "E124", "a file, not a folder"),
    ],
    ids=["missing", "folder-without-config", "file"],
)
def test_a_path_that_is_no_saved_pipeline_is_one_clear_input_error(tmp_path, make, code, detail):
    path = make(tmp_path)
    with pytest.raises(InputError, match=rf"\[{code}\].*{detail}"):
        medtext.load(path)


def test_a_path_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="load takes the path of a saved pipeline folder.*got int"):
        medtext.load(5)
