"""The entities of one document while the ``concepts`` component works on them.

:class:`ConceptDraft` holds what the steps of :class:`~medtext.pipeline.concepts.ConceptMatcher`
pass on to each other: the entities already there (``ents``), the new ones (``new``), the codes
and source of each (``info``), the tokens taken, the user's entities (kept as they are), and it does
the steps that need no lexicon: placing lexicon matches among the entities (:meth:`place`),
labelling the uses of short forms (:meth:`add_short_form_uses`) and writing the result to the
document (:meth:`write`).

Example:
    >>> import spacy
    >>> from medtext.pipeline.extensions import register_extensions
    >>> register_extensions()
    >>> doc = spacy.blank("en")("Late stent thrombosis .")
    >>> draft = ConceptDraft(doc, [], {})
    >>> draft.mark_taken()
    >>> draft.place([(1, 3, "DISEASE", (), "user")], prefer_longer_terms=True)
    >>> draft.write(None)
    >>> [(e.text, e.label_, e._.source) for e in doc.ents]
    [('stent thrombosis', 'DISEASE', 'lexicon')]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc, Span

from medtext.pipeline.concept_rules import merge_codes, no_entity
from medtext.pipeline.coordination import extend_coordinations
from medtext.pipeline.extensions import span_data_key, stored_on_doc
from medtext.pipeline.lexicon import Code

# a lexicon match, or a new entity: (start, end, label, codes, source)
Candidate = tuple[int, int, str, tuple[Code, ...], str]
# (start, end, label) -> (codes, source) of an entity
Info = dict[tuple[int, int, str], tuple[list[Code], str]]


class ConceptDraft:
    """The working state of one document in the ``concepts`` component (see the module docstring)."""

    __slots__ = ("doc", "ents", "info", "short_to_long", "user_at", "blocked", "taken", "new")

    def __init__(self, doc: Doc, ents: list[Span], short_to_long: dict[str, str]) -> None:
        self.doc = doc
        self.ents = ents  # the entities already there that stay (the model's, a user's)
        self.info: Info = {}
        self.short_to_long = short_to_long  # lower-cased short form -> key of its long form
        self.user_at: set[tuple[int, int]] = set()  # (start, end) of the user's entities: kept as they are
        self.blocked: set[int] = set()  # tokens of the model's entities that are phrases of notes naming nothing
        self.taken: list[bool] = []
        self.new: list[Candidate] = []

    def mark_taken(self) -> None:
        """Mark the tokens of ``ents`` as taken (call once ``ents`` is final for step 1)."""
        taken = self.taken = [False] * len(self.doc)
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                taken[i] = True

    def place(self, candidates: list[Candidate], prefer_longer_terms: bool) -> None:
        """Add the lexicon matches that overlap no entity to ``new``, in order; with ``prefer_longer_terms``,
        a lexicon term also replaces the entities it strictly contains (not a user's entity)."""
        ents, taken, user_at, new = self.ents, self.taken, self.user_at, self.new
        owner = [-1] * len(self.doc)  # index into ents, -1 free, -2 a new entity
        for n, ent in enumerate(ents):
            for i in range(ent.start, ent.end):
                owner[i] = n
        dropped: set[int] = set()
        for start, end, label, codes, source in candidates:
            inside = {owner[i] for i in range(start, end) if owner[i] != -1}
            kept_source = source if source in ("model", "both") else "lexicon"
            if inside:
                # a longer lexicon term wins over entities it contains ("chronic renal failure"
                # over "renal failure"): on BC5CDR dev it is right about twice as often
                if not prefer_longer_terms or -2 in inside or kept_source != "lexicon":
                    continue
                if any((ents[n].start, ents[n].end) in user_at for n in inside):
                    continue  # a user's entity stays
                if any(ents[n].start < start or ents[n].end > end for n in inside):
                    continue
                if any(ents[n].start == start and ents[n].end == end for n in inside):
                    continue
                dropped |= inside
                kept_source = "both"
            for i in range(start, end):
                taken[i] = True
                owner[i] = -2
            new.append((start, end, label, codes, kept_source))
        if dropped:
            self.ents = [ent for n, ent in enumerate(ents) if n not in dropped]

    def add_short_form_uses(self, labels: dict[str, tuple[str, list[Code], bool]]) -> None:
        """Label each use of a short form in ``doc._.abbreviations`` like its long form (``labels``, from
        :func:`~medtext.pipeline.concept_short_forms.short_form_labels`): a new entity where no token is
        taken, or the model's entity on it relabelled when its whole long form is an entity."""
        doc, ents, info, taken, user_at = self.doc, self.ents, self.info, self.taken, self.user_at
        at = {(e.start, e.end): n for n, e in enumerate(ents)}
        for abbr in doc._.abbreviations or []:
            found = labels.get(str(abbr.get("short", "")).lower())
            span = doc.char_span(abbr.get("start", -1), abbr.get("end", -1)) if found else None
            if span is None:
                continue
            label, codes, exact = found
            n = at.get((span.start, span.end))
            if n is not None and exact and ents[n].label_ != label and (span.start, span.end) not in user_at:
                # the model labelled "CP" a DISEASE, its long form "cyclophosphamide" is a CHEMICAL
                source = info[(span.start, span.end, ents[n].label_)][1]
                ents[n] = Span(doc, span.start, span.end, label=label)
                info[(span.start, span.end, label)] = (list(codes), source)
                continue
            if any(taken[span.start : span.end]):
                continue
            for i in range(span.start, span.end):
                taken[i] = True
            self.new.append((span.start, span.end, label, tuple(codes), "lexicon"))

    def write(self, term_codes: Callable[[list[str], str], Any] | None) -> None:
        """Set ``doc.ents`` (``ents`` and ``new``, without what is never an entity) and each entity's
        ``codes`` and ``source``; with ``term_codes`` (a lookup of known terms), first extend entities over
        coordinated conjuncts (``breast and ovarian cancer``)."""
        doc, info, user_at = self.doc, self.info, self.user_at
        if not self.new and not self.ents and not doc.ents:
            return
        spans = [
            sp for sp in list(self.ents) + [Span(doc, s, e, label=label) for s, e, label, _, _ in self.new]
            if (sp.start, sp.end) in user_at or not no_entity(sp)
        ]
        for s, e, label, codes, source in self.new:
            info[(s, e, label)] = (list(codes), source)
        spans.sort(key=lambda sp: sp.start)
        if term_codes is not None:
            merged = []
            for old, (ent, codes) in zip(spans, extend_coordinations(doc, spans, term_codes)):
                if (old.start, old.end) in user_at:
                    ent = old  # a user's entity keeps its bounds
                elif ent is not old:  # a coordination has the codes of each of its terms
                    own, source = info.get((old.start, old.end, old.label_), ([], "model"))
                    info[(ent.start, ent.end, ent.label_)] = (merge_codes(own, codes), source)
                merged.append(ent)
            spans = merged
        doc.ents = spans
        stored = stored_on_doc("codes") and stored_on_doc("source")
        user_data = doc.user_data
        for ent in doc.ents:
            codes, source = info.get((ent.start, ent.end, ent.label_), ([], "model"))
            if stored:  # what ``ent._.codes = ...`` does, without an Underscore object per attribute
                user_data[span_data_key("codes", ent.start_char, ent.end_char)] = [dict(c) for c in codes]
                user_data[span_data_key("source", ent.start_char, ent.end_char)] = source
            else:
                ent._.codes = [dict(c) for c in codes]
                ent._.source = source
