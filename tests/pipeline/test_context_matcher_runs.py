"""Token-pattern triggers in one huge sentence: each pattern group's matcher searches only the runs of
its words around a key word, with the matches of a search of the whole sentence (the old way, kept as
the reference by switching the runs off). Every text here is invented."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.context_matcher import TriggerMatcher, token_words


@pytest.fixture(scope="module")
def matcher(nlp) -> TriggerMatcher:
    return nlp.get_pipe("assertion")._matcher


class _Counting:
    """A group's spaCy Matcher that counts the tokens it is given."""

    def __init__(self, matcher, seen):
        self.matcher = matcher
        self.seen = seen

    def __call__(self, span):
        self.seen[0] += len(span)
        return self.matcher(span)


def _pattern_phrases(data, patterns) -> list[str]:
    """A word for each token of a shipped pattern (an optional token maybe left out, a repeated one maybe twice)."""
    out = []
    for token in data.draw(st.sampled_from(patterns)):
        words = sorted(token_words(token) or ["2", "x", "three"])
        for _ in range({"?": data.draw(st.integers(0, 1)), "*": data.draw(st.integers(0, 2))}.get(token.get("OP"), 1)):
            out.append(data.draw(st.sampled_from(words)))
    return out


# other words, numbers, punctuation and whitespace
NOISE = ["fever", "the", "he", "she", "a", "2", "three", "weeks", "ago", ",", ".", "\n", "  ", "(", "x", "of", "no", "not", "vs", "?"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_same_matches_as_searching_the_whole_sentence(nlp, matcher, data):
    from medtext.pipeline.context_rules import default_rules

    patterns = [rule["pattern"] for rule in default_rules() if "pattern" in rule]
    pieces = st.one_of(st.sampled_from(NOISE).map(lambda w: [w]), st.just(None))
    words = [w for piece in data.draw(st.lists(pieces, min_size=1, max_size=12)) for w in (piece or _pattern_phrases(data, patterns))]
    spaces = data.draw(st.lists(st.sampled_from([" ", " ", "  ", "\n", ""]), min_size=len(words), max_size=len(words)))
    doc = nlp.make_doc("".join(w + s for w, s in zip(words, spaces)))
    lower = [t.lower for t in doc]
    runs = matcher._group_runs
    found = sorted(matcher._pattern_matches(doc, 0, len(doc), lower))
    try:
        matcher._group_runs = [None] * len(runs)  # the whole sentence for every group, as before
        assert found == sorted(matcher._pattern_matches(doc, 0, len(doc), lower))
    finally:
        matcher._group_runs = runs


def test_a_huge_sentence_is_not_searched_whole_for_each_pattern_group(nlp, matcher, monkeypatch):
    # a 400 KB note without a period ran ~25 matchers over the whole sentence: 1.4 s CPU
    doc = nlp.make_doc("fever and cough since today , chest pain on exertion , unclear whether he smokes , " * 200)
    seen = [0]
    monkeypatch.setattr(matcher, "_pattern_groups", [(required, _Counting(m, seen)) for required, m in matcher._pattern_groups])
    found = matcher.find(doc, [(0, len(doc))])
    assert any(rule >= 0 for _, _, rule in found)
    assert 0 < seen[0] <= len(doc)


def test_token_words():
    assert token_words({"LOWER": {"IN": ["in", "of"]}}) == {"in", "of"}
    assert token_words({"ORTH": "No", "IS_SENT_START": True}) == {"no"}
    assert token_words({"IS_SPACE": True, "OP": "*"}) == frozenset()
    for open_token in ({"LIKE_NUM": True}, {"LOWER": "x", "OP": "!"}, {"NORM": "not"}, {"LOWER": {"NOT_IN": ["a"]}}, {}):
        assert token_words(open_token) is None
