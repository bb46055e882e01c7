import json

import pytest
import spacy

import medtext
from medtext.errors import RuleError
from medtext.pipeline.loader import component_names
from medtext.pipeline.sections import SectionDetector, read_rules


@pytest.fixture(scope="module")
def detector():
    return SectionDetector(spacy.blank("en"))


def categories(detector, text):
    return [(s["category"], s["title"], s["start"]) for s in detector.find(text)]


def test_line_start_headers(detector):
    text = "CHIEF COMPLAINT: Cough.\nHistory of Present Illness: Two days.\nMedications: none"
    assert categories(detector, text) == [
        ("chief_complaint", "CHIEF COMPLAINT", 0),
        ("history_of_present_illness", "History of Present Illness", 24),
        ("medications", "Medications", 62),
    ]


def test_transcribed_mid_line_headers(detector):
    text = "SUBJECTIVE:, Well.,MEDICATIONS: , Aspirin.,ALLERGIES: , None."
    found = categories(detector, text)
    assert [c for c, _, _ in found] == ["subjective", "medications", "allergies"]
    assert [text[s:s + len(t)] for _, t, s in found] == ["SUBJECTIVE", "MEDICATIONS", "ALLERGIES"]


def test_sections_span_to_next_header(detector):
    text = "PLAN: rest.\nALLERGIES: none."
    first, second = detector.find(text)
    assert (first["start"], first["end"], second["end"]) == (0, 12, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "He has a family history: none of note.",  # lower case mid-line is prose
        "The plan: rest and fluids.",
        "Unknown Header: text",
    ],
)
def test_prose_is_not_a_header(detector, text):
    assert detector.find(text) == []


def test_upper_case_header_line_without_colon(detector):
    assert categories(detector, "HISTORY OF PRESENT ILLNESS\nPain.") == [("history_of_present_illness", "HISTORY OF PRESENT ILLNESS", 0)]


def test_user_rules_extend_and_survive_save(tmp_path):
    nlp = medtext.load(exclude=[n for n in ("ner",) if n in component_names()])
    nlp.get_pipe("sections").add_rules([{"category": "medications", "titles": ["drug list"]}])
    text = "DRUG LIST: aspirin"
    assert nlp(text)._.sections[0]["category"] == "medications"
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    assert again(text)._.sections[0]["category"] == "medications"
    assert (tmp_path / "p" / "sections" / "rules.jsonl").read_text().strip()


def test_rules_file(tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text(json.dumps({"category": "x", "pattern": "problems?( list)?"}) + "\n")
    detector = SectionDetector(spacy.blank("en"))
    detector.add_rules(read_rules(path))
    assert detector.find("Problem List: asthma")[0]["category"] == "x"


@pytest.mark.parametrize(
    "line,fragment",
    [
        ("not json", "invalid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"titles": ["a"]}', "'category'"),
        ('{"category": "a", "titles": "meds"}', "list of non-empty strings"),
        ('{"category": "a", "pattern": "("}', "not a valid regular expression"),
        ('{"category": "a"}', "needs 'titles' or 'pattern'"),
        ('{"category": "a", "titles": ["b"], "colour": 1}', "unknown keys"),
    ],
)
def test_bad_rule_files_name_file_and_line(tmp_path, line, fragment):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"category": "ok", "titles": ["ok"]}\n' + line + "\n")
    with pytest.raises(RuleError) as info:
        read_rules(path)
    message = str(info.value)
    assert "bad.jsonl" in message and "line 2" in message and fragment in message


@pytest.mark.parametrize("brk", ["\r", "\u2028", "\u2029", "\x0c", "\x0b", "\x85"])
def test_other_line_breaks_break_lines_like_newlines(brk):
    """Sections and sentences see the same lines, whatever character breaks them (old Mac files, form feeds,
    Unicode line separators)."""
    nlp = medtext.load(exclude=["ner", "phi"])
    lf = "CHIEF COMPLAINT: Cough\nHISTORY: Smoker\nPLAN: Rest"
    cr = lf.replace("\n", brk)
    doc_lf, doc_cr = nlp(lf), nlp(cr)
    assert [s["title"] for s in doc_cr._.sections] == ["CHIEF COMPLAINT", "HISTORY", "PLAN"]
    assert doc_cr._.sections == doc_lf._.sections
    assert [(s.start_char, s.end_char) for s in doc_cr.sents] == [(s.start_char, s.end_char) for s in doc_lf.sents]
    lines = "Cough and fever for 3 days\nNo rash\nRest and fluids"  # no headers: the line breaks alone split
    doc_lf, doc_cr = nlp(lines), nlp(lines.replace("\n", brk))
    assert len(list(doc_lf.sents)) == 3
    assert [(s.start_char, s.end_char) for s in doc_cr.sents] == [(s.start_char, s.end_char) for s in doc_lf.sents]
