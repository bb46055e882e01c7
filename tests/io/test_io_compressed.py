"""Compressed inputs: gzip, bzip2 and xz files of the text formats, named as such, are read decompressed; other
compressed files are refused in one line by name; compressed bytes under a plain name are an errors-file line with
the right reason."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import zipfile

import pytest

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_corpus

LINES = "".join(json.dumps({"id": i, "text": "No fever."}) + "\n" for i in range(3)).encode()


@pytest.mark.parametrize(
    ("name", "pack"),
    [("notes.jsonl.gz", gzip.compress), ("notes.JSONL.GZ", gzip.compress), ("notes.ndjson.bz2", bz2.compress),
     ("notes.jsonl.xz", lzma.compress)],
)
def test_gzip_bzip2_xz_files_named_as_such_are_read_decompressed(tmp_path, name, pack) -> None:
    f = tmp_path / name
    f.write_bytes(pack(LINES))
    docs = list(read_corpus(f))
    assert [(d.id, d.text, d.line) for d in docs] == [(i, "No fever.", i + 1) for i in range(3)]


@pytest.mark.parametrize("name", ["notes.csv.gz", "notes.tsv.bz2", "notes.txt.xz"])
def test_compressed_tables_and_text_files_read_like_plain_ones(tmp_path, name) -> None:
    suffix = name.split(".")[1]
    plain = {"csv": "id,text\n1,No fever.\r\n2,\"Cough, no fever.\"\n", "tsv": "id\ttext\n1\tNo fever.\n",
             "txt": "No fever.\r\nCHF.\n"}[suffix]
    pack = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[name.rsplit(".", 1)[1]]
    (tmp_path / name).write_bytes(pack(plain.encode("utf-8")))
    (tmp_path / f"plain.{suffix}").write_text(plain, encoding="utf-8", newline="")
    read = [(d.text, d.line) for d in read_corpus(tmp_path / name)]
    assert read == [(d.text, d.line) for d in read_corpus(tmp_path / f"plain.{suffix}")] and read


@pytest.mark.parametrize(
    ("name", "kind", "stdin_format"),
    [("notes.ndjson.zst", "zstd", "jsonl"), ("notes.parquet.zip", "zip", None), ("notes.parquet.gz", "gzip", None),
     ("notes.conll.gz", "gzip", None)],
)
def test_other_compressed_files_named_as_such_are_refused_with_how_to_read_them(tmp_path, name, kind, stdin_format) -> None:
    f = tmp_path / name
    f.write_bytes(gzip.compress(LINES))
    with pytest.raises(InputError) as err:
        read_corpus(f)
    message = str(err.value)
    assert message.startswith(f"[E195] '{f}' is {kind}-compressed") and "\n" not in message
    assert "decompress it first" in message
    assert (f"--input-format {stdin_format}" in message) == (stdin_format is not None)


@pytest.mark.parametrize(
    ("pack", "kind"),
    [(gzip.compress, "gzip"), (bz2.compress, "bzip2"), (lzma.compress, "xz")],
)
def test_compressed_bytes_read_under_a_text_format_are_one_bad_record_that_says_so(tmp_path, pack, kind) -> None:
    f = tmp_path / "notes.jsonl"
    f.write_bytes(pack(LINES))
    (record,) = list(read_corpus(f))
    assert isinstance(record, BadRecord)
    assert record.reason == f"undecodable bytes ({kind}-compressed data, not text; decompress the file first)"


def test_a_zip_read_as_csv_and_text_that_starts_like_a_signature(tmp_path) -> None:
    z = tmp_path / "notes.csv"
    with zipfile.ZipFile(z, "w") as archive:
        archive.writestr("notes.csv", "id,text\n1,No fever.\n")
    (record,) = list(read_corpus(z))
    assert "zip-compressed" in record.reason
    t = tmp_path / "a.txt"
    t.write_text("BZh9 is not a bzip2 header here. No fever.", encoding="utf-8")
    (doc,) = list(read_corpus(t))
    assert isinstance(doc, Document) and doc.text.startswith("BZh9")
    from medtext.io.compressed import compression_by_bytes

    assert compression_by_bytes(b"BZh91AY&SY...") == "bzip2"


def test_a_folder_picks_up_compressed_files_of_the_text_formats(tmp_path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(LINES))
    (tmp_path / "b.jsonl").write_bytes(LINES.replace(b'"id": ', b'"id": 1'))
    (tmp_path / "c.txt.xz").write_bytes(lzma.compress(b"CHF."))
    (tmp_path / "d.parquet.gz").write_bytes(gzip.compress(b"not read"))  # skipped, like an unknown extension
    assert [d.id for d in read_corpus(tmp_path, format="jsonl")] == [0, 1, 2, 10, 11, 12]
    assert [(d.id, d.text) for d in read_corpus(tmp_path, format="txt")] == [("c.txt.xz", "CHF.")]
    assert sorted(str(d.id) for d in read_corpus(tmp_path)) == ["0", "1", "10", "11", "12", "2", "c.txt.xz"]
