"""Compressed inputs are not read: refused in one line by name, an errors-file line with the right reason by content."""

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
    ("name", "kind", "stdin_format"),
    [("notes.jsonl.gz", "gzip", "jsonl"), ("notes.CSV.GZ", "gzip", "csv"), ("notes.tsv.bz2", "bzip2", "tsv"),
     ("notes.jsonl.xz", "xz", "jsonl"), ("notes.ndjson.zst", "zstd", "jsonl"), ("notes.parquet.zip", "zip", None)],
)
def test_a_compressed_file_named_as_such_is_refused_with_how_to_read_it(tmp_path, name, kind, stdin_format) -> None:
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
