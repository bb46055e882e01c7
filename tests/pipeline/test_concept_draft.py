"""ConceptDraft: the lexicon-free steps of the concepts component (placing matches, short-form uses, writing)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from medtext.pipeline.concept_bounds import number_after
from medtext.pipeline.concept_draft import ConceptDraft
from medtext.pipeline.extensions import register_extensions

MESH = {"system": "MESH", "code": "D1"}


@pytest.fixture(scope="module")
def blank():
    register_extensions()
    return spacy.blank("en")


def draft_with(doc, spans, info=None, user_at=()):
    draft = ConceptDraft(doc, list(spans), {})
    for sp in spans:
        draft.info[(sp.start, sp.end, sp.label_)] = (info or {}).get(sp.text, ([], "model"))
    draft.user_at.update(user_at)
    draft.mark_taken()
    return draft


def test_a_longer_lexicon_term_replaces_the_entity_it_contains(blank):
    doc = blank("chronic renal failure today")
    draft = draft_with(doc, [Span(doc, 1, 3, label="DISEASE")])
    draft.place([(0, 3, "DISEASE", (MESH,), "lexicon")], prefer_longer_terms=True)
    assert draft.ents == []
    assert draft.new == [(0, 3, "DISEASE", (MESH,), "both")]
    assert draft.taken == [True, True, True, False]


@pytest.mark.parametrize("prefer, user_at, same_bounds", [(False, (), False), (True, {(1, 3)}, False), (True, (), True)])
def test_an_entity_stays_when_longer_terms_are_off_it_is_a_users_or_the_match_is_no_longer(blank, prefer, user_at, same_bounds):
    doc = blank("chronic renal failure today")
    draft = draft_with(doc, [Span(doc, 1, 3, label="DISEASE")], user_at=user_at)
    start = 1 if same_bounds else 0
    draft.place([(start, 3, "DISEASE", (), "lexicon")], prefer_longer_terms=prefer)
    assert [(e.start, e.end) for e in draft.ents] == [(1, 3)]
    assert draft.new == []


def test_a_match_over_part_of_an_entity_or_a_new_entity_is_left_out(blank):
    doc = blank("renal failure and acute renal")
    draft = draft_with(doc, [Span(doc, 0, 2, label="DISEASE")])
    draft.place([(1, 3, "DISEASE", (), "lexicon"), (3, 5, "DISEASE", (), "user"), (4, 5, "DISEASE", (), "lexicon")], True)
    assert [(e.start, e.end) for e in draft.ents] == [(0, 2)]
    assert draft.new == [(3, 5, "DISEASE", (), "lexicon")]


def test_short_form_uses_take_the_long_forms_label_and_relabel_the_models_entity(blank):
    doc = blank("cyclophosphamide ( CP ) then CP and CP")
    doc._.abbreviations = [
        {"short": "CP", "long": "cyclophosphamide", "start": 19, "end": 21},
        {"short": "CP", "long": "cyclophosphamide", "start": 29, "end": 31},
        {"short": "CP", "long": "cyclophosphamide", "start": 36, "end": 38},
    ]
    draft = draft_with(doc, [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, 5, 6, label="DISEASE")])
    draft.add_short_form_uses({"cp": ("CHEMICAL", [MESH], True)})
    assert [(e.start, e.label_) for e in draft.ents] == [(0, "CHEMICAL"), (5, "CHEMICAL")]
    assert draft.info[(5, 6, "CHEMICAL")] == ([MESH], "model")
    assert draft.new == [(2, 3, "CHEMICAL", (MESH,), "lexicon"), (7, 8, "CHEMICAL", (MESH,), "lexicon")]


def test_write_sets_the_entities_with_their_codes_and_sources(blank):
    doc = blank("Aspirin for stent thrombosis")
    draft = draft_with(doc, [Span(doc, 0, 1, label="CHEMICAL")], info={"Aspirin": ([MESH], "both")})
    draft.new.append((2, 4, "DISEASE", (), "lexicon"))
    draft.write(None)
    assert [(e.text, e.label_, e._.codes, e._.source) for e in doc.ents] == [
        ("Aspirin", "CHEMICAL", [MESH], "both"), ("stent thrombosis", "DISEASE", [], "lexicon")]


def test_write_leaves_a_doc_without_entities_untouched(blank):
    doc = blank("Nothing here")
    ConceptDraft(doc, [], {}).write(None)
    assert doc.ents == ()


@pytest.mark.parametrize("text, end, expected", [
    ("type 2", 1, True), ("type II", 1, True), ("type two", 1, True), ("type VII", 1, False), ("type A", 1, False),
    ("type", 1, False)])
def test_number_after(blank, text, end, expected):
    assert number_after(blank(text), end) is expected


def test_no_number_after_when_it_is_in_an_entity(blank):
    doc = blank("type 2 mg")
    doc.ents = [Span(doc, 1, 3, label="CHEMICAL")]
    assert number_after(doc, 1) is False
