"""``medtext info`` lists a model folder with a bad meta.json, with the reason, and carries on."""

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


@pytest.fixture()
def models_dir(tmp_path, monkeypatch):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "meta.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "listed").mkdir()
    (tmp_path / "listed" / "meta.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "fine").mkdir()
    (tmp_path / "fine" / "meta.json").write_text(json.dumps({"name": "fine", "task": "classify"}), encoding="utf-8")
    monkeypatch.setenv("MEDTEXT_MODELS", str(tmp_path))
    return tmp_path


def test_info_text_lists_bad_folders_with_a_reason(models_dir):
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    models = next(line for line in result.stdout.splitlines() if line.startswith("models:"))
    assert "fine (classify)" in models and "abstract-topics" in models
    assert "broken (unreadable: meta.json cannot be read as JSON)" in models
    assert "listed (unreadable: meta.json does not hold a JSON object)" in models


def test_info_json_marks_bad_folders(models_dir):
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    models = json.loads(result.stdout)["models"]
    assert models["fine"] == {"task": "classify", "path": str(models_dir / "fine")}
    assert models["broken"]["task"] is None and "error" in models["broken"]
    assert models["listed"]["task"] is None and "JSON object" in models["listed"]["error"]
    assert "abstract-topics" in models


def test_a_hidden_staging_folder_of_an_interrupted_save_is_not_listed(models_dir):
    # a save killed between writing meta.json and the swap leaves '.NAME.partial-xxxx' beside the model
    (models_dir / ".fine.partial-0a1b2c3d").mkdir()
    (models_dir / ".fine.partial-0a1b2c3d" / "meta.json").write_text(json.dumps({"name": "fine", "task": "classify"}), encoding="utf-8")
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    models = json.loads(result.stdout)["models"]
    assert "fine" in models and not any(name.startswith(".") for name in models)
