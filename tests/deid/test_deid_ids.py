"""``medtext deid --ids number [--id-map FILE]``: an id that is PHI (a file name, an MRN) leaves no trace in the output.

By default ids are kept verbatim (users join on them); the option is the way to release a corpus whose ids are
names or record numbers."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app

runner = CliRunner()
SECRET_IDS = ("Smith_John_2101-10-03.txt", "MRN00123456.txt")


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / SECRET_IDS[0]).write_text("Seen by Dr. Brannigan on 7/23.\n", encoding="utf-8")
    (folder / SECRET_IDS[1]).write_text("Daughter Marguerite called.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def test_numbered_ids_leave_no_input_id_in_the_output_folder(tmp_path, notes):
    out, id_map = tmp_path / "release", tmp_path / "private" / "ids.jsonl"
    id_map.parent.mkdir()
    result = run("deid", notes, "-o", out, "--ids", "number", "--id-map", id_map, "-q")
    assert result.exit_code == 1, result.output  # the empty note is in the errors file
    records = [json.loads(line) for line in (out / "deidentified.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [1, 2]
    assert sorted(p.name for p in out.rglob("*")) == ["1.txt", "2.txt", "deidentified.jsonl"]
    released = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert not any(name.split(".")[0] in released or name.split("_")[0] in released for name in SECRET_IDS)
    links = [json.loads(line) for line in id_map.read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], x["original_id"]) for x in links] == [(1, SECRET_IDS[1]), (2, SECRET_IDS[0])]
    assert (out / "1.txt").read_text(encoding="utf-8") == records[0]["text"]


def test_numbered_ids_on_standard_output_without_a_map(tmp_path, notes):
    result = run("deid", notes / SECRET_IDS[0], "-o", "-", "--ids", "number", "--errors", tmp_path / "e.jsonl")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["id"] == 1 and "Smith" not in result.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (["--ids", "hash"], "--ids"),
    (["--id-map", "{tmp}/ids.jsonl"], "--ids number"),  # a map without numbering
    (["--ids", "number", "--id-map", "{tmp}/release/ids.jsonl"], "outside the output"),  # would be released
    (["--ids", "number", "--id-map", "{notes}/" + SECRET_IDS[1]], "input"),
    (["--ids", "number", "--id-map", "-"], "--id-map"),
])
def test_bad_id_options_are_one_line_and_write_nothing(tmp_path, notes, args, needle):
    args = [a.format(tmp=tmp_path, notes=notes) for a in args]
    before = (notes / SECRET_IDS[1]).read_bytes()
    result = run("deid", notes, "-o", tmp_path / "release", *args)
    assert result.exit_code == 2 and needle in result.output and len(result.output.strip().splitlines()) == 1
    assert (notes / SECRET_IDS[1]).read_bytes() == before and not (tmp_path / "release").exists()


def test_numbered_copies_never_replace_an_input(tmp_path):
    (tmp_path / "1.txt").write_text("Seen by Dr. Brannigan.\n", encoding="utf-8")
    result = run("deid", tmp_path / "1.txt", "-o", tmp_path, "--ids", "number")
    assert result.exit_code == 2 and "E008" in result.output
    assert (tmp_path / "1.txt").read_text(encoding="utf-8") == "Seen by Dr. Brannigan.\n"
