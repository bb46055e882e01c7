"""Long and pathological notes take linear time: the work of the pipeline's inner steps grows at most
in proportion to the note (counted, not timed). ``benchmarks/long_notes.py`` times every component
on such notes. Every text here is invented."""

from __future__ import annotations

import random

from medtext.pipeline.phi import combine
from medtext.pipeline.phi_model import ModelSpan
from medtext.pipeline.phi_patterns import rule_spans

_LINE = "Seen by Dr. Quellton on ward 4 for chest pain today; denies fever.\n"


class _CountingRanges(list):
    """A list of ranges that counts the items read from it."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            self.reads += 1
            yield item


def _combine_reads(lines: int) -> int:
    text = _LINE * lines
    model, terms = [], _CountingRanges()
    for i in range(lines):
        start = i * len(_LINE)
        name = start + _LINE.index("Quellton")
        model.append(ModelSpan(name, name + len("Quellton"), "NAME", 0.9))
        term = start + _LINE.index("chest pain")
        terms.append((term, term + len("chest pain")))
    combine(text, rule_spans(text), model, terms=terms)
    return terms.reads


def test_phi_reads_the_coded_terms_a_bounded_number_of_times_per_note():
    """Each model span used to be checked against every coded term of the note (quadratic)."""
    small, large = _combine_reads(150), _combine_reads(300)
    assert large <= 2.2 * small


def test_inside_any_agrees_with_checking_every_range():
    from medtext.pipeline.phi import inside_any

    rng = random.Random(7)
    for _ in range(300):
        ranges = [(s, s + rng.randint(0, 15)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 8)))]
        inside = inside_any(ranges)
        for _ in range(20):
            start = rng.randint(0, 70)
            end = start + rng.randint(0, 12)
            assert inside(start, end) == any(s <= start and end <= e for s, e in ranges)


def _short_end_reads(monkeypatch, repeats: int) -> int:
    """How often the abbreviations component reads a definition's ``short_end`` on a note that
    defines and uses one short form ``repeats`` times."""
    from dataclasses import astuple

    from medtext.pipeline import abbreviations
    from medtext.pipeline.abbreviation_definitions import Definition

    reads = [0]

    class Counted(Definition):
        def __getattribute__(self, name):
            if name == "short_end":
                reads[0] += 1
            return super().__getattribute__(name)

    real = abbreviations.find_definitions
    monkeypatch.setattr(abbreviations, "find_definitions", lambda text: [Counted(*astuple(d)) for d in real(text)])
    found = abbreviations.find_abbreviations("congestive heart failure (CHF) and CHF today. " * repeats)
    assert len(found) == 2 * repeats
    return reads[0]


def test_abbreviation_uses_are_linked_without_a_pass_over_every_definition(monkeypatch):
    """Each use of a short form used to be checked against every definition of the note (quadratic)."""
    small, large = _short_end_reads(monkeypatch, 200), _short_end_reads(monkeypatch, 400)
    assert large <= 2.2 * small


class _CountingText(str):
    """A text that counts the characters of the slices taken from it."""

    sliced = 0

    def __getitem__(self, key):
        piece = super().__getitem__(key)
        if isinstance(key, slice):
            type(self).sliced += len(piece)
        return piece


def _sentence_slicing(unit: str, repeats: int) -> tuple[int, int]:
    from medtext.pipeline.sentences import find_sentence_starts

    class Text(_CountingText):
        sliced = 0

    text = Text(unit * repeats)
    starts = find_sentence_starts(text)
    return Text.sliced, len(starts)


def test_sentences_slice_a_bounded_amount_of_one_long_sentence_per_mark():
    """A period or question mark that does not end a sentence ("here. and then") used to copy the whole
    sentence so far (quadratic on one long sentence): each mark now looks at a few characters."""
    for unit in ("The Pain is here. and then ", "The Pain? and then "):
        sliced, sentences = _sentence_slicing(unit, 1_000)
        assert sentences == 1
        assert sliced <= 1_000 * len(unit)  # 13.5 million characters before


def test_question_mark_rule_reads_whitespace_as_strip_does():
    """The "? alone is no sentence" rule searches for a non-space where it stripped the sentence so far."""
    from hypothesis import given, strategies as st

    from medtext.pipeline.sentences import _NONSPACE

    spaces = [chr(c) for c in range(0x3000 + 1) if chr(c).isspace()] + ["\u200b", "\ufeff", "a", "?"]

    @given(st.text(st.sampled_from(spaces), max_size=12), st.integers(0, 14), st.integers(0, 14))
    def check(text, start, end):
        assert (_NONSPACE.search(text, start, end) is None) == (not text[start:end].strip())

    check()
