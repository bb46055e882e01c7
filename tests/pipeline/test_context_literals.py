"""The words of the assertion triggers' literals come from the disk cache when the tokenizer is medtext's as
built (keyed by the literals and the tokenizer's settings), and are tokenized afresh otherwise."""

from __future__ import annotations

import re

import pytest
from spacy.lang.en import English

from medtext.pipeline.assertion import default_rules
from medtext.pipeline.context_matcher import LITERALS_CACHE, TriggerMatcher, literal_words
from medtext.pipeline.disk_cache import write_cached
from medtext.pipeline.tokenizer import MedtextTokenizer, shipped_settings_key

LITERALS = ["no  evidence of", "s/p", "denies", "w/o", "r/o", "**NAME[AAA] denies", "no evidence of"]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    return tmp_path


def tokenized(literals, tokenizer):
    return {lit: tuple(t.lower_ for t in tokenizer(lit) if not t.is_space) for lit in literals}


def counting_calls(monkeypatch):
    calls = []
    call = MedtextTokenizer.__call__
    monkeypatch.setattr(MedtextTokenizer, "__call__", lambda self, text: (calls.append(text), call(self, text))[1])
    return calls


def test_the_shipped_rules_are_not_tokenized_again(cache, monkeypatch):
    rules = default_rules()
    vocab = English().vocab
    first = TriggerMatcher(vocab, rules, MedtextTokenizer(vocab))
    assert (cache / f"{LITERALS_CACHE}.marshal").is_file()
    calls = counting_calls(monkeypatch)
    second = TriggerMatcher(vocab, rules, MedtextTokenizer(vocab))
    assert calls == []  # before: one call per literal rule (660), at every start
    assert second._trie == first._trie and second._first_open == first._first_open
    monkeypatch.undo()
    literals = [r["literal"] for r in rules if "pattern" not in r]
    assert literal_words(literals, MedtextTokenizer(vocab)) == tokenized(literals, MedtextTokenizer(vocab))


def test_cached_words_equal_the_tokenizers(cache):
    tokenizer = MedtextTokenizer(English().vocab)
    expected = tokenized(LITERALS, tokenizer)
    assert expected["**NAME[AAA] denies"] == ("**name[aaa]", "denies")
    assert literal_words(LITERALS, tokenizer) == expected
    assert literal_words(LITERALS, MedtextTokenizer(English().vocab)) == expected  # (from the cache)
    assert literal_words(LITERALS[:3], tokenizer) == {k: expected[k] for k in LITERALS[:3]}  # other literals


def test_a_changed_tokenizer_tokenizes_again(cache, monkeypatch):
    literal_words(LITERALS, MedtextTokenizer(English().vocab))
    changed = MedtextTokenizer(English().vocab)
    changed.add_special_case("evidence", [{"ORTH": "evi"}, {"ORTH": "dence"}])
    assert literal_words(LITERALS, changed)["no  evidence of"] == ("no", "evi", "dence", "of")
    plain = MedtextTokenizer(English().vocab, merge_placeholders=False)
    assert literal_words(LITERALS, plain) == tokenized(LITERALS, plain)
    assert literal_words(LITERALS, plain)["**NAME[AAA] denies"] != ("**name[aaa]", "denies")


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.add_special_case("zz", [{"ORTH": "z"}, {"ORTH": "z"}]),
        lambda t: setattr(t, "infix_finditer", re.compile(r"/").finditer),
        lambda t: setattr(t, "suffix_search", re.compile(r"\.$").search),
        lambda t: setattr(t, "prefix_search", None),
        lambda t: setattr(t, "token_match", None),
        lambda t: setattr(t, "url_match", None),
        lambda t: setattr(t, "faster_heuristics", False),
    ],
)
def test_only_the_tokenizer_as_built_has_a_settings_key(change):
    tokenizer = MedtextTokenizer(English().vocab)
    assert shipped_settings_key(tokenizer) == shipped_settings_key(MedtextTokenizer(English().vocab)) is not None
    change(tokenizer)
    assert shipped_settings_key(tokenizer) is None


def test_other_tokenizers_leave_the_cache_alone(cache):
    nlp = English()
    assert shipped_settings_key(nlp.tokenizer) is None
    assert literal_words(LITERALS, nlp.tokenizer) == tokenized(LITERALS, nlp.tokenizer)
    assert not (cache / f"{LITERALS_CACHE}.marshal").exists()
    assert shipped_settings_key(MedtextTokenizer(English().vocab)) != shipped_settings_key(
        MedtextTokenizer(English().vocab, merge_placeholders=False))


@pytest.mark.parametrize("bad", [None, "x", (("no",),), tuple([("",)] * 6), tuple([(1,)] * 6), tuple([["no"]] * 6)])
def test_damaged_cached_words_are_tokenized_again(cache, monkeypatch, bad):
    from medtext.pipeline import disk_cache

    tokenizer = MedtextTokenizer(English().vocab)
    expected = tokenized(LITERALS, tokenizer)
    with monkeypatch.context() as patch:  # the next write saves a damaged value
        patch.setattr(disk_cache, "write_cached", lambda name, key, data, folder=None: write_cached(name, key, bad, folder))
        assert literal_words(LITERALS, tokenizer) == expected
    assert literal_words(LITERALS, tokenizer) == expected
