"""Sentence boundaries in notes written in capitals (PhysioNet style), titles after a comma,
and what must keep splitting."""

import re

import pytest

from medtext.pipeline.lowercase_notes import CaseProfile
from medtext.pipeline.sentences import find_sentence_starts, sentence_texts as sentences


# In a note written in capitals, an abbreviation or initial before a capital ends nothing by itself.
JOINED = [
    (
        "FAMILY AT BEDSIDE. AT 0040 PT. BECAME ASYSTOLIC, NO BP. DR. YANCEYVILLE NOTIFIED.",
        ["FAMILY AT BEDSIDE.", "AT 0040 PT. BECAME ASYSTOLIC, NO BP.", "DR. YANCEYVILLE NOTIFIED."],
    ),
    (
        "RESPIRATORY CARE: PT. WITH 7.5 ORAL ETT AT 23 LIP. SX FOR THICK YELLOW SPUTUM.",
        ["RESPIRATORY CARE: PT. WITH 7.5 ORAL ETT AT 23 LIP.", "SX FOR THICK YELLOW SPUTUM."],
    ),
    (
        "BP STABLE ON DOPA OVERNIGHT. THIS AM PT. BECOMING HYPOTENSIVE.",
        ["BP STABLE ON DOPA OVERNIGHT.", "THIS AM PT. BECOMING HYPOTENSIVE."],
    ),
    (
        "RESP CARE,\nPT. REMAINS ON CPAP IPS5/.4/5PEEP. VT 400.",
        ["RESP CARE,\nPT. REMAINS ON CPAP IPS5/.4/5PEEP.", "VT 400."],
    ),
    # a word that continues a phrase does not start a sentence after a dotted abbreviation
    (
        "OTHER: SEEN BY P.T. FOR EXERCISES IN BED THIS AM. PT CONT TO C/O PAIN.",
        ["OTHER: SEEN BY P.T. FOR EXERCISES IN BED THIS AM.", "PT CONT TO C/O PAIN."],
    ),
    (
        "VT'S ARE 300-500, AND RESP. RATE RANGES FROM 14-24. BP STABLE.",
        ["VT'S ARE 300-500, AND RESP. RATE RANGES FROM 14-24.", "BP STABLE."],
    ),
    (
        "REMAINS ON CPAP 40% 5PEEP WITH TIDAL VOL. 400-500. SATS WNL.",
        ["REMAINS ON CPAP 40% 5PEEP WITH TIDAL VOL. 400-500.", "SATS WNL."],
    ),
    # initials: in a signature line, after PER or a title, and at a sentence's start
    (
        "SX FOR THICK YELLOW SPUTUM.\n \n DAN A. WALDRON-GORHAM, RRT\n",
        ["SX FOR THICK YELLOW SPUTUM.", "DAN A. WALDRON-GORHAM, RRT"],
    ),
    (
        "MILRINONE OFF AS PER W. VANTERPOOL. NO ECTOPY. PRONOUNCED BY DR. L. LINDELL. FAMILY IN.",
        ["MILRINONE OFF AS PER W. VANTERPOOL.", "NO ECTOPY.", "PRONOUNCED BY DR. L. LINDELL.", "FAMILY IN."],
    ),
    (
        "LAB: INR THIS AM 6.0. E. WELSH AWARE. PT RECEIVED 2 FFP.",
        ["LAB: INR THIS AM 6.0.", "E. WELSH AWARE.", "PT RECEIVED 2 FFP."],
    ),
    # a one-letter label (D/A/R/P, S/O/A/P) stays with what it labels
    (
        "D. WIFE IN THIS AM. A. DR GIAMBRONE SPOKE WITH WIFE.",
        ["D. WIFE IN THIS AM.", "A. DR GIAMBRONE SPOKE WITH WIFE."],
    ),
    # shortened adjectives, and shortened words before a word that continues their phrase
    (
        "THIS AM PT. BECOMING SL. HYPOTENSIVE. REQUIRING LG. AMTS VOLUME. 3 SM. STOOLS.",
        ["THIS AM PT. BECOMING SL. HYPOTENSIVE.", "REQUIRING LG. AMTS VOLUME.", "3 SM. STOOLS."],
    ),
    (
        "CHANGED TO DIAMOX BID SECOND. TO ALKALOSIS. IS USING IT FREQ. WITH NO DIFFICULTY. C+R.",
        ["CHANGED TO DIAMOX BID SECOND. TO ALKALOSIS.", "IS USING IT FREQ. WITH NO DIFFICULTY.", "C+R."],
    ),
    (
        "ATROPINE AT THE BEDSIDE. CONT. ON NEO DRIP. ABD. SL. DISTENDED.",
        ["ATROPINE AT THE BEDSIDE.", "CONT. ON NEO DRIP.", "ABD. SL. DISTENDED."],
    ),
    # a question mark alone is no sentence
    (
        "UNABLE TO WEDGE CATHETER. HO AWARE. ? TOO FAR OUT PER CXR.",
        ["UNABLE TO WEDGE CATHETER.", "HO AWARE.", "? TOO FAR OUT PER CXR."],
    ),
]

# Real sentence ends in notes written in capitals: these must keep splitting.
SPLIT = [
    (
        "OOB TO CHAIR, VERY WEAK. TO BE SEEN BY PT. E/D FAIR C ASSIST. DRUG RASH OVER BACK.",
        ["OOB TO CHAIR, VERY WEAK.", "TO BE SEEN BY PT.", "E/D FAIR C ASSIST.", "DRUG RASH OVER BACK."],
    ),
    (
        "RENAL FOLLOWING PT. PT RECEIVED 1ST UNIT PRBC'S. ABG SENT AFTER PS DEC. PT CONT SEDATED.",
        ["RENAL FOLLOWING PT.", "PT RECEIVED 1ST UNIT PRBC'S.", "ABG SENT AFTER PS DEC.", "PT CONT SEDATED."],
    ),
    (
        "BOTH WORKED TO SEDATE PT. OPENS EYES TO VOICE. FAMILY IN TO SEE PT. PLEASED WITH PROGRESS.",
        ["BOTH WORKED TO SEDATE PT.", "OPENS EYES TO VOICE.", "FAMILY IN TO SEE PT.", "PLEASED WITH PROGRESS."],
    ),
    (
        "SUCTIONED Q2-3 HRS. COARSE BREATH SOUNDS. OOB TO CHAIR FOR 1 1/2 HRS. TOL WELL.",
        ["SUCTIONED Q2-3 HRS.", "COARSE BREATH SOUNDS.", "OOB TO CHAIR FOR 1 1/2 HRS.", "TOL WELL."],
    ),
    (
        "RECEIVING INHALERS VIA RESP. SX-THICK CREAMY SPUTUM. WIFE STAYED WITH PT. NEURO: SEDATED.",
        ["RECEIVING INHALERS VIA RESP.", "SX-THICK CREAMY SPUTUM.", "WIFE STAYED WITH PT.", "NEURO: SEDATED."],
    ),
    (
        "TRANSFERRED TO GH ED. INTUBATED FOR RESP DISTRESS. WALKING WITH PT. AT 4:30 PM PT WAS FOUND.",
        ["TRANSFERRED TO GH ED.", "INTUBATED FOR RESP DISTRESS.", "WALKING WITH PT.", "AT 4:30 PM PT WAS FOUND."],
    ),
    # a shortened word before a new subject still ends its sentence
    (
        "CREAM APPLIED FREQ. ATIVAN CONT AT 5MG/HR. PNEUMO BOOTS CONT. FAMILY IN. GOOD AMTS. SEE I/O SHEET.",
        ["CREAM APPLIED FREQ.", "ATIVAN CONT AT 5MG/HR.", "PNEUMO BOOTS CONT.", "FAMILY IN.", "GOOD AMTS.", "SEE I/O SHEET."],
    ),
    # a one-letter word that ends a sentence
    (
        "STARTED ON LYMPOSOMAL AMPHO B. AWAITING ID CONSULT. PT GIVEN MG, CA, AND K. PT WAS ON AMIODARONE.",
        ["STARTED ON LYMPOSOMAL AMPHO B.", "AWAITING ID CONSULT.", "PT GIVEN MG, CA, AND K.", "PT WAS ON AMIODARONE."],
    ),
]

# Edited (mixed-case) text: titles after a comma, one-letter list markers; "Dr. X." still ends a sentence.
MIXED_CASE = [
    (
        "The retinal periphery is flat.,Ms. ABC is recovering well.",
        ["The retinal periphery is flat.,", "Ms. ABC is recovering well."],
    ),
    ("Patient seen,Dr. Adams called. Fine.", ["Patient seen,Dr. Adams called.", "Fine."]),
    (
        "Findings are below.,A.  Left main free of obstruction.,B.  LAD, subtotal stenosis.",
        ["Findings are below.,", "A.  Left main free of obstruction.,", "B.  LAD, subtotal stenosis."],
    ),
    (
        "She was seen in consultation by Dr. X.  She underwent a biopsy.",
        ["She was seen in consultation by Dr. X.", "She underwent a biopsy."],
    ),
    ("John A. Smith came. Pain at rest. Fever.", ["John A. ", "Smith came.", "Pain at rest.", "Fever."]),
]


@pytest.mark.parametrize(("text", "expected"), JOINED + SPLIT)
def test_capitals_note_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), MIXED_CASE)
def test_mixed_case_titles_and_letters(text, expected):
    got = sentences(text)
    assert got == [e.strip() for e in expected]


def test_uppercase_writer_profile():
    assert CaseProfile("PT. BECAME ASYSTOLIC. FAMILY IN.", frozenset()).uppercase_writer()
    assert not CaseProfile("Pt. became asystolic. FAMILY IN, HR 80.", frozenset()).uppercase_writer()
    assert not CaseProfile("PT. OK.", frozenset()).uppercase_writer()  # too few letters to tell


def test_offsets_point_at_sentence_starts():
    text = "AT 0040 PT. BECAME ASYSTOLIC.  E. WELSH AWARE."
    assert find_sentence_starts(text) == [0, text.index("E. WELSH")]


def test_physionet_capitals_notes(shared_corpora):
    from medtext.io.physionet import read_physionet

    notes = {note.id: note.text for note in read_physionet(shared_corpora / "physionet_deid" / "id.text")}
    text = notes["63-7"]  # "AT 0040 PT. BECAME ASYSTOLIC, NO BP. DR. <SURNAME> NOTIFIED ..."
    starts = find_sentence_starts(text)
    assert text.index("BECAME ASYSTOLIC") not in starts
    assert re.search(r"DR\. [A-Z]+ NOTIFIED", text).start() in starts
    text = notes["3-50"]  # "TO BE SEEN BY PT. E/D FAIR C ASSIST ." ends after "PT."
    assert text.index("E/D FAIR") in find_sentence_starts(text)
