"""Identifiers of the HIPAA Safe Harbor list that the ``phi`` component used to leak (a leak audit): SSNs with
spaces or dots, international phone numbers, IP addresses, licence / plate / serial / device / health-plan and
other numbers after a cue word, ZIP codes and postcodes as places, street addresses and P.O. boxes, dotted
dates, bare web addresses, nicknames and "Last, First" name fields; the medical values next to such cues that
stay untagged; and ``medtext deid --mode surrogate`` output that keeps none of them. Every text is invented."""

from __future__ import annotations

import json
import random
import re

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.deid.surrogates import SurrogateMaker
from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain

# (text, identifier in it, label every one of its letters and digits must be covered by)
LEAKS = [
    ("SSN 123 45 6789 on file.", "123 45 6789", "ID"),
    ("SSN: 123.45.6789", "123.45.6789", "ID"),
    ("UK contact +44 20 7946 0958.", "+44 20 7946 0958", "PHONE"),
    ("phone: +33 1 42 68 53 00", "+33 1 42 68 53 00", "PHONE"),
    ("FAX +49 30 1234567", "+49 30 1234567", "PHONE"),
    ("IP 192.168.1.20", "192.168.1.20", "URL"),
    ("logged in from 10.0.0.5 at home", "10.0.0.5", "URL"),
    ("Telehealth IP address: 73.162.44.201.", "73.162.44.201", "URL"),
    ("IPv6 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334", "URL"),
    ("serial SN-4421-AB", "SN-4421-AB", "ID"),
    ("Pacemaker serial number PJN123456H", "PJN123456H", "ID"),
    ("ICD model D314DRG, S/N: 1234567", "1234567", "ID"),
    ("Insulin pump SN# 7788990", "7788990", "ID"),
    ("device ID 00643169007222", "00643169007222", "ID"),
    ("UDI (01)00884521136478", "00884521136478", "ID"),
    ("License plate 7ABC123", "7ABC123", "ID"),
    ("Pt's car plate # 8KLM221 noted by security.", "8KLM221", "ID"),
    ("lic. plate: ABC-1234", "ABC-1234", "ID"),
    ("VIN 1HGCM82633A004352", "1HGCM82633A004352", "ID"),
    ("DL D1234567", "D1234567", "ID"),
    ("dl#: d1234567", "d1234567", "ID"),
    ("Driver's license # S530-4412-7789", "S530-4412-7789", "ID"),
    ("Nursing license RN123456", "RN123456", "ID"),
    ("DEA # AB1234563", "AB1234563", "ID"),
    ("NPI 1234567893", "1234567893", "ID"),
    ("Birth certificate no. 2019-001234", "2019-001234", "ID"),
    ("Medicare ID 1EG4-TE5-MK73", "1EG4-TE5-MK73", "ID"),
    ("BCBS subscriber no. ABC987654321", "ABC987654321", "ID"),
    ("health plan no. 998877", "998877", "ID"),
    ("member #: ABC123456", "ABC123456", "ID"),
    ("Medicaid # 11223344", "11223344", "ID"),
    ("NHS number 943 476 5919", "943 476 5919", "ID"),
    ("Hospital No. H0012345", "H0012345", "ID"),
    ("Encounter number 20231188", "20231188", "ID"),
    ("Fingerprint ID FP-99821-X", "FP-99821-X", "ID"),
    ("retina scan id RS448812", "RS448812", "ID"),
    ("voiceprint ref VP-22871", "VP-22871", "ID"),
    ("Study ID: ABC-2021-0042", "ABC-2021-0042", "ID"),
    ("Specimen #S21-44587", "S21-44587", "ID"),
    ("Accession number A1234567", "A1234567", "ID"),
    ("Passport no. X12345678", "X12345678", "ID"),
    ("Employee ID 558812", "558812", "ID"),
    ("Case no. 2020-CV-1183", "2020-CV-1183", "ID"),
    ("Springfield, IL 62704", "62704", "LOCATION"),
    ("Boston, MA 02115-5804", "02115-5804", "LOCATION"),
    ("zip code: 90210", "90210", "LOCATION"),
    ("ZIP 02139", "02139", "LOCATION"),
    ("London SW1A 1AA", "SW1A 1AA", "LOCATION"),
    ("Toronto, ON M5V 2T6", "M5V 2T6", "LOCATION"),
    ("Lives at 1423 Maple Grove Rd, Apt 4B.", "1423 Maple Grove Rd, Apt 4B", "LOCATION"),
    ("Address: 77 Sunset Boulevard", "77 Sunset Boulevard", "LOCATION"),
    ("pt lives at 12 Harrow Lane with daughter", "12 Harrow Lane", "LOCATION"),
    ("Mailing address P.O. Box 1234, Dayton", "P.O. Box 1234", "LOCATION"),
    ("date of birth 07.02.1948", "07.02.1948", "DATE"),
    ("portal: patientportal.example.com/jdoe", "patientportal.example.com/jdoe", "URL"),
    ("Xavier Quintero-Lopez, goes by Xavi", "Xavi", "NAME"),
    ("nickname: Tex. Pt is Theodore Vance.", "Tex", "NAME"),
    ("PATIENT: HALVORSEN, INGRID M.", "HALVORSEN", "NAME"),
    ("Name: Okafor, Chidi", "Chidi", "NAME"),
    ("Pt: Kowalczyk, Agnieszka. Admitted with chest pain.", "Agnieszka", "NAME"),
]

# Medical content next to the new cues and shapes: no PHI at all.
MEDICAL = [
    "K 4.5, Na 138, Cr 1.1.",
    "PT: ALERT, ORIENTED X3. Pt: Afebrile, Stable overnight.",
    "TOTAL IN 12345 ML, TOTAL OUT 2300 ML.",
    "Metoprolol 5 mg IV, then 25 mg PO BID.",
    "BP 120/80, HR 72, RR 16, SpO2 98% on RA.",
    "Labs drawn at 10:30 and 14:45.",
    "Times 10:30:45 and 12:00:00 charted.",
    "GCS 15, pain 3/10, APGAR 8 and 9.",
    "Dx: ICD-10 I21.4, E11.9; CPT 99213.",
    "Lot # 4412A of the vaccine given.",
    "ICD model 4470 functioning; ICD-9 428.0.",
    "Started vancomycin and piperacillin-tazobactam.",
    "Symptoms for 2 weeks, follow up in 3 months.",
    "Serial troponins negative x 3.",
    "Serial 12-lead ECGs unchanged.",
    "Device interrogated, no events. Serial number on file.",
    "ABG on these settings: 80/48/7.45.34.7.",
    "+2 pitting edema bilaterally, pulses +1.",
    "IP 2 L, OP 1.5 L today.",
    "Pt goes by wheelchair to radiology.",
    "KNOWN AS CHF PATIENT.",
    "The fungus, known as Trichophyton, thrives in warm places.",
    "PT: ALERT, ORIENTED X3",
    "Registered at ClinicalTrials.gov as usual.",
    "Fractures of C5 6TH rib noted.",
    "ID: T max 101.2, vanco 1250 mg q12.",
    "ID consulted re: MRSA bacteremia.",
    "Medicare part B covers 80%.",
    "DL 1.2 cm lesion, glucose 145 mg/dL.",
    "Driving license suspended after seizure.",
    "Vent: AC 500 x 14, PEEP 5, FiO2 40%.",
    "Insulin sliding scale: 151-200 give 2 units.",
]


def _covering(phi: list[dict], start: int, end: int, text: str) -> tuple[bool, set[str]]:
    """Whether every letter and digit of ``text[start:end]`` lies in a span, and the labels of those spans."""
    inside = [p for p in phi if p["start"] < end and start < p["end"]]
    covered = all(any(p["start"] <= i < p["end"] for p in inside) for i in range(start, end) if text[i].isalnum())
    return covered, {p["label"] for p in inside}


def _where(text: str, identifier: str) -> tuple[int, int]:
    """Offsets of ``identifier`` as a whole word of ``text``."""
    m = re.search(r"(?<![A-Za-z0-9])" + re.escape(identifier) + r"(?![A-Za-z0-9])", text)
    assert m is not None
    return m.start(), m.end()


@pytest.mark.parametrize(("text", "identifier", "label"), LEAKS)
def test_identifier_is_found_with_its_label(nlp, text, identifier, label):
    phi = nlp(text)._.phi
    start, end = _where(text, identifier)
    covered, labels = _covering(phi, start, end, text)
    assert covered
    assert labels == {label}
    assert all(text[p["start"] : p["end"]] == p["text"] for p in phi)  # exact offsets


@pytest.mark.parametrize("text", MEDICAL)
def test_medical_content_is_no_phi(nlp, text):
    assert [(p["label"], p["text"]) for p in nlp(text)._.phi] == []


def test_found_the_same_in_a_longer_note(nlp):
    """The cases one after the other in one note: each still found (cues do not spill into the next line)."""
    note = "\n".join(text for text, _, _ in LEAKS)
    phi = nlp(note)._.phi
    offset = 0
    for text, identifier, label in LEAKS:
        start, end = _where(text, identifier)
        covered, labels = _covering(phi, offset + start, offset + end, note)
        assert covered and labels == {label}, identifier
        offset += len(text) + 1


def test_gated_rules_equal_the_plain_rules_on_identifier_cues():
    """The fast path of :func:`rule_spans` tries the new rules (and the ordinal-day rule) only at their cues; on
    texts made of the cues, shapes and separators it finds exactly what every rule over the whole text finds."""
    rnd = random.Random(11)
    pieces = ["SSN", "ssn", "DL", "dl#", "serial", "S/N", "SN#", "plate", "License plate", "lic.", "VIN", "NPI", "ID",
              "id", "Medicare", "member", "no.", "#", ":", " ", " ", ", ", "IL", "MA", "zip", "P.O. Box", "box", "tel",
              "fax", "+", "+44", "0", "20", "123", "45", "6789", "7946", "0958", "192.168.1.20", "7.45.34.7", "::", "db8",
              "2001:", "A1B", "SW1A", "1AA", "2T6", "Maple", "Grove", "Rd", "STREET", "Apt", "4B", "07.02.1948",
              "example.com", "Example.org/x", "-", ".", "/", "\n", "62704", "02115-5804", "ABC123", "x", "on the ",
              "since\tthe ", "the", "3rd", "11th", "2nd", "1st", "t", "s", "/n", "12 ", "221B ",
              "Maple ", "Grove ", "Rd", "Lane"]
    texts = [text for text, _, _ in LEAKS] + MEDICAL + ["\n".join(text for text, _, _ in LEAKS), "seen on the 11th."]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        assert rule_spans(text) == rule_spans_plain(text), text


@pytest.mark.parametrize("text", ["lives at 12 Elm Street2 today", "12 Elm St2", "221B Maple Grove Rd45, Apt 4B",
                                  "12 Elm Street7\u00b0", "12 Elm STREET12"])
def test_a_street_word_running_into_digits_is_found_on_the_fast_path(text):
    """``_ADDRESS`` ends the street word at any non-letter; the fast path's word check once saw "street2" as one
    word and skipped the rule, so the address was found only on the plain path."""
    found = rule_spans(text)
    assert found == rule_spans_plain(text)
    assert [s.label for s in found] == ["LOCATION"]


def test_surrogate_output_keeps_no_identifier(tmp_path):
    """``medtext deid --mode surrogate`` over the cases: none of the identifiers is left, as a whole word."""
    src = tmp_path / "cases.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n" for i, (text, _, _) in enumerate(LEAKS)))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["deid", str(src), "-o", str(out), "--mode", "surrogate", "-q"])
    assert result.exit_code == 0
    texts = {r["id"]: r["text"] for r in map(json.loads, out.read_text().splitlines())}
    left = [identifier for i, (_, identifier, _) in enumerate(LEAKS)
            if re.search(r"(?<![A-Za-z0-9])" + re.escape(identifier) + r"(?![A-Za-z0-9])", texts[str(i)])]
    assert left == []


def test_surrogates_of_ip_addresses_zip_codes_and_boxes():
    """An IP address gets one of the documentation ranges, a ZIP code or postcode new characters in its layout,
    a P.O. box a new number: not a web address or a town."""
    maker = SurrogateMaker(seed=3, doc_key="n", originals=["192.168.1.20", "62704", "SW1A 1AA", "P.O. Box 1234"])
    assert re.fullmatch(r"192\.0\.2\.\d{1,3}", maker.value("URL", "192.168.1.20"))
    assert maker.value("URL", "2001:db8::8a2e:370:7334").startswith("2001:db8::")
    assert maker.value("URL", "www.example.com") == "www.example.org"
    assert re.fullmatch(r"\d{5}", maker.value("LOCATION", "62704")) and maker.value("LOCATION", "62704") != "62704"
    assert re.fullmatch(r"[A-Z]{2}\d[A-Z] \d[A-Z]{2}", maker.value("LOCATION", "SW1A 1AA"))
    assert re.fullmatch(r"P\.O\. Box \d{4}", maker.value("LOCATION", "P.O. Box 1234"))
    assert maker.value("LOCATION", "P.O. Box 1234") != "P.O. Box 1234"
