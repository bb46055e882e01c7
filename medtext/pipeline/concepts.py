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
from medtext.pipeline.concept_bounds import LEADING_TRIGGERS, after_label, leading_trigger, number_after, without_spaces
from medtext.pipeline.concept_draft import Candidate, ConceptDraft
from medtext.pipeline.concept_lexicons import ConceptLexicons
from medtext.pipeline.concept_note_matches import ClinicalNoteMatches
from medtext.pipeline.concept_rules import (
    defined_short_form,
    disease_heads,
    gene_short_forms,
    merge_codes,
    plain_word_chemical,
    unlike_disease,
)
from medtext.pipeline.concept_settings import ConceptSettings
from medtext.pipeline.concept_short_forms import drop_short_forms, share_codes, short_form_labels, undefined_short_forms
from medtext.pipeline.extensions import doc_text, register_extensions
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
        self._given = self._cfg()  # as built (from the config): a setting given at load time wins (see from_disk)
        self.tokenizer: Any = nlp.tokenizer
        # The entities our NER found are listed in doc.user_data by FastEntityRecognizer; any other entity
        # is a user's and stays as it is. A spaCy NER before this component is given that decoder.
        self._nlp: Language | None = nlp
        use_fast_ner(nlp)
        self.user_terms: list[dict[str, Any]] = []
        self.user = Lexicon()

    # --- annotation -----------------------------------------------------------------
    def score(self, examples: Any, **kwargs: Any) -> dict[str, Any]:
        """``ents_p``, ``ents_r``, ``ents_f`` and ``ents_per_type`` of the entities, as spaCy's NER scores them
        (``nlp.evaluate`` calls it; with the NER in the pipeline too, both give the same figures)."""
        from spacy.pipeline.ner import ner_score

        return ner_score(examples, **kwargs)

    def __call__(self, doc: Doc) -> Doc:
        """Codes and sources for the entities there, lexicon entities, short forms, in that order (module docstring)."""
        model_ran = doc.has_annotation("ENT_IOB")
        draft = ConceptDraft(doc, list(doc.ents), self._short_forms(doc))
        # 1. codes for entities already there (statistical NER or another component)
        self._code_entities(draft)
        draft.mark_taken()
        if draft.ents:
            share_codes(doc, draft.ents, draft.info)
        # 2. lexicon matches as entities where nothing else is
        draft.place(self._candidates(draft, model_ran), self.prefer_longer_terms)
        # 3. uses of a short form: labelled like its long form (or its definition)
        self._label_short_forms(draft)
        # 4. doc.ents, extended over coordinations, with their codes and sources
        draft.write(self._term_codes if self.merge_coordinations else None)
        return doc

    def _code_entities(self, draft: ConceptDraft) -> None:
        """Step 1: codes and source for each entity already there (``draft.info``); the model's entities get
        their bounds fixed and may be relabelled, and those that name nothing are dropped."""
        doc, ents, info, user_at = draft.doc, draft.ents, draft.info, draft.user_at
        if not ents:
            return
        unknown: set[int] = set()  # the model's everyday-word chemicals and non-disease diseases, dropped
        heads = disease_heads() if self.drop_unlike_diseases else frozenset()
        rulers = self._ruler_entities(doc)
        ours = model_entities(doc)
        disease_starts = {e.start for e in ents if e.label_ == "DISEASE"} if self.clinical_notes else set()
        for n, ent in enumerate(ents):
            codes = list(ent._.codes or [])
            key = make_key(t.lower_ for t in ent)
            exact_key = " ".join(t.text for t in ent if t.text.strip())
            slot = (ent.start, ent.end, ent.label_)
            if slot in rulers or (slot not in ours and ent._.source not in OUR_SOURCES):
                # not our NER's: a user's EntityRuler / SpanRuler found it, or it was set by hand
                source = ent._.source or rulers.get(slot, "user")
                found = self.lookup(key, ent.label_, exact_key=exact_key) or self._text_entry(key, exact_key)
                if found is not None:
                    codes = merge_codes(codes, found[1])
                info[slot] = (codes, source)
                user_at.add((ent.start, ent.end))
                continue
            coded = self._code_model_entity(draft, ent, codes, key, exact_key, heads, disease_starts)
            if coded is None:
                unknown.add(n)
            else:
                ents[n] = coded
        if unknown:
            draft.ents = [ent for n, ent in enumerate(ents) if n not in unknown]

    def _code_model_entity(
        self, draft: ConceptDraft, ent: Span, codes: list[Code], key: str, exact_key: str,
        heads: frozenset[str], disease_starts: set[int],
    ) -> Span | None:
        """One entity of our NER, with fixed bounds and label (its codes and source go to ``draft.info``), or None
        when it names nothing (an everyday word, no disease, a header, a phrase of notes: then its tokens are
        ``draft.blocked`` for lexicon terms too)."""
        doc = draft.doc
        if ent[0].is_space or ent[-1].is_space:  # the model may end an entity on a line break: "dopa/IVF \n"
            ent = without_spaces(ent)
            key = make_key(t.lower_ for t in ent)
        if self.fix_entity_bounds:
            fixed = self._fixed_bounds(doc, ent, key, exact_key)
            if fixed is not ent:
                ent = fixed
                key = make_key(t.lower_ for t in ent)
                exact_key = " ".join(t.text for t in ent if t.text.strip())
        ent, found = self._model_entry(draft, ent, key, exact_key)
        if self.clinical_notes and nitric_oxide_no(ent, disease_starts):
            return None
        if found is None and self.relabel:
            other = self._trusted_label(key, exact_key)
            if other is not None and other[0] != ent.label_:
                ent = Span(doc, ent.start, ent.end, label=other[0])
                found = other
        source = ent._.source or "model"
        if found is not None:
            codes = merge_codes(codes, found[1])
            source = "both" if source == "model" else source
        elif self.drop_plain_word_chemicals and plain_word_chemical(ent, source):
            return None
        elif not codes:
            codes = list(self._head_codes(ent))
        if self.drop_unlike_diseases and unlike_disease(ent, source, codes, heads):
            return None
        if self.clinical_notes and header_not_entity(doc, ent, source, codes):
            return None
        if self.clinical_notes and clinical_non_entity(ent, source, codes):
            draft.blocked.update(range(ent.start, ent.end))  # nor a lexicon term inside: "bipolar coagulation"
            return None
        draft.info[(ent.start, ent.end, ent.label_)] = (codes, source)
        return ent

    def _model_entry(
        self, draft: ConceptDraft, ent: Span, key: str, exact_key: str
    ) -> tuple[Span, tuple[str, tuple[Code, ...], str] | None]:
        """The lexicon's entry for the model's entity: its text, the long form it stands for in this document, or
        the clinical short form it is (``HTN``: the codes of hypertension, and its label)."""
        short_to_long = draft.short_to_long
        found = self.lookup(key, ent.label_, exact_key=exact_key)
        if found is None and key in short_to_long:
            found = self.lookup(short_to_long[key], ent.label_)
        if (found is None or not found[1]) and self.clinical_notes and key not in short_to_long:
            clinical = self._clinical_short_form(draft.doc, ent.start, ent.end)
            if clinical is not None and (found is None or clinical[1]):
                if clinical[0] != ent.label_:
                    ent = Span(draft.doc, ent.start, ent.end, label=clinical[0])
                found = clinical
        return ent, found

    def _candidates(self, draft: ConceptDraft, model_ran: bool) -> list[Candidate]:
        """Step 2: the lexicon matches that may become entities, in order: the user's terms, the short forms and
        texts of the entities (``propagate_*``), the shipped lexicon's (``lexicon_entities``), then, in notes,
        without the phrases that name nothing and with the clinical short forms."""
        doc, ents = draft.doc, draft.ents
        columns = token_columns(doc)  # read once for every lexicon below
        candidates = list(self.user.match_doc(doc, columns=columns)) if len(self.user) else []
        if (self.propagate_entities or self.propagate_short_forms) and ents:
            candidates += self._local_lexicon(draft).match_doc(doc, columns=columns)
        mode = self.lexicon_entities
        if self.shipped is not None and mode != "never":
            if mode == "always" or not model_ran:
                candidates += self.shipped.match_doc(doc, columns=columns)
            elif mode == "trusted":
                candidates += self.shipped.match_doc(doc, only_high_precision=True, columns=columns)
        if self.clinical_notes and len(doc):
            candidates = self._note_candidates(doc, candidates, columns, draft.short_to_long, draft.blocked)
        return candidates

    def _local_lexicon(self, draft: ConceptDraft) -> Lexicon:
        """The short form defined right after an entity (``nitroglycerin (NTG)`` -> every ``NTG``) and, with
        ``propagate_entities``, the exact text of an entity, as terms with that entity's label, codes, source."""
        doc, info, local = draft.doc, draft.info, Lexicon()
        for ent in draft.ents:
            if ent._.source == "lexicon":
                continue
            codes, source = info[(ent.start, ent.end, ent.label_)]
            if self.propagate_entities and len(ent.text) >= 3 and not (ent.text.isupper() and len(ent.text) <= 5):
                local.add_key(" ".join(t.text for t in ent if not t.is_space), ent.label_, codes, source, case_sensitive=True)
            short = defined_short_form(doc, ent) if self.propagate_short_forms else None
            if short is not None:
                local.add_key(short, ent.label_, codes, source, case_sensitive=True)
        return local

    def _label_short_forms(self, draft: ConceptDraft) -> None:
        """Step 3: drop the entities on a gene's or an undefined short form (``drop_undefined_short_forms``), and
        label the uses of the others like their long form (``propagate_abbreviations``)."""
        doc, short_to_long = draft.doc, draft.short_to_long
        if self.drop_undefined_short_forms:  # gene symbols first: "wild-type VHL (wt-VHL)" is no disease either
            self._drop_short_forms(draft, gene_short_forms(doc_text(doc)))
        if self.propagate_abbreviations and short_to_long:
            labels = short_form_labels(doc, draft.ents, draft.new, draft.info, short_to_long)
            if self.drop_undefined_short_forms:
                self._drop_short_forms(draft, set(short_to_long) - set(labels))
            draft.add_short_form_uses(labels)

    def _drop_short_forms(self, draft: ConceptDraft, shorts: set[str]) -> None:
        """Drop the entities on those of ``shorts`` whose long form holds no entity (not a user's term)."""
        if not shorts:  # most documents: no call below
            return
        undefined = undefined_short_forms(draft.doc, draft.ents, draft.new, shorts)
        draft.ents, draft.new = drop_short_forms(
            self.user, draft.doc, draft.ents, draft.new, undefined, draft.taken, draft.user_at
        )

    def _fixed_bounds(self, doc: Doc, ent: Span, key: str, exact_key: str) -> Span:
        """The model's entity without a leading label or assertion trigger (``Cardiovascular: Denies fever`` ->
        ``fever``, so that the assertion component sees the trigger), or extended over the number that completes it: a known term,
        or one ending in ``type`` (``Diabetes mellitus type`` + ``2``); ``ent`` itself when neither applies or
        the lexicon knows it as it is (looked up only then: this runs for every entity)."""
        start = after_label(doc, ent.start, ent.end)
        while cut := leading_trigger(doc, start, ent.end):
            start += cut
        end = ent.end
        if start == ent.start and not number_after(doc, end):
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
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
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
