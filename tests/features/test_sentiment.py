"""Sentiment block: VADER tokens with negation and position, identical at training (sklearn) and prediction (numpy)."""

import numpy as np
import pytest

from medtext.features.sentiment import SentimentAnalyzer, vader_lexicon
from medtext.features.text import analyzer_from_config
from medtext.features.tfidf import ClinicalTfidf
from medtext.learn.linear_numpy import TextFeatures

REVIEWS = ["Works great, no side effects at all.", "Terrible nausea and headaches; did not help.",
           "Not bad, but I felt tired and dizzy.", "Excellent relief, happy with it.", "Awful. Useless drug."]


def test_lexicon_is_the_compiled_vader_file():
    lex = vader_lexicon()
    assert len(lex) > 7000 and lex["good"] > 0 > lex["bad"]
    assert all(w == w.lower() and " " not in w for w in lex)


@pytest.mark.parametrize("text,tokens", [
    ("", []),
    ("metformin 500 mg", []),
    ("good", ["pos", "pos1", "pos@0"]),
    ("not good", ["not_pos", "not_pos1", "neg@1"]),          # negation flips the positioned polarity
    ("good. bad", ["pos", "pos1", "pos@0", "neg", "neg2", "neg@1"]),   # clause ends the scope; 2nd half
])
def test_tokens(text, tokens):
    assert SentimentAnalyzer(parts=2)(text) == tokens


def test_config_round_trip():
    an = SentimentAnalyzer(parts=4)
    assert analyzer_from_config(an.get_config()) == an


def test_block_numpy_equals_sklearn():
    vec = ClinicalTfidf(word_ngram_range=(1, 1), char_ngram_range=None, sentiment=True, sentiment_weight=0.5)
    vec.fit(REVIEWS)
    names = vec.get_feature_names_out()
    assert any(n.startswith("sentiment__") for n in names)
    probe = REVIEWS + ["", "never good, always sad", "unknown words only"]
    ref = vec.transform(probe).toarray()
    assert np.abs(TextFeatures(vec.export_blocks()).dense(probe) - ref).max() < 1e-12
    blocks = {b["name"]: b for b in vec.export_blocks()}
    assert blocks["sentiment"]["weight"] == 0.5 and blocks["sentiment"]["analyzer"]["kind"] == "sentiment"


def test_off_by_default():
    assert not any(n.startswith("sentiment__") for n in ClinicalTfidf().fit(REVIEWS).get_feature_names_out())
