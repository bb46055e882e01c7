"""Uses of many distinct short forms are found in one pass, with the results of the
straightforward implementation (one regex search of the whole text per short form, kept
below as the reference)."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.abbreviation_definitions import find_definitions
from medtext.pipeline.abbreviations import _in_capitals, _record, find_abbreviations
from medtext.pipeline.range_index import RangeIndex


# --- the reference: propagation as it was, one regex pass over the text per distinct short form ---
def _ref_use_pattern(short):
    head = r"(?<![A-Za-z0-9])" if short[0].isalnum() else ""
    tail = r"(?=s?(?![A-Za-z0-9]))" if re.search(r"[A-Z0-9]$", short) else (r"(?![A-Za-z0-9])" if short[-1].isalnum() else "")
    return re.compile(head + re.escape(short) + tail)


def _ref_is_word_too(text, short):
    word = short.lower()
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if not (i and text[i - 1].isalpha()) and not (j < len(text) and text[j].isalpha()):
            return True
        i = text.find(word, i + 1)
    return False


def reference_abbreviations(text):
    definitions = find_definitions(text)
    found = {d.short_start: _record(d.short, " ".join(d.long.split()), d.short_start, d.short_end) for d in definitions}
    in_short_form = RangeIndex((d.short_start, d.short_end) for d in definitions).covers
    by_short = {}
    for d in definitions:
        by_short.setdefault(d.short, []).append(d)
    for short, defs in by_short.items():
        word_like = None if short.isalpha() and short.isupper() else False
        latest = list(accumulate(reversed([d.short_end for d in defs]), min))[::-1]
        for match in _ref_use_pattern(short).finditer(text, defs[0].short_end):
            start, end = match.start(), match.end()
            if start in found or in_short_form(start):
                continue
            if word_like is not False and _in_capitals(text, start, end):
                if word_like is None:
                    word_like = _ref_is_word_too(text, short)
                if word_like:
                    continue
            current = defs[bisect_right(latest, start) - 1]
            found[start] = _record(short, " ".join(current.long.split()), start, end)
    return [found[start] for start in sorted(found)]


def reference_uses(text, search_from):
    """(start, short) of every regex match of every short form, by start, then in dict order."""
    rank = {short: k for k, short in enumerate(search_from)}
    found = [(m.start(), rank[short], short) for short, pos in search_from.items() for m in _ref_use_pattern(short).finditer(text, pos)]
    return [(start, short) for start, _, short in sorted(found)]


# --- inputs: definitions, their uses (plural, glued, in capitals, inside other forms) and noise ---
SHORTS = ["CT", "CTA", "IL", "IL-2", "OR", "ALL", "A-A", "T3", "pH", "mRNA", "TNF-α", "[Ca2+]i", "5-FU", "İ", "Hb", "NO"]
FRAGMENTS = [
    "computed tomography (CT)", "CT angiography (CTA)", "interleukin (IL)", "interleukin-2 (IL-2)", "odds ratio (OR)",
    "acute lymphoblastic leukemia (ALL)", "alpha-alpha (A-A)", "triiodothyronine (T3)", "potential of hydrogen (pH)",
    "messenger RNA (mRNA)", "tumor necrosis factor-α (TNF-α)", "intracellular calcium ([Ca2+]i)", "5-fluorouracil (5-FU)",
    "hemoglobin (Hb)", "nitric oxide (NO)", "NO FEVER OR CHILLS", "ALL OF THEM", "or", "all", "no", "i", "x", "s", "2",
    " ", " ", "\n", ", ", ". ", "-", "(", ")", "α", "ı",
]  # fmt: skip
pieces = st.lists(st.sampled_from(FRAGMENTS + SHORTS * 2 + ["CTs", "T3s", "ALLs", "xCT", "CT2"]), min_size=4, max_size=40)
texts = st.one_of(pieces.map(" ".join), pieces.map("".join))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_same_abbreviations_as_the_reference(text):
    assert find_abbreviations(text) == reference_abbreviations(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(SHORTS + ["s", " ", "-", "x", "(", "A", "C", "2", "ALL"]), max_size=30).map("".join),
    st.lists(st.tuples(st.sampled_from(SHORTS), st.integers(0, 40)), max_size=8).map(dict),
)
def test_same_uses_as_one_regex_per_short_form(text, search_from):
    from medtext.pipeline.abbreviation_uses import short_form_uses

    assert list(short_form_uses(text, search_from)) == reference_uses(text, search_from)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="orORaAİiı²½_5 \n-", max_size=40), st.sampled_from(["OR", "A", "İ", "AI", "ORA"]))
def test_a_short_form_is_a_word_too_as_before(text, short):
    from medtext.pipeline.abbreviation_uses import letter_words
    from medtext.pipeline.abbreviations import _is_word_too

    assert _is_word_too(text, short, letter_words(text)) == _ref_is_word_too(text, short)


def _many_short_forms(n, capitals=False):
    """``n`` distinct short forms defined up front, then each used twice: the uses span the whole note."""
    letters = "BCDFGHJKLMNPRSTVW"
    shorts = sorted({letters[i % 17] + letters[i // 17 % 17] + letters[i // 289 % 17] for i in range(n)})
    definitions = " ".join(f"{' '.join(c.lower() + 'word' for c in sf)} ({sf})," for sf in shorts)
    uses = " ".join(f"then {sf} and {sf}s;" for sf in shorts * 2)
    text = f"{definitions}\n{uses}"
    return text.upper() if capitals else text


class _CountingRe:
    """Stands in for the ``re`` module: patterns compiled through it count their searches of the whole text."""

    def __init__(self, text):
        self.text = text
        self.scans = 0

    def compile(self, pattern, flags=0):
        return _CountingPattern(re.compile(pattern, flags), self)

    def __getattr__(self, name):
        return getattr(re, name)


class _CountingPattern:
    def __init__(self, pattern, counter):
        self.pattern = pattern
        self.counter = counter

    def __getattr__(self, name):
        method = getattr(self.pattern, name)

        def counted(string, pos=0, endpos=sys.maxsize, *args):
            if string is self.counter.text and min(endpos, len(string)) - pos > len(string) // 2:
                self.counter.scans += 1
            return method(string, pos, endpos, *args)

        return counted if name in ("finditer", "findall", "search", "match", "fullmatch") else method


def test_uses_of_many_distinct_short_forms_take_one_pass(monkeypatch):
    # 300 short forms: the old code searched the whole note once per short form (400 KB of them: 23 s)
    text = _many_short_forms(300)
    counter = _CountingRe(text)
    for name, module in list(sys.modules.items()):
        if name.startswith("medtext.pipeline.abbreviation"):
            monkeypatch.setattr(module, "re", counter, raising=False)
    found = find_abbreviations(text)
    assert len({a["short"] for a in found}) == 300 and len(found) == 300 * 5
    assert counter.scans <= 2


def test_capitals_look_up_the_words_of_the_note_once(monkeypatch):
    # in capitals, each short form asks whether it is a word of the note too: once per note, not one search per form
    import medtext.pipeline.abbreviations as abbreviations

    calls = []
    real = abbreviations.letter_words
    monkeypatch.setattr(abbreviations, "letter_words", lambda text: calls.append(1) or real(text))
    text = _many_short_forms(300, capitals=True)
    assert find_abbreviations(text) == reference_abbreviations(text)
    assert len(calls) == 1
