"""Find abbreviation definitions (short form, long form) in a text.

For each candidate (see :mod:`medtext.pipeline.abbreviation_candidates`) every
start of a long form within the window is tried — a (sub)word start holding the
SF's first character, at most ``min(|SF| + 5, 2 |SF|)`` words back (Schwartz-Hearst)
— and the characters aligned (:mod:`medtext.pipeline.abbreviation_match`). Among
the alignments that pass the validity filters (:func:`acceptable`, after Ab3P's
strategy families) the lowest tier wins, the shortest long form on a tie. A new
short form that finds nothing tries two stricter fallbacks: digits the long form
does not spell dropped (``E2``, estradiol) and parts swapped (``L1CAM``, cell
adhesion molecule L1).

Example:
    >>> [(d.short, d.long) for d in find_definitions("Two timed artificial insemination (TAI) protocols.")]
    [('TAI', 'timed artificial insemination')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from medtext.pipeline.abbreviation_candidates import Candidate, candidates
from medtext.pipeline.abbreviation_match import STOPWORDS, Aligner, Alignment, sf_chars

_SIGN = re.compile(r"(?:\+|-|\(\+\)|\(-\))$")
_NUMBER_WORD = re.compile(r"(?:^|\s)[\d.,]+(?=\s|$)")
_PLURAL = re.compile(r"[A-Z0-9]s")
# Route and frequency codes of a prescription (Latin): in a note's bracket they say how to take the
# drug before it, so only a match on word initials (tier 1) defines them.
SIG_CODES = frozenset({"PO", "BID", "TID", "QID", "QD", "QOD", "QHS", "QAM", "QPM", "HS", "PRN"})
# A capitalised word of 4+ letters ("Viscoat", "Amoxil", "Tobi"): a brand or a clipped word when one plain word defines it.
_NAME_LIKE = re.compile(r"[A-Z][a-z]{3,}")
# "[Ca2+]i" (intracellular) / "[K+]e" (extracellular): the subscript comes first in the long form.
_SUBSCRIPTED = re.compile(r"\[(?P<body>[^\]]+)\]\(?(?P<sub>[a-z])\)?")


@dataclass(frozen=True, slots=True)
class Definition:
    """A short form defined by a long form; spans are character offsets into the text.

    ``kind``: forward / inner / reversed (see the candidates module); ``tier``: 1-5,
    the strength of the character match (:attr:`Alignment.tier`).
    """

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int
    kind: str
    tier: int = 0


def max_words(n_chars: int) -> int:
    """Longest long form (in words) for a short form of ``n_chars`` letters/digits (Schwartz-Hearst)."""
    return min(n_chars + 5, 2 * n_chars)


def match_chars(short: str) -> str:
    """The characters to align: letters and digits, a bracket subscript moved first."""
    sub = _SUBSCRIPTED.fullmatch(short)
    if sub:
        return sf_chars(sub.group("sub") + sub.group("body"))
    return sf_chars(short)


def acceptable(short: str, long: str, chars: str, a: Alignment, glued: bool = False) -> bool:
    """Validity filters: is this alignment a real definition rather than a coincidence?

    Tiers 1-3 pass. Tier 4 (one content word unused) passes when the other words'
    first letters are used (all but one of them for SFs of 4+ characters) and the
    SF has 3+ characters or 2+ word initials; tier 5 passes with at most two words
    unused, all but two first letters used, 3+ SF characters and no bare number
    among the words ("day 5 and 8 post-infusion (DPI)"). Neither passes for
    a bracket glued to the word before it (``Arg(Mts)``), an all-lower-case SF, or a
    long form with ``", "`` in it; tier 3 does not pass for a glued bracket
    (``glucose(FS)``), nor tier 5 with every SF character inside the first word
    (unless that word spells the SF).
    A capitalised word (``Viscoat``, ``Cipro``) is not defined by a single plain word
    (a chemical name may: ``Binap``): it is a brand or a clipping. A route or
    frequency code (:data:`SIG_CODES`, ``PO``) needs tier 1. One-character SFs need
    tier 1 with a one-word long form.
    """
    if long.lower() == short.lower() or len(long) <= len(short):
        return False
    if short.upper() in SIG_CODES and a.tier > 1:
        return False  # "Prednisone (PO)", "Hydralazine (HS)": how to take the drug, not what it stands for
    if _NAME_LIKE.fullmatch(short) and long.replace("-", "").isalpha():
        return False  # "viscoelastic (Viscoat)", "Cipro (ciprofloxacin)": a brand or a clipped word, not an abbreviation
    tier = a.tier
    if tier > 2 and short.islower():
        return False  # "his wife noted (his)", "high-dosage, antidotal (dental)": a lower-case SF needs every word's initial
    if len(chars) == 1:
        return tier == 1 and a.words - a.signed == 1 and len(long) >= 4
    if tier <= 2 or (tier == 3 and not glued):
        return True
    if ", " in long:
        return False  # "dystrophy, myotonic dystrophy (DM)": a weak match across a list
    if tier == 4 and not glued:
        return (a.heads >= a.words - 1 or (len(chars) >= 4 and a.heads >= a.words - 2)) and (a.heads >= 2 or len(chars) >= 3)
    if tier == 5 and not glued and not _NUMBER_WORD.search(long) and (a.first_word_hit < len(a.positions) or sf_chars(long.split()[0]) == chars):
        # every SF character inside the first word, two words unused: "LAD-OCCLUDED SVG RAMUS/OM (OLD)";
        # unless that word is the SF itself: "B1R knockout mice (B1R(-/-))"
        return a.words_missed <= 2 and len(chars) >= 3 and a.heads >= a.words - 2
    return False


def _long_start(window: str, anchor: int) -> int:
    """Where a long form whose first character is at ``anchor`` starts: its word's start.

    A word is extended over hyphens (``anti-MuSK``) and number commas (``4,4'-di-``) but
    not over a slash (``Ngn3/paired``) or a comma between words (``Test,Symbol``).
    """
    i = anchor
    while i > 0 and not window[i - 1].isspace() and window[i - 1] != "/":
        if window[i - 1] in ",;:." and i < len(window) and window[i].isupper() and i > 1 and window[i - 2].isalpha():
            break  # "Examination,Repeatable Battery": a transcription comma, not part of a name
        i -= 1
    while i < anchor and not (window[i].isalnum() or window[i] in "[("):
        i += 1
    return i


def _window(text: str, begin: int, end: int, limit: int) -> int:
    """Start of the last ``limit`` words of text[begin:end]."""
    i, words = end, 0
    while i > begin and words < limit:
        while i > begin and text[i - 1].isspace():
            i -= 1
        while i > begin and not text[i - 1].isspace():
            i -= 1
        words += 1
    while i < end and text[i].isspace():
        i += 1
    return i


def _forward(cand: Candidate, fallbacks: bool = True) -> Definition | None:
    short = cand.short
    chars = match_chars(short)
    if not chars or short in ("s", "es"):
        return None
    found = _best_long_form(cand, chars, max_tier=5)
    end = cand.window_end
    if found is None and fallbacks and _PLURAL.fullmatch(short[-2:]):
        # "Activities of daily living (ADLs)": the plural sits on an earlier word; strong matches only
        found = _best_long_form(cand, chars[:-1], max_tier=2, plural=False)
    if found is None and fallbacks:
        # "Boston Naming Test, Second Edition (BNT-2)": the edition spelled out after the name
        edition = _edition_start(short, cand.text, cand.window_start, end)
        if edition is not None:
            found = _best_long_form(replace(cand, window_end=edition), match_chars(_EDITION_SF.fullmatch(short).group("base")), max_tier=2)
    if found is None and fallbacks and any(c.isdigit() for c in chars[1:]):
        # "E2" (estradiol), "FEV(1.0)": a number the long form does not spell; strong matches only
        letters = chars[0] + "".join(c for c in chars[1:] if not c.isdigit())
        found = _best_long_form(cand, letters, max_tier=2 if len(letters) >= 3 else 1)
    if found is None and fallbacks and len(chars) >= 3:
        # "L1CAM" (cell adhesion molecule L1), "CYCB2" (B2-type cyclin): parts swapped; strong matches only
        for rotated in _rotations(short):
            found = _best_long_form(cand, rotated, max_tier=2)
            if found is not None:
                break
    if found is None:
        return None
    lf_start, tier = found
    return Definition(short, cand.text[lf_start:end], cand.short_start, cand.short_end, lf_start, end, cand.kind, tier)


_EDITION_SF = re.compile(r"(?P<base>[A-Z][A-Za-z]+)-(?P<number>[1-9]|[IVX]{1,3})")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_ORDINAL = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def _edition_start(short: str, text: str, begin: int, end: int) -> int | None:
    """Where ``", Second Edition"`` / ``", 2nd Edition"`` for the SF's number (``BNT-2``, ``WAIS-IV``) starts before ``end``.

    Example:
        >>> _edition_start("MAE-II", "Multilingual Aphasia Examination, Second Edition", 0, 48)
        32
    """
    sf = _EDITION_SF.fullmatch(short)
    if sf is None:
        return None
    number = sf.group("number")
    n = int(number) if number.isdigit() else _ROMAN.get(number, 0)
    if not n:
        return None
    suffix = "st" if n == 1 else "nd" if n == 2 else "rd" if n == 3 else "th"
    pattern = rf",?\s+(?:{_ORDINAL[n - 1]}|{n}{suffix})\s+edition"
    match = re.search(pattern + r"$", text[begin:end], re.IGNORECASE)
    return begin + match.start() if match else None


_PART_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|[^A-Za-z0-9]+")


def _rotations(short: str) -> list[str]:
    """The SF's characters with a tail moved to the front: at natural breaks first, then anywhere."""
    out = []
    for match in _PART_BREAK.finditer(short):
        head, tail = short[: match.start()], short[match.end() :]
        if head and tail:
            out.append(match_chars(tail) + match_chars(head))
    chars = match_chars(short)
    out += [chars[k:] + chars[:k] for k in range(1, len(chars)) if chars[k:] + chars[:k] not in out]
    return out


def _signed(short: str, long: str) -> bool:
    """``M+`` / ``CrB(-)``: the sign stands for a last word "...positive" / "...negative"."""
    sign = _SIGN.search(short)
    if not sign:
        return False
    last = long.split()[-1].lower()
    return last.endswith("positive" if "+" in sign.group() else "negative")


def _best_long_form(cand: Candidate, chars: str, max_tier: int, plural: bool | None = None) -> tuple[int, int] | None:
    """(start offset, tier) of the best long form for ``chars`` in the candidate's window."""
    short = cand.short
    text = cand.text
    start = _window(text, cand.window_start, cand.window_end, max_words(len(chars)))
    window = text[start : cand.window_end]
    if not window:
        return None
    aligner = Aligner(chars, window, plural=bool(_PLURAL.fullmatch(short[-2:])) if plural is None else plural)
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] = (max_tier + 1, 0)
    for anchor in reversed(aligner.anchors()):
        alignment = aligner.at(anchor)
        if alignment is None:
            continue
        lf_start = _long_start(window, anchor)
        long = window[lf_start:]
        words = long.split()
        if words[0].lower() in STOPWORDS and len(words) > 1 and alignment.first_word_hit == 1:
            continue
        if _signed(short, long) and not alignment.last_word_hit:
            alignment = replace(alignment, words_hit=alignment.words_hit + 1, heads=alignment.heads + 1, last_word_hit=True, signed=True)
        if not acceptable(short, long, chars, alignment, cand.glued):
            continue
        key = (alignment.tier, len(long))
        if key < best_key:
            best, best_key = (start + lf_start, alignment.tier), key
    return best


def _reversed(cand: Candidate) -> Definition | None:
    short = cand.short
    chars = match_chars(short)
    long = cand.text[cand.window_start : cand.window_end]
    if len(chars) < 2 or not long or len(long) <= len(short) + 1 or len(long.split()) > max_words(len(chars)):
        return None
    rest = long.lower().replace(short.lower(), " ")
    if short in long or sum(c.isalpha() for c in rest) < 3 or any(sum(c.isupper() for c in w) >= 2 for w in long.split()):
        return None  # "L1 (L1CAM)", "SGK1 (sgk1(-/-))", "HBV (HBsAg-negative)": not a definition
    aligner = Aligner(chars, long, plural=bool(_PLURAL.fullmatch(short[-2:])))
    first_word_end = len(long.split()[0])
    for anchor in aligner.anchors():
        if anchor < first_word_end:
            alignment = aligner.at(anchor)
            if alignment is not None:
                break
    else:
        return None
    if not acceptable(short, long, chars, alignment) or alignment.words_hit < alignment.words:
        return None
    if alignment.tier > 2:
        return None  # "fed (food restricted)", "OS (OD worse)": the reversed form needs a strong match
    return Definition(short, long, cand.short_start, cand.short_end, cand.window_start, cand.window_end, cand.kind, alignment.tier)


_SINGLE_LETTER = re.compile(r"[(\[]([A-Za-z])[)\]]")


def _list_labels(text: str) -> set[str]:
    """Single letters used as list labels: ``(A) ... (B)`` - consecutive letters in brackets."""
    letters = set(_SINGLE_LETTER.findall(text))
    return {c for c in letters if chr(ord(c) + 1) in letters or chr(ord(c) - 1) in letters}


def find_definitions(text: str) -> list[Definition]:
    """Definitions in a text, in order of their short forms (at most one per bracket pair).

    Example:
        >>> [(d.short, d.long) for d in find_definitions("Levels (n = 12) of interleukin-2 (IL-2) rose (p < 0.05).")]
        [('IL-2', 'interleukin-2')]
    """
    if "(" not in text and "[" not in text:
        return []
    labels = _list_labels(text)
    found: list[Definition] = []
    done: set[int] = set()
    defined: set[str] = set()
    for cand in candidates(text):
        bracket = cand.short_start if cand.kind == "forward" else cand.window_start
        if bracket in done or cand.short in labels:
            continue
        if cand.kind == "reversed":
            definition = _reversed(cand)
        else:
            # the weaker fallbacks only for a short form not defined before (a later one is a use)
            definition = _forward(cand, fallbacks=cand.short not in defined)
        if definition is None:
            continue
        done.add(bracket)
        defined.add(definition.short)
        found.append(definition)
    found.sort(key=lambda d: d.short_start)
    return found
