"""--strict with --allow: named problems are reported but do not stop (class imbalance is a property of many real
corpora, and stopped every strict run on them)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.errors import InputError
from medtext.learn import train
from medtext.learn.checks import PROBLEMS, check_records

ROWS = [{"id": i, "text": t, "label": l} for i, (t, l) in enumerate(
    [("Fever and cough today", "a"), ("No fever at all", "b"), ("Cough since Monday", "a"), ("Headache, no cough", "b")])]


def test_allowed_problems_are_reported_but_do_not_stop():
    with pytest.raises(InputError, match="E066.*rare_labels"):
        check_records(ROWS, strict=True)
    report = check_records(ROWS, strict=True, allow=["rare_labels"])
    assert "rare_labels" in report["problems"]


def test_a_problem_not_allowed_still_stops():
    rows = ROWS + [{"id": 9, "text": "Fever and cough today", "label": "b"}]  # conflicting labels
    with pytest.raises(InputError, match="E066.*conflicting_labels") as err:
        check_records(rows, strict=True, allow=["rare_labels", "duplicate_text"])
    assert "rare_labels" not in str(err.value)


def test_unknown_problem_name_is_refused():
    with pytest.raises(InputError, match=r"E011.*--allow.*'rare_label'"):
        check_records(ROWS, allow=["rare_label"])


def test_every_problem_a_report_names_can_be_allowed():
    rows = ROWS + [{"id": 9, "text": "Fever and cough today", "label": "b"}, {"id": 10, "text": " ", "label": "a"}]
    named = check_records(rows, eval_records=[{"id": "e", "text": "No fever at all"}])["problems"]
    assert set(named) <= set(PROBLEMS) and len(named) >= 4


def test_train_and_check_commands_take_allow(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", "--input", str(path), "--strict"]).exit_code == 1
    assert runner.invoke(app, ["check", "--input", str(path), "--strict", "--allow", "rare_labels"]).exit_code == 0
    with pytest.raises(InputError, match="E066"):
        train(str(path), strict=True)
    model, report = train(str(path), strict=True, allow=["rare_labels"])
    assert "rare_labels" in report["checks"]["problems"]
