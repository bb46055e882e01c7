"""The tokenizer's fast prefix, suffix and infix regexes match exactly like spaCy's compiled rules."""

from __future__ import annotations

import csv
import json
import re
from importlib import resources

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from medtext.pipeline.affix_regex import mark_first, set_first, suffix_tail
from medtext.pipeline.tokenizer import (
    _TOKEN_MATCH,
    _infixes,
    _prefixes,
    _special_cases,
    _suffixes,
    build_base_tokenizer,
    tokenizer_fingerprint,
)

SPACY_PREFIX = compile_prefix_regex(_prefixes())
SPACY_SUFFIX = compile_suffix_regex(_suffixes())
SPACY_INFIX = compile_infix_regex(_infixes())
FAST_PREFIX = re.compile("^" + set_first(_prefixes()))
FAST_SUFFIX = re.compile(suffix_tail(_suffixes()))
FAST_INFIX = re.compile(set_first(_infixes()))

# Characters the rules look at (ASCII punctuation, dashes, quotes, units, degrees, CJK and
# Arabic punctuation, icons, Cyrillic / Arabic units), letters, digits and whitespace.
ALPHABET = (
    "aeimsxzAEMSXZ019.,;:!?()[]{}<>-–—~+*^/=%°²³'\"’‘“”`´&#_…$€£µ|@\\ \n\t"
    "。，、？！（）«»кмгбكمغ©®ßéÉ\u00ad\u200b😀"
)
FRAGMENTS = (
    "mg", "km", "km²", "mm³", "°C", "°F.", "'s", "’S", "US$", "C$", "..", "...", "……", "--", "---", "——",
    "-induced", "(+)", "[3H]", "Na+", "K+-", "q.i.d.", "Dr.", "IMPRESSION,1.", "STATUS.B/S", "1)pain",
    "mbar", "км/ч", "اكواب", "كم²", "ТБ", "HER2+", "x3", "2+", ")-", "(A)", "pain.The", "Aspirin.,",
)
note_like = st.lists(st.one_of(st.text(ALPHABET, max_size=4), st.sampled_from(FRAGMENTS)), max_size=8).map("".join)


def spans(text: str) -> tuple[object, object]:
    """(prefix span, suffix span, infix spans) of spaCy's compiled rules and of the fast forms."""
    slow_prefix, fast_prefix = SPACY_PREFIX.search(text), FAST_PREFIX.search(text)
    slow_suffix, fast_suffix = SPACY_SUFFIX.search(text), FAST_SUFFIX.search(text)
    slow = (slow_prefix and slow_prefix.span(), slow_suffix and slow_suffix.span(), [m.span() for m in SPACY_INFIX.finditer(text)])
    fast = (fast_prefix and fast_prefix.span(), fast_suffix and fast_suffix.span(), [m.span() for m in FAST_INFIX.finditer(text)])
    return slow, fast


@pytest.mark.parametrize(
    "text",
    ["10mg", "5km²", "pain...", "a.....", "..", "x--", "x---", "the patient's", "BP 120/80.", "**NAME",
     "Na(+)", "glucose-6-phosphate", "naloxone-induced", "STATUS.B/S", "IMPRESSION,1.", "37°C.", "10US$",
     "U.S.", "vitamin D.", "a\n", "mg\n", "5mg\n", "..\n", "", "\n", "…", "😀", "(PAN)-induced", "Na+-K+",
     "**NAME", "*x", "(10mg)", "$5", "US$5", "+5", "+x", "\"quoted\"", "...and", "§2"],
)
def test_fast_forms_match_like_spacy_on_examples(text):
    slow, fast = spans(text)
    assert fast == slow


@settings(max_examples=1500, deadline=None)
@given(note_like)
def test_fast_forms_match_like_spacy_on_note_like_strings(text):
    slow, fast = spans(text)
    assert fast == slow


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=12))
def test_fast_forms_match_like_spacy_on_any_strings(text):
    slow, fast = spans(text)
    assert fast == slow


def test_the_tokenizer_uses_the_fast_forms_and_fingerprints_the_rules_as_written():
    tokenizer = build_base_tokenizer(spacy.blank("en").vocab)
    assert tokenizer.prefix_search.__self__.pattern == FAST_PREFIX.pattern
    assert tokenizer.suffix_search.__self__.pattern == FAST_SUFFIX.pattern
    assert tokenizer.infix_finditer.__self__.pattern == FAST_INFIX.pattern
    # the rules as written key the shipped lexicon, not their compiled forms
    meta = json.loads(resources.files("medtext.resources.lexicons").joinpath("meta.json").read_text(encoding="utf-8"))
    assert meta["tokenizer"] == tokenizer_fingerprint()


def test_set_first_keeps_the_order_of_rules():
    # at "--" the first rule that matches wins: one two-character match, not two of one
    assert [m.span() for m in re.finditer(set_first([r"--", r"-"]), "a--b")] == [(1, 3)]
    assert [m.span() for m in re.finditer(set_first([r"-", r"--"]), "a--b")] == [(1, 2), (2, 3)]


def test_set_first_expands_a_group_of_first_characters():
    pattern = set_first([r"(?<=[a-z])(?:-|–|--)(?=[a-z])"])
    assert [m.span() for m in re.finditer(pattern, "a-b a–b a--b 1-b")] == [(1, 2), (5, 6), (9, 11)]


@pytest.mark.parametrize("rule", [r"(?=x)y", r"a+b", r"(?:ab)*c", r".x", r"\bx", r"(?<!a)b"])
def test_set_first_refuses_rules_without_a_single_first_character(rule):
    with pytest.raises(ValueError):
        set_first([rule])


def test_mark_first_leaves_other_rules_alone():
    assert mark_first(r"(?<=[0-9])(?:mg|g)") == r"(?<=[0-9])(?:mg|g)"
    assert mark_first(r"\.\.+") == r"\.\.+"
    assert re.fullmatch(mark_first(r"(?<=[a-z])\."), ".") is None  # still looks back


def test_suffix_tail_guards_only_rules_of_bounded_width():
    pattern = suffix_tail([r"\.\.+", r"(?<=[0-9])(?:mg|g)", r"x|y"])
    assert re.search(pattern, "a" * 50 + ".......").span() == (50, 57)
    assert re.search(pattern, "10mg").span() == (2, 4)
    assert re.search(pattern, "xa").span() == (0, 1)  # "x|y$": the "x" alternative has no "$"


@pytest.mark.parametrize("text", ["\n\n", "a\n", "a \n", "\n", " \n\n"])
def test_suffix_tail_counts_a_last_line_break_like_dollar(text):
    rules = [r"\s", r"(?<=a)\s\s"]  # rules that can take line breaks
    expected = compile_suffix_regex(rules).search(text)
    found = re.search(suffix_tail(rules), text)
    assert (found and found.span()) == (expected and expected.span())


def _old_tokenizer(vocab: spacy.vocab.Vocab) -> Tokenizer:
    """medtext's tokenizer as spaCy compiles its rules."""
    return Tokenizer(
        vocab,
        rules=_special_cases(),
        prefix_search=SPACY_PREFIX.search,
        suffix_search=SPACY_SUFFIX.search,
        infix_finditer=SPACY_INFIX.finditer,
        token_match=_TOKEN_MATCH.match,
        url_match=spacy.lang.en.English.Defaults.url_match,
    )


def _corpus_texts(shared):
    from medtext.io.physionet import read_physionet
    from medtext.io.pubtator import read_pubtator

    for note in read_physionet(shared / "physionet_deid" / "id.text"):
        yield note.text
    with open(shared / "mtsamples" / "mtsamples.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield row["transcription"]
    for path in sorted((shared / "bc5cdr" / "pubtator").glob("*.PubTator.txt")):
        for doc in read_pubtator(path):
            yield doc.text
    for path in sorted((shared / "ncbi_disease" / "original-data").glob("*.txt")):
        for doc in read_pubtator(path):
            yield doc.text


@pytest.mark.slow
def test_tokens_of_the_shared_corpora_are_the_same_as_with_spacys_compiled_rules(shared_corpora):
    # the benchmark notes (PhysioNet + MTSamples) and the literature corpora, each distinct chunk once
    chunks = sorted({chunk for text in _corpus_texts(shared_corpora) for chunk in text.split()})
    assert len(chunks) > 100_000
    vocab = spacy.blank("en").vocab
    old, new = _old_tokenizer(vocab), build_base_tokenizer(vocab)
    for begin in range(0, len(chunks), 5000):
        text = "\n".join(chunks[begin : begin + 5000])
        assert [(t.idx, t.text) for t in new(text)] == [(t.idx, t.text) for t in old(text)], "tokens differ"
    for chunk in chunks:
        slow, fast = spans(chunk)
        assert fast == slow, "a chunk's affix spans differ"
