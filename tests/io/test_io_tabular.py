"""CSV/TSV and Parquet readers."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_csv, read_parquet


def test_csv_basic_quoting_and_start_lines(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(
        b'id,text,label\r\n'
        b'n1,"No fever, no cough.",neg\r\n'
        b'n2,"Line one\r\nline two ""quoted""",pos\r\n'
        b"\r\n"
        b"n3,plain,neg\r\n"
    )
    docs = list(read_csv(f))
    assert [(d.id, d.text, d.line, d.meta) for d in docs] == [
        ("n1", "No fever, no cough.", 2, {"label": "neg"}),
        ("n2", 'Line one\r\nline two "quoted"', 3, {"label": "pos"}),
        ("n3", "plain", 6, {"label": "neg"}),
    ]


def test_tsv_from_suffix_and_delimiter_override(tmp_path) -> None:
    f = tmp_path / "a.tsv"
    f.write_text("id\ttext\nx\tA, B and C\n")
    assert [(d.id, d.text) for d in read_csv(f)] == [("x", "A, B and C")]
    g = tmp_path / "a.txt"
    g.write_text("id;text\ny;semi colon\n")
    assert [(d.id, d.text) for d in read_csv(g, delimiter=";")] == [("y", "semi colon")]


def test_csv_missing_text_column_raises_before_yielding(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("id,body\n1,x\n")
    with pytest.raises(InputError, match=r"E004.*'text'.*'id', 'body'.*--text-field"):
        read_csv(f)


def test_csv_missing_id_column_and_empty_id_cells_use_file_and_line(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("text,id\nfirst,\nsecond,s2\n")
    assert [d.id for d in read_csv(f)] == ["a.csv:2", "s2"]
    g = tmp_path / "b.csv"
    g.write_text("text\nonly text\n")
    assert [d.id for d in read_csv(g)] == ["b.csv:2"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("r,too,many,cells", "malformed row: expected 3 fields, found 4"),
        ("r,few", "malformed row: expected 3 fields, found 2"),
        ("r,,x", "empty text"),
        ("r,   ,x", "blank text"),
        ("r,bad\rcarriage,x", "malformed row: new-line character seen in unquoted field"),
    ],
)
def test_csv_bad_rows_are_bad_records(tmp_path, row: str, reason: str) -> None:
    f = tmp_path / "a.csv"
    f.write_text(f"id,text,label\ngood,ok,a\n{row}\nafter,ok,b\n", newline="")
    out = list(read_csv(f))
    assert [type(r).__name__ for r in out] == ["Document", "BadRecord", "Document"]
    assert out[1].line == 3
    assert out[1].reason == reason
    assert out[2].id == "after" and out[2].line == 4


def test_csv_five_megabyte_field(tmp_path) -> None:
    text = "x" * 5_000_000
    f = tmp_path / "big.csv"
    f.write_text(f'id,text\nbig,"{text}"\nsmall,y\n')
    docs = list(read_csv(f))
    assert len(docs[0].text) == 5_000_000 and docs[1].id == "small"


def test_csv_empty_file_yields_nothing(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(b"")
    assert list(read_csv(f)) == []


def test_csv_bom_header_and_cp1252_cells(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(b"\xef\xbb\xbfid,text\n1,caf\xe9 cr\xe8me\n")
    (doc,) = list(read_csv(f))
    assert (doc.id, doc.text, doc.meta) == ("1", "café crème", {"encoding": "cp1252"})


def test_csv_binary_file_is_one_bad_record(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (rec,) = list(read_csv(f))
    assert isinstance(rec, BadRecord) and rec.reason.startswith("undecodable")


def test_csv_labels_column(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('id,text,labels\n1,t,"a;b"\n')
    assert next(read_csv(f)).meta == {"labels": "a;b"}


# Parquet


def _write(path, table: pa.Table, **kw) -> None:
    pq.write_table(table, path, **kw)


def test_parquet_rows_ids_labels_and_line_numbers(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    n = 700
    table = pa.table(
        {
            "id": list(range(n)),
            "text": [None if i == 650 else f"doc {i}" for i in range(n)],
            "label": [f"l{i % 3}" for i in range(n)],
            "unused": [b"x"] * n,
        }
    )
    _write(f, table, row_group_size=100)
    out = list(read_parquet(f))
    assert len(out) == n
    assert [r.line for r in out] == list(range(1, n + 1))
    assert out[0] == Document(0, "doc 0", str(f), 1, {"label": "l0"})
    assert out[650] == BadRecord(650, str(f), 651, "text is null")


def test_parquet_missing_text_column(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    _write(f, pa.table({"id": [1], "body": ["x"]}))
    with pytest.raises(InputError, match="E004"):
        read_parquet(f)


def test_parquet_non_string_text_column(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    _write(f, pa.table({"id": [1], "text": [3]}))
    with pytest.raises(InputError, match="E010"):
        read_parquet(f)


def test_parquet_binary_text_column_uses_the_decode_policy(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    cells = ["ok".encode(), "caf\xe9".encode("cp1252"), b"\x89PNG\r\n\x1a\n\x00\x00", b"", None, "x".encode("utf-16")]
    _write(f, pa.table({"id": ["a", "b", "c", "d", "e", "f"], "text": pa.array(cells, pa.binary())}))
    out = list(read_parquet(f))
    assert [(r.id, getattr(r, "text", None) or r.reason) for r in out] == [
        ("a", "ok"),
        ("b", "café"),
        ("c", "undecodable bytes (binary file, not text)"),
        ("d", "empty text"),
        ("e", "text is null"),
        ("f", "x"),
    ]
    assert out[1].meta == {"encoding": "cp1252"}


def test_parquet_missing_id_column_and_custom_fields(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    _write(f, pa.table({"body": ["x", "y"], "topic": ["t1", "t2"], "labels": [["a"], []]}))
    out = list(read_parquet(f, text_field="body", label_field="topic"))
    assert [(d.id, d.text, d.meta) for d in out] == [
        ("a.parquet:1", "x", {"label": "t1", "labels": ["a"]}),
        ("a.parquet:2", "y", {"label": "t2", "labels": []}),
    ]


def test_not_a_parquet_file(tmp_path) -> None:
    f = tmp_path / "a.parquet"
    f.write_text("id,text\n1,x\n")
    with pytest.raises(InputError, match="E006"):
        read_parquet(f)


def test_headerless_csv_error_does_not_quote_text(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("17,Patient John Secret was seen today with chest pain\n")
    with pytest.raises(InputError, match="E004") as info:
        read_csv(f)
    assert "Secret" not in str(info.value) and "'17'" not in str(info.value) and "2 cells" in str(info.value)


def test_headerless_csv_error_quotes_no_cell_of_a_text_row(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("Smith,chest pain,Patient John Smith was seen today with chest pain and fever\n")
    with pytest.raises(InputError, match="E004") as info:
        read_csv(f)
    assert "Smith" not in str(info.value) and "chest" not in str(info.value) and "3 cells that look like text" in str(info.value)


def test_jsonl_read_as_csv_error_quotes_nothing_and_suggests_jsonl(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('{"id": "d0", "text": "Mr Secret seen today, carbamazepine (CBZ)"}\n')
    with pytest.raises(InputError, match="E004") as info:
        read_csv(f)
    assert "Secret" not in str(info.value) and "CBZ" not in str(info.value) and "--input-format jsonl" in str(info.value)


@pytest.mark.parametrize("content", [
    "P12,seen today,neg\nP13,no cough,pos\n",           # headerless rows of short cells
    "fever,neg\ncough,pos\n",                            # both rows read like names: cannot tell, so hidden
    "Smith John,chest pain\n",                           # one row only
    "Chest pain\nPatient John Smith was seen today with chest pain\n",   # one column: a line of text
    "2024-01-02,chest pain,neg\n2024-01-03,Seen today with a cough and fever,pos\n",  # a date
    "MRN12345,Smith,neg\nMRN12346,Seen today with a cough and fever,pos\n",           # an id
])
def test_headerless_csv_with_short_cells_quotes_none_of_them(tmp_path, content) -> None:
    f = tmp_path / "a.csv"
    f.write_text(content)
    with pytest.raises(InputError, match="E004") as info:
        read_csv(f)
    message = str(info.value)
    assert "'" + content.split(",")[0].split("\n")[0] + "'" not in message
    for word in ("Smith", "chest", "seen", "fever", "cough", "P12", "2024", "MRN"):
        assert word not in message
    assert "not look like column names (not shown; is the first row a header?)" in message


@pytest.mark.parametrize(("content", "shown"), [
    ("note_id,note,label\nn1,\"Seen today, cough.\",pos\n", "'note_id', 'note', 'label'"),
    (",id,note\n0,n1,Seen today with a cough\n", "'', 'id', 'note'"),            # pandas' index column
    ("Report No.,Concept,Sentence\n1,fever,No fever today.\n", "'Report No.', 'Concept', 'Sentence'"),
])
def test_csv_with_the_wrong_header_names_its_columns(tmp_path, content, shown) -> None:
    f = tmp_path / "a.csv"
    f.write_text(content)
    with pytest.raises(InputError, match="E004") as info:
        read_csv(f)
    assert f"(found: {shown})" in str(info.value)
