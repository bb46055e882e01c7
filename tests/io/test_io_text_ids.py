"""Ids of one-document-per-file (.txt) inputs are unique in a run; the usual ids are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtext.io import read_corpus
from medtext.io.dispatch import text_ids


@pytest.fixture()
def nest(tmp_path: Path) -> Path:
    for rel in ("a/x.txt", "b/x.txt", "a/sub/y.txt", "c/z.txt"):
        f = tmp_path / "nest" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f"Note {rel}: no fever.", encoding="utf-8")
    return tmp_path / "nest"


def ids(paths) -> list[str]:
    return [r.id for r in read_corpus([str(p) for p in paths])]


def test_files_with_the_same_name_get_their_path_below_the_common_folder(nest):
    assert ids([nest / "a/x.txt", nest / "b/x.txt"]) == ["a/x.txt", "b/x.txt"]
    assert ids([nest / "a", nest / "b"]) == ["sub/y.txt", "a/x.txt", "b/x.txt"]


def test_ids_without_a_clash_are_unchanged(nest):
    assert ids([nest]) == ["a/sub/y.txt", "a/x.txt", "b/x.txt", "c/z.txt"]
    assert ids([nest / "a/x.txt", nest / "c/z.txt"]) == ["x.txt", "z.txt"]
    assert ids([nest / "c"]) == ["z.txt"]


def test_text_ids_match_the_documents(nest):
    paths = [str(nest / "a/x.txt"), str(nest / "b/x.txt")]
    assert [doc_id for _, doc_id in text_ids(paths)] == ids(paths)
