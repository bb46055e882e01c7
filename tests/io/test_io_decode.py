"""The decoding policy, through the readers that use it."""

from __future__ import annotations

import codecs
import gzip

import pytest

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_corpus, read_jsonl, read_lines
from medtext.io.decode import (
    Undecodable,
    decode_bytes,
    is_junk,
    repair,
    repair_text,
    sniff,
    sniff_encoding,
    strip_eol,
)
from medtext.io.text import read_text_file

TEXT = "Fièvre à 39 °C — “no rash”, naïve père.\nLine two\r\nend"


@pytest.mark.parametrize(
    ("raw", "codec"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32"),
        (b"", "utf-8"),
    ],
)
def test_sniff_encoding(raw: bytes, codec: str) -> None:
    assert sniff_encoding(raw[:4096]) == codec


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM (native order)
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM
        TEXT.encode("utf-16-be"),  # no BOM
        TEXT.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "utf32-bom"],
)
def test_unicode_files_read_exactly(tmp_path, raw: bytes) -> None:
    f = tmp_path / "note.txt"
    f.write_bytes(raw)
    doc = read_text_file(f)
    assert isinstance(doc, Document)
    assert doc.text == TEXT  # BOM removed, CRLF and everything else untouched
    assert "encoding" not in doc.meta


def test_latin1_text_file_is_repaired_and_annotated(tmp_path) -> None:
    f = tmp_path / "old.txt"
    f.write_bytes("Fièvre à 39 °C, naïve père.".encode("latin-1"))
    doc = read_text_file(f)
    assert isinstance(doc, Document)
    assert doc.text == "Fièvre à 39 °C, naïve père."
    assert doc.meta == {"encoding": "cp1252"}


def test_cp1252_smart_quotes_per_line(tmp_path) -> None:
    f = tmp_path / "notes.txt"
    f.write_bytes(b"plain line\n\x93quoted\x94 \x96 dash \x85\nlast \x80 5\n")
    docs = list(read_lines(f))
    assert [d.text for d in docs] == ["plain line", "“quoted” – dash …", "last € 5"]
    assert [d.meta.get("encoding") for d in docs] == [None, "cp1252", "cp1252"]


def test_mixed_utf8_and_cp1252_keeps_the_utf8_characters() -> None:
    s = "naïve ".encode() + b"\x93x\x94"
    assert repair(s.decode("utf-8", "surrogateescape")) == "naïve “x”"


def test_cp1252_undefined_bytes_fall_back_to_latin1() -> None:
    raw = b"Undefined in cp1252: \x81, kept as U+0081 by latin-1."
    assert repair(raw.decode("utf-8", "surrogateescape")) == raw.decode("latin-1")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe\xfd\xfc\xfb text",  # a run of 5 non-UTF-8 bytes
        b"ok \xc3\x28\x00\x9d junk",  # NUL
        b"\x81\x01\x02\x03\xa0\x04",  # control characters
        bytes(range(128, 256)),
    ],
)
def test_random_invalid_bytes_are_undecodable(raw: bytes) -> None:
    with pytest.raises(Undecodable, match="undecodable bytes"):
        repair(raw.decode("utf-8", "surrogateescape"))


def test_random_invalid_bytes_in_jsonl_become_a_bad_record(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "\xff\xfe\xfd\xfc\xfb"}\n{"id": "c", "text": "fine"}\n')
    out = list(read_jsonl(f))
    assert [type(r).__name__ for r in out] == ["Document", "BadRecord", "Document"]
    assert out[1].to_dict() == {"id": "b", "source": str(f), "line": 2, "reason": "undecodable bytes (not UTF-8 text)"}


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        gzip.compress(b"No fever. " * 500, mtime=0),
        bytes([7, 8, 1, 2, 3, 4, 5, 6] * 200),
    ],
    ids=["png", "gzip", "controls"],
)
def test_binary_file_is_a_bad_record_not_garbage_text(tmp_path, raw: bytes) -> None:
    f = tmp_path / "scan.txt"
    f.write_bytes(raw)
    (rec,) = list(read_corpus(f))
    assert isinstance(rec, BadRecord)
    assert rec.id == "scan.txt"
    assert rec.reason.startswith("undecodable bytes")
    g = tmp_path / "scan.jsonl"
    g.write_bytes(raw)
    (rec,) = list(read_corpus(g))
    assert isinstance(rec, BadRecord) and rec.reason.startswith("undecodable bytes")


def test_control_characters_are_kept(tmp_path) -> None:
    text = "Temp 38.5\x0b C\x07 noted; form\x0cfeed; tab\there; bell ok. " * 3
    f = tmp_path / "ctl.txt"
    f.write_text(text, encoding="utf-8")
    doc = read_text_file(f)
    assert isinstance(doc, Document) and doc.text == text


def test_text_is_never_altered(tmp_path) -> None:
    text = "  leading and trailing  \r\nbare\rcarriage\n\n\u00a0nbsp\u2028sep\ufeffzwnbsp \t"
    f = tmp_path / "raw.txt"
    f.write_bytes(text.encode("utf-8"))
    doc = read_text_file(f)
    assert doc.text == text


def test_forced_encoding(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("Größe".encode("cp1252"))
    assert read_text_file(f, encoding="cp1252").text == "Größe"
    assert read_text_file(f, encoding="latin-1").text == "Größe"
    bad = read_text_file(f, encoding="utf-8")  # forced: no cp1252 fallback
    assert isinstance(bad, BadRecord) and bad.reason == "undecodable bytes (not UTF-8 text)"


def test_forced_encoding_errors_are_bad_records(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"ok line\nbad \x81 line\n")
    out = list(read_lines(f, encoding="cp1252"))
    assert isinstance(out[0], Document)
    assert isinstance(out[1], BadRecord) and out[1].reason == "undecodable bytes (not valid cp1252)"


def test_unknown_encoding_is_an_input_error(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="E012"):
        read_corpus(f, encoding="no-such-codec")


def test_utf16_decode_errors_are_bad_records(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(codecs.BOM_UTF16_LE + "ok\n".encode("utf-16-le") + b"\x00\xd8x\x00\n\x00" + "end\n".encode("utf-16-le"))
    out = list(read_lines(f))
    kinds = [(type(r).__name__, r.line) for r in out]
    assert kinds == [("Document", 1), ("BadRecord", 2), ("Document", 3)]
    assert out[1].reason == "undecodable bytes (not valid utf-16)"


def test_repair_text_reports_the_fallback() -> None:
    assert repair_text("clean") == ("clean", None)
    assert repair_text("caf\udce9") == ("café", "cp1252")
    with pytest.raises(Undecodable):
        repair_text("caf\udce9", fallback=False)
    with pytest.raises(Undecodable):
        repair_text("lone \ud800 high surrogate")


def test_decode_bytes_and_sniff() -> None:
    assert decode_bytes(b"\xef\xbb\xbfok") == ("ok", None)
    assert decode_bytes("ok".encode("utf-16")) == ("ok", None)
    with pytest.raises(Undecodable, match="binary"):
        sniff(b"abc\x00def")
    assert sniff(b"plain").name == "utf-8"


def test_is_junk_thresholds() -> None:
    assert not is_junk("")
    assert not is_junk("a\tb\nc\rd\x0ce")
    assert is_junk("a\x00b")
    assert is_junk("ab\x01\x02")
    assert not is_junk("x" * 99 + "\x1b")


def test_strip_eol_removes_one_terminator_only() -> None:
    assert strip_eol("a\r\n") == "a"
    assert strip_eol("a\n\n") == "a\n"
    assert strip_eol("a\r") == "a\r"
    assert strip_eol("a") == "a"
