"""Model names that are ordinary words: everyday words in lower case, capitalised words of headings, words of
a letter (``Sincerely``), English-looking words (``Emphasis``), lone letters, the pupil exam (``PEARL``),
lower-case words of a note written in sentence case, and months recited in a list.

Filters of :func:`~medtext.pipeline.phi_filters.no_phi`, with the word helpers the other filters share
(:func:`every_word`, :func:`sentence_case`).

Example:
    >>> from medtext.pipeline.phi_lexicons import lexicons
    >>> lower_case_word("frank necrosis noted", 0, 14, lexicons()), lone_letter("W DAUGHTER", 0, 1)
    (True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from medtext.pipeline.phi_eponyms import COMMON_SURNAME_RANK, after_title, letter_words
from medtext.pipeline.phi_lexicons import world_places

# The pupil exam ("PEARL", "PERLA": pupils equal and reactive to light), misspelt into a first name.
_PUPIL_WORDS = frozenset("pearl perla perl perrl perrla".split())
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")


def pupil_exam(text: str, start: int, end: int) -> bool:
    """``MAE, PEARL.``: a one-word model name that is a spelling of the pupil exam, with no title before it and
    no capitalised word (a surname) after it."""
    if text[start:end].lower() not in _PUPIL_WORDS or after_title(text, start):
        return False
    return _CAPITALISED_AFTER.match(text, end) is None


def lone_letter(text: str, start: int, end: int) -> bool:
    """A one-letter model name that is no initial: without a full stop after it (``W DAUGHTER``, ``PT'S``,
    ``S/P``; an initial before a surname, ``J SMITH``, joins the surname's span anyway) or continuing a
    dotted abbreviation (the ``M`` of ``A.M.``, the ``N`` of ``R.N.``)."""
    if end - start != 1:
        return False
    return text[end : end + 1] != "." or start >= 2 and text[start - 1] == "." and text[start - 2].isalpha()


def every_word(span_text: str, test: Any) -> bool:
    """The span has words (lower case) and ``test`` holds for each.

    Example:
        >>> every_word("Mrs.", {"mrs", "mr"}.__contains__), every_word("Mrs. Smith", {"mrs"}.__contains__), every_word("--", bool)
        (True, False, False)
    """
    words = re.findall(r"[A-Za-z]+", span_text.lower())
    return bool(words) and all(map(test, words))


FUNCTION_WORDS = frozenset("a an the of to at in our his her their".split())


# A lower-case model name made only of words written in lower case this often in clinical text is a word
# ("frank blood", "LFTs rose", "the patient may benefit"), not a person.
LOWER_COMMON_LIMIT = 20


def lower_case_word(text: str, start: int, end: int, lex: Any) -> bool:
    """A model NAME written in lower case, after no title, whose every word is an everyday word of clinical text
    (``frank necrosis``, ``the patient may``, ``i.e. walker``; ``dr small`` stays a name)."""
    span_text = text[start:end]
    return span_text.islower() and not after_title(text, start) \
        and every_word(span_text, lambda w: lex.common_count(w) >= LOWER_COMMON_LIMIT)


def letter_word(text: str, start: int, end: int) -> bool:
    """A word of a letter (``letter_words.tsv``): a closing (``Sincerely,``, ``Thanks to Dr. X``) or a salutation
    before a capitalised addressee or a title (``Dear Dr. XYZ:``, ``Dear Sample Doctor``)."""
    kind = letter_words().get(text[start:end].lower())
    if kind is None or after_title(text, start):
        return False
    return kind == "closing" or bool(_CAPITALISED_AFTER.match(text, end))


# English word endings that a name of a person rarely has ("Emphasis", "Edition", "Kindness", "Assessment").
_WORD_SUFFIXES = ("tion", "sion", "ness", "ment", "ity", "sis", "ance", "ence", "ism", "ous", "ive", "able", "ible", "ful", "less",
                  "ology", "ologist", "ly")  # "Nephrology", "Otolaryngologist", "Historically"


def word_shaped(text: str, start: int, end: int, lex: Any) -> bool:
    """A one-word model name written with a capital, after no title, that no Census list knows and that ends like an
    English word (``Emphasis was placed``, ``2nd Edition``), with no capitalised word (a surname) after it."""
    word = text[start:end]
    lower = word.lower()
    if not word.isalpha() or not word[0].isupper() or not lower.endswith(_WORD_SUFFIXES) or after_title(text, start):
        return False
    return not (lex.first_rank(lower) or lex.surname_rank(lower)) and not _CAPITALISED_AFTER.match(text, end)


# A capitalised model name or place that is written in lower case this often in clinical text, and is no Census first
# name nor a common surname, is a word at the start of a sentence or a heading ("returned to Anesthesia").
_CAPITALISED_COMMON_LIMIT = 50


def capitalised_word(text: str, start: int, end: int, label: str, lex: Any) -> bool:
    """One capitalised word, after no title and without a capitalised word on either side, written in lower case
    at least 50 times in clinical text, no Census first name, no surname ranked up to 10,000 and no place name:
    ``returned to Anesthesia``, ``admitted to Labor and Delivery`` (``Dr. Labor`` stays)."""
    word = text[start:end]
    lower = word.lower()
    if not word.isalpha() or not word[0].isupper() or word.isupper() or after_title(text, start):
        return False
    if lex.common_count(lower) < _CAPITALISED_COMMON_LIMIT or lex.first_rank(lower) or 0 < lex.surname_rank(lower) <= COMMON_SURNAME_RANK:
        return False
    if lex.is_place(lower) or world_places().town_population(lower):
        return False
    return not (_CAPITALISED_AFTER.match(text, end) or _CAPITALISED_BEFORE.search(text, max(0, start - 30), start))


_CAPITALISED_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+[ \t]+\Z")


# A note written in sentence case: at least this many sentences, and this share of them starting with a capital.
_CASED_SENTENCES = 5
_CASED_SHARE = 0.9
_SENTENCE_START = re.compile(r"[.!?][ \t]+([A-Za-z])")
_PERSON_CUE_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:dr|mr|mrs|ms|miss|wife|husband|son|daughter|mother|mom|father|dad|sister|brother|friend|nurse"
    r"|by|with|to|named|name[ \t]+is|called|per|and)[.,:]?[ \t]+\Z")


def lower_case_in_cased_note(text: str, start: int, end: int) -> bool:
    """A model name written in lower case in a note written in sentence case, after no title, kin word or word
    before a person: a word, not a name (``he is a retired minister``, ``hazel irides``). Notes written all in
    lower case or capitals (nursing notes: ``spoke with wife mary``) keep their lower-case names."""
    span_text = text[start:end]
    if not span_text.islower() or _PERSON_CUE_BEFORE.search(text, max(0, start - 16), start):
        return False
    return sentence_case(text)


# Months named one after another, as in a memory test ("named the months backward: December, November, October"):
# the words of a list, not a date of the patient, and not a person either.
_MONTH_NAMES = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_WORD = re.compile(rf"(?i){_MONTH_NAMES}\Z")
_MONTH_ITEM_BEFORE = re.compile(rf"(?i)(?<![A-Za-z]){_MONTH_NAMES}[ \t]*,[ \t]*\Z")
_MONTH_ITEM_AFTER = re.compile(rf"(?i)[ \t]*,[ \t]*{_MONTH_NAMES}(?![A-Za-z'\u2019])")


def month_in_list(text: str, start: int, end: int) -> bool:
    """A model name that is a month's name with another month's name and a comma before or after it, and no title
    before it: an item of a recited list of months (``stating, "December, November, September"``), no name.

    Example:
        >>> month_in_list('He said, "March, April, May."', 17, 22), month_in_list("Seen with April, June's sister.", 10, 15)
        (True, False)
    """
    if not _MONTH_WORD.match(text, start, end) or after_title(text, start):
        return False
    return bool(_MONTH_ITEM_BEFORE.search(text, max(0, start - 14), start) or _MONTH_ITEM_AFTER.match(text, end))


@lru_cache(maxsize=16)
def sentence_case(text: str) -> bool:
    """Whether almost every sentence of ``text`` starts with a capital (a dictated note, not a nursing note).

    Asked by several filters for each model span of a note: the answer is kept for the last few notes (a
    string's hash is computed once, so asking again costs no pass over the text)."""
    starts = [m.group(1) for m in _SENTENCE_START.finditer(text)]
    return len(starts) >= _CASED_SENTENCES and sum(c.isupper() for c in starts) >= _CASED_SHARE * len(starts)
