"""Token-pattern triggers run only on sentences holding every required word of the pattern."""

from __future__ import annotations

import spacy

from medtext.pipeline.context_matcher import TriggerMatcher, required_words

DENIES_HISTORY = [{"LOWER": {"IN": ["denies", "no"]}}, {"LOWER": "prior", "OP": "?"}, {"LOWER": {"IN": ["history", "hx"]}}, {"LOWER": "of"}]
RULES = [
    {"literal": "no", "category": "negated", "direction": "forward", "max_scope": None},
    {"pattern": DENIES_HISTORY, "category": "negated", "direction": "forward", "max_scope": None},
]


class Counting:
    """A spaCy Matcher that counts its runs."""

    def __init__(self, matcher, runs: list) -> None:
        self.matcher, self.runs = matcher, runs

    def __call__(self, span):
        self.runs.append(1)
        return self.matcher(span)


def matches(text: str) -> tuple[list[tuple[str, int]], int]:
    nlp = spacy.blank("en")
    matcher = TriggerMatcher(nlp.vocab, RULES, nlp.tokenizer)
    runs: list = []
    matcher._pattern_groups = [(required, Counting(group, runs)) for required, group in matcher._pattern_groups]
    doc = nlp(text)
    found = sorted((doc[s:e].text, rule) for s, e, rule in matcher.find(doc, [(0, len(doc))]))
    return found, len(runs)


def test_a_pattern_starting_with_a_common_word_is_not_run_without_its_other_words():
    found, runs = matches("No fever or chills today.")
    assert found == [("No", 0)] and runs == 0


def test_the_pattern_still_matches_where_all_its_words_are():
    found, runs = matches("No prior history of asthma.")
    assert ("No prior history of", 1) in found and runs == 1


def test_required_words_skip_optional_tokens():
    assert [sorted(w) for w in required_words(DENIES_HISTORY)] == [["denies", "no"], ["history", "hx"], ["of"]]


# Several groups of patterns, whose key words (the required set with the longest shortest word) differ.
GROUP_RULES = [
    {"pattern": [{"ORTH": ","}, {"LOWER": {"IN": ["he", "she"]}}], "category": "negated", "direction": "terminate", "max_scope": None},
    {"pattern": [{"LOWER": "vs"}, {"LOWER": {"IN": ["and", "or"]}}], "category": "pseudo", "direction": None, "max_scope": None},
    {"pattern": [{"LOWER": "risks"}, {"LOWER": "of"}, {"LOWER": "smoking"}], "category": "pseudo", "direction": None, "max_scope": None},
    {"pattern": [{"LOWER": "no"}, {"LOWER": "complaints"}], "category": "negated", "direction": "forward", "max_scope": None},
]
WORDS = [",", "he", "she", "vs", "and", "or", "risks", "of", "smoking", "no", "complaints", "pain", "fever"]


def _brute_force(nlp, doc):
    """Every pattern run on the whole sentence, without any pre-filter."""
    from spacy.matcher import Matcher

    out = []
    for index, rule in enumerate(GROUP_RULES):
        matcher = Matcher(nlp.vocab)
        matcher.add(str(index), [rule["pattern"]])
        out += [(s, e, index) for _, s, e in matcher(doc)]
    return sorted(out)


def test_patterns_are_found_whichever_of_their_words_keys_their_group():
    import random

    nlp = spacy.blank("en")
    matcher = TriggerMatcher(nlp.vocab, GROUP_RULES, nlp.tokenizer, headers=False)
    rng = random.Random(7)
    for _ in range(400):
        # a sentence with no trigger that opens a scope yields nothing: each one starts with one
        doc = nlp("no complaints " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))))
        found = sorted(m for m in matcher.find(doc, [(0, len(doc))]) if m[2] >= 0)
        assert found == _brute_force(nlp, doc), doc.text
