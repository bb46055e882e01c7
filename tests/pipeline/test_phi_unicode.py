"""PHI in non-ASCII text: accented and other non-ASCII letters, combining marks; words are never cut."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.phi_features import (
    context_tokens,
    intrinsic_features,
    unit_features,
)
from medtext.pipeline.phi_patterns import units
from medtext.pipeline.phi_text import FoldedText, fold_word, whole_words

NFD_JOSE = "Jose\u0301 Garci\u0301a"


def _word_char(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch)[0] == "M"


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """The span starts or ends between two characters of one word."""
    return (0 < start and _word_char(text[start - 1]) and _word_char(text[start])) or \
        (end < len(text) and _word_char(text[end - 1]) and _word_char(text[end]))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Patient José García seen", ["Patient", "José", "García", "seen"]),
        ("Dr. François Lefèvre", ["Dr", "François", "Lefèvre"]),
        (NFD_JOSE, ["Jose\u0301", "Garci\u0301a"]),
        ("Guillain-Barré", ["Guillain", "Barré"]),
        ("Björk Ólafsdóttir, Straße", ["Björk", "Ólafsdóttir", "Straße"]),
        ("O’Brien and O'Rourke", ["O’Brien", "and", "O'Rourke"]),
        ("Иван Петров", ["Иван", "Петров"]),
    ],
)
def test_units_are_whole_unicode_words(text, words):
    found = [u for u in units(text) if u.kind == "WORD"]
    assert [u.text for u in found] == words
    assert all(text[u.start : u.end] == u.text for u in found)


def test_ascii_units_are_unchanged():
    text = "Seen 7/23 by DR. KAY O'Rourke-Smith, call 410-555-9876."
    assert [(u.text, u.kind) for u in units(text)] == [
        ("Seen", "WORD"), ("7/23", "MD"), ("by", "WORD"), ("DR", "WORD"), (".", "PUNCT"), ("KAY", "WORD"),
        ("O'Rourke", "WORD"), ("-", "PUNCT"), ("Smith", "WORD"), (",", "PUNCT"), ("call", "WORD"),
        ("410-555-9876", "PHONE"), (".", "PUNCT"),
    ]


@pytest.mark.parametrize(
    ("word", "folded"),
    [("García", "Garcia"), ("Müller", "Muller"), ("Zoë", "Zoe"), ("Núñez", "Nunez"), ("ÓLAFSDÓTTIR", "OLAFSDOTTIR"),
     ("Jose\u0301", "Jose"), ("Straße", "Strasse"), ("Łukasz", "Lukasz"), ("Søren", "Soren"), ("O’Brien", "O'Brien"),
     ("Иван", "Xxxx"), ("Tasker", "Tasker")],
)
def test_fold_word(word, folded):
    assert fold_word(word) == folded


def test_folded_text_maps_offsets_back():
    text = "Dr. Lefe\u0300vre of Straße 5, Ø. Núñez."
    folded = FoldedText(text)
    assert folded.text == "Dr. Lefevre of Strasse 5, O. Nunez."
    for word in ("Lefevre", "Strasse", "Nunez", "O"):
        start = folded.text.index(word)
        s, e = folded.to_source(start, start + len(word))
        assert fold_word(text[s:e]) == word and not cuts_a_word(text, s, e)
        assert folded.to_folded(s, e) == (start, start + len(word))


def test_whole_words_grows_spans_cut_inside_a_word():
    assert whole_words("Patient José García", [(13, 17, "NAME")]) == [(13, 19, "NAME")]
    assert whole_words(NFD_JOSE, [(0, 4, "NAME"), (6, 11, "NAME")]) == [(0, 5, "NAME"), (6, 13, "NAME")]
    assert whole_words("Kestrel4 ward", [(0, 7, "LOCATION")]) == [(0, 7, "LOCATION")]  # digits are no letters


def test_non_ascii_words_have_the_features_of_their_ascii_folding():
    assert intrinsic_features("García", "WORD", "mixed") == intrinsic_features("Garcia", "WORD", "mixed")
    assert intrinsic_features("JOSE\u0301", "WORD", "upper") == intrinsic_features("JOSE", "WORD", "upper")
    accented, plain = units("seen by Dr. José García today"), units("seen by Dr. Jose Garcia today")
    for i in range(len(plain)):
        assert unit_features(accented, i, "mixed", {}, context_tokens(accented)) == unit_features(plain, i, "mixed", {}, context_tokens(plain))


@pytest.fixture(scope="module")
def model():
    from medtext.models import find_model
    from medtext.pipeline.phi_model import PhiModel

    return PhiModel.load(find_model("phi-physionet"))


def test_model_scores_accented_names_like_their_ascii_folding(model):
    from medtext.pipeline.phi_scorer import BatchScorer

    accented = ["Pt seen by Dr. José García, daughter Zoë called.", "MET WITH HUSBAND JOSE\u0301 NU\u0301N\u0303EZ"]
    plain = ["Pt seen by Dr. Jose Garcia, daughter Zoe called.", "MET WITH HUSBAND JOSE NUNEZ"]
    scorer = BatchScorer(model)
    for a, p, scored_a, scored_p in zip(accented, plain, scorer.score(accented), scorer.score(plain)):
        np.testing.assert_array_equal(scored_a.probs, scored_p.probs)
        _, _, reference = model.unit_probabilities(a)
        np.testing.assert_allclose(reference, scored_a.probs, rtol=1e-5, atol=1e-6)


NAMES = ["José García", "François Lefèvre", "Zoë Schäfer", "Björk Ólafsdóttir", NFD_JOSE, "Łukasz Wróbel",
         "Søren Kierkegård", "Ana Núñez", "Chloé Dubois", "Mateus Gonçalves", "Jürgen Müller", "Ioana Bălan"]


@pytest.mark.parametrize("name", NAMES)
def test_accented_names_are_found_whole(nlp, name):
    text = f"Seen by Dr. {name} this morning. Spoke with husband {name} at the bedside."
    phi = nlp(text)._.phi
    for p in phi:
        assert not cuts_a_word(text, p["start"], p["end"]), p
        assert text[p["start"] : p["end"]] == p["text"]
    first = text.index(name)
    assert any(p["start"] <= first and first + len(name) <= p["end"] and p["label"] == "NAME" for p in phi), (name, phi)
    for word in name.split():  # every word of the second mention is PHI too (whatever its label)
        start = text.rindex(word)
        assert any(p["start"] <= start and start + len(word) <= p["end"] for p in phi), (word, phi)


def test_a_disease_eponym_with_an_accent_is_not_cut(nlp):
    text = "History of Guillain-Barré syndrome."
    for p in nlp(text)._.phi:
        assert not cuts_a_word(text, p["start"], p["end"]), p


def test_user_rules_and_ignore_words_apply_to_the_text_as_written(nlp):
    import medtext

    pipeline = medtext.load(exclude=["ner"])
    phi = pipeline.get_pipe("phi")
    phi.add_rules([{"label": "NAME", "terms": ["Ñandú"]}, {"ignore": ["Müller"]}])
    text = "Seen by Ñandú; Müller cells noted. Dr. Muller aware."
    spans = [(p["text"], p["label"]) for p in pipeline(text)._.phi]
    assert ("Ñandú", "NAME") in spans
    assert not any("Müller" in t for t, _ in spans)


@pytest.mark.parametrize(
    ("text", "names"),
    [("Wound edges closed without tension.  Emily Parker assisted.", ["Emily Parker"]),
     ("Retracted with a Potts elevator.  Potts scissors used.", []),
     ("Seen by J.  Emily Parker today.", ["J", "Emily Parker"])],
)
def test_a_sentence_end_before_two_spaces_is_no_initial(nlp, text, names):
    """The last letter and full stop of a sentence before two spaces ("tension.  Emily") once joined the next
    name as an initial, cutting the word ("tensio" + "[NAME]")."""
    phi = nlp(text)._.phi
    for p in phi:
        assert not cuts_a_word(text, p["start"], p["end"]), p
    for name in names:
        start = text.index(name)
        assert any(p["start"] <= start and start + len(name) <= p["end"] for p in phi), (name, phi)


_SPACE_PIECES = [" ", "  ", "\t", "\n", "\r", "a", "Jos\u00e9", "e\u0301", "(", "555-1234", "12/3/2019", ".", "\u00a0", "x\t\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SPACE_PIECES), max_size=20))
def test_unit_strings_equal_the_plain_pattern(pieces):
    # the shipped pattern only adds a lookbehind and a possessive quantifier to the leading whitespace
    import re

    from medtext.pipeline import phi_units

    plain = re.compile(phi_units._UNIT_FLAT.pattern.replace(r"(?<![^\S\n])[^\S\n]*+", r"[^\S\n]*", 1))
    assert plain.pattern != phi_units._UNIT_FLAT.pattern
    text = "".join(pieces)
    assert phi_units.unit_strings(text) == plain.findall(text)


def test_trailing_whitespace_is_scanned_once():
    from medtext.pipeline.phi_patterns import unit_strings

    assert unit_strings("Seen" + "\t" * 50_000) == ["Seen"]
