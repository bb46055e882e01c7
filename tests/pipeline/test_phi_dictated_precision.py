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


# -- months -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "month"), [
    ("Her annual visit is set up for next April.", "April"),
    ("She was admitted in mid-June with fever.", "June"),
    ("He noted hoarseness in the December-January period.", "January"),
    ("She did well through the month of October and November.", "November"),
])
def test_a_month_after_a_date_word_is_a_date(text, month):
    from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain

    start = text.index(month)
    assert (start, start + len(month), "DATE") in {(s.start, s.end, s.label) for s in rule_spans(text)}
    assert rule_spans(text) == rule_spans_plain(text)


@pytest.mark.parametrize("text", [
    "April and June came by with their mother.",  # two first names, no date word before
    "We went through June's letters together.",  # a possessive: a person
])
def test_a_month_name_without_a_date_word_is_no_rule_date(text):
    from medtext.pipeline.phi_patterns import rule_spans

    assert not [s for s in rule_spans(text) if s.label == "DATE"]


@pytest.mark.parametrize(("text", "word"), [
    ('Asked to name the months backward, she said, "December, November, October, June."', "November"),
    ('Asked to name the months backward, she said, "December, November, October, June."', "June"),
    ('She then said, "March, April, May."', "March"),
])
def test_a_month_in_a_recited_list_of_months_is_no_name(text, word):
    assert no_phi(text, *_at(text, word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    ("Discussed with Dr. April, June agreed.", "April"),  # a title
    ("Seen with her sister April, June's mother.", "April"),  # a possessive month after it: a person
])
def test_a_month_name_that_is_a_person_stays_a_name(text, word):
    assert not no_phi(text, *_at(text, word), "NAME")


# -- long forms of defined short forms ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "word", "label"), [
    ("Tests given: Auditory Verbal Trigrams (AVT), Trail Making Test.", "Verbal Trigrams", "NAME"),
    ("Tests given: Auditory Verbal Trigrams (AVT), Trail Making Test.", "Verbal", "NAME"),
    ("Subtests from the Quillan Marsh Executive Function System (QMEFS), then", "Quillan Marsh", "LOCATION"),
    ("Her father had a Coronary Artery Bypass Graph (CABG) at 50.", "Graph", "NAME"),
])
def test_a_word_of_a_defined_test_or_procedure_is_no_phi(text, word, label):
    assert no_phi(text, *_at(text, word), label)


@pytest.mark.parametrize(("text", "word", "label"), [
    ("She was brought in by Kestrel Police Department (KPD) last night.", "Kestrel", "LOCATION"),  # a place word
    ("Her sister Mary Ellen Quist (MEQ) signed the consent.", "Mary Ellen Quist", "NAME"),  # the head is a surname
])
def test_a_defined_place_or_person_stays_phi(text, word, label):
    assert not no_phi(text, *_at(text, word), label)


# -- eponyms the note itself uses as eponyms ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "word", "label"), [
    ("A bidirectional Quellin shunt was made. Flow in the right Quellin is brisk.", "Quellin", "NAME"),
    ("Findings fit Tarvin-Oslo syndrome. IMPRESSION: 1. Atypical Tarvin-Oslo.", "Tarvin-Oslo", "LOCATION"),
    ("She has Hollard disease. Her Hollard symptoms have worsened.", "Hollard", "LOCATION"),
    ("Drains: one 19-French round Blake. A 6-French Quellin was introduced.", "French Quellin", "NAME"),
    ("Likely the Penner-Vask variant of the neuropathy.", "Penner-Vask", "LOCATION"),
])
def test_a_word_the_note_uses_as_an_eponym_is_no_phi(text, word, label):
    assert no_phi(text, *_at(text, word, text.count(word) - 1), label)


@pytest.mark.parametrize(("text", "word"), [
    ("A Quellin shunt was made. Discussed with Dr. Quellin today.", "Quellin"),  # a title: a person
    ("A Quellin shunt was made. The family was seen by Quellin today.", "Quellin"),  # a word before a person
    ("Seen today with Quellin and her son; no shunt.", "Quellin"),  # the note uses it for no device
])
def test_a_person_of_an_eponyms_name_stays_a_name(text, word):
    assert not no_phi(text, *_at(text, word, text.count(word) - 1), "NAME")
