"""What a doc carries and what a saved pipeline keeps: no note text in user_data, settings survive save/load."""

import pickle
import warnings

import pytest
import spacy
from spacy.tokens import Doc, DocBin

import medtext
from medtext.errors import MedtextError
from medtext.pipeline.record import doc_to_record

NOTE = "CHIEF COMPLAINT: Cough.\nFAMILY HISTORY: Mother had diabetes.\nNo fever."


@pytest.fixture(scope="module")
def nlp():
    return medtext.load(exclude=["ner"])


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_user_data_holds_no_note_text(nlp):
    for doc in (nlp.make_doc(NOTE), nlp(NOTE)):
        assert not any("Cough" in s for s in _strings(doc.user_data))


def test_from_docs_prints_no_note_text(nlp):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merged = Doc.from_docs([nlp.make_doc("CHIEF COMPLAINT: Cough."), nlp.make_doc("FAMILY HISTORY: Diabetes.")])
    assert not [w for w in caught if "Cough" in str(w.message) or "W102" in str(w.message)]
    doc = nlp(merged)
    assert [s["category"] for s in doc._.sections] == ["chief_complaint", "family_history"]
    assert [(e.text, e._.family) for e in doc.ents] == [("Cough", False), ("Diabetes", True)]


def test_docbin_with_user_data_keeps_annotations_and_no_text(nlp):
    docs = list(nlp.pipe([NOTE, "PAST MEDICAL HISTORY: Asthma."]))
    back = list(DocBin(store_user_data=True, docs=docs).get_docs(nlp.vocab))
    assert [doc_to_record(d, i) for i, d in enumerate(back)] == [doc_to_record(d, i) for i, d in enumerate(docs)]
    assert not any("Cough" in s for d in back for s in _strings(d.user_data))


def test_pickled_doc_keeps_text_and_annotations(nlp):
    doc = nlp(NOTE)
    back = pickle.loads(pickle.dumps(doc))
    assert doc_to_record(back, 0) == doc_to_record(doc, 0)


def test_a_copied_sub_doc_has_its_own_text(nlp):
    doc = nlp.make_doc("FAMILY HISTORY: Mother had diabetes. PAST MEDICAL HISTORY: asthma.")
    sub = nlp(doc[4:].as_doc(copy_user_data=True))
    assert [(s["category"], sub.text[s["start"] : s["start"] + len(s["title"])]) for s in sub._.sections] == [
        ("past_medical_history", "PAST MEDICAL HISTORY")
    ]


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    nlp.to_disk(path)
    return path


LONG = "No fever. " * 110_000  # 1.1M characters: over spaCy's default max_length


def _tokenize_only(pipeline, text):
    with pipeline.select_pipes(disable=pipeline.pipe_names):
        return pipeline(text)


@pytest.mark.parametrize("loader", [medtext.load, spacy.load], ids=["medtext.load", "spacy.load"])
def test_saved_pipeline_keeps_max_length(nlp, saved, loader):
    loaded = loader(saved)
    assert loaded.max_length == nlp.max_length == 100_000_000
    assert len(_tokenize_only(loaded, LONG)) == 330_000


def test_max_length_is_a_setting_of_the_tokenizer(saved):
    assert medtext.load(exclude=["ner"], config={"nlp.tokenizer.max_length": 50}).max_length == 50
    assert spacy.load(saved, config={"nlp.tokenizer.max_length": 50}).max_length == 50


def test_user_files_are_added_to_a_saved_pipeline(saved, tmp_path):
    rules = tmp_path / "headers.jsonl"
    rules.write_text('{"category": "zork", "titles": ["Zork"]}\n', encoding="utf-8")
    text = "MEDICATIONS: aspirin.\nZork: x."
    assert [s["category"] for s in medtext.load(saved)(text)._.sections] == ["medications"]
    loaded = medtext.load(saved, user_files={"sections": [rules]})
    assert [s["category"] for s in loaded(text)._.sections] == ["medications", "zork"]


def test_user_files_for_a_component_a_saved_pipeline_lacks_raise(saved, tmp_path):
    rules = tmp_path / "headers.jsonl"
    rules.write_text('{"category": "zork", "titles": ["Zork"]}\n', encoding="utf-8")
    with pytest.raises(MedtextError, match="E040"):
        medtext.load(saved, user_files={"sectionz": [rules]})


@pytest.mark.parametrize("option", ["exclude", "disable"])
def test_unknown_component_names_raise_for_a_saved_pipeline(saved, option):
    with pytest.raises(MedtextError, match="E040.*'nerr'"):
        medtext.load(saved, **{option: ["nerr"]})


def test_excluding_a_medtext_component_the_saved_pipeline_lacks_is_fine(saved):
    # saved without "ner" (the fixture excludes it)
    assert "ner" not in medtext.load(saved, exclude=["ner", "phi"]).pipe_names


OVERRIDES = {
    "components.sections.use_default_rules": False,
    "components.sentences.use_sections": False,
    "components.abbreviations.propagate": False,
    "components.concepts.relabel": False,
    "components.assertion.span_groups": ["problems"],
    "components.phi.threshold": 0.9,
}


@pytest.mark.parametrize("nested", [False, True], ids=["dotted", "nested"])
def test_component_overrides_on_a_saved_pipeline_apply(saved, nested):
    config = spacy.util.dot_to_dict(OVERRIDES) if nested else OVERRIDES
    loaded = medtext.load(saved, config=config)
    settings = {f"components.{name}.{setting}": getattr(loaded.get_pipe(name), setting)
                for name, setting in (key.split(".")[1:] for key in OVERRIDES)}
    assert settings == {**OVERRIDES, "components.assertion.span_groups": ("problems",)}
    assert loaded.get_pipe("concepts").propagate_abbreviations is True  # not overridden: as saved
    assert loaded("HISTORY: fever.")._.sections == []


@pytest.fixture(scope="module")
def saved_with_ruler(tmp_path_factory):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="rules").add_patterns([{"label": "FINDING", "pattern": "fever"}])
    nlp.add_pipe("medtext_sections")
    path = tmp_path_factory.mktemp("ruler") / "pipeline"
    nlp.to_disk(path)
    return path


@pytest.mark.parametrize(
    "config, code, detail",
    [
        ({"components.rules.overwrite_ents": True}, "E190", "'rules' is no medtext component"),
        ({"components": {"medtext_sections": {"factory": "medtext_phi"}}}, "E190", "factory"),
        ({"components.medtext_sections": {}}, "E190", "whole component"),
        ({"components.sectons.use_default_rules": False}, "E047", "rules, medtext_sections"),
        ({"components.medtext_sections.use_defualt_rules": False}, "E048", "use_default_rules"),
    ],
)
def test_overrides_a_saved_pipeline_cannot_apply_are_refused_in_one_line(saved_with_ruler, config, code, detail):
    with pytest.raises(MedtextError, match=code) as info:
        medtext.load(saved_with_ruler, config=config)
    assert detail in str(info.value) and "\n" not in str(info.value)


def test_nlp_overrides_on_a_saved_pipeline_apply(saved):
    assert medtext.load(saved, config={"nlp.batch_size": 7}).batch_size == 7


SECTIONED = "PAST MEDICAL HISTORY: Asthma.\nFAMILY HISTORY: Diabetes."


def _status(pipeline, text=SECTIONED):
    return [(e.text, e._.historical, e._.family) for e in pipeline(text).ents]


@pytest.mark.parametrize(
    "mapping, expected",
    [
        (None, [("Asthma", True, False), ("Diabetes", False, True)]),
        ({"family_history": "family"}, [("Asthma", False, False), ("Diabetes", False, True)]),
        ({}, [("Asthma", False, False), ("Diabetes", False, False)]),
    ],
)
def test_section_categories_given_in_config_replace_the_default(mapping, expected, tmp_path):
    config = {} if mapping is None else {"components.assertion.section_categories": mapping}
    loaded = medtext.load(exclude=["ner"], config=config)
    if mapping is not None:
        assert loaded.get_pipe("assertion").section_categories == mapping
    assert _status(loaded) == expected
    loaded.to_disk(tmp_path / "p")
    assert _status(spacy.load(tmp_path / "p")) == expected


def test_section_categories_set_on_the_component_survive_save_and_bytes(tmp_path):
    loaded = medtext.load(exclude=["ner"])
    loaded.get_pipe("assertion").section_categories = {"family_history": "family"}
    expected = [("Asthma", False, False), ("Diabetes", False, True)]
    assert _status(loaded) == expected
    loaded.to_disk(tmp_path / "p")
    assert _status(medtext.load(tmp_path / "p")) == expected
    assert _status(spacy.load(tmp_path / "p")) == expected
    fresh = medtext.load(exclude=["ner"])
    fresh.get_pipe("assertion").from_bytes(loaded.get_pipe("assertion").to_bytes())
    assert _status(fresh) == expected
    assert _status(pickle.loads(pickle.dumps(loaded))) == expected


@pytest.mark.parametrize(("config", "code"), [({"batch_size": 7}, "E049"), ({"nlp.batch_size": "many"}, "E050")])
def test_bad_overrides_on_a_saved_pipeline_are_one_line(saved, config, code):
    with pytest.raises(MedtextError, match=code) as info:
        medtext.load(saved, config=config)
    assert "\n" not in str(info.value)
