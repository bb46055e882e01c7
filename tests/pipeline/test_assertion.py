"""The assertion component: tricky ConText cases, user rules, bad rule files, save/load, pickling, scale."""

import json
import pickle
import random
import subprocess
import sys

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import medtext
from medtext.errors import RuleError
from medtext.pipeline.context_matcher import TriggerMatcher
from medtext.pipeline.context_rules import default_rules, read_rules, validate_rule
from medtext.pipeline.context_scope import Trigger, WordCounter, assign, bracket_bounds
from medtext.pipeline.loader import component_names
from medtext.pipeline.record import doc_to_record

FINDINGS = [
    "fever", "cough", "pneumonia", "pleural effusion", "chest pain", "diabetes", "breast cancer", "mi", "chills",
    "rash", "headache", "hypertension", "syncope", "allergies", "pain", "nausea", "effusion",
]


def build(**config):
    nlp = medtext.load(exclude=[n for n in ("ner",) if n in component_names()],
                       config={f"components.assertion.{k}": v for k, v in config.items()})
    ruler = nlp.add_pipe("entity_ruler", before="assertion", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "FINDING", "pattern": f} for f in FINDINGS])
    return nlp


@pytest.fixture(scope="module")
def ctx():
    return build()


def flags(doc):
    """{entity text (lower): {category: trigger}} for every entity."""
    return {e.text.lower(): dict(e._.triggers or {}) for e in doc.ents}


CASES = [
    # (text, entity, expected categories -> trigger text or None to only require presence)
    ("No fever.", "fever", {"negated": "No"}),
    ("Denies chest pain.", "chest pain", {"negated": "Denies"}),
    ("No fever, chills, rash, or headache.", "headache", {"negated": "No"}),
    ("There is no  evidence of   pneumonia.", "pneumonia", {"negated": "no  evidence of"}),
    # pseudo-negation
    ("No increase in pleural effusion.", "pleural effusion", {}),
    ("No change in the effusion.", "effusion", {}),
    # a verb that did not act: its object exists
    ("Dose escalation would not prevent progression of the glioma.", "glioma", {}),
    ("The patch did not reduce the rash.", "rash", {}),
    ("The patch did not cause a rash and there was no fever.", "fever", {"negated": "no"}),
    # "not ruled out" is uncertain, not negated; "ruled out" alone is negated
    ("Pneumonia is not ruled out.", "pneumonia", {"uncertain": "not ruled out"}),
    ("Pneumonia was ruled out.", "pneumonia", {"negated": "was ruled out"}),
    ("Cannot rule out pneumonia.", "pneumonia", {"uncertain": "Cannot rule out"}),
    ("Rule out MI.", "mi", {"uncertain": "Rule out"}),
    ("Not ruled out: sepsis.", "sepsis", {"uncertain": "Not ruled out:"}),
    # double negation
    ("Pneumonia is not unlikely.", "pneumonia", {"uncertain": "not unlikely"}),
    ("Pneumonia is unlikely.", "pneumonia", {"negated": "unlikely"}),
    # terminators
    ("Denies chest pain but reports cough.", "chest pain", {"negated": "Denies"}),
    ("Denies chest pain but reports cough.", "cough", {}),
    ("Denies chest pain, she reports cough.", "cough", {}),
    ("No fever or chills; however, cough is present.", "cough", {}),
    ("No evidence of pneumonia as the cause of fever.", "fever", {}),
    ("No evidence of pneumonia as the cause of fever.", "pneumonia", {"negated": "No evidence of"}),
    # backward triggers
    ("Fever: none.", "fever", {"negated": "none"}),
    ("Patient is pain free.", "pain", {"negated": "free"}),
    # family
    ("Her mother had breast cancer.", "breast cancer", {"family": "mother had"}),
    ("Breast cancer in her mother.", "breast cancer", {"family": "in her mother"}),
    ("FAMILY HISTORY: Diabetes.\nHPI: cough.", "diabetes", {"family": "FAMILY HISTORY"}),
    ("FAMILY HISTORY: Diabetes.\nHPI: cough.", "cough", {}),
    ("She lives with her daughter and has hypertension.", "hypertension", {}),
    ("Mother: breast cancer. Patient: no fever.", "breast cancer", {"family": "Mother:"}),
    ("Mother: breast cancer. Patient: no fever.", "fever", {"negated": "no"}),
    ("Given MOM - constipation persists.", "constipation", {}),
    # historical
    ("History of MI, presents with chest pain.", "mi", {"historical": "History of"}),
    ("History of MI, presents with chest pain.", "chest pain", {}),
    ("PAST MEDICAL HISTORY: Hypertension.", "hypertension", {"historical": "PAST MEDICAL HISTORY"}),
    ("No history of diabetes.", "diabetes", {"negated": "No history of"}),
    # hypothetical
    ("Return if fever develops.", "fever", {"hypothetical": "Return if"}),
    ("If she develops fever, call.", "fever", {"hypothetical": "If"}),
    # uncertain
    ("Possible pneumonia.", "pneumonia", {"uncertain": "Possible"}),
    # nothing to assert
    ("A 65-year-old man with diabetes.", "diabetes", {}),
    ("Cough and fever for two days.", "fever", {}),
    # a trigger inside brackets scopes only inside them
    ("Slides (not submitted for review) show pneumonia.", "pneumonia", {}),
    # an upper-case form label ends a scope
    ("Measurements Not Obtainable *** REFERRING DIAGNOSIS: Syncope", "syncope", {}),
    # scope is the sentence
    ("No fever. Cough.", "cough", {}),
]


@pytest.mark.parametrize("text,entity,expected", CASES)
def test_tricky_cases(ctx, text, entity, expected):
    found = flags(ctx(text))
    assert entity in found, f"entity {entity!r} not found in {found}"
    assert found[entity] == expected


def test_flags_match_triggers(ctx):
    doc = ctx("Pneumonia is not ruled out. No fever.")
    pneumonia, fever = doc.ents
    assert (pneumonia._.uncertain, pneumonia._.negated) == (True, False)
    assert (fever._.negated, fever._.uncertain, fever._.family, fever._.historical, fever._.hypothetical) == (True, False, False, False, False)
    record = doc_to_record(doc, "x")
    assert record["entities"][1]["negated"] is True
    assert record["entities"][1]["triggers"] == {"negated": "No"}


def test_no_entities_is_a_no_op(ctx):
    doc = ctx("No evidence of anything at all.")
    assert doc.ents == ()


def test_rerun_resets_flags(ctx):
    doc = ctx("No fever.")
    assert doc.ents[0]._.negated
    # Same doc, now without the trigger's effect: a user drops the rule set and reruns.
    assertion = build(use_default_rules=False).get_pipe("assertion")
    assertion(doc)
    assert doc.ents[0]._.negated is False
    assert doc.ents[0]._.triggers is None


@pytest.mark.parametrize("rebuild", ["from_docs", "as_doc"])
def test_rerun_resets_flags_of_a_doc_rebuilt_from_parts(ctx, rebuild):
    """``Doc.from_docs`` and ``as_doc`` keep the entities' flags (and nothing else of the doc's ``user_data``): a rerun
    with other rules still resets flags its rules no longer give."""
    import warnings

    from spacy.tokens import Doc

    doc = ctx("No fever.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # spaCy's W101: doc extensions (sections, ...) are skipped
        new = Doc.from_docs([doc]) if rebuild == "from_docs" else doc[:].as_doc(copy_user_data=True)
    assert not [w for w in caught if "W102" in str(w.message)]  # no user_data key of ours but span attributes
    assert new.ents[0]._.negated and new.ents[0]._.triggers == {"negated": "No"}
    build(use_default_rules=False).get_pipe("assertion")(new)
    assert new.ents[0]._.negated is False
    assert new.ents[0]._.triggers is None


def test_entities_from_any_source_and_without_sentences():
    """Entities set by hand on a blank pipeline without a sentence component still get scoped."""
    nlp = spacy.blank("en")
    nlp.add_pipe("medtext_assertion", name="assertion")
    doc = nlp.make_doc("Denies fever. Cough is present.")
    doc.ents = [doc.char_span(7, 12, label="X"), doc.char_span(14, 19, label="X")]
    doc = nlp.get_pipe("assertion")(doc)
    assert [e._.negated for e in doc.ents] == [True, False]


def test_many_entities_in_one_long_sentence(ctx):
    """Thousands of entities and triggers in one sentence: correct and no quadratic blow-up."""
    parts = ["no fever" if i % 3 == 0 else "cough" if i % 3 == 1 else "but rash" for i in range(3000)]
    doc = ctx(", ".join(parts) + ".")
    negated = [e._.negated for e in doc.ents]
    assert len(negated) == 3000
    # "no fever, cough, but rash": fever and cough are negated, the terminator frees rash.
    assert negated[:6] == [True, True, False, True, True, False]
    assert sum(negated) == 2000


# --- the scope algorithm against a brute-force reference --------------------------------
def reference(triggers, entities, sent_start, sent_end, words):
    """ConText by the definition: every trigger x entity pair (quadratic, obviously right)."""
    out = [dict() for _ in entities]
    for category in ("negated", "uncertain", "historical", "family", "hypothetical"):
        walls = [t for t in triggers if t.category == category or (t.direction == "terminate" and t.category is None)]
        for k, (es, ee) in enumerate(entities):
            best = None
            for t in triggers:
                if t.category != category or t.direction == "terminate":
                    continue
                scopes = []
                if t.direction in ("forward", "bidirectional"):
                    hi = min([w.start for w in walls if w.start >= t.end] + [sent_end])
                    if t.max_scope:
                        hi = min(hi, words.forward_limit(t.end, t.max_scope))
                    scopes.append((t.end, hi))
                if t.direction in ("backward", "bidirectional"):
                    lo = max([w.end for w in walls if w.end <= t.start] + [sent_start])
                    if t.max_scope:
                        lo = max(lo, words.backward_limit(t.start, t.max_scope))
                    scopes.append((lo, t.start))
                for lo, hi in scopes:
                    if lo < hi and lo < ee and hi > es:
                        d = es - t.end if t.end <= es else max(t.start - ee, 0)
                        if best is None or d < best[0]:
                            best = (d, t.text)
            if best:
                out[k][category] = best[1]
    return out


@st.composite
def sentences(draw):
    n = draw(st.integers(5, 40))
    spaces = [draw(st.booleans()) and i % 4 == 3 for i in range(n)]
    cells = draw(st.lists(st.sampled_from(["trig", "ent", "word", "word"]), min_size=n, max_size=n))
    triggers, entities, i = [], [], 0
    while i < n:
        if cells[i] == "trig":
            cat = draw(st.sampled_from(["negated", "uncertain", None]))
            direction = "terminate" if cat is None else draw(st.sampled_from(["forward", "backward", "bidirectional", "terminate"]))
            scope = draw(st.sampled_from([None, 1, 3])) if direction != "terminate" else None
            triggers.append(Trigger(i, i + 1, cat, direction, scope, f"t{i}"))
        elif cells[i] == "ent":
            entities.append((i, i + 1))
        i += 1
    return triggers, entities, n, spaces


@settings(max_examples=300, deadline=None)
@given(sentences())
def test_assign_agrees_with_brute_force(case):
    triggers, entities, n, spaces = case
    words = WordCounter(spaces)
    assert assign(triggers, entities, 0, n, words) == reference(triggers, entities, 0, n, words)


def test_word_counter_skips_whitespace_tokens():
    words = WordCounter([False, True, False, False, True, False])
    assert words.forward_limit(0, 2) == 3  # tokens 0 and 2 are the two words
    assert words.backward_limit(6, 2) == 3


def test_bracket_bounds():
    assert bracket_bounds(["a", "b"]) is None
    assert bracket_bounds(["x", "(", "no", ")", "y"], 10)[2] == (12, 13)


# --- rules: user additions, overrides, files ------------------------------------------------
def test_add_rules_from_the_api():
    nlp = build()
    assert flags(nlp("Fever absent on exam."))["fever"] == {"negated": "absent"}
    nlp.get_pipe("assertion").add_rules([{"literal": "rules out", "category": "negated", "direction": "forward"},
                                         {"literal": "absent on", "category": "pseudo"}])
    assert flags(nlp("Fever absent on exam."))["fever"] == {}
    assert flags(nlp("The test rules out pneumonia."))["pneumonia"] == {"negated": "rules out"}


def test_user_rule_overrides_shipped_rule_with_same_literal():
    nlp = build()
    assert flags(nlp("Chest pain free."))["chest pain"] == {"negated": "free"}
    nlp.get_pipe("assertion").add_rules([{"literal": "free", "category": "pseudo"}])
    assert flags(nlp("Chest pain free."))["chest pain"] == {}


def test_token_pattern_rule():
    nlp = build()
    nlp.get_pipe("assertion").add_rules(
        [{"pattern": [{"LOWER": {"IN": ["neg", "negative"]}}, {"LOWER": "for"}], "category": "negated", "direction": "forward"}])
    assert flags(nlp("Screen neg for  pneumonia."))["pneumonia"] == {"negated": "neg for"}


def test_user_files_hook_and_save_load_in_fresh_process(tmp_path):
    rules = tmp_path / "my_rules.jsonl"
    rules.write_text(json.dumps({"literal": "clear of", "category": "negated", "direction": "forward", "max_scope": 3}) + "\n")
    nlp = medtext.load(exclude=[n for n in ("ner",) if n in component_names()], user_files={"assertion": [rules]})
    ruler = nlp.add_pipe("entity_ruler", before="assertion", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "FINDING", "pattern": f} for f in FINDINGS])
    texts = ["Lungs clear of pneumonia.", "Mother had diabetes. No fever but cough.", "Pneumonia is not ruled out."]
    expected = [doc_to_record(d, i) for i, d in enumerate(nlp.pipe(texts))]
    assert expected[0]["entities"][0]["triggers"] == {"negated": "clear of"}
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "assertion" / "rules.jsonl").exists()
    script = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"texts = {texts!r}\n"
        "out = [[{'start': e.start_char, 'end': e.end_char, 'triggers': e._.triggers or {}, 'negated': e._.negated}\n"
        "        for e in d.ents] for d in nlp.pipe(texts)]\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fresh = json.loads(proc.stdout)
    want = [[{"start": e["start"], "end": e["end"], "triggers": e["triggers"], "negated": e["negated"]} for e in r["entities"]] for r in expected]
    assert fresh == want


def test_to_bytes_round_trip():
    nlp = build()
    nlp.get_pipe("assertion").add_rules([{"literal": "clear of", "category": "negated", "direction": "forward"}])
    other = build()
    other.get_pipe("assertion").from_bytes(nlp.get_pipe("assertion").to_bytes())
    assert flags(other("Lungs clear of pneumonia."))["pneumonia"] == {"negated": "clear of"}


def test_pickle_and_two_processes(ctx):
    texts = ["No fever. Cough.", "Pneumonia is not ruled out.", "Mother had breast cancer."] * 10
    clone = pickle.loads(pickle.dumps(ctx))
    one = [doc_to_record(d, i) for i, d in enumerate(ctx.pipe(texts))]
    assert [doc_to_record(d, i) for i, d in enumerate(clone.pipe(texts))] == one
    two = [doc_to_record(d, i) for i, d in enumerate(ctx.pipe(texts, n_process=2, batch_size=5))]
    assert two == one


BAD_RULES = [
    ("not json", "invalid JSON"),
    ('["a list"]', "must be a JSON object"),
    ('{"literal": "x", "category": "negated", "direction": "forward", "scope": 3}', "unknown keys"),
    ('{"literal": "", "category": "negated", "direction": "forward"}', "'literal' must be a non-empty string"),
    ('{"category": "negated", "direction": "forward"}', "needs a 'literal' or a token 'pattern'"),
    ('{"literal": "x", "category": "negative", "direction": "forward"}', "'category' must be one of"),
    ('{"literal": "x", "category": "negated"}', "'direction' is required"),
    ('{"literal": "x", "category": "negated", "direction": "sideways"}', "'direction' must be one of"),
    ('{"literal": "x", "category": "pseudo", "direction": "forward"}', "a pseudo rule takes no 'direction'"),
    ('{"literal": "x", "category": "negated", "direction": "forward", "max_scope": 0}', "'max_scope' must be a positive"),
    ('{"literal": "x", "category": "negated", "direction": "forward", "max_scope": "5"}', "'max_scope' must be a positive"),
    ('{"literal": "x", "direction": "terminate", "max_scope": 4}', "'max_scope' applies only"),
    ('{"literal": "x", "category": "pseudo", "direction": "terminate"}', "a terminator's 'category'"),
    ('{"pattern": [{"FOO": "x"}], "category": "negated", "direction": "forward"}', "not a valid spaCy token pattern"),
    ('{"pattern": "no", "category": "negated", "direction": "forward"}', "'pattern' must be a non-empty list"),
]


@pytest.mark.parametrize("line,detail", BAD_RULES)
def test_bad_rule_file_names_file_and_line(tmp_path, line, detail):
    path = tmp_path / "rules.jsonl"
    path.write_text('{"literal": "denies", "category": "negated", "direction": "forward"}\n\n' + line + "\n")
    with pytest.raises(RuleError) as err:
        read_rules(path)
    message = str(err.value)
    assert message.startswith("[E100]")
    assert f"'{path}' line 3" in message
    assert detail in message
    assert "\n" not in message


def test_bad_rule_file_through_load(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"literal": "x"}\n')
    with pytest.raises(RuleError, match=r"bad.jsonl' line 1"):
        medtext.load(user_files={"assertion": [path]})


def test_unreadable_rule_file(tmp_path):
    with pytest.raises(RuleError, match=r"\[E101\]"):
        read_rules(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"literal": "caf\xe9", "category": "pseudo"}\n')
    with pytest.raises(RuleError, match=r"\[E101\]"):
        read_rules(tmp_path / "latin1.jsonl")


def test_bad_add_rules_and_bad_setting():
    nlp = build()
    with pytest.raises(RuleError, match=r"'<add_rules>' line 1"):
        nlp.get_pipe("assertion").add_rules([{"literal": "x", "category": "maybe", "direction": "forward"}])
    with pytest.raises(RuleError, match=r"\[E102\]"):
        build(section_categories={"family_history": "relatives"})


def test_shipped_rules_are_valid_and_attributed():
    rules = default_rules()
    assert len(rules) > 300
    assert all(validate_rule(r) == r for r in rules)
    notes = {r.get("note") for r in rules}
    assert any(n and "NegEx" in n for n in notes)


def test_matcher_is_not_changed_by_documents(ctx):
    matcher = ctx.get_pipe("assertion")._matcher
    assert isinstance(matcher, TriggerMatcher)
    before = pickle.dumps(matcher._trie)
    for text in ["No fever.", "x " * 50, "Denies   chest pain but cough."]:
        ctx(text)
    assert pickle.dumps(matcher._trie) == before


def test_random_texts_keep_offsets(ctx):
    rng = random.Random(7)
    vocab = ["no", "fever", "cough", "denies", "but", "(", ")", ".", "not", "ruled", "out", "  ", "\n", "mother", "had", "if"]
    for _ in range(200):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
        record = doc_to_record(ctx(text), "r")
        for e in record["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]
            assert set(e["triggers"]) == {c for c in ("negated", "uncertain", "historical", "family", "hypothetical") if e[c]}


@pytest.mark.parametrize(
    "module",
    ["medtext.pipeline.context_rules", "medtext.pipeline.context_matcher", "medtext.pipeline.context_scope"],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "text,negated",
    [
        ("Pneumonia was considered but ruled out on chest x-ray.", True),
        ("Pneumonia was suspected and ruled out.", True),
        ("Chest pain, but ruled out MI.", False),
    ],
)
def test_considered_but_ruled_out(nlp, text, negated):
    doc = nlp(text)
    first = doc.ents[0] if doc.ents else None
    assert first is not None and first._.negated is negated
