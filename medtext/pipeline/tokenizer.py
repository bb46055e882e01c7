"""A tokenizer for clinical notes and biomedical literature.

Built on spaCy's English rules (so it stays a fast Cython tokenizer) with changes
for medical text:

* doses and units: ``10mg`` -> ``10`` ``mg``; unit compounds stay whole (``mg/kg``, ``mL/min``);
* dosing and Latin abbreviations stay whole with their periods (``q.i.d.``, ``b.i.d.``, ``p.o.``);
* ``s/p``, ``w/o``, ``x3``, ``2+``, ranges (``5-10``), ratios and vitals (``120/80``),
  decimals, and dates (``2101-10-3``) stay whole;
* chemical names keep internal punctuation next to digits (``glucose-6-phosphate``,
  ``5-fluorouracil``, ``L-dopa``), while word-word hyphens split so that
  ``naloxone-induced`` yields ``naloxone`` ``-`` ``induced``;
* transcription commas that stand for line breaks split (``Aspirin.,ALLERGIES:``);
* chemistry splits where annotators cut a name: ``B-induced``, ``[3H]nicotine``, ``K+``,
  ``Na(+)``, ``saline+DMSO``, ``thallium-201`` (``HER2+`` and ``X-linked`` stay whole);
* de-identification placeholders are single tokens, even with spaces inside
  (``**NAME[AAA, BBB]``, ``[**2101-10-3**]``, ``[**Hospital 1234**]``).

Example:
    >>> import spacy
    >>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    >>> [t.text for t in nlp("s/p CABG x3, Lasix 20mg p.o. b.i.d.")]
    ['s/p', 'CABG', 'x3', ',', 'Lasix', '20', 'mg', 'p.o.', 'b.i.d.']
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy
from spacy.lang.char_classes import ALPHA, HYPHENS
from spacy.lang.en import English
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from medtext.pipeline import affix_regex
from medtext.pipeline.affix_regex import set_first, suffix_tail
from medtext.pipeline.disk_cache import read_cached, source_key, write_cached
from medtext.pipeline.extensions import remember_text
from medtext.pipeline.invisible import has_invisible, is_invisible, strip_invisible, strip_invisible_edges
from medtext.pipeline.tokenizer_cache import ChunkCache, TrustedRulesTokenizer

# Abbreviations that keep their periods (dosing, Latin, titles, literature).
CLINICAL_ABBREVIATIONS = (
    "a.c.", "a.m.", "b.i.d.", "h.s.", "i.d.", "i.m.", "i.v.", "n.p.o.", "o.d.", "o.s.", "o.u.",
    "p.c.", "p.m.", "p.o.", "p.r.", "p.r.n.", "q.a.m.", "q.d.", "q.h.", "q.h.s.", "q.i.d.",
    "q.o.d.", "q.p.m.", "q.s.", "s.c.", "s.l.", "s.q.", "t.i.d.", "t.i.w.", "u.d.", "ad.lib.",
    "approx.", "ca.", "cf.", "e.g.", "et al.", "etc.", "Fig.", "Figs.", "fig.", "figs.", "i.e.",
    "viz.", "vs.", "resp.", "Ref.", "Refs.", "Eq.", "Tab.", "Dr.", "Drs.", "Mr.", "Mrs.", "Ms.",
    "Prof.", "Jr.", "Sr.", "St.", "pt.", "pts.", "Pt.", "yr.", "yrs.", "hr.", "hrs.", "min.",
    "mos.", "wk.", "wks.", "sec.", "Inc.", "Ltd.", "Co.", "No.", "Nos.", "nos.", "Vol.", "vol.",
    "Suppl.", "suppl.", "Ph.D.", "M.D.", "R.N.", "D.O.", "U.S.", "U.K.", "spp.", "sp.", "var.",
    "subsp.", "cv.", "ed.", "eds.", "al.",
)

# Slash words that are one unit of meaning.
SLASH_WORDS = (
    "s/p", "S/P", "w/o", "W/O", "w/", "c/o", "C/O", "r/o", "R/O", "h/o", "H/O", "y/o", "Y/O",
    "d/c", "D/C", "n/v", "N/V", "a/w", "b/l", "B/L", "f/u", "F/U", "n/a", "N/A", "t/o", "p/w",
)

_UNIT_NUM = r"(?:mg|mcg|µg|μg|ug|ng|pg|g|kg|mL|ml|dL|dl|L|l|mmol|µmol|umol|nmol|mol|mEq|meq|IU|U|units?|cells|copies|mm|cm|m|beats|breaths)"
_UNIT_DEN = r"(?:kg|g|mg|dL|dl|L|l|mL|ml|min|h|hr|hrs|day|d|wk|week|m2|m²|mm3|mm²|µL|uL|hpf|HPF|lpf|dose|24h|24 h|s|sec)"
# A whitespace-free chunk that must stay one token.
_TOKEN_MATCH = re.compile(
    r"^(?=[\dxXmMuµμngkdlLIUcb])(?:"
    rf"{_UNIT_NUM}/{_UNIT_DEN}(?:/{_UNIT_DEN})?"  # mg/kg, mg/kg/day
    r"|\d+(?:\.\d+)?(?:[-–/]\d+(?:\.\d+)?)+"  # 5-10, 120/80, 2101-10-3, 1.5-2.0
    r"|[xX]\d+"  # x3
    r"|\d\+{1,4}"  # 2+, 3++
    r")$"
)

# Placeholders of de-identified text; may contain spaces, so merged after tokenizing.
PLACEHOLDER = re.compile(r"\[\*\*[^\]\n]{0,80}?\*\*\]|\*\*[A-Z][A-Z0-9_-]*(?:\[[^\]\n]{0,60}\])?")


_LETTER = r"[^\W\d_]"  # any Unicode letter, as a fast class


def _prefixes() -> list[str]:
    return [p for p in English.Defaults.prefixes if p != r"\*"] + [r"\*(?!\*)"]


def _suffixes() -> list[str]:
    # Keep "2+" whole: drop spaCy's digit-plus suffix. Split a final period after
    # any word (abbreviations are special cases, checked first), so "AmB." and
    # "vitamin D." end in "." for the sentence splitter, and a trailing hyphen
    # ("Diazepam-, scopolamine- and ...").
    keep = [s for s in English.Defaults.suffixes if s != r"(?<=[0-9])\+"]
    return keep + [r"(?<=[\w%)\]])\.", rf"(?<={_LETTER}{_LETTER})(?:{HYPHENS})", r"(?<=[A-Za-z])\+"]


# Words after a hyphen that make a modifier of a chemical's name ("amphotericin B-induced").
_PARTICIPLES = "induced|associated|related|treated|mediated|dependent|containing|fortified|exposed|loaded|stimulated|evoked|resistant|sensitive|specific|free"


# Transcribed line breaks glued to the next token (MTSamples, PhysioNet nursing notes): an upper-case
# word of >= 2 letters (not after a digit or lower-case letter: "3SR,4aRS") with "," before a list
# number ("IMPRESSION,1."), or "." before an upper-case word ("STATUS.B/S"; not titles "DR.SMITH",
# e-mail or web addresses); and a list number of 1-2 digits glued to a word ("1)pyelonephritis"; not "(3)H",
# "Thr(799)Met"). Single letters ("U.S.A.", "E.COLI"), decimals and "1,000" / "2,4-D" never match.
# Each rule starts with its mark and then looks back, so that a regex search fails fast where there is none.
# The period of "STATUS.B/S" is also a sentence end for the ``sentences`` component.
UPPER_WORD_PERIOD = (
    r"\.(?<=[A-Z]{2}\.)(?<![a-z\d][A-Z]{2}\.)(?<!\bDR\.)(?<!\bDRS\.)(?<!\bMR\.)(?<!\bMRS\.)(?<!\bMS\.)(?<!\bST\.)"
    r"(?<!\bWWW\.)(?=[A-Z][A-Z/a-z])(?![^@\s]*@)(?!(?:COM|ORG|NET|EDU|GOV)\b)"
)
_LINE_BREAK_INFIXES = (
    r",(?<=[A-Z]{2},)(?<![a-z\d][A-Z]{2},)(?=\d{1,2}(?:\.(?!\d)|$))",
    UPPER_WORD_PERIOD,
    r"\)(?:(?<=\d\))(?<![\w(]\d\))|(?<=\d\d\))(?<![\w(]\d\d\)))(?=[^\W\d_]{2})",
)


def _infixes() -> list[str]:
    default = list(English.Defaults.infixes)
    hyphen_rule = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
    digit_ops = r"(?<=[0-9])[+\-\*^](?=[0-9-])"
    out = []
    for rule in default:
        if rule == hyphen_rule:
            # word-word hyphens split (drug-induced); digit-letter and single-letter
            # prefixes stay whole (5-fluorouracil, glucose-6-phosphate, L-dopa).
            out.append(rf"(?<={_LETTER}{_LETTER})(?:{HYPHENS})(?={_LETTER})")
        elif rule == digit_ops:
            out.append(r"(?<=[0-9])[+\*^](?=[0-9])")  # ranges 5-10 stay whole
        else:
            out.append(rule)
    # Added rules use Python's fast \w-based classes rather than spaCy's long
    # Unicode ranges (the tokenizer runs them on every new chunk of text).
    out += [
        r"(?<=[.:;)\]\"'’]),(?=\S)",  # "Aspirin.,ALLERGIES"
        r"(?<=[\w)\]])\.(?=,)",  # the period of "Aspirin.,"
        r"(?<=[a-z]{2})\.(?=[A-Z][a-z])",  # "pain.The"
        rf"(?<=[\w])[)\]](?=-{_LETTER})",  # ")" of "(PAN)-induced"
        rf"(?<=[)\]])-(?={_LETTER})",  # "-" of "(PAN)-induced"
        rf"(?<=\+)[-/](?={_LETTER})",  # "Na+-K+", "Na+/K+"
        r"(?<=[^\W\d_]{2})\((?=\w{1,8}\))",  # "GABA(A)"
        # Chemistry that gold annotations cut inside a chunk (BC5CDR): "vitamin E-induced",
        # "[3H]nicotine", "L-[3H]nicotine", "K+", "Ca+2", "saline+DMSO", "Na(+)", "thallium-201".
        rf"(?<=[A-Za-z0-9])-(?=(?:{_PARTICIPLES})\b)",
        rf"(?<=[\w)])\](?={_LETTER})",
        r"(?<=\w)-(?=\[)",
        r"(?<=[A-Za-z])\+(?=[\dA-Za-z/-])",
        r"(?<=[A-Za-z])\((?=\d*[+-])",
        r"(?<=[a-z]{3})-(?=\d{2,3}m?(?![\w-]))",
        *_LINE_BREAK_INFIXES,
    ]
    return out


def _special_cases() -> dict[str, list[dict[str, Any]]]:
    # spaCy treats "D." as an initial; in medical text it ends "vitamin D." and
    # "type B.", so single letters lose their period exception.
    cases: dict[str, list[dict[str, Any]]] = {
        key: value
        for key, value in English.Defaults.tokenizer_exceptions.items()
        if not (len(key) == 2 and key[1] == "." and key[0].isalpha())
    }
    for word in CLINICAL_ABBREVIATIONS + SLASH_WORDS:
        cases[word] = [{ORTH: word}]
    return cases


def tokenizer_fingerprint() -> str:
    """A short hash of the tokenizer's rules; artifacts keyed by tokens (the lexicon) record it.

    Example:
        >>> len(tokenizer_fingerprint())
        16
    """
    import hashlib

    rules = [_prefixes(), _suffixes(), _infixes(), sorted(_special_cases()), _TOKEN_MATCH.pattern, PLACEHOLDER.pattern]
    return hashlib.sha256(json.dumps(rules, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def build_base_tokenizer(vocab: Vocab) -> Tokenizer:
    """The spaCy ``Tokenizer`` with medtext's rules (no placeholder merging).

    The rules are compiled in faster forms that match exactly like spaCy's
    ``compile_prefix_regex`` / ``compile_suffix_regex`` / ``compile_infix_regex`` of them
    (see ``affix_regex``); the fingerprint hashes the rules as written. spaCy does not check the
    shipped special cases again at every start (:class:`TrustedRulesTokenizer`; a test does).
    """
    prefix, suffix, infix = affix_patterns()
    return TrustedRulesTokenizer(  # the shipped rules: checked by a test, not at every start
        vocab,
        rules=_special_cases(),
        prefix_search=re.compile(prefix).search,
        suffix_search=re.compile(suffix).search,
        infix_finditer=re.compile(infix).finditer,
        token_match=_TOKEN_MATCH.match,
        url_match=English.Defaults.url_match,
    )


AFFIX_CACHE = "affix-patterns"


def affix_patterns() -> tuple[str, str, str]:
    """The prefix, suffix and infix patterns of :func:`build_base_tokenizer`: the rules in the faster forms of
    :mod:`~medtext.pipeline.affix_regex`. From the disk cache (:mod:`~medtext.pipeline.disk_cache`) after the
    first run, keyed by the rules, this module, ``affix_regex`` and the Python version (whose ``re`` parser
    measures the rules' widths: about 0.01 s).

    Example:
        >>> prefix, suffix, infix = affix_patterns()
        >>> prefix.startswith("^(?:")
        True
    """
    rules = (_prefixes(), _suffixes(), _infixes())
    key = source_key(json.dumps(rules, ensure_ascii=False), sys.version, Path(__file__), Path(affix_regex.__file__))
    cached = read_cached(AFFIX_CACHE, key)
    if isinstance(cached, tuple) and len(cached) == 3 and all(type(p) is str for p in cached):
        return cached
    patterns = ("^" + set_first(rules[0]), suffix_tail(rules[1]), set_first(rules[2]))  # "^a|^b" is "^(?:a|b)"
    write_cached(AFFIX_CACHE, key, patterns)
    return patterns


def shipped_settings_key(tokenizer: Any) -> bytes | None:
    """A key for what texts ``tokenizer`` gives, when it is a :class:`MedtextTokenizer` as built (medtext's
    rules, no rule added or replaced): the rules, this code and spaCy's version. None for any other tokenizer.

    Example:
        >>> shipped_settings_key(MedtextTokenizer(English().vocab)) is not None
        True
    """
    import spacy

    from medtext.pipeline import tokenizer_cache

    if not isinstance(tokenizer, MedtextTokenizer):
        return None
    inner = tokenizer.tokenizer
    patterns = affix_patterns()
    functions = (inner.prefix_search, inner.suffix_search, inner.infix_finditer)
    for function, pattern, name in zip(functions, patterns, ("search", "search", "finditer")):
        compiled = getattr(function, "__self__", None)
        if not (isinstance(compiled, re.Pattern) and compiled.pattern == pattern and compiled.flags == re.UNICODE
                and getattr(function, "__name__", None) == name):
            return None
    if not (inner.token_match == _TOKEN_MATCH.match and inner.url_match == English.Defaults.url_match
            and inner.faster_heuristics is True and inner.rules == _special_cases()):
        return None
    return source_key("medtext tokenizer settings v1", spacy.__version__, tokenizer_fingerprint(),
                      str(bool(tokenizer.merge_placeholders)), Path(__file__), Path(tokenizer_cache.__file__),
                      Path(affix_regex.__file__))


def _settings_of(t: Tokenizer) -> tuple[Any, ...]:
    """What the chunk cache was built from: the tokenizer and its settings.

    Compared with ``==``, which checks identity first: the same objects cost nothing,
    a replaced function differs, and ``add_special_case`` on ``t`` changes the count.
    """
    return (t, len(t.rules), t.rules, t.prefix_search, t.suffix_search, t.infix_finditer, t.token_match, t.url_match, t.faster_heuristics)


def _inner_setting(name: str) -> property:
    """A property that reads and writes ``name`` of the spaCy tokenizer inside, dropping the chunk cache on write."""

    def get(self: MedtextTokenizer) -> Any:
        return getattr(self.tokenizer, name)

    def set(self: MedtextTokenizer, value: Any) -> None:
        setattr(self.tokenizer, name, value)
        self._cached = None

    return property(get, set, doc=f"spaCy's ``Tokenizer.{name}`` (setting it takes effect on the next text).")


class MedtextTokenizer:
    """spaCy's rule tokenizer plus single-token de-identification placeholders.

    Serializes like spaCy's tokenizer and pickles (for ``n_process`` and Dask).
    Its rules are set the spaCy way: ``nlp.tokenizer.infix_finditer = ...``
    (also ``rules``, ``prefix_search``, ``suffix_search``, ``token_match``,
    ``url_match``, ``faster_heuristics``).

    Example:
        >>> tok = MedtextTokenizer(English().vocab)
        >>> [t.text for t in tok("Seen by **NAME[AAA, BBB] on [**2101-10-3**].")]
        ['Seen', 'by', '**NAME[AAA, BBB]', 'on', '[**2101-10-3**]', '.']
    """

    def __init__(self, vocab: Vocab, merge_placeholders: bool = True) -> None:
        self.vocab = vocab
        self.merge_placeholders = merge_placeholders
        self.tokenizer = build_base_tokenizer(vocab)
        self._cached: ChunkCache | None = None
        self._built_from: tuple[Any, ...] = ()

    rules = _inner_setting("rules")
    prefix_search = _inner_setting("prefix_search")
    suffix_search = _inner_setting("suffix_search")
    infix_finditer = _inner_setting("infix_finditer")
    token_match = _inner_setting("token_match")
    url_match = _inner_setting("url_match")
    faster_heuristics = _inner_setting("faster_heuristics")

    @property
    def cached(self) -> ChunkCache:
        """The chunk cache in front of ``self.tokenizer`` (built on first use, rebuilt when its rules change)."""
        cached = self._cached
        if cached is None or self._built_from != _settings_of(self.tokenizer):
            # Also when the settings were changed on ``self.tokenizer`` itself.
            self._built_from = _settings_of(self.tokenizer)
            cached = self._cached = ChunkCache(self.tokenizer, settings_key=shipped_settings_key(self))
        return cached

    def __call__(self, text: str) -> Doc:
        doc = self.cached(text)
        invisible = has_invisible(text)
        if invisible:
            doc = _split_invisible_edges(doc, self.tokenizer)
        if self.merge_placeholders and "**" in text:
            _merge_placeholders(doc, text)
        if invisible:
            _norm_invisible(doc)
        remember_text(doc, text)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def add_special_case(self, string: str, substrings: list[dict[str, Any]]) -> None:
        """Add a user special case (kept by ``to_disk``/``to_bytes``)."""
        self.tokenizer.add_special_case(string, substrings)
        self._cached = None

    def explain(self, text: str) -> list[tuple[str, str]]:
        return self.tokenizer.explain(text)

    # Serialization: the rules are rebuilt from code; user special cases travel
    # in spaCy's own tokenizer bytes.
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return self.tokenizer.to_bytes(exclude=exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> MedtextTokenizer:
        self.tokenizer.from_bytes(data, exclude=exclude)
        self._cached = None
        return self

    def to_disk(self, path: Any, *, exclude: Iterable[str] = tuple()) -> None:
        self.tokenizer.to_disk(path, exclude=exclude)

    def from_disk(self, path: Any, *, exclude: Iterable[str] = tuple()) -> MedtextTokenizer:
        self.tokenizer.from_disk(path, exclude=exclude)
        self._cached = None
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_tokenizer, (self.vocab, self.merge_placeholders, self.to_bytes()))


def _rebuild_tokenizer(vocab: Vocab, merge_placeholders: bool, data: bytes) -> MedtextTokenizer:
    return MedtextTokenizer(vocab, merge_placeholders).from_bytes(data)


def _split_invisible_edges(doc: Doc, tokenizer: Tokenizer) -> Doc:
    """``doc`` with invisible characters split off the ends of its tokens and the word between them tokenized
    again (``\u200bNo`` -> ``\u200b`` ``No``, ``fever.\u200b`` -> ``fever`` ``.`` ``\u200b``): spaCy's rules do not
    take them for prefixes or suffixes, which hid the word (``No`` as a trigger) and its final period. Inside a
    word they stay (``mel\u00adlitus``, see :func:`_norm_invisible`). A new Doc when some token is split (one pass:
    splitting with the retokenizer costs a pass per token), else ``doc`` itself."""
    from spacy.attrs import NORM

    words: list[str] = []
    spaces: list[bool] = []
    norms: list[int] = []
    split = False
    for token in doc:
        word = token.text
        parts = None
        if is_invisible(word[0]) or is_invisible(word[-1]):
            core = strip_invisible_edges(word)
            if core:
                lead = word[: word.index(core)]
                trail = word[len(lead) + len(core) :]
                inner = tokenizer(core)
                parts = ([(lead, doc.vocab[lead].norm)] if lead else []) + [(t.text, t.norm) for t in inner]
                parts += [(trail, doc.vocab[trail].norm)] if trail else []
                if len(parts) < 2 or "".join(w for w, _ in parts) != word:
                    parts = None
        if parts is None:
            parts = [(word, token.norm)]
        else:
            split = True
        for k, (w, norm) in enumerate(parts):
            words.append(w)
            spaces.append(bool(token.whitespace_) and k == len(parts) - 1)
            norms.append(norm)
    if not split:
        return doc
    new = Doc(doc.vocab, words=words, spaces=spaces)
    new.from_array([NORM], numpy.asarray(norms, dtype=numpy.uint64).reshape(-1, 1))
    return new


def _norm_invisible(doc: Doc) -> None:
    """A token with invisible characters inside (``mel\u00adlitus``) gets the norm of the word a reader sees
    (``mellitus``), which the NER reads; its text keeps every character."""
    for token in doc:
        if has_invisible(token.text):
            clean = strip_invisible(token.text)
            if clean:
                token.norm_ = doc.vocab[clean].norm_


def _merge_placeholders(doc: Doc, text: str) -> None:
    spans = []
    for match in PLACEHOLDER.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and len(span) > 1 and span.start_char == match.start() and span.end_char == match.end():
            spans.append(span)
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)


# Our components are linear in the text; batch jobs bound length with --max-chars.
MAX_LENGTH = 100_000_000


@registry.tokenizers("medtext.Tokenizer.v1")
def create_tokenizer(merge_placeholders: bool = True, max_length: int = MAX_LENGTH) -> Callable[[Language], MedtextTokenizer]:
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "medtext.Tokenizer.v1"``.

    It also sets ``nlp.max_length`` (spaCy's ``[nlp]`` config has no such setting and
    ``nlp.to_disk`` does not keep it), so ``spacy.load`` of a saved pipeline accepts
    the same texts as ``medtext.load()``.
    """

    def make(nlp: Language) -> MedtextTokenizer:
        nlp.max_length = max_length
        return MedtextTokenizer(nlp.vocab, merge_placeholders=merge_placeholders)

    return make
