"""``deidentify`` refuses what is not a str or a Doc with a TypeError that says what it got."""

from __future__ import annotations

import pytest

from medtext.deid import deidentify


class SeriesLike:
    """Stands for a pandas Series: has ``map``, no ``_``."""

    def map(self, f):  # pragma: no cover - never called
        return f


@pytest.mark.parametrize(
    ("value", "found"),
    [(None, "NoneType"), (float("nan"), "float"), (b"John Smith", "bytes"), (["John Smith"], "list"), (SeriesLike(), "SeriesLike")],
)
def test_wrong_types_are_a_clear_type_error(value, found):
    with pytest.raises(TypeError, match=rf"^deidentify takes a str or a spaCy Doc; got {found}"):
        deidentify(value)


def test_a_series_gets_a_hint():
    with pytest.raises(TypeError, match=r"series\.map\(deidentify\)"):
        deidentify(SeriesLike())
