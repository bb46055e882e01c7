"""Data checks found missing by an audit on the real corpora: near-duplicates, leakage by normalised text,
more suspicious encodings, texts without words, regression targets, label case variants, labels always
given together, text-length summary. Messages name ids and counts, never note text."""

import json
import os
from pathlib import Path

import pytest

from medtext.errors import InputError
from medtext.learn.checks import check_records, format_report

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MEDTEXT_SHARED", REPO.parent / "shared"))
needs_shared = pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="../shared/corpora not available")

BASE = [{"id": f"b{i}", "text": f"plain note number {i}", "label": "ab"[i % 2]} for i in range(20)]
REG = [{"id": f"b{i}", "text": f"plain note number {i}", "label": 1 + i % 5} for i in range(20)]


def problems(recs, **kw):
    return check_records(recs, min_examples=1, **kw)["problems"]


def no_text(rep, *texts):
    lines = format_report(rep)
    return all(t not in line for line in lines for t in texts)


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("text", [
    "the patient\x92s fever",      # cp1252 apostrophe read as Latin-1: a C1 control character
    "fever\x7f",                   # DEL
    "Stra\u00c3\u0178e",           # "Straße" as UTF-8 read as cp1252 ("ÃŸ")
    "\u00c3\u2013dem",             # "Ödem" as UTF-8 read as cp1252 ("Ã–")
    "bad \x1b[0m escape",          # C0 control (ESC)
])
def test_more_suspicious_encodings(text):
    p = problems(BASE + [{"id": "x1", "text": text, "label": "a"}])
    assert p["suspicious_encoding"]["examples"] == ["x1"]


@pytest.mark.parametrize("text", ["néphrite aiguë", "Ödem und Straße", "S\u00c3O PAULO", "tab\there\r\nnew line",
                                  "“quoted” – dash…", "10 µg/kg ± 2 °C"])
def test_clean_unicode_is_not_suspicious(text):
    assert "suspicious_encoding" not in problems(BASE + [{"id": "x1", "text": text, "label": "a"}])


# ----------------------------------------------------------------------------- duplicates and leakage


def test_duplicates_say_how_many_records_and_how_many_are_exact():
    recs = BASE + [{"id": "d1", "text": "Fever and cough.", "label": "a"}, {"id": "d2", "text": "Fever and cough.", "label": "a"},
                   {"id": "d3", "text": "Fever and cough.", "label": "a"}, {"id": "d4", "text": "Chest  PAIN", "label": "b"},
                   {"id": "d5", "text": "chest pain", "label": "b"}]
    rep = check_records(recs, min_examples=1)
    d = rep["problems"]["duplicate_text"]
    assert (d["count"], d["records"], d["exact"]) == (2, 5, 1)
    assert d["examples"] == ["d1 = d2 = d3", "d4 = d5"]
    assert "near_duplicate_text" not in rep["problems"] and "conflicting_labels" not in rep["problems"]


def test_near_duplicates_that_differ_in_punctuation():
    recs = BASE + [{"id": "n1", "text": "Fever, cough.", "label": "a"}, {"id": "n2", "text": "fever cough", "label": "b"},
                   {"id": "n3", "text": "FEVER - cough!", "label": "a"}]
    rep = check_records(recs, min_examples=1)
    near = rep["problems"]["near_duplicate_text"]
    assert (near["count"], near["records"], near["examples"]) == (1, 3, ["n1 ~ n2 ~ n3"])
    assert near["conflicting"] == 1 and "1 of them with different labels" in near["detail"]
    assert "duplicate_text" not in rep["problems"]
    assert no_text(rep, "Fever", "fever", "cough")


def test_leakage_by_punctuation_and_record_counts():
    ev = [{"id": "e1", "text": "Plain note number 3.", "label": "b"},   # punctuation only: near leakage
          {"id": "e2", "text": "PLAIN  note number 4", "label": "a"},   # case and spacing: leakage
          {"id": "e3", "text": "plain note number 4", "label": "a"}]
    p = problems(BASE + [dict(BASE[4], id="b4bis")], eval_records=ev)
    assert (p["leakage"]["count"], p["leakage"]["records"], p["leakage"]["eval_records"]) == (1, 2, 2)
    assert p["leakage"]["examples"] == ["b4 ~ e2"]
    assert (p["near_leakage"]["count"], p["near_leakage"]["examples"]) == (1, ["b3 ~ e1"])


def test_texts_without_words():
    recs = BASE + [{"id": "p1", "text": "...", "label": "a"}, {"id": "p2", "text": " - ", "label": "b"},
                   {"id": "p3", "text": "(2)", "label": "a"}]
    p = problems(recs)
    assert p["no_words"]["examples"] == ["p1", "p2"]
    assert "empty_text" not in p and "near_duplicate_text" not in p   # "..." and "-" are no near-duplicates


def test_multilabel_repeated_label_is_no_conflict():
    recs = [{"id": f"m{i}", "text": f"note {i}", "label": ["a"] if i % 2 else ["b"]} for i in range(10)]
    recs += [{"id": "c1", "text": "same", "label": ["a", "a"]}, {"id": "c2", "text": "same", "label": ["a"]}]
    p = problems(recs, multilabel=True)
    assert p["duplicate_text"]["count"] == 1 and "conflicting_labels" not in p


# ----------------------------------------------------------------------------- regression targets


def test_regression_conflicting_values():
    recs = REG + [{"id": "c1", "text": "same review", "label": 1}, {"id": "c2", "text": "Same review", "label": 9},
                  {"id": "s1", "text": "other review", "label": 4}, {"id": "s2", "text": "other review", "label": 4.0}]
    p = problems(recs, regression=True)
    assert p["duplicate_text"]["count"] == 2
    assert p["conflicting_labels"]["examples"] == ["c1 / c2"] and "values" in p["conflicting_labels"]["detail"]


def test_regression_constant_target_and_summary():
    rep = check_records([dict(r, label=3) for r in REG], regression=True)
    assert rep["problems"]["constant_target"]["examples"] == ["3 (20 records)"]
    assert rep["value_summary"] == {"n": 20, "min": 3.0, "median": 3.0, "mean": 3.0, "max": 3.0, "n_distinct": 1}
    assert "values: min 3, median 3, mean 3, max 3 (1 distinct)" in format_report(rep)


def test_regression_extreme_values():
    p = problems(REG + [{"id": "x1", "text": "a typo", "label": 700}, {"id": "x2", "text": "another", "label": -80}],
                 regression=True)
    assert p["extreme_values"]["examples"] == ["x1 (700)", "x2 (-80)"]
    assert "extreme_values" not in problems(REG, regression=True)


# ----------------------------------------------------------------------------- labels


def test_labels_differing_only_in_case_or_spacing():
    recs = [dict(r, label=["Neoplasms", "neoplasms", "other", "digestive  system", "Digestive system"][i % 5])
            for i, r in enumerate(BASE)]
    p = problems(recs)
    assert sorted(p["label_variants"]["examples"]) == ["digestive  system (4) ~ Digestive system (4)",
                                                       "neoplasms (4) ~ Neoplasms (4)"]
    assert "label_typos" not in p     # equal counts: not the rare-typo pattern that E063 refuses
    with pytest.raises(InputError, match="E066.*label_variants: 2"):
        check_records(recs, strict=True, min_examples=1)


def test_label_variant_already_a_typo_is_reported_once():
    recs = [dict(r, label="Neoplasms" if i == 0 else "neoplasms" if i % 2 else "other") for i, r in enumerate(BASE)]
    p = problems(recs)
    assert p["label_typos"]["examples"] == ["Neoplasms (1) ~ neoplasms (10)"] and "label_variants" not in p


def test_multilabel_labels_always_given_together():
    recs = [{"id": f"m{i}", "text": f"note {i}", "label": ["a", "b", "c"] if i % 3 == 0 else ["a", "b"] if i % 3 == 1
             else ["d"]} for i in range(12)]
    p = problems(recs, multilabel=True)
    assert p["cooccurring_labels"]["examples"] == ["a + b (8 records)"]   # c is with a and b but not always


# ----------------------------------------------------------------------------- report


def test_text_length_summary_in_report_and_lines():
    rep = check_records([dict(r, text="x" * (i + 1)) for i, r in enumerate(BASE)])
    assert rep["text_length"] == {"min": 1, "p01": 1, "median": 11, "p99": 20, "max": 20}
    assert "text length (characters): min 1, 1% 1, median 11, 99% 20, max 20" in format_report(rep)
    assert {"source", "n_records", "label_counts", "problems"} <= set(rep)   # existing fields kept


def test_cli_check_strict_stops_on_a_new_problem(tmp_path):
    from typer.testing import CliRunner

    from medtext.cli.app import app

    p = tmp_path / "t.jsonl"
    rows = [dict(r, label="Flu" if i % 2 else "flu") for i, r in enumerate(BASE)]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = CliRunner().invoke(app, ["check", "--input", str(p)])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout.splitlines()[-1])
    assert list(rep["problems"]) == ["label_variants"] and rep["text_length"]["max"] == 20
    assert CliRunner().invoke(app, ["check", "--input", str(p), "--strict"]).exit_code == 1


# ----------------------------------------------------------------------------- real corpora (counts checked with pandas)


@needs_shared
def test_piboso_counts():
    from medtext.learn.data import read_records

    d = SHARED / "corpora" / "nicta_piboso"
    rep = check_records(read_records(d / "train_clean.txt", "rct"), eval_records=read_records(d / "dev_clean.txt", "rct"))
    p = rep["problems"]
    assert (p["duplicate_text"]["count"], p["duplicate_text"]["records"], p["duplicate_text"]["exact"]) == (9, 24, 9)
    assert p["conflicting_labels"]["count"] == 1 and p["leakage"]["count"] == 1
    assert (p["near_duplicate_text"]["count"], p["near_duplicate_text"]["records"]) == (8, 17)


@needs_shared
def test_druglib_comments_counts():
    from medtext.learn.data import read_records

    path = SHARED / "corpora" / "druglib_reviews" / "drugLibTrain_raw.tsv"
    recs = read_records(path, "tsv", id_field="", text_field="commentsReview", label_field="rating")
    rep = check_records(recs, regression=True)
    p = rep["problems"]
    assert (p["duplicate_text"]["count"], p["duplicate_text"]["records"], p["duplicate_text"]["exact"]) == (40, 102, 37)
    assert p["conflicting_labels"]["count"] == 5 and p["near_duplicate_text"]["count"] == 2
    assert p["no_words"]["count"] == 7 and p["suspicious_encoding"]["count"] == 9
    assert rep["value_summary"]["n_distinct"] == 10 and "extreme_values" not in p


def test_cli_check_leakage_against_an_unlabelled_file(tmp_path):
    """check --eval refused an evaluation file without labels (E159), though leakage compares texts only."""
    from typer.testing import CliRunner

    from medtext.cli.app import app

    tr, ev = tmp_path / "t.jsonl", tmp_path / "test.jsonl"
    tr.write_text("".join(json.dumps(r) + "\n" for r in BASE))
    ev.write_text(json.dumps({"id": "e1", "text": "Plain note number 3"}) + "\n" + json.dumps({"id": "e2", "text": "new"}) + "\n")
    r = CliRunner().invoke(app, ["check", "--input", str(tr), "--eval", str(ev)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.splitlines()[-1])["problems"]["leakage"]["examples"] == ["b3 ~ e1"]
    assert "Plain note" not in r.output
