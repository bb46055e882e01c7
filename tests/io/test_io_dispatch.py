"""read_corpus: paths, folders, globs, format inference and up-front errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from medtext.errors import InputError
from medtext.io import FORMATS, BadRecord, Document, infer_format, read_corpus

DATA = Path(__file__).parent / "data"


def test_formats_tuple() -> None:
    assert FORMATS == (
        "txt", "lines", "jsonl", "csv", "tsv", "parquet", "pubtator", "conll", "rct", "brat", "negex", "physionet", "ab3p",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.TXT", "txt"),
        ("CDR.PubTator.txt", "txt"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "tsv"),
        ("a.parquet", "parquet"),
        ("a.pq", "parquet"),
        ("a.ann", "brat"),
        ("a.pubtator", "pubtator"),
        ("a.conll", "conll"),
        ("a.iob", "conll"),
    ],
)
def test_infer_format(name: str, fmt: str) -> None:
    assert infer_format(name) == fmt


@pytest.mark.parametrize("name", ["a.md", "a", "id.text"])
def test_infer_format_unknown(name: str) -> None:
    with pytest.raises(InputError, match="E003"):
        infer_format(name)


def test_infer_format_of_a_compressed_file() -> None:
    assert infer_format("a.jsonl.gz") == "jsonl" and infer_format("a.TSV.xz") == "tsv"
    with pytest.raises(InputError, match=r"E195.*zstd-compressed.*--input-format jsonl"):
        infer_format("a.jsonl.zst")


def test_infer_format_of_a_folder_is_txt(tmp_path) -> None:
    assert infer_format(tmp_path) == "txt"


def test_missing_path_raises_before_yielding(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(InputError, match="E001.*nope"):
        read_corpus([tmp_path / "a.txt", tmp_path / "nope"])  # raised by the call itself
    with pytest.raises(InputError, match="E001"):
        read_corpus(str(tmp_path / "*.jsonl"))  # a glob matching nothing


def test_unknown_format_and_unknown_suffix(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(InputError, match="E002.*'docx'"):
        read_corpus(tmp_path / "a.txt", format="docx")
    with pytest.raises(InputError, match="E003"):
        read_corpus(tmp_path / "a.doc")


def test_empty_folder_and_no_paths(tmp_path) -> None:
    (tmp_path / "README.md").write_text("not a document")
    with pytest.raises(InputError, match="E005"):
        read_corpus(tmp_path)
    with pytest.raises(InputError, match="E005"):
        read_corpus(tmp_path, format="jsonl")
    with pytest.raises(InputError, match="E005"):
        read_corpus([])


def test_globs_are_expanded_and_sorted(tmp_path) -> None:
    for name in ["b.txt", "a.txt", "c.md"]:
        (tmp_path / name).write_text(name)
    docs = list(read_corpus(str(tmp_path / "*.txt")))
    assert [d.id for d in docs] == ["a.txt", "b.txt"]
    assert [d.source for d in docs] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_folder_mixes_formats_by_suffix(tmp_path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n1.txt").write_text("Note one.")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": 5, "text": "J"}) + "\n")
    (tmp_path / "b.csv").write_text("id,text\nc1,C\n")
    (tmp_path / "c.tsv").write_text("id\ttext\nt1\tT\n")
    pq.write_table(pa.table({"id": ["p1"], "text": ["P"]}), tmp_path / "d.parquet")
    (tmp_path / "x.ann").write_text("ignored without format=brat")
    (tmp_path / "README.md").write_text("ignored")
    docs = list(read_corpus(tmp_path))
    assert [(d.id, d.text) for d in docs] == [(5, "J"), ("c1", "C"), ("t1", "T"), ("p1", "P"), ("notes/n1.txt", "Note one.")]


def test_folder_with_a_format(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("one\n\ntwo\n")
    (tmp_path / "b.jsonl").write_text("{}\n")
    docs = list(read_corpus(tmp_path, format="lines"))
    assert [(d.id, d.text) for d in docs] == [("a.txt:1", "one"), ("a.txt:3", "two")]


def test_csv_missing_column_in_any_file_raises_before_yielding(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("id,text\n1,x\n")
    (tmp_path / "b.csv").write_text("id,body\n1,x\n")
    with pytest.raises(InputError, match="E004.*b.csv"):
        read_corpus(tmp_path)


def test_field_options_are_passed_to_every_reader(tmp_path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"pmid": 1, "abstract": "A", "topic": "t"}) + "\n")
    (tmp_path / "b.csv").write_text("pmid,abstract,topic\n2,B,u\n")
    pq.write_table(pa.table({"pmid": [3], "abstract": ["C"], "topic": ["v"]}), tmp_path / "c.parquet")
    docs = list(read_corpus(tmp_path, id_field="pmid", text_field="abstract", label_field="topic"))
    assert [(d.id, d.text, d.meta["label"]) for d in docs] == [(1, "A", "t"), ("2", "B", "u"), (3, "C", "v")]


def test_binary_and_empty_txt_files_are_bad_records(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)))
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("fine")
    out = list(read_corpus(tmp_path))
    assert [(type(r).__name__, r.id) for r in out] == [("BadRecord", "a.txt"), ("BadRecord", "b.txt"), ("Document", "c.txt")]
    assert out[0].reason.startswith("undecodable") and out[1].reason == "empty text"


def test_empty_files_yield_nothing_for_line_formats(tmp_path) -> None:
    for name in ["a.jsonl", "b.csv"]:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"")
    assert list(read_corpus([tmp_path / "a.jsonl", tmp_path / "b.csv"])) == []
    assert list(read_corpus(tmp_path / "c.txt", format="lines")) == []


GOLD = [
    ("pubtator", DATA / "sample.pubtator", ["111", "222", "333"]),
    ("conll", DATA / "sample.conll", ["sample.conll:3", "sample.conll:10"]),
    ("rct", DATA / "sample_rct.txt", ["1001:0", "1001:1", "1001:2", "1002:0", "1003:0"]),
    ("brat", DATA / "brat", ["n1", "n3", "sub/n2"]),
    ("negex", DATA / "sample_negex.txt", ["sample_negex.txt:2", "sample_negex.txt:3", "sample_negex.txt:4"]),
    ("physionet", DATA / "sample.text", ["1-1", "1-2", "2-1"]),
    ("ab3p", DATA / "sample_labeled", ["1001", "1002"]),
]


@pytest.mark.parametrize(("fmt", "path", "ids"), GOLD, ids=[g[0] for g in GOLD])
def test_gold_formats_through_read_corpus(fmt: str, path: Path, ids: list[str]) -> None:
    docs = list(read_corpus(path, format=fmt))
    assert all(isinstance(d, Document) for d in docs)
    assert [d.id for d in docs] == ids
    assert all(d.source for d in docs)


def test_physionet_phi_beside_the_text_file_is_attached() -> None:
    doc = next(read_corpus(DATA / "sample.text", format="physionet"))
    assert [p["label"] for p in doc.meta["phi"]] == ["HCPName", "Location", "Date", "Phone"]


def test_gold_document_with_empty_text_is_a_bad_record(tmp_path) -> None:
    (tmp_path / "a.pubtator").write_text("9|t|\n9|a|\n")
    (rec,) = list(read_corpus(tmp_path / "a.pubtator"))
    assert rec == BadRecord("9", str(tmp_path / "a.pubtator"), 1, "blank text")


def test_brat_ann_path_infers_brat(tmp_path) -> None:
    shutil.copy(DATA / "brat" / "n1.txt", tmp_path / "n1.txt")
    shutil.copy(DATA / "brat" / "n1.ann", tmp_path / "n1.ann")
    (doc,) = list(read_corpus(tmp_path / "n1.ann"))
    assert doc.id == "n1" and [e["label"] for e in doc.meta["entities"]] == ["Problem", "Problem"]


def test_encoding_override_reaches_the_readers(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes("Größe".encode("cp1252"))
    (doc,) = list(read_corpus(tmp_path, encoding="cp1252"))
    assert doc.text == "Größe" and doc.meta == {}


def test_estimate_records_counts_without_reading_records(tmp_path):
    from medtext.io import estimate_records

    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n{"text": "z"}')
    (tmp_path / "b.csv").write_text("id,text\n1,a\n2,b\n")
    (tmp_path / "notes").mkdir()
    for name in ("1.txt", "2.txt"):
        (tmp_path / "notes" / name).write_text("x")
    assert estimate_records(tmp_path / "a.jsonl") == 3
    assert estimate_records([tmp_path / "b.csv", tmp_path / "notes"]) == 4
    assert estimate_records(tmp_path / "missing.jsonl") is None
