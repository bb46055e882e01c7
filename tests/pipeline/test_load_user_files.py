"""``medtext.load(user_files=...)`` for a component that has no rule files: one coded error, not AttributeError."""

from __future__ import annotations

import pytest

import medtext
from medtext.errors import MedtextError, RuleError


@pytest.mark.parametrize("name", ["sentences", "abbreviations"])
def test_user_files_for_a_component_without_rule_files_is_a_coded_error(tmp_path, name):
    rules = tmp_path / "rules.jsonl"
    rules.write_text('{"literal": "denies", "category": "negated", "direction": "forward"}\n', encoding="utf-8")
    with pytest.raises(MedtextError, match=r"\[E150\] Component '" + name + "' takes no user files.*assertion"):
        medtext.load(exclude=["ner"], user_files={name: [rules]})


@pytest.mark.parametrize("component", ["sections", "phi"])
def test_a_rule_file_that_cannot_be_read_is_named_without_a_line(tmp_path, component):
    # 'line 0: cannot read the file' pointed at a line of a file that was never read
    missing = tmp_path / "absent.jsonl"
    with pytest.raises(RuleError, match=r"\[E152\] Cannot read rule file '.*absent.jsonl': ") as exc:
        medtext.load(exclude=["ner"], user_files={component: str(missing)})
    assert "line 0" not in str(exc.value)
