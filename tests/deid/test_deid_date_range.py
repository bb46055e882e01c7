"""Dates at the ends of the calendar (``12/31/9999``, a sentinel date of EHR exports; ``1/1/0001``) are replaced,
and a run over notes that hold them writes every note."""

from __future__ import annotations

import json
import re

import pytest

from medtext.deid import apply_spans
from medtext.deid.batch import DeidJob, deid_corpus
from medtext.deid.dates import parse_date

EDGE_DATES = ["12/31/9999", "9999-12-31", "Dec 31, 9999", "31 Dec 9999", "0001-01-01", "1/1/0001"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("value", EDGE_DATES)
def test_an_edge_date_gets_a_surrogate(value, seed):
    text = f"Seen {value}."
    out = apply_spans(text, [{"start": 5, "end": 5 + len(value), "label": "DATE"}], "surrogate", seed=seed, doc_key="n")
    assert out.startswith("Seen ") and out.endswith(".") and value not in out


def test_a_shifted_four_digit_year_keeps_four_digits():
    out = [apply_spans("1/3/0002", [{"start": 0, "end": 8, "label": "DATE"}], "surrogate", seed=s, doc_key="n") for s in range(8)]
    shifted = [o for o in out if parse_date(o) is not None and re.fullmatch(r"\d+/\d+/\d{4}", o)]
    assert shifted and all(re.fullmatch(r"\d+/\d+/\d{4}", o) for o in shifted), out


def test_deid_run_writes_every_note_with_an_edge_date(tmp_path, nlp):
    notes = tmp_path / "notes.jsonl"
    rows = [{"id": i, "text": f"Seen on {d} by Dr. Tasker."} for i, d in enumerate(EDGE_DATES)] + [{"id": 99, "text": "Dr. Tasker."}]
    notes.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summaries = [deid_corpus(DeidJob(inputs=[str(notes)], output=str(out), mode="surrogate", seed=seed), nlp=nlp) for seed in range(4)]
    assert all(s.processed == len(rows) and s.failed == 0 for s in summaries)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert not any("Tasker" in r["text"] for r in records)


def test_a_record_whose_replacement_fails_goes_to_the_errors_file(tmp_path, nlp, monkeypatch):
    import medtext.deid.batch as batch

    real = batch.apply_spans

    def failing(text, *args, **kwargs):
        if "Pellowski" in text:
            raise OverflowError("date value out of range")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(batch, "apply_spans", failing)
    notes = tmp_path / "notes.jsonl"
    notes.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["Dr. Tasker.", "Dr. Pellowski.", "Dr. Kay."])),
                     encoding="utf-8")
    summary = deid_corpus(DeidJob(inputs=[str(notes)], output=str(tmp_path / "out.jsonl")), nlp=nlp)
    assert (summary.processed, summary.failed, summary.exit_code) == (2, 1, 1)
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors == [{"id": 1, "source": str(notes), "line": 2, "reason": "de-identification error (OverflowError)"}]
