"""README examples that can be checked mechanically: the annotation record and the tokenizer's splits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme() -> str:
    if not README.is_file():
        pytest.skip("no README.md beside the tests")
    return README.read_text(encoding="utf-8")


def _record_example() -> dict:
    section = _readme().split("## The annotation record", 1)[1]
    return json.loads(section.split("```json", 1)[1].split("```", 1)[0])


def test_record_example_has_the_fields_a_record_has(nlp):
    from medtext.pipeline.record import doc_to_record

    example = _record_example()
    record = doc_to_record(nlp("CHIEF COMPLAINT: fever. Congestive heart failure (CHF). Seen by Dr. John Smith."), "n")
    assert set(example) == set(record)
    for key in ("sections", "entities", "abbreviations", "phi"):
        assert record[key], key  # the note above has one of each
        assert set(example[key][0]) == set(record[key][0]), key


def test_record_example_offsets_span_their_text():
    # was: "pneumonia" at [40, 48], one character short
    example = _record_example()
    for key, field in (("entities", "text"), ("abbreviations", "short"), ("phi", "text")):
        for item in example[key]:
            assert item["end"] - item["start"] == len(item[field]), (key, item[field])


def _tokenizer_claims() -> list[tuple[str, list[str]]]:
    row = next(line for line in _readme().splitlines() if line.startswith("| tokenizer ("))
    # "`10mg` → `10` `mg`": the text before the arrow, the tokens after it
    return [(text, re.findall(r"`([^`]+)`", tokens))
            for text, tokens in re.findall(r"`([^`]+)` → ((?:`[^`]+` ?)+)", row)]


def test_tokenizer_row_splits_as_the_tokenizer_does(nlp):
    claims = _tokenizer_claims()
    assert len(claims) >= 5 and ("STATUS.B/S", ["STATUS", ".", "B", "/", "S"]) in claims  # was `STATUS` `.` `B/S`
    for text, tokens in claims:
        assert [t.text for t in nlp.tokenizer(text)] == tokens, text


@pytest.mark.slow
def test_python_api_block_runs_as_written(tmp_path):
    """The README's first ``python`` block, run in a fresh interpreter in a folder holding the files it names."""
    import subprocess
    import sys

    text = _readme().split("## Python API", 1)[1]
    code = text.split("```python", 1)[1].split("```", 1)[0]
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("CHIEF COMPLAINT: Cough.\nNo fever. CHF.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text('id,body\nn1,"No fever."\nn2,\n', encoding="utf-8")
    (tmp_path / "my_headers.jsonl").write_text('{"category": "medications", "titles": ["drug list"]}\n', encoding="utf-8")
    env = {"PYTHONPATH": str(README.parent), "PATH": "/usr/bin:/bin", "MEDTEXT_CACHE": "off"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_components_block_runs_and_says_what_it_prints():
    """The README's second ``python`` block (medtext components in a blank spaCy pipeline); a line whose comment
    is ``# True`` or ``# False`` must give that value."""
    text = _readme().split("## Python API", 1)[1]
    code = text.split("```python", 2)[2].split("```", 1)[0]
    lines = []
    for line in code.splitlines():
        claim = re.match(r"^(\S.*?)\s+#\s*(True|False)\s*$", line)
        lines.append(f"assert ({claim.group(1)}) is {claim.group(2)}, {claim.group(1)!r}" if claim else line)
    assert any(line.startswith("assert") for line in lines)
    exec(compile("\n".join(lines), "README.md", "exec"), {})
