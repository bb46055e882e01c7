"""Eponyms and brands that the PHI model takes for names or places: ``Allis clamp``, ``an Esmarch``, ``Vicryl``.

The word list ``medtext/resources/phi/eponyms.tsv`` (kinds ``eponym``, ``noun``, ``between``) says which words
name an instrument, sign, brand or microbe on their own, and after which nouns a capitalised word is an eponym.
:func:`eponym_span` tells whether a model NAME / LOCATION span is such an eponym; the filters
(:mod:`phi_filters`) drop it, and :func:`~medtext.pipeline.phi_post.consistent_mentions` does not spread its words.

Example:
    >>> text = "The Penfield elevator was used; grasped with Allis."
    >>> eponym_span(text, 4, 12), eponym_span(text, 45, 50)
    (True, True)
    >>> eponym_span("Babcock called today.", 0, 7)  # a common Census surname alone: a person
    False
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from medtext.pipeline.phi_lexicons import drug_words, lexicons

# A Census surname ranked at most this (``Babcock`` 1,702; ``Cobb`` 400) or any Census first name is a real
# person's name often enough: alone it is an eponym only after a determiner (``a Babcock was passed``).
COMMON_SURNAME_RANK = 10_000
_TITLE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:dr|drs|mr|mrs|ms|miss|prof|rn|md)\.?[ \t]+\Z")
# an article, maybe one word after it ("a Babcock", "a curved Glover", "an outpatient Holter")
_ARTICLE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:a|an|the|another|second|two)[ \t]+(?:[a-z]+[ \t]+)?\Z")
# Words before a person rather than an instrument: the eponym alone after them is a name.
_PERSON_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:by|per|to[ \t]+see|(?:spoke|talked|met|discussed|consulted)(?:[ \t]+(?:with|to))?"
                            r"|called|saw|informed|told|asked|notified|paged|thanked)[ \t]+\Z")
_PROCEDURE = re.compile(r"(?i)[a-z]+(?:ectomy|otomy|ostomy|plasty|pexy|rrhaphy|scopy)\Z")
_TOKEN = re.compile(r"(?:'s|s'|')?[ \t]{0,2}[-/]?[ \t]{0,2}(#?\d+(?:\.\d+)?|[A-Za-z][A-Za-z-]*)")
_WORDS = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@lru_cache(maxsize=1)
def eponym_words() -> dict[str, frozenset[str]]:
    """The kinds of ``eponyms.tsv``: ``{"eponym": ..., "noun": ..., "between": ..., "of": ...}`` (lower-case words)."""
    text = files("medtext.resources").joinpath("phi", "eponyms.tsv").read_text(encoding="utf-8")
    kinds: dict[str, set[str]] = {"eponym": set(), "noun": set(), "between": set(), "of": set()}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, kind = line.partition("\t")
            kinds[kind].add(word)
    return {kind: frozenset(words) for kind, words in kinds.items()}


@lru_cache(maxsize=1)
def letter_words() -> dict[str, str]:
    """``letter_words.tsv``: word (lower case) -> ``salutation`` (``dear``) or ``closing`` (``sincerely``)."""
    text = files("medtext.resources").joinpath("phi", "letter_words.tsv").read_text(encoding="utf-8")
    return {w: k for w, _, k in (line.partition("\t") for line in text.splitlines() if line and not line.startswith("#"))}


def after_title(text: str, start: int) -> bool:
    """A title (``Dr.``, ``Mrs``, ``RN``) right before ``start``: what follows is a person (not after a title in
    capitals before a word that is not, see :func:`capitals_title`)."""
    m = _TITLE_BEFORE.search(text, max(0, start - 6), start)
    return bool(m) and not capitals_title(m.group(), text[start : start + 40].split(" ", 1)[0])


def capitals_title(title: str, word: str) -> bool:
    """A title written in capitals before a word written otherwise is no title: ``MS Contin`` (morphine),
    ``MR. Given``, ``MS. Aspiration``; ``MS SMITH`` and ``Ms. Contin`` are titles.

    Example:
        >>> capitals_title("MS ", "Contin"), capitals_title("MS ", "SMITH"), capitals_title("Ms. ", "Contin")
        (True, False, False)
    """
    letters = title.strip(" \t.")
    return len(letters) > 1 and letters.isupper() and not word.isupper()


def eponym_span(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a model name or place) is an eponym or brand, and no title stands before it: its
    words are eponyms of the list or drug names, or an instrument / procedure noun follows it (``Hank
    dilators``, ``Judkins left #4 catheter``, ``Kessler-type stitch``, ``Austin bunionectomy``). Alone, no word
    before a person may precede it (``seen by Allis``, ``spoke with Kocher``), and a common Census name (``Babcock``,
    ``Owen``) counts only after a determiner (``a Babcock was passed``)."""
    if after_title(text, start):
        return False
    if noun_after(text, end) or _SIZE_BEFORE.search(text, max(0, start - 16), start) or _anatomy_of(text, start):
        return True
    if _UNIT_FIRST.match(text, start, end) and _NUMBER_BEFORE.search(text, max(0, start - 6), start):  # "6-[French Quellin]"
        return True
    if _noun_last(text, start, end) or _STATUS_POST.search(text, max(0, start - 16), start) or _class_after(text, start, end):
        return True
    kinds = eponym_words()
    compound = _hyphen_compound(text, start, end)
    if "-" in compound and compound in kinds["eponym"]:  # "Hill-Sachs", "Don-Joy", "Carter-Thomason": the whole compound is listed
        return True
    words = [w.lower() for w in _WORDS.findall(text, start, end)]
    drugs = drug_words()
    if not words or not all(w in kinds["eponym"] or w.removesuffix("s") in kinds["eponym"] or w in drugs
                            or all(p in kinds["eponym"] for p in w.split("-")) for w in words):  # "Metzenbaums": plural
        return False
    if _PERSON_BEFORE.search(text, max(0, start - 24), start):  # "seen by Allis", "spoke with Kocher"
        return False
    lex = lexicons()
    # every word a common name ("Babcock"; "Pred Forte" has a word that names no one)
    common_name = all(any(lex.first_rank(p) or 0 < lex.surname_rank(p) <= COMMON_SURNAME_RANK for p in w.split("-")) for w in words)
    if not common_name:
        return True
    if _ARTICLE_BEFORE.search(text, max(0, start - 24), start) or _INSTRUMENT_BEFORE.search(text, max(0, start - 40), start) \
            or _GRADE_AFTER.match(text, end):
        return True
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)  # "Pred Forte": a listed brand word that names no one
    return bool(before) and before.group(1).lower() in kinds["eponym"] \
        and not (lex.first_rank(before.group(1).lower()) or lex.surname_rank(before.group(1).lower()))


# A size before a capitalised word makes it a device: "#8 Shiley", "18-French Robinson", "a 19 Blake", "8 mm Blake".
_SIZE_BEFORE = re.compile(r"(?i)(?:#[ \t]?\d+|(?<![\w.])\d+(?:\.\d+)?[ \t-]?(?:french|fr|mm|gauge|ga)\.?|(?<![A-Za-z])an?[ \t]+\d{1,2})[ \t]+\Z")
# A span that starts with the catheter size unit after a number: "a 6-French Quellin", "19 Fr Blake".
_UNIT_FIRST = re.compile(r"(?i)(?:french|fr)\.?[ \t]+[A-Z]")
_NUMBER_BEFORE = re.compile(r"\d[ \t-]?\Z")
# Verbs of surgery before an instrument: "grasped with Kocher", "using Hank", "with the aid of a Cottle".
_INSTRUMENT_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?:grasped|regrasped|held|retracted|elevated|dissected|clamped|divided|protected|dilated|incised|secured"
    r"|tented[ \t]+up|opened|closed|ligated|cut)[ \t]+(?:with|using)|using|utilizing|utilising|with[ \t]+the[ \t]+(?:aid|help|use)[ \t]+of)"
    r"(?:[ \t]+(?:a|an|the|two|curved|straight|blunt|sharp|small|large|serial))*[ \t]+\Z")
# A grade or class after a listed eponym: "Gleason 6", "Hawkins IV", "Baker grade IV".
_GRADE_AFTER = re.compile(r"[ \t]+(?:\d(?![\d/])|(?:I{1,3}|IV|VI?)(?![A-Za-z])|(?i:grade|class|type|stage|score)(?![A-Za-z]))")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z-])([A-Za-z]+)[ \t]\Z")
_OF_BEFORE = re.compile(r"(?i)(?<![A-Za-z])([a-z]+)[ \t]+of[ \t]+\Z")
_HYPHEN_BEFORE = re.compile(r"(?<![A-Za-z-])([A-Za-z]+)-\Z")
_HYPHEN_AFTER = re.compile(r"-([A-Za-z]+)(?![A-Za-z-])")


# A procedure named after its inventor: "status post Norwood", "s/p Caldwell-Luc".
_STATUS_POST = re.compile(r"(?i)(?<![A-Za-z])(?:status[ \t]+post|s/p)[ \t]+\Z")
# A grade, class or stage after a capitalised word makes it a classification: "Hawkins IV", "Denver II normal",
# "Baker grade IV"; a Roman I-III only before a lower-case word ("John Smith III, MD" stays).
_CLASS_AFTER = re.compile(r"[ \t]+(?:(?i:grade|class|stage|classification)[ \t]+(?:[IV]{1,3}|\d)(?![A-Za-z0-9])"
                          r"|(?:IV|VI?)(?![A-Za-z])|I{1,3}[ \t]+(?!(?:was|is|has|had|and|who|will|called|came|said|to|at|in|on|for)(?![a-z]))[a-z])")


def _class_after(text: str, start: int, end: int) -> bool:
    """A grade or class after a one-word capitalised span, and no word before a person before it: ``Hawkins IV
    talus fracture``, ``Denver II normal``, ``Baker grade IV`` (``seen by Baker IV`` stays)."""
    return text[start:start + 1].isupper() and " " not in text[start:end] and bool(_CLASS_AFTER.match(text, end)) \
        and not _PERSON_BEFORE.search(text, max(0, start - 24), start)


def _noun_last(text: str, start: int, end: int) -> bool:
    """A span of capitalised words that ends with an instrument, test or finding noun of the list: ``India Ink``,
    ``Jamar dynamometer``, ``Purdue Pegboard``; the name before the noun is an eponym."""
    words = text[start:end].split()
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    last = words[-1].lower()
    nouns = eponym_words()["noun"]
    return last in nouns or last.removesuffix("s") in nouns


def _anatomy_of(text: str, start: int) -> bool:
    """An anatomy word and ``of`` before ``start``: ``ampulla of Vater``, ``membrane of Liliequist``."""
    m = _OF_BEFORE.search(text, max(0, start - 24), start)
    return bool(m) and m.group(1).lower() in eponym_words()["of"]


def _hyphen_compound(text: str, start: int, end: int) -> str:
    """The span with the words glued to it by hyphens, lower case: ``Hill`` of ``Hill-Sachs`` -> ``hill-sachs``."""
    before = _HYPHEN_BEFORE.search(text, max(0, start - 24), start)
    after = _HYPHEN_AFTER.match(text, end)
    return ((before.group(1) + "-" if before else "") + text[start:end] + ("-" + after.group(1) if after else "")).lower()


def person_before(text: str, start: int) -> bool:
    """A word before a person right before ``start`` (``seen by``, ``spoke with``, ``called``)."""
    return bool(_PERSON_BEFORE.search(text, max(0, start - 24), start))


def noun_after(text: str, end: int) -> bool:
    """An instrument / procedure noun follows ``end``, maybe after ``'s``, a hyphen, other capitalised eponyms,
    numbers and words of the ``between`` kind (at most three of them)."""
    kinds = eponym_words()
    at = end
    for _ in range(4):
        m = _TOKEN.match(text, at)
        if not m or "\n" in text[at : m.start(1)]:
            return False
        word = m.group(1)
        lower = word.lower().split("-")[0] if word[0] != "#" else word
        if lower in kinds["noun"] or word.lower() in kinds["noun"] or (len(word) > 6 and _PROCEDURE.match(lower)):
            return True
        if not (lower in kinds["between"] or word.lower() in kinds["between"] or word[0] == "#" or word[0].isdigit() or word[0].isupper() and not word.isupper()):
            return False
        at = m.end(1)
    return False
