"""Gold-format readers on hand-written fixtures (tests/io/data), and their malformed-input errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtext.errors import InputError
from medtext.io import (
    Ab3pRecord,
    BadRecord,
    BratAttribute,
    BratEntity,
    BratEvent,
    BratNormalization,
    BratNote,
    BratRelation,
    Document,
    iob_to_spans,
    rct_documents,
    read_ab3p,
    read_brat,
    read_conll,
    read_negex,
    read_physionet,
    read_pubtator,
    read_rct,
    split_ids,
    write_brat,
)

DATA = Path(__file__).parent / "data"


def _gold_error(tmp_path: Path, reader, content: bytes, name: str = "g.txt", code: str = "E009", line=None):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(InputError, match=code) as info:
        list(reader(f))
    if line is not None:
        assert f"at line {line}:" in str(info.value)
    assert str(f) in str(info.value)
    return info.value


# PubTator


def test_pubtator_documents_mentions_and_relations() -> None:
    docs = list(read_pubtator(DATA / "sample.pubtator"))
    assert [d.id for d in docs] == ["111", "222", "333"]
    d = docs[0]
    assert d.text == d.title + " " + d.abstract
    assert [(d.text[m.start : m.end], m.text) for m in d.mentions] == [(m.text, m.text) for m in d.mentions]
    assert d.misaligned() == []
    assert [m.ids for m in d.mentions] == [("D001241",), ("D001249",), (), ("D056486", "D058186")]
    assert d.mentions[2].raw_id == "-1"
    assert d.mentions[3].extra == ("hepatic toxicity|renal toxicity",)
    assert [tuple(r) for r in d.relations] == [("CID", "D001241", "D001249")]
    assert docs[1].abstract == "" and docs[1].mentions[0].ids == ("D012640", "D004827")
    assert docs[2].line == 13 and docs[2].text[7:12] == "Cough"  # no blank line before its title
    meta = d.to_document("x").meta
    assert meta["mentions"][3]["ids"] == ["D056486", "D058186"] and meta["relations"] == [["CID", "D001241", "D001249"]]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"1\t0\t3\tabc\tDisease\tD1\n", 1),  # annotation before any title
        (b"1|t|Abc.\n1|a|Def.\n1\tx\t3\tAbc\tDisease\tD1\n", 3),  # offsets not integers
        (b"1|t|Abc.\n1|a|Def.\n2\t0\t3\tAbc\tDisease\tD1\n", 3),  # another PMID's line
        (b"1|t|Abc.\n1|a|Def.\n1\t0\t3\n", 3),  # too few columns
        (b"1|t|Abc.\n1|a|Def.\n1\t0\t99\tAbc\tDisease\tD1\n", 3),  # offsets outside the text
        (b"1|t|Abc.\n2|a|Def.\n", 2),  # abstract of another PMID
    ],
)
def test_pubtator_malformed(tmp_path, content: bytes, line: int) -> None:
    _gold_error(tmp_path, read_pubtator, content, line=line)


def test_split_ids() -> None:
    assert split_ids("D001943|D010051") == ("D001943", "D010051")
    assert split_ids("D020279+D035583") == ("D020279", "D035583")
    assert split_ids("D1,D2") == ("D1", "D2")
    assert split_ids("-1") == ()
    assert split_ids("") == ()


# CoNLL


def test_conll_sentences_tabs_spaces_docstart() -> None:
    sents = list(read_conll(DATA / "sample.conll"))
    assert [s.tokens for s in sents] == [
        ("Aspirin", "-", "induced", "asthma", "."),
        ("Renal", "failure", "was", "seen"),
    ]
    assert [s.line for s in sents] == [3, 10]
    assert sents[1].spans() == [(0, 2, "Disease")]  # I- without B- starts an entity
    doc = sents[0].to_document(str(DATA / "sample.conll"))
    assert doc.id == "sample.conll:3" and doc.text == "Aspirin - induced asthma ."
    assert [(e["text"], e["label"]) for e in doc.meta["entities"]] == [("Aspirin", "Chemical"), ("asthma", "Disease")]
    assert all(doc.text[e["start"] : e["end"]] == e["text"] for e in doc.meta["entities"])


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["O", "O"], []),
        (["B-X", "I-X", "O"], [(0, 2, "X")]),
        (["I-X", "I-X"], [(0, 2, "X")]),
        (["B-X", "B-X"], [(0, 1, "X"), (1, 2, "X")]),
        (["B-X", "I-Y"], [(0, 1, "X"), (1, 2, "Y")]),
        (["O", "I-X", "O", "I-X"], [(1, 2, "X"), (3, 4, "X")]),
        (["S-X", "B-Y", "E-Y", "O"], [(0, 1, "X"), (1, 3, "Y")]),
        (["Disease", "Disease", "O"], [(0, 2, "Disease")]),
        (["B-X", "I-X"], [(0, 2, "X")]),
    ],
)
def test_iob_to_spans(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert iob_to_spans(["t"] * len(tags), tags) == spans


def test_iob_to_spans_length_mismatch() -> None:
    with pytest.raises(ValueError):
        iob_to_spans(["a"], [])


def test_conll_malformed(tmp_path) -> None:
    _gold_error(tmp_path, read_conll, b"Aspirin\tB-Chemical\nalone\n", line=2)


# RCT


def test_rct_abstracts_with_and_without_blank_lines() -> None:
    abstracts = list(read_rct(DATA / "sample_rct.txt"))
    assert [(a.id, len(a.sentences), a.line) for a in abstracts] == [("1001", 3, 1), ("1002", 1, 6), ("1003", 1, 8)]
    assert abstracts[0].sentences[1].label == "METHODS"
    assert abstracts[2].sentences[0].text == "It  works .\t(tab kept)"


def test_rct_documents() -> None:
    docs = list(rct_documents(DATA / "sample_rct.txt"))
    assert [d.id for d in docs] == ["1001:0", "1001:1", "1001:2", "1002:0", "1003:0"]
    assert docs[2].meta == {"label": "RESULTS", "abstract_id": "1001", "position": 2, "n_sentences": 3}
    assert docs[2].line == 4 and docs[2].text == "Fever fell in 30 of 40 ."


def test_rct_empty_sentence_is_a_bad_record(tmp_path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("###1\nA\tfine .\nB\t\n")
    out = list(rct_documents(f))
    assert isinstance(out[0], Document) and out[1] == BadRecord("1:1", str(f), 3, "empty text")


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"BACKGROUND\tNo id yet .\n", 1), (b"###1\nno tab here\n", 2)],
)
def test_rct_malformed(tmp_path, content: bytes, line: int) -> None:
    _gold_error(tmp_path, read_rct, content, line=line)


# NegEx


def test_negex_rows() -> None:
    rows = list(read_negex(DATA / "sample_negex.txt"))
    assert [(r.report, r.concept, r.negated, r.line) for r in rows] == [
        ("1", "fever", True, 2),
        ("1", "chest   pain", False, 3),
        ("2", "cough", True, 4),  # label case-insensitive
    ]
    assert rows[1].sentence == "Chest pain, shortness of breath, and nausea."
    doc = rows[0].to_document("sample_negex.txt")
    assert doc.id == "sample_negex.txt:2" and doc.meta["label"] == "Negated" and doc.text == "The patient denies fever."


def test_negex_bad_label_and_bad_header(tmp_path) -> None:
    header = b"Report No.\tConcept\tSentence\tNegation\r\n"
    _gold_error(tmp_path, read_negex, header + b"1\tfever\tNo fever.\tPossible\r\n", line=2)
    _gold_error(tmp_path, read_negex, header + b"1\tfever\tNo fever.\r\n", name="h.txt", line=2)
    _gold_error(tmp_path, read_negex, b"id\ttext\n1\tx\n", name="bad.txt", code="E006")


# PhysioNet


def test_physionet_notes_and_phi_offsets() -> None:
    notes = list(read_physionet(DATA / "sample.text", DATA / "sample-phi.phrase"))
    assert [(n.patient, n.note, n.line) for n in notes] == [(1, 1, 1), (1, 2, 7), (2, 1, 11)]
    first = notes[0]
    assert first.text.startswith("Pt seen by Dr. Kay") and first.text.endswith("555-0199.\n\n")
    assert all(first.text[p.start : p.end] == p.text and p.aligned for p in first.phi)
    assert [p.type for p in first.phi] == ["HCPName", "Location", "Date", "Phone"]
    assert notes[1].phi == ()
    assert [(p.text, p.aligned) for p in notes[2].phi] == [("Ann", True), ("Anne", False)]  # kept, flagged
    doc = notes[2].to_document("x")
    assert doc.id == "2-1" and doc.meta["phi"][1] == {"start": 0, "end": 4, "label": "PTName", "text": "Anne", "aligned": False}


def test_physionet_without_phi_file() -> None:
    notes = list(read_physionet(DATA / "sample.text"))
    assert len(notes) == 3 and all(n.phi == () for n in notes)


def test_physionet_phi_for_a_missing_note_raises_before_yielding(tmp_path) -> None:
    phi = tmp_path / "x-phi.phrase"
    phi.write_text("1 1 0 2 Date 3/\n9 9 0 1 Date 1\n")
    with pytest.raises(InputError, match=r"E009.*line 2.*patient 9 note 9"):
        read_physionet(DATA / "sample.text", phi)


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"stray text\n", 1),
        (b"START_OF_RECORD=1||||1||||\nabc\nSTART_OF_RECORD=1||||2||||\n", 3),
        (b"START_OF_RECORD=1||||1||||\nabc\n", 1),
        (b"START_OF_RECORD=1||||1||||\nabc\n||||END_OF_RECORD trailing\n", 3),
    ],
)
def test_physionet_malformed(tmp_path, content: bytes, line: int) -> None:
    _gold_error(tmp_path, read_physionet, content, name="id.text", line=line)


def test_physionet_malformed_phrase_line(tmp_path) -> None:
    phi = tmp_path / "p.phrase"
    phi.write_text("1 1 48 Location\n")
    with pytest.raises(InputError, match="E009.*line 1"):
        read_physionet(DATA / "sample.text", phi)


# Ab3P


def test_ab3p_records_pairs_and_verbatim_text() -> None:
    records = list(read_ab3p(DATA / "sample_labeled"))
    assert [r.pmid for r in records] == ["1001", "1002"]
    r = records[0]
    assert r.title == "Heart rate (HR) in mice.\r "  # bare CR kept, only the line end removed
    assert r.abstract.endswith("rose.\r Then the HR fell.")
    assert r.text == r.title + " " + r.abstract
    assert r.pairs == (("HR", "heart rate"), ("BP", "blood pressure"))
    assert r.synonyms == (("H.R.", "heart rate"),)
    assert r.comments[0] == "//“BP” also used"  # cp1252 bytes decoded
    assert records[1] == Ab3pRecord("1002", "No abbreviations.", "Nothing to see.", (), 9)
    assert r.to_document().meta["pairs"] == [["HR", "heart rate"], ["BP", "blood pressure"]]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"abc\nTitle\nAbstract\n", 1),
        (b"1\nTitle only\n", 1),
        (b"1\nT\nA\nstray line\n", 4),
        (b"1\nT\nA\n  no bar here\n", 4),
    ],
)
def test_ab3p_malformed(tmp_path, content: bytes, line: int) -> None:
    _gold_error(tmp_path, read_ab3p, content, line=line)


# BRAT


def test_brat_folder() -> None:
    docs = list(read_brat(DATA / "brat"))
    assert [d.id for d in docs] == ["n1", "n3", "sub/n2"]
    n1 = docs[0]
    assert n1.entities == (
        BratEntity("T1", "Problem", ((3, 8),), "fever"),
        BratEntity("T2", "Problem", ((10, 15), (16, 20)), "Chest pain"),
    )
    assert n1.fragments(n1.entities[1]) == ["Chest", "pain"]
    assert n1.attributes == (BratAttribute("A1", "Negated", "T1", None), BratAttribute("A2", "Severity", "T2", "Mild"))
    assert n1.relations == (
        BratRelation("R1", "CoOccurs", (("Arg1", "T1"), ("Arg2", "T2"))),
        BratRelation("*", "Equiv", (("", "T1"), ("", "T2"))),
    )
    assert n1.events == (BratEvent("E1", "Finding", "T2", (("Theme", "T1"),)),)
    assert n1.normalizations == (BratNormalization("N1", "Reference", "T1", "UMLS:C0015967", "Fever"),)
    assert n1.notes == (BratNote("#1", "AnnotatorNotes", "T2", "discontinuous"),)
    assert docs[1].entities == ()
    meta = n1.to_document().meta["entities"]
    assert meta[0]["attributes"] == {"Negated": True} and meta[1]["attributes"] == {"Severity": "Mild"}


def test_brat_single_files(tmp_path) -> None:
    (doc,) = list(read_brat(DATA / "brat" / "n1.ann"))
    assert doc.id == "n1" and len(doc.entities) == 2
    (doc,) = list(read_brat(DATA / "brat" / "sub" / "n2.txt"))
    assert doc.text[0:5] == doc.entities[0].text == "Cough"
    lonely = tmp_path / "x.ann"
    lonely.write_text("T1\tP 0 1\tx\n")
    with pytest.raises(InputError, match="E007"):
        list(read_brat(lonely))


@pytest.mark.parametrize(
    "ann",
    [
        "T1\tProblem 0 5\n",  # no text column
        "T1\tProblem 0 x\tfever\n",
        "T1\tProblem 0 500\tfever\n",  # outside the text
        "A1\tNegated\n",
        "Q1\tWhat T1\n",
        "\tProblem 0 1\tN\n",
    ],
)
def test_brat_malformed(tmp_path, ann: str) -> None:
    (tmp_path / "d.txt").write_text("No fever.\n")
    (tmp_path / "d.ann").write_text("T9\tOk 0 2\tNo\n" + ann)
    with pytest.raises(InputError, match="E009.*line 2"):
        list(read_brat(tmp_path))


def test_write_brat_round_trip(tmp_path) -> None:
    text = "Denies chest\npain. Fever 39 °C.\n"
    entities = [
        {"start": 7, "end": 17, "text": "chest\npain", "label": "PROBLEM", "negated": True, "codes": [{"system": "SNOMED", "code": "29857009"}]},
        {"start": 19, "end": 24, "text": "Fever", "label": "PROBLEM", "uncertain": True, "historical": False},
    ]
    txt, ann = write_brat("note-1", text, entities, tmp_path / "out")
    assert txt.read_bytes() == text.encode("utf-8")
    (doc,) = list(read_brat(tmp_path / "out"))
    assert doc.text == text
    assert doc.entities == (
        BratEntity("T1", "PROBLEM", ((7, 12), (13, 17)), "chest pain"),
        BratEntity("T2", "PROBLEM", ((19, 24),), "Fever"),
    )
    assert doc.attributes == (BratAttribute("A1", "Negated", "T1", None), BratAttribute("A2", "Uncertain", "T2", None))
    assert doc.notes == (BratNote("#1", "AnnotatorNotes", "T1", "SNOMED:29857009"),)


def test_gold_errors_do_not_quote_text(tmp_path) -> None:
    err = _gold_error(tmp_path, read_pubtator, b"1|t|Abc.\n1|a|Def.\nPatient John Secret\tfever\n", line=3)
    assert "Secret" not in str(err)
