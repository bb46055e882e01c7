"""Whitespace other than one space between words (a second space, a tab, a no-break space pasted from a web
page or an EHR export) does not hide a term nor a leading trigger: spaCy makes it a whitespace token, which
lexicon matching and the NER entity's bounds read through. A line break still ends a term."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

import medtext
from medtext.pipeline.ner_decoder import record_model_entities

BLANKS = ["  ", "\t", "\u00a0", " \u00a0", "\u2009", "\u3000"]


@pytest.fixture(scope="module")
def rules():
    return medtext.load(exclude=["ner"])


@pytest.mark.parametrize("blank", BLANKS)
def test_a_lexicon_term_with_other_whitespace_between_its_words_is_found_with_its_codes(rules, blank):
    text = f"Denies chest{blank}pain. Has breast{blank}cancer."
    doc = rules(text)
    found = {e.text: e for e in doc.ents}
    assert set(found) == {f"chest{blank}pain", f"breast{blank}cancer"}
    assert found[f"chest{blank}pain"]._.negated and found[f"chest{blank}pain"]._.codes
    assert any(c["code"] == "D001943" for c in found[f"breast{blank}cancer"]._.codes)
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)


@pytest.mark.parametrize("blank", ["\n", "\r\n", "\n\n"])
def test_a_line_break_still_ends_a_term(rules, blank):
    doc = rules(f"Chest{blank}Pain")
    assert all("\n" not in e.text for e in doc.ents)


@pytest.mark.parametrize("blank", BLANKS)
def test_a_leading_trigger_before_other_whitespace_is_left_out_of_the_models_entity(rules, blank):
    text = f"Denies{blank}zorbal fever."
    doc = rules.make_doc(text)
    doc.ents = [Span(doc, 0, len(doc) - 1, label="DISEASE")]  # as the NER would have found it
    record_model_entities(doc)
    doc = rules(doc)
    assert [(e.text, e._.negated) for e in doc.ents] == [("zorbal fever", True)]


def test_a_multi_word_trigger_with_two_spaces_inside_is_left_out_too(rules):
    doc = rules.make_doc("Negative  for zorbal fever.")
    doc.ents = [Span(doc, 0, len(doc) - 1, label="DISEASE")]
    record_model_entities(doc)
    assert [(e.text, e._.negated) for e in rules(doc).ents] == [("zorbal fever", True)]
