"""Features of the PHI model: what a unit looks like, what the lexicons say, and its context.

Features are strings (``w=healey``, ``w-1=dr``, ``fn=1000``); the model maps
them to weight rows. Features of the unit itself are cached per (text, kind,
note case), since the same words come back again and again.

Example:
    >>> from medtext.pipeline.phi_patterns import units
    >>> us = units("seen by dr healey")
    >>> feats = unit_features(us, 3, note_case(" seen by dr healey"), {})
    >>> "w=healey" in feats and "w-1=dr" in feats
    True
"""

from __future__ import annotations

from medtext.pipeline.phi_lexicons import FACILITY_WORDS, lexicons
from medtext.pipeline.phi_patterns import Unit

# Units the model classifies (punctuation and line breaks are context only).
CANDIDATE_KINDS = frozenset("WORD NUM MD MDY MY MDMD ISO PHONE PHONE7 RATIO".split())
_WINDOW = (-3, -2, -1, 1, 2, 3)
_BAG = 5


def note_case(text: str) -> str:
    """``upper``, ``lower`` or ``mixed``: how the note is written (capitals are no cue in ALL-CAPS notes)."""
    letters = upper = 0
    for ch in text[:4000]:
        if ch.isalpha():
            letters += 1
            upper += ch.isupper()
    if not letters:
        return "mixed"
    share = upper / letters
    return "upper" if share > 0.7 else "lower" if share < 0.08 else "mixed"


def _case(word: str) -> str:
    if word.isupper():
        return "U" if len(word) > 1 else "I"
    if word.islower():
        return "L"
    if word[0].isupper() and word[1:].islower():
        return "T"
    return "M"


def _bucket(rank: int, edges: tuple[int, ...]) -> str:
    if not rank:
        return "0"
    for edge in edges:
        if rank <= edge:
            return str(edge)
    return "more"


def intrinsic_features(text: str, kind: str, case_of_note: str) -> list[str]:
    """Features of a unit on its own (no context)."""
    feats = [f"k={kind}"]
    if kind == "WORD":
        lower = text.lower()
        lex = lexicons()
        case = _case(text)
        fn = _bucket(lex.first_rank(lower), (100, 500, 2000))
        sn = _bucket(lex.surname_rank(lower), (500, 5000, 30000))
        cw = _bucket(lex.common_count(lower), (3, 20, 200, 2000))
        feats += [
            f"w={lower}",
            f"p3={lower[:3]}",
            f"s3={lower[-3:]}",
            f"s2={lower[-2:]}",
            f"c={case}|{case_of_note}",
            f"len={min(len(text), 12)}",
            f"fn={fn}",
            f"sn={sn}",
            f"cw={cw}",
            f"fn={fn}|cw={cw}",
            f"sn={sn}|cw={cw}",
            f"fnsn={fn != '0'}{sn != '0'}|c={case}|{case_of_note}",
        ]
        if lower in lex.not_phi:
            feats.append(f"notphi={lex.not_phi[lower]}")
        if lex.is_place(lower):
            feats += ["place", f"place|cw={cw}"]
        if lower in FACILITY_WORDS:
            feats.append("facility")
        if "'" in text:
            feats.append("apostrophe")
    elif kind == "NUM":
        digits = text.split(".")[0]
        n = len(digits)
        feats.append(f"nlen={n}{'.' if '.' in text else ''}")
        if "." not in text:
            value = int(digits)
            if n == 4:
                feats.append("y19" if 1900 <= value <= 1999 else "y20" if 2000 <= value <= 2099 else "n4")
                if value % 100 < 60 and value < 2400:
                    feats.append("clock")
            elif n == 2:
                feats.append(f"n2={digits[0]}x")
            elif n == 5:
                feats.append("n5")
    elif kind in ("MD", "MY", "MDY"):
        parts = text.replace("-", "/").split("/")
        a, b = int(parts[0]), int(parts[1])
        feats.append(f"{kind}|same={a == b}")
        feats.append(f"{kind}|b={'small' if b <= 5 else 'day' if b <= 31 else 'year'}")
        feats.append(f"{kind}|lead0={parts[0].startswith('0') or parts[1].startswith('0')}")
        if kind == "MD":
            feats.append(f"MD={a}/{b}" if b <= 12 or a == b else "MD|other")
    return feats


def _context_token(unit: Unit) -> str:
    kind = unit.kind
    if kind == "WORD":
        return unit.text.lower()
    if kind == "PUNCT":
        return unit.text
    return kind


def unit_features(us: list[Unit], i: int, case_of_note: str, cache: dict[tuple[str, str, str], list[str]]) -> list[str]:
    """All features of unit ``i`` of ``us``: its own (cached) plus its context."""
    unit = us[i]
    key = (unit.text, unit.kind, case_of_note)
    own = cache.get(key)
    if own is None:
        own = intrinsic_features(unit.text, unit.kind, case_of_note)
        if len(cache) > 200_000:
            cache.clear()
        cache[key] = own
    feats = list(own)
    n = len(us)
    for offset in _WINDOW:
        j = i + offset
        token = _context_token(us[j]) if 0 <= j < n else "<edge>"
        feats.append(f"w{offset:+d}={token}")
    prev = _context_token(us[i - 1]) if i else "<edge>"
    nxt = _context_token(us[i + 1]) if i + 1 < n else "<edge>"
    prev2 = _context_token(us[i - 2]) if i > 1 else "<edge>"
    feats.append(f"w-2w-1={prev2} {prev}")
    # bag of words around the unit (position-free): vent settings, pain scores, signatures
    for j in range(max(0, i - _BAG), min(n, i + _BAG + 1)):
        if j != i and us[j].kind == "WORD":
            feats.append(f"bag={us[j].text.lower()}")
        elif us[j].kind == "NL":
            if j < i:
                feats = [f for f in feats if not f.startswith("bag=")] + ["bag=<nl>"]
            else:
                break
    feats.append(f"w-1w+1={prev} {nxt}")
    # an initial ("N. GRANDONE") before, or after ("DAN A. FORMAN")
    if i > 1 and us[i - 1].text == "." and us[i - 2].kind == "WORD" and len(us[i - 2].text) == 1:
        feats.append("p_initial")
    if i + 2 < n and us[i + 1].kind == "WORD" and len(us[i + 1].text) == 1 and us[i + 2].text == ".":
        feats.append("n_initial")
    # nearest words (punctuation skipped) and their case
    j = i - 1
    while j >= 0 and us[j].kind == "PUNCT":
        j -= 1
    if j >= 0 and us[j].kind == "WORD":
        word = us[j].text
        lower = word.lower()
        feats += [f"pw={lower}", f"pc={_case(word)}"]
        lex = lexicons()
        if lex.first_rank(lower) and not lex.common_count(lower):
            feats.append("p_first")
        if lower in FACILITY_WORDS:
            feats.append("p_facility")
    elif j >= 0:
        feats.append(f"pk={us[j].kind}")
    j = i + 1
    while j < n and us[j].kind == "PUNCT":
        j += 1
    if j < n and us[j].kind == "WORD":
        word = us[j].text
        lower = word.lower()
        feats += [f"nw={lower}", f"nc={_case(word)}"]
        lex = lexicons()
        if lex.surname_rank(lower) and not lex.common_count(lower):
            feats.append("n_surname")
        if lower in FACILITY_WORDS:
            feats.append("n_facility")
    elif j < n:
        feats.append(f"nk={us[j].kind}")
    return feats
