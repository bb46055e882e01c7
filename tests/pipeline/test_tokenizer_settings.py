"""The tokenizer's rules are set the spaCy way, on nlp.tokenizer or on the spaCy tokenizer inside."""

import pickle
import re

import pytest
import spacy
from spacy.lang.en import English

import medtext
from medtext.pipeline.tokenizer import MedtextTokenizer

TEXT = "glucose-6-phosphate and 5-fluorouracil"
SPLIT = ["glucose", "-", "6", "-", "phosphate", "and", "5", "-", "fluorouracil"]
WHOLE = ["glucose-6-phosphate", "and", "5-fluorouracil"]


def words(tokenizer, text=TEXT):
    return [t.text for t in tokenizer(text)]


@pytest.fixture
def tokenizer():
    tok = MedtextTokenizer(English().vocab)
    assert words(tok) == WHOLE  # the chunk cache is built
    return tok


@pytest.mark.parametrize("on_inner", [False, True], ids=["nlp.tokenizer", "nlp.tokenizer.tokenizer"])
def test_setting_infix_finditer_after_first_use_takes_effect(tokenizer, on_inner):
    target = tokenizer.tokenizer if on_inner else tokenizer
    target.infix_finditer = re.compile("-").finditer
    assert "infix_finditer" not in vars(tokenizer)  # a property, not a new attribute
    assert tokenizer.infix_finditer is tokenizer.tokenizer.infix_finditer
    assert words(tokenizer) == SPLIT


@pytest.mark.parametrize("name", ["prefix_search", "suffix_search", "token_match", "url_match"])
def test_settings_read_the_inner_tokenizer(tokenizer, name):
    assert getattr(tokenizer, name) is getattr(tokenizer.tokenizer, name)


def test_token_match_and_prefix_search(tokenizer):
    tokenizer.token_match = re.compile(r"^glucose-6-phosphate$").match
    tokenizer.infix_finditer = re.compile("-").finditer
    assert words(tokenizer) == ["glucose-6-phosphate", "and", "5", "-", "fluorouracil"]
    tokenizer.prefix_search = re.compile(r"^\$").search
    assert words(tokenizer, "$5 fee") == ["$", "5", "fee"]


def test_rules_replace_special_cases(tokenizer):
    assert words(tokenizer, "pt. seen") == ["pt.", "seen"]
    tokenizer.rules = {"seen": [{"ORTH": "se"}, {"ORTH": "en"}]}
    assert words(tokenizer, "pt. seen") == ["pt", ".", "se", "en"]
    assert tokenizer.rules is tokenizer.tokenizer.rules


def test_inner_add_special_case_after_first_use(tokenizer):
    assert words(tokenizer, "5-FU and fluorouracil") == ["5-FU", "and", "fluorouracil"]  # cached
    tokenizer.tokenizer.add_special_case("fluorouracil", [{"ORTH": "fluoro"}, {"ORTH": "uracil"}])
    assert words(tokenizer, "5-FU and fluorouracil") == ["5-FU", "and", "fluoro", "uracil"]


def test_settings_survive_save_and_pickle(tmp_path):
    nlp = medtext.load(exclude=["ner"])
    nlp.tokenizer.infix_finditer = re.compile("-").finditer
    assert words(nlp) == SPLIT
    nlp.to_disk(tmp_path / "p")
    assert words(spacy.load(tmp_path / "p")) == SPLIT
    assert words(pickle.loads(pickle.dumps(nlp))) == SPLIT
