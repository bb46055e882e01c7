"""The NER's token embeddings, computed once per distinct token: the same floats as the layer itself."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.training import Example

from medtext.pipeline import embed_cache
from medtext.pipeline.embed_cache import _is_hash_embed, cache_token_embeddings

TEXTS = [
    "Pt denies chest pain. Hx of CHF, on Lasix 40 mg.",
    "",
    "chest pain chest pain chest PAIN",
    "New words: zorbitol, quillamine and 12/03/2093.",
]


def _tiny_ner() -> tuple[spacy.language.Language, object]:
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")  # spaCy's default NER model: MultiHashEmbed + CNN
    ner.add_label("DISEASE")
    nlp.initialize()
    layer = next(node for node in ner.model.walk() if _is_hash_embed(node))
    return nlp, layer


def _embed(nlp, layer, func, texts):
    saved = layer._func
    layer._func = func
    try:
        return layer.predict([nlp.make_doc(t) for t in texts])
    finally:
        layer._func = saved


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


def test_cached_embeddings_equal_the_layers_own():
    nlp, layer = _tiny_ner()
    plain = layer._func
    assert cache_token_embeddings(nlp) == 1
    cached = layer._func
    assert cached is not plain
    assert cache_token_embeddings(nlp) == 1 and layer._func is cached  # not wrapped twice
    first = _embed(nlp, layer, cached, TEXTS)
    again = _embed(nlp, layer, cached, list(reversed(TEXTS)))  # now from the table
    reference = _embed(nlp, layer, plain, TEXTS)
    assert _same(first, reference)
    assert _same(again, list(reversed(reference)))
    assert first[1].shape == (0, reference[0].shape[1])  # an empty text keeps its (empty) row block


def test_training_and_new_weights_empty_the_table():
    nlp, layer = _tiny_ner()
    plain = layer._func
    cache_token_embeddings(nlp)
    cached = layer._func
    before = _embed(nlp, layer, cached, TEXTS)
    optimizer = nlp.resume_training()
    doc = nlp.make_doc("Hx of CHF today")
    example = Example.from_dict(doc, {"entities": [(6, 9, "DISEASE")]})
    for _ in range(3):
        nlp.update([example], sgd=optimizer)  # trains through the layer's own function
    after = _embed(nlp, layer, cached, TEXTS)
    assert not _same(after, before)  # the weights moved; the table did not serve stale rows
    assert _same(after, _embed(nlp, layer, plain, TEXTS))
    other, _ = _tiny_ner()  # other random weights, loaded into this pipeline
    nlp.get_pipe("ner").from_bytes(other.get_pipe("ner").to_bytes())
    assert _same(_embed(nlp, layer, cached, TEXTS), _embed(nlp, layer, plain, TEXTS))


def test_a_pipeline_with_the_cache_pickles():
    import pickle

    nlp, layer = _tiny_ner()
    cache_token_embeddings(nlp)
    expected = _embed(nlp, layer, layer._func, TEXTS)  # fills the table
    clone = pickle.loads(pickle.dumps(nlp))
    node = next(n for n in clone.get_pipe("ner").model.walk() if _is_hash_embed(n))
    assert isinstance(node._func, embed_cache._CachedForward) and node._func.table.size == 0  # the copy starts empty
    assert _same(node.predict([clone.make_doc(t) for t in TEXTS]), expected)


def test_a_pipeline_with_the_cache_saves_and_loads_in_plain_spacy(tmp_path):
    nlp, layer = _tiny_ner()
    cache_token_embeddings(nlp)
    expected = _embed(nlp, layer, layer._func, TEXTS)
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")  # the model tree is unchanged: plain spaCy reads it
    node = next(n for n in loaded.get_pipe("ner").model.walk() if _is_hash_embed(n))
    assert _same(node.predict([loaded.make_doc(t) for t in TEXTS]), expected)


def test_a_full_table_starts_afresh(monkeypatch):
    nlp, layer = _tiny_ner()
    plain = layer._func
    cache_token_embeddings(nlp)
    monkeypatch.setattr(embed_cache, "MAX_ROWS", 5)
    table = layer._func.table
    assert _same(_embed(nlp, layer, layer._func, TEXTS), _embed(nlp, layer, plain, TEXTS))
    full = table.index
    assert table.size > 5
    assert _same(_embed(nlp, layer, layer._func, TEXTS), _embed(nlp, layer, plain, TEXTS))
    assert table.index is not full  # over MAX_ROWS: the next batch started a new table, and its rows are right


def test_the_default_pipeline_caches_its_ner_embeddings():
    import medtext

    nlp = medtext.load()
    if "ner" not in nlp.pipe_names:
        pytest.skip("the NER model is not built (make models)")
    layer = next(n for n in nlp.get_pipe("ner").model.walk() if _is_hash_embed(n))
    assert isinstance(layer._func, embed_cache._CachedForward)


def test_a_layer_on_another_backend_runs_as_it_is():
    from thinc.api import Ops

    nlp, layer = _tiny_ner()
    plain = layer._func
    cache_token_embeddings(nlp)
    for node in layer.walk():
        node.ops = Ops()  # not numpy's ops (as on a GPU): the table is not used
    assert _same(_embed(nlp, layer, layer._func, TEXTS), _embed(nlp, layer, plain, TEXTS))
    assert layer._func.table.size == 0
