"""Parquet text columns in the layouts real writers produce: categorical (dictionary-encoded), views, large."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from medtext.io import BadRecord, Document, read_parquet

TEXTS = ["No fever.", None, "Denies chest pain.", "No fever."]


def _texts(records):
    return [r.text if isinstance(r, Document) else r.reason for r in records]


@pytest.mark.parametrize("layout", ["dictionary", "large_string", "string_view"])
def test_every_arrow_string_layout_is_read_as_text(tmp_path, layout) -> None:
    column = {
        "dictionary": lambda: pa.array(TEXTS).dictionary_encode(),
        "large_string": lambda: pa.array(TEXTS, pa.large_string()),
        "string_view": lambda: pa.array(TEXTS, pa.string_view()),
    }[layout]
    f = tmp_path / "notes.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3, 4], "text": column()}), f, row_group_size=2)
    records = list(read_parquet(f))
    assert [r.id for r in records] == [1, 2, 3, 4]
    assert _texts(records) == ["No fever.", "text is null", "Denies chest pain.", "No fever."]


def test_a_pandas_categorical_text_column_is_read_as_text(tmp_path) -> None:
    f = tmp_path / "notes.parquet"
    pd.DataFrame({"id": ["a", "b", "c", "d"], "note": pd.Categorical(TEXTS)}).to_parquet(f)
    records = list(read_parquet(f, text_field="note"))
    assert [r.id for r in records] == ["a", "b", "c", "d"]
    assert _texts(records) == ["No fever.", "text is null", "Denies chest pain.", "No fever."]


def test_a_dictionary_encoded_binary_column_is_decoded_by_the_policy(tmp_path) -> None:
    f = tmp_path / "notes.parquet"
    cells = pa.array(["fièvre".encode("cp1252"), b"ok", None]).dictionary_encode()
    pq.write_table(pa.table({"id": [1, 2, 3], "text": cells}), f)
    records = list(read_parquet(f))
    assert _texts(records) == ["fièvre", "ok", "text is null"]
    assert isinstance(records[2], BadRecord) and records[0].meta == {"encoding": "cp1252"}
