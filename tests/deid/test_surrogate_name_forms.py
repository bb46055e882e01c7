"""Surrogate names keep the form of the mention: a possessive (``SMITH's``, ``Smith’s``), a title or credential inside
the span (``Mrs. Nola Pinto``, ``Kay Mills, MD``); digits in a NAME span are replaced too; an e-mail address is made
of the fakes of the document's names, never of its real ones."""

from __future__ import annotations

import re

import pytest

from medtext.deid import apply_spans


def _run(text: str, phrases: list[tuple[str, str]], seed: int) -> str:
    spans, pos = [], 0
    for phrase, label in phrases:
        start = text.index(phrase, pos)
        spans.append({"start": start, "end": start + len(phrase), "label": label})
        pos = start + len(phrase)
    return apply_spans(text, spans, "surrogate", seed=seed, doc_key="note")


@pytest.mark.parametrize("seed", range(8))
def test_a_possessive_keeps_its_ending_and_the_fake_of_the_name(seed):
    text = "Smith | SMITH's | Smith\u2019s | Y's | end"
    out = _run(text, [("Smith", "NAME"), ("SMITH's", "NAME"), ("Smith\u2019s", "NAME"), ("Y's", "NAME")], seed)
    plain, upper, curly, letter = out.split(" | ")[:4]
    assert upper == plain.upper() + "'s" and curly == plain + "\u2019s", out
    assert re.fullmatch(r"[A-Z]'s", letter) and letter != "Y's", out
    assert "smith" not in out.lower()


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("mention", "kept"), [("Mrs. Nola Pinto", ("Mrs. ",)), ("Miss Margaret Gaudreau", ("Miss ",)),
                                               ("Dr. Kay Mills, MD", ("Dr. ", ", MD"))])
def test_titles_and_credentials_in_a_name_span_are_kept(mention, kept, seed):
    out = _run(f"Seen by {mention} today.", [(mention, "NAME")], seed)
    fake = out[len("Seen by "): -len(" today.")]
    assert fake.startswith(kept[0]) and (len(kept) == 1 or fake.endswith(kept[1])), out
    names = [w for w in re.findall(r"[A-Za-z]+", mention) if w not in ("Mrs", "Miss", "Dr", "MD")]
    assert not any(re.search(rf"\b{w}\b", fake) for w in names), out


def test_digits_in_a_name_span_are_replaced():
    outs = {_run("Dr. 4 called, room 4701 LOS.", [("4", "NAME"), ("4701 LOS", "NAME")], seed) for seed in range(12)}
    assert all(not re.search(r"\b4\b|4701|LOS", o) for o in outs), outs


@pytest.mark.parametrize("seed", range(8))
def test_an_email_address_is_made_of_the_fakes_of_the_names(seed):
    text = "John Smith | john.smith@example.com | end"
    out = _run(text, [("John Smith", "NAME"), ("john.smith@example.com", "EMAIL")], seed)
    name, email = out.split(" | ")[:2]
    assert email == name.lower().replace(" ", ".") + "@example.org", out
    assert "john" not in out.lower() and "smith" not in out.lower()
