"""A text file with a few bad lines is text: the bad lines are quarantined one by one, the rest is read."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from medtext.io import BadRecord, Document, read_corpus
from medtext.io.compressed import compressed_reason
from medtext.io.decode import BINARY_REASON

NUL_REASON = "undecodable bytes (a NUL character: binary data, not text)"


def kinds(path, fmt=None):
    return [(type(r).__name__, r.line) for r in read_corpus(str(path), fmt)]


def test_one_nul_line_in_the_first_4kb_of_jsonl_costs_that_line_only(tmp_path):
    good = [json.dumps({"id": f"n{i}", "text": f"Patient {i} has asthma."}).encode() for i in range(30)]
    bad = b'{"id":"bad","text":"x\x00y"}'
    f = tmp_path / "nul30.jsonl"
    f.write_bytes(b"\n".join(good[:15] + [bad] + good[15:]) + b"\n")
    out = list(read_corpus(str(f)))
    assert [r.id for r in out if isinstance(r, Document)] == [f"n{i}" for i in range(30)]
    (rec,) = [r for r in out if isinstance(r, BadRecord)]
    assert rec.line == 16 and rec.reason.startswith("malformed JSON")


def test_a_csv_row_of_binary_bytes_costs_that_row_only(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes(b'id,text\n1,"Patient has asthma."\n2,"Bad \xff\xfe\x00\x01\x02 bytes"\n3,ok diabetes\n')
    out = list(read_corpus(str(f)))
    assert [(type(r).__name__, r.id, r.line) for r in out] == [("Document", "1", 2), ("BadRecord", "2", 3), ("Document", "3", 4)]
    assert out[1].reason == NUL_REASON


def test_a_nul_line_is_quarantined_alone(tmp_path):
    f = tmp_path / "l.txt"
    f.write_bytes(b"first line\nx\x00y\nthird line\n")
    assert kinds(f, "lines") == [("Document", 1), ("BadRecord", 2), ("Document", 3)]


def test_json_escaped_nul_is_text(tmp_path):
    g = tmp_path / "e.jsonl"
    g.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "text": "x\\u0000y"}\n', encoding="utf-8")
    assert [r.text for r in read_corpus(str(g))] == ["ok", "x\x00y"]  # what json.dumps wrote comes back


def test_a_text_file_with_a_nul_is_one_bad_record(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"No fever.\nCough\x00.\n")
    (rec,) = list(read_corpus(str(f)))
    assert isinstance(rec, BadRecord) and rec.reason == NUL_REASON


@pytest.mark.parametrize("kind", ["random", "gzip", "png"])
def test_binary_files_are_still_one_bad_record(tmp_path, kind):
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(20_000))
    if kind == "gzip":
        data = gzip.compress(("Patient has asthma. " * 2000).encode() + data)
    elif kind == "png":
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + data
    f = tmp_path / "x.jsonl"
    f.write_bytes(data)
    (rec,) = list(read_corpus(str(f)))
    reason = compressed_reason("gzip") if kind == "gzip" else BINARY_REASON  # compressed data says what it is
    assert isinstance(rec, BadRecord) and rec.reason == reason and rec.line is None
