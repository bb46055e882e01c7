"""The ``phi`` component: each PHI type, placeholders, ALL-CAPS notes, user rules, serialization."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from medtext.errors import RuleError
from medtext.pipeline.phi import merge_spans, read_user_rules
from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain, units


def labels_of(nlp, text):
    doc = nlp(text)
    return [(p["label"], p["text"]) for p in doc._.phi]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 617-555-0199 after 5.", ("PHONE", "617-555-0199")),
        ("Fax (617) 555-0142 today.", ("PHONE", "(617) 555-0142")),
        ("Pager # 54321 for questions.", ("PHONE", "54321")),
        ("Write to jane.doe@example.org please.", ("EMAIL", "jane.doe@example.org")),
        ("See https://example.org/records/1 for more.", ("URL", "https://example.org/records/1")),
        ("SSN 123-45-6789 on file.", ("ID", "123-45-6789")),
        ("MRN: 00123456 verified.", ("ID", "00123456")),
        ("Account # 99887766 billed.", ("ID", "99887766")),
        ("She is a 93 year old woman.", ("AGE", "93")),
        ("Surgery in march of 1993 went well.", ("DATE", "march of 1993")),
        ("Follow up on 2101-10-3.", ("DATE", "2101-10-3")),
    ],
)
def test_rule_types(nlp, text, expected):
    assert expected in labels_of(nlp, text)


def test_age_under_90_is_not_phi(nlp):
    assert not [p for p in nlp("a 58 year old woman")._.phi if p["label"] == "AGE"]


@pytest.mark.parametrize(
    "placeholder",
    ["**NAME[AAA, BBB]", "[**2101-10-3**]", "**INSTITUTION", "[**Hospital 1234**]"],
)
def test_placeholders_are_single_spans(nlp, placeholder):
    text = f"Patient seen by {placeholder} on the ward."
    phi = nlp(text)._.phi
    assert {"start": text.index(placeholder), "end": text.index(placeholder) + len(placeholder),
            "label": "PLACEHOLDER", "text": placeholder} in phi


@pytest.mark.parametrize(
    ("text", "phrase", "label"),
    [
        ("Pt seen by Dr. Tasker this am, plan unchanged.", "Tasker", "NAME"),
        ("pt seen by dr tasker this am, plan unchanged.", "tasker", "NAME"),
        ("PT SEEN BY DR. PELLOWSKI THIS AM. PLAN UNCHANGED.", "PELLOWSKI", "NAME"),
        ("DAUGHTER VERONICA CALLED AND WAS UPDATED.", "VERONICA", "NAME"),
        ("social: son bill called for update.", "bill", "NAME"),
        ("TRANSFERRED TO GH 7/23 FROM ELMWOOD HOSPITAL.", "7/23", "DATE"),
        ("TRANSFERRED TO GH 7/23 FROM ELMWOOD HOSPITAL.", "ELMWOOD", "HOSPITAL"),
        ("Plan: transfer to Westbrook 2 tomorrow.", "Westbrook", "LOCATION"),
        ("PMH: CAD S/P MI 1992; CABG.", "1992", "DATE"),
    ],
)
def test_model_finds_names_dates_locations(nlp, text, phrase, label):
    phi = nlp(text)._.phi
    start = text.index(phrase)
    covering = [p for p in phi if p["start"] <= start and start + len(phrase) <= p["end"]]
    assert covering, f"{phrase!r} not covered in {phi}"
    assert covering[0]["label"] == label


@pytest.mark.parametrize(
    "text",
    [
        "PT ON CPAP 5/5 WITH STABLE TV'S. LUNGS CLEAR. NO ECTOPY.",
        "neuro: alert and oriented x3, mae, perrla. skin intact.",
        "HCT 28.1 AFTER 2 UNITS PRBC. K 3.9, MG 2.0. CONTINUE LASIX.",
    ],
)
def test_ordinary_clinical_text_has_no_phi(nlp, text):
    assert nlp(text)._.phi == []


def test_output_contract(nlp):
    text = "Dr. Tasker saw pt 7/23; called daughter Marguerite at 410-555-1234. MRN: 1234567."
    doc = nlp(text)
    phi = doc._.phi
    assert phi and doc.ents == ()
    last_end = -1
    for p in phi:
        assert set(p) == {"start", "end", "label", "text"}
        assert text[p["start"] : p["end"]] == p["text"]
        assert p["start"] >= last_end  # in order, non-overlapping
        last_end = p["end"]


def test_units_offsets_are_exact():
    text = "WESTWING3 fx4/97, O'Malley 410 202-6694\n8/19/20"
    for unit in units(text):
        assert text[unit.start : unit.end] == unit.text


def test_merge_spans_keeps_strongest_label():
    assert merge_spans([(0, 3, "PHONE", 1), (2, 12, "ID", 2), (20, 24, "NAME", 1)]) == [(0, 12, "ID"), (20, 24, "NAME")]


def test_rule_spans_need_no_model():
    labels = {s.label for s in rule_spans("a@b.org 123-45-6789 **NAME[X] 617-555-0199")}
    assert labels == {"EMAIL", "ID", "PLACEHOLDER", "PHONE"}


def test_user_rules_terms_patterns_and_ignore(tmp_path):
    import medtext

    nlp = medtext.load(exclude=[n for n in ("ner",) if n in medtext.pipeline.loader.component_names()])
    rules = tmp_path / "phi.jsonl"
    rules.write_text(
        json.dumps({"label": "HOSPITAL", "terms": ["Mercy West"]}) + "\n"
        + json.dumps({"label": "ID", "pattern": r"\bZ\d{6}\b"}) + "\n"
        + json.dumps({"ignore": ["Tasker"]}) + "\n",
        encoding="utf-8",
    )
    nlp.get_pipe("phi").add_from_file(rules)
    found = labels_of(nlp, "Sent to Mercy West, badge Z123456. Dr. Tasker aware.")
    assert ("HOSPITAL", "Mercy West") in found and ("ID", "Z123456") in found
    assert not any(text == "Tasker" for _, text in found)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "invalid JSON"),
        ('["a"]', "JSON object"),
        ('{"label": "NAME"}', "exactly one of"),
        ('{"label": "FOO", "terms": ["x"]}', "'label' must be one of"),
        ('{"label": "NAME", "terms": "Kay"}', "list of non-empty strings"),
        ('{"label": "ID", "pattern": "("}', "not a valid regular expression"),
        ('{"label": "ID", "pattern": "x*"}', "empty string"),
        ('{"label": "ID", "pattern": "x", "extra": 1}', "unknown keys"),
    ],
)
def test_bad_rule_files_give_clear_errors(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "NAME", "terms": ["Kay"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        read_user_rules(path)
    text = str(err.value)
    assert "E110" in text and "bad.jsonl" in text and "line 2" in text and message in text


def test_bytes_and_pickle_round_trip(nlp):
    text = "Seen by Dr. Tasker on 7/23, call 410-555-0199."
    phi = nlp.get_pipe("phi")
    phi.add_rules([{"label": "NAME", "terms": ["Zed"]}])
    try:
        clone = pickle.loads(pickle.dumps(phi))
        assert clone.find(text + " Zed") == phi.find(text + " Zed")
        fresh = type(phi)(nlp, model=None).from_bytes(phi.to_bytes())
        assert fresh.find(text + " Zed") == phi.find(text + " Zed")
    finally:
        phi.user_rules.clear()
        phi._build()


def test_saved_pipeline_loads_without_medtext(tmp_path):
    import medtext

    nlp = medtext.load(exclude=[n for n in ("ner",) if n in medtext.pipeline.loader.component_names()])
    nlp.get_pipe("phi").add_rules([{"label": "ID", "pattern": r"\bZ\d{6}\b"}])
    text = "Seen by Dr. Tasker on 7/23, badge Z123456."
    expected = [(p["start"], p["end"], p["label"]) for p in nlp(text)._.phi]
    nlp.to_disk(tmp_path / "pipe")
    code = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        "assert 'medtext' not in sys.modules or True\n"
        f"doc = nlp({text!r})\n"
        "print(json.dumps([(p['start'], p['end'], p['label']) for p in doc._.phi]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [list(x) for x in expected]


def test_fast_scoring_matches_the_training_features():
    """The model's cached, role-indexed scoring gives the probabilities of its feature strings."""
    import numpy as np

    from medtext.models import find_model
    from medtext.pipeline.phi_features import note_case, unit_features
    from medtext.pipeline.phi_model import PhiModel

    model = PhiModel.load(find_model("phi-physionet"))
    text = "PT SEEN BY DR. PELLOWSKI 7/23; daughter Marguerite pt pt called.\nN. HOLLOWAY, RN aware, bipap 10/5 pt"
    us, candidates, probs = model.unit_probabilities(text)
    case = note_case(text)
    index = {feature: row for row, feature in enumerate(model.features)}
    for row, i in enumerate(candidates):
        feats = set(unit_features(us, i, case, {}))
        rows = [index[f] for f in feats if f in index]
        scores = model.bias + model.weights[rows].sum(axis=0)
        expected = np.exp(scores - scores.max())
        assert np.allclose(probs[row], expected / expected.sum(), atol=1e-5)


def test_a_word_new_to_the_token_table_gets_one_row_however_often_a_batch_repeats_it():
    from medtext.models import find_model
    from medtext.pipeline.phi_model import PhiModel
    from medtext.pipeline.phi_scorer import BatchScorer

    from medtext.pipeline.phi_patterns import unit_strings

    scorer = BatchScorer(PhiModel.load(find_model("phi-physionet")))
    texts = ["Zorbitt saw Zorbitt. Zorbitt left.", "Zorbitt again, Zorbitt."]
    before = scorer.table.size
    notes = scorer.score(texts)
    # units keep the whitespace before them: "Zorbitt" (a note's first word) and " Zorbitt", one row each
    assert scorer.table.texts.count("Zorbitt") == 2  # before the fix: 5, one row per occurrence in the batch
    assert scorer.table.size - before == len({u for t in texts for u in unit_strings(t)})
    assert [len(n.starts) for n in notes] == [len(unit_strings(t)) for t in texts]


def test_segment_sums_with_only_long_segments_and_empty_rows():
    # Rows with nothing present beside rows with more than 8 present features (hypothesis found it).
    from types import SimpleNamespace

    import numpy as np

    from medtext.pipeline.phi_scorer import BatchScorer

    weights = np.arange(40, dtype=np.float32).reshape(20, 2)
    weights[0] = 0  # row 0 is the "absent" row
    scorer = SimpleNamespace(zero=0, weights=weights)
    index = np.zeros((2, 12), dtype=np.int32)
    index[1] = np.arange(1, 13)
    total, present = BatchScorer._segment_sums(scorer, index)
    assert present.tolist() == [False, True]
    assert total[0].tolist() == [0.0, 0.0]
    assert np.allclose(total[1], weights[1:13].sum(axis=0))


@pytest.mark.parametrize(
    ("text", "found", "expected"),
    [
        ("returned to new haven today", "haven", "new haven"),  # the model marked the second word only
        ("margie from Middle River, MD", "Middle", "Middle River"),  # ... or the first
        ("a safe haven for him", "haven", "haven"),  # "safe haven" is no place: unchanged
        ("lives in Boston with", "Boston", "Boston"),
    ],
)
def test_a_location_grows_to_the_known_place_name_around_it(text, found, expected):
    from medtext.pipeline.phi_post import extend_places

    start = text.index(found)
    [(s, e, label)] = extend_places(text, [(start, start + len(found), "LOCATION")])
    assert (text[s:e], label) == (expected, "LOCATION")


def test_a_place_name_does_not_grow_into_the_next_span():
    from medtext.pipeline.phi_post import extend_places

    text = "new haven"
    assert extend_places(text, [(0, 3, "NAME"), (4, 9, "LOCATION")]) == [(0, 3, "NAME"), (4, 9, "LOCATION")]


@pytest.mark.parametrize(
    "date",
    ["02-Mar-2019", "2-mar-2019", "02-MAR-19", "02/Mar/2019", "02.Mar.2019", "02 Mar. 2019", "2nd-Mar-2019",
     "Mar-02-2019", "MAR.02.19", "Mar 2, '19", "2019-Mar-02", "Mar-2019", "02-Sept-2019", "02-May-2019", "15 December 2019"],
)
def test_dates_with_a_month_name_are_one_date(nlp, date):
    """A date whose month is a name, between dashes, slashes, dots or spaces, is one DATE span, and its year
    is no phone number ("02-Mar-[PHONE]" before)."""
    text = f"Seen again on {date} for follow up."
    start = text.index(date)
    assert [(p["start"], p["end"], p["label"]) for p in nlp(text)._.phi] == [(start, start + len(date), "DATE")]
    rules = rule_spans(text)  # no model needed; shorter rule spans inside it merge into it
    assert (start, start + len(date), "DATE") in rules and all(start <= s.start and s.end <= start + len(date) for s in rules)
    assert rules == rule_spans_plain(text)  # the fast path tries the rule where it can start


@pytest.mark.parametrize("text", ["took 2-may be 3 tabs", "ratio 1.5-Mar", "code x02-Mar-2019y", "seen 12 Dec 19 units"])
def test_named_date_rule_needs_a_date(text):
    assert not [s for s in rule_spans(text) if s.label == "DATE" and "-" in text[s.start : s.end]]


# -- document-level consistency -----------------------------------------------------------------------
def _combined(text, model_spans, positions=False):
    from medtext.pipeline.phi import combine
    from medtext.pipeline.phi_model import ModelSpan

    spans = combine(text, [], [ModelSpan(*span) for span in model_spans])
    return spans if positions else [(text[s:e], label) for s, e, label in spans]


def test_a_detected_name_marks_its_other_mentions():
    text = "Pt: Kowalczyk, Agnieszka. Admitted with chest pain. KOWALCZYK family history of MI. Kowalczyk's son here."
    second = text.index("KOWALCZYK")
    # the model found only the second mention, with a low score (as the shipped model does on this note);
    # the "Pt: SURNAME, First" field gives both names
    found = _combined(text, [(second, second + 9, "NAME", 0.16)])
    assert found == [("Kowalczyk", "NAME"), ("Agnieszka", "NAME"), ("KOWALCZYK", "NAME"), ("Kowalczyk", "NAME")]


def test_consistency_keeps_the_label_of_the_detection():
    text = "Transferred from Quillby. Family lives in Quillby too."
    at = text.index("Quillby")
    assert _combined(text, [(at, at + 7, "LOCATION", 0.2)]) == [("Quillby", "LOCATION"), ("Quillby", "LOCATION")]


@pytest.mark.parametrize(
    ("text", "detected", "kept"),
    [
        # an ordinary word of a name does not spread ("will" is written in lower case all the time)
        ("Dr Will Tesbury saw pt. Will call back.", "Will Tesbury", "Will call"),
        # a capitalised detection does not make PHI of the lower-case word
        ("Cx from Bronch pending. s/p bronch today.", "Bronch", "bronch today"),
        # a word the model took for a name with a low score spreads only when it is a Census name
        ("Closed with Zeltrix. Zeltrix applied to skin.", "Zeltrix", "Zeltrix applied"),  # an invented brand (before "sutures" the note would make it an eponym)
        # short capitals outside the name lists
        ("GTT CONT. RESP: CONT ON VENT.", "CONT", "CONT ON"),
    ],
)
def test_consistency_leaves_ordinary_words(text, detected, kept):
    at = text.index(detected)
    found = _combined(text, [(at, at + len(detected), "NAME", 0.1)], positions=True)
    assert (at, at + len(detected), "NAME") in found
    other = text.index(kept)
    assert not [(s, e) for s, e, _ in found if s < other + len(kept) and other < e], found


def test_sure_detections_spread_any_unusual_word():
    """A name after a title is sure: its words spread even when no Census list knows them."""
    text = "Seen by Dr. Zwarkowich this am. Zwarkowich aware of plan."
    assert [w for w, _ in _combined(text, [])] == ["Zwarkowich", "Zwarkowich"]


def test_consistency_in_the_output_text():
    from medtext.deid import deidentify

    text = "Pt: Kowalczyk, Agnieszka. 67 yo F admitted with chest pain. Kowalczyk family history of MI."
    out = deidentify(text)
    assert "Kowalczyk" not in out and "Agnieszka" not in out and out.count("[") == 3, out
    text = "Seen by Dr. Günther Groß; Groß agrees with plan. Gross hematuria resolved, no gross blood."
    assert deidentify(text) == "Seen by Dr. [NAME]; [NAME] agrees with plan. Gross hematuria resolved, no gross blood."


def test_ignored_words_do_not_come_back_through_consistency():
    import medtext

    nlp = medtext.load(exclude=["ner"])
    nlp.get_pipe("phi").add_rules([{"ignore": ["Zwarkowich"]}])
    text = "Seen by Dr. Zwarkowich this am. Zwarkowich aware of plan."
    assert not [p for p in nlp(text)._.phi if "Zwarkowich" in p["text"]]


def test_own_scores_are_the_summed_weight_rows_of_the_unit_features():
    """The model's own-feature index finds every feature of a unit the role tables find, in the same order."""
    import numpy as np

    from medtext.models import find_model
    from medtext.pipeline.phi_features import intrinsic_features
    from medtext.pipeline.phi_model import PhiModel
    from medtext.pipeline.phi_patterns import units

    model = PhiModel.load(find_model("phi-physionet"))
    text = ("PT SEEN BY DR. PELLOWSKI 7/23/2101; daughter Marguerite O'Neil called 555-1234 re: 10/5.\n"
            "García, N. HOLLOWAY RN at Mercy Hospital 1992 2011 12 1/2 x3 ok St. Louis 2101-03-04")
    checked = 0
    for unit in units(text):
        for case in ("upper", "lower", "mixed"):
            roles = [f.partition("=") for f in intrinsic_features(unit.text, unit.kind, case)]
            rows = [model._roles[r][v] for r, _, v in roles if v in model._roles.get(r, {})]
            expected = model.weights[rows].sum(axis=0) if rows else np.zeros(len(model.labels), dtype=np.float32)
            assert np.array_equal(model._own_scores(unit.text, unit.kind, case), expected)
            checked += bool(rows)
    assert checked > 50


def test_own_scores_many_are_the_own_scores_of_each_unit():
    """Summed for many units at once, a unit's own scores are the very floats of :meth:`_own_scores`."""
    import numpy as np

    from medtext.models import find_model
    from medtext.pipeline.phi_model import PhiModel
    from medtext.pipeline.phi_patterns import units

    text = ("PT SEEN BY DR. PELLOWSKI 7/23/2101; daughter Marguerite O'Neil called 555-1234 re: 10/5.\n"
            "García, N. HOLLOWAY RN at Mercy Hospital 1992 2011 12 1/2 x3 ok St. Louis 2101-03-04 , ; ::")
    keys = [(u.text, u.kind, case) for u in units(text) for case in ("upper", "lower", "mixed")]
    keys += keys[:7]  # repeats
    reference = PhiModel.load(find_model("phi-physionet"))
    expected = np.stack([reference._own_scores(*key) for key in keys])
    model = PhiModel.load(find_model("phi-physionet"))
    for _ in range(2):  # computed, then from the model's cache
        got = model.own_scores_many(keys)
        assert np.array_equal(got, expected) and np.array_equal(np.signbit(got), np.signbit(expected))
