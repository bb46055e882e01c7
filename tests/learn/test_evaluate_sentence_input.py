"""A sentence-role model is evaluated on abstracts: a JSONL / CSV file of sentences has none, so it is refused
(it was decoded as one abstract of every sentence in the file and scored silently: PIBOSO dev accuracy 0.69
instead of 0.98), as `train --task sentences` refuses it."""

from __future__ import annotations

import json

import pytest

from medtext.errors import InputError
from medtext.learn import evaluate


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_sentence_model_refuses_a_file_without_abstracts(tmp_path, suffix):
    rows = [{"id": f"a-{i}", "abstract_id": "a", "text": t, "label": l}
            for i, (t, l) in enumerate([("Asthma is common.", "background"), ("We gave budesonide.", "intervention")])]
    path = tmp_path / f"sentences{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        path.write_text("id,abstract_id,text,label\n" + "".join(f"{r['id']},a,{r['text']},{r['label']}\n" for r in rows),
                        encoding="utf-8")
    with pytest.raises(InputError, match=r"E067.*rct"):
        evaluate("sentence-roles", str(path))


def test_sentence_model_still_reads_records_with_abstract_ids(tmp_path):
    rows = [{"id": "a-0", "abstract_id": "a", "text": "Asthma is common in children.", "label": "background"},
            {"id": "a-1", "abstract_id": "a", "text": "We randomised 120 children to budesonide.", "label": "population"}]
    metrics = evaluate("sentence-roles", rows)
    assert metrics["n"] == 2
