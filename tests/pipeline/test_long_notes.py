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
