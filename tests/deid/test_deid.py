"""De-identification modes, surrogate consistency, date shifts, and the never-leak property."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtext.deid import apply_spans, deidentify
from medtext.deid.dates import format_like, month_moved, parse_date
from medtext.deid.surrogates import SurrogateMaker
from medtext.errors import MedtextError
from .phi_fixture import TEMPLATES, VALUES, fill, leaked

TEXT = "Seen by Dr. Brannigan on 7/23. Dr. BRANNIGAN called daughter Marguerite 410-555-1234 on 7/30."


def test_redact_and_mask(nlp):
    doc = nlp(TEXT)
    redacted = deidentify(doc, "redact")
    assert "Brannigan" not in redacted and "[NAME]" in redacted and "[DATE]" in redacted and "[PHONE]" in redacted
    masked = deidentify(doc, "mask")
    assert len(masked) == len(TEXT)
    for p in doc._.phi:
        assert masked[p["start"] : p["end"]] == "*" * (p["end"] - p["start"])
    # text outside PHI is untouched
    keep = [i for i in range(len(TEXT)) if not any(p["start"] <= i < p["end"] for p in doc._.phi)]
    assert all(masked[i] == TEXT[i] for i in keep)


def test_unknown_mode_is_a_clear_error(nlp):
    with pytest.raises(MedtextError, match="E112"):
        deidentify(nlp("x"), "scramble")


def test_surrogates_are_consistent_within_a_document():
    text = "Dr. Tasker saw pt. Later dr tasker and DR. TASKER agreed. Kay called; Kay left."
    spans = [{"start": m.start(), "end": m.end(), "label": "NAME"} for m in re.finditer(r"(?i)tasker|kay", text)]
    out = apply_spans(text, spans, "surrogate", seed=3, doc_key="n1")
    words = re.findall(r"[A-Za-z]+", out)
    fakes = [w for w in words if w.lower() not in {"dr", "saw", "pt", "later", "and", "agreed", "called", "left"}]
    assert len(fakes) == 5
    assert fakes[0] == fakes[1].title() == fakes[2].title()  # same name, case of each original kept
    assert fakes[1].islower() and fakes[2].isupper()
    assert fakes[3] == fakes[4] and fakes[3].lower() != fakes[0].lower()
    assert "tasker" not in out.lower() and "kay" not in out.lower()
    # seeded: same seed and id -> same output; another seed -> another output
    assert apply_spans(text, spans, "surrogate", seed=3, doc_key="n1") == out
    assert apply_spans(text, spans, "surrogate", seed=4, doc_key="n1") != out


def _shift_dates(dates, seed):
    """The surrogates of ``dates`` written in one note (``A then B then ...``), in order."""
    text = " then ".join(dates)
    spans, pos = [], 0
    for d in dates:
        start = text.index(d, pos)
        spans.append({"start": start, "end": start + len(d), "label": "DATE"})
        pos = start + len(d)
    return apply_spans(text, spans, "surrogate", seed=seed, doc_key="n").split(" then ")


@pytest.mark.parametrize("seed", range(8))
def test_date_shift_keeps_intervals(seed):
    dates = ["7/23/97", "7/30/97", "8/2/1997", "1997-09-01"]
    shifted = _shift_dates(dates, seed)
    before = [parse_date(d)[0] for d in dates]
    after = [parse_date(d)[0] for d in shifted]
    offsets = {(a - b).days for a, b in zip(after, before)}
    assert len(offsets) == 1 and 0 not in offsets  # one non-zero offset for the whole document
    assert [parse_date(d)[1].kind for d in shifted] == [parse_date(d)[1].kind for d in dates]  # formats kept
    assert all(s != d for s, d in zip(shifted, dates))


def test_dates_without_year_shift_consistently():
    maker = SurrogateMaker(seed=1, doc_key="x", originals=["7/23", "7/30"])
    a, b = parse_date(maker.date("7/23"))[0], parse_date(maker.date("7/30"))[0]
    # both are read in one reference year, so the 7-day gap survives (modulo the year wrap)
    assert (b - a).days % 366 in (7, 366 - 359)


@pytest.mark.parametrize(("text", "iso"), [("7/23/97", "1997-07-23"), ("2101-10-3", "2101-10-03"), ("11/92", "1992-11-01"),
                                           ("march of 1993", "1993-03-01"), ("'92", "1992-01-01"), ("11th", "2000-01-11"),
                                           ("2ND", "2000-01-02")])
def test_parse_and_format_dates(text, iso):
    value, style = parse_date(text)
    assert value == date.fromisoformat(iso)
    assert format_like(value, style) == text


@pytest.mark.parametrize(("text", "iso"), [("02-Mar-2019", "2019-03-02"), ("5 March 2019", "2019-03-05"),
                                           ("5th of March", "2000-03-05"), ("3.Mar.19", "2019-03-03"),
                                           ("Tuesday, March 5, 2019", "2019-03-05"), ("Sept. 4, 2019", "2019-09-04"),
                                           ("Mar-2019", "2019-03-01"), ("MAY 2019", "2019-05-01"), ("12.03.2019", "2019-12-03")])
def test_parse_and_format_day_first_named_and_dotted_dates(text, iso):
    value, style = parse_date(text)
    assert value == date.fromisoformat(iso)
    assert format_like(value, style) == text


def test_named_month_dates_shift_by_the_document_offset_in_their_own_format():
    dates = ["02-Mar-2019", "5 March 2019", "Tuesday, March 12, 2019", "2019-03-20"]
    shifted = _shift_dates(dates, seed=3)
    offsets = {(parse_date(s)[0] - parse_date(d)[0]).days for s, d in zip(shifted, dates)}
    assert len(offsets) == 1 and 0 not in offsets
    assert shifted[0][2] == "-" and shifted[0][6] == "-" and len(shifted[0]) == 11  # dd-Mon-yyyy kept
    new = parse_date(shifted[2])[0]
    assert shifted[2].startswith(new.strftime("%A") + ", ")  # the weekday follows the new date


def test_a_date_we_cannot_read_keeps_its_words_and_moves_its_year_and_month():
    maker = SurrogateMaker(seed=2, doc_key="x", originals=["Easter 2019", "MARCH"])
    out = maker.value("DATE", "Easter 2019")
    assert out.startswith("Easter ") and out != "Easter 2019"
    assert int(out.split()[1]) - 2019 == round(maker.shift_days / 365.25)
    month = maker.value("DATE", "MARCH")  # a month alone is a date element (HIPAA Safe Harbor)
    assert month.isupper() and month != "MARCH" and month_moved(month, 0) == month


def test_a_day_of_the_month_alone_shifts_to_another_ordinal_day():
    maker = SurrogateMaker(seed=1, doc_key="x", originals=["11th"])
    shifted = maker.date("11th")
    assert shifted is not None and shifted != "11th" and parse_date(shifted)[1].kind == "day"


_choice = st.fixed_dictionaries({kind: st.sampled_from(values) for kind, values in VALUES.items()})
_note = st.lists(st.tuples(st.sampled_from(TEMPLATES), _choice), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=_note, mode=st.sampled_from(["redact", "mask", "surrogate"]), seed=st.integers(0, 10_000))
def test_output_never_contains_gold_phi(nlp, note, mode, seed):
    lines, gold = [], []
    for template, choice in note:
        text, phi = fill(template, choice)
        lines.append(text)
        gold += phi
    text = "\n".join(lines)
    out = deidentify(nlp(text), mode, seed=seed, doc_id="fixture")
    for value in gold:
        assert not leaked(value, out), f"{value!r} leaked in {mode} mode"


def test_leak_check_sees_whole_values_only():
    assert leaked("00123456", "MRN00123456 noted") and leaked("Klein", "Dr. Klein's note")
    assert not leaked("103", "admitted on 2103-5-20") and not leaked("Klein", "Dr. Kleinberg")
    # a group of a longer hyphenated number (a surrogate SSN or phone) is not the age; "97-year-old" is
    assert not leaked("97", "SSN 468-97-7879 on file") and leaked("97", "a 97-year-old woman")


# Accented names (precomposed and with combining marks) in sentences that announce a person: the
# de-identified text keeps no word of the name, and no piece of a word sticks to a replacement.
ACCENTED_NAMES = ("José García", "François Lefèvre", "Zoë Schäfer", "Björk Ólafsdóttir", "Jose\u0301 Garci\u0301a",
                  "Łukasz Wróbel", "Søren Kierkegård", "Ana Núñez", "Chloé Dubois", "Jürgen Müller", "Renée Ångström",
                  "Nguyễn Thị Hương", "Małgorzata Wiśniewska", "Dvořák", "Çelik")
# Sentences whose cue (title, kin word) announces the name: whether the model would find a bare name
# ("{name}, RN") depends on its ASCII spelling too, which is not what these tests are about.
NAME_TEMPLATES = ("Pt seen by Dr. {name} this morning, plan unchanged.", "Spoke with husband {name} at the bedside.",
                  "Daughter {name} called for an update.", "DR. {upper} AWARE OF LABS.",
                  "Seen by Dr. {name}; {name} agrees with plan.")


def leaked_word(word: str, out: str) -> bool:
    """``word`` appears whole in ``out`` (letters and combining marks of any script count as word characters)."""
    return re.search(rf"(?<![^\W\d_])(?<![\u0300-\u036f]){re.escape(word)}(?![^\W\d_])(?![\u0300-\u036f])", out) is not None


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(NAME_TEMPLATES), st.sampled_from(ACCENTED_NAMES)), min_size=1, max_size=3),
       mode=st.sampled_from(["redact", "mask", "surrogate"]), seed=st.integers(0, 10_000))
def test_accented_names_never_leak(parts, mode, seed):
    text = "\n".join(template.format(name=name, upper=name.upper()) for template, name in parts)
    out = deidentify(text, mode, seed=seed, doc_id="accents")
    for _, name in parts:
        for word in name.split() + name.upper().split():
            assert not leaked_word(word, out), f"{word!r} leaked in {mode} mode: {out!r}"
    if mode == "redact":  # a replacement never leaves part of a word beside it ("[NAME]ía")
        assert not re.search(r"[^\W\d_\]][\u0300-\u036f]*\[[A-Z]+\]|\[[A-Z]+\][\u0300-\u036f]*[^\W\d_]", out), out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patient José García seen by Dr. François Lefèvre today.", "Patient [NAME] seen by Dr. [NAME] today."),
        ("Seen by Dr. Jose\u0301 Garci\u0301a today.", "Seen by Dr. [NAME] today."),
        ("Dr. Müller and Dr. Núñez agree.", "Dr. [NAME] and Dr. [NAME] agree."),
    ],
)
def test_accented_names_are_replaced_whole(text, expected):
    assert deidentify(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seen again on 02-Mar-2019 for follow up.", "Seen again on [DATE] for follow up."),
        ("Seen 02-MAR-19, then Mar-02-2019 and 02.Mar.2019.", "Seen [DATE], then [DATE] and [DATE]."),
        ("Next visit 2019-Mar-02 (or 02 Mar. 2019).", "Next visit [DATE] (or [DATE])."),
    ],
)
def test_dates_with_a_month_name_are_redacted_whole(text, expected):
    assert deidentify(text) == expected


def test_deid_corpus_itself_refuses_paths_that_would_replace_an_input(tmp_path):
    # the Python API runs the same checks as the command, before anything is written
    from medtext.deid.batch import DeidJob, deid_corpus
    from medtext.errors import InputError

    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"id": "n1", "text": "Seen by Dr. Tasker."}\n', encoding="utf-8")
    before = notes.read_bytes()
    with pytest.raises(InputError, match="E117"):
        deid_corpus(DeidJob(inputs=[str(notes)], output=str(tmp_path / "out.jsonl"), errors_path=str(notes)))
    with pytest.raises(InputError, match="E008"):
        deid_corpus(DeidJob(inputs=[str(notes)], output=str(notes)))
    assert notes.read_bytes() == before
    assert not (tmp_path / "out.jsonl").exists()
