"""The chunk-cached tokenizer gives exactly spaCy's tokens (text, offsets, spaces, NORM)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.lang.en import English

from medtext.pipeline.tokenizer import MedtextTokenizer, build_base_tokenizer
from medtext.pipeline.tokenizer_cache import ChunkCache

TRICKY = [
    "",
    " ",
    "   ",
    "\n",
    " \n \n  ",
    "\t\tx\t",
    " leading and trailing ",
    "Seen by **NAME[AAA, BBB] on [**2101-10-3**].",
    "at [**Hospital 1234**] and [** **] and ** NAME",
    "**INSTITUTION. **NAME[AAA BBB CCC] **DATE[Jan 1]",
    "s/p CABG x3, Lasix 20mg p.o. b.i.d.  Dr. Smith  et al. (2001) et al.",
    "Mr. Jones's BP 120/80 :) :P O: P A: D. ( : ) 's ' s 'S",
    "don't can't y'all 'cause 10a.m. 5 p.m. a.m. a.m .",
    "naloxone-induced (PAN)-induced Na+-K+ GABA(A) Aspirin.,ALLERGIES: pain.The",
    "café naïve µg/kg μg 37°C ≥5 – — “quoted” ‘single’ 日本語 emoji 🙂 x\u00a0y z\u2009w",
    "vitamin D. type B. U.S. e.g. i.e., vs.; etc.)",
]


@pytest.fixture(scope="module")
def pair():
    base = build_base_tokenizer(English().vocab)
    return base, ChunkCache(base)


def _tokens(doc):
    return [(t.text, t.idx, t.whitespace_, t.norm_, t.lex_id) for t in doc]


@pytest.mark.parametrize("text", TRICKY)
def test_cache_equals_spacy_on_tricky_texts(pair, text):
    base, cached = pair
    assert _tokens(cached(text)) == _tokens(base(text))
    assert _tokens(cached(text)) == _tokens(base(text))  # again, from the cache


def test_cross_chunk_special_case_falls_back():
    base = build_base_tokenizer(English().vocab)
    base.add_special_case("New York", [{"ORTH": "New York"}])
    cached = ChunkCache(base)
    text = "to New York today"
    assert [t.text for t in cached(text)] == [t.text for t in base(text)] == ["to", "New York", "today"]
    assert cached.fallbacks == 1


def test_medtext_tokenizer_drops_cache_on_new_special_case():
    tokenizer = MedtextTokenizer(English().vocab)
    assert [t.text for t in tokenizer("q.4h now")] == ["q.4h", "now"]
    tokenizer.add_special_case("q.4h", [{"ORTH": "q."}, {"ORTH": "4h"}])
    assert [t.text for t in tokenizer("q.4h now")] == ["q.", "4h", "now"]


PIECES = [
    "a", "BP", "10mg", "mg/kg", "p.o.", "s/p", "Dr.", "et", "al.", "e.g", ".", ",", ":", ";", "(", ")", "'", "'s",
    "P", "D", "O", "**NAME[AAA, BBB]", "[**2101-10-3**]", "**", "[**", "**]", "-", "5-10", "x3", "2+", ":)", "café",
    "μg", "\u00a0", " ", "  ", "\n", "\t",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.lists(st.sampled_from(["", " ", "  ", "\n"]), max_size=12))
def test_cache_equals_spacy_on_random_texts(pieces, gaps):
    base, cached = _shared()
    text = "".join(p + (gaps[i] if i < len(gaps) else "") for i, p in enumerate(pieces))
    assert _tokens(cached(text)) == _tokens(base(text))
    fast, slow = _shared_medtext()
    assert _tokens(fast(text)) == _tokens(slow(text))  # placeholder merging included


class _Passthrough:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text):
        return self.tokenizer(text)


_STATE = {}


def _shared():
    if "pair" not in _STATE:
        base = build_base_tokenizer(English().vocab)
        _STATE["pair"] = (base, ChunkCache(base))
    return _STATE["pair"]


def _shared_medtext():
    if "medtext" not in _STATE:
        vocab = English().vocab
        slow = MedtextTokenizer(vocab)
        slow._cached = _Passthrough(slow.tokenizer)
        _STATE["medtext"] = (MedtextTokenizer(vocab), slow)
    return _STATE["medtext"]


@pytest.mark.parametrize("run", ["(" * 600, ")" * 257, "a" * 1000, "ab(c)-d/" * 100])
def test_long_chunks_are_tokenized_in_pieces_with_exact_text(pair, run):
    from medtext.pipeline.tokenizer_cache import LONG_CHUNK

    base, cached = pair
    text = f"Pain {run} x.  {run}"
    doc = cached(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)
    # each piece as spaCy tokenizes it alone; no token spans a piece boundary
    piece = run[:LONG_CHUNK]
    first = [t.text for t in doc if 5 <= t.idx < 5 + LONG_CHUNK]
    assert first == [t.text for t in base(piece)]
    assert max(len(t) for t in doc) <= LONG_CHUNK


def test_chunks_up_to_the_limit_equal_spacy(pair):
    from medtext.pipeline.tokenizer_cache import LONG_CHUNK

    base, cached = pair
    text = "x (" + "(" * (LONG_CHUNK - 1) + " y"
    assert _tokens(cached(text)) == _tokens(base(text))


def _lexemes(doc):
    return [(t.text, t.idx, t.whitespace_, t.norm_, t.orth, t.shape_, t.is_alpha, t.like_num) for t in doc]


def test_cache_equals_spacy_across_memory_zones():
    # Entries made outside a memory zone build Docs from ORTH ids, those made inside one from
    # the words (the zone's new strings and lexemes are freed when it ends).
    base = build_base_tokenizer(English().vocab)
    cached = ChunkCache(base)
    before = "Seen today, BP 120/80 s/p CABG."
    inside = "Qzxv wrplk-induced, seen today (Qzxv).  Fjorble"
    cached(before)
    with base.vocab.memory_zone():
        assert _lexemes(cached(inside)) == _lexemes(base(inside))
        assert _lexemes(cached(before + " " + inside)) == _lexemes(base(before + " " + inside))
    assert "Qzxv" not in base.vocab.strings  # the zone's words are gone
    for text in (inside, before, inside + "\n" + before):
        assert _lexemes(cached(text)) == _lexemes(base(text))
    with base.vocab.memory_zone():
        assert _lexemes(cached(inside + " " + before)) == _lexemes(base(inside + " " + before))


def test_cache_keys_with_and_without_the_space_after_a_chunk(pair):
    base, cached = pair
    for text in ("fever ", "fever", "fever\n", "fever  ", " fever", "fever x fever\tfever \nfever"):
        assert _tokens(cached(text)) == _tokens(base(text))


def test_the_copy_without_the_matcher_takes_the_rules_unchecked(monkeypatch):
    # Its rules are the base tokenizer's, which spaCy checked when they were added: checking them again
    # (each rule's attributes converted once more) was about 40% of building the copy at every start.
    import spacy.tokenizer

    base = build_base_tokenizer(English().vocab)
    converted = []
    convert = spacy.tokenizer.intify_attrs
    monkeypatch.setattr(spacy.tokenizer, "intify_attrs", lambda *a, **k: (converted.append(a), convert(*a, **k))[1])
    cache = ChunkCache(base)
    monkeypatch.undo()
    assert converted == []
    assert cache.pre_matcher.rules.keys() <= base.rules.keys()
    for text in TRICKY:
        assert _tokens(cache(text)) == _tokens(base(text))


def test_the_shipped_special_cases_pass_spacys_check():
    # build_base_tokenizer trusts them (TrustedRulesTokenizer): spaCy's own check must accept every one.
    import copy

    from spacy.tokenizer import Tokenizer

    from medtext.pipeline.tokenizer import _special_cases

    plain = Tokenizer(English().vocab)
    rules = _special_cases()
    assert len(rules) > 1000
    for chunk, substrings in rules.items():
        plain._validate_special_case(chunk, copy.deepcopy(substrings))


def test_the_base_tokenizer_trusts_only_the_rules_it_is_made_with(monkeypatch):
    import pickle

    import spacy.tokenizer
    from spacy.tokenizer import Tokenizer

    from medtext.pipeline.tokenizer import _special_cases, affix_patterns

    converted = []
    convert = spacy.tokenizer.intify_attrs
    vocab = English().vocab  # (spaCy's English tokenizer checks its rules: not counted)
    with monkeypatch.context() as patch:
        patch.setattr(spacy.tokenizer, "intify_attrs", lambda *a, **k: (converted.append(a), convert(*a, **k))[1])
        base = build_base_tokenizer(vocab)
    assert converted == []  # before: one per token of each of the 1,400 rules, only to check them
    assert isinstance(base, Tokenizer)
    prefix, suffix, infix = (__import__("re").compile(p) for p in affix_patterns())
    checked = Tokenizer(English().vocab, rules=_special_cases(), prefix_search=prefix.search, suffix_search=suffix.search,
                        infix_finditer=infix.finditer, token_match=base.token_match, url_match=base.url_match)
    assert base.to_bytes() == checked.to_bytes()
    for text in TRICKY:
        assert _tokens(base(text)) == _tokens(checked(text))
    with pytest.raises(ValueError):
        base.add_special_case("ab", [{"ORTH": "a"}])  # a rule added later is checked: its ORTHs do not spell it
    with pytest.raises(ValueError):
        MedtextTokenizer(English().vocab).add_special_case("mg.", [{"ORTH": "mg"}])
    copy = pickle.loads(pickle.dumps(base))
    assert type(copy) is type(base) and _tokens(copy(TRICKY[10])) == _tokens(base(TRICKY[10]))


def test_the_matcher_rules_of_the_tokenizer_as_built_come_from_the_disk_cache(monkeypatch, tmp_path):
    from medtext.pipeline import tokenizer_cache
    from medtext.pipeline.disk_cache import write_cached

    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    first = MedtextTokenizer(English().vocab).cached
    expected = (first.pairs, first.space_pairs, first.rules_by_first)
    assert expected == tokenizer_cache._matcher_rules(first.tokenizer)
    assert (tmp_path / f"{tokenizer_cache.MATCHER_RULES_CACHE}.marshal").is_file()
    found = []
    compute = tokenizer_cache._matcher_rules
    with monkeypatch.context() as patch:
        patch.setattr(tokenizer_cache, "_matcher_rules", lambda t: (found.append(t), compute(t))[1])
        second = MedtextTokenizer(English().vocab)
        assert (second.cached.pairs, second.cached.space_pairs, second.cached.rules_by_first) == expected
        assert found == []  # before: computed at every start (0.012 s)
        changed = MedtextTokenizer(English().vocab)
        changed.add_special_case("a/b", [{"ORTH": "a"}, {"ORTH": "/b"}])  # a rule for the matcher pass
        assert changed.cached.rules_by_first["a"] == [("a", "/b")]
        assert len(found) == 1  # a tokenizer with a rule of its own: computed, and not saved
    for text in TRICKY:
        assert _tokens(second(text)) == _tokens(second.tokenizer(text)) or "**" in text
    # a damaged entry is computed again
    path = tmp_path / f"{tokenizer_cache.MATCHER_RULES_CACHE}.marshal"
    for bad in (None, (frozenset(), frozenset(), {"a": [("b",)]}), (frozenset([("a",)]), frozenset(), {}), ["x"]):
        assert not tokenizer_cache._matcher_rules_shape(bad)
        path.unlink()
        with monkeypatch.context() as patch:  # the next computation saves a damaged value
            patch.setattr("medtext.pipeline.disk_cache.write_cached",
                          lambda name, key, data, folder=None: write_cached(name, key, bad, folder))
            MedtextTokenizer(English().vocab).cached
        with monkeypatch.context() as patch:
            patch.setattr(tokenizer_cache, "_matcher_rules", lambda t: (found.append(t), compute(t))[1])
            count = len(found)
            rebuilt = MedtextTokenizer(English().vocab).cached
            assert len(found) == count + 1
        assert (rebuilt.pairs, rebuilt.space_pairs, rebuilt.rules_by_first) == expected
