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
