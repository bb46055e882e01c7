"""Concept matching with codes (component ``concepts``, factory ``medtext_concepts``).

Runs after ``ner`` (and ``abbreviations``). It

* gives each entity of the statistical NER its codes (``span._.codes``: MeSH, OMIM,
  ICD-10-CM, DrugBank) by looking its text up in the lexicon (exact, then loose, then
  its longest known tail, then a local definition ``long form (SF)`` or an entity of
  the same text), and sets ``span._.source`` to ``"both"`` when the lexicon knows the
  entity with the same label, ``"model"`` otherwise;
* adds lexicon matches as entities (``source == "lexicon"``) where they overlap no
  other entity: a user's terms always; the shipped lexicon according to
  ``lexicon_entities``: ``"always"`` (the default: every key not flagged low-precision;
  on the dev sets this adds 2-3 F1 points beside the NER, see
  benchmarks/entities/RESULTS.md), ``"without_model"`` (only on documents no statistical
  NER has annotated), ``"trusted"`` (beside the NER, only keys that matched gold
  mentions >= 80 % of the time in the training text) or ``"never"``;
* with ``prefer_longer_terms``, lets a lexicon term replace the entities it strictly
  contains (``chronic renal failure`` over the NER's ``renal failure``; source ``both``);
* with ``relabel``, gives an entity the label a user's term or a high-precision lexicon
  key has for exactly its text (the NER said DISEASE, the lexicon knows a CHEMICAL);
* with ``propagate_short_forms`` (on), labels every use of a short form defined right
  after an entity (``nitroglycerin (NTG)``) like that entity, with its ``source``, also
  where the ``abbreviations`` component found no definition (dev F1 NCBI-disease 0.8390 ->
  0.8404, BC5CDR 0.8712 -> 0.8719);
* with ``propagate_entities`` (off by default: NCBI-disease dev +0.001, BC5CDR -0.002),
  labels other mentions of an entity's exact text in the same document (not short
  upper-case texts, which are often gene names);
* with ``merge_coordinations``, extends an entity over the conjuncts that share its head
  when each conjunct with the head is a known term: ``breast and ovarian cancer`` is one
  mention, as BC5CDR and NCBI-disease annotate it (``medtext.pipeline.coordination``);
* labels the uses of a short form (``doc._.abbreviations``) like its long form: the entity
  that is the whole long form (it also corrects the model's label of the short form:
  ``cyclophosphamide (CP)``), else the entity that ends it (``ribavirin-induced hemolytic
  anemia (RIHA)`` -> DISEASE).
* with ``drop_undefined_short_forms``, removes the entities on a short form whose long
  form in this document holds no entity (``heteroduplex (HD)``, ``alkaptonuria gene
  (AKU)``): dev F1 NCBI-disease 0.837 -> 0.839, BC5CDR 0.868 -> 0.871; and those on a short form
  that abbreviates a gene's name (``von Hippel-Lindau tumor suppressor gene (VHL)``,
  :func:`gene_short_forms`; dropped before short forms take labels, so ``wild-type VHL (wt-VHL)``
  goes too): NCBI-disease dev 0.8404 -> 0.8472 (one document), no change on either training set
  or on BC5CDR dev.
* with ``drop_plain_word_chemicals`` (on), drops the model's one-word CHEMICALs that no vocabulary
  knows and that are everyday words of clinical notes (``tourniquet``, ``plane``, ``guide``: 333 of the
  1,607 model-only entities of 400 MTSamples notes, about 6 % of them real: ``polyethylene``,
  ``titanium``, ``iodine``); BC5CDR dev 0.8676 -> 0.8681 (an entity the lexicon knows as a DISEASE
  takes over: ``paranoia``), its training set unchanged;
* with ``drop_unlike_diseases`` (on), drops the model's DISEASEs that no vocabulary codes and whose head
  word (:func:`concept_rules.disease_head`) heads no DISEASE term of the lexicon and has no disease
  ending (``trachea``, ``sterile drapes``, ``penile prosthesis``, ``urinalysis`` in notes; acronyms,
  names with digits and -ing symptoms such as ``cramping`` stay): dev F1 BC5CDR 0.8681 -> 0.8717,
  NCBI-disease 0.8557 -> 0.8620; training sets 0.9788 -> 0.9799 and 0.9693 -> 0.9700 (no recall lost);
* with ``fix_entity_bounds`` (on), leaves a leading assertion trigger or function word out of the model's
  entity (``Denies shortness of breath`` -> ``shortness of breath``, ``Negative for``, ``Without``, ``NO`` before
  upper-case words), so the ``assertion`` component sees it, unless the lexicon knows the whole text; and
  extends an entity over the number that completes it (``Diabetes mellitus type`` + ``2``). On 1,539 notes
  (benchmarks/work/notes-half.jsonl) 21 entities lose a leading trigger and one more is kept (``Denies SOB``), all
  of them then negated (``Denies CP`` -> ``CP``);
  BC5CDR dev F1 0.8717 unchanged (one entity differs), NegEx unchanged;
* with ``clinical_notes`` (on), applies the rules of clinical notes (:mod:`note_entity_rules`): a short form the
  document does not define that notes use for a disease (``HTN``, ``CAD``, ``MI``, ``DVT``, ``PE`` beside ``DVT``,
  ``CVA`` unless ``tenderness`` follows, ``SOB``, ``A-Fib``, ``ETOH``; ``medtext/resources/clinical_short_forms.tsv``)
  is an entity with its long form's codes; section headers (``ALLERGIES:``, ``PSYCHIATRIC:``, the NER's uncoded
  ``FHX:``), an upper-case ``NO`` before a word or a disease, exam phrases, anatomy and device words the NER alone
  found (``acute distress``, ``Vicryl sutures``, ``ER``) and the lexicon's ``wound`` and ``bipolar`` (cautery) are
  not (``medtext/resources/clinical_non_entities.tsv``). On 40 hand-judged MTSamples notes (565 entities read):
  37 of 50 false entities gone, the 15 missed short forms found, no new error; BC5CDR and NCBI-disease dev
  unchanged (F1 0.8717 and 0.8620);
* leaves a user's entities as they are (an EntityRuler's or SpanRuler's, or entities set by hand:
  any entity the statistical NER did not find, see :func:`ner_decoder.model_entities`): their label
  stays, no filter or longer term drops them, and they get codes only when the lexicon knows their
  exact text; their ``source`` is the name of the ruler that found them, else ``"user"``;
* never labels ``death`` in ``cell death`` a DISEASE (a process; NCBI-disease dev 0.8472 -> 0.8493,
  BC5CDR dev -1 FP; training sets -5 FP, -1 TP), nor a personal title (``Dr.``, ``Dr. X``) anything.

The shipped lexicon (``medtext/resources/lexicons/lexicon.tsv``) is compiled by
``scripts/build_lexicons.py``; users add TSV/JSONL lexicons with :meth:`add_from_file`
or terms with :meth:`add_terms`, and those travel with ``nlp.to_disk``.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> nlp.get_pipe("concepts").add_terms([{"term": "stent thrombosis", "label": "DISEASE", "codes": []}])
    >>> [(e.text, e.label_, e._.source) for e in nlp("Late stent thrombosis.").ents]
    [('stent thrombosis', 'DISEASE', 'lexicon')]
"""

from __future__ import annotations

import warnings
from typing import Any

from spacy.language import Language
from spacy.pipeline import EntityRuler, SpanRuler
from spacy.tokens import Doc, Span

from medtext.errors import Errors, RuleError
from medtext.pipeline.concept_bounds import _ROMAN, LEADING_TRIGGERS, after_label, leading_trigger, without_spaces
from medtext.pipeline.concept_lexicons import ConceptLexicons
from medtext.pipeline.concept_note_matches import ClinicalNoteMatches, _positions
from medtext.pipeline.concept_rules import (
    defined_short_form,
    disease_heads,
    gene_short_forms,
    merge_codes,
    no_entity,
    plain_word_chemical,
    unlike_disease,
)
from medtext.pipeline.concept_settings import ConceptSettings
from medtext.pipeline.concept_short_forms import drop_short_forms, share_codes, short_form_labels, undefined_short_forms
from medtext.pipeline.coordination import extend_coordinations
from medtext.pipeline.extensions import doc_text, register_extensions, span_data_key, stored_on_doc
from medtext.pipeline.lexicon import Code, Lexicon, make_key, shipped_lexicon, token_columns
from medtext.pipeline.ner_decoder import model_entities, use_fast_ner
from medtext.pipeline.note_entity_rules import clinical_non_entity, header_not_entity, nitric_oxide_no

__all__ = [
    "LEADING_TRIGGERS", "LEXICON_ENTITY_MODES", "OUR_SOURCES", "ConceptMatcher", "after_label", "leading_trigger",
    "make_concepts", "shipped_lexicon", "without_spaces",
]

LEXICON_ENTITY_MODES = ("trusted", "without_model", "always", "never")
# sources of the entities this component gave them on an earlier run over the same doc: its own
OUR_SOURCES = ("both", "lexicon")


class ConceptMatcher(ConceptLexicons, ClinicalNoteMatches, ConceptSettings):
    """The ``concepts`` component: codes for entities, lexicon entities, user lexicons."""

    def __init__(
        self,
        nlp: Language,
        name: str = "concepts",
        use_shipped_lexicon: bool = True,
        lexicon_entities: str = "always",
        propagate_abbreviations: bool = True,
        propagate_entities: bool = False,
        relabel: bool = True,
        prefer_longer_terms: bool = True,
        merge_coordinations: bool = True,
        drop_undefined_short_forms: bool = True,
        propagate_short_forms: bool = True,
        drop_plain_word_chemicals: bool = True,
        drop_unlike_diseases: bool = True,
        fix_entity_bounds: bool = True,
        clinical_notes: bool = True,
    ) -> None:
        register_extensions()
        if lexicon_entities not in LEXICON_ENTITY_MODES:
            raise RuleError(Errors.E087.format(value=lexicon_entities, choices=", ".join(LEXICON_ENTITY_MODES)))
        self.name = name
        self.use_shipped_lexicon = use_shipped_lexicon
        self.lexicon_entities = lexicon_entities
        self.propagate_abbreviations = propagate_abbreviations
        self.propagate_entities = propagate_entities
        self.relabel = relabel
        self.prefer_longer_terms = prefer_longer_terms
        self.merge_coordinations = merge_coordinations
        self.drop_undefined_short_forms = drop_undefined_short_forms
        self.propagate_short_forms = propagate_short_forms
        self.drop_plain_word_chemicals = drop_plain_word_chemicals
        self.drop_unlike_diseases = drop_unlike_diseases
        self.fix_entity_bounds = fix_entity_bounds
        self.clinical_notes = clinical_notes
        self.tokenizer: Any = nlp.tokenizer
        # The entities our NER found are listed in doc.user_data by FastEntityRecognizer; any other entity
        # is a user's and stays as it is. A spaCy NER before this component is given that decoder.
        self._nlp: Language | None = nlp
        use_fast_ner(nlp)
        self.user_terms: list[dict[str, Any]] = []
        self.user = Lexicon()

    # --- annotation -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        model_ran = doc.has_annotation("ENT_IOB")
        ents = list(doc.ents)
        info: dict[tuple[int, int, str], tuple[list[Code], str]] = {}
        short_to_long = self._short_forms(doc)

        # 1. codes for entities already there (statistical NER or another component)
        unknown: set[int] = set()  # the model's everyday-word chemicals and non-disease diseases, dropped
        heads = disease_heads() if self.drop_unlike_diseases else frozenset()
        user_at: set[tuple[int, int]] = set()  # (start, end) of the user's entities: kept as they are
        rulers = self._ruler_entities(doc) if ents else {}
        ours = model_entities(doc)
        disease_starts = {e.start for e in ents if e.label_ == "DISEASE"} if self.clinical_notes else set()
        blocked: set[int] = set()  # tokens of the model's entities that are phrases of notes naming nothing
        for n, ent in enumerate(ents):
            codes = list(ent._.codes or [])
            key = make_key(t.lower_ for t in ent)
            exact_key = " ".join(t.text for t in ent if t.text.strip())
            slot = (ent.start, ent.end, ent.label_)
            if slot in rulers or (slot not in ours and ent._.source not in OUR_SOURCES):
                # not our NER's: a user's EntityRuler / SpanRuler found it, or it was set by hand
                source = ent._.source or rulers.get((ent.start, ent.end, ent.label_), "user")
                found = self.lookup(key, ent.label_, exact_key=exact_key) or self._text_entry(key, exact_key)
                if found is not None:
                    codes = merge_codes(codes, found[1])
                info[(ent.start, ent.end, ent.label_)] = (codes, source)
                user_at.add((ent.start, ent.end))
                continue
            if ent[0].is_space or ent[-1].is_space:  # the model may end an entity on a line break: "dopa/IVF \n"
                ent = ents[n] = without_spaces(ent)
                key = make_key(t.lower_ for t in ent)
            if self.fix_entity_bounds:
                fixed = self._fixed_bounds(doc, ent, key, exact_key)
                if fixed is not ent:
                    ent = ents[n] = fixed
                    key = make_key(t.lower_ for t in ent)
                    exact_key = " ".join(t.text for t in ent if t.text.strip())
            found = self.lookup(key, ent.label_, exact_key=exact_key)
            if found is None and key in short_to_long:
                found = self.lookup(short_to_long[key], ent.label_)
            if (found is None or not found[1]) and self.clinical_notes and key not in short_to_long:
                clinical = self._clinical_short_form(doc, ent.start, ent.end)
                if clinical is not None and (found is None or clinical[1]):  # "HTN": the codes of hypertension
                    if clinical[0] != ent.label_:
                        ent = ents[n] = Span(doc, ent.start, ent.end, label=clinical[0])
                    found = clinical
            if self.clinical_notes and nitric_oxide_no(ent, disease_starts):
                unknown.add(n)
                continue
            if found is None and self.relabel:
                other = self._trusted_label(key, exact_key)
                if other is not None and other[0] != ent.label_:
                    ent = ents[n] = Span(doc, ent.start, ent.end, label=other[0])
                    found = other
            source = ent._.source or "model"
            if found is not None:
                codes = merge_codes(codes, found[1])
                source = "both" if source == "model" else source
            elif self.drop_plain_word_chemicals and plain_word_chemical(ent, source):
                unknown.add(n)
                continue
            elif not codes:
                codes = list(self._head_codes(ent))
            if self.drop_unlike_diseases and unlike_disease(ent, source, codes, heads):
                unknown.add(n)
                continue
            if self.clinical_notes and header_not_entity(doc, ent, source, codes):
                unknown.add(n)
                continue
            if self.clinical_notes and clinical_non_entity(ent, source, codes):
                unknown.add(n)
                blocked.update(range(ent.start, ent.end))  # nor a lexicon term inside: "bipolar coagulation"
                continue
            info[(ent.start, ent.end, ent.label_)] = (codes, source)
        if unknown:
            ents = [ent for n, ent in enumerate(ents) if n not in unknown]
        taken = [False] * len(doc)
        for ent in ents:
            for i in range(ent.start, ent.end):
                taken[i] = True
        if ents:
            share_codes(doc, ents, info)

        # 2. lexicon matches as entities where nothing else is
        new: list[tuple[int, int, str, tuple[Code, ...], str]] = []
        columns = token_columns(doc)  # read once for every lexicon below
        candidates = list(self.user.match_doc(doc, columns=columns)) if len(self.user) else []
        if (self.propagate_entities or self.propagate_short_forms) and ents:
            # the short form defined right after an entity: "nitroglycerin (NTG)" -> every "NTG";
            # with propagate_entities, other mentions of an entity's exact text too
            local = Lexicon()
            for ent in ents:
                if ent._.source == "lexicon":
                    continue
                codes, source = info[(ent.start, ent.end, ent.label_)]
                if self.propagate_entities and len(ent.text) >= 3 and not (ent.text.isupper() and len(ent.text) <= 5):
                    local.add_key(" ".join(t.text for t in ent if not t.is_space), ent.label_, codes, source, case_sensitive=True)
                short = defined_short_form(doc, ent) if self.propagate_short_forms else None
                if short is not None:
                    local.add_key(short, ent.label_, codes, source, case_sensitive=True)
            candidates += local.match_doc(doc, columns=columns)
        mode = self.lexicon_entities
        if self.shipped is not None and mode != "never":
            if mode == "always" or not model_ran:
                candidates += self.shipped.match_doc(doc, columns=columns)
            elif mode == "trusted":
                candidates += self.shipped.match_doc(doc, only_high_precision=True, columns=columns)
        if self.clinical_notes and len(doc):
            short_firsts, lower_firsts = self._first_word_ids(doc)
            lowers, orths = columns
            candidates = [
                c for c in candidates
                if not (blocked and not blocked.isdisjoint(range(c[0], c[1])))
                and not (lowers[c[0]] in lower_firsts and self._note_non_entity(doc, c))
            ]
            clinical = self._clinical_matches(doc, short_to_long, _positions(orths, short_firsts))
            if clinical:
                # the lexicon's uncoded entry of a short form ("GERD") gives way to its long form's codes
                coded = {(c[0], c[1]): c for c in clinical if c[3]}
                candidates = [coded.get((c[0], c[1]), c) if not c[3] else c for c in candidates] + clinical
        owner = [-1] * len(doc)  # index into ents, -1 free, -2 a new entity
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
                if not self.prefer_longer_terms or -2 in inside or kept_source != "lexicon":
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
            ents = [ent for n, ent in enumerate(ents) if n not in dropped]

        # 3. uses of a short form: labelled like its long form (or its definition)
        if self.drop_undefined_short_forms:  # gene symbols first: "wild-type VHL (wt-VHL)" is no disease either
            genes = undefined_short_forms(doc, ents, new, gene_short_forms(doc_text(doc)))
            ents, new = drop_short_forms(self.user, doc, ents, new, genes, taken, user_at)
        if self.propagate_abbreviations and short_to_long:
            labels = short_form_labels(doc, ents, new, info, short_to_long)
            if self.drop_undefined_short_forms:
                undefined = undefined_short_forms(doc, ents, new, set(short_to_long) - set(labels))
                ents, new = drop_short_forms(self.user, doc, ents, new, undefined, taken, user_at)
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
                new.append((span.start, span.end, label, tuple(codes), "lexicon"))

        if not new and not ents and not doc.ents:
            return doc
        spans = [
            sp for sp in list(ents) + [Span(doc, s, e, label=label) for s, e, label, _, _ in new]
            if (sp.start, sp.end) in user_at or not no_entity(sp)
        ]
        for s, e, label, codes, source in new:
            info[(s, e, label)] = (list(codes), source)
        spans.sort(key=lambda sp: sp.start)
        if self.merge_coordinations:
            merged = []
            for old, (ent, codes) in zip(spans, extend_coordinations(doc, spans, self._term_codes)):
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
        return doc

    def _fixed_bounds(self, doc: Doc, ent: Span, key: str, exact_key: str) -> Span:
        """The model's entity without a leading label or assertion trigger (``Cardiovascular: Denies fever`` ->
        ``fever``, so that the assertion component sees the trigger), or extended over the number that completes it: a known term,
        or one ending in ``type`` (``Diabetes mellitus type`` + ``2``); ``ent`` itself when neither applies or
        the lexicon knows it as it is (looked up only then: this runs for every entity)."""
        start = after_label(doc, ent.start, ent.end)
        while cut := leading_trigger(doc, start, ent.end):
            start += cut
        end = ent.end
        if start == ent.start and not (end < len(doc) and doc[end].ent_iob_ in ("O", "")
                                       and (doc[end].like_num or doc[end].text in _ROMAN)):
            return ent
        if self.lookup(key, ent.label_, exact_key=exact_key) is not None:
            return ent
        if start != ent.start:
            return Span(doc, start, ent.end, label=ent.label_)
        words = [t.text for t in doc[ent.start : end + 1] if t.text.strip()]
        longer = make_key(w.lower() for w in words)
        if doc[end - 1].lower_ == "type" or self.lookup(longer, ent.label_, exact_key=" ".join(words)) is not None:
            return Span(doc, ent.start, end + 1, label=ent.label_)
        return ent

    def _ruler_entities(self, doc: Doc) -> dict[tuple[int, int, str], str]:
        """(start, end, label) -> name of the EntityRuler / SpanRuler before this component that finds it in ``doc``."""
        out: dict[tuple[int, int, str], str] = {}
        nlp = self._nlp
        if nlp is None:
            return out
        for name, pipe in nlp.pipeline:
            if pipe is self:
                break
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # W036: a ruler without patterns
                if isinstance(pipe, EntityRuler):
                    ids = getattr(pipe, "_ent_ids", {})
                    for match_id, start, end in pipe.match(doc):
                        label = ids[match_id][0] if match_id in ids else doc.vocab.strings[match_id]
                        out.setdefault((start, end, label), name)
                elif isinstance(pipe, SpanRuler) and pipe.annotate_ents:
                    for span in pipe.match(doc):
                        out.setdefault((span.start, span.end, span.label_), name)
        return out


@Language.factory(
    "medtext_concepts",
    default_config={
        "use_shipped_lexicon": True,
        "lexicon_entities": "always",
        "propagate_abbreviations": True,
        "propagate_entities": False,
        "relabel": True,
        "prefer_longer_terms": True,
        "merge_coordinations": True,
        "drop_undefined_short_forms": True,
        "propagate_short_forms": True,
        "drop_plain_word_chemicals": True,
        "drop_unlike_diseases": True,
        "fix_entity_bounds": True,
        "clinical_notes": True,
    },
    assigns=["doc.ents", "span._.codes", "span._.source"],
)
def make_concepts(
    nlp: Language,
    name: str,
    use_shipped_lexicon: bool,
    lexicon_entities: str,
    propagate_abbreviations: bool,
    propagate_entities: bool,
    relabel: bool,
    prefer_longer_terms: bool,
    merge_coordinations: bool,
    drop_undefined_short_forms: bool,
    propagate_short_forms: bool,
    drop_plain_word_chemicals: bool,
    drop_unlike_diseases: bool,
    fix_entity_bounds: bool,
    clinical_notes: bool,
) -> ConceptMatcher:
    """Factory for ``nlp.add_pipe("medtext_concepts", name="concepts")``."""
    return ConceptMatcher(
        nlp,
        name=name,
        use_shipped_lexicon=use_shipped_lexicon,
        lexicon_entities=lexicon_entities,
        propagate_abbreviations=propagate_abbreviations,
        propagate_entities=propagate_entities,
        relabel=relabel,
        prefer_longer_terms=prefer_longer_terms,
        merge_coordinations=merge_coordinations,
        drop_undefined_short_forms=drop_undefined_short_forms,
        propagate_short_forms=propagate_short_forms,
        drop_plain_word_chemicals=drop_plain_word_chemicals,
        drop_unlike_diseases=drop_unlike_diseases,
        fix_entity_bounds=fix_entity_bounds,
        clinical_notes=clinical_notes,
    )
