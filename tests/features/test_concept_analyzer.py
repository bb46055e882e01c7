"""Concept tokens from the shipped lexicon (pure Python), and the concept block of ClinicalTfidf."""

import pickle
import subprocess
import sys

import numpy as np

from medtext.features.concept_analyzer import NONE_TOKEN, ConceptAnalyzer
from medtext.features.text import analyzer_from_config
from medtext.features.tfidf import ClinicalTfidf


def test_codes_chapters_and_mentions_of_lexicon_terms():
    tokens = ConceptAnalyzer()("Type 2 diabetes mellitus, treated with metformin.")
    assert "code=ICD10CM:E11" in tokens
    assert {"icd1=E", "icd2=E1", "icd3=E11"} <= set(tokens)
    assert "ent=DISEASE:type 2 diabetes mellitus" in tokens
    assert "ent=CHEMICAL:metformin" in tokens


def test_clitic_s_matches_the_lexicon_keys_and_options_switch_blocks_off():
    assert ConceptAnalyzer(codes=False, mentions=False)("Crohn's disease of small intestine") == ["icd1=K", "icd2=K5", "icd3=K50"]
    assert not any(t.startswith("icd") for t in ConceptAnalyzer(chapters=False)("Crohn's disease"))


def test_drug_disease_pairs_give_order_distance_and_words_between():
    tokens = ConceptAnalyzer(codes=False, chapters=False, mentions=False, pairs=True)("Aspirin induced urticaria in two patients.")
    assert {"pair", "order=CD", "dist=CD0", "btw=CDinduced", "post=CDin"} <= set(tokens)
    reverse = ConceptAnalyzer(codes=False, chapters=False, mentions=False, pairs=True)("Asthma after aspirin.")
    assert {"order=DC", "btw=DCafter"} <= set(reverse)
    alone = ConceptAnalyzer(codes=False, chapters=False, mentions=False, pairs=True)("Aspirin 81 mg daily.")
    assert "pair" not in alone and "n_chem=1" in alone


def test_unknown_concept_kind_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="concept_kinds"):
        ClinicalTfidf(concepts=True, concept_kinds=("cuis",)).fit(["aspirin"])


def test_text_without_concepts_gives_the_none_token():
    assert ConceptAnalyzer()("The weather was mild.") == [NONE_TOKEN]
    assert ConceptAnalyzer()("") == [NONE_TOKEN]


def test_config_round_trip_and_pickle():
    an = ConceptAnalyzer(codes=False)
    assert analyzer_from_config(an.get_config()) == an
    assert pickle.loads(pickle.dumps(an)) == an


def test_config_records_the_lexicon_and_refuses_another():
    import pytest

    from medtext.errors import ModelError
    from medtext.pipeline.lexicon import shipped_lexicon_fingerprint

    assert ConceptAnalyzer().get_config()["lexicon"] == shipped_lexicon_fingerprint()
    with pytest.raises(ModelError, match="E116"):
        analyzer_from_config(dict(ConceptAnalyzer().get_config(), lexicon="0" * 16))


def test_concept_block_is_added_weighted_and_named():
    texts = ["Crohn's disease flare", "ulcerative colitis and Crohn's disease", "metformin for diabetes mellitus",
             "breast cancer relapse", "breast cancer screening"]
    plain = ClinicalTfidf(char_ngram_range=None).fit(texts)
    both = ClinicalTfidf(char_ngram_range=None, concepts=True, concept_weight=0.5).fit(texts)
    names = both.get_feature_names_out().tolist()
    assert len(names) > len(plain.get_feature_names_out())
    assert "concepts__icd1=K" in names
    block = both.transform(["Crohn's disease"]).toarray()[0][[i for i, n in enumerate(names) if n.startswith("concepts__")]]
    assert np.isclose(np.linalg.norm(block), 0.5)  # each block is L2-normalised, then weighted
    assert [b["name"] for b in both.export_blocks()] == ["word", "concepts"]


def test_prediction_path_never_imports_spacy():
    code = ("import sys\nfrom medtext.features.concept_analyzer import ConceptAnalyzer\n"
            "ConceptAnalyzer()('aspirin for migraine')\nprint('spacy' in sys.modules, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split()
    assert out == ["False", "False"]
