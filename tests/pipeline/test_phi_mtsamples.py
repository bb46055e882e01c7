"""PHI on dictated notes in the style of MTSamples (operative notes, consults): eponymous instruments, drug
brands, exam grades, fractions, ages and durations are no PHI; doctors' names and real dates stay PHI.
All sentences are written for this test."""

import pytest

from medtext.deid import deidentify, phi_pipeline
from medtext.pipeline.phi_filters import no_phi
from medtext.pipeline.phi_post import trim_edges


def _phi(text):
    return [(p["label"], p["text"]) for p in phi_pipeline().get_pipe("phi").find(text)]


# -- eponymous instruments, signs and brands ------------------------------------------------------------
@pytest.mark.parametrize(("text", "word"), [
    ("The fascia was grasped with Kocher clamps and opened.", "Kocher"),
    ("The disc space was entered with a Penfield elevator.", "Penfield"),
    ("The cervix was dilated with Hank dilators to a size 20.", "Hank"),
    ("A Judkins left #4 catheter was advanced.", "Judkins"),
    ("A core stitch with a Kessler-type stitch was placed.", "Kessler"),
    ("The tendon was repaired; Owen silk and Kerlix were applied.", "Owen"),
    ("An Esmarch was used to exsanguinate the leg.", "Esmarch"),
    ("The bladder flap was tented up with an Allis.", "Allis"),
    ("Then a Babcock was passed behind the esophagus.", "Babcock"),
    ("Skin was closed with 4-0 Vicryl.", "Vicryl"),
    ("Romberg negative.  Gait is steady.", "Romberg"),
    ("She has used Norco and Dilantin in the past.", "Norco"),
    ("Long arm Austin osteotomy was performed.", "Austin"),
])
def test_an_eponym_or_brand_is_no_name(text, word):
    start = text.index(word)
    assert no_phi(text, start, start + len(word), "NAME")
    assert no_phi(text, start, start + len(word), "LOCATION")


@pytest.mark.parametrize(("text", "word"), [
    ("Seen today by Dr. Penfield in clinic.", "Penfield"),  # a title: a person
    ("Babcock called the office today.", "Babcock"),  # a common surname alone, no determiner
    ("Jones had tubes removed yesterday.", "Jones"),  # words between the name and the noun
    ("The patient spoke with dr small today.", "small"),  # a lower-case word after a title
    ("She was seen by Allis in the clinic.", "Allis"),  # an eponym alone after a word before a person
    ("Discussed with Kitner, who agrees.", "Kitner"),
])
def test_names_near_instrument_words_stay_names(text, word):
    start = text.index(word)
    assert not no_phi(text, start, start + len(word), "NAME")


_OPERATIVE_NOTE = ("The patient was prepped and draped.  An Esmarch bandage was applied.  The fascia was grasped with "
                   "Allis clamps and opened with Mayo scissors.  A Bookwalter retractor was placed.  Closure with 3-0 "
                   "Vicryl.  Dr. Quistorp will see her in follow-up on 04/17/2009.")


def test_operative_note_keeps_no_eponym_and_finds_the_surgeon():
    assert _phi(_OPERATIVE_NOTE) == [("NAME", "Quistorp"), ("DATE", "04/17/2009")]


def test_a_kin_word_before_a_drug_announces_no_name():
    assert ("NAME", "Lasix") not in _phi("He has been taking his wife's Lasix tablets for swelling.")


def test_a_full_stop_after_a_placeholder_initial_ends_the_name():
    text = "She was seen in consultation by Dr. X.  He recommended an MRI."
    assert ("NAME", "X") in _phi(text) and not any("He" in t for _, t in _phi(text))


# -- numbers the model took for dates ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "number"), [
    ("Motor strength is 5/5 and equal in all extremities.", "5/5"),
    ("There is a 2/6 systolic ejection murmur at the left sternal border.", "2/6"),
    ("Pupils 4/4 and reactive.", "4/4"),
    ("Reflexes: 3/3+ at the biceps.", "3/3"),
    ("Deep tendon reflexes are +2/4 and symmetric.", "2/4"),
    ("Carcinoma was found in 1/5 lymph nodes.", "1/5"),
    ("Her 2-1/2-year-old sister is well.", "1/2"),
    ("aligned to the medial 1/3rd of the tubercle", "1/3"),
    ("a laceration that measures 5/8 inch in length", "5/8"),
    ("a 10/11 mm trocar was placed", "10/11"),
    ("She will take Vicodin 5/500 one tablet as needed.", "5/500"),
    ("She is on Hyzaar 50/12.5 daily.", "50/12.5"),
    ("The pain was 8/10 in the emergency room.", "8/10"),
    ("His father died at the age of 79 of a stroke.", "79"),
    ("He smoked one pack a day for 18 years.", "18"),
    ("She is in the 80th percentile for height.", "80"),
    ("On arrival he had a fever of 102.", "102"),
    ("the patient may benefit from a trial of therapy", "may"),
])
def test_a_grade_fraction_dose_age_or_duration_is_no_date(text, number):
    start = text.index(number)
    assert no_phi(text, start, start + len(number), "DATE")


@pytest.mark.parametrize(("text", "number"), [
    ("Motor vehicle accident on 3/4 with neck pain.", "3/4"),
    ("CABG 3/4, chest x-ray showed bilaterally clear lungs.", "3/4"),
    ("9/7-ADMITTED TO CCU.", "9/7"),
    ("checked again 11/21.93, stable", "11/21.93"),
    ("in may 2004 she fell", "may"),
    ("She is age 95 and lives alone.", "95"),  # an age over 89 stays PHI
])
def test_dates_near_exam_words_stay_dates(text, number):
    start = text.index(number)
    assert not no_phi(text, start, start + len(number), "DATE")


def test_exam_and_history_note_keeps_only_real_dates():
    text = ("Motor strength is 5/5 throughout.  Reflexes 2/2 at the knees.  A 2/6 systolic murmur is heard.  "
            "Her 2-1/2-year-old son was seen on 06/12/2008.  Her father died at the age of 81.")
    dates = [t for label, t in _phi(text) if label == "DATE"]
    assert dates == ["06/12/2008"]


# -- places that are no named place ---------------------------------------------------------------------
def test_an_unnamed_hospital_is_no_hospital():
    text = "Only today she presented to an outside hospital with swelling."
    start = text.index("outside")
    assert no_phi(text, start, start + len("outside hospital"), "HOSPITAL")
    assert no_phi(text, start, start + len("outside"), "LOCATION")  # the model's place before "hospital"
    assert not no_phi("transferred to Brightwater Hospital", 15, 35, "HOSPITAL")
    assert not no_phi("lives in quillby with her son", 9, 16, "LOCATION")  # a lower-case town stays


def test_of_before_a_drug_is_no_place():
    text = "He takes opioids consisting of Norco 10/325 mg."
    start = text.index("of Norco")
    assert no_phi(text, start, start + len("of Norco"), "LOCATION")
    assert not no_phi("University of Vermontia", 11, 23, "LOCATION")


def test_deid_of_an_operative_sentence_keeps_the_instruments():
    out = deidentify(_OPERATIVE_NOTE)
    assert all(word in out for word in ("Esmarch bandage", "Allis clamps", "Mayo scissors", "3-0 Vicryl"))
    assert "Quistorp" not in out and "04/17/2009" not in out


# -- placeholders of already de-identified dictations -------------------------------------------------------
@pytest.mark.parametrize(("text", "name"), [
    ("She was referred by Dr. X in our practice.", "X"),
    ("Ms. XYZ states that the pain has moved.", "XYZ"),
    ("Consent was signed by Mrs. ABC's sister.", "ABC's"),
    ("Follow up with Dr. Y in 7 to 10 days.", "Y"),
])
def test_a_placeholder_after_a_title_is_a_name(text, name):
    assert ("NAME", name) in _phi(text)


def test_a_letter_after_an_abbreviation_in_capitals_is_no_placeholder():
    assert _phi("MS A&O x3, moving all extremities.") == []


def test_a_title_alone_is_no_place():
    text = "His mother is seen by Mrs. Goldberg in the clinic."
    assert no_phi(text, text.index("Mrs"), text.index("Mrs") + 3, "LOCATION")



# -- procedure and diagnosis codes the model took for phone numbers ------------------------------------------
@pytest.mark.parametrize(("text", "code"), [
    ("1.  Neural decompression (63075, 63076).", "63076"),
    ("Interbody fusion at C5-C6 (22554) with a cage.", "22554"),
    ("PROCEDURE CODES:  64640 times one.", "64640"),
    ("2.  Cervicitis (616.0).", "616.0"),
])
def test_a_procedure_or_diagnosis_code_is_no_phone_number(text, code):
    start = text.index(code)
    assert no_phi(text, start, start + len(code), "PHONE")


@pytest.mark.parametrize(("text", "number"), [
    ("Pager #54321 if questions.", "54321"),
    ("Suite 12, Elm Avenue, Springfield, STATE 12345", "12345"),  # a ZIP code
    ("graft thrombosis (9/94).", "9/94"),
    ("1) Hysterectomy (1965).", "1965"),
])
def test_pagers_zip_codes_and_dates_stay(text, number):
    start = text.index(number)
    assert not no_phi(text, start, start + len(number), "PHONE")


# -- countries (larger than a state: no PHI) ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "word", "label"), [
    ("She was born in Lyon, Germany, and moved here.", "Germany", "LOCATION"),
    ("He served in Switzerland for two years.", "Switzerland", "NAME"),
    ("He moved to the United States one year ago.", "United", "LOCATION"),
    ("The patient was from Brazil.", "Brazil", "LOCATION"),
])
def test_a_country_is_no_phi(text, word, label):
    start = text.index(word)
    assert no_phi(text, start, start + len(word), label)


@pytest.mark.parametrize(("text", "word"), [
    ("Her son Jordan visited today.", "Jordan"),  # a Census first name
    ("Spoke with Dr. Israel about the plan.", "Israel"),  # after a title
])
def test_a_person_named_like_a_country_stays(text, word):
    start = text.index(word)
    assert not no_phi(text, start, start + len(word), "NAME")


# -- second audit (helper 32): extents, devices after a size, letters, sentence words ------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("The case was done in room #2 of Brightwater Hospital.  She did well.", ("HOSPITAL", "Brightwater Hospital")),
    ("She is followed by Dr. X.  No interval complaints today.", ("NAME", "X")),
    ("Thanks to Dr. X's ingenuity, we were able to reuse the retractor.", ("NAME", "X's")),
    ("Followup care was given via Dr. X' office.", ("NAME", "X'")),
    ("We received a call from Quenby Medical Center that a bed was ready.", ("HOSPITAL", "Quenby Medical Center")),
])
def test_span_extents_of_dictated_notes(text, expected):
    assert expected in _phi(text)


def test_an_article_starting_a_sentence_is_no_initial():
    assert not any(t.startswith("A ") for _, t in _phi("The wound was closed.  A Portnoy ventricular catheter was placed."))


def test_a_salutation_is_no_part_of_a_name():
    text = "RE:  Vanstone, Quill\nDear Dr. Okonkwo:\nThank you for the referral.\nSincerely,\n"
    assert no_phi(text, text.index("Dear"), text.index("Dear") + 4, "NAME")
    assert ("NAME", "Okonkwo") in _phi(text)
    text = "Wife's name:  Quill,Dear Vanstone Doctor:,Mr. Vanstone was seen"
    start = text.index("Dear")
    assert trim_edges(text, [(start, start + len("Dear Vanstone"), "NAME")]) == [(start + 5, start + 13, "NAME")]


@pytest.mark.parametrize(("text", "word"), [
    ("Then two #24 Blake chest tubes were placed.", "Blake"),
    ("A #6 Shiley with proximal extension was changed.", "Shiley"),
    ("We left an 18-French Robinson through the stoma.", "Robinson"),
    ("A 19 Blake was placed in the subcutaneous tissues.", "Blake"),
    ("The edges of the fascia were grasped with Kocher.", "Kocher"),
    ("Prostate biopsy showed Gleason 6 cancer on the right.", "Gleason"),
    ("No Bankart or Hill-Sachs lesions were noted.", "Hill"),
    ("No Bankart or Hill-Sachs lesions were noted.", "Sachs"),
    ("The leg was placed in a Don-Joy brace.", "Joy"),
    ("The drain went easily through the ampulla of Vater.", "Vater"),
    ("The arcade of Struthers was released sharply.", "Struthers"),
    ("Weber and Rinne tests are normal.", "Weber"),
    ("She was placed prone on the Jackson spinal table.", "Jackson"),
    ("We will try to get the new pump through Medicare.", "Medicare"),
    ("Emphasis was placed at eating with a high frequency.", "Emphasis"),
    ("Wechsler Adult Intelligence Scale, Third Edition (WAIS-III)", "Edition"),
    ("The patient was returned to Anesthesia for awakening.", "Anesthesia"),
    ("The patient was admitted to Labor and Delivery for management.", "Labor"),
    ("Sincerely,", "Sincerely"),
    ("Dear Dr. Okonkwo:,Thank you for seeing Mr. Vanstone in consultation.", "Thank"),
    ("MEDICATIONS:  Lipitor, Pulmicort, Allegra, Xopenex.", "Allegra"),
    ("She tried Allegra without much improvement.", "Allegra"),
    ("Her MS Contin dose is 150 mg every 8 hours.", "Contin"),
    ("The Lily Guide for Meal Planning was provided.", "Lily"),
    ("For stenting we used a 6-French left Judkins guide.", "Judkins"),
    ("Zymar and Pred Forte drops were applied.", "Forte"),
    ("He received infusion on Tuesdays and Thursdays.", "Tuesdays"),
])
def test_dictation_words_are_no_name(text, word):
    start = text.index(word)
    assert no_phi(text, start, start + len(word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    ("She was seen by Dr. Allis in the clinic.", "Allis"),
    ("Seen by Dr. Blake after the #24 drain was placed.", "Blake"),
    ("Mr. Kenya Smith was admitted overnight.", "Kenya"),
    ("Allegra called the office about her refill.", "Allegra"),
    ("Babcock called the office today.", "Babcock"),
    ("Spoke with Kocher about the plan.", "Kocher"),
    ("Seen today by Dr. Labor in clinic.", "Labor"),
    ("Dr. Emphasis will see her next week.", "Emphasis"),
    ("MS SMITH CALLED AND WAS UPDATED.", "SMITH"),
    ("Her son Jordan visited today.", "Jordan"),
    ("Lily called about the guide.", "Lily"),
    ("Mary Forte called the office.", "Forte"),
])
def test_names_shaped_like_dropped_words_stay_names(text, word):
    start = text.index(word)
    assert not no_phi(text, start, start + len(word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    ("She was seen by Dr. Allis in the clinic.", "Allis"),
    ("Mr. Kenya Smith was admitted overnight.", "Kenya Smith"),
    ("MS SMITH CALLED AND WAS UPDATED.", "SMITH"),
    ("spoke with wife Janet logan today", "Janet logan"),
])
def test_real_names_are_found(text, word):
    assert ("NAME", word) in _phi(text)


def test_a_country_after_a_town_and_a_comma_is_no_name():
    text = "She grew up in Nairobi, Kenya and moved here in 1990."
    start = text.index("Kenya")
    assert no_phi(text, start, start + 5, "NAME")


@pytest.mark.parametrize(("text", "number"), [
    ("She has pain in her left arm at a level of 8-9/10.", "8-9/10"),
    ("Her father died of an MI in his 50s.", "50"),
])
def test_pain_levels_and_decades_are_no_date(text, number):
    start = text.index(number)
    assert no_phi(text, start, start + len(number), "DATE")


def test_a_title_in_capitals_before_a_word_that_is_not_is_no_title():
    assert _phi("Her MS Contin dose is 150 mg every 8 hours.") == []
