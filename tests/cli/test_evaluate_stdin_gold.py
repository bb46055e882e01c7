"""``medtext evaluate ... --gold -``: evaluate reads gold files by path only; '-' says so (it said the path does not exist)."""

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("task", ["ner", "negation"])
def test_gold_from_standard_input_is_refused_with_the_reason(task):
    result = runner.invoke(app, ["evaluate", task, "--gold", "-"], input="PMID|t|No fever.\n")
    assert result.exit_code == 2, result.output
    assert "[E154] '-' (standard input) is not read here" in result.output
    assert "does not exist" not in result.output and "No fever" not in result.output
