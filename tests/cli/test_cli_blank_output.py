"""An empty or blank ``-o`` is refused in one line (E011, exit 2), before anything is read or written."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["annotate", "deid"])
@pytest.mark.parametrize("output", ["", "  "])
def test_blank_output_is_one_line_e011(tmp_path, monkeypatch, command, output):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "n.txt"
    src.write_text("No fever.\n", encoding="utf-8")
    result = runner.invoke(app, [command, str(src), "-o", output, "-q"])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, result.stderr
    assert len(lines) == 1 and "E011" in lines[0] and "-o" in lines[0], result.stderr
    assert "unexpected" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.txt"]  # no folder named '  ', no errors file


def test_deid_corpus_refuses_a_blank_output(tmp_path):
    from medtext.deid.batch import DeidJob, deid_corpus
    from medtext.errors import InputError

    with pytest.raises(InputError, match=r"E011.*-o"):
        deid_corpus(DeidJob(inputs=[str(tmp_path)], output=""))
