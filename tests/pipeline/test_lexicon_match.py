"""Lexicon.match walks token tries; it must find exactly what joining the tokens of every key length finds."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.features.concept_analyzer import TERM_TOKEN
from medtext.pipeline.lexicon import Lexicon, shipped_lexicon

WORDS = ["a", "b", "c", "A", "B", "of", "Of", "s", "'s", "-", ""]
SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "abstracts.jsonl"

keys = st.lists(st.sampled_from(WORDS[:-1]), min_size=1, max_size=4).map(" ".join)
entries = st.lists(
    st.tuples(keys, st.sampled_from(["DISEASE", "CHEMICAL"]), st.booleans(), st.sampled_from(["", "lowp", "hp"])),
    max_size=25,
)
token_lists = st.lists(st.sampled_from(WORDS), max_size=14)


def build(rows: list[tuple[str, str, bool, str]]) -> Lexicon:
    lexicon = Lexicon()
    for n, (key, label, case_sensitive, flag) in enumerate(rows):
        lexicon.add_key(key, label, [{"system": "X", "code": str(n)}], "test", case_sensitive=case_sensitive)
        stored = key if case_sensitive else key.lower()
        (lexicon.low_precision if flag == "lowp" else lexicon.high_precision if flag == "hp" else set()).add(stored)
    return lexicon


@settings(max_examples=400, deadline=None)
@given(entries, token_lists, st.booleans(), st.sampled_from([None, 0, 3, 20]), st.booleans())
def test_trie_walk_equals_joined_keys(rows, orths, high_only, max_start, with_orths):
    lexicon = build(rows)
    lowers = [t.lower() for t in orths]
    given_orths = orths if with_orths else None
    expected = lexicon._match_joined(lowers, given_orths, high_only, max_start)
    assert lexicon.match(lowers, given_orths, only_high_precision=high_only, max_start=max_start) == expected


def test_lower_case_key_wins_over_case_sensitive_key_of_same_length_even_when_flagged_out():
    lexicon = build([("ms", "DISEASE", False, "lowp"), ("MS", "DISEASE", True, "")])
    assert lexicon.match(["ms"], ["MS"]) == [] == lexicon._match_joined(["ms"], ["MS"], False, None)
    lexicon = build([("ms", "DISEASE", False, ""), ("MS", "CHEMICAL", True, "")])
    assert [m[2] for m in lexicon.match(["ms"], ["MS"])] == ["DISEASE"]


def test_tokens_with_spaces_still_match_across_a_token_as_joined_keys_do():
    lexicon = build([("renal failure acute", "DISEASE", False, "")])
    assert [m[:2] for m in lexicon.match(["renal", "failure acute"])] == [(0, 2)]


def test_shipped_lexicon_same_matches_on_sample_abstracts():
    lexicon = shipped_lexicon()
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = 0
    for text in texts:
        orths = TERM_TOKEN.findall(text)
        lowers = [t.lower() for t in orths]
        matches = lexicon.match(lowers, orths)
        assert matches == lexicon._match_joined(lowers, orths, False, None)
        assert lexicon.match(lowers, orths, only_high_precision=True) == lexicon._match_joined(lowers, orths, True, None)
        found += len(matches)
    assert found > 20


def test_adding_a_key_after_matching_is_seen():
    lexicon = build([("renal", "DISEASE", False, "")])
    assert [m[:2] for m in lexicon.match(["renal", "failure"])] == [(0, 1)]
    lexicon.add_key("renal failure", "DISEASE", [], "test")
    assert [m[:2] for m in lexicon.match(["renal", "failure"])] == [(0, 2)]
