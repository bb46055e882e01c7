"""Protected health information (component ``phi``, factory ``medtext_phi``).

Finds names (patients, clinicians, relatives), dates, ages over 89, locations
and hospitals, street addresses and ZIP codes, phone/fax numbers, e-mail addresses,
URLs and IP addresses, record/account, SSN, health-plan, licence, vehicle, device
and other identifying numbers, and the placeholders of already de-identified text. Output:
``doc._.phi`` = ``[{start, end, label, text}]``, exact character offsets,
non-overlapping, in text order. ``doc.ents`` is never touched.

Labels:

=============  ============================================================
NAME           a person: patient, clinician, relative, other contact; a nickname (``goes by Xavi``)
DATE           a date or a year tied to a person (``7/23``, ``MI '92``, ``07.02.1948``)
AGE            an age over 89
LOCATION       a town, street address, P.O. box, ZIP code or postcode (``IL 62704``, ``SW1A 1AA``),
               ward or institution name
HOSPITAL       a location span followed by a facility word (``ELMWOOD HOSPITAL``)
PHONE          phone, fax and pager numbers, international ones too (``+44 20 7946 0958``)
EMAIL, URL     e-mail addresses; web addresses (``patientportal.example.com/jdoe``) and IP addresses
               (``192.168.1.20``: HIPAA lists them with web identifiers)
ID             record, account, SSN-like and other identifying numbers; after a cue word, SSNs with
               spaces, health-plan, licence, plate, VIN, serial, device, biometric and other codes
               (``DL D1234567``, ``License plate 7ABC123``, ``serial SN-4421-AB``)
PLACEHOLDER    ``**NAME[AAA, BBB]``, ``[**2101-10-3**]``, ``**INSTITUTION``
=============  ============================================================

Three sources are combined: sure-fire regular expressions
(:mod:`phi_patterns`), a linear classifier of words and numbers trained on
the PhysioNet nursing notes (:mod:`phi_model`, model ``phi-physionet``;
capitalisation is only one feature among lexicons and context), and the
user's terms and patterns (:meth:`PhiDetector.add_from_file`). Cues
(:mod:`phi_post`) add names after titles, kin words and verbs of contact
(``husband Zorvan``), nicknames (``goes by Xavi``, ``aka Bobby``), name fields
(``PATIENT: HALVORSEN, INGRID``) and places given away by their shape (``Good Samaritan``,
``U of NH``, ``Kestrelton campus``). Then (:mod:`phi_post`): sure names and
places mark their other mentions in the note, overlapping spans merge,
initials and name-like neighbouring words join names, institution words join
places, house numbers join streets, and spans made only of never-PHI words
(weekdays, languages, US states) are dropped. Last, document-level consistency:
once a name or place word is PHI in a note (``Kowalczyk``), its other capitalised
mentions in the note are PHI of the same label (ordinary words, titles, drugs
excepted; see :func:`~medtext.pipeline.phi_post.consistent_mentions`).

Non-ASCII text (:mod:`phi_text`): a note with accented or other non-ASCII letters is read folded to
ASCII (``José García`` as ``Jose Garcia``, combining marks with their letter), so a word is one unit
with the features of its ASCII spelling, and the spans are mapped back to the text as written; no span
ends inside a word. ASCII notes are read as they are.

Speed: ``nlp.pipe`` hands the component whole batches, which the model scores at
once (:mod:`phi_scorer`); the spans are the same as one note at a time.

Example:
    >>> import medtext
    >>> nlp = medtext.load()
    >>> doc = nlp("Seen by Dr. Tasker on 7/23, call 410-555-0199.")
    >>> [(p["label"], p["text"]) for p in doc._.phi]
    [('NAME', 'Tasker'), ('DATE', '7/23'), ('PHONE', '410-555-0199')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from medtext.errors import Errors, MedtextError, ModelError, RuleError
from medtext.pipeline.extensions import doc_text, register_extensions
from medtext.pipeline.phi_filters import no_phi
from medtext.pipeline.phi_lexicons import world_places
from medtext.pipeline.phi_model import PhiModel
from medtext.pipeline.phi_patterns import rule_spans
from medtext.pipeline.phi_post import (
    PROPAGATE_MIN_SCORE,
    absorb_initials,
    consistent_mentions,
    cue_locations,
    cue_names,
    extend_addresses,
    extend_institutions,
    extend_names,
    extend_places,
    merge_spans,
    propagate,
    trim_edges,
)
from medtext.pipeline.phi_text import (
    FoldedText,
    spans_to_source,
    whole_words,
)
from medtext.pipeline.phi_words import cue_words
from medtext.pipeline.range_index import RangeIndex
from medtext.pipeline.rule_files import read_jsonl_rules, rule_list, set_user_rules
from medtext.pipeline.saved_settings import overridden, saved_config_block

LABELS = ("NAME", "DATE", "AGE", "LOCATION", "HOSPITAL", "PHONE", "EMAIL", "URL", "ID", "PLACEHOLDER")
DEFAULT_MODEL = "phi-physionet"
# Merging priority when spans overlap: the user's rules, then sure-fire rules, then the model.
_PRIORITY = {"user": 3, "rule": 2, "model": 1}
_RULE_EXAMPLE = '{"label": "NAME", "terms": ["Kay"]} or {"label": "ID", "pattern": "\\\\bZ\\\\d{6}\\\\b"} or {"ignore": ["Mercy"]}'


def read_user_rules(path: str | Path) -> list[dict[str, Any]]:
    """Read a user's PHI rules (JSONL: ``terms``, ``pattern`` or ``ignore`` lines), checking each line."""
    return read_jsonl_rules(path, validate_user_rule, Errors.E110, _RULE_EXAMPLE)


def validate_user_rule(rule: Any, source: str = "<rules>", number: int = 0) -> dict[str, Any]:
    """Check one user rule; RuleError E110 names the file and line when it is malformed."""

    def fail(detail: str) -> RuleError:
        return RuleError(Errors.E110.format(path=source, line=number, detail=detail, example=_RULE_EXAMPLE))

    if not isinstance(rule, dict):
        raise fail("a rule must be a JSON object")
    unknown = set(rule) - {"label", "terms", "pattern", "ignore"}
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    if "ignore" in rule:
        if set(rule) != {"ignore"}:
            raise fail("an 'ignore' rule has no other keys")
        words = rule["ignore"]
        if isinstance(words, str) or not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise fail("'ignore' must be a list of non-empty strings")
        return {"ignore": [w.strip() for w in words]}
    label = rule.get("label")
    if label not in LABELS:
        raise fail(f"'label' must be one of {', '.join(LABELS)}")
    has_terms, has_pattern = "terms" in rule, "pattern" in rule
    if has_terms == has_pattern:
        raise fail("a rule needs exactly one of 'terms' or 'pattern'")
    if has_terms:
        terms = rule["terms"]
        if isinstance(terms, str) or not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
            raise fail("'terms' must be a list of non-empty strings")
        return {"label": label, "terms": [t.strip() for t in terms]}
    pattern = rule["pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise fail("'pattern' must be a non-empty string (a regular expression)")
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise fail(f"'pattern' is not a valid regular expression ({err})") from None
    if compiled.search(""):
        raise fail("'pattern' matches the empty string")
    return {"label": label, "pattern": pattern}


class PhiDetector:
    """The ``phi`` component. Its model and the user's rules travel with ``nlp.to_disk``."""

    def __init__(self, nlp: Language, name: str = "phi", model: str | None = DEFAULT_MODEL,
                 threshold: float | None = None, use_rules: bool = True) -> None:
        register_extensions()
        self.name = name
        self.model_name = model
        self.threshold = _check_threshold(threshold)
        self.use_rules = use_rules
        self.user_rules: list[dict[str, Any]] = []
        self._given = {"model": model, "threshold": threshold, "use_rules": use_rules}  # a load-time override wins
        self.model: PhiModel | None = _load_model(model) if model else None
        self._build()

    # -- user rules ---------------------------------------------------------------------------------
    def add_rules(self, rules: Iterable[dict[str, Any]]) -> None:
        """Add user rules: ``{"label", "terms"}``, ``{"label", "pattern"}`` or ``{"ignore": [...]}``.

        Example:
            >>> nlp.get_pipe("phi").add_rules([{"label": "NAME", "terms": ["Kay"]}])  # doctest: +SKIP
        """
        rules = rule_list(rules, f"{self.name}.add_rules")
        checked = [validate_user_rule(r, "<add_rules>", i) for i, r in enumerate(rules, 1)]  # all, before adding any
        set_user_rules(self, self.user_rules + checked)

    def add_from_file(self, path: str | Path) -> None:
        """Add the rules of a JSONL file (see :func:`read_user_rules`)."""
        self.add_rules(read_user_rules(path))

    def _build(self) -> None:
        self._user_patterns: list[tuple[re.Pattern[str], str]] = []
        self._ignore: set[str] = set()
        for rule in self.user_rules:
            if "ignore" in rule:
                self._ignore.update(w.lower() for w in rule["ignore"])
            elif "terms" in rule:
                alternatives = "|".join(re.escape(t) for t in sorted(rule["terms"], key=len, reverse=True))
                self._user_patterns.append((re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), rule["label"]))
            else:
                self._user_patterns.append((re.compile(rule["pattern"]), rule["label"]))

    def load_lexicons(self) -> None:
        """Load now the word list later documents would (the world's towns and countries): batch jobs call this
        before forking workers, so that they share one copy instead of each reading it."""
        world_places()

    # -- annotation ---------------------------------------------------------------------------------
    def find(self, text: str) -> list[dict[str, Any]]:
        """PHI spans of a text (the component's work, without a Doc)."""
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str], terms: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[list[dict[str, Any]]]:
        """:meth:`find` of each text; the model scores them as one batch. ``terms``: per text, the character
        ranges of coded entities (see :func:`combine`). Texts with non-ASCII letters are read folded to ASCII
        (:mod:`phi_text`), and their spans mapped back: a word is never cut."""
        folded = [FoldedText(text) for text in texts]
        model = self.model.predict_many([f.text for f in folded], self.threshold) if self.model is not None else [[] for _ in texts]
        terms = terms or [()] * len(texts)
        return [self._finish(f, spans, ranges) for f, spans, ranges in zip(folded, model, terms)]

    def _finish(self, folded: FoldedText, model_spans: list[Any], terms: Sequence[tuple[int, int]] = ()) -> list[dict[str, Any]]:
        text = folded.source
        user_spans = [(m.start(), m.end(), label) for pattern, label in self._user_patterns for m in pattern.finditer(text)]
        if folded.identity:
            spans = combine(text, rule_spans(text) if self.use_rules else [], model_spans, user_spans, self._ignore, terms)
        else:  # the rules and the model read the folded text; the user's rules and ignore list the text as written
            spans = combine(folded.text, rule_spans(folded.text) if self.use_rules else [], model_spans,
                            [(*folded.to_folded(s, e), label) for s, e, label in user_spans], self._ignore,
                            [folded.to_folded(s, e) for s, e in terms], source=folded)
            spans = whole_words(text, spans_to_source(folded, spans))
        return [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label in spans]

    def __call__(self, doc: Doc) -> Doc:
        doc._.phi = self.find_many([doc_text(doc)], [_coded_terms(doc)])[0]
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        """Annotate docs a batch at a time (the model scores each batch at once)."""
        for batch in minibatch(stream, size=max(1, batch_size)):
            for doc, phi in zip(batch, self.find_many([doc_text(doc) for doc in batch], [_coded_terms(doc) for doc in batch])):
                doc._.phi = phi
                yield doc

    # -- serialization ------------------------------------------------------------------------------
    def _cfg(self) -> dict[str, Any]:
        return {"model": self.model_name, "threshold": self.threshold, "use_rules": self.use_rules}

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        model = self.model.to_dict() if self.model is not None else None
        return srsly.msgpack_dumps({"cfg": self._cfg(), "user_rules": self.user_rules, "model": model})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> PhiDetector:
        msg = srsly.msgpack_loads(data)
        self._set_cfg(msg["cfg"])
        self.model = PhiModel.from_dict(msg["model"]) if msg["model"] is not None else None
        self.user_rules = [validate_user_rule(r) for r in msg["user_rules"]]
        self._build()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())
        srsly.write_jsonl(path / "rules.jsonl", self.user_rules)
        if self.model is not None:
            self.model.save(path / "model")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> PhiDetector:
        path = Path(path)
        keep = overridden(self._given, saved_config_block(path))  # settings given to spacy.load(path, config=...)
        self._set_cfg({k: v for k, v in srsly.read_json(path / "cfg.json").items() if k not in keep})
        if "model" not in keep:
            self.model = PhiModel.load(path / "model") if (path / "model").is_dir() else None
        self.user_rules = read_user_rules(path / "rules.jsonl") if (path / "rules.jsonl").exists() else []
        self._build()
        return self

    def _set_cfg(self, cfg: dict[str, Any]) -> None:
        """The saved settings that ``cfg`` holds (the others keep their value)."""
        if "model" in cfg:
            self.model_name = cfg["model"]
        if "threshold" in cfg:
            self.threshold = cfg["threshold"]
        if "use_rules" in cfg:
            self.use_rules = cfg["use_rules"]


def combine(text: str, rules: Iterable[Any], model: Iterable[Any], user: Iterable[tuple[int, int, str]] = (),
            ignore: set[str] | frozenset[str] = frozenset(), terms: Sequence[tuple[int, int]] = (),
            source: FoldedText | None = None) -> list[tuple[int, int, str]]:
    """Rule spans, model spans (with scores) and user spans -> final non-overlapping spans in order.
    ``terms``: character ranges of vocabulary terms (coded entities); a model span inside one is no PHI
    (the ``Parkinson`` of ``Parkinson disease``). ``source``: when ``text`` is a folded text, its
    :class:`FoldedText` (the ``ignore`` words are compared with the text as written). No span starts or ends
    inside a word (:func:`~medtext.pipeline.phi_text.whole_words`). Last, document-level consistency: the
    other mentions of the words of the note's names and places are PHI of the same label
    (:func:`~medtext.pipeline.phi_post.consistent_mentions`)."""
    in_term = inside_any(terms)
    model = [s for s in model if not in_term(s.start, s.end)] if terms else list(model)
    spans = [(s.start, s.end, s.label, _PRIORITY["rule"]) for s in rules]
    spans += [(s.start, s.end, s.label, _PRIORITY["model"]) for s in model]
    spans += [(s, e, label, _PRIORITY["model"]) for s, e, label in propagate(text, [(s.start, s.end, s.label, s.score) for s in model])
              if not in_term(s, e)]
    words = cue_words(text)
    cues = cue_names(text, words) + cue_locations(text, words)
    spans += [(s, e, label, _PRIORITY["rule"]) for s, e, label in cues]
    spans += [(s, e, label, _PRIORITY["user"]) for s, e, label in user if e > s]
    # detections sure enough to mark their other mentions whatever their words (see consistent_mentions)
    sure = [(s, e) for s, e, _ in cues] + [(s, e) for s, e, _ in user if e > s] + \
        [(s.start, s.end) for s in model if s.score >= PROPAGATE_MIN_SCORE]
    def as_written(start: int, end: int) -> str:
        return text[start:end] if source is None else source.written(start, end)

    if ignore:
        spans = [s for s in spans if s[3] == _PRIORITY["user"] or as_written(s[0], s[1]).lower() not in ignore]
    spans = [s for s in spans if s[3] != _PRIORITY["model"] or not no_phi(text, s[0], s[1], s[2])]
    merged = merge_spans(spans)
    grown = trim_edges(text, extend_addresses(text, extend_places(text, extend_institutions(text, extend_names(text, absorb_initials(text, merged))))))
    final = whole_words(text, merge_spans((s, e, label, 0) for s, e, label in grown))
    # document-level consistency: the other mentions of a detected name or place are PHI too
    others = [(s, e, label) for s, e, label in consistent_mentions(text, final, sure, None if source is None else source.written)
              if not _covered(s, e, final) and not in_term(s, e) and not no_phi(text, s, e, label)
              and as_written(s, e).lower() not in ignore]
    if not others:
        return final
    return whole_words(text, merge_spans([(s, e, label, 1) for s, e, label in final] + [(s, e, label, 0) for s, e, label in others]))


def _coded_terms(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the doc's DISEASE / CHEMICAL entities that carry vocabulary codes."""
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DISEASE", "CHEMICAL") and e._.codes]


def _covered(start: int, end: int, spans: Sequence[tuple[int, int, str]]) -> bool:
    """``[start, end)`` lies inside one of the (sorted) ``spans``."""
    i = bisect_right(spans, (start, float("inf"), "")) - 1  # the last span starting at or before ``start``
    return i >= 0 and spans[i][1] >= end


def inside_any(ranges: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Predicate ``(start, end)`` -> whether ``[start, end)`` lies inside one of ``ranges`` (any order,
    overlaps allowed), by binary search (:class:`~medtext.pipeline.range_index.RangeIndex`).

    Example:
        >>> inside = inside_any([(10, 20), (0, 5)])
        >>> inside(11, 19), inside(4, 11), inside(0, 5)
        (True, False, True)
    """
    return RangeIndex(ranges).contains


def _check_threshold(value: Any) -> float | None:
    """The ``threshold`` setting: None, or a probability from 0 to 1 (E175 otherwise).

    Example:
        >>> _check_threshold(0.3), _check_threshold(None)
        (0.3, None)
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise MedtextError(Errors.E175.format(value=repr(value)))
    return float(value)


def _load_model(name_or_path: str) -> PhiModel:
    from medtext.models import find_model

    try:
        folder = find_model(name_or_path)
    except ModelError as err:
        raise ModelError(Errors.E111.format(name=name_or_path, detail=str(err))) from None
    return PhiModel.load(folder)


@Language.factory(
    "medtext_phi",
    default_config={"model": DEFAULT_MODEL, "threshold": None, "use_rules": True},
    assigns=["doc._.phi"],
)
def make_phi(nlp: Language, name: str, model: str | None, threshold: float | None, use_rules: bool) -> PhiDetector:
    """Factory for ``nlp.add_pipe("medtext_phi", name="phi")``."""
    return PhiDetector(nlp, name=name, model=model, threshold=threshold, use_rules=use_rules)


__all__ = ["LABELS", "PhiDetector", "combine", "make_phi", "merge_spans", "read_user_rules"]
