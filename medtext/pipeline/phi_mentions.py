"""Other mentions of a note's names and places: the words of a detected name mark it again elsewhere.

* :func:`propagate`: a name or place the model is sure of marks its other
  mentions in the same note (``Ilse Varnum`` ... ``Ilse``);
* :func:`consistent_mentions`: at the end, the words of every detected name or place
  mark their other capitalised mentions (``Pt: Kowalczyk`` ... ``Kowalczyk family``).

Example:
    >>> text = "Ilse Varnum came in. Ilse says hi."
    >>> [text[s:e] for s, e, _ in propagate(text, [(0, 11, "NAME", 0.9)])]
    ['Ilse', 'Varnum', 'Ilse']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from medtext.pipeline.phi_eponyms import eponym_words
from medtext.pipeline.phi_lexicons import drug_words, lexicons
from medtext.pipeline.phi_name_shapes import COMMON_LIMIT, INSTITUTION_WORDS, NOT_NAME_NEIGHBOURS
from medtext.pipeline.phi_words import CASE_FOLDS_TO_ASCII
from medtext.pipeline.range_index import RangeIndex

_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
PROPAGATE_MIN_SCORE = 0.5


def propagate(text: str, spans: Iterable[tuple[int, int, str, float]]) -> list[tuple[int, int, str]]:
    """Other mentions (whole words, any case) of sure NAME/LOCATION words of the note."""
    lex = lexicons()
    words: dict[str, str] = {}
    for start, end, label, score in spans:
        if label in ("NAME", "LOCATION") and score >= PROPAGATE_MIN_SCORE:
            for word in _WORD.findall(text[start:end]):
                lower = word.lower()
                if len(lower) >= 3 and lex.common_count(lower) < COMMON_LIMIT:
                    words.setdefault(lower, label)
    if not words:
        return []
    return _find_mentions(text, words)


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
    overlaps = range_overlap_test(sure or ())
    for start, end, label in spans:
        if label not in CONSISTENT_LABELS:
            continue
        span_sure = sure is None or overlaps(start, end)
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
            if lex.never_phi(lower) or lower in NOT_NAME_NEIGHBOURS or lower in INSTITUTION_WORDS \
                    or (word.isupper() and len(lower) <= 4 and not named):
                continue
            if not (span_sure or named or not as_written.isascii()):
                continue
            words[lower] = label
            if not as_written.isascii():
                spelt[lower] = as_written
    if not words:
        return []
    found = _find_mentions(text, words)
    if CONSISTENT_CAPITALISED:  # "Bronch" does not make PHI of "bronch"
        found = [(s, e, label) for s, e, label in found if text[s].isupper()]
    if spelt and written:
        found = [(s, e, label) for s, e, label in found if spelt.get(text[s:e].lower(), None) in (None, written(s, e).lower())]
    return found


def _find_mentions(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """Whole-word mentions of the lower-case ``words`` in ``text``, in any case, with their labels: at each
    start the longest word, left to right without overlaps; what the regular expression of
    :func:`_mentions_regex` finds. Without it (:func:`_mentions`) for a text without the four non-ASCII
    letters that it matches to ASCII ones (``İ ı ſ K``); a note with one accented letter is no exception.
    """
    if text.isascii() or (_CASE_FOLDS_TO_ASCII.search(text) is None and all(map(_PLAIN_WORD.fullmatch, words))):
        return _mentions(text, words)
    return _mentions_regex(text, words)


def _mentions_regex(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """:func:`_find_mentions` by a regular expression of every word (time grows with words x text)."""
    pattern = re.compile(r"(?<![A-Za-z'])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![A-Za-z])",
                         re.IGNORECASE)
    return [(m.start(), m.end(), _label_of(m.group(), words)) for m in pattern.finditer(text)]


def _label_of(found: str, words: dict[str, str]) -> str:
    """The label of the word the case-insensitive regular expression matched as ``found``.

    ``found.lower()`` is that word, except where re matches a letter to one whose ``lower()``
    differs (``ſ`` to ``s``, the Kelvin sign to ``k``, ``I`` to ``ı``): then the first word, in
    the regular expression's order, that matches ``found`` whole.

    Example:
        >>> _label_of("JAME\u017f", {"james": "NAME"})
        'NAME'
    """
    label = words.get(found.lower())
    if label is not None:
        return label
    for word in sorted(words, key=len, reverse=True):
        if re.fullmatch(re.escape(word), found, re.IGNORECASE):
            return words[word]
    raise AssertionError("a regular expression match of none of its words")  # unreachable


_CASE_FOLDS_TO_ASCII = re.compile(f"[{CASE_FOLDS_TO_ASCII}]")


def _mentions(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """What :func:`_mentions_regex` finds, for a text without ``İ ı ſ K`` (any ASCII text): whole-word
    mentions, the longest word at each start, left to right without overlaps.

    A few words are searched for one by one (a C-level search each); more than ``WORD_BY_WORD_MAX`` in one
    pass over the text's words (:func:`_mentions_by_runs`): searching once per word was quadratic on a
    long note with thousands of names.

    Example:
        >>> _mentions("Ilse's ILSE-ilse", {"ilse": "NAME", "ilse's": "NAME"})
        [(0, 6, 'NAME'), (7, 11, 'NAME'), (12, 16, 'NAME')]
    """
    low = text.lower()  # same length, no new ASCII letters: see CASE_FOLDS_TO_ASCII
    if len(words) > WORD_BY_WORD_MAX and all(map(_PLAIN_WORD.fullmatch, words)):
        return _mentions_by_runs(low, words)
    return _mentions_word_by_word(low, words)


# Up to this many words, searching the text once per word is faster than one pass over its words.
WORD_BY_WORD_MAX = 64


def _mentions_by_runs(low: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """:func:`_mentions` of the lower-cased text in one pass, for words of letters and apostrophes that start
    with a letter: a mention starts a run of letters and apostrophes (none before it) and ends where the
    run does or at an apostrophe in it; the longest such candidate that is a word is the mention."""
    longest = max(map(len, words), default=0)
    out = []
    for run in _RUN.finditer(low):
        start = run.start()
        word = run.group()
        if len(word) > longest:
            word = word[: longest + 1]  # an apostrophe right after a word of the longest length ends it
        elif word in words:
            out.append((start, start + len(word), words[word]))
            continue
        cut = word.rfind("'")
        while cut > 0:  # shorter candidates: up to an apostrophe
            if word[:cut] in words:
                out.append((start, start + cut, words[word[:cut]]))
                break
            cut = word.rfind("'", 0, cut)
    return out


def _mentions_word_by_word(low: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """:func:`_mentions` by searching the lower-cased text for each word in turn."""
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


# A run of letters and apostrophes with no letter or apostrophe before it, starting with a letter (lower case).
_RUN = re.compile(r"(?<![a-z'])[a-z][a-z']*")
_PLAIN_WORD = re.compile(r"[a-z][a-z']*")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS_APOSTROPHE = _LETTERS | {"'"}


def range_overlap_test(ranges: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``[start, end)`` overlaps any of ``ranges`` (``a < end and start < b`` for some
    ``(a, b)``), by binary search (:class:`~medtext.pipeline.range_index.RangeIndex`): a note with thousands
    of sure detections asks it for every span.

    Example:
        >>> overlaps = range_overlap_test([(10, 20), (0, 3)])
        >>> overlaps(2, 5), overlaps(3, 10), overlaps(19, 30)
        (True, False, True)
    """
    return RangeIndex(ranges).overlaps
