"""The abbreviations component: tricky definitions, propagation, offsets, serialization, pickling."""

import json
import pickle
import subprocess
import sys

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.pipeline.abbreviation_candidates import bracket_pairs, looks_like_short_form
from medtext.pipeline.abbreviation_match import align
from medtext.pipeline.abbreviations import defined_pairs, find_abbreviations
from medtext.pipeline.record import doc_to_record

DEFINITIONS = [
    # plain Schwartz-Hearst
    ("Two timed artificial insemination (TAI) protocols were compared.", {("TAI", "timed artificial insemination")}),
    # digits and hyphens in the short form
    ("Serum interleukin-2 (IL-2) rose.", {("IL-2", "interleukin-2")}),
    ("Patients received 5-fluorouracil (5-FU) weekly.", {("5-FU", "5-fluorouracil")}),
    # plural short forms
    ("Relative risks (RRs) were computed.", {("RRs", "Relative risks")}),
    ("Use of proton pump inhibitors (PPIs) rose.", {("PPIs", "proton pump inhibitors")}),
    # reversed: SF (long form), with nested brackets inside the long form
    ("We injected 125I rh (recombinant human) insulin.", {("rh", "recombinant human")}),
    ("with the ligands dppe (1,2-bis(diphenylphosphino)ethane) and", {("dppe", "1,2-bis(diphenylphosphino)ethane")}),
    # a definition nested inside another bracket: the long form stays inside it
    ("cytokines (mainly interleukin-6 (IL-6)) were measured", {("IL-6", "interleukin-6")}),
    # ';' and ',' inside the bracket
    ("we injected a substance P-saporin conjugate (SP-SAP; 0.1 pmol in 100 nl).", {("SP-SAP", "substance P-saporin conjugate")}),
    ("A patient with acute monoblastic leukemia (AML, M5A) was treated.", {("AML", "acute monoblastic leukemia")}),
    # long form inside the bracket: (long form, SF)
    ("parenchymal vessels (blood-brain barrier, BBB) and", {("BBB", "blood-brain barrier")}),
    # square brackets, and a statistic before the next one
    ("odds ratio [OR] 3.67, 95% confidence interval [CI] 1.47-9.97", {("OR", "odds ratio"), ("CI", "confidence interval")}),
    # Greek letters, spelled numbers, subscripted ions
    ("Tumor necrosis factor-α (TNF-α) was high.", {("TNF-α", "Tumor necrosis factor-α")}),
    ("the envelope curves for two-dimensional (2D) ion trajectories", {("2D", "two-dimensional")}),
    ("a rise in intracellular Ca2+ concentration ([Ca2+]i) was seen", {("[Ca2+]i", "intracellular Ca2+ concentration")}),
    # a long form that leaves its head noun unmatched (Ab3P's skip-a-word strategies)
    ("small nuclear RING finger protein (SNURF) binds", {("SNURF", "small nuclear RING finger protein")}),
    # the shortest match is not the best one: more first letters win
    ("the International Index of Erectile Function (IIEF) score", {("IIEF", "International Index of Erectile Function")}),
    # a bracket glued to the word
    ("the ubiquitin(Ub)/proteasome system", {("Ub", "ubiquitin")}),
]

NOT_DEFINITIONS = [
    "The difference was significant (p < 0.05) in all groups.",
    "Twelve patients (n = 12) were enrolled (Fig. 2).",
    "As reported before (Smith et al., 1995), the effect (see below) was small.",
    "Groups (A) artery, (B) brain and (C) carotid were formed; compounds (2b) and (iii) too.",
    "The signal(s) were weak (45%).",
    "No brackets here at all, only CT and MRI.",
    "Rats (Sprague-Dawley) and mice (C57BL/6) were used.",
]


@pytest.mark.parametrize(("text", "expected"), DEFINITIONS)
def test_definitions(text, expected):
    assert defined_pairs(text) == expected


@pytest.mark.parametrize("text", NOT_DEFINITIONS)
def test_brackets_that_are_not_definitions(text):
    assert defined_pairs(text) == set()


def test_offsets_point_at_the_short_form_and_uses_follow_in_text_order():
    text = "Levels of interleukin-2 (IL-2) rose; IL-2 and IL-2R fell. Computed tomography (CT) and CTs agreed."
    found = find_abbreviations(text)
    assert [a["start"] for a in found] == sorted(a["start"] for a in found)
    for a in found:
        assert text[a["start"] : a["end"]] == a["short"]
    expected = [("IL-2", text.index("(IL-2)") + 1), ("IL-2", text.index("IL-2 and")), ("CT", text.index("(CT)") + 1), ("CT", text.index("CTs"))]
    assert [(a["short"], a["start"]) for a in found] == expected  # IL-2R is not a use of IL-2
    assert {a["long"] for a in found if a["short"] == "CT"} == {"Computed tomography"}


def test_uses_before_the_definition_are_not_listed_and_propagate_can_be_switched_off():
    text = "MI is common. Myocardial infarction (MI) kills. MI again."
    definition, later = text.index("(MI)") + 1, text.index("MI again")
    assert [a["start"] for a in find_abbreviations(text)] == [definition, later]
    assert [a["start"] for a in find_abbreviations(text, propagate=False)] == [definition]


def test_a_redefinition_takes_over_for_later_uses():
    text = "Odds ratio (OR) was 2. OR rose. In the odds ratio [OR] analysis, OR fell."
    found = find_abbreviations(text)
    starts = [text.index("(OR)") + 1, text.index("OR rose"), text.index("[OR]") + 1, text.index("OR fell")]
    assert [(a["start"], a["long"]) for a in found] == list(zip(starts, ["Odds ratio"] * 2 + ["odds ratio"] * 2))


def test_long_form_whitespace_is_collapsed_but_offsets_stay_exact():
    text = "the timed\nartificial  insemination (TAI) protocol; TAI worked"
    found = find_abbreviations(text)
    assert found[0]["long"] == "timed artificial insemination"
    assert all(text[a["start"] : a["end"]] == "TAI" for a in found)


@pytest.mark.parametrize(
    ("short", "expected"),
    [("IL-2", True), ("5-FU", True), ("CTs", True), ("[Ca2+]i", True), ("n = 12", False), ("p < 0.05", False),
     ("1995", False), ("rats and mice", False), ("e.g. rats", False), ("2b", False), ("iii", False), ("enkephalin", False)],
)  # fmt: skip
def test_short_form_look_alikes(short, expected):
    assert looks_like_short_form(short) is expected


def test_bracket_pairs_handle_nesting_and_strays():
    assert bracket_pairs("a (b [c] d) e") == [(2, 10, -1), (5, 7, 2)]
    assert bracket_pairs("x) (y") == []


def test_alignment_prefers_word_initials():
    a = align("CT", "computed tomography")
    assert a is not None and a.tier == 1 and a.positions == (0, 9)
    assert align("CT", "contrast medium").tier == 4
    assert align("XY", "computed tomography") is None


def test_component_in_default_pipeline_writes_plain_records(nlp):
    assert "abbreviations" in nlp.pipe_names
    assert nlp.pipe_names.index("abbreviations") > nlp.pipe_names.index("sentences")
    text = "Computed tomography (CT) was done. CT showed a mass."
    doc = nlp(text)
    assert doc._.abbreviations == find_abbreviations(text)
    record = doc_to_record(doc, "d1")
    first, second = text.index("(CT)") + 1, text.index("CT showed")
    assert record["abbreviations"] == [
        {"short": "CT", "long": "Computed tomography", "start": first, "end": first + 2},
        {"short": "CT", "long": "Computed tomography", "start": second, "end": second + 2},
    ]
    json.dumps(record)  # plain data
    assert nlp("No brackets, no abbreviations.")._.abbreviations == []


FRAGMENTS = ["(", ")", "[", "]", " ", " ", ".", ", ", "; ", "\n", "-", "/", "s", "2", "α", "CT", "CTs", "IL-2", "M.O.I.",
             "computed", "tomography", "interleukin", "of", "the", "e.g.", "n = 3", "x", "İ", "two", "(+)"]  # fmt: skip
texts = st.one_of(
    st.text(alphabet="abcdeCTIL- ()[];,.0123456789αs\n", max_size=120),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_offsets_are_exact_for_any_text(text):
    found = find_abbreviations(text)
    starts = [a["start"] for a in found]
    assert starts == sorted(set(starts))
    for a in found:
        assert set(a) == {"short", "long", "start", "end"}
        assert text[a["start"] : a["end"]] == a["short"]
        assert a["long"] and a["long"] == " ".join(a["long"].split())


TEXTS = [
    "Two timed artificial insemination (TAI) protocols. TAI worked.",
    "Serum interleukin-2 (IL-2) rose (p < 0.05); IL-2 fell later.",
]


def test_saved_pipeline_loads_without_medtext_and_keeps_settings(nlp, tmp_path):
    import medtext

    custom = medtext.load(exclude=[n for n in nlp.pipe_names if n != "abbreviations"], config={"components.abbreviations.propagate": False})
    nlp.to_disk(tmp_path / "default")
    custom.to_disk(tmp_path / "custom")
    script = (
        "import json, spacy\n"
        "out = []\n"
        f"for folder in {[str(tmp_path / 'default'), str(tmp_path / 'custom')]!r}:\n"
        "    nlp = spacy.load(folder)\n"
        f"    out.append([d._.abbreviations for d in nlp.pipe({TEXTS!r})])\n"
        "print(json.dumps(out))\n"
    )
    # -I: isolated mode, medtext is reached only through the installed entry points
    proc = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    expected = [[d._.abbreviations for d in pipeline.pipe(TEXTS)] for pipeline in (nlp, custom)]
    assert json.loads(proc.stdout) == expected
    assert [len(a) for a in expected[0]] == [2, 2] and [len(a) for a in expected[1]] == [1, 1]
    assert spacy.load(tmp_path / "custom").get_pipe("abbreviations").propagate is False


def test_component_bytes_round_trip_and_pickle(nlp):
    component = nlp.get_pipe("abbreviations")
    clone = pickle.loads(pickle.dumps(component))
    assert clone.propagate == component.propagate
    component.propagate = False
    try:
        data = component.to_bytes()
    finally:
        component.propagate = True
    assert component.from_bytes(data).propagate is False
    component.propagate = True
    docs = list(pickle.loads(pickle.dumps(nlp)).pipe(TEXTS))
    assert [d._.abbreviations for d in docs] == [d._.abbreviations for d in nlp.pipe(TEXTS)]
    assert pickle.loads(pickle.dumps(docs[0]))._.abbreviations == docs[0]._.abbreviations


def _med1250(shared_corpora):
    return shared_corpora / "ab3p_med1250" / "MED1250_labeled"


@pytest.mark.corpora
def test_med1250_first_records(shared_corpora, nlp):
    """A quick look at real abstracts: the first 125 records of the shared half."""
    from itertools import islice

    from medtext.evaluate.abbreviations import gold_documents, predicted_pairs
    from medtext.evaluate.metrics import set_prf

    gold, predicted = set(), set()
    for key, text, pairs in islice(gold_documents(_med1250(shared_corpora)), 125):
        gold |= {(key, *p) for p in pairs}
        predicted |= {(key, *p) for p in predicted_pairs(find_abbreviations(text))}
    metrics = set_prf(predicted, gold)
    assert metrics["precision"] >= 0.95 and metrics["recall"] >= 0.85, metrics


@pytest.mark.slow
@pytest.mark.corpora
def test_med1250_targets(shared_corpora):
    """The whole shared MED1250 half through the pipeline: the issue's targets."""
    from medtext.evaluate.abbreviations import evaluate_abbreviations

    metrics = evaluate_abbreviations(_med1250(shared_corpora))
    assert metrics["n_documents"] == 625
    assert metrics["precision"] >= 0.96
    assert metrics["recall"] >= 0.88
