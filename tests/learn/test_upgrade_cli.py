"""``python -m medtext.learn.upgrade``: the way out the README gives for format-1 model folders."""

from __future__ import annotations

import pytest

from medtext.learn.upgrade import main


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_usage_not_a_missing_folder_error(flag, capsys):
    # was: "--help: error: [E031] Model folder '--help' has no meta.json ..." and exit 2
    assert main([flag]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: python -m medtext.learn.upgrade MODEL_FOLDER") and err == ""


def test_no_folder_is_a_one_line_usage_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.count("\n") == 1
