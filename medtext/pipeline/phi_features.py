"""Features of the PHI model: what a unit looks like, what the lexicons say, and its context.

Features are strings (``w=tasker``, ``w-1=dr``, ``fn=1000``); the model maps
them to weight rows. Features of the unit itself are cached per (text, kind,
note case), since the same words come back again and again.

Example:
    >>> from medtext.pipeline.phi_patterns import units
    >>> us = units("seen by dr tasker")
    >>> feats = unit_features(us, 3, note_case(" seen by dr tasker"), {})
    >>> "w=tasker" in feats and "w-1=dr" in feats
    True
"""

from __future__ import annotations

from medtext.pipeline.phi_lexicons import FACILITY_WORDS, lexicons
from medtext.pipeline.phi_patterns import Unit
from medtext.pipeline.phi_text import fold_word

# Units the model classifies (punctuation and line breaks are context only).
CANDIDATE_KINDS = frozenset("WORD NUM MD MDY MY MDMD ISO PHONE PHONE7 RATIO".split())
WINDOW = (-3, -2, -1, 1, 2, 3)  # offsets of the units whose words are features (the scorer reads the same)
BAG = 5  # the bag of words: up to this many units on each side
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LETTERS = _ASCII_UPPER + _ASCII_UPPER.lower()


def note_case(text: str) -> str:
    """``upper``, ``lower`` or ``mixed``: how the note is written (capitals are no cue in ALL-CAPS notes)."""
    head = text[:4000]
    if head.isascii():  # the same counts, in C: ASCII letters and capitals
        data = head.encode("ascii")
        letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
        upper = len(data) - len(data.translate(None, _ASCII_UPPER))
    else:
        letters = upper = 0
        for ch in head:
            if ch.isalpha():
                letters += 1
                upper += ch.isupper()
    if not letters:
        return "mixed"
    share = upper / letters
    return "upper" if share > 0.7 else "lower" if share < 0.08 else "mixed"


def word_case(word: str) -> str:
    """The shape of a word's case: ``U`` upper (``I`` one capital letter), ``L`` lower, ``T`` title, ``M`` mixed.

    Example:
        >>> [word_case(w) for w in ("MD", "J", "smith", "Smith", "McDonald", "42")]
        ['U', 'I', 'L', 'T', 'M', 'M']
    """
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


def word_parts(word: str) -> tuple[list[str], list[str], list[str], str]:
    """The features of a (folded) word that its case does not change, as :func:`intrinsic_features` orders them:
    those before the case feature, those between it and the second one, those after; and the name flags of the
    second one. An ASCII word's parts depend only on its lower case (the PHI model computes them once per word).

    Example:
        >>> word_parts("Tasker")[0]
        ['w=tasker', 'p3=tas', 's3=ker', 's2=er']
    """
    lower = word.lower()
    lex = lexicons()
    fn = _bucket(lex.first_rank(lower), (100, 500, 2000))
    sn = _bucket(lex.surname_rank(lower), (500, 5000, 30000))
    cw = _bucket(lex.common_count(lower), (3, 20, 200, 2000))
    head = [f"w={lower}", f"p3={lower[:3]}", f"s3={lower[-3:]}", f"s2={lower[-2:]}"]
    middle = [f"len={min(len(word), 12)}", f"fn={fn}", f"sn={sn}", f"cw={cw}", f"fn={fn}|cw={cw}", f"sn={sn}|cw={cw}"]
    tail = []
    if lower in lex.not_phi:
        tail.append(f"notphi={lex.not_phi[lower]}")
    if lex.is_place(lower):
        tail += ["place", f"place|cw={cw}"]
    if lower in FACILITY_WORDS:
        tail.append("facility")
    if "'" in word:
        tail.append("apostrophe")
    return head, middle, tail, f"{fn != '0'}{sn != '0'}"


def intrinsic_features(text: str, kind: str, case_of_note: str) -> list[str]:
    """Features of a unit on its own (no context). A non-ASCII word has those of the ASCII word it folds to
    (``García`` those of ``Garcia``: :func:`~medtext.pipeline.phi_text.fold_word`)."""
    feats = [f"k={kind}"]
    if kind == "WORD":
        text = fold_word(text)
        case = word_case(text)
        head, middle, tail, names = word_parts(text)
        feats += [*head, f"c={case}|{case_of_note}", *middle, f"fnsn={names}|c={case}|{case_of_note}", *tail]
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
        return fold_word(unit.text).lower()
    if kind == "PUNCT":
        return unit.text
    return kind


def context_tokens(us: list[Unit]) -> list[str]:
    """The context token of every unit (lower-case word, punctuation mark, or kind)."""
    return [_context_token(u) for u in us]


def context_pairs(us: list[Unit], toks: list[str], i: int) -> list[tuple[str, str]]:
    """Context features of unit ``i`` as (role, value); the feature string is ``role=value`` (``role`` when value is empty)."""
    n = len(us)
    pairs = [(f"w{offset:+d}", toks[i + offset] if 0 <= i + offset < n else "<edge>") for offset in WINDOW]
    prev = toks[i - 1] if i else "<edge>"
    nxt = toks[i + 1] if i + 1 < n else "<edge>"
    prev2 = toks[i - 2] if i > 1 else "<edge>"
    pairs.append(("w-2w-1", f"{prev2} {prev}"))
    # bag of words around the unit (position-free) within its line: vent settings, pain scores, signatures
    bag: list[tuple[str, str]] = []
    for j in range(max(0, i - BAG), min(n, i + BAG + 1)):
        kind = us[j].kind
        if j != i and kind == "WORD":
            bag.append(("bag", toks[j]))
        elif kind == "NL":
            if j < i:
                bag = [("bag", "<nl>")]
            else:
                break
    pairs += dict.fromkeys(bag)  # binary features: a word twice in the bag counts once (as in training)
    pairs.append(("w-1w+1", f"{prev} {nxt}"))
    # an initial ("N. HOLLOWAY") before, or after ("JON A. PARRISH")
    if i > 1 and toks[i - 1] == "." and us[i - 2].kind == "WORD" and len(toks[i - 2]) == 1:
        pairs.append(("p_initial", ""))
    if i + 2 < n and us[i + 1].kind == "WORD" and len(toks[i + 1]) == 1 and toks[i + 2] == ".":
        pairs.append(("n_initial", ""))
    # nearest words (punctuation skipped) and their case
    lex = lexicons()
    j = i - 1
    while j >= 0 and us[j].kind == "PUNCT":
        j -= 1
    if j >= 0 and us[j].kind == "WORD":
        lower = toks[j]
        pairs += [("pw", lower), ("pc", word_case(fold_word(us[j].text)))]
        if lex.first_rank(lower) and not lex.common_count(lower):
            pairs.append(("p_first", ""))
        if lower in FACILITY_WORDS:
            pairs.append(("p_facility", ""))
    elif j >= 0:
        pairs.append(("pk", us[j].kind))
    j = i + 1
    while j < n and us[j].kind == "PUNCT":
        j += 1
    if j < n and us[j].kind == "WORD":
        lower = toks[j]
        pairs += [("nw", lower), ("nc", word_case(fold_word(us[j].text)))]
        if lex.surname_rank(lower) and not lex.common_count(lower):
            pairs.append(("n_surname", ""))
        if lower in FACILITY_WORDS:
            pairs.append(("n_facility", ""))
    elif j < n:
        pairs.append(("nk", us[j].kind))
    return pairs


def cached_intrinsic(unit: Unit, case_of_note: str, cache: dict[tuple[str, str, str], list[str]]) -> list[str]:
    """:func:`intrinsic_features` through a bounded cache."""
    key = (unit.text, unit.kind, case_of_note)
    own = cache.get(key)
    if own is None:
        own = intrinsic_features(unit.text, unit.kind, case_of_note)
        if len(cache) > 200_000:
            cache.clear()
        cache[key] = own
    return own


def unit_features(us: list[Unit], i: int, case_of_note: str, cache: dict[tuple[str, str, str], list[str]],
                  toks: list[str] | None = None) -> list[str]:
    """All features of unit ``i`` of ``us``: its own (cached) plus its context."""
    toks = toks if toks is not None else context_tokens(us)
    feats = list(cached_intrinsic(us[i], case_of_note, cache))
    feats += [f"{role}={value}" if value else role for role, value in context_pairs(us, toks, i)]
    return feats
