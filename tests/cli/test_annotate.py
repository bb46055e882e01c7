"""`medtext annotate`: output paths, errors file, exit codes, bad inputs (DESIGN.md contracts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.io import read_annotations

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["annotate", *args])


def errors_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def one_line_stderr(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_stdout_records_for_text_files(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("CHIEF COMPLAINT: Cough.\nNo fever.", encoding="utf-8")
    (folder / "b.txt").write_text("Seen by Dr. Smith. Stable.", encoding="utf-8")
    result = run(str(folder), "-o", "-", "--quiet")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a.txt", "b.txt"]
    first = records[0]
    assert set(first) == {"id", "text", "sentences", "sections", "entities", "abbreviations", "phi"}
    assert first["sections"][0] == {"category": "chief_complaint", "title": "CHIEF COMPLAINT", "start": 0, "end": len(first["text"])}
    for start, end in first["sentences"]:
        assert first["text"][start:end].strip() == first["text"][start:end]


def test_no_text_and_field_options(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("note_id,body\nn1,No fever.\nn2,Cough.\n", encoding="utf-8")
    result = run(str(src), "-o", "-", "--id-field", "note_id", "--text-field", "body", "--no-text", "-q")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["n1", "n2"] and all("text" not in r for r in records)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_file_and_folder_outputs_hold_the_same_records(tmp_path, fmt):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Note {i}. No fever."}) + "\n" for i in range(7)), encoding="utf-8")
    single = tmp_path / f"out.{fmt}"
    folder = tmp_path / "shards"
    assert run(str(src), "-o", str(single), "-q").exit_code == 0
    assert run(str(src), "-o", str(folder), "--format", fmt, "--shard-size", "3", "-q").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"] + [f"part-0000{i}.{fmt}" for i in range(3)]
    assert not list(tmp_path.glob("*.partial")) and not list(folder.glob("*.partial"))
    assert sorted(read_annotations(single), key=lambda r: r["id"]) == sorted(read_annotations(folder), key=lambda r: r["id"])


def test_existing_output_is_replaced(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("stale\n", encoding="utf-8")
    assert run(str(src), "-o", str(out), "-q").exit_code == 0
    assert [r["id"] for r in read_annotations(out)] == ["a"]


# Records that are bad go to the errors file; the rest is annotated; exit code 1.
BAD_RECORDS = [
    ("empty.txt", b"", "txt", "empty text"),
    ("blank.txt", b"   \n\t ", "txt", "blank text"),
    ("binary.txt", bytes(range(256)) * 4, "txt", "undecodable"),
    ("junk.jsonl", b'{"id": "j", "text": "\xff\xfe\x00\x01\x02\x03\x04\x05"}\n', "jsonl", "undecodable"),
    ("bad.jsonl", b'{"id": "ok", "text": "Fine."}\n{"id": "b", "text": \n', "jsonl", "malformed JSON"),
    ("nulltext.jsonl", b'{"id": "n", "text": null}\n', "jsonl", "text is null"),
]


@pytest.mark.parametrize("name,content,fmt,reason", BAD_RECORDS)
def test_bad_records_go_to_the_errors_file(tmp_path, name, content, fmt, reason):
    good = tmp_path / "good.txt" if fmt == "txt" else None
    src = tmp_path / name
    src.write_bytes(content)
    inputs = [str(src)]
    if good is not None:
        good.write_text("A good note.", encoding="utf-8")
        inputs.append(str(good))
    out = tmp_path / "out.jsonl"
    result = run(*inputs, "-o", str(out), "--quiet")
    assert result.exit_code == 1, result.stderr
    errors = errors_of(tmp_path / "out.errors.jsonl")
    assert len(errors) == 1 and reason in errors[0]["reason"]
    assert set(errors[0]) == {"id", "source", "line", "reason"}
    assert "summary" not in errors[0]
    written = list(read_annotations(out))
    assert len(written) == (1 if (good is not None or name == "bad.jsonl") else 0)


def test_max_chars_and_errors_option(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "long", "text": "word " * 50}) + "\n" + json.dumps({"id": "short", "text": "ok."}) + "\n")
    errors = tmp_path / "elsewhere" / "errs.jsonl"
    result = run(str(src), "-o", str(tmp_path / "o.jsonl"), "--max-chars", "100", "--errors", str(errors), "-q")
    assert result.exit_code == 1
    assert [e["id"] for e in errors_of(errors)] == ["long"] and "max-chars" in errors_of(errors)[0]["reason"]
    assert "word" not in errors.read_text()  # never note text in errors


@pytest.mark.parametrize(
    "setup,args,fragment",
    [
        (lambda d: None, ["nope.txt"], "does not exist"),
        (lambda d: (d / "x.csv").write_text("a,b\n1,2\n"), ["x.csv"], "'text' is missing"),
        (lambda d: (d / "x.weird").write_text("hi"), ["x.weird"], "Cannot infer"),
        (lambda d: (d / "x.txt").write_text("hi"), ["x.txt", "--input-format", "klingon"], "Unknown input format"),
        (lambda d: (d / "empty").mkdir(), ["empty"], "contains no documents"),
        (lambda d: (d / "x.txt").write_text("hi"), ["x.txt", "--exclude", "nosuch"], "Unknown pipeline component"),
        (lambda d: (d / "x.txt").write_text("hi"), ["x.txt", "--workers", "0"], "--workers"),
    ],
)
def test_commands_that_cannot_run_exit_2_with_one_line(tmp_path, monkeypatch, setup, args, fragment):
    monkeypatch.chdir(tmp_path)
    setup(tmp_path)
    result = run(*args, "-o", "out.jsonl")
    assert result.exit_code == 2
    assert fragment in one_line_stderr(result)
    assert not (tmp_path / "out.jsonl").exists()


def test_readable_odd_inputs_are_annotated(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Café au lait spots. Naïve.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes("No fever.\nCough.".encode("utf-16"))
    (tmp_path / "ctrl.txt").write_text("No\x07 fever\x0c. Cough\x1b.", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = run(str(tmp_path), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    texts = {r["id"]: r["text"] for r in read_annotations(out)}
    assert texts["latin1.txt"].startswith("Café") and texts["utf16.txt"] == "No fever.\nCough."
    assert texts["ctrl.txt"] == "No\x07 fever\x0c. Cough\x1b."


def test_thousands_of_tiny_documents(tmp_path):
    src = tmp_path / "tiny.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": "ok"}) + "\n" for i in range(3000)))
    out = tmp_path / "o.jsonl"
    assert run(str(src), "-o", str(out), "-q").exit_code == 0
    ids = [r["id"] for r in read_annotations(out)]
    assert ids == list(range(3000))  # JSON ids stay numbers, in input order


def test_a_5mb_document(tmp_path):
    src = tmp_path / "big.txt"
    src.write_text("The patient denies chest pain. " * 170_000, encoding="utf-8")
    assert src.stat().st_size > 5_000_000
    out = tmp_path / "o.jsonl"
    result = run(str(src), "-o", str(out), "--max-chars", "6000000", "-q")
    assert result.exit_code == 0, result.stderr
    (record,) = read_annotations(out)
    assert len(record["sentences"]) == 170_000


def test_user_section_rules_from_the_command_line(tmp_path):
    rules = tmp_path / "rules.jsonl"
    rules.write_text('{"category": "medications", "titles": ["drug list"]}\n', encoding="utf-8")
    src = tmp_path / "n.txt"
    src.write_text("DRUG LIST: aspirin", encoding="utf-8")
    result = run(str(src), "-o", "-", "--section-rules", str(rules), "-q")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["sections"][0]["category"] == "medications"


def test_bad_rule_file_stops_before_any_output(tmp_path):
    rules = tmp_path / "rules.jsonl"
    rules.write_text('{"category": "x"}\n', encoding="utf-8")
    src = tmp_path / "n.txt"
    src.write_text("Hi.", encoding="utf-8")
    result = run(str(src), "-o", str(tmp_path / "o.jsonl"), "--section-rules", str(rules))
    assert result.exit_code == 2
    assert "rules.jsonl" in one_line_stderr(result) and "line 1" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_standard_input_is_read_as_jsonl_with_bad_lines_in_the_errors_file(tmp_path):
    out = tmp_path / "out.jsonl"
    piped = '{"id": "n1", "text": "No fever."}\nnot json\n{"text": "Mother had breast cancer."}\n'
    result = runner.invoke(app, ["annotate", "-", "-o", str(out), "--quiet", "--exclude", "ner"], input=piped)
    assert result.exit_code == 1, result.stderr
    assert [r["id"] for r in read_annotations(out)] == ["n1", "stdin:3"]
    [bad] = errors_of(tmp_path / "out.errors.jsonl")
    assert (bad["source"], bad["line"], bad["reason"].split(":")[0]) == ("<stdin>", 2, "malformed JSON")


def test_standard_input_as_lines_and_as_one_text(tmp_path):
    lines = runner.invoke(app, ["annotate", "-", "--input-format", "lines", "-o", "-", "--quiet", "--exclude", "ner"],
                          input="No fever.\nDenies chest pain.\n")
    assert lines.exit_code == 0, lines.stderr
    assert [json.loads(r)["text"] for r in lines.stdout.splitlines()] == ["No fever.", "Denies chest pain."]
    whole = runner.invoke(app, ["annotate", "-", "--input-format", "txt", "-o", "-", "--quiet", "--exclude", "ner"],
                          input="No fever.\nDenies chest pain.\n")
    assert [json.loads(r)["id"] for r in whole.stdout.splitlines()] == ["stdin"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["-", "README.md"], "'-' alone"), (["-", "--input-format", "parquet"], "with '-' (standard input)")],
)
def test_standard_input_misuse_is_one_clear_line(tmp_path, args, fragment):
    result = runner.invoke(app, ["annotate", *args, "-o", str(tmp_path / "o.jsonl")], input="x\n")
    assert result.exit_code == 2
    assert fragment in one_line_stderr(result)
