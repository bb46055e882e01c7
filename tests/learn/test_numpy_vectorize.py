"""The numpy prediction path's TF-IDF blocks: counting a character block per distinct word (with each word's
columns kept) gives exactly the vector that counting every n-gram of the text gives (the same TF-IDF weighting,
``_Block._weighted``, applied to both counts)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.features.text import CharAnalyzer
from medtext.learn import linear_numpy
from medtext.learn.linear_numpy import _Block


def reference_vector(block: _Block, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The block's vector the way it was computed before: every n-gram of the text counted one by one."""
    counts: dict[int, int] = {}
    for tok in block.analyzer(text):
        j = block.vocab.get(tok)
        if j is not None:
            counts[j] = counts.get(j, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
    return block._weighted(idx, np.fromiter((counts[j] for j in idx), dtype=np.float64, count=len(idx)))


TRAINING = ["Aspirin 81 mg daily after myocardial infarction.", "No fever, no chills; lasix 40mg IV.",
            "Non-small-cell lung cancer (NSCLC) in 12 of 40 patients", "aaaa aa a"]


def char_block(ngram_range=(2, 5), sublinear=True, weight=0.7, offset=3) -> _Block:
    analyzer = CharAnalyzer(ngram_range=ngram_range)
    terms = sorted({g for t in TRAINING for g in analyzer(t)})[::2]  # half of them: some n-grams are unknown
    spec = {"name": "char", "analyzer": analyzer.get_config(), "terms": terms,
            "idf": list(np.linspace(1.0, 3.0, len(terms))), "sublinear_tf": sublinear, "weight": weight}
    return _Block(spec, offset)


TEXT = st.lists(st.sampled_from(TRAINING + ["lasix", "LASIX", "a", "", "  ", "\n", "é", "40", "mg.", "cancer,"]),
                max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([(2, 5), (1, 3), (3, 3)]), st.booleans())
def test_counting_per_word_equals_counting_every_ngram(text, ngram_range, sublinear):
    block = char_block(ngram_range, sublinear)
    idx, val = block.vectorize(text)
    ref_idx, ref_val = reference_vector(block, text)
    assert idx.tolist() == ref_idx.tolist()
    assert val.tolist() == ref_val.tolist()  # bit for bit, not approximately


def test_a_full_word_cache_starts_over_and_stays_exact(monkeypatch):
    monkeypatch.setattr(linear_numpy, "WORD_CACHE_SIZE", 3)
    block = char_block()
    for text in TRAINING * 3:
        idx, val = block.vectorize(text)
        ref_idx, ref_val = reference_vector(block, text)
        assert idx.tolist() == ref_idx.tolist() and val.tolist() == ref_val.tolist()
        assert len(block._columns_of_word) <= 3


def test_word_blocks_count_tokens_as_before():
    from medtext.features.text import WordAnalyzer

    analyzer = WordAnalyzer(ngram_range=(1, 2))
    terms = sorted({g for t in TRAINING for g in analyzer(t)})
    block = _Block({"name": "word", "analyzer": analyzer.get_config(), "terms": terms,
                    "idf": [1.5] * len(terms), "sublinear_tf": True}, 0)
    for text in TRAINING + [" ".join(TRAINING * 2)]:
        idx, val = block.vectorize(text)
        ref_idx, ref_val = reference_vector(block, text)
        assert idx.tolist() == ref_idx.tolist() and val.tolist() == ref_val.tolist()
