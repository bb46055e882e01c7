"""medtext components inside someone else's spaCy pipeline: ``spacy.blank("en")``, an
EntityRuler or SpanRuler, spaCy's own tokenizer and sentencizer, settings given to ``add_pipe``."""

import pytest
import spacy

from medtext.errors import RuleError


def _blank_with_ruler(*factories, config=None):
    """spaCy's blank English pipeline: an EntityRuler marking "fever" and "rash", then ``factories``."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "FINDING", "pattern": p} for p in ("fever", "rash")])
    for factory in factories:
        nlp.add_pipe(factory, config=config or {})
    return nlp


@pytest.mark.parametrize("bad", [5, {"problems": 1}, "problems", [1], ["problems", None]])
def test_span_groups_that_are_no_list_of_names_are_refused_in_one_line(bad):
    with pytest.raises(RuleError, match=r"\[E102\].*span_groups") as err:
        spacy.blank("en").add_pipe("medtext_assertion", config={"span_groups": bad})
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("given, kept", [(None, ()), ([], ()), (["problems"], ("problems",)), (("a", "b"), ("a", "b"))])
def test_span_groups_lists_are_kept(given, kept):
    assert spacy.blank("en").add_pipe("medtext_assertion", config={"span_groups": given}).span_groups == kept


@pytest.mark.parametrize("bad", [2.5, -0.1, 50])
def test_phi_thresholds_outside_zero_to_one_are_refused_in_one_line(bad):
    from medtext.errors import MedtextError

    with pytest.raises(MedtextError, match=r"\[E175\].*threshold") as err:
        spacy.blank("en").add_pipe("medtext_phi", config={"threshold": bad, "model": None})
    assert "\n" not in str(err.value)


def test_phi_threshold_nan_is_refused():
    # (spaCy's config refuses NaN itself, E961; the component is also built directly)
    from medtext.errors import MedtextError
    from medtext.pipeline.phi import PhiDetector

    with pytest.raises(MedtextError, match=r"\[E175\]"):
        PhiDetector(spacy.blank("en"), model=None, threshold=float("nan"))


@pytest.mark.parametrize("good", [None, 0.0, 0.35, 1])
def test_phi_thresholds_from_zero_to_one_are_taken(good):
    phi = spacy.blank("en").add_pipe("medtext_phi", config={"threshold": good, "model": None})
    assert phi.threshold == good


def test_components_that_need_nothing_before_them_declare_no_requirement():
    # spaCy's analyze_pipes reports a component whose declared requirement nothing before it assigns;
    # the sentences component uses sections when they are there but works without them.
    nlp = spacy.blank("en")
    for factory in ("medtext_sentences", "medtext_sections", "medtext_abbreviations"):
        nlp.add_pipe(factory)
    assert nlp.analyze_pipes(pretty=False)["problems"] == {name: [] for name in nlp.pipe_names}
    doc = nlp("HISTORY: no fever. Cough")
    assert [s.text for s in doc.sents] == ["HISTORY: no fever.", "Cough"]


def _two_assertion_components():
    """medspaCy style: ConText on the entities, then a second one, with rules of its own, on a span group."""
    nlp = _blank_with_ruler("medtext_assertion")
    nlp.add_pipe("span_ruler", config={"spans_key": "problems", "phrase_matcher_attr": "LOWER"}).add_patterns(
        [{"label": "PROBLEM", "pattern": "cough"}]
    )
    second = nlp.add_pipe(
        "medtext_assertion", name="problem_context", config={"span_groups": ["problems"], "ents": False, "use_default_rules": False}
    )
    second.add_rules([{"literal": "resolved", "category": "historical", "direction": "backward"}])
    return nlp


def _flags(doc):
    spans = [*doc.ents, *doc.spans.get("problems", ())]
    return [(s.text, s._.negated, s._.historical, s._.triggers) for s in spans]


EXPECTED_TWO = [("fever", True, False, {"negated": "No"}), ("cough", False, True, {"historical": "resolved"})]


def test_a_second_assertion_component_for_a_span_group_leaves_the_entities_alone():
    doc = _two_assertion_components()("No fever. The cough resolved.")
    assert _flags(doc) == EXPECTED_TWO


def test_the_ents_setting_travels_with_the_saved_pipeline(tmp_path):
    _two_assertion_components().to_disk(tmp_path / "p")
    nlp = spacy.load(tmp_path / "p")
    assert nlp.get_pipe("problem_context").ents is False and nlp.get_pipe("medtext_assertion").ents is True
    assert _flags(nlp("No fever. The cough resolved.")) == EXPECTED_TWO


@pytest.mark.parametrize("config", [{"ents": False}, {"ents": False, "span_groups": []}])
def test_ents_false_without_a_span_group_is_refused(config):
    with pytest.raises(RuleError, match=r"\[E102\].*'ents'"):
        spacy.blank("en").add_pipe("medtext_assertion", config=config)


def test_assertion_uses_the_sentence_boundaries_a_foreign_component_set():
    # Without any boundaries, medtext's sentence rules give one sentence here (no period), so "No" reaches "rash".
    assert [e._.negated for e in _blank_with_ruler("medtext_assertion")("No fever or rash").ents] == [True, True]

    @spacy.Language.component("test_split_before_or")
    def split(doc):
        for token in doc:
            token.is_sent_start = token.i == 0 or token.text == "or"
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "FINDING", "pattern": p} for p in ("fever", "rash")])
    nlp.add_pipe("test_split_before_or")
    nlp.add_pipe("medtext_assertion")
    assert [e._.negated for e in nlp("No fever or rash").ents] == [True, False]


# --- a mixed pipeline through spaCy's streaming and serialization (documented in README "Python API") ---

MIXED_TEXTS = ["HISTORY: No fever.\nFAMILY HISTORY: rash. Chronic kidney disease (CKD).", "Pt has fever. Denies rash."]


@pytest.fixture(scope="module")
def mixed():
    """spaCy's tokenizer and EntityRuler with medtext's sections, sentences, abbreviations and assertion."""
    nlp = spacy.blank("en")
    nlp.add_pipe("medtext_sections")
    nlp.add_pipe("medtext_sentences")
    nlp.add_pipe("medtext_abbreviations")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "FINDING", "pattern": p} for p in ("fever", "rash")])
    nlp.add_pipe("medtext_assertion")
    return nlp


def _everything(doc):
    ents = [(e.start_char, e.end_char, e.label_, e._.negated, e._.family, e._.triggers) for e in doc.ents]
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    return ents, doc._.sections, doc._.abbreviations, sentences


def test_mixed_pipeline_streams_with_tuples_batches_processes_and_memory_zones(mixed):
    expected = [_everything(mixed(t)) for t in MIXED_TEXTS]
    assert expected[0][0][0][3:] == (True, False, {"negated": "No"}) and expected[0][0][1][4] is True
    pairs = list(mixed.pipe([(t, i) for i, t in enumerate(MIXED_TEXTS * 2)], as_tuples=True, batch_size=1, n_process=2))
    assert [(_everything(doc), i) for doc, i in pairs] == [(expected[i % 2], i) for i in range(4)]
    with mixed.memory_zone():
        assert [_everything(doc) for doc in mixed.pipe(MIXED_TEXTS)] == expected


def test_doc_serialization_keeps_the_attributes(mixed):
    from spacy.tokens import Doc, DocBin

    doc = mixed(MIXED_TEXTS[0])
    assert _everything(Doc(mixed.vocab).from_bytes(doc.to_bytes())) == _everything(doc)
    assert _everything(doc.copy()) == _everything(doc)
    # DocBin keeps them too, with lists given back as tuples (spaCy's msgpack)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    back = next(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))
    ents, sections, abbreviations, sentences = _everything(back)
    assert ents == _everything(doc)[0] and sentences == _everything(doc)[3]
    assert list(sections) == doc._.sections and list(abbreviations) == doc._.abbreviations


def test_new_docs_from_parts_keep_entity_attributes_but_not_doc_level_lists(mixed):
    import warnings

    from spacy.tokens import Doc

    first, second = (mixed(t) for t in MIXED_TEXTS)
    sentence = next(s for s in first.sents if "rash" in s.text)
    part = sentence.as_doc(copy_user_data=True)
    assert [(e.text, e._.family, e._.triggers) for e in part.ents] == [("rash", True, {"family": "FAMILY HISTORY"})]
    assert part._.sections is None and part._.abbreviations is None  # their offsets were the old doc's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # spaCy's W101: Doc extensions are skipped
        merged = Doc.from_docs([second, first])
    shift = len(second.text) + 1
    assert _everything(merged)[0] == [(s + shift * (k >= 2), e + shift * (k >= 2), *rest)
                                      for k, (s, e, *rest) in enumerate(_everything(second)[0] + _everything(first)[0])]
    assert merged._.sections is None


FACTORIES = ["medtext_sections", "medtext_sentences", "medtext_abbreviations", "medtext_concepts", "medtext_assertion",
             "medtext_phi"]


@pytest.mark.parametrize("factory", FACTORIES)
def test_a_misspelt_setting_is_spacys_config_error(factory):
    from thinc.api import ConfigValidationError

    with pytest.raises(ConfigValidationError, match="use_defualt_rules"):
        spacy.blank("en").add_pipe(factory, config={"use_defualt_rules": False})


@pytest.mark.parametrize("factory, setting", [("medtext_sections", "use_default_rules"), ("medtext_sentences", "use_sections"),
                                              ("medtext_abbreviations", "propagate"), ("medtext_assertion", "ents"),
                                              ("medtext_phi", "use_rules")])
def test_a_setting_of_the_wrong_type_is_spacys_config_error(factory, setting):
    from thinc.api import ConfigValidationError

    with pytest.raises(ConfigValidationError, match=setting):
        spacy.blank("en").add_pipe(factory, config={setting: "maybe"})


# --- spacy.load(path, config=...) of a saved pipeline: the overrides win over the settings saved with it ---


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A saved mixed pipeline whose components carry non-default settings and a user rule."""
    nlp = _blank_with_ruler()
    nlp.add_pipe("medtext_sections")
    assertion = nlp.add_pipe("medtext_assertion", config={"span_groups": ["problems"], "terminating_types": {}})
    assertion.add_rules([{"literal": "nixed", "category": "negated", "direction": "backward"}])
    nlp.add_pipe("medtext_phi", config={"threshold": 0.9, "model": None})
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    nlp.to_disk(path)
    return path


def test_config_overrides_given_to_spacy_load_are_applied(saved):
    nlp = spacy.load(saved, config={"components.medtext_assertion.span_groups": ["other"],
                                    "components.medtext_assertion.ents": False,
                                    "components.medtext_sections.use_default_rules": False,
                                    "components.medtext_phi.threshold": 0.2})
    assertion = nlp.get_pipe("medtext_assertion")
    assert assertion.span_groups == ("other",) and assertion.ents is False
    assert assertion.terminating_types == {}  # not overridden: as saved
    assert nlp.get_pipe("medtext_sections").use_default_rules is False
    assert nlp.get_pipe("medtext_phi").threshold == 0.2
    assert nlp("HISTORY: fever nixed.")._.sections == []  # no shipped header rules any more


def test_without_overrides_the_saved_settings_and_rules_come_back(saved):
    nlp = spacy.load(saved)
    assertion = nlp.get_pipe("medtext_assertion")
    assert (assertion.span_groups, assertion.terminating_types, assertion.ents) == (("problems",), {}, True)
    assert nlp.get_pipe("medtext_phi").threshold == 0.9 and nlp.get_pipe("medtext_sections").use_default_rules is True
    assert [(e.text, e._.negated) for e in nlp("HISTORY: fever nixed.").ents] == [("fever", True)]


def test_settings_changed_on_a_component_after_building_are_saved(tmp_path):
    nlp = _blank_with_ruler("medtext_assertion")
    nlp.get_pipe("medtext_assertion").section_categories = {"family_history": "family"}
    nlp.to_disk(tmp_path / "p")
    assert spacy.load(tmp_path / "p").get_pipe("medtext_assertion").section_categories == {"family_history": "family"}


# --- ent_types: only spans of some labels get flags (negspacy's setting) ---


def _labelled_pipeline(config):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "FINDING", "pattern": "fever"}, {"label": "DATE", "pattern": "today"},
         {"label": "DEVICE", "pattern": [{"LOWER": "no"}, {"LOWER": "-"}, {"LOWER": "reflow"}, {"LOWER": "valve"}]}]
    )
    nlp.add_pipe("medtext_assertion", config=config)
    return nlp


def test_ent_types_limits_the_flags_to_those_labels():
    text = "No fever today. No-reflow valve had fever."
    everything = [(e.text, e._.negated) for e in _labelled_pipeline({})(text).ents]
    assert everything == [("fever", True), ("today", True), ("No-reflow valve", False), ("fever", False)]
    findings = [(e.text, e._.negated, e._.triggers) for e in _labelled_pipeline({"ent_types": ["FINDING"]})(text).ents]
    # the DEVICE's own "No" is still no trigger, though the DEVICE gets no flags
    assert findings == [("fever", True, {"negated": "No"}), ("today", False, None), ("No-reflow valve", False, None),
                        ("fever", False, None)]


def test_ent_types_applies_to_span_groups_and_travels(tmp_path):
    nlp = _labelled_pipeline({"ent_types": ["FINDING"], "span_groups": ["sc"]})

    @spacy.Language.component("test_copy_ents_to_sc")
    def copy(doc):
        doc.spans["sc"] = [spacy.tokens.Span(doc, e.start, e.end, label=e.label_) for e in doc.ents]
        doc.ents = []
        return doc

    nlp.add_pipe("test_copy_ents_to_sc", before="medtext_assertion")
    doc = nlp("No fever today.")
    assert [(s.text, s._.negated) for s in doc.spans["sc"]] == [("fever", True), ("today", False)]
    nlp.to_disk(tmp_path / "p")
    assert spacy.load(tmp_path / "p").get_pipe("medtext_assertion").ent_types == {"FINDING"}


@pytest.mark.parametrize("bad", ["DISEASE", [1], 3])
def test_bad_ent_types_are_refused_in_one_line(bad):
    with pytest.raises(RuleError, match=r"\[E102\].*ent_types"):
        spacy.blank("en").add_pipe("medtext_assertion", config={"ent_types": bad})


@pytest.fixture(scope="module")
def saved_concepts(tmp_path_factory):
    """A saved pipeline with abbreviations and concepts built with non-default settings and a user term."""
    nlp = spacy.blank("en")
    nlp.add_pipe("medtext_abbreviations", config={"propagate": False})
    concepts = nlp.add_pipe("medtext_concepts", config={"use_shipped_lexicon": False, "relabel": False})
    concepts.add_terms([{"term": "chronic kidney disease", "label": "DISEASE", "codes": []}])
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    nlp.to_disk(path)
    return path


CKD = "Chronic kidney disease (CKD) was staged. CKD progressed."


def test_concepts_apply_overrides_given_to_spacy_load(saved_concepts):
    nlp = spacy.load(saved_concepts, config={"components.medtext_concepts.relabel": True,
                                             "components.medtext_concepts.propagate_entities": True})
    concepts = nlp.get_pipe("medtext_concepts")
    assert (concepts.relabel, concepts.propagate_entities) == (True, True)
    assert concepts.use_shipped_lexicon is False and [t["term"] for t in concepts.user_terms] == ["chronic kidney disease"]


def test_abbreviations_apply_overrides_given_to_spacy_load(saved_concepts):
    nlp = spacy.load(saved_concepts, config={"components.medtext_abbreviations.propagate": True})
    assert nlp.get_pipe("medtext_abbreviations").propagate is True
    assert [a["start"] for a in nlp(CKD)._.abbreviations] == [24, 41]  # the definition and the later use


def test_concepts_and_abbreviations_without_overrides_come_back_as_saved(saved_concepts):
    nlp = spacy.load(saved_concepts)
    concepts = nlp.get_pipe("medtext_concepts")
    assert (concepts.relabel, concepts.propagate_entities, concepts.use_shipped_lexicon) == (False, False, False)
    assert nlp.get_pipe("medtext_abbreviations").propagate is False
    assert [a["start"] for a in nlp(CKD)._.abbreviations] == [24]
    assert [e.text for e in nlp(CKD).ents][0] == "Chronic kidney disease"


@pytest.mark.parametrize("factory, setting", [("medtext_concepts", "relabel"), ("medtext_abbreviations", "propagate")])
def test_concept_and_abbreviation_settings_changed_after_building_are_saved(tmp_path, factory, setting):
    nlp = spacy.blank("en")
    setattr(nlp.add_pipe(factory), setting, False)
    nlp.to_disk(tmp_path / "p")
    assert getattr(spacy.load(tmp_path / "p").get_pipe(factory), setting) is False
