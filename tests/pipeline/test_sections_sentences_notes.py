"""Sentences and sections on clinical notes as they are written (audit of MTSamples / PhysioNet styles).

The texts are hand-written in the style of the notes, not copied from a corpus.
"""

import pytest
import spacy

from medtext.pipeline.sections import SectionDetector
from medtext.pipeline.sentences import find_sentence_starts


def sentences(text, forced=()):
    starts = find_sentence_starts(text, forced)
    ends = starts[1:] + [len(text)]
    return [text[s:e].strip() for s, e in zip(starts, ends)]


@pytest.fixture(scope="module")
def detector():
    return SectionDetector(spacy.blank("en"))


# --- transcribed notes: a comma stands for a line break -------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        # ".," with no space after it is a line break too
        (
            "The flap was soaked in saline.,The dura was opened.",
            ["The flap was soaked in saline.,", "The dura was opened."],
        ),
        (
            "Vitals stable.,GENERAL:  Awake, no distress.,HEENT:  Pupils equal.",
            ["Vitals stable.,", "GENERAL:  Awake, no distress.,", "HEENT:  Pupils equal."],
        ),
        # numbered items: the number starts the item's sentence, never ends the previous one
        (
            "Stable appearance since last year.,2.  No mass near the scar.",
            ["Stable appearance since last year.,", "2.  No mass near the scar."],
        ),
        (
            "Chest pain, ruled out.,12.  Hypokalemia, replaced.,13.  Anemia.",
            ["Chest pain, ruled out.,", "12.  Hypokalemia, replaced.,", "13.  Anemia."],
        ),
        # a header's ":," before a numbered item is a line break, as "PLAN:\n1. Rest."
        ("PLAN:,1.  Start omeprazole.,2.  Recheck in May.", ["PLAN:,", "1.  Start omeprazole.,", "2.  Recheck in May."]),
        ("IMPRESSION: ,1. Mild ischemia.", ["IMPRESSION: ,", "1. Mild ischemia."]),
        # a comma after the sentence's space belongs to no sentence start
        ("Right knee pain. ,Denies fever.", ["Right knee pain. ,", "Denies fever."]),
    ],
)
def test_transcribed_line_breaks(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Given 500 mg p.o.,then held.",  # lowercase after an abbreviation continues
        "Drugs, e.g.,Tylenol, help.",  # never-ending abbreviation
        "Ratio 2:,1 was seen.",  # not a numbered item
        "HCT 32.5, K 4.1, Na 139.",  # decimals
    ],
)
def test_transcribed_non_boundaries(text):
    assert len(sentences(text)) == 1


def test_transcribed_breaks_keep_offsets():
    text = "Pain resolved.,Plan discussed.,3.  Follow up."
    starts = find_sentence_starts(text)
    assert [text[i : i + 4] for i in starts] == ["Pain", "Plan", "3.  "]
