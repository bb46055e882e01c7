"""Assertion status of entities, ConText style (component ``assertion``).

Every entity in ``doc.ents`` (from our NER, the concept matcher, a user's
EntityRuler: any source) gets ``span._.negated``, ``uncertain``, ``historical``,
``family``, ``hypothetical`` and ``span._.triggers`` = {category: trigger text}.
Triggers are data (JSONL rules, see :mod:`medtext.pipeline.context_rules`),
matched once per document in the sentences that hold entities, then scoped
within their sentence (:mod:`medtext.pipeline.context_scope`). Entities in a
family-history section are ``family`` and, by default, those in past medical or
surgical history sections are ``historical`` (the trigger is the header title).

Spans in ``doc.spans`` groups (a medspaCy-style ``doc.spans["problems"]``, overlapping or not)
get the same flags when the group is named in the ``span_groups`` setting
(``medtext.load(config={"components.assertion.span_groups": ["problems"]})``); each
group is assessed on its own, as if its spans were the entities. With ``ents = false`` the
component leaves ``doc.ents`` alone and assesses only its groups (medspaCy's
``input_span_type = "group"``), so a second assertion component for a span group, with rules
of its own, does not reset what the first one set on the entities. (spaCy keeps a span's
attributes by its character offsets: a group span with an entity's exact offsets shares its flags.)
``ent_types`` (negspacy's setting) limits both to spans of those labels, e.g. ``["DISEASE", "FINDING"]``;
spans of other labels are left as they are (their words still do not count as triggers).

Without sentence boundaries (no ``sentences`` component: ``spacy.blank("en")``), triggers are
scoped within the sentences medtext's sentence rules find; boundaries set by any component
before it (a sentencizer, a parser, ``token.is_sent_start``) are used as they are.

Users add rules with ``add_rules([...])`` or ``add_from_file(path)`` (what
``medtext.load(user_files={"assertion": [...]})`` calls); they travel with
``nlp.to_disk()`` as ``assertion/rules.jsonl``.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> ruler = nlp.add_pipe("entity_ruler", before="assertion")
    >>> ruler.add_patterns([{"label": "FINDING", "pattern": "fever"}])
    >>> doc = nlp("No fever.")
    >>> doc.ents[0]._.negated, doc.ents[0]._.triggers
    (True, {'negated': 'No'})
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.attrs import IS_SPACE, LOWER, SENT_START
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from medtext.errors import Errors, RuleError
from medtext.pipeline.context_matcher import HEADER_RULE, Match, TriggerMatcher
from medtext.pipeline.context_rules import CATEGORIES, PSEUDO, check_categories, default_rules, read_rules, rule_to_json, validate_rule
from medtext.pipeline.rule_files import UserRules
from medtext.pipeline.saved_settings import overridden, saved_config_block
from medtext.pipeline.context_scope import Trigger, WordCounter, assign, bracket_bounds
from medtext.pipeline.extensions import doc_text, register_extensions
from medtext.pipeline.sentences import find_sentence_starts

_BRACKETS = frozenset(hash_string(b) for b in "([{")
_HEADER = (None, "terminate", None, False, frozenset(), False)  # an upper-case label ends every scope
_COMMA = hash_string(",")
# Which categories' triggers end the scopes of a category (besides its own triggers and the
# terminators), medspaCy's ``terminating_types``; a rule's ``terminated_by`` adds to it.
DEFAULT_TERMINATING_TYPES: dict[str, list[str]] = {
    "negated": ["uncertain", "hypothetical"],
    "uncertain": ["negated", "hypothetical", "historical"],
    "historical": ["negated", "uncertain", "hypothetical"],
}
DEFAULT_SECTION_CATEGORIES = {
    "family_history": "family",
    "past_medical_history": "historical",
    "past_surgical_history": "historical",
}


class AssertionDetector(UserRules):
    """The ``assertion`` component: trigger rules in, assertion flags on entities out."""

    def __init__(
        self,
        nlp: Language,
        name: str = "assertion",
        *,
        use_default_rules: bool = True,
        section_categories: dict[str, str] | None = None,
        ignore_triggers_in_entities: bool = True,
        header_terminators: bool = True,
        span_groups: list[str] | tuple[str, ...] = (),
        terminating_types: dict[str, list[str]] | None = None,
        ents: bool = True,
        ent_types: list[str] | tuple[str, ...] = (),
    ) -> None:
        register_extensions()
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer  # literals are tokenized like the text they match
        self.name = name
        self.use_default_rules = use_default_rules
        self.section_categories = _check_section_categories(
            DEFAULT_SECTION_CATEGORIES if section_categories is None else section_categories
        )
        self.ignore_triggers_in_entities = ignore_triggers_in_entities
        self.header_terminators = header_terminators
        self.span_groups = _check_span_groups(span_groups)
        self.ents = _check_ents(ents, self.span_groups)
        self.ent_types = _check_ent_types(ent_types)
        self.terminating_types = _check_terminating_types(
            DEFAULT_TERMINATING_TYPES if terminating_types is None else terminating_types
        )
        self.user_rules: list[dict[str, Any]] = []
        # as built (from the config): a setting given at load time wins over the saved one (see from_disk)
        self._given = {"section_categories": section_categories, "span_groups": span_groups,
                       "terminating_types": terminating_types, "ents": ents, "ent_types": ent_types}
        self._build()

    # --- rules -------------------------------------------------------------
    _shipped_rules = staticmethod(default_rules)
    _validate_rule = staticmethod(validate_rule)
    _read_rule_file = staticmethod(read_rules)

    def _build(self) -> None:
        rules = self.rules
        self._rules = [
            (r["category"], r["direction"], r.get("max_scope"), r["category"] == PSEUDO, self._cut_by(r), r.get("ends_at_comma", False))
            for r in rules
        ]
        self._matcher = TriggerMatcher(self.vocab, rules, self.tokenizer, headers=self.header_terminators)

    def _cut_by(self, rule: dict[str, Any]) -> frozenset[str]:
        """The categories whose triggers end the scope of this rule's triggers."""
        if rule["direction"] in (None, "terminate"):
            return frozenset()
        return frozenset(rule.get("terminated_by", ())) | frozenset(self.terminating_types.get(rule["category"], ()))

    # --- processing --------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        lower: list[int] | None = None
        processed_before = _has_span_flags(doc.user_data)  # then a rerun resets flags its rules no longer give
        for group in ((None,) if self.ents else ()) + self.span_groups:
            spans = doc.ents if group is None else list(doc.spans.get(group, ()))
            if spans:
                # 1-D arrays: tolist() of a column of a 2-D uint64 array is several times slower.
                lower = doc.to_array(LOWER).tolist() if lower is None else lower
                self._assess(doc, spans, lower, processed_before)
        return doc

    def _assess(self, doc: Doc, ents: Any, lower: list[int], processed_before: bool) -> None:
        """Set the flags of ``ents`` (the doc's entities, or the spans of one span group) of the ``ent_types``."""
        blockers = None  # the spans whose words are no triggers: all of them
        if self.ent_types:
            blockers = [(e.start, e.end) for e in ents]
            ents = [e for e in ents if e.label_ in self.ent_types]
            if not ents:
                return
        spans = [(e.start, e.end) for e in ents]
        results: list[dict[str, str]] = [{} for _ in spans]
        if self._matcher.may_open(lower):
            self._scope(doc, spans, lower, results, spans if blockers is None else blockers)
        if self.section_categories and doc._.sections:
            self._apply_sections(doc, ents, results)
        if not processed_before and not any(results):
            return
        for ent, flags in zip(ents, results):
            underscore = ent._
            old = underscore.get("triggers") if processed_before else None
            if not flags and old is None:
                continue
            for category in flags:
                underscore.set(category, True)
            for category in old or ():
                if category not in flags:
                    underscore.set(category, False)
            underscore.set("triggers", flags or None)

    def _scope(
        self, doc: Doc, spans: list[tuple[int, int]], lower: list[int], results: list[dict[str, str]], blockers: list[tuple[int, int]]
    ) -> None:
        """Match triggers in the sentences that hold entities and scope them (fills ``results``); words of
        ``blockers`` (the entities, of any label) are no triggers."""
        n = len(doc)
        sent_starts = _sentence_starts(doc, doc.to_array(SENT_START))
        ent_sent = [bisect_right(sent_starts, s) - 1 for s, _ in spans]
        sent_ids = sorted(set(ent_sent))
        ranges = [(sent_starts[i], sent_starts[i + 1] if i + 1 < len(sent_starts) else n) for i in sent_ids]
        triggers = self._triggers(doc, ranges, blockers, lower)
        if not triggers:
            return
        words = WordCounter.from_array(doc.to_array(IS_SPACE)) if any(t.max_scope for t in triggers) else None
        by_sent: dict[int, list[Trigger]] = {}
        for trig in triggers:
            by_sent.setdefault(bisect_right(sent_starts, trig.start) - 1, []).append(trig)
        members: dict[int, list[int]] = {}
        for k, i in enumerate(ent_sent):
            members.setdefault(i, []).append(k)
        for i, (start, end) in zip(sent_ids, ranges):
            sent_triggers = by_sent.get(i)
            if not sent_triggers or all(t.direction == "terminate" for t in sent_triggers):
                continue
            if not _BRACKETS.isdisjoint(lower[start:end]):
                sent_triggers = _bracketed(doc, sent_triggers, start, end)
            commas = [j for j in range(start, end) if lower[j] == _COMMA] if any(t.cut_by or t.comma for t in sent_triggers) else ()
            found = assign(sent_triggers, [spans[k] for k in members[i]], start, end, words, commas)
            for k, flags in zip(members[i], found):
                results[k] = flags

    def _triggers(self, doc: Doc, ranges: list[tuple[int, int]], ents: list[tuple[int, int]], lower: list[int]) -> list[Trigger]:
        """Matched triggers: longest first, overlaps dropped, pseudo and in-entity ones removed."""
        matches = self._matcher.find(doc, ranges, lower)
        if not matches:
            return []
        # Longest match wins (then the earlier one); the rules of one span stay together.
        matches.sort()
        if any(b[0] < a[1] and (b[0], b[1]) != (a[0], a[1]) for a, b in zip(matches, matches[1:])):
            kept = _longest_first(matches)
        else:
            kept = matches  # no overlaps (the usual case)
        ents = sorted(ents)
        ent_starts = [s for s, _ in ents]
        reach = []  # the furthest end of the spans starting at or before each one (span groups may overlap)
        for _, end in ents:
            reach.append(max(end, reach[-1]) if reach else end)
        out: list[Trigger] = []
        for start, end, rule in kept:
            category, direction, max_scope, pseudo, cut_by, comma = _HEADER if rule == HEADER_RULE else self._rules[rule]
            if pseudo:
                continue
            if self.ignore_triggers_in_entities:
                k = bisect_right(ent_starts, start) - 1
                if k >= 0 and reach[k] >= end:
                    continue  # part of an entity's own name ("free air", "no-reflow")
            text = doc[start:end].text if direction != "terminate" else ""  # a terminator's text is never shown
            out.append(Trigger(start, end, category, direction, max_scope, text, cut_by=cut_by, comma=comma))
        return out

    def _apply_sections(self, doc: Doc, ents: Any, results: list[dict[str, str]]) -> None:
        sections = [s for s in doc._.sections if s["category"] in self.section_categories]
        if not sections:
            return
        starts = [s["start"] for s in sections]
        for ent, flags in zip(ents, results):
            k = bisect_right(starts, ent.start_char) - 1
            if k >= 0 and ent.start_char < sections[k]["end"]:
                section = sections[k]
                flags.setdefault(self.section_categories[section["category"]], section["title"])

    # --- pickling and serialization ---------------------------------------
    def __setstate__(self, state: dict[str, Any]) -> None:
        # A spawned worker unpickles the pipeline without running __init__.
        self.__dict__.update(state)
        register_extensions()

    # The section mapping is saved too: it may be changed on the component after loading.
    # (Pipelines saved before it was have no cfg.json / no key and keep their config's.)
    # A setting overridden at load time (spacy.load(path, config=...)) is not restored.
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"user_rules": [rule_to_json(r) for r in self.user_rules], **self._cfg()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> AssertionDetector:
        cfg = srsly.msgpack_loads(data)
        self.user_rules = [validate_rule(r, "<bytes>", i) for i, r in enumerate(cfg["user_rules"], 1)]
        self._set_cfg(cfg)
        self._build()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", [rule_to_json(r) for r in self.user_rules])
        srsly.write_json(path / "cfg.json", self._cfg())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> AssertionDetector:
        rules_path = Path(path) / "rules.jsonl"
        self.user_rules = read_rules(rules_path) if rules_path.exists() else []
        cfg_path = Path(path) / "cfg.json"
        if cfg_path.exists():
            keep = overridden(self._given, saved_config_block(path))  # spacy.load(path, config={...}) overrides
            self._set_cfg({k: v for k, v in srsly.read_json(cfg_path).items() if k not in keep})
        self._build()
        return self

    def _cfg(self) -> dict[str, Any]:
        return {
            "section_categories": dict(self.section_categories),
            "span_groups": list(self.span_groups),
            "ents": self.ents,
            "ent_types": sorted(self.ent_types),
            "terminating_types": {k: list(v) for k, v in self.terminating_types.items()},
        }

    def _set_cfg(self, cfg: dict[str, Any]) -> None:
        """The saved settings (those saved before a setting existed keep the config's value)."""
        if "section_categories" in cfg:
            self.section_categories = _check_section_categories(cfg["section_categories"])
        if "span_groups" in cfg:
            self.span_groups = _check_span_groups(cfg["span_groups"])
        if "terminating_types" in cfg:
            self.terminating_types = _check_terminating_types(cfg["terminating_types"])
        self.ents = _check_ents(cfg.get("ents", self.ents), self.span_groups)
        if "ent_types" in cfg:
            self.ent_types = _check_ent_types(cfg["ent_types"])


def _longest_first(matches: list[Match]) -> list[Match]:
    """Resolve overlapping matches: longest first, then earliest; the rules of one span stay together."""
    by_span: dict[tuple[int, int], list[Match]] = {}
    for match in matches:
        by_span.setdefault((match[0], match[1]), []).append(match)
    taken: set[int] = set()
    kept: list[Match] = []
    for start, end in sorted(by_span, key=lambda se: (se[0] - se[1], se[0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.extend(by_span[(start, end)])
    kept.sort()
    return kept


def _bracketed(doc: Doc, triggers: list[Trigger], start: int, end: int) -> list[Trigger]:
    """Keep the scope of a trigger inside brackets within them."""
    limits = bracket_bounds([doc[i].text for i in range(start, end)], start)
    if limits is None:
        return triggers
    return [t._replace(lo=limits[t.start - start][0], hi=limits[t.start - start][1]) for t in triggers]


def _sentence_starts(doc: Doc, flags: Any) -> list[int]:
    """Token offsets where sentences start (0 first); segments the text itself when unsegmented.

    ``flags`` is the doc's SENT_START array (``doc.has_annotation`` loops over Token objects: slow).
    """
    if flags[1:].any():  # token 0 is always 1; unsegmented docs have 0 elsewhere
        starts = (flags == 1).nonzero()[0].tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        return starts
    char_starts = set(find_sentence_starts(doc_text(doc)))
    return [0] + [t.i for t in doc if t.i and t.idx in char_starts]


def _check_section_categories(mapping: Any) -> dict[str, str]:
    if not isinstance(mapping, dict):
        raise RuleError(Errors.E102.format(setting="section_categories", detail="expected a mapping of section category to assertion category"))
    for section, category in mapping.items():
        if category not in CATEGORIES:
            detail = f"section '{section}' maps to {category!r}; use one of {', '.join(CATEGORIES)}"
            raise RuleError(Errors.E102.format(setting="section_categories", detail=detail))
    return dict(mapping)


def _check_terminating_types(mapping: Any) -> dict[str, list[str]]:
    def fail(detail: str) -> RuleError:
        return RuleError(Errors.E102.format(setting="terminating_types", detail=detail))

    if not isinstance(mapping, dict):
        raise fail("expected a mapping of category to the categories whose triggers end its scopes")
    out = {}
    for category, others in mapping.items():
        if category not in CATEGORIES:
            raise fail(f"{category!r} is not a category; use one of {', '.join(CATEGORIES)}")
        out[category] = check_categories(others, category, fail)
    return out


def _check_span_groups(groups: Any) -> tuple[str, ...]:
    """``span_groups`` as a tuple of names: a list (or tuple) of strings, or None for none.

    Example:
        >>> _check_span_groups(["problems"]), _check_span_groups(None)
        (('problems',), ())
    """
    if groups is None:
        return ()
    if not isinstance(groups, list | tuple) or not all(isinstance(g, str) for g in groups):
        found = f"found {type(groups).__name__}" if not isinstance(groups, list | tuple) else "found a non-string name"
        raise RuleError(Errors.E102.format(setting="span_groups", detail=f"expected a list of span group names ({found})"))
    return tuple(groups)


def _check_ent_types(labels: Any) -> frozenset[str]:
    """``ent_types``: the labels whose spans are assessed (empty: all).

    Example:
        >>> sorted(_check_ent_types(["DISEASE", "FINDING"])), _check_ent_types(None)
        (['DISEASE', 'FINDING'], frozenset())
    """
    if labels is None:
        return frozenset()
    if not isinstance(labels, list | tuple) or not all(isinstance(label, str) for label in labels):
        raise RuleError(Errors.E102.format(setting="ent_types", detail="expected a list of entity labels, e.g. [\"DISEASE\"]"))
    return frozenset(labels)


def _check_ents(ents: Any, groups: tuple[str, ...]) -> bool:
    """``ents`` (assess ``doc.ents``): a bool; false needs a span group, or nothing would be assessed."""
    if not isinstance(ents, bool):
        raise RuleError(Errors.E102.format(setting="ents", detail=f"expected true or false; found {ents!r}"))
    if not ents and not groups:
        detail = "with ents false the component assesses only the span groups named in span_groups, and none is named"
        raise RuleError(Errors.E102.format(setting="ents", detail=detail))
    return ents


def _has_span_flags(user_data: dict[Any, Any]) -> bool:
    """Whether an earlier run set flags on spans of the doc: it set ``triggers`` (a dict, or None once reset) on every
    span it flagged. Read from the spans' own attributes, as they travel with the doc (``Doc.from_docs`` copies span
    attributes and drops every other ``user_data`` key, with spaCy's warning W102 for a key of ours)."""
    return any(type(key) is tuple and len(key) == 4 and key[1] == "triggers" for key in user_data)


@Language.factory(
    "medtext_assertion",
    default_config={
        "use_default_rules": True,
        # None: DEFAULT_SECTION_CATEGORIES. A dict default would be merged into the
        # user's dict by spaCy's config filling, so a mapping could never be narrowed.
        "section_categories": None,
        "ignore_triggers_in_entities": True,
        "header_terminators": True,
        "span_groups": [],
        # None: DEFAULT_TERMINATING_TYPES ({} switches cross-category terminations off)
        "terminating_types": None,
        "ents": True,
        "ent_types": [],
    },
    assigns=[f"span._.{c}" for c in CATEGORIES] + ["span._.triggers"],
    requires=["doc.ents"],
)
def make_assertion(
    nlp: Language,
    name: str,
    use_default_rules: bool,
    section_categories: dict[str, str] | None,
    ignore_triggers_in_entities: bool,
    header_terminators: bool,
    span_groups: Any,  # checked by the component (one line), not by confection's multi-line validation
    terminating_types: Any,
    ents: bool,
    ent_types: Any,
) -> AssertionDetector:
    """Factory for ``nlp.add_pipe("medtext_assertion", name="assertion")``.

    ``section_categories`` maps section categories to the assertion category of their
    entities; None (the default) is ``DEFAULT_SECTION_CATEGORIES``, ``{}`` none. A given
    mapping replaces the default one: ``{"family_history": "family"}`` leaves out the
    historical sections. ``span_groups``: names of ``doc.spans`` groups whose spans are assessed too;
    ``ents``: whether the entities (``doc.ents``) are (false: only the span groups); ``ent_types``:
    the labels of the spans assessed (``[]``: all).
    """
    return AssertionDetector(
        nlp,
        name,
        use_default_rules=use_default_rules,
        section_categories=section_categories,
        ignore_triggers_in_entities=ignore_triggers_in_entities,
        header_terminators=header_terminators,
        span_groups=span_groups,
        terminating_types=terminating_types,
        ents=ents,
        ent_types=ent_types,
    )
