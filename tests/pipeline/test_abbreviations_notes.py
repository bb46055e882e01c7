"""The abbreviations component on clinical-note style text (hand-written sentences, no corpus text).

Notes put many things in brackets that are not definitions: brand names, tumour
stages, finger-stick glucose glued to a word, capitalised words in all-caps text.
Definitions written in note style must still be found.
"""

import pytest

from medtext.pipeline.abbreviations import defined_pairs, find_abbreviations

NOTE_DEFINITIONS = [
    ("She reports shortness of breath (SOB) on exertion.", {("SOB", "shortness of breath")}),
    ("SOB (shortness of breath) is worse when lying flat.", {("SOB", "shortness of breath")}),
    ("ADMITTING DIAGNOSIS:,  Cerebrovascular accident (CVA).", {("CVA", "Cerebrovascular accident")}),
    ("Remote history of CVA (cerebrovascular accident) in 2004.", {("CVA", "cerebrovascular accident")}),
    ("Hemoglobin (Hgb) was 10.9 this morning.", {("Hgb", "Hemoglobin")}),
    ("Cefazolin 2 g intravenous (IV) was given.", {("IV", "intravenous")}),
    ("He was taken to the operating room (OR) on 04/02/2011.", {("OR", "operating room")}),
    ("Status post (s/p) appendectomy.", {("s/p", "Status post")}),
    # the plural sits on the first word of the long form
    ("Her activities of daily living (ADLs) are intact.", {("ADLs", "activities of daily living")}),
    # the edition of a test, spelled out after its name
    ("Tests given:,Boston Naming Test, Second Edition (BNT-2),Token Test", {("BNT-2", "Boston Naming Test, Second Edition")}),
    ("Wechsler Adult Intelligence Scale, Fourth Edition (WAIS-IV) was given.", {("WAIS-IV", "Wechsler Adult Intelligence Scale, Fourth Edition")}),
    ("The Dementia Rating Scale, 2nd Edition (DRS-2) was normal.", {("DRS-2", "Dementia Rating Scale, 2nd Edition")}),
    # a route/frequency code with a word-initial match still counts
    ("Levels of heparan sulfate (HS) were low.", {("HS", "heparan sulfate")}),
    # a number that ends the name too is part of the short form
    ("Levels of protease-activated receptor 2 (PAR 2) rose.", {("PAR 2", "protease-activated receptor 2")}),
    # a weak match inside the first word is kept when that word is the short form itself
    ("We then studied B2R knockout mice (B2R(-/-)) for six weeks.", {("B2R(-/-)", "B2R knockout mice")}),
    # a trademark sign ends the name but is not part of the long form
    ("BECK ANXIETY INVENTORY© (BAI) RESULTS:, Mild.", {("BAI", "BECK ANXIETY INVENTORY")}),
]

NOT_NOTE_DEFINITIONS = [
    # brand and generic names of one drug
    "The chamber was re-formed with viscoelastic (Viscoat) before closure.",
    "Amoxicillin (Amoxil) 500 mg by mouth three times daily.",
    "Cipro (ciprofloxacin) 500 mg twice daily for seven days.",
    "She used nebulized tobramycin (Tobi) twice daily.",
    # a lower-case word in brackets with a weak match
    "The low-dose, antidotal (dental) plan was stopped.",
    # a possessive is not the start of a long form
    "I take it for my problem of Major Depressive Disorder (MMD) and sleep.",
    # a tumour stage
    "Pathology suggests two separate primary tumors (pT1) in the left lung.",
    "Final stage of the primary tumor (ypT2a) after chemoradiation.",
    # a glued bracket with a weak match: FS is the finger stick
    "Plan: encourage fluids, follow glucose(FS), watch for CHF.",
    # all SF letters inside the first word, the other words unused ("OLD" is a word)
    "CATH: LIMA TO LAD-OCCLUDED SVG RAMUS/OM (OLD)--ELEVATED FILLING PRESSURES.",
    # route and frequency codes after a drug
    "Prednisone (PO) taper was started today.",
    "Tizanidine (TID) was added for muscle spasms.",
    "Budesonide (BID) inhaler was continued.",
    # a short form with a value: a measurement, mostly evidence for what precedes it
    "Hemoglobin (Hgb 10.4) was stable overnight.",
    "Blood pressure (BP 142/86) was rechecked.",
    "She was diagnosed with hypothyroidism (TSH 12.8) last spring.",
    # a transcriptionist's note that the spelling is unsure
    "He was given Sporanox (sp?) for the fungal infection.",
    "She takes Spiriva (sp) every morning.",
    # an edition that does not match the short form's number
    "Boston Naming Test, Third Edition (BNT-2) was given.",
    # the usual note brackets
    "Pain is 8/10 (8/10) and worse at night (x3).",
    "Lisinopril (10 mg) daily; vitals (BP 132/80, HR 88) stable (see above).",
    "Zofran (ondansetron) 4 mg was given for nausea.",
]


@pytest.mark.parametrize(("text", "expected"), NOTE_DEFINITIONS)
def test_note_style_definitions(text, expected):
    assert defined_pairs(text) == expected


@pytest.mark.parametrize("text", NOT_NOTE_DEFINITIONS)
def test_note_brackets_that_are_not_definitions(text):
    assert defined_pairs(text) == set()


def test_no_false_definition_no_false_uses():
    text = "Amoxicillin (Amoxil) 500 mg. Amoxil was stopped. The tumors (pT1) were small; pT1 again."
    assert find_abbreviations(text) == []


def test_offsets_index_the_original_text():
    text = "ZUNG SELF-RATING DEPRESSION SCALE© (SDS) RESULTS:, SDS score 38."
    found = find_abbreviations(text)
    assert [text[a["start"] : a["end"]] for a in found] == ["SDS", "SDS"]
    assert {a["long"] for a in found} == {"SELF-RATING DEPRESSION SCALE"}


def test_upper_case_words_are_not_uses_of_a_word_like_short_form():
    text = (
        "He went to the operating room (OR) or the ward. REVIEW OF SYSTEMS: NO FEVER OR CHILLS. "
        "Back to the OR on day 2."
    )
    starts = [a["start"] for a in find_abbreviations(text)]
    assert starts == [text.index("(OR") + 1, text.index("the OR") + 4]


def test_upper_case_lists_keep_uses_of_a_short_form_that_is_no_word():
    text = "End-stage renal disease (ESRD) on dialysis. DIAGNOSES: HTN, ESRD, CHF."
    starts = [a["start"] for a in find_abbreviations(text)]
    assert starts == [text.index("ESRD"), text.index("ESRD, CHF")]
