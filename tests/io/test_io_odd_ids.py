"""Ids that are not plain JSON (NaN, infinity, bytes, lists, dates) never reach the output as such.

Every id a reader yields is a string or a finite number, so annotation and de-id records are
strict JSON (no ``NaN`` token) and nothing crashes while writing them.
"""

from __future__ import annotations

import datetime
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.io import BadRecord, Document, read_jsonl, read_parquet


def strict_json(line: str):
    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(line, parse_constant=refuse)


def test_jsonl_nan_id_is_a_missing_id_and_infinity_a_bad_record(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": NaN, "text": "No fever."}\n{"id": Infinity, "text": "No fever."}\n{"id": 3, "text": "Cough."}\n')
    got = list(read_jsonl(f))
    assert isinstance(got[0], Document) and got[0].id == "a.jsonl:1"
    assert isinstance(got[1], BadRecord) and got[1].id == "a.jsonl:2" and "finite" in got[1].reason
    assert got[2].id == 3


@pytest.mark.parametrize(
    ("ids", "want"),
    [
        (pa.array([b"n1", b"\xff\x00"]), ["n1", "bad"]),
        (pa.array([1.5, float("nan")]), [1.5, "a.parquet:2"]),
        (pa.array([[1], [2, 3]]), ["bad", "bad"]),
        (pa.array([datetime.date(2020, 1, 2), None]), ["2020-01-02", "a.parquet:2"]),
    ],
    ids=["binary", "float-nan", "list", "date"],
)
def test_parquet_ids_are_strings_or_finite_numbers(tmp_path, ids, want):
    f = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": ids, "text": ["No fever.", "Cough."]}), f)
    got = [r.id if isinstance(r, Document) else "bad" for r in read_parquet(f)]
    assert got == want
    bad = [r for r in read_parquet(f) if isinstance(r, BadRecord)]
    assert all(r.reason.startswith("id is not") for r in bad)


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_binary_and_nan_ids_give_strict_json_records_not_a_crash(tmp_path, command):
    f = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": pa.array([b"n1", b"n2"]), "text": ["No fever.", "Cough."]}), f)
    g = tmp_path / "b.jsonl"
    g.write_text('{"id": NaN, "text": "No fever."}\n')
    out = tmp_path / "o.jsonl"
    extra = ["--exclude", "ner"] if command == "annotate" else []
    result = CliRunner().invoke(app, [command, str(f), str(g), "-o", str(out), "-q", *extra])
    assert result.exit_code == 0, result.stderr
    records = [strict_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["n1", "n2", "b.jsonl:1"]


def test_a_file_that_is_not_parquet_is_one_sentence_per_clause(tmp_path):
    from medtext.errors import InputError
    from medtext.io import read_annotations

    f = tmp_path / "a.parquet"
    f.write_text("No fever, just text.\n" * 3, encoding="utf-8")
    for read in (read_parquet, lambda p: list(read_annotations(p))):
        with pytest.raises(InputError) as info:
            read(f)
        assert "E006" in str(info.value) and ".." not in str(info.value)
