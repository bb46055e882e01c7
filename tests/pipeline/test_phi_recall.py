"""PHI the ``phi`` component catches without the model's help (issue 4, recall): names after titles,
kin words and verbs of contact, name-like neighbours of names, hospitals and campuses, house numbers,
glued unit numbers, and years or months written alone; and ventilator settings it no longer takes for
dates (the precision that pays for the rest). Every text here is invented."""

from __future__ import annotations

import pytest

from medtext.pipeline.phi import combine
from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain
from medtext.pipeline.phi_post import cue_locations, cue_names, extend_addresses, extend_names


def found(text: str, model: list[tuple[int, int, str]] | None = None) -> list[tuple[str, str]]:
    """What the component outputs when the model found ``model`` (score 0.9) in ``text``."""
    from medtext.pipeline.phi_model import ModelSpan

    spans = [ModelSpan(s, e, label, 0.9) for s, e, label in (model or [])]
    return [(label, text[s:e]) for s, e, label in combine(text, rule_spans(text), spans)]


def span(text: str, phrase: str, label: str) -> tuple[int, int, str]:
    start = text.index(phrase)
    return (start, start + len(phrase), label)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("MRS PELLOWAY ASKED ABOUT VISITING HOURS.", "PELLOWAY"),
        ("Plan discussed with Mr. Quenneville at the bedside.", "Quenneville"),
        ("bp soft, dr bishop made aware, fluids given.", "bishop"),
        ("wants husband teodorin present for the talk.", "teodorin"),
        ("HER BROTHER DORIANO WILL BRING CLOTHES.", "DORIANO"),
        ("CONTACT: NIECE-TESSA, CELL ON FILE.", "TESSA"),
        ("night nurse talked with marguerite about the diet.", "marguerite"),
        ("ett advanced 2 cm by dr. brown, placement confirmed.", "brown"),  # a surname that is also a rare word
        ("RUN OF BIGEMINY. NORA QUELLTAN AWARE, MG GIVEN.", "NORA QUELLTAN"),  # first name + unknown word + aware
    ],
)
def test_cue_names(text, name):
    assert ("NAME", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "dr aware of the labs, will follow.",  # "aware" is no name
        "daughter in to visit, husband at the bedside.",  # "in" and "at" are no names
        "spoke with the team about the plan.",
        "sister-in-law called, wife updated.",
        "all labs given. dr. still to review.",  # a surname, but a word as common as "still"
        "bp low, neuro team aware; HO notified, will paged surg.",  # roles before "aware"
        "abg sent, will resp made aware.",  # a first name that is mostly an ordinary word
    ],
)
def test_cue_names_leave_ordinary_words(text):
    assert cue_names(text) == []


@pytest.mark.parametrize(
    ("text", "model", "expected"),
    [
        ("forms signed by social worker Orla Zwarkowich.", "Orla", "Orla Zwarkowich"),  # unknown surname after
        ("swallow eval done by anna louise verbitski this am.", "anna louise", "anna louise verbitski"),
        ("Consult note by Jonh O'Dwyer MD reviewed.", "O'Dwyer", "Jonh O'Dwyer"),  # typo before
        ("Renal recs from Dr. Art Young. Follow lytes.", "Art", "Art Young"),  # surname after "Dr. <first>"
        ("Plan per Dr Will Tesbury (fellow), recheck at noon.", "Tesbury", "Will Tesbury"),  # first name after a title
        ("HOME VISIT SET UP WITH J. VERDALINO FROM VNA.", "J", "J. VERDALINO"),  # after an initial
        ("notes signed: marisol t. quenwick bsn/rn", "marisol", "marisol t. quenwick"),  # over a middle initial
    ],
)
def test_names_grow_over_name_like_neighbours(text, model, expected):
    assert ("NAME", expected) in found(text, [span(text, model, "NAME")])


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("Kay RN aware of the plan.", "Kay"),  # a credential
        ("Seen by Kay today.", "Kay"),  # ordinary words
        ("husband Milo at the bedside.", "Milo"),
        ("dr quintaro persists with the plan.", "quintaro"),  # an ordinary lower-case verb
        ("Orla caseworker called.", "Orla"),  # a role word
        ("SEEN BY DR KLEINAU SO PLAN UNCHANGED.", "KLEINAU"),  # a common word in capitals after "Dr. <name>"
        ("W. MARZOTTI AWARE-WILL FOLLOW.", "W. MARZOTTI"),  # a compound
        ("HX: MI W CHF", "MI"),  # a single letter
        ("PATIENT ZORBAK PICC PLACED", "ZORBAK"),  # short capitals outside the name lists
    ],
)
def test_names_do_not_grow_over_ordinary_words(text, model):
    assert extend_names(text, [span(text, model, "NAME")]) == [span(text, model, "NAME")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bed offered at st. brigid hospital for tomorrow.", ("HOSPITAL", "st. brigid hospital")),
        ("Records faxed from Good Samaritan this morning.", ("LOCATION", "Good Samaritan")),
        ("MRI SCHEDULED AT THE KESTRELTON CAMPUS MONDAY.", ("LOCATION", "KESTRELTON CAMPUS")),
        ("FOLLOWED AT U OF NH MED CENTER FOR YEARS.", ("HOSPITAL", "U OF NH MED CENTER")),
        ("biopsy read at University of Pellham last year.", ("LOCATION", "University of Pellham")),
    ],
)
def test_cue_locations(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("pt transferred to zandrell-oakmere rehab facility at noon.", "zandrell-oakmere"),
        ("HE WORKS FOR QUILLBRANT HEALTH AS A DRIVER.", "QUILLBRANT"),
        ("son lives nearby in quillby and will visit.", "quillby"),
    ],
)
def test_places_before_facility_words_and_after_residence(text, place):
    assert place in [text[s:e] for s, e, _ in cue_locations(text)]


@pytest.mark.parametrize(
    "text",
    [
        "plan is cont rehab, prev hospital stay long.",  # short abbreviations
        "court appointed guardian; dad's clinic visit.",  # words ending like verbs, possessives
        "lives alone in apartment, living in fear.",  # ordinary words after "lives in"
    ],
)
def test_facility_and_residence_cues_leave_ordinary_words(text):
    assert cue_locations(text) == []


def test_model_names_inside_coded_terms_are_no_phi():
    """The Parkinson of a coded "Parkinson tremor" is no name, even when Dr. Parkinson is (and propagates).
    ("Parkinson disease" would not show it: a name before "disease" is an eponym anyway, see phi_filters.)"""
    from medtext.pipeline.phi_model import ModelSpan

    text = "Advanced Parkinson tremor; seen by Dr. Parkinson today."
    term = (text.index("Parkinson tremor"), text.index("Parkinson tremor") + len("Parkinson tremor"))
    model = [ModelSpan(*span(text, "Parkinson", "NAME"), 0.9), ModelSpan(text.rindex("Parkinson"), text.rindex("Parkinson") + 9, "NAME", 0.9)]
    assert [text[s:e] for s, e, _ in combine(text, rule_spans(text), model)] == ["Parkinson", "Parkinson"]
    kept = combine(text, rule_spans(text), model, terms=[term])
    assert [(s, text[s:e]) for s, e, _ in kept] == [(text.rindex("Parkinson"), "Parkinson")]


def test_coded_entities_give_the_terms():
    import spacy
    from spacy.tokens import Span

    from medtext.pipeline.extensions import register_extensions
    from medtext.pipeline.phi import _coded_terms

    register_extensions()
    doc = spacy.blank("en")("Parkinson disease and zorbitis")
    coded, uncoded = Span(doc, 0, 2, label="DISEASE"), Span(doc, 3, 4, label="DISEASE")
    coded._.codes = [{"system": "MESH", "code": "D010300"}]
    doc.ents = [coded, uncoded]
    assert _coded_terms(doc) == [(0, 17)]


def test_drug_names_the_model_took_for_names_are_dropped():
    text = "Allergies: Motrin. Given Natrecor, then saw Allegra Quenwick."
    model = [span(text, "Motrin", "NAME"), span(text, "Natrecor", "LOCATION"), span(text, "Allegra", "NAME")]
    # a drug name that is also a Census first name stays a name (it may be the patient's)
    assert found(text, model) == [("NAME", "Allegra Quenwick")]


def test_letters_of_dotted_abbreviations_are_no_names():
    text = "sips tolerated this a.m. per K. Orvell R.N."
    model = [(text.index("a.m.") + 2, text.index("a.m.") + 3, "NAME"), (text.index("R.N.") + 2, text.index("R.N.") + 3, "NAME"),
             span(text, "Orvell", "NAME")]
    assert found(text, model) == [("NAME", "K. Orvell")]


def test_lone_letters_are_no_names_but_initials_are():
    text = "DISCUSSION W DAUGHTER. PT'S SON AWARE. S/P CABG. J QUENWICK IN."
    model = [(text.index(" W ") + 1, text.index(" W ") + 2, "NAME"), (text.index("'S") + 1, text.index("'S") + 2, "NAME"),
             (text.index("S/P"), text.index("S/P") + 1, "NAME"), span(text, "J", "NAME"), span(text, "QUENWICK", "NAME")]
    assert found(text, model) == [("NAME", "J QUENWICK")]


@pytest.mark.parametrize(
    ("text", "phrase", "label", "kept"),
    [
        ("Renal: Quinton cath in Left SC.", "Quinton", "LOCATION", False),  # eponymous devices
        ("He was placed on the Passey muir valve around noon.", "Passey", "NAME", False),
        ("ventilated with a puritan bennett vent, no leaks.", "puritan bennett", "NAME", False),
        ("US WITH FLUID IN DOUGLAS POUCH, GYN CONSULT.", "DOUGLAS", "NAME", False),
        ("tolerated sips of GINGER ALE with relief.", "GINGER", "NAME", False),
        ("TOLERATING ADA DIET WELL.", "ADA", "NAME", False),
        ("TRANSFERRED FROM GH CATH LAB AFTER STENT.", "GH", "LOCATION", True),  # "cath lab": a place
        ("Dr. Quinton cath note reviewed.", "Quinton", "NAME", True),  # a title before: a person
        ("MEDICATED WITH TYLENOL SUPP. MAE. PEARL. FOLLOWS COMMANDS.", "PEARL", "NAME", False),  # the pupil exam
        ("writing, mae,pearl, equal strength.", "pearl", "NAME", False),
        ("Visitors: Pearl Quenwick (sister) in today.", "Pearl", "NAME", True),  # a first name with a surname
        ("Dr. Pearl aware of the rhythm.", "Pearl", "NAME", True),
    ],
)
def test_eponymous_devices_and_the_pupil_exam_are_no_phi(text, phrase, label, kept):
    assert any(p.startswith(phrase) for _, p in found(text, [span(text, phrase, label)])) is kept


def test_campus_after_an_ordinary_word_is_no_place():
    assert cue_locations("went to the main campus; the campus cafe") == []


def test_house_number_and_glued_digits():
    text = "daughter lives at 27 Fernwick St. nearby; bed on KESTREL4 tonight."
    spans = [span(text, "Fernwick St.", "LOCATION"), span(text, "KESTREL", "LOCATION")]
    assert [text[s:e] for s, e, _ in extend_addresses(text, spans)] == ["27 Fernwick St.", "KESTREL4"]
    # a number before a place that is no street stays out
    text = "gave 2 Zorbatown units"
    assert extend_addresses(text, [span(text, "Zorbatown", "LOCATION")]) == [span(text, "Zorbatown", "LOCATION")]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("HX: KNEE REPLACEMENT 71'. GOUT.", "71"),
        ("last colonoscopy in oct. was normal.", "oct"),
        ("Hx: melanoma excised 1984, no recurrence.", "1984"),
        ("quit smoking since Nov, per wife.", "Nov"),
        ("one bottle drawn from A-line on the 11th. One set peripheral.", "11th"),  # a day of the month alone
        ("no fever since the 3rd, cultures negative.", "3rd"),
        ("a colonoscopy in September of last year was normal.", "September"),  # a month before "of ... year"
        ("biopsy Jun. of the same year was benign.", "Jun"),
    ],
)
def test_lone_years_and_months(text, date):
    assert ("DATE", date) in found(text)
    assert rule_spans(text) == rule_spans_plain(text)


def test_a_month_before_of_this_year_is_a_date_not_a_name():
    # June is also a first name: the model took it for one
    text = "elevated PSA and biopsy June of this year was noted"
    assert found(text, [span(text, "June", "NAME")]) == [("DATE", "June")]
    assert rule_spans(text) == rule_spans_plain(text)


@pytest.mark.parametrize(
    "text",
    [
        "pain in may be worse at night",  # "may" the verb
        "vitals at 1930 and 1945 stable",  # clock times
        "height 5'10, weight stable",
        "in March 3 and on 1",  # month with a day: the month-date rule's, not this one's
        "succeeded on the 2nd attempt",  # an ordinal that counts
        "bleed extending into the 4th ventricle",
    ],
)
def test_lone_date_rules_leave_other_numbers(text):
    spans = [(text[s.start : s.end]) for s in rule_spans(text) if s.label == "DATE"]
    assert spans in ([], ["March 3"])
    assert rule_spans(text) == rule_spans_plain(text)


@pytest.mark.parametrize(
    ("text", "pair", "kept"),
    [
        ("Remains on BIPAP 10/5 overnight, sats 95%.", "10/5", False),
        ("weaned to PS 8/5 this am.", "8/5", False),
        ("tube feeds at 1/2 strength, tolerating.", "1/2", False),
        ("Extubated on 10/5 without trouble.", "10/5", True),  # a date
        ("CABG 3/4, MI 5/5 per old records.", "5/5", True),
        ("CABG 3/4, MI 5/5 per old records.", "3/4", True),  # a fraction-shaped date alone
        ("held pressure for 1 1/2 hours at the groin.", "1/2", False),  # fractions
        ("formula changed to 3/4 str at 30cc/hr.", "3/4", False),
        ("crackles 1/3 of the way up bilaterally.", "1/3", False),
        ("pt now on SIMV 10/5/40% and resting.", "10/5/40", False),  # a percentage
        ("c/o incisional pain #9/10, medicated.", "9/10", False),  # pain scores
        ("had 8/10 CP at 0600, given NTG.", "8/10", False),
        ("placed back on mask ventilation 5/10 30%.", "5/10", False),  # a setting shaped like a score
        ("co/ci/svr 6/2.8/698 after the bolus.", "6/2", False),  # a decimal
        ("fell at home on 8/10, admitted 8/12.", "8/10", True),  # dates shaped like scores
        ("Hemodialysis 8/9 or 9/10, follow lytes.", "9/10", True),
        ("BC + staph aureus 4/4 bottles. Sensitive to oxacillin.", "4/4", False),  # shares of blood cultures
        ("1/4 BLOOD CULTURES WERE (+) FOR GPC.", "1/4", False),
        ("POS blood cx 2/4...recx today.", "2/4", False),
        ("BC FROM 9/2 GM + COCCI.", "9/2", True),  # a date before a culture result
        ("ADMITTED TO CCU 8/25 @2330. AGITATED.", "2330", False),  # clock times
        ("FB for LOS 12883, since 0000 1135.", "0000", False),
        ("S/P CABG 1957, 1971. ENDOCARDITIS.", "1971", True),  # years
        ("headache since 2006 but it improved.", "2006", True),
    ],
)
def test_settings_fractions_and_scores_are_no_dates(text, pair, kept):
    """A model DATE shaped like a day/month that is a ventilator setting, a fraction, a pain score or a
    percentage is dropped; other ones stay."""
    assert (("DATE", pair) in found(text, [span(text, pair, "DATE")])) is kept
