"""Drug / effect pair tokens with learnt term lists, and their cross-fitted TF-IDF block."""

import pickle

import numpy as np
import pytest

from medtext.errors import ModelError
from medtext.features.term_pair_tfidf import TermPairTfidf
from medtext.features.term_pairs import TermPairAnalyzer, group_fold, term_key
from medtext.features.text import analyzer_from_config

# Invented names: neither is in the shipped lexicon, so only the learnt lists can find them.
DRUG, EFFECT = "zorbitrol", "purple toes"


def test_term_key_tokenises_like_the_analyzer():
    assert term_key("Hand-foot  Syndrome") == "hand - foot syndrome"
    assert term_key("Crohn's disease") == "crohn 's disease"
    assert term_key("  ") == ""


def test_learnt_terms_make_pairs_the_shipped_lexicon_cannot():
    text = "Zorbitrol-induced purple toes."
    assert "pair" not in TermPairAnalyzer()(text)
    tokens = TermPairAnalyzer(drugs=[DRUG], effects=[EFFECT])(text)
    assert {"pair", "order=CD", "btw=CDinduced", "n_chem=1", "n_dis=1"} <= set(tokens)


def test_shipped_terms_still_count_and_come_first():
    an = TermPairAnalyzer(drugs=[DRUG], effects=["aspirin"])  # a learnt 'effect' cannot take a shipped drug
    lowers, drugs, effects = an.spans("Aspirin and zorbitrol caused asthma.")
    assert [lowers[s:e] for s, e in drugs] == [["aspirin"], ["zorbitrol"]]
    assert [lowers[s:e] for s, e in effects] == [["asthma"]]


def test_longest_learnt_term_wins():
    an = TermPairAnalyzer(drugs=[DRUG], effects=["purple", EFFECT])
    lowers, _, effects = an.spans("zorbitrol gave purple toes")
    assert [lowers[s:e] for s, e in effects] == [["purple", "toes"]]


def test_config_round_trip_pickle_and_order_independence():
    an = TermPairAnalyzer(drugs=["B drug", DRUG], effects=[EFFECT, "Purple toes"])
    assert an.drugs == ("b drug", DRUG) and an.effects == (EFFECT,)
    assert analyzer_from_config(an.get_config()) == an
    back = pickle.loads(pickle.dumps(an))
    assert back == an and back("zorbitrol: purple toes") == an("zorbitrol: purple toes")
    assert TermPairAnalyzer(drugs=[DRUG, "b drug"], effects=[EFFECT]) == an


def test_another_lexicon_is_refused():
    with pytest.raises(ModelError, match="E116"):
        analyzer_from_config(dict(TermPairAnalyzer().get_config(), lexicon="0" * 16))


def test_group_fold_is_stable():
    assert group_fold("10030778", 5) == 0 and group_fold("1", 5) == 2
    assert all(0 <= group_fold(g, 3) < 3 for g in range(50))


def _corpus():
    texts = ["Zorbitrol caused purple toes.", "Aspirin daily.", "Quexamine caused green ears.", "Rest for pain.",
             "Quexamine and green ears again."]
    drugs = [[DRUG], [], ["quexamine"], [], []]
    effects = [[EFFECT], [], ["green ears"], [], []]
    groups = ["a", "b", "c", "d", "b"]
    return texts, drugs, effects, groups


def test_fit_transform_is_cross_fitted_but_transform_uses_all_terms():
    texts, drugs, effects, groups = _corpus()
    assert [group_fold(g, 2) for g in groups] == [1, 0, 1, 0, 0]
    block = TermPairTfidf(min_df=1, folds=2)
    rows = block.fit_transform(texts, drugs=drugs, effects=effects, groups=groups).toarray()
    pair = list(block.get_feature_names_out()).index("term_pairs__pair")
    # with the terms of all records, the annotated texts have their pair ...
    assert (block.transform(texts).toarray()[:, pair] > 0).tolist() == [True, False, True, False, True]
    # ... but a training row only knows the terms of the other fold: texts 0 and 2 (fold 1) lose
    # their own pairs, text 4 (fold 0) keeps the pair of text 2's terms.
    assert (rows[:, pair] > 0).tolist() == [False, False, False, False, True]
    assert block.analyzer_.drugs == ("quexamine", DRUG)


def test_export_block_matches_transform():
    from medtext.learn.linear_numpy import TextFeatures

    texts, drugs, effects, groups = _corpus()
    block = TermPairTfidf(min_df=1, weight=0.5).fit(texts, drugs=drugs, effects=effects, groups=groups)
    numpy_side = TextFeatures([block.export_block()]).dense(texts + ["zorbitrol and aspirin", ""])
    assert np.abs(numpy_side - block.transform(texts + ["zorbitrol and aspirin", ""]).toarray()).max() < 1e-12


@pytest.mark.parametrize("kwargs,match", [
    ({"drugs": [["x"]]}, "drugs has 1 entries"),
    ({"effects": ["purple toes", "w", "x", "y", "z"]}, "one list of term strings"),
    ({"groups": [1, 2]}, "groups has 2 entries"),
])
def test_bad_annotations_are_one_line_errors(kwargs, match):
    texts, *_ = _corpus()
    with pytest.raises(ValueError, match=match):
        TermPairTfidf().fit(texts, **kwargs)


def test_bad_folds_and_empty_input():
    with pytest.raises(ValueError, match="folds"):
        TermPairTfidf(folds=1).fit(["a"])
    with pytest.raises(ValueError, match="zero texts"):
        TermPairTfidf().fit([])
