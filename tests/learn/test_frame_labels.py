"""Label columns of pandas frames as pandas gives them: ``pd.read_parquet`` reads a list column as numpy arrays."""

import numpy as np
import pandas as pd
import pytest

from medtext.errors import InputError
from medtext.learn import check_records, train
from medtext.learn.labels import read_label

from learn_fixtures import SMALL_FEATURES


@pytest.fixture
def parquet_frame(tmp_path, multilabel_rows):
    path = tmp_path / "ml.parquet"
    pd.DataFrame(multilabel_rows).to_parquet(path)
    frame = pd.read_parquet(path)
    assert isinstance(frame["labels"].iloc[0], np.ndarray)  # what pandas gives back
    return frame


def test_multilabel_training_on_a_frame_read_from_parquet(parquet_frame, multilabel_rows):
    # every record was refused as having no label (E060)
    _, from_frame = train(parquet_frame, task="multilabel", features=SMALL_FEATURES, checks=False)
    _, from_lists = train(multilabel_rows, task="multilabel", features=SMALL_FEATURES, checks=False)
    assert from_frame["n_records"] == from_lists["n_records"] == len(multilabel_rows)


def test_check_records_reads_array_labels(parquet_frame):
    records = parquet_frame.rename(columns={"labels": "label"}).to_dict(orient="records")
    assert "missing_label" not in check_records(records, multilabel=True)["problems"]


def test_an_array_of_labels_for_a_single_label_task_is_a_label_list_not_its_repr():
    # read as the class "['a' 'b']"
    assert read_label(np.array(["a", "b"]), "classify") == (None, "label_list")
    assert read_label(np.array(["a", "b"]), "multilabel") == (["a", "b"], None)
    frame = pd.DataFrame({"text": ["carcinoma of the lung", "stroke and hypertension"] * 3,
                          "label": [np.array(["neoplasms"]), np.array(["cardio"])] * 3})
    with pytest.raises(InputError, match="E076"):
        train(frame, features=SMALL_FEATURES, checks=False)
