"""Non-US towns as PHI: the ``phi`` component's cue for towns of ``world_places.tsv`` (``moved to Lyon``, ``born in
Rio de Janeiro``, ``Nairobi, Kenya``), the words it must leave alone (``in Bath``, ``to Nice``, ``Pisa syndrome``),
the lazy loading of the list, the builder, and surrogates of such towns. Every text is invented."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.deid.surrogates import SurrogateMaker
from medtext.pipeline import phi_lexicons
from medtext.pipeline.phi_lexicon_build import ascii_name
from medtext.pipeline.phi_lexicon_build import world_places as build_world_places
from medtext.pipeline.phi_post import world_towns

# (text, town in it): every letter of the town must be covered by one LOCATION span. Each leaked (no or partial
# LOCATION) before the cue.
LEAKS = [
    ("Born in Guadalajara, moved to Lyon in 2010.", "Lyon"),
    ("Recent travel to Nairobi, Kenya.", "Nairobi"),
    ("Pt was in Bangkok, Thailand in March.", "Bangkok"),
    ("She was born in Rio de Janeiro.", "Rio de Janeiro"),
    ("Returned from Sao Paulo, Brazil.", "Sao Paulo"),
    ("Returned from São Paulo last week.", "São Paulo"),
    ("Trip to Cancun last month.", "Cancun"),
    ("Flew back from Buenos Aires on Friday.", "Buenos Aires"),
    ("Travelled to Cebu, Philippines in May.", "Cebu"),
    ("He grew up in Aix-en-Provence.", "Aix-en-Provence"),
    ("Came from Karachi 2 years ago.", "Karachi"),
    ("Address: 12 rue Oberkampf, 75011 Paris", "Paris"),
    ("Moved to Florence after retirement.", "Florence"),
    ("Trip to Ho Chi Minh City in March.", "Ho Chi Minh City"),
]

# (text, word): the word must not become a place through the cue (ordinary and medical words, drugs, eponyms,
# months, countries, US states, names after a mere preposition, short words).
NOT_TOWNS = [
    ("Soaked in Bath twice daily.", "Bath"),
    ("Worked in Reading for years.", "Reading"),
    ("Moved to Reading last year.", "Reading"),
    ("Vacation in Nice.", "Nice"),
    ("Born in Mobile.", "Mobile"),
    ("Traveled to Split.", "Split"),
    ("Findings in Of note, none.", "Of"),
    ("Drops in Eye twice daily.", "Eye"),
    ("Changes in Ion channels.", "Ion"),
    ("Switched to Aspirin 81 mg.", "Aspirin"),
    ("No change in Chiari malformation.", "Chiari"),
    ("Patients in Pisa syndrome cohort.", "Pisa"),
    ("History of Kawasaki disease; transferred to Kawasaki.", "Kawasaki"),
    ("Switched to Soma at night.", "Soma"),
    ("Positioned in Sugita frame.", "Sugita"),
    ("Admitted in March.", "March"),
    ("Moved from Canada.", "Canada"),
    ("Moved to Washington.", "Washington"),
    ("Moved to Georgia.", "Georgia"),
    ("Moved to Carolina.", "Carolina"),
    ("Call from Florence this morning.", "Florence"),
    ("Spoke to Victoria at length.", "Victoria"),
    ("In 2010 Victoria, her daughter, moved in.", "Victoria"),
    ("Referred to Cardiology.", "Cardiology"),
    ("Placed in Trendelenburg.", "Trendelenburg"),
    ("Switched from Lasix to Bumex.", "Bumex"),
    ("Completed the modified Oswestry Disability Questionnaire, referred to Oswestry Disability clinic.", "Oswestry"),
    ("Moved to Jordan's house.", "Jordan"),
    ("Converted to Sinus rhythm.", "Sinus"),
]


def _covered(text: str, target: str, spans: list[dict]) -> bool:
    start = text.index(target)
    return all(any(p["start"] <= k < p["end"] and p["label"] == "LOCATION" for p in spans)
               for k in range(start, start + len(target)) if text[k].isalnum())


@pytest.mark.parametrize(("text", "town"), LEAKS)
def test_non_us_town_is_a_location(nlp, text, town):
    """The town is one LOCATION in the whole pipeline (the leak the cue closes)."""
    assert _covered(text, town, nlp(text)._.phi)


@pytest.mark.parametrize(("text", "town"), LEAKS)
def test_town_span_is_exact(nlp, text, town):
    """The town's span starts and ends at the town, in the text as written (accents included)."""
    start = text.index(town)
    assert any(p["start"] == start and p["end"] == start + len(town) and p["text"] == town for p in nlp(text)._.phi)


@pytest.mark.parametrize(("text", "word"), NOT_TOWNS)
def test_word_is_no_town(text, word):
    """The cue leaves ordinary words, drugs, eponyms, months, countries, states and names alone."""
    start = text.index(word)
    assert [text[s:e] for s, e, _ in world_towns(text) if s < start + len(word) and start < e] == []


@pytest.mark.parametrize(("text", "word"), [c for c in NOT_TOWNS if c[1] in
                                             ("Reading", "Nice", "Mobile", "Split", "Of", "Eye", "Ion", "Aspirin", "Soma")])
def test_word_is_no_location_in_the_pipeline(nlp, text, word):
    """Nor does the whole pipeline make a place of them."""
    start = text.index(word)
    assert not [p for p in nlp(text)._.phi if p["start"] < start + len(word) and start < p["end"]]


def test_town_before_country_and_after_postcode():
    text = "Seen at a clinic in Kampala, Uganda; sister lives at 10115 Berlin\nLeeds, UK."
    assert [text[s:e] for s, e, _ in world_towns(text)] == ["Kampala", "Berlin", "Leeds"]


def test_town_mentions_spread_over_the_note(nlp):
    """Once the cue found a town, its other capitalised mentions in the note are PHI too (consistency)."""
    text = "Moved to Lyon in 2010. Visits Lyon every summer."
    assert [p["text"] for p in nlp(text)._.phi if p["label"] == "LOCATION"] == ["Lyon", "Lyon"]


def test_world_list_is_read_only_when_a_note_needs_it():
    """A note without a capitalised word after a place cue or a comma never reads the list."""
    phi_lexicons.world_places.cache_clear()
    world_towns("Pt seen in clinic for follow up, BP stable, continue lisinopril 10 mg in the morning.")
    assert phi_lexicons.world_places.cache_info().currsize == 0
    assert world_towns("Moved to Lyon.") == [(9, 13, "LOCATION")]
    assert phi_lexicons.world_places.cache_info().currsize == 1


def test_shipped_world_list():
    places = phi_lexicons.world_places()
    assert len(places.towns) > 20_000 and places.town_population("lyon") > 100_000
    assert {"kenya", "uk", "united kingdom", "mexico"} <= places.countries
    assert not places.countries & set(places.towns)
    assert all(name.isascii() and name == name.lower() for name in places.towns)


def test_builder_keeps_non_us_towns_above_the_floor(tmp_path):
    """US towns, small towns, country names and names in other scripts are left out; names are folded to ASCII."""
    cities = {
        "1": {"name": "Kraków", "countrycode": "PL", "population": 800000},
        "2": {"name": "Springfield", "countrycode": "US", "population": 160000},
        "3": {"name": "Tinyville", "countrycode": "GB", "population": 900},
        "4": {"name": "Mexico", "countrycode": "PH", "population": 90000},
        "5": {"name": "Москва", "countrycode": "RU", "population": 10000000},
        "6": {"name": "Cebu City", "countrycode": "PH", "population": 900000},
    }
    (tmp_path / "cities500.json").write_text(json.dumps(cities), encoding="utf-8")
    (tmp_path / "countries.json").write_text(json.dumps({"MX": {"name": "Mexico", "population": 1}}), encoding="utf-8")
    assert build_world_places(tmp_path, 15_000) == {"krakow": 800000, "cebu city": 900000, "cebu": 900000}
    assert ascii_name("São  Paulo") == "sao paulo" and ascii_name("Москва") is None


def test_surrogates_of_world_towns(tmp_path):
    """``medtext deid --mode surrogate`` replaces the towns by whole towns, in their case style; no letter is kept."""
    src = tmp_path / "notes.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n" for i, (text, _) in enumerate(LEAKS)))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["deid", str(src), "-o", str(out), "--mode", "surrogate", "-q"])
    assert result.exit_code == 0
    texts = {r["id"]: r["text"] for r in map(json.loads, out.read_text().splitlines())}
    left = [town for i, (_, town) in enumerate(LEAKS) if re.search(r"(?<!\w)" + re.escape(town) + r"(?!\w)", texts[str(i)])]
    assert left == []
    maker = SurrogateMaker(seed=1, doc_key="n", originals=["São Paulo", "Zürich", "Åkersberga"])
    for town in ("São Paulo", "Zürich", "Åkersberga"):
        fake = maker.value("LOCATION", town)
        assert fake.isascii() and fake[0].isupper() and not fake[1:].isupper(), fake
