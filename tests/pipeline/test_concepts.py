"""The concepts component: shipped lexicon, codes for entities, user lexicons, serialization."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

import medtext
from medtext.errors import RuleError
from medtext.pipeline.lexicon import Lexicon, loose_key, make_key, parse_codes, read_user_lexicon
from medtext.pipeline.lexicon_keys import loose_key_any
from medtext.pipeline.ner_decoder import record_model_entities


@pytest.fixture()
def rules():
    """A fresh rule pipeline (ner excluded) whose concepts component the test may change."""
    return medtext.load(exclude=["ner"])


def ents(doc):
    return [(e.text, e.label_, e._.source) for e in doc.ents]


def as_model(doc, spans):
    """Set entities as the statistical NER does (it lists them in doc.user_data: they are the model's)."""
    doc.ents = spans
    record_model_entities(doc)


def test_shipped_lexicon_finds_diseases_and_drugs_with_codes(nlp):
    doc = nlp("History of type 2 diabetes mellitus, on metformin.")
    found = {e.text: e for e in doc.ents}
    assert found["type 2 diabetes mellitus"].label_ == "DISEASE"
    assert {"system": "ICD10CM", "code": "E11"} in found["type 2 diabetes mellitus"]._.codes
    assert found["metformin"].label_ == "CHEMICAL"
    assert {"system": "DRUGBANK", "code": "DB00331"} in found["metformin"]._.codes
    assert all(e._.source == "lexicon" for e in doc.ents)


def test_short_forms_match_only_as_written(nlp):
    # "WAS" (Wiskott-Aldrich syndrome) is in the corpus lexicon; the word "was" is not a disease.
    assert ents(nlp("The patient was well.")) == []


def test_offsets_are_exact(nlp):
    text = "Naloxone-induced  seizures and aspirin."
    doc = nlp(text)
    assert doc.ents
    for e in doc.ents:
        assert text[e.start_char : e.end_char] == e.text


def test_model_entities_get_codes_and_source_both(rules):
    concepts = rules.get_pipe("concepts")
    concepts.lexicon_entities = "without_model"
    doc = rules.make_doc("Acute hypertension after cocaine and aspirin.")
    as_model(doc, [Span(doc, 1, 2, label="DISEASE"), Span(doc, 3, 4, label="CHEMICAL"), Span(doc, 0, 1, label="DISEASE")])
    doc = concepts(doc)
    by_text = {e.text: e for e in doc.ents}
    assert by_text["hypertension"]._.source == "both"
    assert {"system": "MESH", "code": "D006973"} in by_text["hypertension"]._.codes
    assert by_text["cocaine"]._.source == "both"
    assert by_text["Acute"]._.source == "model" and by_text["Acute"]._.codes == []
    # The model ran (ENT_IOB is set), so "without_model" adds no shipped-lexicon entity.
    assert "aspirin" not in by_text


def test_lexicon_entities_always_fills_gaps_without_overlap(rules):
    concepts = rules.get_pipe("concepts")
    assert concepts.lexicon_entities == "always"  # the default
    doc = rules.make_doc("Acute hypertension after aspirin.")
    as_model(doc, [Span(doc, 0, 2, label="DISEASE")])
    doc = concepts(doc)
    assert ents(doc) == [("Acute hypertension", "DISEASE", "model"), ("aspirin", "CHEMICAL", "lexicon")]


def test_bad_mode_is_refused():
    with pytest.raises(RuleError, match="E087"):
        medtext.load(exclude=["ner"], config={"components.concepts.lexicon_entities": "sometimes"})


def test_user_tsv_and_jsonl_lexicons(rules, tmp_path):
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("# my terms\nstent thrombosis\tDISEASE\tICD10CM:T82.867A\nfoo-blocker\tCHEMICAL\t\n", encoding="utf-8")
    jsonl = tmp_path / "mine.jsonl"
    jsonl.write_text(json.dumps({"term": "chest pain", "label": "PROBLEM", "codes": [{"system": "SNOMED", "code": "29857009"}]}) + "\n")
    concepts = rules.get_pipe("concepts")
    concepts.add_from_file(tsv)
    concepts.add_from_file(jsonl)
    doc = rules("Late stent thrombosis and chest pain after foo-blocker.")
    assert ents(doc) == [
        ("stent thrombosis", "DISEASE", "lexicon"),
        ("chest pain", "PROBLEM", "lexicon"),
        ("foo-blocker", "CHEMICAL", "lexicon"),
    ]
    assert doc.ents[0]._.codes == [{"system": "ICD10CM", "code": "T82.867A"}]


def test_user_terms_via_load_user_files(tmp_path):
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("zorbulitis\tDISEASE\tLOCAL:1\n", encoding="utf-8")
    nlp = medtext.load(exclude=["ner"], user_files={"concepts": [tsv]})
    assert ents(nlp("Severe zorbulitis.")) == [("zorbulitis", "DISEASE", "lexicon")]


def test_user_terms_add_entities_even_when_a_model_ran(rules):
    concepts = rules.get_pipe("concepts")
    concepts.lexicon_entities = "without_model"
    concepts.add_terms([{"term": "zorbulitis", "label": "DISEASE", "codes": []}])
    doc = rules.make_doc("Severe zorbulitis and aspirin.")
    doc.ents = []  # a model ran and found nothing: ENT_IOB is set to O
    doc.set_ents([], default="outside")
    assert ents(concepts(doc)) == [("zorbulitis", "DISEASE", "lexicon")]


@pytest.mark.parametrize(
    ("content", "suffix", "line", "fragment"),
    [
        ("aspirin\tCHEMICAL\tMESH:D1\nbad line without tabs\n", ".tsv", 2, "columns"),
        ("aspirin\tCHEMICAL\tD001241\n", ".tsv", 1, "SYSTEM:CODE"),
        ("\tCHEMICAL\tMESH:D1\n", ".tsv", 1, "'term'"),
        ("aspirin\tCHEM ICAL\n", ".tsv", 1, "'label'"),
        ('{"term": "a b", "label": "X"}\n{"term": "x", "label": "X", "codes": "MESH:D1"}\n', ".jsonl", 2, "'codes'"),
        ('{"term": "a b", "label": "X"}\n\n{not json\n', ".jsonl", 3, "invalid JSON"),
        ('{"term": "a b", "label": "X", "colour": 1}\n', ".jsonl", 1, "unknown keys"),
        ('{"term": "a", "label": "X", "codes": [{"system": "MESH"}]}\n', ".jsonl", 1, "'code'"),
    ],
)
def test_bad_lexicon_lines_name_file_and_line(tmp_path, content, suffix, line, fragment):
    path = tmp_path / f"lex{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_user_lexicon(path)
    message = str(info.value)
    assert str(path) in message and f"line {line}" in message and fragment in message
    assert "\n" not in message


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(RuleError, match="E080"):
        read_user_lexicon(tmp_path / "absent.tsv")


def test_user_terms_survive_to_disk_in_a_process_without_medtext(rules, tmp_path):
    rules.get_pipe("concepts").add_terms(
        [{"term": "zorbulitis", "label": "DISEASE", "codes": [{"system": "LOCAL", "code": "Z1"}]}]
    )
    texts = ["Severe zorbulitis treated with aspirin.", "No findings."]
    expected = [[(e.start_char, e.end_char, e.label_, e._.codes, e._.source) for e in d.ents] for d in rules.pipe(texts)]
    rules.to_disk(tmp_path / "pipe")
    script = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"out = [[[e.start_char, e.end_char, e.label_, e._.codes, e._.source] for e in d.ents] for d in nlp.pipe({texts!r})]\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == json.loads(json.dumps(expected))


def test_concepts_pickle_and_bytes_round_trip(rules):
    concepts = rules.get_pipe("concepts")
    concepts.add_terms([{"term": "zorbulitis", "label": "DISEASE", "codes": []}])
    clone = pickle.loads(pickle.dumps(rules))
    assert ents(clone("Zorbulitis.")) == [("Zorbulitis", "DISEASE", "lexicon")]
    fresh = medtext.load(exclude=["ner"])
    fresh.get_pipe("concepts").from_bytes(concepts.to_bytes())
    assert ents(fresh("Zorbulitis.")) == [("Zorbulitis", "DISEASE", "lexicon")]


@pytest.mark.parametrize("long_form", ["Zorbulitis syndrome", "Zorb-Quillan syndrome"])
def test_short_form_of_an_entity_is_labelled(rules, long_form):
    # A hyphenated long form is keyed by its tokens ("zorb - quillan syndrome"), as the entity is.
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    concepts.add_terms([{"term": long_form, "label": "DISEASE", "codes": [{"system": "LOCAL", "code": "Z"}]}])
    text = f"{long_form} (ZS) is rare. ZS recurs."
    first, second = text.index("ZS"), text.rindex("ZS")
    doc = rules.make_doc(text)
    doc._.abbreviations = [
        {"short": "ZS", "long": long_form, "start": first, "end": first + 2},
        {"short": "ZS", "long": long_form, "start": second, "end": second + 2},
    ]
    doc = concepts(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [(long_form, "DISEASE"), ("ZS", "DISEASE"), ("ZS", "DISEASE")]
    assert doc.ents[2]._.codes == [{"system": "LOCAL", "code": "Z"}]


def test_short_form_takes_the_label_of_its_long_form(rules):
    # The model called the short form a DISEASE; its long form is a CHEMICAL, so every use is one.
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    concepts.add_terms([{"term": "zorbamide", "label": "CHEMICAL", "codes": []}])
    text = "Zorbamide (ZB) was given. ZB caused rash."
    doc = rules.make_doc(text)
    uses = [t.i for t in doc if t.text == "ZB"]
    as_model(doc, [Span(doc, i, i + 1, label="DISEASE") for i in uses])
    doc._.abbreviations = [
        {"short": "ZB", "long": "Zorbamide", "start": 11, "end": 13},
        {"short": "ZB", "long": "Zorbamide", "start": 26, "end": 28},
    ]
    doc = concepts(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Zorbamide", "CHEMICAL"), ("ZB", "CHEMICAL"), ("ZB", "CHEMICAL")]


def test_short_form_takes_the_label_of_the_entity_ending_its_long_form(rules):
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    text = "Zorbamide-induced quillan anemia (ZQA) is rare. ZQA resolves."
    doc = rules.make_doc(text)
    words = [t.text for t in doc]
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, words.index("quillan"), words.index("anemia") + 1, label="DISEASE")])
    doc._.abbreviations = [
        {"short": "ZQA", "long": "Zorbamide-induced quillan anemia", "start": 34, "end": 37},
        {"short": "ZQA", "long": "Zorbamide-induced quillan anemia", "start": 48, "end": 51},
    ]
    doc = concepts(doc)
    assert [(e.text, e.label_) for e in doc.ents][-2:] == [("ZQA", "DISEASE"), ("ZQA", "DISEASE")]


def test_a_short_form_defined_as_something_else_is_no_entity(rules):
    # "HD" is a disease's short form in the lexicon, but here it is defined as a technique.
    text = "Mutations were found by heteroduplex (HD) analysis. HD bands were seen."
    doc = rules(text)
    assert "HD" in {a["short"] for a in doc._.abbreviations}
    assert [e.text for e in doc.ents if e.text == "HD"] == []
    rules.get_pipe("concepts").drop_undefined_short_forms = False
    assert [e.text for e in rules(text).ents].count("HD") == 2


def test_a_short_form_whose_long_form_holds_an_entity_keeps_its_entities(rules):
    # the entity "X-linked adrenoleukodystrophy" is longer than the long form found, yet it defines ALD
    doc = rules("X-linked adrenoleukodystrophy (ALD) is rare. ALD affects the adrenal glands.")
    assert [e.text for e in doc.ents].count("ALD") == 2


def test_a_short_form_abbreviating_a_gene_name_is_no_disease(rules):
    # "VHL" is von Hippel-Lindau disease in the lexicon; defined after "gene" it is the gene's symbol
    text = "The von Hippel-Lindau tumor suppressor gene (VHL) is mutated. VHL binds elongin."
    assert [e.text for e in rules(text).ents if e.text == "VHL"] == []
    # nor is a short form defined by it: dropped before short forms take the label of their long form
    doc = rules("The von Hippel-Lindau tumor suppressor gene (VHL) is mutated. A wild-type VHL (wt-VHL) vector.")
    assert [e.text for e in doc.ents if "VHL" in e.text] == []
    # "the disease gene (PDS)": the disease's short form names its gene, and stays a disease
    doc = rules("Pendred syndrome causes deafness. The disease gene (PDS) was mapped. PDS is rare.")
    assert [e.text for e in doc.ents].count("PDS") == 2
    rules.get_pipe("concepts").drop_undefined_short_forms = False
    assert [e.text for e in rules(text).ents].count("VHL") == 2


def test_cell_death_is_a_process_not_a_disease(rules):
    concepts = rules.get_pipe("concepts")
    concepts.add_terms([{"term": "death", "label": "DISEASE", "codes": []}])
    doc = rules("Programmed cell death was seen. Sudden death occurred.")
    assert [(e.text, e.start_char) for e in doc.ents if e.text == "death"] == [("death", 39)]


def test_a_personal_title_is_never_an_entity(rules):
    concepts = rules.get_pipe("concepts")
    concepts.add_terms([{"term": "Dr.", "label": "DISEASE", "codes": []}, {"term": "DR", "label": "DISEASE", "codes": []}])
    doc = rules("Seen by Dr. Kniest for DR in both eyes.")
    assert [e.text for e in doc.ents] == ["DR"]
    concepts.add_terms([{"term": "Dr. Kniest", "label": "DISEASE", "codes": []}])
    assert [e.text for e in rules("Seen by Dr. Kniest for DR.").ents] == ["DR"]


def test_a_models_everyday_word_chemical_is_dropped_unless_a_vocabulary_knows_it(rules):
    concepts = rules.get_pipe("concepts")
    doc = rules.make_doc("Tourniquet inflated; lidocaine given; NO measured.")
    as_model(doc, [Span(doc, i, i + 1, label="CHEMICAL") for i, t in enumerate(doc) if t.text in ("Tourniquet", "lidocaine", "NO")])
    assert [e.text for e in concepts(doc).ents] == ["lidocaine", "NO"]  # a drug the lexicon knows; capitals
    concepts.drop_plain_word_chemicals = False
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL")])
    assert "Tourniquet" in [e.text for e in concepts(doc).ents]
    assert concepts._cfg()["drop_plain_word_chemicals"] is False


def test_a_models_uncoded_disease_with_no_disease_head_is_dropped(rules):
    concepts = rules.get_pipe("concepts")
    doc = rules.make_doc("Sterile drapes placed over the trachea; mild zorbitis and HPT2 noted, the Kniestoma too.")
    phrases = ("Sterile drapes", "trachea", "zorbitis", "HPT2", "Kniestoma")
    as_model(doc, [doc.char_span(doc.text.index(p), doc.text.index(p) + len(p), label="DISEASE") for p in phrases])
    # a disease ending (-itis, -oma) or an acronym / a name with digits stays; supplies and anatomy go
    assert [e.text for e in concepts(doc).ents] == ["zorbitis", "HPT2", "Kniestoma"]
    concepts.drop_unlike_diseases = False
    as_model(doc, [doc.char_span(0, len("Sterile drapes"), label="DISEASE")])
    assert [e.text for e in concepts(doc).ents] == ["Sterile drapes"]
    assert concepts._cfg()["drop_unlike_diseases"] is False


def test_a_users_term_on_a_short_form_is_kept_whatever_its_definition(rules):
    rules.get_pipe("concepts").add_terms([{"term": "HD", "label": "DISEASE", "codes": []}])
    doc = rules("Mutations were found by heteroduplex (HD) analysis. HD bands were seen.")
    assert [e.text for e in doc.ents].count("HD") == 2


def test_coordinated_mention_is_one_entity_when_each_conjunct_is_a_known_term(rules):
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    concepts.add_terms([{"term": t, "label": "DISEASE", "codes": [{"system": "LOCAL", "code": t[0]}]} for t in ("zorb cancer", "quill cancer")])
    doc = rules("Risk of zorb and quill cancer, and of fever and quill cancer.")
    assert [e.text for e in doc.ents] == ["zorb and quill cancer", "quill cancer"]  # "fever cancer" is unknown
    assert sorted(c["code"] for c in doc.ents[0]._.codes) == ["q", "z"]  # the codes of both terms
    concepts.merge_coordinations = False
    assert [e.text for e in rules("Risk of zorb and quill cancer.").ents] == ["quill cancer"]


@given(st.lists(st.text(alphabet="abs0-' Xé", min_size=1, max_size=6), min_size=1, max_size=4).map(" ".join))
@example("a bas")
@example("a bbas")
@example("x bass")
@example("s")
def test_loose_key_fast_path_agrees_with_the_rule(key):
    assert loose_key(key) == loose_key_any(key)  # the fast path agrees with the general rule


def test_lexicon_helpers():
    assert make_key(["Type", "2", " ", "Diabetes"]) == "type 2 diabetes"
    assert loose_key("breast - tumours") == "breast tumour"
    assert parse_codes("MESH:D1| OMIM:2") == ({"system": "MESH", "code": "D1"}, {"system": "OMIM", "code": "2"})
    lex = Lexicon()
    lex.add_key("lung cancer", "DISEASE", [], "x")
    lex.add_key("cancer", "DISEASE", [], "x")
    lex.add_key("MS", "DISEASE", [], "x", case_sensitive=True)
    lowers = ["lung", "cancer", "and", "cancer", "ms", "ms"]
    orths = ["lung", "cancer", "and", "cancer", "ms", "MS"]
    assert [(s, e) for s, e, *_ in lex.match(lowers, orths)] == [(0, 2), (3, 4), (5, 6)]
    assert lex.lookup("lung cancers", "DISEASE") is not None
    assert lex.lookup("lung cancers", "CHEMICAL") is None


def test_shipped_lexicon_loads_fast():
    code = (
        "import time; t = time.perf_counter()\n"
        "from medtext.pipeline.concepts import shipped_lexicon\n"
        "t = time.perf_counter(); lex = shipped_lexicon(); print(time.perf_counter() - t, len(lex))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    seconds, size = proc.stdout.split()
    assert int(size) > 50_000
    assert float(seconds) < 2.0  # well under 1 s on an idle core; generous for a shared CI machine


def test_shipped_lexicon_was_built_with_this_tokenizer():
    # Lexicon keys are medtext tokens: a tokenizer change needs `python -m scripts.build_lexicons`.
    from importlib.resources import files

    from medtext.pipeline.tokenizer import tokenizer_fingerprint

    meta = json.loads(files("medtext.resources").joinpath("lexicons").joinpath("meta.json").read_text(encoding="utf-8"))
    assert meta["tokenizer"] == tokenizer_fingerprint()


def test_mesh_disease_terms_give_entities_with_the_ids_of_the_training_corpora(nlp):
    doc = nlp("She developed chorea, frostbite and torsade de pointes.")
    found = {e.text: e for e in doc.ents}
    assert found["frostbite"].label_ == "DISEASE"
    # "torsades de pointes" and "chorea" are gold mentions in the training text: their descriptors
    # get those ids; frostbite is not, and the dictionary's own ids are unreliable, so it has no MeSH id
    assert {"system": "MESH", "code": "D016171"} in found["torsade de pointes"]._.codes
    assert {"system": "MESH", "code": "D002819"} in found["chorea"]._.codes
    assert not any(c["system"] == "MESH" for c in found["frostbite"]._.codes)


def test_rare_diseases_carry_omim_ids_from_the_hpo_annotation_titles(nlp):
    doc = nlp("Two brothers had Krabbe disease; their cousin had autosomal dominant myotonia congenita.")
    codes = {e.text: e._.codes for e in doc.ents}
    assert {"system": "OMIM", "code": "245200"} in codes["Krabbe disease"]
    assert {"system": "OMIM", "code": "160800"} in codes["autosomal dominant myotonia congenita"]


def test_omim_titles_are_written_the_way_text_names_them():
    from scripts.build_lexicons import omim_names

    assert omim_names("Myotonia congenita, autosomal dominant") == ["autosomal dominant myotonia congenita"]
    assert omim_names("Schwartz-Jampel syndrome, type 1") == ["schwartz-jampel syndrome"]
    assert omim_names("Krabbe disease") == ["krabbe disease"]
    assert omim_names("Epilepsy, idiopathic generalized, susceptibility to, 3") == []
    assert omim_names("Microcephaly 25, primary, autosomal recessive") == []  # three parts: no text form


def test_codes_from_known_tail_local_definition_and_same_text(rules):
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    concepts.add_terms([{"term": "zorbulitis syndrome", "label": "DISEASE", "codes": [{"system": "LOCAL", "code": "Z"}]}])
    doc = rules.make_doc("Familial zorbulitis syndrome (FZS) is rare . FZS recurs .")
    as_model(doc, [Span(doc, 0, 3, label="DISEASE"), Span(doc, 4, 5, label="DISEASE"), Span(doc, 9, 10, label="DISEASE")])
    doc = concepts(doc)
    assert [e._.codes for e in doc.ents] == [[{"system": "LOCAL", "code": "Z"}]] * 3
    assert [e._.source for e in doc.ents] == ["model"] * 3  # the lexicon did not match these spans itself


def test_entities_propagate_to_defined_short_forms_and_repeats(rules):
    # no abbreviations component ran here: the short form is found next to the entity itself
    concepts = rules.get_pipe("concepts")
    concepts.use_shipped_lexicon = False
    concepts.propagate_entities = True
    doc = rules.make_doc("Zorbamycin ( ZBM ) was given . ZBM and zorbamycin and Zorbamycin again . ( n = 4 )")
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL")])
    doc = concepts(doc)
    assert [(e.text, e.label_, e._.source) for e in doc.ents] == [
        ("Zorbamycin", "CHEMICAL", "model"),
        ("ZBM", "CHEMICAL", "model"),
        ("ZBM", "CHEMICAL", "model"),
        ("Zorbamycin", "CHEMICAL", "model"),  # exact text only: "zorbamycin" is not labelled
    ]
    concepts.propagate_entities = False  # the short form still follows its entity, repeats do not
    doc = rules.make_doc("Zorbamycin ( ZBM ) was given . ZBM and Zorbamycin .")
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL")])
    assert [e.text for e in concepts(doc).ents] == ["Zorbamycin", "ZBM", "ZBM"]
    concepts.propagate_short_forms = False
    doc = rules.make_doc("Zorbamycin ( ZBM ) was given . ZBM .")
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL")])
    assert len(concepts(doc).ents) == 1
    concepts.propagate_entities = True  # repeats without short forms
    doc = rules.make_doc("Zorbamycin ( ZBM ) was given . ZBM and Zorbamycin .")
    as_model(doc, [Span(doc, 0, 1, label="CHEMICAL")])
    assert [e.text for e in concepts(doc).ents] == ["Zorbamycin", "Zorbamycin"]


def test_a_longer_lexicon_term_replaces_entities_it_contains(rules):
    concepts = rules.get_pipe("concepts")
    concepts.add_terms([{"term": "chronic zorbal failure", "label": "DISEASE", "codes": [{"system": "LOCAL", "code": "CZF"}]}])
    doc = rules.make_doc("Chronic zorbal failure and zorbal failure .")
    as_model(doc, [Span(doc, 1, 3, label="DISEASE"), Span(doc, 4, 6, label="DISEASE")])
    got = [(e.text, e._.source, e._.codes) for e in concepts(doc).ents]
    assert got[0] == ("Chronic zorbal failure", "both", [{"system": "LOCAL", "code": "CZF"}])
    assert got[1][:2] == ("zorbal failure", "model")
    concepts.prefer_longer_terms = False
    doc = rules.make_doc("Chronic zorbal failure .")
    as_model(doc, [Span(doc, 1, 3, label="DISEASE")])
    assert [e.text for e in concepts(doc).ents] == ["zorbal failure"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abs-' X", min_size=1, max_size=7), st.sampled_from(["DISEASE", "CHEMICAL"]), st.booleans()), min_size=1, max_size=8))
def test_loose_lookup_equals_an_index_of_every_key(rows):
    lexicon = Lexicon()
    for key, label, case_sensitive in rows:
        lexicon.add_key(key, label, [], "user", case_sensitive=case_sensitive)
    every: dict = {}  # the plain definition: every key under its loose key, lower-case table first, in table order
    for case_sensitive, table in ((False, lexicon.entries), (True, lexicon.exact)):
        for key in table:
            every.setdefault(loose_key(key.lower()), []).append((case_sensitive, key))
    for loose, refs in every.items():
        assert lexicon._loose_refs(loose) == refs
    assert lexicon._loose_refs("never a key") == []


def test_loose_lookup_keeps_the_first_added_keys_label():
    lexicon = Lexicon()
    lexicon.add_key("tumours", "DISEASE", [], "user")
    lexicon.add_key("tumour", "CHEMICAL", [], "user")
    assert lexicon.lookup("tumour ,")[0] == "DISEASE"  # the loose key 'tumour' stands for both; the first added wins


@pytest.mark.parametrize("n_before", [1, 40])
def test_an_entity_gets_the_codes_of_its_longest_known_tail(rules, n_before):
    # a tail as long as the longest key is still looked up; longer tails cannot be keys
    concepts = rules.get_pipe("concepts")
    term = ["zorbitt"] + [f"w{i}" for i in range(29)]  # longer than any shipped key
    concepts.add_terms([{"term": " ".join(term), "label": "DISEASE", "codes": [{"system": "TEST", "code": "Z1"}]}])
    assert concepts.user.longest_key() == 30 > concepts.shipped.longest_key()
    words = ["severe"] * n_before + term
    doc = rules.make_doc(" ".join(words))
    codes = concepts._head_codes(Span(doc, 0, len(doc), label="DISEASE"))
    assert {"system": "TEST", "code": "Z1"} in [dict(c) for c in codes]


def test_longest_key_counts_tokens_and_follows_additions():
    lexicon = Lexicon()
    assert lexicon.longest_key() == 0
    lexicon.add_key("renal failure", "DISEASE", [], "user")
    assert lexicon.longest_key() == 2
    lexicon.add_key("chronic renal failure , stage 4", "DISEASE", [], "user")
    assert lexicon.longest_key() == 6
