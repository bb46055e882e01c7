"""Sentences of raw abstracts for the sentence-role fast path: abbreviations inside a sentence do not end it."""

from __future__ import annotations

import pytest

from medtext.learn.sentence_split import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize("inside", [
    "Relapse was 10% vs. 20% in controls.",
    "Scores fell (Fig. 2) and rose again (Figs. 3 and 4).",
    "Short courses (e.g. 5 days) and long ones (i.e. 14 days) were compared.",
    "As Smith et al. Reported, the dose was approx. 50 mg.",
    "Patients (ca. 120) were seen by Dr. Jones.",
])
def test_abbreviations_inside_a_sentence_do_not_end_it(inside):
    text = f"We studied asthma. {inside} Budesonide works."
    assert sentences(text) == ["We studied asthma.", inside, "Budesonide works."]


def test_a_capital_letter_before_a_period_still_ends_a_sentence():
    assert sentences("We gave vitamin D. The levels rose.") == ["We gave vitamin D.", "The levels rose."]


def test_offsets_point_into_the_original_text():
    text = "  First one.\n\nSecond vs. third one?  Yes! "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second vs. third one?", "Yes!"]
