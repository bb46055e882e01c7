"""Plain text readers: one document per file, one per line."""

from __future__ import annotations

import pytest

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_lines, read_text_files


def test_single_file_id_is_the_file_name(tmp_path) -> None:
    f = tmp_path / "note 1.txt"
    f.write_text("No fever.\n")
    (doc,) = list(read_text_files(f))
    assert (doc.id, doc.text, doc.source, doc.line) == ("note 1.txt", "No fever.\n", str(f), None)


def test_folder_is_walked_recursively_in_sorted_order(tmp_path) -> None:
    for rel, text in [("b.txt", "B"), ("a/z.txt", "AZ"), ("a/b/c.txt", "ABC"), ("A.TXT", "upper"), ("c.md", "no")]:
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "._resource.txt").write_bytes(b"\x00\x05\x16\x07")
    docs = list(read_text_files(tmp_path))
    assert [d.id for d in docs] == ["A.TXT", "a/b/c.txt", "a/z.txt", "b.txt"]
    assert [d.text for d in docs] == ["upper", "ABC", "AZ", "B"]
    assert docs[1].source == str(tmp_path / "a" / "b" / "c.txt")


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty text"), (b" \n\t\r\n", "blank text")])
def test_empty_or_blank_file_is_a_bad_record(tmp_path, content: bytes, reason: str) -> None:
    f = tmp_path / "e.txt"
    f.write_bytes(content)
    (rec,) = list(read_text_files(f))
    assert rec == BadRecord("e.txt", str(f), None, reason)


def test_missing_path_raises_at_call(tmp_path) -> None:
    with pytest.raises(InputError, match="E001"):
        read_text_files(tmp_path / "nope")
    with pytest.raises(InputError, match="E001"):
        read_lines(tmp_path / "nope.txt")


def test_lines_one_document_per_non_empty_line(tmp_path) -> None:
    f = tmp_path / "notes.txt"
    f.write_bytes(b"first\r\n\n   \nsecond  \n\tthird\nlast without newline")
    docs = list(read_lines(f))
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.id, d.text, d.line) for d in docs] == [
        ("notes.txt:1", "first", 1),
        ("notes.txt:4", "second  ", 4),
        ("notes.txt:5", "\tthird", 5),
        ("notes.txt:6", "last without newline", 6),
    ]


def test_lines_bare_carriage_return_does_not_split(tmp_path) -> None:
    f = tmp_path / "cr.txt"
    f.write_bytes(b"one\rstill one\ntwo\n")
    assert [d.text for d in read_lines(f)] == ["one\rstill one", "two"]


def test_lines_empty_file_yields_nothing(tmp_path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert list(read_lines(f)) == []


def test_lines_of_a_folder_is_an_error(tmp_path) -> None:
    with pytest.raises(InputError, match="E006"):
        read_lines(tmp_path)
