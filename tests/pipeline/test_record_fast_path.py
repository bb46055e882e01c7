"""Records read span attributes from doc.user_data directly; the values are those ``span._`` gives."""

import pytest
from spacy.tokens import Span

import medtext
from medtext.pipeline.record import doc_to_record, entity_record

TEXT = "No fever or chest pain. Mother had breast cancer. Possible pneumonia. History of asthma. Takes aspirin."


@pytest.fixture(scope="module")
def nlp():
    return medtext.load(exclude=["ner", "phi"])


def test_record_entities_equal_span_underscore(nlp):
    doc = nlp(TEXT)
    doc.ents[0]._.codes = [{"system": "X", "code": "1"}]  # also values set by hand
    record = doc_to_record(doc, "d")
    assert len(record["entities"]) == len(doc.ents) >= 4
    assert record["entities"] == [entity_record(ent) for ent in doc.ents]
    assert {c for e in record["entities"] for c in ("negated", "family", "uncertain", "historical") if e[c]} == {
        "negated", "family", "uncertain", "historical"}
    assert record["entities"][0]["codes"] == [{"system": "X", "code": "1"}]


def test_record_entities_use_an_attribute_getter(nlp):
    doc = nlp(TEXT)
    before = Span.get_extension("source")
    Span.set_extension("source", getter=lambda span: f"mine-{span.start}", force=True)
    try:
        record = doc_to_record(doc, "d")
    finally:
        Span.set_extension("source", default=before[0], force=True)
    assert [e["source"] for e in record["entities"]] == [f"mine-{ent.start}" for ent in doc.ents]
    assert Span.get_extension("source") == before


def test_concepts_store_codes_where_span_underscore_reads_them(nlp):
    doc = nlp(TEXT)
    assert doc.ents and all(ent._.source for ent in doc.ents)
    assert any(ent._.codes for ent in doc.ents)
    assert doc_to_record(doc, "d")["entities"] == [entity_record(ent) for ent in doc.ents]


def test_concepts_use_an_attribute_setter(nlp):
    before = Span.get_extension("source")
    seen = {}
    Span.set_extension("source", getter=lambda span: seen.get(span.start), setter=lambda span, v: seen.__setitem__(span.start, f"set-{v}"), force=True)
    try:
        doc = nlp(TEXT)
        sources = [ent._.source for ent in doc.ents]
    finally:
        Span.set_extension("source", default=before[0], force=True)
    assert sources and all(s.startswith("set-") for s in sources)
