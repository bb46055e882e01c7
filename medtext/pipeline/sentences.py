"""Sentence segmentation for clinical notes and abstracts (component ``sentences``).

Rules work on the text, looking only at candidate boundaries (terminal punctuation
and line breaks), so the component costs little more than a regex scan:

* a period after a known abbreviation (``Dr.``, ``e.g.``, ``vs.``, ``i.e.``, ``Fig.``)
  does not end a sentence unless a capitalised word follows a non-title abbreviation
  (``... Smith et al. The ...``); in a note written in capitals, where that capital says
  nothing, only other evidence ends one there (see ``uppercase_notes``: ``AT 0040 PT. BECAME``);
  nor does a one-letter word or a lone ``?`` that is the whole sentence so far (``E. WELSH AWARE``,
  ``A.  Left main``, ``? TOO FAR OUT``);
* nothing splits inside parentheses or brackets (``(p < 0.05.)``);
* a lowercase word after a period continues the sentence, unless it looks like a
  gene or symbol (``p53``, ``mTOR``, ``c-Myc``), which real sentences start with, or
  is a label (``cv:``), or the note is written in lower case (see ``lowercase_notes``);
* blank lines, numbered / bulleted list items, lines that start with a label
  (``id: afebrile``), header lines, short lines without a final period and lines the
  next word would have fitted on (the text is not wrapped there; also before a lower-case
  word) end sentences, and so does a spaced dash before a label (``alert - cv: hr 80``); section headers (from ``sections``) start one and
  stay in it (``RESULTS: We found ...``).

Example:
    >>> find_sentence_starts("Pain began 2 days ago (p < 0.05. n=3). Dr. Smith saw her.\\n1. Aspirin")
    [0, 39, 58]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from medtext.pipeline.extensions import doc_text, register_extensions
from medtext.pipeline.invisible import visible_view
from medtext.pipeline.line_breaks import line_view
from medtext.pipeline.lowercase_notes import (
    CaseProfile,
    abbreviation_ends_lowercase_sentence,
    field_dash_starts,
    lowercase_line_starts_sentence,
    lowercase_word_starts_sentence,
)
from medtext.pipeline.tokenizer import UPPER_WORD_PERIOD
from medtext.pipeline.uppercase_notes import (
    abbreviation_ends_uppercase_sentence,
    initial_continues_uppercase_name,
    SHORTENED_WORDS,
    shortened_word_ends_uppercase_sentence,
)

# Abbreviations after which a period never ends a sentence (a name follows).
TITLES = frozenset("dr drs mr mrs ms prof st mt sr jr rev gen col capt lt sgt".split())
# Abbreviations after which a period ends a sentence only before a capitalised word.
ABBREVIATIONS = frozenset(
    """e.g i.e vs viz cf al approx ca etc fig figs ref refs eq tab no nos vol suppl pt pts
    yr yrs hr hrs min mos wk wks sec inc ltd co jan feb mar apr jun jul aug sep sept oct nov dec
    resp ed eds sp spp var subsp cv p.o b.i.d t.i.d q.i.d q.d q.h.s p.r.n a.m p.m i.v i.m s.c
    h.s q.o.d n.p.o ph.d m.d u.s u.k""".split()
)
_KNOWN_ABBREVIATIONS = ABBREVIATIONS | TITLES
# Abbreviations that never end a sentence before a capital either (e.g. Smith, vs. Placebo).
NEVER_END = frozenset("e.g i.e vs viz cf approx ca".split())
# Abbreviations of a number that follows (Fig. 2, No. 5); otherwise the word is a word ("NO.").
NUMBER_ABBREVIATIONS = frozenset("fig figs ref refs eq tab no nos vol".split())
# An open bracket further back than this no longer blocks a boundary (unbalanced text).
MAX_PARENTHETICAL = 250

# Terminal punctuation (with closing quotes/brackets, or the comma transcribed
# notes use for a line break: "pain.,  He", "pain.,He"), a header's colon (or last capital)
# and that comma before a numbered item ("PLAN:,1.  Rest", "PLAN,1.  Rest"), blank lines, line breaks.
# A run of marks matches from its first mark only, and whole: a match from inside the run
# or with fewer marks would end at the same character, so this only avoids quadratic
# rescans of long runs ("....." x 10,000). The first character is matched once, from a set,
# and each alternative checks it looking back: a pattern that starts with a set lets the
# regex engine skip to candidate characters (about 3x faster than trying every position).
_TERMINAL = re.compile(
    r"[.!?:A-Z\n](?:"
    r"(?<=[.!?])(?<![.!?][.!?])[.!?]*+(?:(?:[\"'”’)\]]+|,)?(?=\s)|[\"'”’)\]]*+,(?=[^\s,]))"
    r"|(?<=[:A-Z])[ \t]*+,(?=[ \t]*\d{1,2}[.)][ \t])"
    r"|(?<=\n)[ \t\r\f\v]*\n|(?<=\n)"
    # "RESP STATUS.B/S DIMINISHED": a line break transcribed as a period, as the tokenizer splits it
    rf"|(?<=\.){UPPER_WORD_PERIOD[2:]})"
)
_LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[a-zA-Z][.)]|[-*•·])[ \t]+\S")
# A line that starts with a short label and a colon ("id: afebrile", "Neuro: alert") starts a sentence.
_LABEL_LINE = re.compile(r"[ \t]*[A-Za-z][A-Za-z/&]{0,15}(?:[ \t][A-Za-z/&]{1,15}){0,2}:(?=[ \t\r\n]|$)")
_NEXT_WORD = re.compile(r"\s*(\S+)")
_SYMBOL_START = re.compile(r"[a-z]{1,3}(?:[A-Z0-9]|-[A-Za-z0-9])")  # p53, mTOR, c-Myc, siRNA
_CONTINUATION_END = re.compile(r"(?:[,;:\-/&(]|\b(?:and|or|of|the|a|an|to|with|for|in|on|at|by|from|but|as)) *$", re.I)


def sentence_texts(text: str, forced: Iterable[int] = ()) -> list[str]:
    """The sentences of ``text`` as strings, without the spaces around them (no spaCy needed).

    Example:
        >>> sentence_texts("Pain at rest.  No fever.")
        ['Pain at rest.', 'No fever.']
    """
    starts = find_sentence_starts(text, forced)
    return [text[s:e].strip() for s, e in zip(starts, starts[1:] + [len(text)])]


def find_sentence_starts(text: str, forced: Iterable[int] = ()) -> list[int]:
    """Character offsets where sentences start (always including the first non-space).

    ``forced`` offsets (e.g. section header starts) always start a sentence.
    """
    n = len(text)
    first = len(text) - len(text.lstrip())
    if first >= n:
        return []
    starts = {first}
    starts.update(i for i in forced if first <= i < n)
    starts.update(field_dash_starts(text))
    last_start = first
    width = _LongestLine(text)
    profile = CaseProfile(text, _KNOWN_ABBREVIATIONS)
    for match in _TERMINAL.finditer(text):
        end = match.end()
        nxt = _next_nonspace(text, end)
        if nxt >= n:
            break
        if nxt <= last_start:
            continue
        token = match.group()
        if token[0] == "\n":
            boundary = _line_break_ends_sentence(text, match.start(), nxt, token.count("\n") > 1, width)
        elif token[0] not in ".!?":
            boundary = True  # "PLAN:,1.  Rest", "PLAN,1.  Rest": the numbered item starts a sentence, as on its own line
        else:
            boundary = _punct_ends_sentence(text, match.start(), nxt, token[0], last_start, profile)
        if boundary:
            nxt = _skip_closing_quote(text, nxt, last_start)
            if nxt < n and text[nxt] == "," and token[0] != "\n":
                nxt = _next_nonspace(text, nxt + 1)  # "pain. ,Denies": the comma is a transcribed line break
            if nxt >= n:
                break
            starts.add(nxt)
            last_start = nxt
    return sorted(starts)


def _skip_closing_quote(text: str, nxt: int, last_start: int) -> int:
    """A quote that closes the sentence's open quote belongs to it (`called " X. " In`)."""
    if text[nxt] == '"' and text.count('"', last_start, nxt) % 2 == 1:
        return _next_nonspace(text, nxt + 1)
    return nxt


_NONSPACE = re.compile(r"\S")


def _next_nonspace(text: str, i: int) -> int:
    match = _NONSPACE.search(text, i)
    return match.start() if match else len(text)


def _word_before(text: str, i: int) -> str:
    low = max(0, i - 48)
    j = max(text.rfind(" ", low, i), text.rfind("\n", low, i), text.rfind("\t", low, i))
    if j < 0 and low > 0:
        return text[low:i]
    return text[j + 1 : i]


def _inside_brackets(text: str, start: int, i: int) -> bool:
    low = max(start, i - MAX_PARENTHETICAL)
    if text.find("(", low, i) < 0 and text.find("[", low, i) < 0:
        return False
    return text.count("(", low, i) > text.count(")", low, i) or text.count("[", low, i) > text.count("]", low, i)


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _closes_later(text: str, nxt: int) -> bool:
    """Whether a bracket closes before the next sentence-like end (we are inside it)."""
    end = _SENTENCE_END.search(text, nxt, nxt + MAX_PARENTHETICAL)
    segment = text[nxt : end.start() if end else nxt + MAX_PARENTHETICAL]
    return segment.count(")") > segment.count("(") or segment.count("]") > segment.count("[")


def _punct_ends_sentence(text: str, i: int, nxt: int, mark: str, last_start: int, profile: CaseProfile) -> bool:
    # Inside an open parenthesis or bracket of the current sentence: no, unless the
    # bracket is never closed (unbalanced text) before the next sentence ends.
    if _inside_brackets(text, last_start, i) and (not text[nxt].isupper() or _closes_later(text, nxt)):
        return False
    if mark == "?" and _NONSPACE.search(text, last_start, i) is None:
        return False  # "AWARE. ? TOO FAR OUT": a question mark alone is no sentence
    ch = text[nxt]
    if ch in "([\"'“‘" and nxt + 1 < len(text):
        ch = text[nxt + 1]
    if mark == ".":
        # the word after a comma: ",Dr. Adams called" ("left,PT. REMAINS")
        raw = _word_before(text, i).rpartition(",")[2].lstrip("([\"'“‘")
        word = raw.lower()
        if word in TITLES:
            return False
        if word in NUMBER_ABBREVIATIONS:
            if raw.isupper() and len(raw) > 1 and (word in ("no", "nos") or not profile.uppercase_writer()):
                return True  # "NO." is nitric oxide, not "No."
            return not (ch.isdigit() or ch.islower() or ch in "(")
        if word in ABBREVIATIONS or (word.count(".") >= 1 and len(word) <= 6 and word.replace(".", "").isalpha()):
            if i - len(raw) <= last_start:
                return False  # "PT. REMAINS ON VENT", "Resp. Care:": an abbreviation is no sentence alone
            if ch.isupper() and word not in NEVER_END:
                # in a note written in capitals, the capital after the period tells nothing
                start = i - len(raw)
                return not profile.uppercase_writer() or abbreviation_ends_uppercase_sentence(text, start, word, nxt)
            return abbreviation_ends_lowercase_sentence(text, nxt, word, profile)
        if word in SHORTENED_WORDS and ch.isupper() and profile.uppercase_writer():
            # "SL. HYPOTENSIVE", "SECOND. TO LOW TV"; alone, it is no sentence ("FREQ. ATTEMPTS TO ...")
            return i - len(raw) > last_start and shortened_word_ends_uppercase_sentence(text, word, nxt)
        if word.isdigit() and len(word) <= 2 and _at_line_start(text, i - len(word)):
            return False  # "1." list marker
        if i - last_start <= 2 and text[last_start:i].isdigit():
            return False  # "...pain.,2.  Cough": the sentence so far is only a list number
        if len(word) == 1 and word.isalpha() and ch.isupper():
            if i - 1 <= last_start:
                return False  # "E. WELSH AWARE": an initial, or a label ("O. SEE FLOWSHEET", "A.  Left main")
            if profile.uppercase_writer() and initial_continues_uppercase_name(text, i):
                return False  # "PER DR. B. GILL", "  DAN A. WALDRON-GORHAM, RRT" (but "seen by Dr. X.  The patient")
    if ch.isupper() or ch.isdigit() or not ch.isalpha():
        return True
    # lowercase: a gene or symbol may start a sentence (p53, mTOR); a word does not.
    word = _NEXT_WORD.match(text, nxt)
    if word and _SYMBOL_START.match(word.group(1)):
        return True
    before = _word_before(text, i).rpartition(",")[2].lstrip("([\"'“‘").lower()
    return lowercase_word_starts_sentence(text, i, nxt, mark, before, profile)


def _at_line_start(text: str, i: int) -> bool:
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] == "\n"


def _line_break_ends_sentence(text: str, i: int, nxt: int, blank: bool, width: Callable[[], int]) -> bool:
    if blank:
        return True
    line_start = text.rfind("\n", 0, i) + 1
    line = text[line_start:i].rstrip()
    if not line:
        return True
    if _LIST_ITEM.match(text, nxt) or _LABEL_LINE.match(text, nxt) or line.endswith(":"):
        return True
    if _CONTINUATION_END.search(line):
        return False
    ch = text[nxt]
    if not (ch.isupper() or ch.isdigit() or ch in "*[("):
        return lowercase_line_starts_sentence(text, line, nxt, width)
    # A short line, or an upper-case header line, stands alone; a long line wraps, unless
    # the next line's first word would have fitted on it (the text is not wrapped that narrow).
    if len(line) < 50 or (line.isupper() and len(line) < 80):
        return True
    word = _NEXT_WORD.match(text, nxt)
    return word is not None and len(line) + 1 + len(word.group(1)) <= width()


class _LongestLine:
    """The length of a text's longest line (its wrap width), measured once when first asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.value = -1

    def __call__(self) -> int:
        if self.value < 0:
            self.value = max(len(line.rstrip()) for line in self.text.split("\n"))
        return self.value


class SentenceSegmenter:
    """The ``sentences`` component: sets ``token.is_sent_start`` on every token."""

    def __init__(self, nlp: Language, name: str = "sentences", use_sections: bool = True) -> None:
        register_extensions()
        self.name = name
        self.use_sections = use_sections

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        forced: list[int] = []
        if self.use_sections and doc._.sections:
            # A header starts a sentence and stays in it ("RESULTS: We found ...");
            # a header alone on its line ends with ":" and the line rule splits it.
            forced = [section["start"] for section in doc._.sections]
        starts = find_sentence_starts(visible_view(line_view(doc_text(doc))), forced)
        token_starts = doc.to_array(IDX).astype(numpy.int64)
        values = numpy.full(len(doc), -1, dtype=numpy.int64)
        values[0] = 1
        if starts:
            positions = numpy.searchsorted(token_starts, numpy.asarray(starts, dtype=numpy.int64), side="right") - 1
            values[positions[positions >= 0]] = 1
        doc.from_array([SENT_START], values.view(numpy.uint64).reshape(-1, 1))
        return doc

    def score(self, examples: Iterable, **kwargs: object) -> dict[str, object]:
        """``sents_p``, ``sents_r``, ``sents_f`` of sentence boundaries, as spaCy's sentencizer scores them
        (``nlp.evaluate`` calls it)."""
        from spacy.pipeline.sentencizer import senter_score

        return senter_score(examples, **kwargs)

    # Rules are code; nothing to save beyond the config.
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> SentenceSegmenter:
        return self

    def to_disk(self, path: object, *, exclude: Iterable[str] = tuple()) -> None:
        return None

    def from_disk(self, path: object, *, exclude: Iterable[str] = tuple()) -> SentenceSegmenter:
        return self


@Language.factory(
    "medtext_sentences",
    default_config={"use_sections": True},
    assigns=["token.is_sent_start"],
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_sentences(nlp: Language, name: str, use_sections: bool) -> SentenceSegmenter:
    """Factory for ``nlp.add_pipe("medtext_sentences", name="sentences")``.

    It needs nothing before it: with ``use_sections``, the section headers of a ``sections``
    component that ran earlier start sentences (``doc._.sections``); without one, none do.
    """
    return SentenceSegmenter(nlp, name=name, use_sections=use_sections)
