"""Sentence starts that capitals do not mark: notes written in lower case, and fields run together.

Nursing notes are often typed without capitals ("afeb. wbc 15. cont on flagyl."), so a
period before a lower-case word ends a sentence there, though not in edited text
("et al. showed"). :class:`CaseProfile` measures once per document whether its writer
starts sentences in lower case: of the first 40 periods followed by a word on the same
line after a word that is no abbreviation, at least a third (and two, or all) are
followed by a lower-case word. In any note, a line break before a lower-case word ends a
sentence when that word would have fitted on the line (the break is the writer's);
a label after a period ("stimuli.  cv:  pt in st") or after a spaced dash
("alert - cv: hr 80s") starts one. The profile also tells notes written in capitals
(:meth:`CaseProfile.uppercase_writer`), whose rules are in :mod:`medtext.pipeline.uppercase_notes`.

Example:
    >>> profile = CaseProfile("afeb. wbc 15. cont on flagyl.", frozenset())
    >>> profile.lowercase_writer()
    True
    >>> lowercase_word_starts_sentence("afeb. wbc 15.", 4, 6, ".", "afeb", profile)
    True
    >>> field_dash_starts("neuro: alert - cv: hr 80s sr")
    [15]
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

# Shortened words that a nursing note writes with a period inside a sentence ("cont. to monitor",
# "mod. amts", "inc. to 5", "abd. soft"): in a lower-case note their period is no sentence end.
NOTE_ABBREVIATIONS = frozenset(
    """abd amt amts approp avail conc cont conts dec decr dobut enc eval exp grad inc incr insp lg
    mech med met mod perc premed press prod pulm req serosang sm surg trans""".split()
)
# Abbreviations (of the edited-text list) that end a sentence in a lower-case note ("x 4 hrs. tolerated well").
LOWERCASE_ENDERS = frozenset("hrs yrs wks mos etc".split())
# Words that continue a sentence rather than start one ("amts. of", "coags. and titrate").
CONTINUATION_WORDS = frozenset("and or nor of than".split())
# ... and after a unit abbreviation ("q2-3 hrs. for thick secretions", "2 hrs. later").
_AFTER_UNIT = CONTINUATION_WORDS | frozenset("for during to with at in on from by after before until later ago".split())

# The profile reads the first this many periods after a word that is no abbreviation.
PROFILE_PERIODS = 40
# A period, then a word on the same line (group: its first letter).
_PERIOD_WORD = re.compile(r"\.(?=[ \t]+[\"'(\[]?([A-Za-z]))")
_NEXT_WORD = re.compile(r"[A-Za-z][\w'/-]*")
# A short label and a colon ("cv:", "skin:", "a/p:", "heart sounds:"), as a line's first words.
_LABEL = re.compile(r"[A-Za-z][A-Za-z/&]{0,15}(?:[ \t][A-Za-z/&]{1,15}){0,2}:(?=[ \t\r\n]|$)")
# A spaced dash ("-", "--") before the next field's label, from the space before it.
_DASH_LABEL = re.compile(r"[ \t]-{1,2}[ \t]+(?=" + _LABEL.pattern + ")")
# A note is written in capitals when at least this share of its (at least 20) letters are capitals.
UPPERCASE_SHARE = 0.8
_DROP_LOWER = str.maketrans("", "", string.ascii_lowercase)
_DROP_UPPER = str.maketrans("", "", string.ascii_uppercase)


class CaseProfile:
    """Whether a text's writer starts sentences in lower case, or writes in capitals; each measured once,
    when first asked."""

    def __init__(self, text: str, abbreviations: frozenset[str]) -> None:
        self.text = text
        self.abbreviations = abbreviations
        self._lower_writer: bool | None = None  # measured on first use
        self._upper_writer: bool | None = None

    def uppercase_writer(self) -> bool:
        """Whether the text is written in capitals ("PT. BECAME ASYSTOLIC"): a capital tells nothing there."""
        if self._upper_writer is None:
            n = len(self.text)
            lower = n - len(self.text.translate(_DROP_LOWER))
            upper = n - len(self.text.translate(_DROP_UPPER))
            self._upper_writer = upper >= 20 and upper >= UPPERCASE_SHARE * (upper + lower)
        return self._upper_writer

    def lowercase_writer(self) -> bool:
        if self._lower_writer is None:
            lower = upper = 0
            text = self.text
            for match in _PERIOD_WORD.finditer(text):
                word = _word_before(text, match.start())
                if not word or word in self.abbreviations:
                    continue
                if match.group(1).islower():
                    lower += 1
                else:
                    upper += 1
                if lower + upper == PROFILE_PERIODS:
                    break
            self._lower_writer = (lower >= 2 or (lower == 1 and upper == 0)) and 2 * lower >= upper
        return self._lower_writer


def is_label(text: str, i: int) -> bool:
    """Whether a short label and a colon start at ``i`` ("cv:", "NEURO:", "a/p:")."""
    return _LABEL.match(text, i) is not None


def _word_before(text: str, i: int) -> str:
    """The lower-cased word before offset ``i``, without brackets, quotes or a comma before it."""
    low = max(0, i - 32)
    j = max(text.rfind(" ", low, i), text.rfind("\n", low, i), text.rfind("\t", low, i), text.rfind(".", low, i))
    word = text[max(j + 1, low) : i].rpartition(",")[2].lstrip("([\"'").lower()
    return "" if len(word) <= 1 or word in NOTE_ABBREVIATIONS else word


def _next_word(text: str, nxt: int) -> str:
    if text[nxt] in "\"'([" and nxt + 1 < len(text):
        nxt += 1
    match = _NEXT_WORD.match(text, nxt)
    return match.group().lower() if match else ""


def lowercase_word_starts_sentence(text: str, i: int, nxt: int, mark: str, word: str, profile: CaseProfile) -> bool:
    """Whether terminal punctuation at ``i`` ends a sentence before the lower-case word at ``nxt``.

    ``word`` is the lower-cased word before the mark. A label always starts a sentence;
    otherwise only in a lower-case writer's note, after a word that is no abbreviation
    and before a word that can start a sentence.
    """
    if _LABEL.match(text, nxt):
        return True
    if mark == "?" and (i == 0 or text[i - 1].isspace()):
        return False  # "? cardiac cath": a question mark before a word marks it uncertain
    if len(word) <= 1 or word in NOTE_ABBREVIATIONS or word in profile.abbreviations:
        return False
    following = _next_word(text, nxt)
    if not following or following in CONTINUATION_WORDS:
        return False
    return profile.lowercase_writer()


def abbreviation_ends_lowercase_sentence(text: str, nxt: int, word: str, profile: CaseProfile) -> bool:
    """Whether a period after ``hrs``/``etc`` ... ends a lower-case writer's sentence ("x 4 hrs. tolerated")."""
    if word not in LOWERCASE_ENDERS or not text[nxt].islower():
        return False
    following = _next_word(text, nxt)
    return bool(following) and following not in _AFTER_UNIT and profile.lowercase_writer()


def lowercase_line_starts_sentence(text: str, line: str, nxt: int, width: Callable[[], int]) -> bool:
    """Whether a line break before the lower-case word at ``nxt`` ends a sentence.

    It does when the word would have fitted on the line (the writer broke it) and can start a
    sentence; ``line`` is the text before the break, ``width`` gives the text's longest line.
    """
    if not text[nxt].islower():
        return False
    following = _NEXT_WORD.match(text, nxt)
    if following is None or following.group().lower() in CONTINUATION_WORDS:
        return False
    return len(line) + 1 + len(following.group()) <= width()


def field_dash_starts(text: str) -> list[int]:
    """Offsets of labels after a spaced dash that ends the field before ("alert - cv: hr 80s")."""
    starts = []
    i = text.find(" -")
    while i >= 0:
        match = _DASH_LABEL.match(text, i)
        if match:
            j = i
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            if j and not text[j - 1].isspace() and text[j - 1] not in "-:":
                starts.append(match.end())
        i = text.find(" -", i + 2)
    return starts
