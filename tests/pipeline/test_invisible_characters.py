"""Invisible format characters inside words (soft hyphen, zero-width space, word joiner, BOM) do not hide terms.

Tokens keep every character (offsets are into the original text); matching and the NER read the word a
reader sees.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.invisible import has_invisible, strip_invisible
from medtext.pipeline.lexicon import ascii_fold

INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e")


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_term_with_an_invisible_character_inside_is_found_with_its_codes(nlp, ch):
    text = f"Patient has diabetes mel{ch}litus and heart fail{ch}ure."
    doc = nlp(text)
    found = {(e.text, e.label_, tuple(c["code"] for c in e._.codes)) for e in doc.ents}
    assert (f"diabetes mel{ch}litus", "DISEASE", ("D003920",)) in found
    assert any(t == f"heart fail{ch}ure" and "I50" in codes for t, _, codes in found)
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)


def test_the_token_keeps_its_text_and_reads_as_the_visible_word(nlp):
    doc = nlp.make_doc("On met\u00adformin.")
    token = doc[1]
    assert token.text == "met\u00adformin" and token.norm_ == "metformin" and token.idx == 3


def test_lookup_keys_fold_invisible_characters():
    assert ascii_fold("hyper\u00adtension") == "hypertension"
    assert strip_invisible("\ufeffKowalczyk") == "Kowalczyk" and not has_invisible("José García")


_TEXT = st.text(st.sampled_from(list("abc XYZ.,-\n") + ["é", "ß"]), max_size=60)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_text_without_invisible_characters_is_tokenized_as_before(nlp, text):
    doc = nlp.make_doc(text)
    assert [t.norm_ for t in doc] == [t.lex.norm_ for t in doc]


def test_invisible_means_a_format_character():
    import unicodedata

    from medtext.pipeline.invisible import is_invisible

    marked = [c for c in range(0x80, 0x110000) if is_invisible(chr(c))]
    assert all(unicodedata.category(chr(c)) == "Cf" for c in marked)  # newer Unicode versions may add Cf characters
    assert {0xAD, 0x200B, 0x200D, 0x2060, 0xFEFF, 0xE0041} <= set(marked) and not is_invisible("a")


# --- at the ends of words: the word and its final period are read as a reader sees them --------------------


@pytest.mark.parametrize("ch", ["\u200b", "\ufeff", "\u2060", "\u200e"])
@pytest.mark.parametrize(
    ("template", "word"),
    [("{ch}No fever.", "No"), ("No{ch} fever.", "No"), ("No fever.{ch}", "fever"), ("No {ch}fever.", "fever")],
)
def test_an_invisible_character_at_a_word_end_is_a_token_of_its_own(nlp, ch, template, word):
    text = template.format(ch=ch)
    doc = nlp(text)
    assert "".join(t.text_with_ws for t in doc) == text
    assert word in [t.text for t in doc] and ch in [t.text for t in doc]
    assert [(e.text, e._.negated) for e in doc.ents] == [("fever", True)]


def test_a_period_before_an_invisible_character_still_ends_the_sentence(nlp):
    text = "Patient denies chest pain.\u200b Hypertension noted."
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == ["Patient denies chest pain.\u200b", "Hypertension noted."]
    assert [(e.text, e._.negated) for e in doc.ents] == [("chest pain", True), ("Hypertension", False)]


def test_invisible_characters_alone_or_inside_a_word_stay_one_token(nlp):
    assert [t.text for t in nlp.make_doc("\u200b\u200b mel\u00adlitus")] == ["\u200b\u200b", "mel\u00adlitus"]
