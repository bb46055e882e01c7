from medtext.learn.checks import check_records, format_report


def test_all_problem_kinds():
    recs = [
        {"id": 1, "text": "Fever and cough.", "label": "flu"},
        {"id": 2, "text": "fever  and cough.", "label": "cold"},       # duplicate with a different label
        {"id": 3, "text": "", "label": "flu"},
        {"id": 4, "text": "NÃ©phrite aiguÃ«", "label": "flu"},          # mojibake
        {"id": 5, "text": "Sore throat.", "label": "Flu"},             # typo / case variant of flu
    ] + [{"id": 10 + i, "text": f"case {i}", "label": "flu"} for i in range(20)]
    ev = [{"id": "e1", "text": "Sore throat.", "label": "flu"}]
    rep = check_records(recs, eval_records=ev)
    p = rep["problems"]
    assert p["empty_text"]["examples"] == ["3"]
    assert p["duplicate_text"]["count"] == 1 and p["conflicting_labels"]["count"] == 1
    assert p["suspicious_encoding"]["examples"] == ["4"]
    assert p["leakage"]["examples"] == ["5 ~ e1"]
    assert "rare_labels" in p and "class_imbalance" in p and "label_typos" in p
    lines = format_report(rep)
    assert all("Fever" not in l and "throat" not in l for l in lines)   # ids and counts only


def test_clean_file():
    recs = [{"id": i, "text": f"text number {i}", "label": "ab"[i % 2]} for i in range(20)]
    assert check_records(recs)["problems"] == {}


# ----------------------------------------------------------------------------- check reads labels as train does

import json  # noqa: E402

import pytest  # noqa: E402

from medtext.errors import InputError  # noqa: E402
from medtext.learn import train  # noqa: E402
from medtext.learn.data import read_records  # noqa: E402

ROWS = [{"id": f"r{i}", "text": f"note number {i} about {'fever' if i % 2 else 'cough'}", "label": 1 + i % 5}
        for i in range(20)]


def _file(tmp_path, rows, name="t.jsonl"):
    p = tmp_path / name
    if name.endswith(".csv"):
        p.write_text("id,text,label\n" + "".join(f"{r['id']},{r['text']},{r['label']}\n" for r in rows))
    else:
        p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return p


BAD = {
    "regress: a word": ("regress", "t.jsonl", {3: "ten"}, "not_a_number", "E064"),
    "regress: inf": ("regress", "t.jsonl", {3: "inf"}, "not_a_number", "E064"),
    "regress: CSV NaN cell": ("regress", "t.csv", {3: "NaN"}, "missing_label", "E060"),
    "classify: CSV NaN cell": ("classify", "t.csv", {3: "NaN"}, "missing_label", "E060"),
    "classify: blank label": ("classify", "t.jsonl", {3: "  "}, "missing_label", "E060"),
    "classify: label list": ("classify", "t.jsonl", {3: ["a", "b"]}, "label_list", "E076"),
    "classify: label object": ("classify", "t.jsonl", {3: {"a": 1}}, "label_object", "E180"),
    "regress: label object": ("regress", "t.jsonl", {3: {"score": 7}}, "label_object", "E180"),
    "multilabel: label object": ("multilabel", "t.jsonl", {3: {"a": True}}, "label_object", "E180"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_check_finds_what_train_refuses(tmp_path, case):
    task, name, edits, problem, code = BAD[case]
    as_task = (lambda v: [str(v)]) if task == "multilabel" else (lambda v: v)
    rows = [dict(r, label=edits.get(i, as_task(r["label"]))) for i, r in enumerate(ROWS)]
    p = _file(tmp_path, rows, name)
    rep = check_records(read_records(p), regression=task == "regress", multilabel=task == "multilabel")
    assert rep["problems"][problem]["examples"] == ["r3"]
    with pytest.raises(InputError, match=code) as exc:
        train(str(p), task=task, features={"min_df": 1}, checks=False, label_field="label")
    assert "r3" in str(exc.value)           # the record is named (E064 said "record ?")
    if problem == "label_object":           # says what was given and what to give (E076 said "a list of labels")
        assert "JSON object" in str(exc.value) and "list of labels" not in str(exc.value)
        assert '"label": "neoplasms"' in str(exc.value)


def test_check_of_an_empty_file_fails_like_train(tmp_path):
    p = tmp_path / "empty.jsonl"
    p.write_text("")
    with pytest.raises(InputError, match="E065"):
        check_records(read_records(p))


def test_multilabel_json_strings_count_single_labels():
    recs = [{"id": i, "text": f"t {i}", "label": json.dumps(["A", "B"] if i % 2 else ["A"])} for i in range(10)]
    rep = check_records(recs, multilabel=True)
    assert rep["label_counts"] == {"A": 10, "B": 5}


def test_bad_text_is_not_reported_as_missing_label(tmp_path):
    p = _file(tmp_path, [dict(r, text="") if i == 2 else r for i, r in enumerate(ROWS)])
    p.write_text(p.read_text() + "not json\n")
    rep = check_records(read_records(p))
    assert rep["problems"]["empty_text"]["examples"] == ["r2"]
    assert rep["problems"]["unreadable_record"]["examples"] == ["t.jsonl:21"]
    assert "missing_label" not in rep["problems"]


def test_comma_separated_multilabel_strings_are_flagged():
    recs = [{"id": i, "text": f"t {i}", "label": "A, B" if i == 4 else "A|B"} for i in range(10)]
    rep = check_records(recs, multilabel=True)
    assert rep["problems"]["comma_separated_labels"]["examples"] == ["4"]


# ----------------------------------------------------------------------------- duplicate record ids


def _dup_rows(n_ids: int = 7):
    """Two records under each of ``n_ids`` ids (one of them 60 characters long), plus unique ones."""
    long_id = "visit-" + "x" * 54
    rows = []
    for i in range(n_ids):
        rid = long_id if i == 0 else f"n{i}"
        rows += [{"id": rid, "text": f"fever case {i}", "label": "a"}, {"id": rid, "text": f"cough case {i}", "label": "b"}]
    return rows + [{"id": f"u{i}", "text": f"pain case {i}", "label": "ab"[i % 2]} for i in range(10)]


def test_duplicate_ids_are_counted_with_a_few_short_examples():
    rep = check_records(_dup_rows(), examples=10)
    p = rep["problems"]["duplicate_id"]
    assert p["count"] == 7 and len(p["examples"]) == 5                     # at most 5 examples
    assert p["examples"][0] == "visit-" + "x" * 31 + "... (2 records)" and p["examples"][1] == "n1 (2 records)"
    assert all("fever" not in l and "cough" not in l for l in format_report(rep))


def test_ids_that_differ_in_type_or_are_missing_are_not_duplicates():
    recs = [{"id": 1, "text": "a", "label": "x"}, {"id": "1", "text": "b", "label": "y"},
            {"id": None, "text": "c", "label": "x"}, {"id": None, "text": "d", "label": "y"}]
    assert "duplicate_id" not in check_records(recs, min_examples=1)["problems"]


def test_strict_refuses_duplicate_ids_in_check_and_train(tmp_path):
    import json

    import pytest

    from medtext.errors import InputError
    from medtext.learn import train

    with pytest.raises(InputError, match="E066.*duplicate_id: 7"):
        check_records(_dup_rows(), strict=True, min_examples=1)
    path = tmp_path / "dup.csv"
    path.write_text("id,text,label\n" + "".join(f'{r["id"]},{r["text"]},{r["label"]}\n' for r in _dup_rows()))
    with pytest.raises(InputError, match="E066.*duplicate_id: 7"):
        train(str(path), strict=True, features={"min_df": 1, "char_ngram_range": None})
    _, report = train(str(path), features={"min_df": 1, "char_ngram_range": None})
    assert report["checks"]["problems"]["duplicate_id"]["count"] == 7


# ----------------------------------------------------------------------------- one label only


@pytest.mark.parametrize("labels,multilabel,problem,code", [
    (["a"] * 20, False, "single_label", "E062"),
    ([1 if i % 2 else "1" for i in range(20)], False, "single_label", "E062"),   # 1 and "1": one label
    ([[] for _ in range(20)], True, "no_labels", "E062"),
])
def test_check_finds_a_single_label_that_train_refuses(tmp_path, labels, multilabel, problem, code):
    """check reported "no problems found" (and `medtext check --strict` exited 0) for a file whose records
    all have one label, which training then refuses (E062)."""
    rows = [dict(r, label=l) for r, l in zip(ROWS, labels)]
    p = _file(tmp_path, rows)
    rep = check_records(read_records(p), multilabel=multilabel)
    assert list(rep["problems"]) == [problem]
    assert all("fever" not in line for line in format_report(rep))
    with pytest.raises(InputError, match=code):
        train(str(p), task="multilabel" if multilabel else "classify", label_field="label", features={"min_df": 1},
              checks=False)


def test_two_labels_are_no_single_label_problem():
    assert check_records([dict(r, label="ab"[i % 2]) for i, r in enumerate(ROWS)])["problems"] == {}
