"""Sentence ends after abbreviations and initials in notes written in capitals.

In a note typed all in capitals ("AT 0040 PT. BECAME ASYSTOLIC", "EDWARD C. JONES, RRT"),
the capital after an abbreviation's period says nothing, so it alone does not end the
sentence there (:meth:`CaseProfile.uppercase_writer` tells such notes). Other evidence
does: a label ("PT. NEURO: ..."), a new subject ("PS DEC. PT CONT"), a unit before a word
that can start a sentence ("X 4 HRS. TOLERATED WELL"), a preposition before the
abbreviation, which then closes its phrase ("SEEN BY PT. E/D FAIR"); "PT." (the patient)
ends one unless a clause starts just before it ("AT 0040 PT. BECAME", "THIS AM PT.
BECOMING"). A word that continues a phrase ("P.T. FOR EXERCISES") never starts one.
An initial after a title or "PER" ("PER DR B. GILL"), or in a signature line
("DAN A. WALDRON-GORHAM, RRT"), continues the name. A shortened adjective never ends one
("SL. HYPOTENSIVE", "LG. AMTS"), nor does a shortened word before a word that continues
its phrase ("SECOND. TO ALKALOSIS", "USING IT FREQ. WITH NO DIFFICULTY").

Example:
    >>> abbreviation_ends_uppercase_sentence("AT 0040 PT. BECAME ASYSTOLIC.", 8, "pt", 12)
    False
    >>> abbreviation_ends_uppercase_sentence("TO BE SEEN BY PT. E/D FAIR.", 14, "pt", 18)
    True
    >>> initial_continues_uppercase_name(" DAN A. WALDRON-GORHAM, RRT", 5)
    True
    >>> shortened_word_ends_uppercase_sentence("BID SECOND. TO ALKALOSIS.", "second", 12)
    False
"""

from __future__ import annotations

import re

from medtext.pipeline.lowercase_notes import NOTE_ABBREVIATIONS, is_label

# Words before an abbreviation that make it the end of a phrase ("SEEN BY PT.", "VIA RESP.").
PHRASE_CLOSERS = frozenset("by with w/ to for via of from in on at per than".split())
# Words that continue a phrase rather than start a sentence ("BY P.T. FOR EXERCISES", "USE I.S. AND").
CONTINUATION_WORDS = frozenset("and or nor of than for with at in on by from via to after during until".split())
# Words that start a sentence as its subject ("RENAL FOLLOWING PT. PT RECEIVED").
SUBJECTS = frozenset("pt pts patient".split())
# Nouns (the patient, the emergency department, cardiac output): as often an object that ends a
# sentence ("TO SEDATE PT. OPENS EYES", "TO GH ED. INTUBATED") as a subject.
NOUNS = frozenset("pt pts ed co".split())
# Words after which "PT." is the subject of a new clause ("THIS AM PT. BECOMING", "THEN PT. BEGAN").
CLAUSE_OPENERS = frozenset(
    """am pm noc then since when and or but initially arrival until while if as because so now
    where once today tonight currently""".split()
)
# Units and the like that end sentences ("Q2-3 HRS. COARSE BREATH SOUNDS").
UNIT_ABBREVIATIONS = frozenset("hr hrs min mos wk wks yr yrs sec etc".split())
# Words before an initial that make it part of a name ("PER W. ONDRAKEY", "DR B. GILL").
NAME_BEFORE_INITIAL = frozenset("per dr drs mr mrs ms prof".split())  # not in edited text: "by Dr. X.  The"

# Shortened adjectives written before their noun ("SL. HYPOTENSIVE", "SM. AMTS", "MOD. BLEEDING").
MODIFIER_ABBREVIATIONS = frozenset("sl sm lg mod".split())
# Words a capitals note shortens with a period inside a sentence ("CONT. TO WEAN", "SECOND. TO", "FREQ. WITH").
SHORTENED_WORDS = NOTE_ABBREVIATIONS | MODIFIER_ABBREVIATIONS | frozenset("second freq poss occ".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'/-]*")
_WORD_BEFORE = re.compile(r"([A-Za-z]+/?)\.?[ \t]+$")
# A signature line: a first name, the initial, a last name ("  DAN A. WALDRON-GORHAM, RRT").
_SIGNATURE = re.compile(
    r"[ \t]*[A-Z][A-Za-z]+[ \t]+[A-Z]\.[ \t]+[A-Z][A-Za-z'-]+"
    r"(?:,?[ \t]*(?:RRT|RN|MD|NP|PA|RT|CRNA|LPN|PHD|RPH|PT|OT)\.?)?[ \t]*$"
)


def word_before(text: str, start: int) -> str:
    """The lower-cased word that ends (with spaces, maybe a period) just before ``start``."""
    match = _WORD_BEFORE.search(text, max(0, start - 24), start)
    return match.group(1).lower() if match else ""


def abbreviation_ends_uppercase_sentence(text: str, start: int, word: str, nxt: int) -> bool:
    """Whether the abbreviation ``word`` (from ``start``) ends a capitals note's sentence before ``nxt``."""
    if is_label(text, nxt):
        return True
    following = _WORD.match(text, nxt)
    if following and following.group().lower() in CONTINUATION_WORDS and not _time_follows(text, following.end()):
        return False
    if word in UNIT_ABBREVIATIONS or (following and following.group().lower() in SUBJECTS):
        return True
    before = word_before(text, start)
    if word in NOUNS:
        return not (before in CLAUSE_OPENERS or _clause_starts_before(text, start))
    return before in PHRASE_CLOSERS


def shortened_word_ends_uppercase_sentence(text: str, word: str, nxt: int) -> bool:
    """Whether the shortened word ``word`` (of :data:`SHORTENED_WORDS`) ends a capitals note's sentence before ``nxt``."""
    if word in MODIFIER_ABBREVIATIONS:
        return False
    following = _WORD.match(text, nxt)
    return not (following and following.group().lower() in CONTINUATION_WORDS and not _time_follows(text, following.end()))


def _time_follows(text: str, end: int) -> bool:
    """Whether "AT" is followed by a time, which starts sentences ("WITH PT. AT 4:30 PM PT WAS FOUND")."""
    return text[end - 2 : end].upper() == "AT" and text[end : end + 2].strip()[:1].isdigit()


def _clause_starts_before(text: str, start: int) -> bool:
    """Whether a number, a line start or a mark ("ALINE, PT.", "1400 PT.", "CV~ PT.") comes just before ``start``."""
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1].isdigit() or text[j - 1] in "\n,;:~-(>"


def initial_continues_uppercase_name(text: str, i: int) -> bool:
    """Whether the one-letter word before the period at ``i`` is the initial of a name."""
    if word_before(text, i - 1) in NAME_BEFORE_INITIAL:
        return True
    line_start = text.rfind("\n", 0, i) + 1
    line_end = text.find("\n", i)
    return _SIGNATURE.match(text, line_start, len(text) if line_end < 0 else line_end) is not None
