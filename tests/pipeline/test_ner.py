"""The shipped statistical NER (``models/ner``) inside the default pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import medtext
from medtext.errors import MedtextError
from medtext.models import find_model, read_meta

TEXT = (
    "Cisplatin-induced nephrotoxicity in patients with ovarian cancer. "
    "Nephrotoxicity developed in 12 of 40 patients treated with cisplatin and was reversed by magnesium."
)


def _model_or_skip():
    try:
        return find_model("ner")
    except MedtextError:
        pytest.skip("models/ner is not built (run `make models`)")


@pytest.fixture(scope="module")
def full():
    _model_or_skip()
    return medtext.load()


def test_meta_describes_the_model():
    meta = read_meta(_model_or_skip())
    assert meta["task"] == "ner" and meta["labels"] == ["CHEMICAL", "DISEASE"]
    assert {"medtext_version", "spacy_version", "training_data", "metrics"} <= set(meta)
    assert meta["metrics"]["dev_default_pipeline"]["bc5cdr"]["f1"] > 0.5


def test_default_pipeline_order_and_labels(full):
    names = full.pipe_names
    assert names.index("sentences") < names.index("ner") < names.index("concepts")
    assert sorted(full.get_pipe("ner").labels) == ["CHEMICAL", "DISEASE"]
    assert "medtext_missing" not in full.meta


def test_ner_owns_its_tok2vec(full):
    # no shared tok2vec component and no listener: excluding ner leaves nothing behind
    assert "tok2vec" not in full.pipe_names
    layers = [layer.name for layer in full.get_pipe("ner").model.walk()]
    assert not any("listener" in name for name in layers)
    rules = medtext.load(exclude=["ner"])
    assert "ner" not in rules.pipe_names and "tok2vec" not in rules.pipe_names


def test_the_default_pipelines_ner_predicts_what_the_model_folder_does(full):
    # the loader reads the NER's config block and weights itself (not spaCy's `source`)
    import spacy

    own = spacy.load(_model_or_skip())
    ner_only = [(e.start_char, e.end_char, e.label_) for e in own(TEXT).ents]
    doc = full.make_doc(TEXT)
    for name, component in full.pipeline:
        doc = component(doc)
        if name == "ner":
            break
    assert ner_only and [(e.start_char, e.end_char, e.label_) for e in doc.ents] == ner_only


def test_entities_with_codes_and_sources(full):
    doc = full(TEXT)
    found = {(e.text.lower(), e.label_) for e in doc.ents}
    assert ("cisplatin", "CHEMICAL") in found
    assert ("nephrotoxicity", "DISEASE") in found
    for ent in doc.ents:
        assert ent._.source in ("model", "both", "lexicon")
        assert TEXT[ent.start_char : ent.end_char] == ent.text
    cisplatin = next(e for e in doc.ents if e.text.lower() == "cisplatin")
    assert {"system": "MESH", "code": "D002945"} in cisplatin._.codes
    starts = [e.start for e in doc.ents]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(doc.ents, doc.ents[1:]))


def test_saved_default_pipeline_loads_without_medtext(full, tmp_path):
    full.to_disk(tmp_path / "pipe")
    script = (
        "import json, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"doc = nlp({TEXT!r})\n"
        "print(json.dumps([[e.start_char, e.end_char, e.label_, e._.codes, e._.source] for e in doc.ents]))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = full(TEXT)
    assert json.loads(proc.stdout) == [[e.start_char, e.end_char, e.label_, e._.codes, e._.source] for e in doc.ents]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rel", "floor"),
    [
        ("bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt", 0.80),
        ("ncbi_disease/original-data/NCBIdevelopset_corpus.txt", 0.78),
    ],
)
def test_dev_f1_floor(full, shared_corpora, rel, floor):
    from medtext.evaluate.ner import evaluate_ner

    assert evaluate_ner(full, shared_corpora / rel, "pubtator")["f1"] >= floor


def test_missing_model_leaves_ner_out_and_says_so(monkeypatch):
    import medtext.models
    from medtext.errors import ModelError

    found = medtext.models.find_model

    def absent(name):
        if str(name) == "ner":
            raise ModelError("absent")
        return found(name)

    monkeypatch.setattr(medtext.models, "find_model", absent)
    nlp = medtext.load()
    assert "ner" not in nlp.pipe_names and "concepts" in nlp.pipe_names
    assert "ner" in nlp.meta["medtext_missing"]
    # excluding or disabling the absent component is still allowed
    assert "ner" not in medtext.load(exclude=["ner"]).pipe_names
    assert "ner" not in medtext.load(disable=["ner"]).pipe_names
