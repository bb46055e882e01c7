"""Tables written with another delimiter than the suffix says (';' from European spreadsheets, '|' from database
exports, tabs in a .csv, commas in a .tsv) are read by the header that names the text column."""

from __future__ import annotations

import pytest

from medtext.errors import InputError
from medtext.io import Document, read_corpus


@pytest.mark.parametrize(
    ("name", "sep"),
    [("notes.csv", ";"), ("notes.csv", "|"), ("notes.csv", "\t"), ("notes.tsv", ","), ("notes.tsv", ";")],
)
def test_the_delimiter_that_gives_the_named_text_column_is_used(tmp_path, name, sep) -> None:
    f = tmp_path / name
    f.write_bytes(f'id{sep}text\r\n1{sep}"Denies chest pain, no fever; {sep} asthma."\r\n2{sep}"Two\r\nlines."\r\n'.encode())
    records = list(read_corpus(f))
    assert [(r.id, r.text, r.line) for r in records] == [
        ("1", f"Denies chest pain, no fever; {sep} asthma.", 2),
        ("2", "Two\r\nlines.", 3),
    ]
    assert all(isinstance(r, Document) for r in records)


def test_stdin_style_forced_csv_format_detects_it_too(tmp_path) -> None:
    f = tmp_path / "export.dat"
    f.write_text("note_id|note_text\nn1|No fever.\n", encoding="utf-8")
    (doc,) = list(read_corpus(f, format="csv", id_field="note_id", text_field="note_text"))
    assert (doc.id, doc.text) == ("n1", "No fever.")


def test_a_header_that_has_the_text_column_is_never_split_otherwise(tmp_path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("id,text\n1;2,Asthma; no fever.\n", encoding="utf-8")
    (doc,) = list(read_corpus(f))
    assert (doc.id, doc.text) == ("1;2", "Asthma; no fever.")


def test_no_delimiter_giving_the_text_column_is_still_e004(tmp_path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("id;body\n1;No fever.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E004.*'text'"):
        read_corpus(f)
