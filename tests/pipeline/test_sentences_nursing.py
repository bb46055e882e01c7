"""Sentence boundaries in nursing notes (PhysioNet style): notes written in lower case,
lower-case field lines, labels after a period or a spaced dash - and what must not split."""

import pytest

from medtext.pipeline.lowercase_notes import CaseProfile, field_dash_starts
from medtext.pipeline.sentences import ABBREVIATIONS, TITLES, find_sentence_starts, sentence_texts as sentences



# Notes a writer typed without capitals: a period before a lower-case word ends a sentence.
LOWER_CASE = [
    (
        "neuro: remains off all sedation. min response to stimulation. no spon movement of extremities.",
        ["neuro: remains off all sedation.", "min response to stimulation.", "no spon movement of extremities."],
    ),
    (
        "o: id: afeb. wbc 15. cont on flagyl, ceftaz and vanco.",
        ["o: id: afeb.", "wbc 15.", "cont on flagyl, ceftaz and vanco."],
    ),
    (
        "gi- passed small amount reddish stool. dr darrow informed. he stated that this was expected.",
        ["gi- passed small amount reddish stool.", "dr darrow informed.", "he stated that this was expected."],
    ),
    # double spaces after the period, as some writers type them
    (
        "neuro  pt moaning yet denies pain.  afebrile.  pt wbc 16.3.  cont to receive levofloxacin.",
        ["neuro  pt moaning yet denies pain.", "afebrile.", "pt wbc 16.3.", "cont to receive levofloxacin."],
    ),
    # a unit abbreviation ends the sentence before a word that starts one, not before 'for'
    (
        "pt oob in chair x 4 hrs. tolerated well. suctioned q2-3 hrs. for thick secretions.",
        ["pt oob in chair x 4 hrs.", "tolerated well.", "suctioned q2-3 hrs. for thick secretions."],
    ),
    # shortened words keep their period inside the sentence ('cont. to', 'mod. amts', 'abd. soft')
    (
        "bp stable. cont. to monitor coags. and titrate. suctioned for mod. amts. of secretions. gi: abd. soft, distended.",
        ["bp stable.", "cont. to monitor coags. and titrate.", "suctioned for mod. amts. of secretions.",
         "gi: abd. soft, distended."],
    ),
    (
        "abg 7.27/33/87/15. met. acidosis. pt mech. ventilated, weaned.",
        ["abg 7.27/33/87/15.", "met. acidosis.", "pt mech. ventilated, weaned."],
    ),
    # titles and edited-text abbreviations keep theirs too
    (
        "fent increased per dr. maynard. pt comfortable. stable vs. tolerating ps wean. pt. received propofol.",
        ["fent increased per dr. maynard.", "pt comfortable.", "stable vs. tolerating ps wean.", "pt. received propofol."],
    ),
    # a question mark before a word marks it uncertain, it ends nothing
    (
        "awaiting cxr. ? recruitment breath vs. cpt. awaiting orders.",
        ["awaiting cxr.", "? recruitment breath vs. cpt.", "awaiting orders."],
    ),
]


@pytest.mark.parametrize("text,expected", LOWER_CASE)
def test_lower_case_note(text, expected):
    assert sentences(text) == expected


# Line breaks before a lower-case word: the writer broke a line the word would have fitted on
# (the note's longest line, here the first, shows it is not wrapped that narrow).
LONG = "CV: HR 80-90s SR, no ectopy, BP 100-120/60s on no pressors, pulses palpable.\n\n"
LINE_BREAKS = [
    (
        LONG + "PLAN: Monitor fluid balance\n stagger coreg and captopril\n advance diet as tolerated\n follow hct",
        ["PLAN: Monitor fluid balance", "stagger coreg and captopril", "advance diet as tolerated", "follow hct"],
    ),
    (
        LONG + "p: cont dopa, wean as tol\nmonitor/assess cardiac status\nf/u w/cardiology re: heart transplant",
        ["p: cont dopa, wean as tol", "monitor/assess cardiac status", "f/u w/cardiology re: heart transplant"],
    ),
    (
        LONG + "Await lasix order for low u/o.\nfollow temp curve. Cont abx.",
        ["Await lasix order for low u/o.", "follow temp curve.", "Cont abx."],
    ),
    (
        LONG + "afebrile on iv vanco\nlarge supportive family in and updated\na/p-stable",
        ["afebrile on iv vanco", "large supportive family in and updated", "a/p-stable"],
    ),
]


@pytest.mark.parametrize("text,expected", LINE_BREAKS)
def test_line_break_before_lower_case_word(text, expected):
    assert sentences(text)[1:] == expected


# Labels start sentences after a period in any note, and after a spaced dash.
LABELS = [
    (
        "Pt does not respond to verbal stimuli.  cv:  pt in st without ectopy.",
        ["Pt does not respond to verbal stimuli.", "cv:  pt in st without ectopy."],
    ),
    (
        "neuro: alert, no deficits - cv: hr 80s sr, no ectopy - resp: ls clear",
        ["neuro: alert, no deficits -", "cv: hr 80s sr, no ectopy -", "resp: ls clear"],
    ),
    ("CHIEF COMPLAINT -  REASON FOR VISIT: Pelvic pain.", ["CHIEF COMPLAINT -", "REASON FOR VISIT: Pelvic pain."]),
    ("neuro: no deficits -- plan: cont ncp", ["neuro: no deficits --", "plan: cont ncp"]),
]


@pytest.mark.parametrize("text,expected", LABELS)
def test_label_starts_sentence(text, expected):
    assert sentences(text) == expected


# What must stay one sentence.
NEGATIVES = [
    # lists, ranges and dashes inside a sentence
    "Allergies: Sulfa - anaphylaxis, PCN - rash.",
    "Dilaudid 5 - 10 mg q4h prn pain.",
    "hr 80 - 100 sr, bp 90 - 120/60.",
    "sputum sent revealed gram - rods and gram + cocci.",
    "ogt displaced @ this time - required multiple attempts to replace it - awaiting cxr.",
    "Drugs, e.g. - aspirin or heparin - were held.",
    "Her ABD was very taut - per the resident - surgery had nothing to offer.",
    # a label-like word after a dash inside a time: no spaced dash
    "seen 7a-7p: stable.",
    # edited literature in lower case after abbreviations and symbols
    "As shown by Smith et al. the effect held in mice.",
    "Cells were treated with approx. the same dose as before.",
    "Apoptosis was seen in E. coli cultures and in p53 null mice.",
    # a wrapped paragraph: the next word would not have fitted on the line
    "The patient has a long history of poorly controlled diabetes and of\nhypertension, treated with lisinopril.",
    "The patient is a 45-year-old woman seen today for pain that began\nthree days ago after a fall.",
    # a line ending in a continuation, and a lower-case line starting with one
    "pt given lasix 40 mg and\nkcl 20 meq po",
    "fio2 weaned to 40% with improvement\nof sats to 95%",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_stays_one_sentence(text):
    assert sentences(text) == [text]


def test_cased_note_keeps_lower_case_continuations():
    # A writer who capitalises: 'u/o. approx' stays, as before.
    text = "Pt resting. GU: Foley draining clear urine. approx 30cc/hr. Abd soft."
    assert sentences(text) == ["Pt resting.", "GU: Foley draining clear urine. approx 30cc/hr.", "Abd soft."]


@pytest.mark.parametrize(
    "text,lower",
    [
        ("afeb. wbc 15. cont on flagyl.", True),
        ("stool. dr informed.", True),  # one lower-case start and no capital
        ("Pain. Fever. Cough. rest.", False),
        ("Shown by Smith et al. the effect. Fig. 2 shows it.", False),  # abbreviations do not count
        ("No period followed by a word here", False),
    ],
)
def test_case_profile(text, lower):
    assert CaseProfile(text, ABBREVIATIONS | TITLES).lowercase_writer() is lower


def test_field_dash_starts_offsets_exact():
    text = "neuro: alert - cv: hr 80s\tx -\tgi: soft"
    starts = field_dash_starts(text)
    assert [text[i : i + 3] for i in starts] == ["cv:", "gi:"]


def test_physionet_lower_case_note_splits(shared_corpora):
    from medtext.io.physionet import read_physionet

    notes = {note.id: note.text for note in read_physionet(shared_corpora / "physionet_deid" / "id.text")}
    text = notes["45-15"]  # a note typed all in lower case: 15 sentences before, 40 or more now
    starts = find_sentence_starts(text)
    assert len(starts) >= 40
    assert all(not text[start].isspace() for start in starts)
    assert text.index("min response to stimulation") in starts
