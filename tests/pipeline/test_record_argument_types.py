"""``doc_to_record`` refuses what is not a Doc with a TypeError that says what to do."""

from __future__ import annotations

import pytest

from medtext.pipeline.record import doc_to_record


@pytest.mark.parametrize(("value", "found"), [("No fever.", "str: annotate it first"), (None, "NoneType"), ({"text": "x"}, "dict")])
def test_not_a_doc_is_a_clear_type_error(value, found):
    with pytest.raises(TypeError, match=rf"^doc_to_record takes a spaCy Doc; got {found}"):
        doc_to_record(value, "n1")
