"""Assertion status of spans in ``doc.spans`` groups (opt-in ``span_groups`` setting)."""

import pytest

import medtext
from medtext.errors import RuleError

TEXT = "Patient denies chest pain. Mother had diabetes. Possible pneumonia."


def _run(nlp):
    """The doc of TEXT with a ``problems`` group set before the assertion component runs."""
    doc = nlp.make_doc(TEXT)
    for name, component in nlp.pipeline:
        if name == "assertion":
            doc.spans["problems"] = [doc.char_span(15, 25), doc.char_span(21, 25), doc.char_span(38, 46),
                                     doc.char_span(57, 66)]
        doc = component(doc)
    return doc


def _flags(doc):
    return [(s.text, s._.negated, s._.family, s._.uncertain) for s in doc.spans["problems"]]


def test_span_groups_are_left_alone_unless_named():
    doc = _run(medtext.load(exclude=["ner", "phi"]))
    # "pain" is no entity ("chest pain" is: spaCy keys span values by offsets, so an entity's show through)
    pain = doc.spans["problems"][1]
    assert pain.text == "pain" and pain._.triggers is None and not pain._.negated


def test_named_span_groups_get_assertions_even_when_spans_overlap(tmp_path):
    nlp = medtext.load(exclude=["ner", "phi"], config={"components.assertion.span_groups": ["problems"]})
    expected = [("chest pain", True, False, False), ("pain", True, False, False),
                ("diabetes", False, True, False), ("pneumonia", False, False, True)]
    assert _flags(_run(nlp)) == expected
    nlp.to_disk(tmp_path / "p")
    reloaded = medtext.load(tmp_path / "p")
    assert reloaded.get_pipe("assertion").span_groups == ("problems",)
    assert _flags(_run(reloaded)) == expected


@pytest.mark.parametrize("bad", ["problems", [1]])
def test_bad_span_group_settings_are_refused(bad):
    with pytest.raises(RuleError, match="span_groups"):
        medtext.load(exclude=["ner", "phi"], config={"components.assertion.span_groups": bad})
