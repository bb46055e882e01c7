"""JSON Lines reader: good records, every kind of bad line, streaming."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtext.errors import InputError
from medtext.io import BadRecord, Document, read_jsonl

SECRET = "Patient John Q. Secret"


def test_ids_labels_and_meta(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    lines = [
        {"id": 7, "text": "t1", "label": "neg"},
        {"id": "x-1", "text": "t2", "labels": ["a", "b"]},
        {"text": "t3"},
        {"id": None, "text": "t4", "label": 3, "other": {"big": "ignored"}},
        {"id": 1.5, "text": "t5", "labels": []},
    ]
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    docs = list(read_jsonl(f))
    assert all(isinstance(d, Document) for d in docs)
    assert [d.id for d in docs] == [7, "x-1", "a.jsonl:3", "a.jsonl:4", 1.5]
    assert [d.meta for d in docs] == [{"label": "neg"}, {"labels": ["a", "b"]}, {}, {"label": 3}, {"labels": []}]
    assert [d.line for d in docs] == [1, 2, 3, 4, 5]


def test_custom_fields(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"pmid": "123", "abstract": "Body.", "topic": "cardio", "text": "not this"}) + "\n")
    (doc,) = list(read_jsonl(f, id_field="pmid", text_field="abstract", label_field="topic"))
    assert (doc.id, doc.text, doc.meta) == ("123", "Body.", {"label": "cardio"})


BAD_LINES = [
    ('{"id": "m", "text": "unterminated', "malformed JSON: Unterminated string starting at (column 21)"),
    ("{'id': 1}", "malformed JSON: Expecting property name enclosed in double quotes (column 2)"),
    ('{"id": "m2"}', "missing text field 'text'"),
    ("{}", "missing text field 'text'"),
    ('{"id": "n", "text": null}', "text is null"),
    ('{"id": "i", "text": 42}', "text is not a string (got int)"),
    ('{"id": "l", "text": ["a"]}', "text is not a string (got list)"),
    ('{"id": "e", "text": ""}', "empty text"),
    ('{"id": "b", "text": " \\n\\t "}', "blank text"),
    ('["not", "an", "object"]', "not a JSON object (got list)"),
    ('"just a string"', "not a JSON object (got str)"),
    ('{"id": ["x"], "text": "t"}', "id is not a string or number (got list)"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_bad_line_is_a_bad_record_and_the_rest_is_read(tmp_path, line: str, reason: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "before", "text": "ok"}\n' + line + '\n\n{"id": "after", "text": "ok too"}\n')
    out = list(read_jsonl(f))
    assert [type(r).__name__ for r in out] == ["Document", "BadRecord", "Document"]
    bad = out[1]
    assert bad.line == 2
    assert bad.reason == reason
    assert bad.source == str(f)
    assert out[2].line == 4 and out[2].id == "after"


def test_bad_record_keeps_the_id_when_it_has_one(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 99, "text": null}\n{"text": ""}\n')
    assert [r.id for r in read_jsonl(f)] == [99, "a.jsonl:2"]


@pytest.mark.parametrize(
    "line",
    [
        '{"id": 1, "text": "' + SECRET + '", oops}',
        '{"id": 1, "text": "' + SECRET + '\\u0000" ',
        '{"id": 1, "txt": "' + SECRET + '"}',
    ],
)
def test_reasons_never_quote_the_text(tmp_path, line: str) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(line + '\n{"text": "ok"}\n')  # a good line too: a file of bad lines only is no JSONL (E182)
    bad, _ = list(read_jsonl(f))
    assert isinstance(bad, BadRecord)
    assert "Secret" not in json.dumps(bad.to_dict())


def test_blank_lines_are_skipped_and_empty_file_yields_nothing(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text("\n  \n\r\n")
    assert list(read_jsonl(f)) == []
    g = tmp_path / "b.jsonl"
    g.write_bytes(b"")
    assert list(read_jsonl(g)) == []


def test_crlf_and_bom(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "a\\r\\nb"}\r\n{"id": 2, "text": "c"}\r\n')
    assert [(d.id, d.text) for d in read_jsonl(f)] == [(1, "a\r\nb"), (2, "c")]


def test_cp1252_text_in_jsonl_is_repaired(tmp_path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'{"id": "caf\xe9", "text": "\x93quoted\x94", "label": "r\xe9sum\xe9"}\n')
    (doc,) = list(read_jsonl(f))
    assert (doc.id, doc.text, doc.meta) == ("café", "“quoted”", {"label": "résumé", "encoding": "cp1252"})


def test_five_megabyte_document_is_read_whole(tmp_path) -> None:
    text = ("Patient reports intermittent chest pain; ECG normal. " * 100_000)[:5_000_000]
    f = tmp_path / "big.jsonl"
    f.write_text(json.dumps({"id": "big", "text": text}) + "\n" + json.dumps({"id": "small", "text": "x"}) + "\n")
    docs = list(read_jsonl(f))
    assert len(docs[0].text) == 5_000_000 and docs[0].text == text
    assert docs[1].id == "small"


def test_missing_file_raises_at_call(tmp_path) -> None:
    with pytest.raises(InputError, match="E001"):
        read_jsonl(tmp_path / "nope.jsonl")


def test_memory_stays_constant_on_a_large_file(tmp_path) -> None:
    f = tmp_path / "many.jsonl"
    line = json.dumps({"id": 0, "text": "No acute distress. " * 25}) + "\n"
    with open(f, "w") as fh:
        for _ in range(20_000):  # about 10 MB
            fh.write(line)
    tracemalloc.start()
    n = 0
    for rec in read_jsonl(f):
        n += isinstance(rec, Document)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 20_000
    assert peak < 2_000_000, f"peak {peak} bytes while streaming a {f.stat().st_size} byte file"


ids = st.one_of(st.integers(-(2**53), 2**53), st.text(min_size=1, max_size=20))
texts = st.text(min_size=1, max_size=200).filter(lambda t: not t.isspace())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(ids, texts), max_size=20), ascii_only=st.booleans())
def test_property_round_trip_of_json_dumps(tmp_path, records: list[tuple[object, str]], ascii_only: bool) -> None:
    """Any texts and ids written with json.dumps (escaped or raw UTF-8) come back exactly."""
    f = tmp_path / "prop.jsonl"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        for doc_id, text in records:
            fh.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=ascii_only) + "\n")
    out = list(read_jsonl(f))
    assert all(isinstance(d, Document) for d in out)
    assert [(d.id, d.text) for d in out] == records


@pytest.mark.parametrize("content", ["id,text\n1,Patient John Q. Secret\n", "Patient John Q. Secret\n\nNo fever.\n",
                                     "oops\n[1, 2]\n", "a\nb\nc\nd\ne\n" + '{"text": "late"}\n'])
def test_a_file_that_is_no_jsonl_is_refused_when_read_is_called(tmp_path, content: str) -> None:
    f = tmp_path / "notes.csv"
    f.write_text(content)
    with pytest.raises(InputError, match=r"\[E182\] '.*notes\.csv' does not look like JSONL") as err:
        read_jsonl(f)  # at call time: nothing read yet, no output opened
    assert "Secret" not in str(err.value)


@pytest.mark.parametrize(("content", "n_bad", "n_good"), [('oops\n{"text": "No fever."}\n', 1, 1),
                                                          ('[1]\nnot json\n', 2, 0), ("\n\n", 0, 0),
                                                          ("a\nb\nc\nd\n" + '{"text": "No fever."}\n', 4, 1)])
def test_jsonl_with_bad_lines_among_objects_keeps_an_error_record_per_bad_line(tmp_path, content, n_bad, n_good) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(content)
    records = list(read_jsonl(f))
    assert [isinstance(r, BadRecord) for r in records].count(True) == n_bad and len(records) == n_bad + n_good
