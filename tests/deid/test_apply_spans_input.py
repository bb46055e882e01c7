"""``apply_spans`` with spans that are not ``{start, end, label}`` dicts: a TypeError that says what is expected."""

from __future__ import annotations

import numpy as np
import pytest

from medtext.deid import apply_spans

TEXT = "Dr. John Smith seen."


@pytest.mark.parametrize("span, found", [
    ({"start": 4, "end": 14}, "keys 'start', 'end'"),
    ({}, "keys \\(none\\)"),
    ((4, 14, "NAME"), "tuple"),
    ({"start": "four", "end": 14, "label": "NAME"}, "start/end of types str/int"),
    ({"start": 4.5, "end": 14, "label": "NAME"}, "start/end of types float/int"),
])
def test_a_malformed_span_is_a_type_error_naming_it(span, found):
    with pytest.raises(TypeError, match=r"apply_spans.*span 1 has " + found):
        apply_spans(TEXT, [{"start": 0, "end": 2, "label": "X"}, span], "redact")


def test_a_span_of_the_pipeline_is_named(nlp):
    doc = nlp(TEXT)
    with pytest.raises(TypeError, match=r"span 0 has Span"):
        apply_spans(TEXT, [doc[1:3]], "redact")


@pytest.mark.parametrize("start", [4, np.int64(4), 4.0, "4"])
def test_whole_number_offsets_of_any_type_work(start):
    assert apply_spans(TEXT, [{"start": start, "end": 14, "label": "NAME"}], "redact") == "Dr. [NAME] seen."
