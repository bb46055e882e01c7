import pickle

import pytest
import spacy

from medtext.pipeline.tokenizer import MedtextTokenizer


@pytest.fixture(scope="module")
def tokenize():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    return lambda text: [t.text for t in nlp(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("10mg", ["10", "mg"]),
        ("5 mg/kg", ["5", "mg/kg"]),
        ("2 mg/kg/day", ["2", "mg/kg/day"]),
        ("p.o. q.i.d. b.i.d. t.i.d. p.r.n.", ["p.o.", "q.i.d.", "b.i.d.", "t.i.d.", "p.r.n."]),
        ("s/p CABG", ["s/p", "CABG"]),
        ("x3", ["x3"]),
        ("2+ edema", ["2+", "edema"]),
        # chemistry whose gold mentions end inside a chunk (BC5CDR)
        ("amphotericin B-induced", ["amphotericin", "B", "-", "induced"]),
        ("L-[3H]nicotine", ["L", "-", "[3H", "]", "nicotine"]),
        ("Na+/K+ ATPase", ["Na", "+", "/", "K", "+", "ATPase"]),
        ("Ca+2", ["Ca", "+", "2"]),
        ("saline+DMSO", ["saline", "+", "DMSO"]),
        ("Na(+)", ["Na", "(", "+", ")"]),
        ("thallium-201", ["thallium", "-", "201"]),
        ("X-linked", ["X-linked"]),
        ("HER2+", ["HER2+"]),
        ("5-10", ["5-10"]),
        ("BP 120/80", ["BP", "120/80"]),
        ("3.5 cm", ["3.5", "cm"]),
        ("**NAME[AAA, BBB] seen", ["**NAME[AAA, BBB]", "seen"]),
        ("on [**2101-10-3**].", ["on", "[**2101-10-3**]", "."]),
        ("at [**Hospital 1234**]", ["at", "[**Hospital 1234**]"]),
        ("**INSTITUTION.", ["**INSTITUTION", "."]),
        ("glucose-6-phosphate", ["glucose-6-phosphate"]),
        ("5-fluorouracil", ["5-fluorouracil"]),
        ("L-dopa", ["L-dopa"]),
        ("naloxone-induced", ["naloxone", "-", "induced"]),
        ("(PAN)-induced", ["(", "PAN", ")", "-", "induced"]),
        ("vitamin D.", ["vitamin", "D", "."]),
        ("Aspirin.,ALLERGIES:", ["Aspirin", ".", ",", "ALLERGIES", ":"]),
        ("Dr. Smith e.g. vs. i.e.", ["Dr.", "Smith", "e.g.", "vs.", "i.e."]),
        ("Diazepam-, scopolamine-", ["Diazepam", "-", ",", "scopolamine", "-"]),
    ],
)
def test_clinical_tokens(tokenize, text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # transcribed line breaks: an upper-case word glued by "," to a list number or by "." to an upper-case word
        ("DIAGNOSES,1. Pneumonia", ["DIAGNOSES", ",", "1", ".", "Pneumonia"]),
        ("IMPRESSION,1", ["IMPRESSION", ",", "1"]),
        ("CHF.,IMPRESSION,12. Done", ["CHF", ".", ",", "IMPRESSION", ",", "12", ".", "Done"]),
        ("RESP STATUS.B/S DIMINISHED", ["RESP", "STATUS", ".", "B", "/", "S", "DIMINISHED"]),
        ("TODAY.FIO2 40%", ["TODAY", ".", "FIO2", "40", "%"]),
        # a list number glued to its item
        ("1)pyelonephritis, 2)HTN.", ["1", ")", "pyelonephritis", ",", "2", ")", "HTN", "."]),
        ("12)Right knee", ["12", ")", "Right", "knee"]),
        ("(1)pyelonephritis", ["(", "1", ")", "pyelonephritis"]),
    ],
)
def test_line_break_artefacts_split(tokenize, text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # numbers, chemistry, dosing and Latin abbreviations, titles, initials, addresses: as before
        ("1,000", ["1,000"]),
        ("2,4-D", ["2,4-D"]),
        ("1,2-dichloroethane", ["1,2-dichloroethane"]),
        ("3SR,4aRS,6SR", ["3SR,4aRS,6SR"]),
        ("ABC,1.5", ["ABC,1.5"]),
        ("3.5", ["3.5"]),
        ("q.4h", ["q.4h"]),
        ("b.i.d.", ["b.i.d."]),
        ("Ph.D.", ["Ph.D."]),
        ("Dr.X", ["Dr.", "X"]),
        ("DR.SMITH", ["DR.SMITH"]),
        ("MR.JONES", ["MR.JONES"]),
        ("ST.LOUIS", ["ST.LOUIS"]),
        ("E.COLI", ["E.COLI"]),
        ("NO.1", ["NO.1"]),
        ("PE.baseline", ["PE.baseline"]),
        ("JOHN.DOE@MAIL.COM", ["JOHN.DOE@MAIL.COM"]),
        ("WWW.MEDTEXT.COM", ["WWW.MEDTEXT.COM"]),
        ("(3)H-MK-801", ["(", "3)H-MK-801"]),
        ("[(3)H]norepinephrine", ["[", "(", "3)H", "]", "norepinephrine"]),
        ("Thr(799)Met", ["Thr", "(", "799)Met"]),
        ("(125)I-labeled", ["(", "125)I-labeled"]),
        ("46,XX", ["46,XX"]),
        ("123)abc", ["123)abc"]),
    ],
)
def test_look_alikes_of_line_break_artefacts_stay_as_they_were(tokenize, text, expected):
    assert tokenize(text) == expected


def test_text_is_preserved_exactly(tokenize):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    text = "Seen by **NAME[AAA, BBB]  on\n[**2101-10-3**]\t x3\x0c 10mg."
    assert nlp(text).text == text


def test_pickle_keeps_user_special_cases():
    nlp = spacy.blank("en")
    tok = MedtextTokenizer(nlp.vocab)
    tok.add_special_case("q8h", [{"ORTH": "q"}, {"ORTH": "8h"}])
    clone = pickle.loads(pickle.dumps(tok))
    assert [t.text for t in clone("q8h")] == ["q", "8h"]


def test_bytes_round_trip_keeps_user_special_cases():
    nlp = spacy.blank("en")
    tok = MedtextTokenizer(nlp.vocab)
    tok.add_special_case("q8h", [{"ORTH": "q"}, {"ORTH": "8h"}])
    other = MedtextTokenizer(nlp.vocab).from_bytes(tok.to_bytes())
    assert [t.text for t in other("q8h")] == ["q", "8h"]


def test_affix_patterns_come_from_the_disk_cache_after_the_first_build(monkeypatch, tmp_path):
    # Measuring the suffix rules' widths parses them with Python's re parser: about 0.01 s of every start.
    from medtext.pipeline import tokenizer
    from medtext.pipeline.affix_regex import set_first, suffix_tail
    from medtext.pipeline.disk_cache import write_cached

    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    expected = ("^" + set_first(tokenizer._prefixes()), suffix_tail(tokenizer._suffixes()), set_first(tokenizer._infixes()))
    assert tokenizer.affix_patterns() == expected
    assert (tmp_path / f"{tokenizer.AFFIX_CACHE}.marshal").is_file()

    def no_parse(*args):
        raise AssertionError("the rules were parsed again")

    with monkeypatch.context() as patch:
        patch.setattr(tokenizer, "suffix_tail", no_parse)
        patch.setattr(tokenizer, "set_first", no_parse)
        assert tokenizer.affix_patterns() == expected
        texts = ["Lasix 20mg p.o. b.i.d.", "naloxone-induced (PAN)-induced Na+-K+", "STATUS.B/S 1)pyelo"]
        built = [[t.text for t in MedtextTokenizer(spacy.blank("en").vocab)(text)] for text in texts]
    assert built == [[t.text for t in MedtextTokenizer(spacy.blank("en").vocab)(text)] for text in texts]
    # a cached value of another shape is not used (it is built again)
    for bad in ("x", ("a", "b"), ("a", "b", 3)):
        with monkeypatch.context() as patch:
            patch.setattr(tokenizer, "write_cached", lambda name, key, data, folder=None: write_cached(name, key, bad, folder))
            assert tokenizer.affix_patterns() == expected  # built, and the bad value saved
        assert tokenizer.affix_patterns() == expected
