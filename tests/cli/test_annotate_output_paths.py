"""``annotate`` and ``deid`` never replace an input or a file medtext did not write (output and errors paths)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()
GOOD = [{"id": "a", "text": "No fever. Cough for 3 days."}, {"id": "b", "text": "Aspirin 81 mg daily."}]
BAD = [{"id": "c", "text": ""}, {"id": "d"}]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["annotate", "deid"])
@pytest.mark.parametrize("records", [GOOD, GOOD + BAD], ids=["no-errors", "with-errors"])
def test_errors_path_that_is_the_input_is_refused_and_the_input_kept(tmp_path, command, records):
    src = write(tmp_path / "v.jsonl", records)
    before = src.read_bytes()
    result = run(command, src, "-o", tmp_path / "o.jsonl", "--errors", src, "-q")
    assert result.exit_code == 2
    line = one_line(result)
    assert "E117" in line and "is the input" in line and "--errors" in line
    assert src.read_bytes() == before
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_errors_path_that_is_the_output_is_refused(tmp_path, command):
    src = write(tmp_path / "bad.jsonl", GOOD + BAD)
    same = tmp_path / "same.jsonl"
    result = run(command, src, "-o", same, "--errors", same, "-q")
    assert result.exit_code == 2
    assert "E117" in one_line(result) and "also the output" in result.stderr
    assert not same.exists()


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_output_that_is_an_input_is_refused(tmp_path, command):
    src = write(tmp_path / "v.jsonl", GOOD)
    before = src.read_bytes()
    result = run(command, src, "-o", src, "-q")
    assert result.exit_code == 2
    assert "E008" in one_line(result) and "is the input" in result.stderr
    assert src.read_bytes() == before


def test_a_symbolic_link_to_the_input_counts_as_the_input(tmp_path):
    src = write(tmp_path / "v.jsonl", GOOD)
    link = tmp_path / "link.jsonl"
    os.symlink(src, link)
    result = run("annotate", src, "-o", tmp_path / "o.jsonl", "--errors", link, "-q")
    assert result.exit_code == 2 and "E117" in one_line(result)
    assert link.is_symlink() and src.read_text(encoding="utf-8").count("\n") == 2


@pytest.mark.parametrize("command", ["annotate", "deid"])
def test_a_file_medtext_did_not_write_is_never_removed_as_a_stale_errors_file(tmp_path, command):
    src = write(tmp_path / "in.jsonl", GOOD)
    foreign = tmp_path / "notes.errors.jsonl"
    foreign.write_text('{"id": 1, "text": "someone else\'s data"}\n', encoding="utf-8")
    result = run(command, src, "-o", tmp_path / "out.jsonl", "--errors", foreign, "-q")
    assert result.exit_code == 2
    assert "E117" in one_line(result) and "not a medtext errors file" in result.stderr
    assert foreign.read_text(encoding="utf-8") == '{"id": 1, "text": "someone else\'s data"}\n'
    assert "someone" not in result.stderr


def test_the_default_errors_path_is_checked_too(tmp_path):
    src = write(tmp_path / "in.jsonl", GOOD)
    beside = tmp_path / "out.errors.jsonl"
    beside.write_text("my notes\n", encoding="utf-8")
    result = run("annotate", src, "-o", tmp_path / "out.jsonl", "-q")
    assert result.exit_code == 2 and "E117" in one_line(result)
    assert beside.read_text(encoding="utf-8") == "my notes\n"
    folder = run("annotate", src, "-o", tmp_path / "out", "-q")  # folder output: out.errors.jsonl beside it is not ours
    assert folder.exit_code == 2 and not (tmp_path / "out").exists()


def test_an_errors_file_medtext_wrote_is_replaced_and_an_empty_one_kept(tmp_path):
    src = write(tmp_path / "in.jsonl", GOOD + BAD)
    errors = tmp_path / "e.jsonl"
    for _ in range(2):  # the second run replaces the first run's errors file, it does not append
        result = run("annotate", src, "-o", tmp_path / "out.jsonl", "--errors", errors, "-q", "--exclude", "ner")
        assert result.exit_code == 1
        assert [json.loads(line)["id"] for line in errors.read_text(encoding="utf-8").splitlines()] == ["c", "d"]
    clean = write(tmp_path / "clean.jsonl", GOOD)
    result = run("annotate", clean, "-o", tmp_path / "out.jsonl", "--errors", errors, "-q", "--exclude", "ner")
    assert result.exit_code == 0 and not errors.exists()  # ours and stale: removed
    errors.write_bytes(b"")
    result = run("annotate", clean, "-o", tmp_path / "out.jsonl", "--errors", errors, "-q", "--exclude", "ner")
    assert result.exit_code == 0 and errors.exists()  # empty: nothing to lose, left alone


def _locations(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    (tmp_path / "note.txt").write_text("a note", encoding="utf-8")
    cases = {
        "below-a-file": (["-o", str(tmp_path / "note.txt" / "x.jsonl")], "is a file, not a folder"),
        "folder-below-a-file": (["-o", str(tmp_path / "note.txt" / "sub" / "d")], "is a file, not a folder"),
        "missing-folder": (["-o", str(tmp_path / "nodir" / "sub" / "out.jsonl")], "does not exist; create it first"),
        "errors-below-a-file": (["-o", str(tmp_path / "o.jsonl"), "--errors", str(tmp_path / "note.txt" / "e.jsonl")], "E117"),
    }
    if Path("/proc/self").exists():
        cases["unwritable"] = (["-o", "/proc/x.jsonl"], "cannot create files in '/proc'")
        cases["unwritable-folder"] = (["-o", "/proc/xdir"], "cannot create '/proc/xdir'")
    return cases


@pytest.mark.parametrize("command", ["annotate", "deid"])
@pytest.mark.parametrize("case", ["below-a-file", "folder-below-a-file", "missing-folder", "errors-below-a-file", "unwritable", "unwritable-folder"])
def test_unusable_output_locations_are_one_line_with_a_remedy(tmp_path, command, case):
    cases = _locations(tmp_path)
    if case not in cases:
        pytest.skip("no /proc here")
    args, fragment = cases[case]
    src = write(tmp_path / "in.jsonl", GOOD)
    result = run(command, src, *args, "-q")
    assert result.exit_code == 2
    line = one_line(result)
    assert fragment in line and "unexpected" not in line
    assert ("give an" in line) or ("create it first" in line)
    assert not (tmp_path / "nodir").exists()


def test_a_forced_encoding_that_refuses_the_file_is_an_errors_line(tmp_path):
    src = write(tmp_path / "in.jsonl", GOOD)
    result = run("annotate", src, "-o", tmp_path / "o.jsonl", "--encoding", "utf-16", "-q", "--exclude", "ner")
    assert result.exit_code == 1 and "unexpected" not in result.stderr
    (error,) = [json.loads(line) for line in (tmp_path / "o.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "byte-order mark" in error["reason"] and "--encoding utf-16-le" in error["reason"]


def test_stdout_output_from_a_folder_that_cannot_be_written_still_runs(tmp_path, monkeypatch):
    if not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    src = write(tmp_path / "in.jsonl", GOOD)
    monkeypatch.chdir("/proc")  # the default errors file (./stdout.errors.jsonl) is created only when a record fails
    result = run("annotate", src, "-o", "-", "-q", "--exclude", "ner")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
