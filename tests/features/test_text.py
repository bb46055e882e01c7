import pickle

import pytest

from medtext.features.text import CharAnalyzer, WordAnalyzer, analyzer_from_config, normalize_text


@pytest.mark.parametrize("text,expected", [
    ("HbA1c 7.5 %", "hba0c 0 %"),
    ("１２ mg", "0 mg"),            # full-width digits fold to ASCII, then collapse
    ("ﬁbrosis", "fibrosis"),         # ligature
    ("1,000 units", "0 units"),
])
def test_normalize(text, expected):
    assert normalize_text(text) == expected


def test_word_ngrams_and_keep_numbers():
    an = WordAnalyzer((1, 2), numbers="keep")
    assert an("IL-6 rose to 12") == ["il-6", "rose", "to", "12", "il-6 rose", "rose to", "to 12"]


def test_char_ngrams_within_words():
    grams = CharAnalyzer((2, 3))("no fever")
    assert " n" in grams and "no " in grams and "o f" not in grams


def test_config_round_trip_and_pickle():
    for an in (WordAnalyzer((1, 3), lowercase=False), CharAnalyzer((3, 5), numbers="keep")):
        assert analyzer_from_config(an.get_config()) == an
        assert pickle.loads(pickle.dumps(an)) == an


def test_bad_numbers_option():
    with pytest.raises(ValueError):
        normalize_text("x", numbers="drop")


def test_negation_scope():
    an = WordAnalyzer(negation=True)
    assert an("No fever or chills; mild cough.") == ["no", "not_fever", "not_or", "not_chills", "mild", "cough"]
    assert an("It didn't help. Great") == ["it", "didn't", "not_help", "great"]
    assert analyzer_from_config(an.get_config()) == an
