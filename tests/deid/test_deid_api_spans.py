"""``deidentify`` given a Span or a Token: the TypeError its docstring promises, not spaCy's extension error."""

from __future__ import annotations

import pytest

from medtext.deid import deidentify


@pytest.mark.parametrize("part", [lambda doc: doc[0:6], lambda doc: doc[3]])
def test_a_span_or_token_is_a_type_error_that_says_what_to_pass(nlp, part):
    doc = nlp("Seen by Dr. Tasker on 7/23.")
    with pytest.raises(TypeError, match=r"deidentify takes a str or a spaCy Doc; got (Span|Token) .*span\.doc"):
        deidentify(part(doc))


def test_a_doc_still_works(nlp):
    assert deidentify(nlp("Seen by Dr. Tasker on 7/23."), "redact") == "Seen by Dr. [NAME] on [DATE]."
