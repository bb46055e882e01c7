"""Span clean-up of the ``phi`` component, after the rules and the model have spoken.

* :func:`propagate`: a name or place the model is sure of marks its other
  mentions in the same note (``Ilse Varnum`` ... ``Ilse``);
* :func:`consistent_mentions`: at the end, the words of every detected name or place
  mark their other capitalised mentions (``Pt: Kowalczyk`` ... ``Kowalczyk family``);
* :func:`merge_spans`: overlapping spans become one (the strongest label wins);
* :func:`absorb_initials`: ``Z. LINDQVIST``, ``OTTO W. BRANNIGAN`` become one name;
* :func:`extend_institutions`: ``Sacred Heart``, ``University of Maryland``,
  ``ELMWOOD HOSPITAL`` become one LOCATION / HOSPITAL span.
* :func:`cue_names`, :func:`cue_locations`: names after titles, kin words and
  verbs of contact; saint-named hospitals, campuses, ``University of X``;
* :func:`extend_names`: name-like neighbouring words join a name
  (``Orla Zwarkowich``, ``Dr Will Tesbury``);
* :func:`extend_places`: a LOCATION inside a known place name of several words grows to it
  (``new haven``);
* :func:`extend_addresses`: house numbers join streets, glued digits join
  names and places (``Kestrel4``);
* :func:`trim_edges`: sentence words leave the edges of names and places (``of Chattanooga``,
  ``Dr. X's ingenuity``), places a space apart become one.

Example:
    >>> text = "Z. MILLER AWARE"
    >>> absorb_initials(text, [(3, 9, "NAME")])
    [(0, 9, 'NAME')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import repeat

from medtext.pipeline.phi_eponyms import capitals_title, eponym_words
from medtext.pipeline.phi_lexicons import drug_words, lexicons, world_places
from medtext.pipeline.phi_words import cue_starts as _cue_starts
from medtext.pipeline.phi_words import cue_words
from medtext.pipeline.phi_words import word_starts as _word_starts

_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
PROPAGATE_MIN_SCORE = 0.5
_COMMON_LIMIT = 20
# Words that belong to an institution's name next to a place word.
INSTITUTION_WORDS = frozenset(
    "st st. saint sacred heart holy cross memorial regional general university of medical center hospital hosp hosp. "
    "rehab rehabilitation county community mercy union shore eastern western northern southern north south east west "
    "health healthcare clinic campus house manor home nursing mary's mary agnes joseph's luke's vincent's".split()
)
_FACILITY = re.compile(
    r"[ \t]{1,3}(?:hospital|hosp\b\.?|medical center|med(?:ical)? ctr|med center|rehab(?:ilitation)?(?: center| hospital)?"
    r"|nursing home|clinic|health center|healthcare|hospice|infirmary)\b",
    re.IGNORECASE,
)


def propagate(text: str, spans: Iterable[tuple[int, int, str, float]]) -> list[tuple[int, int, str]]:
    """Other mentions (whole words, any case) of sure NAME/LOCATION words of the note."""
    lex = lexicons()
    words: dict[str, str] = {}
    for start, end, label, score in spans:
        if label in ("NAME", "LOCATION") and score >= PROPAGATE_MIN_SCORE:
            for word in _WORD.findall(text[start:end]):
                lower = word.lower()
                if len(lower) >= 3 and lex.common_count(lower) < _COMMON_LIMIT:
                    words.setdefault(lower, label)
    if not words:
        return []
    if text.isascii():
        return _mentions(text, words)
    pattern = re.compile(r"(?<![A-Za-z'])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![A-Za-z])",
                         re.IGNORECASE)
    return [(m.start(), m.end(), words[m.group().lower()]) for m in pattern.finditer(text)]


# Document-level consistency: labels whose words mark their other mentions, and how common a word may be.
CONSISTENT_LABELS = ("NAME", "LOCATION", "HOSPITAL")
CONSISTENT_COMMON_LIMIT = 20
CONSISTENT_MIN_LENGTH = 3
CONSISTENT_CAPITALISED = True


def consistent_mentions(text: str, spans: Iterable[tuple[int, int, str]], sure: Sequence[tuple[int, int]] | None = None,
                        written: Callable[[int, int], str] | None = None) -> list[tuple[int, int, str]]:
    """Other mentions (whole words, any case) of the words of the note's detected names and places, with
    their label: once ``Kowalczyk`` is PHI in a note, every capitalised ``Kowalczyk`` of the note is. A word
    counts when it is written capitalised there, has at least three letters and is no ordinary word (written
    in lower case fewer than 20 times in clinical text), no title, kin, function or institution word,
    never-PHI word, drug name or short capitals outside the name lists (``Smith`` propagates; ``Will`` of
    ``Dr Will Tesbury``, ``Hospital``, ``CONT`` do not). ``sure``: character ranges of sure detections (title,
    kin and contact cues, the user's rules, confident model spans); a word of a span that meets none of them
    must also be a Census first name or surname, or be written with non-ASCII letters (a brand or device the
    model took for a name, ``Vicryl``, is not spread over the note). ``written``: when ``text`` is a folded
    text, the text as written of a range of it; a word written with non-ASCII letters is no ordinary English
    word whatever it folds to (``Groß``, not ``gross``), and marks only its mentions spelt alike. The spans
    themselves are among the mentions.

    Example:
        >>> text = "Pt: Kowalczyk, Agnieszka. Seen today. Kowalczyk family history of MI."
        >>> [text[s:e] for s, e, _ in consistent_mentions(text, [(38, 47, "NAME")])]
        ['Kowalczyk', 'Kowalczyk']
    """
    lex = lexicons()
    drugs = drug_words()
    eponyms = eponym_words()["eponym"]
    words: dict[str, str] = {}
    spelt: dict[str, str] = {}  # a word written with non-ASCII letters: how (lower case)
    for start, end, label in spans:
        if label not in CONSISTENT_LABELS:
            continue
        span_sure = sure is None or any(a < end and start < b for a, b in sure)
        for m in _WORD.finditer(text, start, end):
            word = m.group()
            lower = word.lower().removesuffix("'s")
            if len(lower) < CONSISTENT_MIN_LENGTH or lower in words or (CONSISTENT_CAPITALISED and not word[0].isupper()):
                continue
            as_written = written(m.start(), m.start() + len(lower)).lower() if written else lower
            named = lex.first_rank(lower) or lex.surname_rank(lower)
            if as_written.isascii() and (lex.common_count(lower) >= CONSISTENT_COMMON_LIMIT or (lower in drugs and not named)
                                         or (lower in eponyms and not named)):
                continue
            if lex.never_phi(lower) or lower in _NOT_NAME_NEIGHBOURS or lower in INSTITUTION_WORDS \
                    or (word.isupper() and len(lower) <= 4 and not named):
                continue
            if not (span_sure or named or not as_written.isascii()):
                continue
            words[lower] = label
            if not as_written.isascii():
                spelt[lower] = as_written
    if not words:
        return []
    if text.isascii():
        found = _mentions(text, words)
    else:
        pattern = re.compile(r"(?<![A-Za-z'])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![A-Za-z])",
                             re.IGNORECASE)
        found = [(m.start(), m.end(), words[m.group().lower()]) for m in pattern.finditer(text)]
    if CONSISTENT_CAPITALISED:  # "Bronch" does not make PHI of "bronch"
        found = [(s, e, label) for s, e, label in found if text[s].isupper()]
    if spelt and written:
        found = [(s, e, label) for s, e, label in found if spelt.get(text[s:e].lower(), None) in (None, written(s, e).lower())]
    return found


def _mentions(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """What :func:`propagate`'s regular expression finds, for ASCII text: whole-word mentions, the longest
    word at each start, left to right without overlaps."""
    low = text.lower()
    longest: dict[int, int] = {}
    for word in words:
        size = len(word)
        at = low.find(word)
        while at >= 0:
            after = at + size
            if (not at or low[at - 1] not in _LETTERS_APOSTROPHE) and (after == len(low) or low[after] not in _LETTERS) \
                    and size > longest.get(at, 0):
                longest[at] = size
            at = low.find(word, at + 1)
    out = []
    end = -1
    for start in sorted(longest):
        if start >= end:
            end = start + longest[start]
            out.append((start, end, words[low[start:end]]))
    return out


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS_APOSTROPHE = _LETTERS | {"'"}


def merge_spans(spans: Iterable[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Merge overlapping ``(start, end, label, priority)`` spans; the label of the strongest wins.

    Example:
        >>> merge_spans([(0, 3, "PHONE", 1), (0, 12, "PHONE", 2), (20, 24, "NAME", 1)])
        [(0, 12, 'PHONE'), (20, 24, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    best: tuple[int, int] = (-1, -1)
    for start, end, label, priority in sorted(spans):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            prev_start, prev_end, prev_label = out[-1]
            key = (priority, end - start)
            if key > best:
                prev_label, best = label, key
            out[-1] = (prev_start, max(prev_end, end), prev_label)
        else:
            out.append((start, end, label))
            best = (priority, end - start)
    return out


_INITIAL_BEFORE = re.compile(r"(?:(?<![A-Za-z])[A-Z]\.?|(?<![A-Za-z])[a-z]\.)[ \t]{1,2}\Z")
_INITIAL_BETWEEN = re.compile(r"[ \t]{1,2}[A-Za-z]\.?[ \t]{1,2}\Z")


_SENTENCE_START = re.compile(r"(?:\A|[.!?:;,][ \t]*|\n[ \t]*)\Z")


def _sentence_article(text: str, at: int) -> bool:
    """``A`` (or ``I``) at ``at``, without a full stop, starts a sentence: the article or the pronoun, no initial
    (``A Portnoy catheter was introduced``, ``,A Storz sheath``)."""
    return text[at] in "AI" and text[at + 1 : at + 2] != "." and bool(_SENTENCE_START.search(text, max(0, at - 4), at))


def absorb_initials(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Single-letter initials right before a NAME (or between two NAMEs) join the name; a sentence's first ``A``
    is the article."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label == "NAME":
            if out and out[-1][2] == "NAME" and _INITIAL_BETWEEN.match(text[out[-1][1] : start] + "") and "\n" not in text[out[-1][1] : start]:
                prev = out.pop()
                start = prev[0]
            else:
                # searched in the text itself, so that the look-behind sees the letters before the window
                # (in a 4-character slice, the "n." ending "condition.  Emily" looked like an initial)
                m = _INITIAL_BEFORE.search(text, max(0, start - 4), start)
                floor = out[-1][1] if out else 0
                if m and m.start() >= floor and not _sentence_article(text, m.start()):
                    start = m.start()
        out.append((start, end, label))
    return out


def _word_after(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"[ \t]([A-Za-z][A-Za-z'.]*)").match(text, pos)


def _word_before(text: str, pos: int) -> re.Match[str] | None:
    return re.compile(r"([A-Za-z][A-Za-z'.]*)[ \t]\Z").search(text[max(0, pos - 30) : pos])


def _start_before(text: str, pos: int, m: re.Match[str]) -> int:
    """Where the word of ``m = _word_before(text, pos)`` starts in ``text``."""
    return max(0, pos - 30) + m.start(1)


def _grow_spans(text: str, spans: Sequence[tuple[int, int, str]], labels: tuple[str, ...],
                grow: Callable[[int, int, str, int, int], tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``grow(start, end, label, floor, ceiling)`` applied to each span of ``labels``, in order: ``floor`` is
    the end of the span before it (as grown), ``ceiling`` the start of the next one.

    Example:
        >>> _grow_spans("ab cd", [(0, 2, "NAME"), (3, 5, "DATE")], ("NAME",), lambda s, e, l, f, c: (s, c, l))
        [(0, 3, 'NAME'), (3, 5, 'DATE')]
    """
    out: list[tuple[int, int, str]] = []
    for i, (start, end, label) in enumerate(spans):
        if label in labels:
            floor = out[-1][1] if out else 0
            ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            start, end, label = grow(start, end, label, floor, ceiling)
        out.append((start, end, label))
    return out


_OF_WORD = re.compile(r"(?i)of[ \t]")


def extend_institutions(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Grow LOCATION spans over neighbouring institution words; with a facility word they become HOSPITAL. A span
    does not start with ``of`` (``room #2 of ABCD Hospital`` -> ``ABCD Hospital``; ``University of Maryland`` keeps
    it inside).

    Example:
        >>> extend_institutions("room #2 of ABCD Hospital.", [(11, 15, "LOCATION")])
        [(11, 24, 'HOSPITAL')]
    """

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        starts = [start]
        for _ in range(4):
            m = _word_before(text, starts[-1])
            if not m or m.group(1).lower() not in INSTITUTION_WORDS:
                break
            new_start = _start_before(text, starts[-1], m)
            if new_start < floor:
                break
            starts.append(new_start)
        while len(starts) > 1 and _OF_WORD.match(text, starts[-1]):  # "room #2 of ABCD Hospital": no "of" first
            starts.pop()
        start = starts[-1]
        for _ in range(4):
            m = _word_after(text, end)
            if not m:
                break
            word = m.group(1).lower()
            stop = m.end(1)
            if word.endswith(".") and word not in INSTITUTION_WORDS:
                word, stop = word[:-1], stop - 1
            if stop > ceiling:
                break
            if word not in INSTITUTION_WORDS:
                # "University of X": the word after a trailing "of" belongs to the name, unless it is ordinary
                if not (text[start:end].lower().endswith(" of") and lexicons().common_count(word) < _COMMON_LIMIT):
                    break
            end = stop
        fac = _FACILITY.match(text, end)
        if fac and fac.end() <= ceiling:
            end, label = fac.end(), "HOSPITAL"
        elif re.search(r"(?i)\b(?:hospital|hosp\.?|medical center|rehab)$", text[start:end]):
            label = "HOSPITAL"
        return start, end, label

    return _grow_spans(text, spans, ("LOCATION", "HOSPITAL"), grow)


def extend_places(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A LOCATION that is part of a known place name of two or three words grows to the whole name
    (the model marked ``haven`` of ``new haven``, ``River`` of ``Middle River``).

    Example:
        >>> extend_places("back to new haven today", [(12, 17, "LOCATION")])
        [(8, 17, 'LOCATION')]
    """
    lex = lexicons()

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        befores, afters = [start], [end]
        for _ in range(2):
            m = _word_before(text, befores[-1])
            if not m:
                break
            befores.append(_start_before(text, befores[-1], m))
        for _ in range(2):
            m = _word_after(text, afters[-1])
            if not m:
                break
            afters.append(m.end(1))
        best = (start, end)
        for new_start in befores:
            for new_end in afters:
                if new_start < floor or new_end > ceiling or new_end - new_start <= best[1] - best[0]:
                    continue
                if lex.is_place(" ".join(text[new_start:new_end].lower().split())):
                    best = (new_start, new_end)
        return best[0], best[1], label

    return _grow_spans(text, spans, ("LOCATION",), grow)


# -- names next to names, names after titles and kin words --------------------------------------------
# Words that follow or precede a name without being part of it (credentials, roles, ward words).
_NOT_NAME_NEIGHBOURS = frozenset(
    "md rn np pa do phd rrt rt lpn lcsw licsw msw cm pt ot slp sw ccu icu micu sicu ccrn crnp mph ms mrs mr dr drs "
    "aware notified paged called here in at to and or with by from for of on re per via husband wife son daughter dtr "
    "brother sister girlfriend boyfriend friend friends mother father mom dad niece nephew fiance fiancee partner grandson "
    "granddaughter cousin aunt uncle neighbor proxy hcp family wedding ceo caseworker case worker nurse nurses attending "
    "resident intern fellow chaplain rabbi priest pastor pharmacist therapist physician surgeon team service".split()
)
_NEIGHBOUR_AFTER = re.compile(r"[ \t]{1,2}([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)(?![A-Za-z0-9'-])")
_NEIGHBOUR_BEFORE = re.compile(r"(?<![A-Za-z0-9'-])([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)[ \t]{1,2}\Z")


def _name_like(word: str, lex: object, lower_ok: bool = True) -> bool:
    """A word that may continue a name: never written in lower case in ordinary clinical text, no
    credential or function word, and (when short) a known first name or surname; written in lower case
    only where ``lower_ok`` (next to a name written in lower case)."""
    if not lower_ok and word.islower():
        return False
    lower = word.lower()
    if lower.endswith("'s"):
        lower = lower[:-2]
    if lower in _NOT_NAME_NEIGHBOURS or lex.common_count(lower) or lex.never_phi(lower):  # type: ignore[attr-defined]
        return False
    if len(lower) <= 3 and not (lex.first_rank(lower) or lex.surname_rank(lower)):  # type: ignore[attr-defined]
        return False
    if not word.islower() or lex.first_rank(lower) or lex.surname_rank(lower):  # type: ignore[attr-defined]
        return True
    return len(lower) > 4 and not lower.endswith(_WORD_ENDINGS)


def _neighbour_like(word: str, lex: object, lower_ok: bool) -> bool:
    """:func:`_name_like`, and no compound (``AWARE-WILL``), no single letter, no short capitals outside the name
    lists (``PICC``)."""
    if "-" in word or len(word) < 2:
        return False
    if word.isupper() and len(word) <= 4 and not (lex.first_rank(word.lower()) or lex.surname_rank(word.lower())):  # type: ignore[attr-defined]
        return False
    return _name_like(word, lex, lower_ok)


# Endings of ordinary lower-case words ("persists", "needed"), which an unknown lower-case name rarely has.
_WORD_ENDINGS = ("s", "ed", "ing", "ly", "tion", "ment", "ness", "ful", "able", "ible", "ive", "ous", "ize", "ise")


_INITIAL_SURNAME = re.compile(r"[ \t]{1,2}[A-Za-z]\.[ \t]{1,2}([A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)?)(?![A-Za-z0-9'-])")
_TITLE_BEFORE = re.compile(r"(?<![A-Za-z])(?:dr|mr|mrs|ms|miss)\.?[ \t]{1,2}\Z", re.IGNORECASE)


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word.lower() not in _NOT_NAME_NEIGHBOURS


# Words that start a sentence rather than continue a name, although Census surnames ("Dr. X.  He was")
_SENTENCE_WORDS = frozenset("he she it we they his her its their this that these those the an there then".split())


def _titled_surname(word: str, lex: object) -> bool:
    """After ``Dr. Art``: a capitalised Census surname, however common (``Young``); in capitals (no cue in an
    ALL-CAPS note) only a rare word (not ``FAIR``, ``SO``); no pronoun or article (``Dr. X.  He was``)."""
    lower = word.lower()
    return _capitalised(word) and bool(lex.surname_rank(lower)) and not lex.never_phi(lower) and lower not in _SENTENCE_WORDS \
        and (not word.isupper() or lex.common_count(lower) < _CUE_COMMON_LIMIT)  # type: ignore[attr-defined]


def extend_names(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Grow NAME spans over one name-like neighbouring word on each side (same line), so a first
    name found by the model brings its unknown surname (``Orla Zwarkowich``) and the other way round.
    After a title any capitalised word before the name joins it (``Dr Will Tesbury``), and a capitalised
    surname after it (``Dr. Art Young``).

    Example:
        >>> extend_names("met w/ Orla Zwarkowich today", [(7, 11, "NAME")])
        [(7, 22, 'NAME')]
    """
    lex = lexicons()

    def grow(start: int, end: int, label: str, floor: int, ceiling: int) -> tuple[int, int, str]:
        titled = bool(_TITLE_BEFORE.search(text, max(floor, start - 6), start))
        lower_ok = not text[start:end].isupper() and not text[start:end].istitle()
        # after an initial ("R. Verdalino") the name may follow the initial's full stop
        after = end + 1 if end - start == 1 and text[end : end + 1] == "." else end
        m = _NEIGHBOUR_AFTER.match(text, after)
        if m and after > end and m.start(1) - after > 1:  # "Dr. X.  No interval complaints": a new sentence
            m = None
        if m and m.end(1) <= ceiling and (_neighbour_like(m.group(1), lex, lower_ok) or titled and _titled_surname(m.group(1), lex)):
            end = m.end(1)
        else:
            # a middle initial between the first name and the surname ("barbara j. dellacroft")
            m = _INITIAL_SURNAME.match(text, end)
            if m and m.end(1) <= ceiling and _neighbour_like(m.group(1), lex, lower_ok):
                end = m.end(1)
        lead = text[max(floor, start - 40) : start]
        m = _NEIGHBOUR_BEFORE.search(lead)
        if m and (_neighbour_like(m.group(1), lex, lower_ok) or _capitalised(m.group(1)) and _TITLE_BEFORE.search(lead, 0, m.start(1))):
            start = start - len(lead) + m.start(1)
        return start, end, label

    return _grow_spans(text, spans, ("NAME",), grow)


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
_CUE_COMMON_LIMIT = 50
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
_SAINT_WORDS = ("sacred", "holy", "good", "saint", "st")
_UNIVERSITY_WORDS = ("univ", "university", "u")
def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """Matches of ``pattern`` anchored at each of ``starts`` (they may overlap)."""
    match = pattern.match
    return [m for m in map(match, repeat(text), starts) if m]


def _unknown_word(word: str, lex: object) -> bool:
    """No part of ``word`` is ever written in lower case in ordinary clinical text, nor never PHI."""
    parts = word.lower().split("-")
    return not any(lex.common_count(p) or lex.never_phi(p) for p in parts)  # type: ignore[attr-defined]


def _known_name(lower: str, lex: object) -> bool:
    """A Census first name or surname that is rarely written in lower case (``bishop``, not ``will``)."""
    return bool(lex.first_rank(lower) or lex.surname_rank(lower)) and lex.common_count(lower) < _CUE_COMMON_LIMIT \
        and not lex.never_phi(lower)  # type: ignore[attr-defined]


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
        if lex.first_rank(first) and _known_name(first, lex) and first not in _NOT_NAME_NEIGHBOURS \
                and _unknown_word(last, lex) and last not in _NOT_NAME_NEIGHBOURS:  # type: ignore[attr-defined]
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
    for m in _matches(_TITLE_NAME, text, _cue_starts(low, present, _TITLE_WORDS)):
        word = m.group(1)
        if capitals_title(m.group(0)[: m.start(1) - m.start()], word):  # "MS Contin", "MR. Given"
            continue
        if _name_like(word, lex) or _known_name(word.lower(), lex) or _doctor_surname(m.group(0), word, lex) \
                or _placeholder_name(text, m):
            out.append((m.start(1), m.end(1), "NAME"))
    drugs, eponyms = drug_words(), eponym_words()["eponym"]
    for m in _matches(_KIN_NAME, text, _cue_starts(low, present, _KIN_WORDS)):
        word = m.group(1)
        lower = word.lower()
        if lower.removesuffix("'s") in drugs or lower.removesuffix("'s") in eponyms:  # "his wife's Lasix tablets"
            continue
        if _known_name(lower, lex) and lex.first_rank(lower) or \
                _name_like(word, lex) and "-" not in word and len(word) >= 3 and not lower.endswith("ly"):
            out.append((m.start(1), m.end(1), "NAME"))
    for m in _matches(_CONTACT_NAME, text, _cue_starts(low, present, _CONTACT_WORDS)):
        lower = m.group(1).lower()
        if lex.first_rank(lower) and _known_name(lower, lex):
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
    for m in _matches(_NICKNAME, text, starts):
        word = m.group(1)
        # "known as" also names things ("a fungus known as Trichophyton"): only a Census first name there
        if _nickname_like(word, lex) and (m.group(0)[:5].lower() != "known" or lex.first_rank(word.lower())):  # type: ignore[attr-defined]
            out.append((m.start(1), m.end(1), "NAME"))
    return out


def _name_fields(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """``PATIENT: HALVORSEN, INGRID``: the surname and first name after a name field, when both are capitalised
    and look like names (not ``PT: ALERT, ORIENTED``)."""
    out = []
    for m in _matches(_NAME_FIELD, text, _cue_starts(low, present, _NAME_FIELD_WORDS)):
        if all(_field_name_like(m.group(i), lex) for i in (1, 2)):
            out += [(m.start(1), m.end(1), "NAME"), (m.start(2), m.end(2), "NAME")]
    return out


def _field_name_like(word: str, lex: object) -> bool:
    """A capitalised word that looks like a name (:func:`_name_like`) or is a rarely written Census name."""
    return word[0].isupper() and (_name_like(word, lex, lower_ok=False) or _known_name(word.lower(), lex))


def _nickname_like(word: str, lex: object) -> bool:
    """A capitalised word that may be a nickname: a Census first name, or a word of three or more letters that
    is neither common in lower case nor never PHI, no drug, no title or kin word; in capitals, four letters or
    fewer only when a first name (not ``AKA CHF``)."""
    lower = word.lower()
    if not word[0].isupper() or lower in _NOT_NAME_NEIGHBOURS or lex.never_phi(lower):  # type: ignore[attr-defined]
        return False
    if lex.first_rank(lower):  # type: ignore[attr-defined]
        return lex.common_count(lower) < _CUE_COMMON_LIMIT  # type: ignore[attr-defined]
    if word.isupper() and len(word) <= 4:
        return False
    return len(lower) >= 3 and lex.common_count(lower) < _COMMON_LIMIT and lower not in drug_words()  # type: ignore[attr-defined]


# -- places announced by their shape ------------------------------------------------------------------
_SAINT_PLACE = re.compile(
    r"\b(?:sacred[ \t]+heart|holy[ \t]+(?:cross|family|name|redeemer|spirit)|good[ \t]+samaritan"
    r"|(?:st\.?|saint)[ \t]+[a-z]+(?:'s)?(?=[ \t]+(?:hospital|hosp\b|medical[ \t]+center|med[ \t]+center|rehab|nursing[ \t]+home|clinic)))",
    re.IGNORECASE,
)
_CAMPUS = re.compile(r"\b([A-Za-z][A-Za-z'-]+)[ \t]+campus\b", re.IGNORECASE)
_NOT_CAMPUS = frozenset("the this that main other same a an our their his her new old its which each".split())
_UNIVERSITY_OF = re.compile(r"\b(?:[Uu]niv(?:ersity)?\.?|UNIV(?:ERSITY)?\.?|U)[ \t]+(?:of|OF)[ \t]+([A-Za-z]+)")


# "lives nearby in Quillane": the word after a verb of residence
_RESIDENCE = re.compile(
    r"(?:lives|living|resides|residing)[ \t]+(?:(?:nearby|locally|alone|here|now)[ \t]+)?in[ \t]+([A-Za-z][A-Za-z]*(?:-[A-Za-z]+)?)(?![A-Za-z'-])",
    re.IGNORECASE,
)
_RESIDENCE_WORDS = ("lives", "living", "resides", "residing")
_DETERMINERS = frozenset("a an the his her their our my this that its one another".split())
# "Kessler-Adventist rehab facility", "Vista Health": the word before a facility word
_FACILITY_AHEAD = re.compile(
    r"(?:rehab(?:ilitation)?|nursing[ \t]+home|hosp(?:ital)?|clinic|facility|medical[ \t]+center|hospice|health(?:care)?)(?![A-Za-z])",
    re.IGNORECASE,
)
_FACILITY_WORDS = ("rehab", "nursing", "hosp", "clinic", "facility", "medical", "hospice", "health")
_WORD_BEFORE_CUE = re.compile(r"(?<![A-Za-z0-9'-])([A-Za-z]+(?:-[A-Za-z]+)?)[ \t]{1,2}\Z")


def _facility_names(text: str, low: str, present: frozenset[bytes], lex: object) -> list[tuple[int, int, str]]:
    """Unknown words right before a facility word; short ones (``prev``, ``cont``) only when a known place."""
    out = []
    for at in _cue_starts(low, present, _FACILITY_WORDS):
        if not _FACILITY_AHEAD.match(text, at):
            continue
        lead = text[max(0, at - 40) : at]
        m = _WORD_BEFORE_CUE.search(lead)
        if not m:
            continue
        word = m.group(1)
        lower = word.lower()
        if _unknown_word(word, lex) and (len(word) >= 5 and not lower.endswith(("ed", "ing")) or lex.is_place(lower)):  # type: ignore[attr-defined]
            start = at - len(lead) + m.start(1)
            out.append((start, start + len(word), "LOCATION"))
    return out


# -- non-US towns after a place cue, or next to a country or a postcode ---------------------------------
# "moved to Lyon", "born in Rio de Janeiro", "Nairobi, Kenya", "75008 Paris": up to four words after the cue,
# the longest run that is a town of world_places.tsv (small words such as "de" may sit inside).
_PLACE_CUE_WORDS = ("in", "from", "to", "near", "visiting")
_SMALL_WORDS = frozenset("de del da do dos das la le les el am an on upon sur en di".split())
_TOWN_WORD = r"[A-Z][A-Za-z'-]*[A-Za-z]"
_TOWN_WORDS = rf"({_TOWN_WORD}(?:[ \t](?:{_TOWN_WORD}|{'|'.join(sorted(_SMALL_WORDS))})){{0,3}})"
_PLACE_CUE = re.compile(r"(?i:in|from|to|near|visiting)[ \t]{1,2}" + _TOWN_WORDS + r"(?![A-Za-z0-9'-])")
_TOWN_BEFORE = re.compile(r"(?<![A-Za-z0-9'-])" + _TOWN_WORDS + r"\Z")
_COUNTRY_AFTER = re.compile(r",[ \t]*([A-Z][A-Za-z.'-]*)")  # a capitalised word after a comma
_POSTCODE_BEFORE = re.compile(r"(?<![\w/.:,-])\d{4,5}[ \t]{1,2}" + _TOWN_WORDS + r"(?=[ \t]*(?:[,\n]|\Z))")
_RUN_WORD = re.compile(r"[^ \t]+")
# A word of :func:`cue_words` made of four or five digits (words there are runs of ASCII letters and digits and
# non-ASCII characters): one search instead of a look at every word of the note.
_CODE_WORD = re.compile(r"(?<![0-9A-Za-z\x80-\U0010ffff])[0-9]{4,5}(?![0-9A-Za-z\x80-\U0010ffff])")
_MONTHS = frozenset("january february march april may june july august september october november december".split())
# Towns that are far more often an eponym, a device, a brand or a US state in clinical text (MTSamples, ADE).
_NOT_TOWNS = frozenset(
    "soma chiari oswestry sugita kasai moro balfour asahi atlantis gore cine tono perm vite federal kawasaki hashimoto "
    "shone fleet carolina dakota jersey hampshire columbia".split()
)
# A word after the town that makes it an eponym ("Pisa syndrome", "Kasai portoenterostomy", "Sugita frame").
_EPONYM_HEADS = frozenset(
    "disease syndrome malformation complex sign signs test score index scale questionnaire classification criteria "
    "procedure operation repair portoenterostomy clip frame plate retractor reflex reflexes phenomenon fracture "
    "deformity tumor tumour lesion ulcer anomaly effect catheter tube drain needle technique method approach incision "
    "grade stage staging protocol maneuver manoeuvre position thyroiditis disability wire stent valve pump".split()
)
_NEXT_WORD = re.compile(r"(?:'s\b|[ \t]{1,2}([A-Za-z]+))")
# Words before "in" / "from" / "to" / "near" that make the word after them a place for sure.
_PLACE_VERBS = frozenset(
    "lives living live lived resides residing reside resided born raised grew moved moving move relocated relocating emigrated "
    "immigrated returned returning transferred transfered flew flown travelled traveled traveling travelling travel trip "
    "trips vacation vacationing vacationed visit visiting holiday stay staying stayed".split()
)


def _town_like(word: str, lex: object, sure: bool) -> bool:
    """One capitalised word that may be a town: four letters or more, never written in lower case in clinical text, no
    word of ``not_phi.tsv`` (US states, weekdays, languages, devices), month, country, drug, title, kin or institution
    word, nor an eponym of :data:`_NOT_TOWNS`; a Census first name or surname only after a verb of place
    (``moved to Florence``, not ``call from Florence``)."""
    lower = word.lower()
    if len(lower) <= 3 or lex.common_count(lower) or lower in lex.not_phi or lower in _MONTHS or lower in _NOT_TOWNS:  # type: ignore[attr-defined]
        return False
    if lower in _NOT_NAME_NEIGHBOURS or lower in INSTITUTION_WORDS or lower in drug_words() or lower in world_places().countries:
        return False
    return sure or not (lex.first_rank(lower) or lex.surname_rank(lower))  # type: ignore[attr-defined]


def _is_town(words: list[str], lex: object, sure: bool) -> bool:
    """Whether the words are a known non-US town: one word that passes :func:`_town_like`, or several that are not
    all ordinary words and do not end with a small word."""
    if words[-1] in _SMALL_WORDS:
        return False
    name = " ".join(words).lower()
    places = world_places()
    if not places.town_population(name):
        return False
    if len(words) == 1:
        return _town_like(words[0], lex, sure)
    return not all(lex.common_count(w.lower()) for w in words) and name not in places.countries  # type: ignore[attr-defined]


def _town_after(text: str, start: int, end: int, lex: object, sure: bool) -> tuple[int, int] | None:
    """The longest run of words at the start of ``text[start:end]`` that is a town (:func:`_is_town`)."""
    words = list(_RUN_WORD.finditer(text, start, end))
    for size in range(len(words), 0, -1):
        if _is_town([m.group() for m in words[:size]], lex, sure):
            return None if _eponym(text, words[size - 1].end()) else (start, words[size - 1].end())
    return None


def _eponym(text: str, end: int) -> bool:
    """Whether the town ending at ``end`` is an eponym: a possessive, or a word such as ``syndrome`` after it."""
    m = _NEXT_WORD.match(text, end)
    return bool(m) and (m.group(1) is None or m.group(1).lower() in _EPONYM_HEADS)


def _town_ending(text: str, start: int, end: int, lex: object) -> tuple[int, int] | None:
    """The longest run of words at the end of ``text[start:end]`` that is a town (:func:`_is_town`, sure cue)."""
    words = list(_RUN_WORD.finditer(text, start, end))
    for skip in range(len(words)):
        if _is_town([m.group() for m in words[skip:]], lex, True):
            return words[skip].start(), end
    return None


def _place_verb_before(text: str, at: int) -> bool:
    """Whether a word of :data:`_PLACE_VERBS` comes right before the cue at ``at`` (``moved to``, ``lives nearby in``)."""
    words = text[max(0, at - 40) : at].lower().split()[-3:]
    return any(w.strip(".,;:") in _PLACE_VERBS for w in words)


def world_towns(text: str, words: frozenset[bytes] | None = None) -> list[tuple[int, int, str]]:
    """Non-US towns (:func:`~medtext.pipeline.phi_lexicons.world_places`, read only when needed): a capitalised town
    after a place cue (``moved to Lyon``, ``born in Rio de Janeiro``, ``returned from Mumbai``), before a comma and a
    country (``Nairobi, Kenya``) or after a postcode (``75008 Paris``). Ordinary and medical words, drugs, months,
    countries and US states are left out (``in Bath``, ``in Reading``, ``to Nice``), and Census names are towns only
    after a verb of place (``moved to Florence``), a country or a postcode.

    Example:
        >>> text = "Born in Guadalajara, moved to Lyon; trip to Nairobi, Kenya. Lives in Bath."
        >>> [text[s:e] for s, e, _ in world_towns(text)]
        ['Guadalajara', 'Lyon', 'Nairobi']
    """
    low = text.lower()
    present = cue_words(text) if words is None else words
    lex = lexicons()
    found: set[tuple[int, int]] = set()
    for m in _matches(_PLACE_CUE, text, _cue_starts(low, present, _PLACE_CUE_WORDS)):
        span = _town_after(text, m.start(1), m.end(1), lex, _place_verb_before(text, m.start()))
        if span:
            found.add(span)
    if "," in text:
        found.update(_towns_before_countries(text, lex))
    if _CODE_WORD.search(text):
        for m in _POSTCODE_BEFORE.finditer(text):
            code = text[m.start() : m.start(1)].strip()
            # after a year ("In 2010 Victoria, ...") only a town that is no Census name
            span = _town_after(text, m.start(1), m.end(1), lex, not (len(code) == 4 and code[:2] in ("19", "20")))
            if span:
                found.add(span)
    return [(s, e, "LOCATION") for s, e in sorted(found)]


def _towns_before_countries(text: str, lex: object) -> list[tuple[int, int]]:
    """``Nairobi, Kenya``, ``Leeds, UK``: the town right before a comma and a country name."""
    out = []
    for m in _COUNTRY_AFTER.finditer(text):
        heads = _country_heads()  # the place list is read only here, for a note that has ", Word"
        head = m.group(1).lower()
        names = heads.get(head) or heads.get(head.rstrip("."), ())
        if not names:  # the first word of no country (most commas): no town to look for
            continue
        before = _TOWN_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before and any(_country_at(text, m.start(1), name) for name in names):
            span = _town_ending(text, before.start(1), m.start(), lex)
            if span:
                out.append(span)
    return out


@lru_cache(maxsize=1)
def _country_heads() -> dict[str, tuple[str, ...]]:
    """Country names (lower case) by their first word (``new`` -> ``new zealand``, ``new caledonia``)."""
    heads: dict[str, list[str]] = {}
    for name in world_places().countries:
        heads.setdefault(name.split(" ", 1)[0], []).append(name)
    return {head: tuple(names) for head, names in heads.items()}


def _country_at(text: str, at: int, name: str) -> bool:
    """Whether the country ``name`` (lower case) is written at ``at``, as whole words."""
    written = " ".join(text[at : at + len(name) + 8].lower().split())
    return written.startswith(name) and (len(written) == len(name) or not written[len(name)].isalpha())


def cue_locations(text: str, words: frozenset[bytes] | None = None) -> list[tuple[int, int, str]]:
    """Places given away by their shape: ``Good Samaritan``, ``St. Brigid Hospital`` (any case), ``Kestrelton campus``,
    ``University of Pellham`` / ``U of NH``, an unknown word before a facility word (``Zandrell rehab``) or after
    a verb of residence (``lives in Quillby``), a non-US town after a place cue or before a country
    (:func:`world_towns`: ``moved to Lyon``, ``Nairobi, Kenya``).

    Example:
        >>> text = "sent to good samaritan, then the Brandywine campus and U of NH; lives in Quillby"
        >>> [text[s:e] for s, e, _ in cue_locations(text)]
        ['good samaritan', 'Brandywine', 'U of NH', 'Quillby']
    """
    low = text.lower()
    present = cue_words(text) if words is None else words
    lex = lexicons()
    out: list[tuple[int, int, str]] = []
    saints = [at for at in _cue_starts(low, present, _SAINT_WORDS) if low[at : at + 2] != "st"
              or low[at + 2 : at + 3] in (".", " ", "\t")]
    out += [(m.start(), m.end(), "LOCATION") for m in _matches(_SAINT_PLACE, text, saints)]
    if b"campus" in present:
        out += [(m.start(1), m.end(1), "LOCATION") for m in _CAMPUS.finditer(text) if m.group(1).lower() not in _NOT_CAMPUS]
    universities = _cue_starts(low, present, _UNIVERSITY_WORDS)
    if universities:
        out += [(m.start(), m.end(), "LOCATION") for m in _matches(_UNIVERSITY_OF, text, universities)
                if lex.common_count(m.group(1).lower()) < _COMMON_LIMIT]
    residences = _cue_starts(low, present, _RESIDENCE_WORDS)
    out += [(m.start(1), m.end(1), "LOCATION") for m in _matches(_RESIDENCE, text, residences)
            if _unknown_word(m.group(1), lex) and m.group(1).lower() not in _DETERMINERS]  # "lives in a home"
    out += _facility_names(text, low, present, lex)
    out += world_towns(text, present)
    out.sort()
    return out


_STREET_END = re.compile(r"(?i)\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|drive|way|court|terrace|place|pl|circle|hwy|highway)\.?\Z")
_HOUSE_NUMBER = re.compile(r"(?<![\d/.:-])\d{1,5}[ \t]{1,2}\Z")
_GLUED_DIGITS = re.compile(r"\d+")


def extend_addresses(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """House numbers join the street after them (``27 Fernwick St.``); digits glued to the end of a name or
    place (``Kestrel4``) join it.

    Example:
        >>> extend_addresses("lives at 27 Zorn Ave. alone", [(12, 21, "LOCATION")])
        [(9, 21, 'LOCATION')]
    """
    out: list[tuple[int, int, str]] = []
    for i, (start, end, label) in enumerate(spans):
        if label in ("LOCATION", "HOSPITAL", "NAME"):
            ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            if end < ceiling and text[end].isdigit() and text[end - 1].isalpha():
                m = _GLUED_DIGITS.match(text, end)
                if m and m.end() <= ceiling:
                    end = m.end()
            if label != "NAME" and _STREET_END.search(text, start, end):
                floor = out[-1][1] if out else 0
                lead = text[max(floor, start - 8) : start]
                m = _HOUSE_NUMBER.search(lead)
                if m:
                    start = start - len(lead) + m.start()
        out.append((start, end, label))
    return out


_PLACE_LEAD = re.compile(r"(?:of|at|in|from)[ \t]+(?=[A-Za-z])")
_TRAILING_LOWER = re.compile(r"[ \t]+[a-z]+\Z")
_PLACE_GAP = re.compile(r"[ \t]{1,2}\Z")
_SALUTATION = re.compile(r"Dear[ \t]+(?=[A-Z])")
_FACILITY_END = re.compile(r"(?i)\b(?:hospital|hosp\.?|medical[ \t]+center|rehab|clinic)\Z")


def trim_edges(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Words at the edges of a span that belong to the sentence, not to the name or place: a lower-case ``of`` /
    ``at`` / ``in`` / ``from`` starting a place (``of Chattanooga``), ordinary lower-case words ending a name
    written with capitals, or any after a possessive (``Dr. X's ingenuity``, ``the Allegra may have``; ``Janet logan``
    and a name all in lower case keep them), a salutation
    starting one (``Dear Sample Doctor``); a name left as
    a sentence's ``A`` is dropped. Places separated by a space only become one (``Munson Medical`` + ``Center``).

    Example:
        >>> trim_edges("office of Chattanooga GYN", [(7, 21, "LOCATION")])
        [(10, 21, 'LOCATION')]
        >>> trim_edges("Thanks to Dr. X's ingenuity, we", [(14, 27, "NAME")])
        [(14, 17, 'NAME')]
    """
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label in ("LOCATION", "HOSPITAL"):
            m = _PLACE_LEAD.match(text, start, end)
            if m:
                start = m.end()
            prev = out[-1] if out else None
            if prev and prev[2] in ("LOCATION", "HOSPITAL") and _PLACE_GAP.match(text, prev[1], start) \
                    and "\n" not in text[prev[1] : start]:
                hospital = "HOSPITAL" in (label, prev[2]) or _FACILITY_END.search(text, prev[0], end)
                out[-1] = (prev[0], end, "HOSPITAL" if hospital else label)
                continue
        elif label == "NAME" and not text[start:end].islower():
            m = _SALUTATION.match(text, start, end)
            if m:  # "Dear Sample Doctor": the salutation is no part of the name
                start = m.end()
            lex = lexicons()
            written_end = end
            while True:
                m = _TRAILING_LOWER.search(text, start, end)
                if not m or m.start() == start:
                    break
                possessive = text[max(start, m.start() - 2) : m.start()].endswith(("'s", "'"))
                if not possessive and lex.common_count(text[m.start() : end].strip()) < _COMMON_LIMIT:
                    break  # "Janet logan", "Brisavel se": a surname written in lower case
                end = m.start()
            if end < written_end and end - start == 1 and text[start] in "AI":
                continue  # "A banana bag": the article was all that stayed
        out.append((start, end, label))
    return out
