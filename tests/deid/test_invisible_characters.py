"""Invisible format characters (soft hyphen, zero-width space / joiner, word joiner, BOM) inside PHI.

Text pasted from web pages and word processors carries them; a reader does not see them, so
``Em\\u00adily`` is the name Emily and ``555-\\u200b0199`` a phone number. They must not hide PHI.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtext.deid import deidentify
from medtext.pipeline.phi_text import FoldedText, fold_char

from .phi_fixture import TEMPLATES, VALUES, fill, leaked

INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")


def visible(text: str) -> str:
    """What a reader sees."""
    return _INVISIBLE.sub("", text)


@pytest.mark.parametrize("ch", INVISIBLE)
def test_format_characters_fold_to_nothing_and_map_back(ch):
    assert fold_char(ch) == ""
    source = f"Dr. Em{ch}ily Parker"
    folded = FoldedText(source)
    assert folded.text == "Dr. Emily Parker"
    start, end = folded.to_source(4, 9)
    assert source[start:end] == f"Em{ch}ily"


@pytest.mark.parametrize(
    ("text", "label", "phi"),
    [
        ("Seen by Dr. Em\u00adily Parker today.", "NAME", "Em\u00adily Parker"),
        ("Call daughter at 617-555-\u200b0199 tonight.", "PHONE", "617-555-\u200b0199"),
        ("MRN: 123\u2060456\u200d78", "ID", "123\u2060456\u200d78"),
        ("Pt was admitted on 1/2/1\u200b934 with chest pain.", "DATE", "1/2/1\u200b934"),
    ],
)
def test_phi_with_an_invisible_character_inside_is_found_whole(nlp, text, label, phi):
    found = [(p["label"], p["text"]) for p in nlp(text)._.phi]
    assert (label, phi) in found


def _hide(value: str, data) -> str:
    """``value`` with invisible characters put between some of its characters."""
    out = []
    for i, ch in enumerate(value):
        if i and data.draw(st.booleans()):
            out.append(data.draw(st.sampled_from(INVISIBLE)))
        out.append(ch)
    return "".join(out)


_choice = st.fixed_dictionaries({kind: st.sampled_from(values) for kind, values in VALUES.items()})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.lists(st.tuples(st.sampled_from(TEMPLATES), _choice), min_size=1, max_size=4),
       mode=st.sampled_from(["redact", "mask", "surrogate"]), seed=st.integers(0, 10_000), data=st.data())
def test_invisible_characters_never_make_phi_leak(nlp, note, mode, seed, data):
    lines, gold = [], []
    for template, choice in note:
        hidden = {kind: _hide(value, data) if kind in ("surname", "first", "phone", "mrn", "ssn", "email") else value
                  for kind, value in choice.items()}
        text, _ = fill(template, hidden)
        lines.append(text)
        gold += fill(template, choice)[1]
    out = visible(deidentify(nlp("\n".join(lines)), mode, seed=seed, doc_id="invisible"))
    for value in gold:
        assert not leaked(value, out), f"{value!r} leaked in {mode} mode"
