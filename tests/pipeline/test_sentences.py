import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.sentences import find_sentence_starts, sentence_texts as sentences
from medtext.pipeline.tokenizer import UPPER_WORD_PERIOD



@pytest.mark.parametrize(
    "text,expected",
    [
        ("Seen by Dr. Smith today. He is well.", ["Seen by Dr. Smith today.", "He is well."]),
        ("Drugs, e.g. aspirin, help. Others do not.", ["Drugs, e.g. aspirin, help.", "Others do not."]),
        ("A vs. B was compared. It worked.", ["A vs. B was compared.", "It worked."]),
        ("Risk fell (p < 0.05. n = 30). Next step.", ["Risk fell (p < 0.05. n = 30).", "Next step."]),
        ("Levels of vitamin D. The dose was 5 mg.", ["Levels of vitamin D.", "The dose was 5 mg."]),
        ("Apoptosis was seen. p16(INK4a) was high.", ["Apoptosis was seen.", "p16(INK4a) was high."]),
        ("Take 10 mg b.i.d. and rest.", ["Take 10 mg b.i.d. and rest."]),
        ("As shown by Smith et al. The effect held.", ["As shown by Smith et al.", "The effect held."]),
        ("See Fig. 2 for details. Done.", ["See Fig. 2 for details.", "Done."]),
        ("MEDICATIONS\nAspirin 81 mg\nMetformin 500 mg", ["MEDICATIONS", "Aspirin 81 mg", "Metformin 500 mg"]),
        ("Plan:\n1. Aspirin.\n2. Statin.", ["Plan:", "1. Aspirin.", "2. Statin."]),
        ("The patient has a long history of poorly controlled\ndiabetes and hypertension.", ["The patient has a long history of poorly controlled\ndiabetes and hypertension."]),
        ("First paragraph without period\n\nSecond paragraph", ["First paragraph without period", "Second paragraph"]),
        ('It is called " FAR therapy. " In this study we looked.', ['It is called " FAR therapy. "', "In this study we looked."]),
        ("Is it pain? Yes.", ["Is it pain?", "Yes."]),
        ("NO. Nitric oxide", ["NO.", "Nitric oxide"]),
        # a line break transcribed as a period without a space (nursing notes)
        ("NO CHANGES IN RESP STATUS.B/S DIMINISHED BILAT.", ["NO CHANGES IN RESP STATUS.", "B/S DIMINISHED BILAT."]),
        ("SEEN BY DR.SMITH TODAY.", ["SEEN BY DR.SMITH TODAY."]),
    ],
)
def test_sentence_rules(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_sentences(text):
    assert find_sentence_starts(text) == []


def test_forced_starts_are_kept():
    assert find_sentence_starts("abc def ghi", forced=[4]) == [0, 4]


def test_component_sets_sentences(nlp):
    doc = nlp("CHIEF COMPLAINT: Cough.\nNo fever. Seen by Dr. Smith.,MEDICATIONS: , Aspirin.\nPLAN:\nRest.")
    assert [s.text.strip() for s in doc.sents] == [
        "CHIEF COMPLAINT: Cough.", "No fever.", "Seen by Dr. Smith.,", "MEDICATIONS: , Aspirin.", "PLAN:", "Rest."
    ]


# The plain form of the terminal-punctuation pattern: the shipped one adds a lookbehind and a
# possessive quantifier only to scan long runs of marks once.
_PLAIN_TERMINAL = (
    r"[.!?]+(?:[\"'”’)\]]+|,)?(?=\s)|[.!?]+[\"'”’)\]]*,(?=[^\s,])"
    r"|[:A-Z][ \t]*,(?=[ \t]*\d{1,2}[.)][ \t])|\n[ \t\r\f\v]*\n|\n"
)
_PIECES = [". ", "...", "!", "?!", "\n", "\n\n", "a", "b ", "C", "Dr", "e.g", "(", ")", '"', ".)", ".,", " ", "fig", "1", "p53",
           ",", ":", "1. ", "PLAN"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_terminal_pattern_finds_the_plain_pattern_s_boundaries(pieces):
    import re

    from medtext.pipeline import sentences

    text = "".join(pieces)
    assert [m.span() for m in sentences._TERMINAL.finditer(text)] == [m.span() for m in re.finditer(_PLAIN_TERMINAL, text)]


def test_long_runs_of_periods_are_scanned_once():
    # a run not followed by a space is no boundary; the plain pattern rescanned it from every mark
    text = "Pain" + "." * 20_000 + "x. Fever" + "!" * 20_000
    assert find_sentence_starts(text) == [0, text.index("Fever")]


# The boundary pattern as first written (alternatives side by side); the shipped one matches its first
# character from a set, for speed, and must find exactly the same matches.
_PLAIN_TERMINAL = re.compile(
    r"(?<![.!?])[.!?]++(?:(?:[\"'”’)\]]+|,)?(?=\s)|[\"'”’)\]]*+,(?=[^\s,]))"
    r"|[:A-Z][ \t]*+,(?=[ \t]*\d{1,2}[.)][ \t])|\n[ \t\r\f\v]*\n|\n"
    rf"|{UPPER_WORD_PERIOD}"
)


def _matches(pattern, text):
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=".!?:,;ABDRSTZaz09@ \t\n\r\f\"'”’)](x-", max_size=30))
def test_terminal_pattern_matches_like_the_plain_alternatives(text):
    from medtext.pipeline.sentences import _TERMINAL

    assert _matches(_TERMINAL, text) == _matches(_PLAIN_TERMINAL, text)


@pytest.mark.parametrize("text", [
    "Pain.  Dr. Smith saw her!? \"Yes.\" Then, (p < 0.05.) next",
    "PLAN:,1.  Rest. PLAN,2. Walk. A ,3) x",
    "a\n\n  \nb\n \t\nc\r\n.\n" + "." * 500 + " X",
    "pain.,He pain.,  He ok.\", x) fine.]y",
    "Cough\n,1. Rest.\n\n,2) Walk.!,3. x?, 4. y:,5) z",
    "RESP STATUS.B/S DIMINISHED. DR.SMITH SAW HIM.NO PAIN. aST.Ok WWW.EXAMPLE.COM",
])
def test_terminal_pattern_matches_like_the_plain_alternatives_on_notes(text):
    from medtext.pipeline.sentences import _TERMINAL

    assert _matches(_TERMINAL, text) == _matches(_PLAIN_TERMINAL, text)
