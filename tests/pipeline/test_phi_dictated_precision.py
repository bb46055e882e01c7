"""PHI precision on dictated notes (sentence case, MTSamples style): short forms in capitals that name a test or an
exam finding are no names; names in capitals after a title or a kin word, and in notes written in capitals,
stay names. All sentences are written for this test."""

import pytest

from medtext.pipeline.phi_filters import no_phi

# five sentences that start with a capital: a note written in sentence case
_CASED = "She is well today.  Labs were drawn.  She has no rash.  She walks daily.  She sleeps well.  "


def _at(text, word, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.mark.parametrize(("sentence", "word"), [
    ("TSH, B12, RPR, ESR, CRP, ANA and folate were normal.", "ANA"),
    ("Her ANA was positive at 1:160 in a speckled pattern.", "ANA"),
    ("Serum KORB was negative.  An HIV ELISA was positive.", "ELISA"),
    ("Rheumatoid factor negative, ANA 1:80 homogeneous.", "ANA"),
    ("Motor: 4/5 BUE, 5/5 in the legs.", "BUE"),
    ("DIET: 1800-calorie ADA.", "ADA"),
    ("Schistosoma IFAT and ELISA were negative.", "ELISA"),
])
def test_a_short_form_in_capitals_of_a_sentence_case_note_is_no_name(sentence, word):
    text = _CASED + sentence
    assert no_phi(text, *_at(text, word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    (_CASED + "Discussed with Dr. ANA today; labs were normal.", "ANA"),  # a title: a person
    (_CASED + "Her daughter ELISA was present, labs were normal.", "ELISA"),  # a kin word: a person
    (_CASED + "ZORVAN,RE: follow-up of the knee.", "ZORVAN"),  # a field label after it is no short form
    ("PT SEEN BY TEAM. LABS SENT. ESR, CRP, ANA PENDING. WIFE AT BEDSIDE. PLAN TO CALL ANA 1:80.", "ANA"),  # capitals note
])
def test_names_in_capitals_stay_names(text, word):
    assert not no_phi(text, *_at(text, word), "NAME")
