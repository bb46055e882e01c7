"""Eponymous conditions and sentence ends in the PHI component (with and without the entity recognizer)."""

import pytest

from medtext.deid import deidentify
from medtext.pipeline.phi_filters import no_phi
from medtext.pipeline.phi_model import sentence_end_between


@pytest.mark.parametrize(("text", "word"), [
    ("history of Hodgkin lymphoma", "Hodgkin"), ("Crohn's disease flare", "Crohn"), ("a Bell palsy", "Bell"),
    ("Guillain-Barre syndrome", "Guillain"), ("Romberg sign negative", "Romberg"),
    ("Glasgow coma scale 15", "Glasgow"), ("a Pfannenstiel incision", "Pfannenstiel"),
    ("STEVENS-JOHNSON SYNDROME", "STEVENS"),
])
def test_the_eponym_of_a_condition_is_no_name(text, word):
    start = text.index(word)
    assert no_phi(text, start, start + len(word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    ("Seen by Dr. Bell palsy clinic", "Bell"),  # after a title: a person
    ("Called Maria. Disease is stable.", "Maria"),  # a sentence end between them
    ("John Smith reports pain", "John"),
])
def test_names_before_other_words_stay_names(text, word):
    start = text.index(word)
    assert not no_phi(text, start, start + len(word), "NAME")


def test_a_sentence_end_splits_a_model_name():
    assert sentence_end_between("Dr. Smith. Crohn", 4, 9, "NAME")
    assert not sentence_end_between("J. Smith", 0, 1, "NAME")  # an initial
    assert not sentence_end_between("Mrs. Smith", 0, 3, "NAME")  # a title written with a full stop
    assert not sentence_end_between("Jan. 5", 0, 3, "DATE")  # other labels join as before


def test_deid_keeps_eponymous_diseases_and_removes_the_doctor():
    text = ("History of Parkinson disease and Hodgkin lymphoma. Seen by Dr. Smith. Crohn disease flare. "
            "Guillain-Barre syndrome. Mrs. Kowalczyk is 75.")
    out = deidentify(text, mode="redact")
    for kept in ("Hodgkin lymphoma", "Crohn disease", "Guillain-Barre syndrome", "Parkinson disease"):
        assert kept in out
    assert "Smith" not in out and "Kowalczyk" not in out
