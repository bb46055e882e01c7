"""Adding rules and terms is all or nothing, and a wrong argument gets a clear one-line error."""

from __future__ import annotations

import pytest

import medtext
from medtext.errors import RuleError

GOOD_TRIGGER = {"literal": "nixed", "category": "negated", "direction": "forward"}
BAD_TRIGGER = {"literal": "x", "category": "negative", "direction": "forward"}


@pytest.fixture()
def rules():
    nlp = medtext.load(exclude=["ner"])
    ruler = nlp.add_pipe("entity_ruler", before="assertion")
    ruler.add_patterns([{"label": "X", "pattern": "fever"}])
    return nlp


def test_assertion_keeps_no_rule_of_a_batch_with_a_bad_one_and_saves_what_it_uses(rules, tmp_path):
    assertion = rules.get_pipe("assertion")
    with pytest.raises(RuleError, match="E100"):
        assertion.add_rules([GOOD_TRIGGER, BAD_TRIGGER])
    assert assertion.user_rules == []
    assert not rules("nixed fever").ents[0]._.negated
    rules.to_disk(tmp_path / "p")
    assert not medtext.load(tmp_path / "p")("nixed fever").ents[0]._.negated  # the same after save and load
    assertion.add_rules([GOOD_TRIGGER])
    assert rules("nixed fever").ents[0]._.negated


def test_a_bad_rule_file_adds_nothing(rules, tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text('{"literal": "nixed", "category": "negated", "direction": "forward"}\n{"literal": "x"}\n', encoding="utf-8")
    assertion = rules.get_pipe("assertion")
    with pytest.raises(RuleError, match="line 2"):
        assertion.add_from_file(path)
    assert assertion.user_rules == []
    assert not rules("nixed fever").ents[0]._.negated


def test_sections_keep_no_rule_of_a_batch_with_a_bad_one(rules):
    sections = rules.get_pipe("sections")
    with pytest.raises(RuleError, match="E020"):
        sections.add_rules([{"category": "zz", "titles": ["Zork"]}, {"category": 1}])
    assert sections.user_rules == []
    assert sections.category_of("Zork") is None


def test_phi_keeps_no_rule_of_a_batch_with_a_bad_one(rules):
    phi = rules.get_pipe("phi")
    with pytest.raises(RuleError, match="E110"):
        phi.add_rules([{"label": "NAME", "terms": ["fever"]}, {"foo": 1}])
    assert phi.user_rules == []
    assert phi.find("No fever today.") == []
    phi.add_rules([{"label": "NAME", "terms": ["fever"]}])
    assert [span["text"] for span in phi.find("No fever today.")] == ["fever"]


def test_concepts_keep_no_term_of_a_batch_with_a_bad_one(rules):
    concepts = rules.get_pipe("concepts")
    with pytest.raises(RuleError, match="E081"):
        concepts.add_terms([{"term": "blorpitis", "label": "DISEASE", "codes": []}, {"term": "x"}])
    assert concepts.user_terms == []
    assert [e.text for e in rules("blorpitis").ents] == []


def test_a_build_failure_leaves_the_previous_rules_in_force(rules, monkeypatch):
    sections = rules.get_pipe("sections")
    sections.add_rules([{"category": "zz", "titles": ["Zork"]}])
    build = type(sections)._build

    def failing(self):
        if any(r.get("category") == "yy" for r in self.user_rules):
            raise RuntimeError("cannot build")
        build(self)

    monkeypatch.setattr(type(sections), "_build", failing)
    with pytest.raises(RuntimeError):
        sections.add_rules([{"category": "yy", "titles": ["York"]}])
    assert [r["category"] for r in sections.user_rules] == ["zz"]
    assert sections.category_of("Zork") == "zz"


@pytest.mark.parametrize(
    ("component", "method", "argument", "found"),
    [
        ("assertion", "add_rules", GOOD_TRIGGER, "one dict"),
        ("assertion", "add_rules", "denies", "a string"),
        ("sections", "add_rules", None, "None"),
        ("sections", "add_rules", 3, "an int"),
        ("phi", "add_rules", {"label": "NAME", "terms": ["Kay"]}, "one dict"),
        ("concepts", "add_terms", {"term": "x", "label": "DISEASE", "codes": []}, "one dict"),
    ],
)
def test_not_a_list_is_one_clear_line(rules, component, method, argument, found):
    with pytest.raises(RuleError) as info:
        getattr(rules.get_pipe(component), method)(argument)
    message = str(info.value)
    assert message.startswith("[E023]") and f"{component}.{method} takes a list" in message and f"got {found}" in message
    assert "\n" not in message and "denies" not in message  # the value itself (perhaps note text) is never shown


def test_a_term_that_is_not_an_object_is_named_as_such(rules):
    with pytest.raises(RuleError) as info:
        rules.get_pipe("concepts").add_terms(["x"])
    message = str(info.value)
    assert "E081" in message and "a term must be a JSON object, found a string" in message
    assert "dictionary update sequence" not in message


def test_tuples_and_generators_of_rules_are_lists_too(rules):
    rules.get_pipe("assertion").add_rules(rule for rule in (GOOD_TRIGGER,))
    rules.get_pipe("sections").add_rules(({"category": "zz", "titles": ["Zork"]},))
    assert rules("nixed fever").ents[0]._.negated
    assert rules.get_pipe("sections").category_of("Zork") == "zz"
