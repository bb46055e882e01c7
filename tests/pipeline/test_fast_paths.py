"""Fast paths equal their plain versions: lexicon trie walk, sentence offsets from arrays."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

import medtext
from medtext.pipeline.lexicon import Lexicon
from medtext.pipeline.record import _hooked_sentence_offsets, sentence_offsets

TEXTS = [
    "",
    "   ",
    "No fever. Cough.",
    "\n\nHISTORY:  chronic renal failure  \n\n and CKD; MS  ms WAS was.\n",
    "Pt with type 2 diabetes mellitus, renal failure (ARF) and chronic renal failure. \n",
    "café naïve µg 日本語 x\u00a0y  renal\tfailure",
]


@pytest.fixture(scope="module")
def nlp():
    return medtext.load(exclude=["ner", "phi"])


@pytest.fixture(scope="module")
def lexicon():
    lex = Lexicon()
    lex.add_key("renal failure", "DISEASE", [], "user")
    lex.add_key("chronic renal failure", "DISEASE", [], "user")
    lex.add_key("chronic", "DISEASE", [], "user")
    lex.add_key("type 2 diabetes mellitus", "DISEASE", [], "user")
    lex.add_key("MS", "DISEASE", [], "user", case_sensitive=True)
    lex.add_key("CKD", "DISEASE", [], "user", case_sensitive=True)
    lex.add_key("failure", "DISEASE", [], "user")
    return lex


@pytest.mark.parametrize("text", TEXTS)
def test_match_doc_equals_match(nlp, lexicon, text):
    doc = nlp.make_doc(text)
    lowers = [t.lower_ for t in doc]
    orths = [t.text for t in doc]
    assert lexicon.match_doc(doc) == lexicon.match(lowers, orths)


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_offsets_equal_doc_sents(nlp, text):
    doc = nlp(text)
    assert sentence_offsets(doc) == _hooked_sentence_offsets(doc)


def test_sentence_offsets_without_sentences(nlp):
    assert sentence_offsets(Doc(nlp.vocab, words=["a", "b"])) == []


_TOKENS = st.lists(st.tuples(st.sampled_from(["a", "bb", " ", "\n", "  ", "."]), st.booleans(), st.booleans()), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_TOKENS)
def test_sentence_offsets_equal_doc_sents_for_any_segmentation(tokens):
    from spacy.vocab import Vocab

    words = [w for w, _, _ in tokens]
    doc = Doc(Vocab(), words=words or None, spaces=[s for _, s, _ in tokens] or None,
              sent_starts=[True] + [b for _, _, b in tokens[1:]] if tokens else None)
    assert sentence_offsets(doc) == _hooked_sentence_offsets(doc)
