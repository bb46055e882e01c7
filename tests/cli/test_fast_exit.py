"""``medtext annotate`` run as the program ends with ``os._exit`` once its outputs are closed (no
interpreter teardown), with the same outputs and exit code; anywhere else it exits the usual way."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medtext.cli.fast_exit import end_process_now, is_medtext_program

# Runs medtext the way `python -m medtext` does (runpy, as __main__), after registering an atexit
# handler: the handler runs on a normal exit, never after os._exit.
RUN_AS_PROGRAM = """
import atexit, runpy, sys
marker, *args = sys.argv[1:]
atexit.register(lambda: open(marker, "w").close())
{before}
sys.argv = ["medtext", *args]
runpy.run_module("medtext", run_name="__main__", alter_sys=True)
"""


def run_program(tmp_path: Path, args: list[str], before: str = "") -> tuple[subprocess.CompletedProcess, bool]:
    marker = tmp_path / "atexit-ran"
    script = textwrap.dedent(RUN_AS_PROGRAM.format(before=before))
    result = subprocess.run([sys.executable, "-c", script, str(marker), *args], capture_output=True, text=True)
    return result, marker.exists()


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.jsonl"
    rows = [{"id": "n1", "text": "HISTORY: No fever. Denies chest pain."}, {"id": "n2", "text": "Cough \U0001F600 for 3 days."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_annotate_as_the_program_skips_the_teardown_and_keeps_every_line_of_stdout(tmp_path, notes):
    result, atexit_ran = run_program(tmp_path, ["annotate", str(notes), "-o", "-", "--exclude", "ner", "--errors", str(tmp_path / "e.jsonl")])
    assert result.returncode == 0, result.stderr
    assert not atexit_ran  # ended by os._exit
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["n1", "n2"]
    assert "annotated 2 records" in result.stderr  # the summary line was flushed too


def test_annotate_as_the_program_keeps_exit_code_1_and_the_errors_file(tmp_path, notes):
    with notes.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "n3", "text": ""}\n')
    out = tmp_path / "out.jsonl"
    result, atexit_ran = run_program(tmp_path, ["annotate", str(notes), "-o", str(out), "--exclude", "ner", "--quiet"])
    assert result.returncode == 1
    assert not atexit_ran
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert json.loads((tmp_path / "out.errors.jsonl").read_text(encoding="utf-8"))["id"] == "n3"
    assert result.stderr.count("\n") == 1 and "1 record failed" in result.stderr


def test_a_profiled_run_exits_the_usual_way(tmp_path, notes):
    result, atexit_ran = run_program(
        tmp_path, ["annotate", str(notes), "-o", str(tmp_path / "o.jsonl"), "--exclude", "ner", "--quiet"],
        before="sys.setprofile(lambda *a: None)",
    )
    assert result.returncode == 0, result.stderr
    assert atexit_ran


def test_in_a_test_process_it_is_not_the_program_and_nothing_happens():
    assert not is_medtext_program()
    end_process_now(0)  # returns
