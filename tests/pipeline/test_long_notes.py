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


def _invented_names(count: int) -> list[str]:
    rng = random.Random(3)
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize())
    return sorted(names)


def _mention_scanning(monkeypatch, count: int) -> tuple[int, int]:
    """Characters the mention search reads on a note naming ``count`` people, through both ways it can
    read the text (``str.find`` and the regular expression of word runs), and the note's length."""
    from medtext.pipeline import phi_mentions

    scanned = [0]

    class Low(str):
        def find(self, sub, start=0, end=None):
            at = super().find(sub, start, *(() if end is None else (end,)))
            scanned[0] += (at if at >= 0 else len(self)) - start
            return at

    class Text(str):
        def lower(self):
            return Low(super().lower())

    class CountingPattern:
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, string):
            scanned[0] += len(string)
            return self.pattern.finditer(string)

    monkeypatch.setattr(phi_mentions, "_RUN", CountingPattern(getattr(phi_mentions, "_RUN", None)), raising=False)
    names = _invented_names(count)
    text = "".join(f"Seen by Dr. {name} today; {name}'s plan. " for name in names)
    found = phi_mentions._mentions(Text(text), {name.lower(): "NAME" for name in names})
    assert len(found) == 2 * count
    return scanned[0], len(text)


def test_phi_mentions_read_a_note_with_many_names_a_bounded_number_of_times(monkeypatch):
    """The other mentions of a note's names and places were searched for once per word: a note with
    thousands of names was read thousands of times (quadratic)."""
    scanned, length = _mention_scanning(monkeypatch, 1_000)
    assert scanned <= 2 * length


def _regex_mentions(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """The reference: a regular expression of every word, what the mention search must find."""
    import re

    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(r"(?<![A-Za-z'])(?:" + alternatives + r")(?![A-Za-z])", re.IGNORECASE)
    return [(m.start(), m.end(), words[m.group().lower()]) for m in pattern.finditer(text)]


def test_phi_mentions_in_one_pass_equal_the_regex():
    from hypothesis import given, settings, strategies as st

    from medtext.pipeline.phi_mentions import WORD_BY_WORD_MAX, _find_mentions, _mentions_by_runs

    pool = ["ann", "anna", "o'neil", "neil", "abc", "abcd", "bc'd", "mary's", "x'", "ab''", "abc'd'e", "kas", "sik"]
    # non-ASCII letters and marks, with the four that re's IGNORECASE matches to ASCII letters (K ſ İ ı)
    pieces = pool + [" ", "'", "''", "x", "A", "-", "\n", "ANNA", "O'NEIL", "Mary's", "7", "é", "É", "®", "’", "Σ", "ß",
                     "\u212a", "\u017f", "\u0130", "\u0131"]
    many = {name.lower(): "LOCATION" for name in _invented_names(WORD_BY_WORD_MAX + 1)}

    def same(text, words):
        try:
            expected = _regex_mentions(text, words)
        except KeyError:  # the regex matched "ſ" for "s": its match is no key (only where those four letters are)
            assert any(c in text for c in "\u212a\u017f\u0130\u0131")
            return
        assert _find_mentions(text, words) == expected

    @settings(max_examples=600, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=25), st.lists(st.sampled_from(pool), min_size=1, max_size=6),
           st.sampled_from(["NAME", "LOCATION"]))
    def check(parts, chosen, label):
        text = "".join(parts)
        words = {w: label for w in chosen}
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        assert _mentions_by_runs(ascii_text.lower(), words) == _regex_mentions(ascii_text, words)
        same(text, words)
        same(text, words | many)

    check()


def test_phi_mentions_of_a_note_with_an_accent_are_not_searched_word_by_word(monkeypatch):
    """A note with one non-ASCII character (``®``) was searched with a regular expression of all its name
    and place words: time grew with words x note. Only the four characters that it matches to ASCII
    letters keep it there."""
    from medtext.pipeline import phi_mentions

    names = _invented_names(500)
    text = "Lasix\u00ae given. " + "".join(f"Seen by Dr. {name} today; {name}'s plan. " for name in names)
    words = {name.lower(): "NAME" for name in names}
    expected = _regex_mentions(text, words)

    def refuse(text, words):
        raise AssertionError("searched with the regex of every word")

    monkeypatch.setattr(phi_mentions, "_mentions_regex", refuse)
    assert phi_mentions._find_mentions(text, words) == expected
    assert phi_mentions.propagate(text, [(text.index(n), text.index(n) + len(n), "NAME", 0.9) for n in names[:80]]) \
        == _regex_mentions(text, {n.lower(): "NAME" for n in names[:80]})


def test_phi_mentions_matched_through_a_special_case_fold_keep_their_label():
    """re's IGNORECASE matches ſ to s, the Kelvin sign to k and I to ı, which lower() does not: such a
    mention used to raise KeyError (the matched text lower-cased is not a key of the words)."""
    from medtext.pipeline.phi_mentions import _find_mentions

    words = {"james": "NAME", "kim": "NAME", "işık": "NAME"}
    assert _find_mentions("Seen by JAME\u017f today", words) == [(8, 13, "NAME")]
    assert _find_mentions("KIM and \u212aim", words) == [(0, 3, "NAME"), (8, 11, "NAME")]
    assert _find_mentions("I\u015eIK here", words) == [(0, 4, "NAME")]
