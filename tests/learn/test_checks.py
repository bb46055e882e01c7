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
