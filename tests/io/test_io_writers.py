"""JSONL and Parquet writers, and reading annotation records back."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest

from medtext.errors import InputError, MedtextError
from medtext.io import JsonlWriter, ParquetWriter, annotation_schema, read_annotations


def _record(i: int, *, text: bool = True) -> dict:
    body = f"Pt {i} denies chest pain; Hx of MI (myocardial infarction). Seen by Dr. Kay 3/14 — “ok” 🙂."
    start = body.index("chest pain")
    rec = {
        "id": f"note-{i}",
        "text": body,
        "sentences": [[0, len(body)]],
        "sections": [{"category": "history", "title": "Hx", "start": 0, "end": 2}],
        "entities": [
            {
                "start": start,
                "end": start + 10,
                "text": "chest pain",
                "label": "PROBLEM",
                "codes": [{"system": "SNOMED", "code": "29857009"}],
                "source": "rules",
                "negated": True,
                "uncertain": False,
                "historical": False,
                "family": False,
                "hypothetical": False,
                "triggers": {"negation": "denies"},
            },
            {
                "start": 0,
                "end": 2,
                "text": "Pt",
                "label": "PERSON",
                "codes": [],
                "source": "ner",
                "negated": False,
                "uncertain": False,
                "historical": False,
                "family": False,
                "hypothetical": False,
                "triggers": {},
            },
        ],
        "abbreviations": [{"short": "MI", "long": "myocardial infarction", "start": 34, "end": 36}],
        "phi": [{"start": 0, "end": 2, "label": "NAME", "text": "Pt"}] if i % 2 else [],
    }
    if not text:
        del rec["text"]
    return rec


def test_jsonl_writer_is_atomic(tmp_path) -> None:
    out = tmp_path / "sub" / "out.jsonl"
    with JsonlWriter(out) as w:
        w.write(_record(1))
        partial = list((tmp_path / "sub").iterdir())
        assert not out.exists()
        assert len(partial) == 1 and not partial[0].name.endswith(".jsonl") and partial[0].name.startswith(".")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["out.jsonl"]
    line = out.read_text(encoding="utf-8")
    assert "“ok” 🙂" in line and line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line) == _record(1)


def test_jsonl_writer_replaces_and_aborts(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    with pytest.raises(RuntimeError):
        with JsonlWriter(out) as w:
            w.write({"id": 1})
            raise RuntimeError("boom")
    assert out.read_text() == "old\n" and list(tmp_path.iterdir()) == [out]
    with JsonlWriter(out) as w:
        w.write({"id": 2})
    assert out.read_text() == '{"id": 2}\n' and w.count == 1


def test_jsonl_writer_stdout_and_streams(capsys) -> None:
    with JsonlWriter("-") as w:
        w.write({"id": "a", "text": "é"})
    assert capsys.readouterr().out == '{"id": "a", "text": "é"}\n'
    buf = io.StringIO()
    with JsonlWriter(buf, include_text=False) as w:
        w.write_many([{"id": 1, "text": "x"}, {"id": 2, "text": "y"}])
    assert buf.getvalue() == '{"id": 1}\n{"id": 2}\n' and not buf.closed


def test_parquet_round_trip_equals_jsonl(tmp_path) -> None:
    records = [_record(i) for i in range(25)]
    with JsonlWriter(tmp_path / "a.jsonl") as w:
        w.write_many(records)
    with ParquetWriter(tmp_path / "a.parquet", batch_size=10) as w:
        w.write_many(records)
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups == 3
    assert pq.read_schema(tmp_path / "a.parquet").equals(annotation_schema())
    from_jsonl = list(read_annotations(tmp_path / "a.jsonl"))
    from_parquet = list(read_annotations(tmp_path / "a.parquet"))
    assert from_jsonl == records
    assert from_parquet == from_jsonl


def test_parquet_without_text(tmp_path) -> None:
    with ParquetWriter(tmp_path / "a.parquet", include_text=False) as w:
        w.write(_record(1))
    (back,) = list(read_annotations(tmp_path / "a.parquet"))
    assert "text" not in back and back == _record(1, text=False)
    assert pq.read_schema(tmp_path / "a.parquet").names == ["id", "sentences", "sections", "entities", "abbreviations", "phi"]


def test_parquet_ids_are_strings_and_missing_fields_are_null(tmp_path) -> None:
    with ParquetWriter(tmp_path / "a.parquet") as w:
        w.write({"id": 17, "text": "x", "entities": [{"start": 0, "end": 1, "text": "x", "label": "L"}]})
    (back,) = list(read_annotations(tmp_path / "a.parquet"))
    assert back["id"] == "17" and back["sentences"] is None
    assert back["entities"][0]["codes"] is None and back["entities"][0]["label"] == "L"


def test_parquet_writer_is_atomic_and_aborts(tmp_path) -> None:
    out = tmp_path / "a.parquet"
    with pytest.raises(RuntimeError):
        with ParquetWriter(out) as w:
            w.write(_record(1))
            assert not out.exists() and not any(p.suffix == ".parquet" for p in tmp_path.iterdir())
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("record", "where"),
    [
        ({"id": "a", "score": 1}, "unknown field 'score'"),
        ({"id": "a", "entities": [{"start": 0, "end": 1, "kb": "x"}]}, "unknown field 'entities[0].kb'"),
        ({"id": "a", "entities": [{"codes": [{"system": "S", "code": "1", "v": 2}]}]}, "entities[0].codes[0].v"),
    ],
)
def test_parquet_unknown_fields_are_refused(tmp_path, record: dict, where: str) -> None:
    with ParquetWriter(tmp_path / "a.parquet") as w:
        with pytest.raises(MedtextError, match=r"E013.*" + where.replace("[", r"\[").replace("]", r"\]")):
            w.write(record)


def test_parquet_bad_types_name_the_record_and_field_not_the_value(tmp_path) -> None:
    out = tmp_path / "a.parquet"
    w = ParquetWriter(out)
    w.write(_record(1))
    w.write({"id": "bad", "text": "x", "sentences": [["secret value", 3]]})
    w.write(_record(2))
    with pytest.raises(MedtextError, match="E013") as info:
        w.close()
    assert "record 'bad'" in str(info.value)
    assert "sentences" in str(info.value) and "secret" not in str(info.value)
    assert [r["id"] for r in read_annotations(out)] == ["note-1", "note-2"]


def test_read_annotations_folder_of_shards(tmp_path) -> None:
    out = tmp_path / "out"
    with JsonlWriter(out / "shard-00001.jsonl") as w:
        w.write_many([_record(3), _record(4)])
    with ParquetWriter(out / "shard-00000.parquet") as w:
        w.write_many([_record(1), _record(2)])
    (out / "manifest.json").write_text("{}")
    (out / "x.errors.jsonl").write_text('{"id": "e", "reason": "empty text"}\n')
    (out / ".shard-00002.jsonl.abc.part").write_text("partial")
    assert [r["id"] for r in read_annotations(out)] == ["note-1", "note-2", "note-3", "note-4"]


def test_read_annotations_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="E001"):
        read_annotations(tmp_path / "nope.jsonl")
    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(InputError, match="E014"):
        read_annotations(tmp_path / "a.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="E005"):
        read_annotations(tmp_path / "empty")
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n{oops\n')
    with pytest.raises(InputError, match="E009.*line 2"):
        list(read_annotations(tmp_path / "bad.jsonl"))
