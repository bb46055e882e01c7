"""Section detection in clinical notes (component ``sections``).

Header rules are data: JSONL lines ``{"category": ..., "titles": [...]}`` and/or
``{"category": ..., "pattern": "<regex>"}``; a rule with ``"within": [categories]`` holds
sub-headers that count only inside a section of those categories (``HEENT:`` in an exam
or a review of systems, where it ends ``VITAL SIGNS:``). A header is a known title followed by
``:`` (or alone on an upper-case line) at the start of the text or of a line, or —
upper case only, as transcribed notes write them — after ``,``, ``.`` or ``;``
(``...,MEDICATIONS: , Aspirin.,ALLERGIES: , None.``), where the colon may be missing
before a numbered list (``...,IMPRESSION,1.  Asthma.``). Each section runs from the
first character of its header to the next header; a section of a rule with
``"ends_at_any_header": true`` (family, social, past medical history) ends already at the
next label of any kind, known or not (``FHX: none.,ADMIT EXAM: ...``, ``PMH: asthma\nCV: ...``),
so sections may leave gaps. ``doc._.sections`` holds ``{category, title, start, end, body_start}`` dicts.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> doc = nlp("CHIEF COMPLAINT: Cough.\\nMEDICATIONS: Aspirin.")
    >>> [(s["category"], s["start"]) for s in doc._.sections]
    [('chief_complaint', 0), ('medications', 24)]
    >>> [(s["category"], s["end"]) for s in nlp("FHX: none.,SICK CONTACTS: none.")._.sections]
    [('family_history', 11)]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from medtext.errors import Errors, RuleError
from medtext.pipeline.extensions import doc_text, register_extensions
from medtext.pipeline.line_breaks import line_view
from medtext.pipeline.rule_files import UserRules, parse_jsonl_rules, read_jsonl_rules
from medtext.pipeline.saved_settings import overridden, saved_config_block

# A header is a title of letters, digits, spaces and a few marks, right after a
# line start or a transcription break (",", ".", ";"), and then ":" — or an
# upper-case line of its own. Candidates are found from the colons (cheap) and
# from upper-case lines, not by running a regex at every position.
# Spaces inside and around a title are any horizontal whitespace (tab, no-break
# space, the Unicode spaces); a title may follow invisible marks (a BOM, zero-width
# characters) and decorations (bullets, arrows, emoji) at the start of its line.
_HSPACE = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_LEAD = (
    rf"[{_HSPACE}\ufeff\u200b-\u200d\u2060\ufe0e\ufe0f\u2022\u2023\u2043"
    "\u2190-\u21ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]*"
)
_TITLE = re.compile(rf"{_LEAD}(?:\d{{1,2}}[.)][{_HSPACE}]+)?([A-Za-z][A-Za-z0-9{_HSPACE}/&'()\-]{{0,60}}?)[{_HSPACE}]*")
_UPPER_LINE = re.compile(
    rf"^{_LEAD}(?:\d{{1,2}}[.)][{_HSPACE}]+)?([A-Z][A-Z0-9{_HSPACE}/&'()\-]{{0,60}}?)[{_HSPACE}]*\r?$", re.MULTILINE
)
_MAX_TITLE = 72
# An upper-case title, a comma, then a numbered item or a sub-header ("PHYSICAL EXAMINATION,GENERAL:").
_COMMA_LIST = re.compile(rf"(?<=[A-Z]),(?=[{_HSPACE}]*(?:\d{{1,2}}[.)][{_HSPACE}]|[A-Z][A-Za-z/&\-{_HSPACE}]{{1,30}}:))")
_PLURAL_MARK = re.compile(r"(is)?\s*\((e?s)\)", re.IGNORECASE)  # "medication(s)", "DIAGNOSIS (ES)"
_BODY_SPACE = frozenset(",\t \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")


_MINOR_WORDS = frozenset("of and the in on at for to or with by a an".split())
# Labels that do not end a section that ends at any header: a relative's sub-heading of a family
# history (``FATHER: died of MI``), the rest of a combined header (``SOCIAL, AND ALLERGY HISTORY:``).
_NOT_ENDING = frozenset(
    "mother father mom dad brother brothers sister sisters sibling siblings parents parent maternal paternal "
    "grandmother grandfather grandparents aunt aunts uncle uncles cousin cousins son sons daughter daughters "
    "children child mgm mgf pgm pgf and or &".split()
)
_MAX_LABEL_WORDS = 6  # a longer "title" before a colon is a sentence ("THIS IS A 67 YR OLD PT WITH A HX OF:")


def _is_title_case(title: str) -> bool:
    words = [w for w in re.split(r"[\s/&-]+", title) if w]
    return bool(words) and all(w[0].isupper() for w in words if w.lower() not in _MINOR_WORDS)


def _candidates(text: str) -> Iterator[tuple[int, str, int, bool]]:
    """(title start, title, end of the header, at a line start) for possible headers."""
    colon = text.find(":")
    while colon >= 0:
        low = max(0, colon - _MAX_TITLE)
        begin = max(text.rfind("\n", low, colon), text.rfind(",", low, colon), text.rfind(".", low, colon), text.rfind(";", low, colon)) + 1
        if begin > 0 or low == 0:
            match = _TITLE.fullmatch(text, begin, colon)
            if match:
                yield match.start(1), match.group(1), colon + 1, begin == 0 or text[begin - 1] == "\n"
        colon = text.find(":", colon + 1)
    for match in _UPPER_LINE.finditer(text):
        yield match.start(1), match.group(1), match.end(), True
    for match in _COMMA_LIST.finditer(text):
        # "...,PAST MEDICAL HISTORY,1.  Asthma": a transcribed upper-case header without its colon
        comma = match.start()
        low = max(0, comma - _MAX_TITLE)
        begin = max(text.rfind("\n", low, comma), text.rfind(",", low, comma), text.rfind(".", low, comma), text.rfind(";", low, comma), text.rfind(":", low, comma)) + 1
        if begin > 0 or low == 0:
            title = _TITLE.fullmatch(text, begin, comma)
            if title and title.group(1).isupper():
                yield title.start(1), title.group(1), comma + 1, begin == 0 or text[begin - 1] == "\n"


def _ends_section(text: str, title: str, body: int, line_start: bool) -> bool:
    """Whether a possible header ends a section that ends at any header: a ``label:`` of at most six
    words without digits, at a line start or, upper case, after a transcription break (``,ADMIT EXAM:``),
    not a relative."""
    if text[body - 1] != ":":
        return False  # an upper-case line or a title before a numbered list may be a list item ("HTN")
    words = title.split()
    if len(words) > _MAX_LABEL_WORDS or words[0].lower() in _NOT_ENDING or any(c.isdigit() for c in title):
        return False  # a sentence, a relative, an event of the history ("MVA 12/07: tibia fx")
    return line_start or (title.isupper() and len(title) > 1)


def normalize_title(title: str) -> str:
    """Lower-case, write ``(s)``/``(es)`` as the plural, collapse spaces: the lookup key of a title.

    >>> normalize_title("Medication(s)"), normalize_title("POSTOPERATIVE  DIAGNOSIS (ES)")
    ('medications', 'postoperative diagnoses')
    """
    return " ".join(_PLURAL_MARK.sub(_plural, title).lower().split())


def _plural(match: re.Match[str]) -> str:
    if match.group(1) and match.group(2).lower() == "es":
        return "es"  # diagnosis(es) -> diagnoses
    return (match.group(1) or "") + match.group(2)


def default_rules() -> list[dict[str, Any]]:
    """The shipped header rules (``medtext/resources/sections.jsonl``)."""
    return [dict(rule) for rule in _shipped_rules()]


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[dict[str, Any], ...]:
    path = files("medtext.resources").joinpath("sections.jsonl")
    return tuple(parse_jsonl_rules(path.read_text(encoding="utf-8").splitlines(), str(path), validate_rule, Errors.E020, _EXAMPLE))


def read_rules(path: str | Path) -> list[dict[str, Any]]:
    """Read a user's header rules from a JSONL file, checking every line."""
    return read_jsonl_rules(path, validate_rule, Errors.E020, _EXAMPLE)


_EXAMPLE = '{"category": "medications", "titles": ["current meds"]}'


def validate_rule(rule: Any, source: str = "<rules>", number: int = 0) -> dict[str, Any]:
    """Check one rule dict; raise RuleError naming source and line when it is malformed."""

    def fail(detail: str) -> RuleError:
        return RuleError(Errors.E020.format(path=source, line=number, detail=detail, example=_EXAMPLE))

    if not isinstance(rule, dict):
        raise fail("a rule must be a JSON object")
    category = rule.get("category")
    if not isinstance(category, str) or not category.strip():
        raise fail("'category' must be a non-empty string")
    titles = rule.get("titles", [])
    if isinstance(titles, str) or not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
        raise fail("'titles' must be a list of non-empty strings")
    pattern = rule.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise fail("'pattern' must be a string (a regular expression)")
        try:
            re.compile(pattern)
        except re.error as err:
            raise fail(f"'pattern' is not a valid regular expression ({err})") from None
    if not titles and pattern is None:
        raise fail("a rule needs 'titles' or 'pattern'")
    ends = rule.get("ends_at_any_header", False)
    if not isinstance(ends, bool):
        raise fail("'ends_at_any_header' must be true or false")
    within = rule.get("within")
    if within is not None and (
        isinstance(within, str) or not isinstance(within, list) or not within or not all(isinstance(c, str) and c.strip() for c in within)
    ):
        raise fail("'within' must be a non-empty list of categories")
    unknown = set(rule) - {"category", "titles", "pattern", "within", "ends_at_any_header"}
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    out: dict[str, Any] = {"category": category.strip(), "titles": [t.strip() for t in titles]}
    if pattern is not None:
        out["pattern"] = pattern
    if within is not None:
        out["within"] = [c.strip() for c in within]
    if ends:
        out["ends_at_any_header"] = True
    return out


class SectionDetector(UserRules):
    """The ``sections`` component; rules travel with ``nlp.to_disk`` as JSONL."""

    def __init__(self, nlp: Language, name: str = "sections", use_default_rules: bool = True) -> None:
        register_extensions()
        self.name = name
        self.use_default_rules = use_default_rules
        self.user_rules: list[dict[str, Any]] = []
        self._given = {"use_default_rules": use_default_rules}  # a load-time override wins (see from_disk)
        self._build()

    _shipped_rules = staticmethod(default_rules)
    _validate_rule = staticmethod(validate_rule)
    _read_rule_file = staticmethod(read_rules)

    def _build(self) -> None:
        # Checked last rule first, so a user's rule overrides a shipped one.
        self._lookup = [
            (
                frozenset(normalize_title(t) for t in rule["titles"]),
                re.compile(rf"(?:{rule['pattern']})\Z", re.IGNORECASE) if "pattern" in rule else None,
                rule["category"],
                frozenset(rule["within"]) if "within" in rule else None,
                rule.get("ends_at_any_header", False),
            )
            for rule in reversed(self.rules)
        ]

    def category_of(self, title: str, within: str | None = None) -> str | None:
        """The category of a header title in a section of category ``within``, or None when it is no header there.

        >>> import spacy
        >>> detector = SectionDetector(spacy.blank("en"))
        >>> detector.category_of("HEENT", "vital_signs"), detector.category_of("HEENT")
        ('physical_examination', None)
        """
        found = self._rule_of(title, within)
        return found[0] if found else None

    def _rule_of(self, title: str, within: str | None) -> tuple[str, bool] | None:
        """(category, ends at any header) of the rule a title matches in a section of category ``within``."""
        key = normalize_title(title)
        for titles, pattern, category, parents, ends in self._lookup:
            if parents is not None and within not in parents:
                continue
            if key in titles or (pattern is not None and pattern.match(key)):
                return category, ends
        return None

    def find(self, text: str) -> list[dict[str, Any]]:
        """Sections of a text, in order (the component's work, without a Doc)."""
        text = line_view(text)
        candidates: dict[int, tuple[str, int, bool]] = {}
        for start, title, body, line_start in _candidates(text):
            candidates.setdefault(start, (title, body, line_start))
        sections: list[dict[str, Any]] = []
        labels: list[int] = []  # starts of labels that end a section that ends at any header
        closing: list[bool] = []  # per section: does it end at any header
        for start in sorted(candidates):
            title, body, line_start = candidates[start]
            if not line_start and not (title.isupper() or _is_title_case(title)):
                continue  # mid-line headers are upper or title case in transcribed notes
            if _ends_section(text, title, body, line_start):
                labels.append(start)
            if len(title) == 1 and not line_start:
                continue  # "A:" / "P:" (SOAP) only at a line start
            found = self._rule_of(title, sections[-1]["category"] if sections else None)
            if found is None:
                continue
            while body < len(text) and text[body] in _BODY_SPACE:
                body += 1
            sections.append({"category": found[0], "title": title, "start": start, "end": len(text), "body_start": body})
            closing.append(found[1])
        for current, following in zip(sections, sections[1:]):
            current["end"] = following["start"]
        for section, ends in zip(sections, closing):
            if ends:
                k = bisect_left(labels, section["body_start"])
                if k < len(labels) and labels[k] < section["end"]:
                    section["end"] = labels[k]
        return sections

    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = self.find(doc_text(doc))
        return doc

    # Serialization: the user's rules and the switch, as JSONL/JSON.
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"use_default_rules": self.use_default_rules, "user_rules": self.user_rules})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> SectionDetector:
        cfg = srsly.msgpack_loads(data)
        self.use_default_rules = cfg["use_default_rules"]
        self.user_rules = [validate_rule(r) for r in cfg["user_rules"]]
        self._build()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", {"use_default_rules": self.use_default_rules})
        srsly.write_jsonl(path / "rules.jsonl", self.user_rules)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> SectionDetector:
        path = Path(path)
        if "use_default_rules" not in overridden(self._given, saved_config_block(path)):  # spacy.load(path, config=...)
            self.use_default_rules = srsly.read_json(path / "cfg.json")["use_default_rules"]
        self.user_rules = read_rules(path / "rules.jsonl") if (path / "rules.jsonl").exists() else []
        self._build()
        return self


@Language.factory(
    "medtext_sections",
    default_config={"use_default_rules": True},
    assigns=["doc._.sections"],
)
def make_sections(nlp: Language, name: str, use_default_rules: bool) -> SectionDetector:
    """Factory for ``nlp.add_pipe("medtext_sections", name="sections")``."""
    return SectionDetector(nlp, name=name, use_default_rules=use_default_rules)
