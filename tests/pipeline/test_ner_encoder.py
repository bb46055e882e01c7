"""The NER's window encoder, fused at prediction time: the same floats as thinc's layers."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import spacy
from spacy.training import Example
from thinc.api import NumpyOps

from medtext.pipeline import ner_encoder
from medtext.pipeline.ner_encoder import _FastForward, _windows, fast_window_encoders

TEXTS = [
    "Pt denies chest pain. Hx of CHF, on Lasix 40 mg.",
    "",
    "CHF",
    "chest pain chest pain chest PAIN\n\nNo fever , asthma .",
    "New words: zorbitol, quillamine and 12/03/2093.",
]


def _tiny_ner(seed: int = 0) -> tuple[spacy.language.Language, object]:
    """spaCy's default NER (MultiHashEmbed + MaxoutWindowEncoder) with random weights everywhere, layer norms
    included (their initial scale 1 and shift 0 would hide a wrong order of operations)."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("DISEASE")
    nlp.initialize()
    rng = np.random.default_rng(seed)
    for node in ner.model.walk():
        if node.name == "layernorm":
            for name in ("G", "b"):
                node.set_param(name, rng.normal(0.5, 1, node.get_param(name).shape).astype("float32"))
    encoder = next(node for node in ner.model.walk() if ner_encoder._blocks(node) is not None)
    return nlp, encoder


def _inputs(nlp, texts):
    """What the encoder receives: the token embeddings of each text."""
    embed = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].layers[0]
    return embed.predict([nlp.make_doc(t) for t in texts])


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_fused_encoder_gives_thincs_floats(seed):
    nlp, encoder = _tiny_ner(seed)
    plain = encoder._func
    assert fast_window_encoders(nlp) == 1
    assert isinstance(encoder._func, _FastForward) and encoder._func.original is plain
    assert fast_window_encoders(nlp) == 1 and encoder._func.original is plain  # not wrapped twice
    Xs = _inputs(nlp, TEXTS)
    fused, _ = encoder._func(encoder, Xs, False)
    reference, _ = plain(encoder, Xs, False)
    assert _same(fused, reference)
    assert fused[1].shape == (0, reference[0].shape[1])


def test_the_fused_encoder_is_used_at_prediction_only(monkeypatch):
    nlp, encoder = _tiny_ner()
    fast_window_encoders(nlp)
    calls = []
    real = ner_encoder.encode
    monkeypatch.setattr(ner_encoder, "encode", lambda X, blocks: calls.append(len(X)) or real(X, blocks))
    Xs = _inputs(nlp, TEXTS)
    encoder.predict(Xs)
    assert len(calls) == 1  # one flat array for all the documents
    optimizer = nlp.resume_training()
    example = Example.from_dict(nlp.make_doc("Hx of CHF today"), {"entities": [(6, 9, "DISEASE")]})
    nlp.update([example], sgd=optimizer)  # training runs thinc's layers (it needs their backprop)
    assert len(calls) == 1
    assert _same(encoder.predict(Xs), encoder._func.original(encoder, Xs, False)[0])  # new weights, still the same


@pytest.mark.parametrize("n_w", [1, 2, 3])
@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_windows_are_thincs_seq2col(n_w, n):
    X = np.random.default_rng(n).normal(size=(n, 4)).astype("float32")
    expected = NumpyOps().seq2col(X, n_w)
    assert np.array_equal(_windows(X, n_w, None), expected)
    reused = np.full(expected.shape, np.nan, dtype="float32")  # a used buffer: every cell is written
    assert _windows(X, n_w, reused) is reused and np.array_equal(reused, expected)


def test_another_backend_or_another_layer_runs_thincs_layers():
    from thinc.api import Ops

    nlp, encoder = _tiny_ner()
    plain = encoder._func
    fast_window_encoders(nlp)
    Xs = _inputs(nlp, TEXTS)
    for node in encoder.walk():
        node.ops = Ops()  # not numpy's ops (as on a GPU)
    calls = []
    encoder._func.original = lambda *args: calls.append(1) or plain(*args)
    assert _same(encoder.predict(Xs), plain(encoder, Xs, False)[0])
    assert calls == [1]
    assert ner_encoder._blocks(nlp.get_pipe("ner").model) is None  # the parser model is no window encoder


def test_a_pipeline_with_the_fused_encoder_pickles_and_saves(tmp_path):
    nlp, encoder = _tiny_ner()
    fast_window_encoders(nlp)
    expected = [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in nlp.pipe(TEXTS)]
    clone = pickle.loads(pickle.dumps(nlp))
    assert fast_window_encoders(clone) == 1
    assert [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in clone.pipe(TEXTS)] == expected
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")  # the model tree is unchanged: plain spaCy reads it
    assert [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in loaded.pipe(TEXTS)] == expected


def test_the_default_pipeline_fuses_its_ner_encoder():
    import medtext

    nlp = medtext.load()
    if "ner" not in nlp.pipe_names:
        pytest.skip("the NER model is not built (make models)")
    assert any(isinstance(node._func, _FastForward) for node in nlp.get_pipe("ner").model.walk())
