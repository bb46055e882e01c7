"""The fast paths of the ``phi`` component give exactly what the straightforward code gives.

* the batch scorer (token table + role lookups) vs :meth:`PhiModel.unit_probabilities` (same floats);
* :meth:`PhiModel.predict_many` vs :meth:`PhiModel.predict`;
* the gated rules (:func:`rule_spans`) vs every rule over the whole text (:func:`rule_spans_plain`);
* the ASCII :func:`note_case` vs the character loop; ``pipe`` at any batch size vs ``find``.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from medtext.models import find_model
from medtext.pipeline import phi_vocab
from medtext.pipeline.phi_features import intrinsic_features, note_case
from medtext.pipeline.phi_model import PhiModel
from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain, split_space, unit_strings, units
from medtext.pipeline.phi_scorer import BatchScorer

TRICKY = [
    "",
    " ",
    "   \t  ",
    "\n",
    "\n\n \n",
    "a",
    "7",
    ".",
    "PT SEEN BY DR. PELLOWSKI 7/23; daughter Marguerite pt pt called.\nN. HOLLOWAY, RN aware, bipap 10/5 pt",
    "Patient seen by **NAME[AAA, BBB] on [**2101-10-3**], **INSTITUTION aware.",
    "ratio 1/2/x then 1/2 then 1/2/3 and 12/2019, 3/4-5/6, 2101-10-03, 98.6 and 123456.7890 or 410.555.1234",
    "Call (617) 555-0199 or +1 617 555 0199 ext 12, fax 617/555-0142, pager 54321, MRN: A-123456.",
    "naïve café Ürgüp İstanbul ſept 3 K 1999 \u212a fax 1234 \u0663/\u0664 \u00bd \u2028 line",
    "x" * 5000 + " Tasker " + "9" * 400 + " " + "Ab'" * 300,
    "O'Rourke and D'Angelo met Dr. K. Smith-Jones & Co. at St. Mary's Hospital in Baltimore, MD.",
    "\r\n".join(["MICU NPN 7P-7A", "NEURO: A&O X3.", "", "CV: HR 80'S SR.", "SOCIAL: WIFE MARY CALLED."]),
    "W. HOLLOWAY N. FAIRBANKS W. DELACROIX\t\tin 1992 since  2001 of\n1950 year 2020 '92 age 95 a 93 yo 101 years",
    "Jan. 3, 2001; 3rd of June 1999; march of 1993; Sept 12 '04",
    "mail jane.doe@example.org or see https://example.org/a?b=1 and www.Example.com.",
    "SSN 123-45-6789, 9/123-45-6789, acct no. 99887766, Policy # X12345, member id 7788-99.",
    "TKR 71'. in oct. since  Nov, during DEC then in may be; 1984 1960 1959 2001, 5'10\" 30'' from june 3",
    "no digits at all: seen in oct, by Dr. Art Young and husband Zorvan at Good Samaritan",
]


@pytest.fixture(scope="module")
def model() -> PhiModel:
    return PhiModel.load(find_model("phi-physionet"))


def _assert_same(model: PhiModel, texts: list[str], scorer: BatchScorer) -> None:
    for text, note in zip(texts, scorer.score(texts)):
        us, candidates, probs = model.unit_probabilities(text)
        assert note.starts.tolist() == [u.start for u in us]
        assert note.ends.tolist() == [u.end for u in us]
        assert note.candidates.tolist() == list(candidates)
        assert note.probs.shape == probs.shape
        assert np.array_equal(note.probs, probs), text[:60]


@pytest.mark.parametrize("batch", [1, 3, len(TRICKY)])
def test_batch_scorer_gives_the_same_floats(model, batch):
    scorer = BatchScorer(model)
    for begin in range(0, len(TRICKY), batch):
        _assert_same(model, TRICKY[begin : begin + batch], scorer)


def test_batch_scorer_survives_a_table_reset(model, monkeypatch):
    monkeypatch.setattr(phi_vocab, "_MAX_ROWS", 50)
    scorer = BatchScorer(model)
    for text in TRICKY * 2:
        _assert_same(model, [text, text.upper()], scorer)


def test_predict_many_is_predict(model):
    for threshold in (None, 0.3):
        assert model.predict_many(TRICKY, threshold) == [model.predict(t, threshold) for t in TRICKY]


def test_unit_strings_add_up_to_the_units():
    for text in TRICKY:
        position, found = 0, []
        for piece in unit_strings(text):
            space, unit = split_space(piece)
            position += len(space)
            found.append((position, unit))
            position += len(unit)
        assert found == [(u.start, u.text) for u in units(text)]


def test_gated_rules_equal_the_plain_rules():
    rnd = random.Random(7)
    alphabet = "0123456789 -/().+:#'\n\tAaMmRrNnIiDdPpGgEeYyOoCcHhTtSsJjUuLlBbFfWwVvKk@*[]"
    texts = list(TRICKY)
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60))) for _ in range(3000)]
    texts += [rnd.choice(TRICKY[9:]) + rnd.choice(["", " ", "\n", "1", "-"]) + rnd.choice(TRICKY[9:]) for _ in range(300)]
    for text in texts:
        assert rule_spans(text) == rule_spans_plain(text), text[:60]


def test_note_case_fast_path():
    def slow(text: str) -> str:
        letters = upper = 0
        for ch in text[:4000]:
            if ch.isalpha():
                letters += 1
                upper += ch.isupper()
        if not letters:
            return "mixed"
        share = upper / letters
        return "upper" if share > 0.7 else "lower" if share < 0.08 else "mixed"

    for text in TRICKY + ["A" * 3999 + "bbbb", "ab" * 3000, "123 !!"]:
        assert note_case(text) == slow(text)


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_pipe_equals_find(nlp, batch_size):
    phi = nlp.get_pipe("phi")
    docs = [nlp.make_doc(t) for t in TRICKY]
    got = [doc._.phi for doc in phi.pipe(docs, batch_size=batch_size)]
    assert got == [phi.find(t) for t in TRICKY]
    assert got == [nlp(t)._.phi for t in TRICKY]


def test_propagate_ascii_path_equals_the_regex():
    import re

    from medtext.pipeline.phi_mentions import _mentions

    def regex(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pattern = re.compile(r"(?<![A-Za-z'])(?:" + alternatives + r")(?![A-Za-z])", re.IGNORECASE)
        return [(m.start(), m.end(), words[m.group().lower()]) for m in pattern.finditer(text)]

    rnd = random.Random(11)
    pool = ["ann", "anna", "o'neil", "neil", "abc", "abcd", "bc'd", "mary's"]
    pieces = pool + [" ", "'", "x", "A", "-", "\n", "ANNA", "O'NEIL", "Mary's"]
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        words = {w: rnd.choice(["NAME", "LOCATION"]) for w in rnd.sample(pool, rnd.randint(1, 4))}
        assert _mentions(text, words) == regex(text, words), text


def test_ascii_unit_pattern_equals_the_unicode_one():
    # the ASCII fast path of unit_strings must cut every ASCII text as the Unicode pattern does: words with
    # an apostrophe inside or at an edge, digits glued to letters, dates, phones, punctuation, whitespace runs
    from medtext.pipeline import phi_units

    rnd = random.Random(5)
    pieces = ["O'Rourke", "Ab'", "'92", "a'b'c", "x''y", "7/23", "1/2/", "12/2019", "410-555-0199", "(617) 555",
              "98.6", "fx4/97", "WESTWING3", " ", "  ", "\t", "\n", "\r", ".", "-", "_", "#", "\x0b", "\x1f", "~"]
    texts = TRICKY[:11] + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    for text in filter(str.isascii, texts):
        assert phi_units.unit_strings(text) == phi_units._UNIT_FLAT.findall(text), text


def _eponym_in_note_reference(text, start, end):
    """eponym_in_note as it was before the per-note index: every span searches the whole note."""
    import re

    from medtext.pipeline import phi_eponym_filters as f

    if f.after_title(text, start) or f.person_before(text, start):
        return False
    words = f._CAPITALISED_WORD.findall(text, start, end)
    if not words or len(words) > 3:
        return False
    for word in set(words):
        for m in re.finditer(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text):
            at, after = m.start(), m.end()
            if not (at < end and start < after) and not f.after_title(text, at) \
                    and (f.eponym_condition(text, at, after) or f.eponym_device(text, at, after) or f.noun_after(text, after)):
                break
        else:
            return False
    return True


def test_eponym_in_note_equals_the_whole_note_search():
    # the per-note index of capitalised words must find exactly the mentions a search of the note finds
    import re

    from medtext.pipeline.phi_eponym_filters import _NoteEponyms, eponym_in_note

    rnd = random.Random(13)
    pieces = ["Quellin", "Quellins", "xQuellin", "Quellin's", "-Quellin", "Que", " ", "\n", "Ab", "Abab", "é", "1", ".",
              " shunt", " syndrome", " cath", "Dr. ", "Mr ", "seen by ", "the ", "Guillain-Barre", "McQuellin"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        index = _NoteEponyms(text)
        for word in ("Quellin", "Abab", "Que", "Quellins", "Guillain", "Barre"):
            expected = [m.start() for m in re.finditer(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)]
            assert index.where.get(word, []) == expected, (text, word)
        for m in re.finditer(r"[A-Za-z][A-Za-z' -]*", text):
            start, end = m.start(), m.end()
            assert eponym_in_note(text, start, end) == _eponym_in_note_reference(text, start, end), (text, start, end)


def test_eponym_in_note_looks_at_each_mention_once_per_note(monkeypatch):
    # a note that repeats its names must not make every name span check every mention again (quadratic):
    # twice the note, about twice the checks, not four times
    from medtext.pipeline import phi_eponym_filters

    calls = []
    real = phi_eponym_filters.after_title
    monkeypatch.setattr(phi_eponym_filters, "after_title", lambda text, at: calls.append(at) or real(text, at))
    note = "The right Quellin shunt is patent. Flow in the Quellin is good. Mary Smith came with John Smith.\n"
    counts = []
    for reps in (50, 100):
        text = note * reps
        calls.clear()
        for m in re.finditer(r"Quellin|Mary Smith|John Smith", text):
            phi_eponym_filters.eponym_in_note(text, m.start(), m.end())
        counts.append(len(calls))
    assert counts[1] <= 2.2 * counts[0], counts


def test_code_word_gate_equals_the_cue_words():
    # world_towns looks for "75008 Paris" only in notes with a four- or five-digit word (as cue_words splits them)
    from medtext.pipeline.phi_world_towns import _CODE_WORD
    from medtext.pipeline.phi_words import cue_words

    rnd = random.Random(17)
    pieces = ["1234", "12345", "123", "123456", "7", " ", "-", "/", ",", "\n", "a", "Z", "é", "\u212a", "_", "\u0663"]
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 6)))
        expected = any(w.isdigit() and 4 <= len(w) <= 5 for w in cue_words(text))
        assert bool(_CODE_WORD.search(text)) == expected, text


def test_towns_before_countries_after_any_comma():
    # the country's first word is looked up before the town: every comma followed by a country still counts
    from medtext.pipeline.phi_post import world_towns

    cases = {
        "Born in Nairobi, Kenya.": ["Nairobi"],
        "Leeds,UK and Lyon, france": ["Leeds"],
        "moved from Mombasa,\tNew Zealand; then Christchurch, New Zealand": ["Mombasa", "Christchurch"],
        "seen today, Kenya, then Nairobi, Kenya": ["Nairobi"],
    }
    for text, towns in cases.items():
        assert [text[s:e] for s, e, _ in world_towns(text)] == towns, text


def test_word_rows_equal_the_feature_strings():
    # the batch path looks a word's case-free features up once per lower-case word: every spelling and note
    # case must still get the rows of its own feature strings, in the same order (the sums depend on it)
    words = ["Tasker", "TASKER", "tasker", "TaSKer", "T", "t", "O'Rourke", "o'rourke", "Mary", "MARY", "mary", "Boston",
             "boston", "Hospital", "HOSPITAL", "Monday", "the", "The", "THE", "García", "GARCÍA", "garcia", "Josée",
             "Straße", "Zorvan", "ZORVAN", "Dr", "DR", "dr", "aspirin", "Aspirin", "McDonald", "MCDONALD", "xqzwv",
             "Marys", "Mar", "Ann", "Anne", "annex", "Tas", "Bos", "Bost"]  # near spellings: no part shared by mistake
    model = PhiModel.load(find_model("phi-physionet"))  # a fresh model: nothing cached yet
    index = model._own_index
    for case in ("upper", "lower", "mixed"):
        for word in words:
            expected = [row for row in map(index.get, intrinsic_features(word, "WORD", case)) if row is not None]
            assert model._word_rows(word, "WORD", case) == expected, (word, case)
    assert model._word_parts  # the ASCII words' parts were kept


def test_range_overlap_test_equals_the_scan_of_every_range():
    # consistent_mentions asks, for every span, whether a sure detection overlaps it: by binary search, as the scan said
    from medtext.pipeline.phi_mentions import range_overlap_test

    rnd = random.Random(23)
    for _ in range(2000):
        ranges = []
        for _ in range(rnd.randint(0, 8)):
            a = rnd.randint(0, 30)
            ranges.append((a, a + rnd.randint(0, 12)))
        overlaps = range_overlap_test(ranges)
        for _ in range(10):
            start = rnd.randint(0, 40)
            end = start + rnd.randint(0, 10)
            assert overlaps(start, end) == any(a < end and start < b for a, b in ranges), (ranges, start, end)


def test_consistent_mentions_does_not_scan_the_sure_ranges_per_span(monkeypatch):
    # a long note with thousands of detections: each span used to scan every sure range (quadratic)
    from medtext.pipeline import phi_mentions

    sure = [(i * 10, i * 10 + 5) for i in range(2000)]
    seen = []

    class Counted(list):
        def __iter__(self):
            seen.append(1)
            return super().__iter__()

    text = "Kowalczyk saw Smith. " * 1000
    spans = [(m.start(), m.end(), "NAME") for m in re.finditer(r"Kowalczyk|Smith", text)]
    phi_mentions.consistent_mentions(text, spans, sure=Counted(sure))
    assert len(seen) <= 2, len(seen)


def test_range_index_covers_equals_the_scan_of_every_range():
    # the abbreviation component asks whether a use lies inside a definition's short form
    from medtext.pipeline.range_index import RangeIndex

    rnd = random.Random(29)
    for _ in range(2000):
        ranges = [(a, a + rnd.randint(0, 6)) for a in (rnd.randint(0, 30) for _ in range(rnd.randint(0, 6)))]
        index = RangeIndex(ranges)
        for position in range(-1, 40):
            assert index.covers(position) == any(a <= position < b for a, b in ranges), (ranges, position)
