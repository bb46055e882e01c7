"""The PHI rules' fast path on non-ASCII notes: a "°" or "µ" no longer sends a note over every rule.

:func:`rule_spans` must give what :func:`rule_spans_plain` gives on any text; it falls back to it only for a
non-ASCII decimal digit or one of the four letters ``İ ı ſ K``.
"""

from __future__ import annotations

import pytest

from medtext.pipeline import phi_patterns
from medtext.pipeline.phi_patterns import rule_spans, rule_spans_plain

# PHI-like fragments of every rule (ASCII), and words the rules look for around them
_FRAGMENTS = [
    "03/14/2019", "617-555-0199", "(617) 555-0199", "+1 617 555 0199", "+44 20 7946 0958", "617 5550199",
    "MRN: 00123456", "MR# A12345", "acct no. 998877", "SSN 123-45-6789", "123-45-6789", "SSN 123 45 6789",
    "March 3rd, 2019", "2 Mar 2019", "02-MAR-19", "Mar-02-2019", "2019-Mar-02", "12-May", "3 of June", "Sept. 2019",
    "in sept", "since Nov", "mid-June", "in the December-January", "June of this year", "on the 11th.",
    "since 1998", "'98", "71'", "1975", "2019-03-04", "92 yo", "101 years", "aged 95", "pager 4567", "ext. 12",
    "tel 020 7946 0958", "phone", "a.b@example.org", "https://x.org/a", "www.example.com", "portal.example.com/jdoe",
    "192.168.0.1", "2001:db8::8a2e:370:7334", "Boston, MA 02115", "zip code 90210", "SW1A 1AA", "M5V 2T6",
    "P.O. Box 123", "07.02.1948", "12 Elm Street, Apt 4B", "77 Sunset Boulevard ", "**NAME[Smith]", "[**2019-1-1**]",
    "s/n 12345", "DL D1234567", "License plate 7ABC123", "serial SN-4421-AB", "NPI 1234567893", "ID", "id #",
    "of", "in", "the", "Mar", "may", "May", "age", "1", "12", "123", "1234", "12345", "x",
]
_SEPARATORS = [" ", "  ", "\n", "\t", "-", "/", ".", ",", ":", "'", "(", ")", "#", "+", "@", "*"]
# non-ASCII characters of every kind: accents, signs, non-ASCII digits (\d and not), the four letters that
# case-insensitive matching takes for ASCII ones, combining marks, emoji, non-BMP, Unicode spaces and quotes
_NON_ASCII = [
    "é", "É", "ñ", "ß", "Σ", "ﬁ", "°", "µ", "®", "±", "٣", "３", "²", "½", "Ⅻ",
    "\u0130", "\u0131", "\u017f", "\u212a", "\u0301", "\u0308", "😀", "\U0001d400", "\U00020000",
    "\u00a0", "\u2009", "\u3000", "\u2028", "\u0085", "\u201c", "\u201d", "\u2019", "«", "»", "—", "…",
]


# letters that case-insensitive matching takes for these ASCII ones ("\u017fep 3" is a date)
_FOLDS = {"s": "\u017f", "S": "\u017f", "k": "\u212a", "K": "\u212a", "i": "\u0131", "I": "\u0130"}


def _spliced(fragment: str, at: int, char: str, replace: bool) -> str:
    """``fragment`` with ``char`` put in at ``at`` (or, for ``replace``, instead of the letter there: its case
    fold if it has one)."""
    at %= len(fragment) + 1
    if replace and at < len(fragment):
        return fragment[:at] + _FOLDS.get(fragment[at], char) + fragment[at + 1 :]
    return fragment[:at] + char + fragment[at:]


def test_rule_spans_equal_the_plain_rules_on_non_ascii_text():
    from hypothesis import given, settings, strategies as st

    spliced = st.builds(_spliced, st.sampled_from(_FRAGMENTS), st.integers(0, 40), st.sampled_from(_NON_ASCII),
                        st.booleans())
    piece = st.one_of(st.sampled_from(_FRAGMENTS), st.sampled_from(_SEPARATORS), st.sampled_from(_NON_ASCII), spliced)

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(piece, max_size=30))
    def check(parts):
        text = "".join(parts)
        assert rule_spans(text) == rule_spans_plain(text)
        fast = phi_patterns._NOT_FAST.sub("", text)  # the same text taking the fast path
        assert rule_spans(fast) == rule_spans_plain(fast)

    check()


@pytest.mark.parametrize("text", [
    "a \u201cSSN 123-45-6789\u201d b",  # a cue right after a curly quote
    "x\u00a0phone 020 7946 0958",  # after a no-break space
    "\u00abs/n 12345\u00bb",
    "lives at 12 Elm Street\u00e9 ok",  # a street word before an accented letter
    "37.5\u00b0 on March 3rd; seen 617-555-0199 \u00b5g",
    "caf\u00e9 in sept, Jos\u00e9 since 1998",
])
def test_cues_next_to_non_ascii_characters_are_found_on_the_fast_path(text, monkeypatch):
    expected = rule_spans_plain(text)
    assert expected

    def refuse(text):
        raise AssertionError("took the plain path")

    monkeypatch.setattr(phi_patterns, "rule_spans_plain", refuse)
    assert rule_spans(text) == expected


def test_a_note_with_a_degree_sign_takes_the_fast_path(monkeypatch):
    """Any non-ASCII character sent a note over every rule (6-7 times slower on a long note)."""
    text = "Temp 38.2\u00b0C. MRN: 00123456, seen March 3, call 617-555-0199."
    expected = rule_spans_plain(text)

    def refuse(text):
        raise AssertionError("took the plain path")

    monkeypatch.setattr(phi_patterns, "rule_spans_plain", refuse)
    assert rule_spans(text) == expected


@pytest.mark.parametrize("odd", ["\u0663", "\uff13", "\u0130", "\u0131", "\u017f", "\u212a"])
def test_non_ascii_digits_and_the_four_case_folds_take_the_plain_path(odd, monkeypatch):
    """``٣`` is ``\\d`` (no [0-9] run sees it: "٦١٧-555-0199" is a phone number); ``ſep 3`` is a date to
    case-insensitive matching."""
    text = f"seen {odd} sep 3 at 617-555-0199"
    expected = rule_spans_plain(text)
    calls = []

    def plain(text):
        calls.append(text)
        return expected

    monkeypatch.setattr(phi_patterns, "rule_spans_plain", plain)
    assert rule_spans(text) == expected and calls == [text]
