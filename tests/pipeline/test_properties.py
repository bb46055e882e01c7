"""Property tests: for any text, offsets slice back exactly and the pipeline never raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtext.pipeline.record import doc_to_record

CLINICAL_BITS = [
    "Dr.", "e.g.", "b.i.d.", "p.o.", "s/p", "x3", "2+", "120/80", "5-10", "10mg", "(", ")", "[", "]", ". ",
    "\n", "\n\n", ",", "MEDICATIONS:", "HISTORY OF PRESENT ILLNESS:", ",ALLERGIES: ,", "**NAME[AAA, BBB]",
    "[**2101-10-3**]", "**", "p < 0.05.", "1. ", "\t", "\x0c", "\u00a0", "é", "µg/kg", '"', "No fever.",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(CLINICAL_BITS), st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_offsets_slice_back_and_nothing_raises(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    record = doc_to_record(doc, "x")
    previous_end = 0
    for start, end in record["sentences"]:
        assert 0 <= start < end <= len(text)
        assert start >= previous_end
        assert text[start:end].strip() == text[start:end]
        previous_end = end
    for section in record["sections"]:
        assert 0 <= section["start"] < section["end"] <= len(text)
        assert text[section["start"]:].startswith(section["title"])
    for ent in record["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    for phi in record["phi"]:
        assert text[phi["start"]:phi["end"]] == phi["text"]
