"""Names given away by the words before them: titles, kin words, verbs of contact, nicknames, name fields.

:func:`cue_names` finds ``Dr. Zweig``, ``husband Teodorin``, ``talked with Marguerite``,
``Bea Vesmora aware``, ``goes by Xavi`` and ``PATIENT: HALVORSEN, INGRID``.

Example:
    >>> text = "spoke with husband Zorvan and Dr. Bishop"
    >>> [text[s:e] for s, e, _ in cue_names(text)]
    ['Zorvan', 'Bishop']
"""

from __future__ import annotations

import re

from medtext.pipeline.phi_eponyms import capitals_title, eponym_words
from medtext.pipeline.phi_lexicons import drug_words, lexicons
from medtext.pipeline.phi_name_shapes import (
    COMMON_LIMIT,
    CUE_COMMON_LIMIT,
    NOT_NAME_NEIGHBOURS,
    anchored_matches,
    known_name,
    name_like,
    unknown_word,
)
from medtext.pipeline.phi_words import cue_starts as _cue_starts
from medtext.pipeline.phi_words import cue_words
from medtext.pipeline.phi_words import word_starts as _word_starts

_TITLE_NAME = re.compile(r"(?:mr|mrs|ms|miss|dr|drs)\.?[ \t]{1,2}([A-Za-z][A-Za-z']*(?:-[A-Za-z]+)?)", re.IGNORECASE)
_KIN_NAME = re.compile(
    r"(?:husband|wife|son|daughter|dtr|brother|sister|girlfriend|boyfriend|friend|mother|father|mom|dad|niece"
    r"|nephew|fiance|fiancee|partner|grandson|granddaughter|cousin|aunt|uncle|neighbor|proxy|hcp)(?:'s)?(?![A-Za-z])[ \t]*[-:,]*[ \t]*"
    r"([A-Za-z][A-Za-z']*(?:-[A-Za-z]+)?)",
    re.IGNORECASE,
)
# "talked with Marguerite", "able to reach Tessa": a first name after a verb of contact
_CONTACT_NAME = re.compile(
    r"(?:spoke|spoken|talked|met|reach|reached|visited|called|phoned|updated|contacted|informed)[ \t]+"
    r"(?:with[ \t]+|to[ \t]+|by[ \t]+)?([A-Za-z][A-Za-z']+)",
    re.IGNORECASE,
)
# "BEA VESMORA AWARE": a first name and an unknown word before "aware" / "notified" / "paged"
_NAME_BEFORE_AWARE = re.compile(r"(?<![A-Za-z'-])([A-Za-z]+)[ \t]{1,2}([A-Za-z][A-Za-z']+)[ \t]{1,2}(?:made[ \t]+)?\Z", re.IGNORECASE)
_AWARE = re.compile(r"(?:aware|notified|paged)(?![A-Za-z])", re.IGNORECASE)
_AWARE_WORDS = ("aware", "notified", "paged")


# "goes by Xavi", "(aka Bobby)", "nickname: Tex", "prefers to be called Greta": the word after a nickname cue
_NICKNAME = re.compile(
    r"(?:goes[ \t]+by|go[ \t]+by|going[ \t]+by|known[ \t]+as|a\.?k\.?a\.?|nick[ \t-]?named?(?:[ \t]+is)?|(?<=be[ \t])called)"
    r"[ \t]*[:,-]?[ \t]*[\"'(\u201c\u2018]?([A-Za-z][A-Za-z']*(?:-[A-Za-z]+)?)(?![A-Za-z0-9'-])",
    re.IGNORECASE,
)
# "PATIENT: HALVORSEN, INGRID", "Name: Okafor, Chidi", "Pt: Kowalczyk, Agnieszka": a surname, a comma and a
# first name after a name field
_NAME_FIELD = re.compile(
    r"(?:patient|pt|name)(?:[ \t]+name)?[ \t]*:[ \t]*([A-Za-z][A-Za-z'-]+),[ \t]*([A-Za-z][A-Za-z'-]+)(?![A-Za-z0-9'-])",
    re.IGNORECASE,
)
_NAME_FIELD_WORDS = ("patient", "pt", "name")
_NICKNAME_WORDS = ("goes", "go", "going", "known", "aka", "nick", "nickname", "nicknamed", "called")
# Where each cue pattern can start: these words (lower case), at the beginning of a word.
_TITLE_WORDS = ("mr", "mrs", "ms", "miss", "dr", "drs")
_KIN_WORDS = ("husband", "wife", "son", "daughter", "dtr", "brother", "sister", "girlfriend", "boyfriend", "friend", "mother",
              "father", "mom", "dad", "niece", "nephew", "fiance", "fiancee", "partner", "grandson", "granddaughter", "cousin",
              "aunt", "uncle", "neighbor", "proxy", "hcp")
_CONTACT_WORDS = ("spoke", "spoken", "talked", "met", "reach", "reached", "visited", "called", "phoned", "updated", "contacted",
                  "informed")


_DOCTOR_COMMON_LIMIT = 100


def _doctor_surname(cue: str, word: str, lex: object) -> bool:
    """After ``Dr.`` / ``Drs`` a Census surname that is also a fairly rare word (``dr. brown``, ``Dr. Walker``),
    not one as common as ``given`` or ``still``."""
    lower = word.lower().removesuffix("'s")
    return cue[:2].lower() == "dr" and bool(lex.surname_rank(lower)) and not lex.never_phi(lower) \
        and lex.common_count(lower) < _DOCTOR_COMMON_LIMIT  # type: ignore[attr-defined]


def _names_made_aware(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """``Bea Vesmora aware``: a Census first name, then a word never written in lower case, before a word of
    being told."""
    out = []
    for at in _cue_starts(low, present, _AWARE_WORDS):
        if not _AWARE.match(text, at):
            continue
        floor = max(0, at - 48)
        m = _NAME_BEFORE_AWARE.search(text[floor:at])
        if not m or floor and not m.start():  # a word cut by the window
            continue
        first, last = m.group(1).lower(), m.group(2).lower()
        if lex.first_rank(first) and known_name(first, lex) and first not in NOT_NAME_NEIGHBOURS \
                and unknown_word(last, lex) and last not in NOT_NAME_NEIGHBOURS:  # type: ignore[attr-defined]
            out.append((floor + m.start(1), floor + m.end(2), "NAME"))
    return out


# The name placeholders of already de-identified dictations after a title: "Dr. X", "Mr. ABC", "Ms. Xxxxx's"
_PLACEHOLDER_WORD = re.compile(r"(?:[A-Z]|X{2,}|Xx+|XYZ|Xyz|ABCD?|Abcd?)(?:'s?)?\Z")
_PLACEHOLDER_END = re.compile(r"(?![A-Za-z0-9&/+-])(?![ \t]*[&/])")


def _placeholder_name(text: str, m: re.Match[str]) -> bool:
    """``Dr. X``, ``Mr. ABC``, ``Ms. Xxxxx``: a single capital letter or a placeholder of letters after a title
    written in title case (``Dr.``, not ``MS`` of ``MS A&O``), not followed by ``&`` or ``/``; an initial standing
    for a person is PHI too."""
    title = m.group(0)[: m.start(1) - m.start()].rstrip(" \t.")
    return title[:1].isupper() and title[1:].islower() and bool(_PLACEHOLDER_WORD.match(m.group(1))) \
        and bool(_PLACEHOLDER_END.match(text, m.end(1)))


def cue_names(text: str, words: frozenset[bytes] | None = None) -> list[tuple[int, int, str]]:
    """Names announced by a title (``Dr. Zweig``, ``MRS PELLOWAY``), a kin word (``husband Teodorin``,
    ``NIECE-TESSA``) or a verb of contact (``talked with Marguerite``): the word after the cue, when it
    looks like a name (after a verb of contact: only a Census first name). ``words``: :func:`cue_words` of the
    text, when the caller has them.

    Example:
        >>> text = "spoke with husband Zorvan and Dr. Bishop"
        >>> [text[s:e] for s, e, _ in cue_names(text)]
        ['Zorvan', 'Bishop']
    """
    low = text.lower()
    present = cue_words(text) if words is None else words
    lex = lexicons()
    out = []
    for m in anchored_matches(_TITLE_NAME, text, _cue_starts(low, present, _TITLE_WORDS)):
        word = m.group(1)
        if capitals_title(m.group(0)[: m.start(1) - m.start()], word):  # "MS Contin", "MR. Given"
            continue
        if name_like(word, lex) or known_name(word.lower(), lex) or _doctor_surname(m.group(0), word, lex) \
                or _placeholder_name(text, m):
            out.append((m.start(1), m.end(1), "NAME"))
    drugs, eponyms = drug_words(), eponym_words()["eponym"]
    for m in anchored_matches(_KIN_NAME, text, _cue_starts(low, present, _KIN_WORDS)):
        word = m.group(1)
        lower = word.lower()
        if lower.removesuffix("'s") in drugs or lower.removesuffix("'s") in eponyms:  # "his wife's Lasix tablets"
            continue
        if known_name(lower, lex) and lex.first_rank(lower) or \
                name_like(word, lex) and "-" not in word and len(word) >= 3 and not lower.endswith("ly"):
            out.append((m.start(1), m.end(1), "NAME"))
    for m in anchored_matches(_CONTACT_NAME, text, _cue_starts(low, present, _CONTACT_WORDS)):
        lower = m.group(1).lower()
        if lex.first_rank(lower) and known_name(lower, lex):
            out.append((m.start(1), m.end(1), "NAME"))
    out += _names_made_aware(text, low, present, lex)
    out += _nicknames(text, low, present, lex)
    out += _name_fields(text, low, present, lex)
    out.sort()
    return out


def _nicknames(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """``goes by Xavi``, ``aka Bobby``, ``nickname: Tex``, ``prefers to be called Greta``: the word after a
    nickname cue, when capitalised, and a Census first name or no common word (not ``goes by wheelchair``);
    after ``known as`` only a Census first name."""
    out = []
    starts = _cue_starts(low, present, _NICKNAME_WORDS)
    if b"k" in present:  # "a.k.a."
        starts += _word_starts(low, ("a.k.a",))
    for m in anchored_matches(_NICKNAME, text, starts):
        word = m.group(1)
        # "known as" also names things ("a fungus known as Trichophyton"): only a Census first name there
        if _nickname_like(word, lex) and (m.group(0)[:5].lower() != "known" or lex.first_rank(word.lower())):  # type: ignore[attr-defined]
            out.append((m.start(1), m.end(1), "NAME"))
    return out


def _name_fields(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """``PATIENT: HALVORSEN, INGRID``: the surname and first name after a name field, when both are capitalised
    and look like names (not ``PT: ALERT, ORIENTED``)."""
    out = []
    for m in anchored_matches(_NAME_FIELD, text, _cue_starts(low, present, _NAME_FIELD_WORDS)):
        if all(_field_name_like(m.group(i), lex) for i in (1, 2)):
            out += [(m.start(1), m.end(1), "NAME"), (m.start(2), m.end(2), "NAME")]
    return out


def _field_name_like(word: str, lex: object) -> bool:
    """A capitalised word that looks like a name (:func:`name_like`) or is a rarely written Census name."""
    return word[0].isupper() and (name_like(word, lex, lower_ok=False) or known_name(word.lower(), lex))


def _nickname_like(word: str, lex: object) -> bool:
    """A capitalised word that may be a nickname: a Census first name, or a word of three or more letters that
    is neither common in lower case nor never PHI, no drug, no title or kin word; in capitals, four letters or
    fewer only when a first name (not ``AKA CHF``)."""
    lower = word.lower()
    if not word[0].isupper() or lower in NOT_NAME_NEIGHBOURS or lex.never_phi(lower):  # type: ignore[attr-defined]
        return False
    if lex.first_rank(lower):  # type: ignore[attr-defined]
        return lex.common_count(lower) < CUE_COMMON_LIMIT  # type: ignore[attr-defined]
    if word.isupper() and len(word) <= 4:
        return False
    return len(lower) >= 3 and lex.common_count(lower) < COMMON_LIMIT and lower not in drug_words()  # type: ignore[attr-defined]
