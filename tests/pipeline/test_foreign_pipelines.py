"""medtext components inside someone else's spaCy pipeline: ``spacy.blank("en")``, an
EntityRuler or SpanRuler, spaCy's own tokenizer and sentencizer, settings given to ``add_pipe``."""

import pytest
import spacy

from medtext.errors import RuleError


def _blank_with_ruler(*factories, config=None):
    """spaCy's blank English pipeline: an EntityRuler marking "fever" and "rash", then ``factories``."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "FINDING", "pattern": p} for p in ("fever", "rash")])
    for factory in factories:
        nlp.add_pipe(factory, config=config or {})
    return nlp


@pytest.mark.parametrize("bad", [5, {"problems": 1}, "problems", [1], ["problems", None]])
def test_span_groups_that_are_no_list_of_names_are_refused_in_one_line(bad):
    with pytest.raises(RuleError, match=r"\[E102\].*span_groups") as err:
        spacy.blank("en").add_pipe("medtext_assertion", config={"span_groups": bad})
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("given, kept", [(None, ()), ([], ()), (["problems"], ("problems",)), (("a", "b"), ("a", "b"))])
def test_span_groups_lists_are_kept(given, kept):
    assert spacy.blank("en").add_pipe("medtext_assertion", config={"span_groups": given}).span_groups == kept
