"""medtext.load(config=...) refuses keys that name no component or no setting (spaCy added them silently)."""

import pytest

import medtext
from medtext.errors import MedtextError


@pytest.mark.parametrize(("key", "code", "fragment"), [
    ("components.sectons.use_default_rules", "E047", "sections, sentences"),
    ("components.sections.use_defualt_rules", "E048", "use_default_rules"),
])
def test_misspelt_config_keys_are_one_line_errors(key, code, fragment):
    with pytest.raises(MedtextError) as info:
        medtext.load(exclude=["ner"], config={key: False})
    message = str(info.value)
    assert code in message and key in message and fragment in message and "\n" not in message


def test_known_config_keys_still_apply():
    nlp = medtext.load(exclude=["ner"], config={"components.sections.use_default_rules": False})
    assert nlp("CHIEF COMPLAINT: Cough.")._.sections == []


@pytest.mark.parametrize("config", [
    {"sections.use_default_rules": False},
    {"sections": {"use_default_rules": False}},
    {"ner": {"model": {"tok2vec": {"width": 8}}}},
])
def test_a_key_outside_the_config_sections_is_refused_not_ignored(config):
    with pytest.raises(MedtextError) as info:
        medtext.load(exclude=["ner"], config=config)
    message = str(info.value)
    assert "E049" in message and "components.NAME.SETTING" in message and "\n" not in message


def test_nested_component_settings_are_checked_and_applied_like_dotted_ones():
    with pytest.raises(MedtextError, match="E048"):
        medtext.load(exclude=["ner"], config={"components": {"sections": {"use_defualt_rules": False}}})
    nlp = medtext.load(exclude=["ner"], config={"components": {"sections": {"use_default_rules": False}}})
    assert nlp("CHIEF COMPLAINT: Cough.")._.sections == []


@pytest.mark.parametrize(("key", "value", "fragments"), [
    ("components.sections.use_default_rules", "maybe", ["use_default_rules", "'maybe' is not", "bool"]),
    ("nlp.batch_size", "many", ["batch_size", "integer"]),
])
def test_a_value_of_the_wrong_type_is_one_line(key, value, fragments):
    with pytest.raises(MedtextError) as info:
        medtext.load(exclude=["ner"], config={key: value})
    message = str(info.value)
    assert "E050" in message and "\n" not in message and "at root" not in message
    assert all(f in message for f in fragments)
