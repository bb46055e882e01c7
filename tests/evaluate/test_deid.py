"""De-id metrics with DESIGN.md's matching rule, on tiny hand-made PhysioNet-format gold files."""

from __future__ import annotations

import pytest

from medtext.errors import InputError
from medtext.evaluate.deid import DeidCounts, evaluate_physionet

NOTE_1 = "Seen by Dr. Kay Lee on 7/23.\n"
NOTE_2 = "No PHI here at all.\n"


def write_pair(tmp_path, phrases, notes=(NOTE_1, NOTE_2)):
    text = "".join(f"START_OF_RECORD=1||||{i}||||\n{note}||||END_OF_RECORD\n\n" for i, note in enumerate(notes, 1))
    (tmp_path / "id.text").write_text(text, encoding="utf-8")
    (tmp_path / "id-phi.phrase").write_text("".join(line + "\n" for line in phrases), encoding="utf-8")
    return tmp_path / "id.text", tmp_path / "id-phi.phrase"


class FakeDoc:
    def __init__(self, phi):
        self._ = type("Underscore", (), {"phi": phi})()


class FakeNlp:
    """Predicts fixed spans per text, so the metrics are checked by hand."""

    def __init__(self, spans_by_text):
        self.spans_by_text = spans_by_text

    def pipe(self, texts, batch_size=64):
        for text in texts:
            yield FakeDoc([{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label in self.spans_by_text.get(text, [])])


def test_matching_rule_by_hand():
    text = "Dr. Kay-Lee on 7/23/97 from Holy Cross."
    counts = DeidCounts()
    gold = [(4, 11, "HCPName"), (15, 22, "Date"), (28, 32, "Location"), (33, 38, "Location")]
    predicted = [(4, 7, "NAME"), (8, 11, "NAME"), (15, 19, "DATE"), (28, 38, "LOCATION"), (0, 2, "NAME")]
    missed = counts.add(text, gold, predicted)
    m = counts.metrics()
    # Kay-Lee: letters covered by two spans (the hyphen needs no cover) -> found;
    # 7/23/97: "97" uncovered -> missed; "Holy Cross" one span covers two gold phrases.
    assert missed == [(15, 22, "Date")]
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["precision"] == pytest.approx(4 / 5)  # "Dr" overlaps nothing
    assert m["f1"] == pytest.approx(2 * 0.8 * 0.75 / 1.55)
    assert m["per_type"]["Date"] == {"recall": 0.0, "n": 1}


def test_evaluate_physionet_counts(tmp_path):
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 15 HCPName Kay", "1 1 16 19 HCPName Lee", "1 1 23 27 Date 7/23"])
    nlp = FakeNlp({NOTE_1: [(12, 19, "NAME"), (0, 4, "NAME")], NOTE_2: [(3, 6, "NAME")]})
    m = evaluate_physionet(text_path, phi_path, nlp=nlp)
    assert (m["n_gold"], m["n_found"], m["n_predicted"], m["n_correct"]) == (3, 2, 3, 1)
    assert m["recall"] == pytest.approx(2 / 3) and m["precision"] == pytest.approx(1 / 3)
    assert m["n_notes"] == 2 and m["notes_per_second"] > 0


def test_offsets_index_the_note_text_after_the_start_line(tmp_path):
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 15 HCPName Kay"])
    from medtext.io.physionet import read_physionet

    note = next(read_physionet(text_path, phi_path))
    assert note.text[12:15] == "Kay"


@pytest.mark.parametrize(
    "line",
    ["1 1 twelve 15 HCPName Kay", "1 1 15 12 HCPName Kay", "garbage", "9 9 0 3 HCPName See"],
)
def test_bad_gold_files_give_a_clear_error(tmp_path, line):
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 15 HCPName Kay", line])
    with pytest.raises(InputError) as err:
        evaluate_physionet(text_path, phi_path, nlp=FakeNlp({}))
    message = str(err.value)
    assert "id-phi.phrase" in message and "line 2" in message
    assert "Kay" not in message  # no note text in errors


def test_missing_gold_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        evaluate_physionet(tmp_path / "id.text", tmp_path / "id-phi.phrase", nlp=FakeNlp({}))


def test_empty_gold_phrases_are_left_out_and_counted(tmp_path):
    """A gold phrase with start == end holds nothing to find, yet counted as a miss: recall fell from 1.0 to
    0.75 (Date 0.5) without a word. It is now left out, counted in n_gold_empty and warned about (W166)."""
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 15 HCPName Kay", "1 1 16 19 HCPName Lee", "1 1 23 23 Date ",
                                                "1 1 23 27 Date 7/23"])
    nlp = FakeNlp({NOTE_1: [(12, 19, "NAME"), (23, 27, "DATE")]})
    msgs = []
    m = evaluate_physionet(text_path, phi_path, nlp=nlp, warn=msgs.append)
    assert (m["recall"], m["n_gold"], m["n_gold_empty"], m["per_type"]["Date"]) == (1.0, 3, 1, {"recall": 1.0, "n": 1})
    assert m["precision"] == 1.0
    assert len(msgs) == 1 and "W166" in msgs[0] and "1 of 4" in msgs[0] and "line 3" in msgs[0]
    counts = DeidCounts()
    assert counts.add(NOTE_1, [(5, 5, "Name"), (12, 15, "HCPName")], [(12, 15)]) == []
    assert (counts.metrics()["n_gold"], counts.metrics()["n_gold_empty"], counts.metrics()["recall"]) == (1, 1, 1.0)


def test_gold_of_empty_phrases_only_is_refused(tmp_path):
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 12 HCPName ", "1 2 3 3 Date "])
    with pytest.raises(InputError, match="E118.*non-empty PHI phrases"):
        evaluate_physionet(text_path, phi_path, nlp=FakeNlp({}))


def test_text_and_phi_the_same_file_is_named(tmp_path):
    """`--text id.text --phi id.text` said "Malformed physionet file ... line 1: expected 'patient note start
    end TYPE text'", after loading the whole pipeline."""
    text_path, _ = write_pair(tmp_path, ["1 1 12 15 HCPName Kay"])
    for phi in (text_path, tmp_path / "." / "id.text"):
        with pytest.raises(InputError, match="E167.*same file"):
            evaluate_physionet(text_path, phi, nlp=FakeNlp({}))


def test_bad_gold_fails_before_the_pipeline_loads(tmp_path, monkeypatch):
    import medtext.pipeline.loader as loader

    monkeypatch.setattr(loader, "load", lambda *a, **k: pytest.fail("the pipeline was loaded for bad gold"))
    text_path, phi_path = write_pair(tmp_path, ["1 1 12 15 HCPName Kay", "garbage"])
    with pytest.raises(InputError, match="E009"):
        evaluate_physionet(text_path, phi_path)
