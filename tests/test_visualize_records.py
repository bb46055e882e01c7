"""``medtext visualize``: nothing is lost silently, malformed records are one-line errors, input order is kept."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.errors import InputError
from medtext.visualize import render_document, visualize_paths

runner = CliRunner()


def run(args):
    return runner.invoke(app, [str(a) for a in args])


def record(rid, text="No fever.", **extra):
    return {"id": rid, "text": text, "sentences": [], "sections": [], "phi": [],
            "entities": [{"start": 3, "end": 8, "text": "fever", "label": "DISEASE", "negated": True}], **extra}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def headings(page):
    import re

    return re.findall(r"<h2>([^<]*)</h2>", page)


def test_empty_file_in_a_folder_is_reported_and_exit_1(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("Seen for cough.\n", encoding="utf-8")
    (notes / "b.txt").write_text("", encoding="utf-8")
    (notes / "c.txt").write_text("Secret words here.\n", encoding="utf-8")
    out = tmp_path / "p.html"
    result = run(["visualize", notes, "-o", out, "--exclude", "ner"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "b.txt" in lines[0] and "empty text" in lines[0]
    assert "rendered 2 documents" in lines[1] and "1 input skipped" in lines[1]
    assert headings(out.read_text(encoding="utf-8")) == ["a.txt", "c.txt"]
    assert "Secret" not in result.stderr


def test_binary_file_and_jsonl_without_text_are_reported(tmp_path):
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    docs = write_jsonl(tmp_path / "docs.jsonl", [{"id": 1, "body": "fever"}])
    result = run(["visualize", binary, docs, "-o", tmp_path / "p.html"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and "bin.txt" in lines[0] and "docs.jsonl line 1" in lines[1]
    assert "rendered 0 documents" in lines[2] and "fever" not in result.stderr


def test_limit_truncation_is_reported(tmp_path):
    path = write_jsonl(tmp_path / "ann.jsonl", [record(f"r{i}") for i in range(5)])
    out = tmp_path / "p.html"
    result = run(["visualize", path, "-o", out, "--limit", "3"])
    assert result.exit_code == 0
    assert "rendered 3 of 5 documents" in result.stderr and "(--limit 3)" in result.stderr
    assert headings(out.read_text(encoding="utf-8")) == ["r0", "r1", "r2"]


def test_limit_not_reached_says_nothing_about_it(tmp_path):
    path = write_jsonl(tmp_path / "ann.jsonl", [record("r0")])
    result = run(["visualize", path, "-o", tmp_path / "p.html", "--limit", "3"])
    assert result.exit_code == 0 and "rendered 1 document to" in result.stderr and "--limit" not in result.stderr


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_limit_below_one_is_a_usage_error(tmp_path, limit):
    path = write_jsonl(tmp_path / "ann.jsonl", [record("r0")])
    out = tmp_path / "p.html"
    result = run(["visualize", path, "-o", out, "--limit", limit])
    assert result.exit_code == 2 and "--limit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(InputError, match="--limit"):
        visualize_paths([str(path)], str(out), limit=int(limit))


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ({"id": "a", "text": "John Smith has fever.", "entities": [{"start": None, "end": 5, "label": "X"}]}, "integer 'start'"),
        ({"id": "a", "text": "John Smith has fever.", "entities": ["John Smith"]}, "not an object"),
        ({"id": "a", "text": "John Smith has fever.", "entities": [{"start": 3, "end": "x"}]}, "integer 'end'"),
        ({"id": "a", "text": "John Smith has fever.", "entities": 5}, "not a list"),
        ({"id": "a", "text": "John Smith has fever.", "entities": [], "phi": [{"start": 0, "end": 1.5}]}, "integer 'end'"),
        ({"id": "a", "text": "John Smith has fever.", "entities": [], "sections": [{"start": "0"}]}, "integer 'start'"),
    ],
)
def test_malformed_annotation_records_are_one_line_errors(tmp_path, line, fragment):
    path = write_jsonl(tmp_path / "ann.jsonl", [record("ok"), line])
    result = run(["visualize", path, "-o", tmp_path / "p.html"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "E114" in lines[0] and "line 2" in lines[0] and fragment in lines[0]
    assert "unexpected" not in lines[0] and "John" not in lines[0]


def test_non_utf8_annotation_record_is_a_one_line_error(tmp_path):
    path = tmp_path / "ann.jsonl"
    path.write_bytes(json.dumps(record("ok")).encode() + b"\n" + b'{"id": "a", "text": "Caf\xe9 fever.", "entities": []}\n')
    result = run(["visualize", path, "-o", tmp_path / "p.html"])
    assert result.exit_code == 2 and "E114" in result.stderr and "line 2" in result.stderr and "UTF-8" in result.stderr


def test_render_document_ignores_malformed_spans():
    html = render_document({"id": "a", "text": "No fever.", "entities": [{"start": None, "end": 3}, "x", {"start": 3, "end": 8}],
                            "phi": 5, "sections": [{"start": "0"}]})
    assert html.count('class="ent"') == 1


def test_mixed_inputs_keep_their_order(tmp_path):
    (tmp_path / "m1.txt").write_text("Cough.\n", encoding="utf-8")
    (tmp_path / "m2.txt").write_text("Fever.\n", encoding="utf-8")
    ann = write_jsonl(tmp_path / "r.jsonl", [record("rec")])
    out = tmp_path / "p.html"
    result = run(["visualize", tmp_path / "m1.txt", ann, tmp_path / "m2.txt", "-o", out, "--exclude", "ner"])
    assert result.exit_code == 0, result.output
    assert headings(out.read_text(encoding="utf-8")) == ["m1.txt", "rec", "m2.txt"]
