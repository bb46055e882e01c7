"""The Python functions default to a fresh random key like the command line: a fixed default seed (0) let any
reader who knows the document ids recompute the date shifts of surrogate output."""

from __future__ import annotations

from medtext.deid import deidentify
from medtext.deid.surrogates import SurrogateMaker
from medtext.deid.transform import apply_spans

TEXT = "Seen on 7/23/2101 by Dr. Tasker."
SPANS = [{"start": 8, "end": 17, "label": "DATE"}, {"start": 25, "end": 31, "label": "NAME"}]


def test_apply_spans_without_a_seed_does_not_use_key_zero():
    zero = apply_spans(TEXT, SPANS, "surrogate", seed=0, doc_key="n1")
    outs = {apply_spans(TEXT, SPANS, "surrogate", doc_key="n1") for _ in range(4)}
    assert zero not in outs or len(outs) > 1


def test_a_given_seed_still_reproduces():
    assert apply_spans(TEXT, SPANS, "surrogate", seed=11, doc_key="n1") == apply_spans(TEXT, SPANS, "surrogate", seed=11, doc_key="n1")


def test_deidentify_without_a_seed_draws_a_key(monkeypatch):
    keys = []
    real = SurrogateMaker.__init__

    def spy(self, seed=0, doc_key="", originals=()):
        keys.append(seed)
        real(self, seed, doc_key, originals)

    monkeypatch.setattr(SurrogateMaker, "__init__", spy)
    deidentify(TEXT, "surrogate", doc_id="n1")
    deidentify(TEXT, "surrogate", doc_id="n1", seed=5)
    assert len(keys) == 2 and keys[0] != 0 and keys[1] == 5
