"""CSV/TSV quoting: a broken quote costs its own row at most, never the rows after it, and text is never altered."""

from __future__ import annotations

import pytest

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_csv


def rows_of(path):
    return [(type(r).__name__, r.id, r.line, r.text if isinstance(r, Document) else r.reason) for r in read_csv(path)]


def test_an_unclosed_quote_is_one_bad_row_and_the_rows_after_it_are_kept(tmp_path):
    lines = ["id,text"] + [f"{i},Patient {i} has asthma." for i in range(30)]
    lines[3] = '2,"Quoted start, never closed asthma'
    f = tmp_path / "uq.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = rows_of(f)
    assert len(out) == 30
    assert out[2] == ("BadRecord", "2", 4, "malformed row: unclosed quote (a quoted cell runs to the end of the file)")
    assert [r for r in out if r[0] == "Document"] == [
        ("Document", str(i), i + 2, f"Patient {i} has asthma.") for i in range(30) if i != 2
    ]


def test_tsv_text_that_merely_starts_with_a_quote_is_kept_verbatim(tmp_path):
    f = tmp_path / "q.tsv"
    f.write_text('id\ttext\n1\t"Pain" reported by patient, 7/10\n2\tplain\n3\t"a" b\tc\n', encoding="utf-8")
    assert rows_of(f) == [
        ("Document", "1", 2, '"Pain" reported by patient, 7/10'),
        ("Document", "2", 3, "plain"),
        ("BadRecord", "3", 4, "malformed row: a quoted cell is followed by other characters before the next delimiter"),
    ]


def test_tsv_well_formed_quoting_still_applies(tmp_path):
    f = tmp_path / "q.tsv"
    f.write_text('id\ttext\n1\t"tab\there, ""quoted"" and\nline two"\n2\tok\n', encoding="utf-8")
    assert rows_of(f) == [("Document", "1", 2, 'tab\there, "quoted" and\nline two'), ("Document", "2", 4, "ok")]


def test_csv_cell_with_text_after_its_closing_quote(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('id,text\n1,"He said 5" tall\n2,"no" he said, later\n3,ok\n', encoding="utf-8")
    assert rows_of(f) == [
        ("Document", "1", 2, '"He said 5" tall'),  # verbatim, not 'He said 5 tall'
        ("BadRecord", "2", 3, "malformed row: a quoted cell is followed by other characters before the next delimiter"),
        ("Document", "3", 4, "ok"),
    ]


def test_a_broken_quote_inside_a_multiline_cell_loses_no_line(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('id,text\n1,"Line one\nline two "bad" stuff\nend"\n2,ok\n', encoding="utf-8")
    out = rows_of(f)
    assert [(kind, line) for kind, _, line, _ in out] == [("BadRecord", 2), ("BadRecord", 3), ("BadRecord", 4), ("Document", 5)]
    assert out[0][1] == "1" and out[3][1:] == ("2", 5, "ok")
    assert all("bad" not in reason and "Line" not in reason for kind, _, _, reason in out if kind == "BadRecord")


def test_good_multiline_quoted_cells_are_unchanged(tmp_path):
    f = tmp_path / "q.csv"
    f.write_bytes(b'id,text\r\nn1,"a, b\r\nc ""d"""\r\nn2,x\r\n')
    assert rows_of(f) == [("Document", "n1", 2, 'a, b\r\nc "d"'), ("Document", "n2", 4, "x")]


def test_a_header_with_an_unclosed_quote_is_a_clear_error(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('id,"text\n1,a\n2,b\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"E006.*bad header"):
        read_csv(f)


def test_every_row_is_a_document_or_a_bad_record(tmp_path):
    body = ['"open', 'x,"y"z', '"a""b",c', '"', 'k,"v', "m,n"]
    f = tmp_path / "q.csv"
    f.write_text("id,text\n" + "\n".join(body) + "\n", encoding="utf-8")
    out = list(read_csv(f))
    assert sorted(r.line for r in out) == list(range(2, 2 + len(body)))
    assert all(isinstance(r, Document | BadRecord) for r in out)
