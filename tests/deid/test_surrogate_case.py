"""Surrogates keep the case of every mention of the same PHI, whatever case came first."""

from __future__ import annotations

import re

import pytest

from medtext.deid import apply_spans


def _surrogates(text: str, phrase: str, label: str, seed: int = 1) -> list[str]:
    """The surrogate written for each case-insensitive mention of ``phrase`` (in order)."""
    spans = [{"start": m.start(), "end": m.end(), "label": label} for m in re.finditer(re.escape(phrase), text, re.I)]
    out = apply_spans(text, spans, "surrogate", seed=seed, doc_key="note")
    # every mention is followed by " |", so the surrogates are the pieces before each bar
    return [piece.strip() for piece in out.split("|")[:-1]]


@pytest.mark.parametrize("label, mentions", [
    ("NAME", ["John Smith", "JOHN SMITH", "john smith"]),
    ("NAME", ["JOHN SMITH", "John Smith"]),
    ("HOSPITAL", ["Mercy Hospital", "MERCY HOSPITAL", "mercy hospital"]),
    ("LOCATION", ["Springfield", "SPRINGFIELD"]),
    ("DATE", ["Jan 2, 2019", "JAN 2, 2019"]),
])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_mention_gets_the_same_surrogate_in_its_own_case(label, mentions, seed):
    text = "".join(f"{m} | " for m in mentions)
    fakes = _surrogates(text, mentions[0], label, seed)
    assert len({f.lower() for f in fakes}) == 1, fakes  # one surrogate for the document
    for original, fake in zip(mentions, fakes):
        assert fake.lower() != original.lower()
        for o_word, f_word in zip(re.findall(r"[A-Za-z]+", original), re.findall(r"[A-Za-z]+", fake)):
            if o_word.isupper():
                assert f_word.isupper(), (original, fake)
            elif o_word.islower():
                assert f_word.islower(), (original, fake)
            else:
                assert f_word[0].isupper() and f_word[1:].islower(), (original, fake)
