"""The numpy NER decoder finds spaCy's entities: same spans, same labels, same IOB tags."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import EntityRecognizer
from spacy.training import Example

import medtext.pipeline.ner_decoder as decoder
from medtext.pipeline.ner_decoder import Decoded, FastEntityRecognizer, use_fast_ner

WORDS = ["Pt", "denies", "chest", "pain", ".", "CHF", "on", "lasix", "40", "mg", "\n\n", "No", "fever", ",", "asthma", "  "]


def _pipeline(seed: int) -> spacy.language.Language:
    """A sentencizer and an NER with two labels and random output weights: varied transitions, all classes seen."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ner = nlp.add_pipe("ner")
    for label in ("DISEASE", "CHEMICAL"):
        ner.add_label(label)
    nlp.initialize()
    ner.model.attrs["unseen_classes"] = set()  # an untrained model has seen no class: spaCy would mask them all
    upper = ner.model.get_ref("upper")
    rng = np.random.default_rng(seed)
    for name in ("W", "b"):
        upper.set_param(name, rng.normal(0, 3, upper.get_param(name).shape).astype("float32"))
    return nlp


def _tags(docs) -> list[list[tuple[str, str]]]:
    return [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in docs]


def _both(nlp, texts):
    """(spaCy's decoder, ours) over the same texts."""
    reference = _tags(nlp.pipe(texts))
    assert use_fast_ner(nlp) == 1
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer)
    return reference, _tags(nlp.pipe(texts, batch_size=8))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join), min_size=1, max_size=12))
def test_same_entities_as_spacy_on_random_weights_and_texts(seed, texts):
    nlp = _pipeline(seed)
    reference, fast = _both(nlp, texts)
    assert fast == reference


def test_random_weights_do_open_and_close_entities():
    nlp = _pipeline(3)
    texts = [" ".join(WORDS * 3), "CHF on lasix. No fever.", ""]
    reference, fast = _both(nlp, texts)
    assert fast == reference
    tags = {tag for doc in fast for tag, _ in doc}
    assert {"B", "I", "O"} <= tags  # entities of several tokens open, continue and close
    assert decoder.decoding_plan(nlp.get_pipe("ner")) is not None  # our decoder, not spaCy's, gave them


def test_preset_entities_and_beam_search_go_to_spacys_decoder():
    nlp = _pipeline(5)
    ruler = nlp.add_pipe("entity_ruler", before="ner")
    ruler.add_patterns([{"label": "CHEMICAL", "pattern": "lasix"}])
    texts = ["CHF on lasix 40 mg. No fever, asthma."]
    reference, fast = _both(nlp, texts)
    assert fast == reference
    doc = nlp.make_doc(texts[0])
    nlp.get_pipe("entity_ruler")(doc)
    assert not isinstance(nlp.get_pipe("ner").predict([doc]), Decoded)  # preset entities: spaCy decodes
    nlp.get_pipe("ner").cfg["beam_width"] = 2
    assert decoder.decoding_plan(nlp.get_pipe("ner")) is None


def test_the_replaced_component_trains_saves_and_loads(tmp_path):
    nlp = _pipeline(7)
    use_fast_ner(nlp)
    doc = nlp.make_doc("CHF on lasix today")
    example = Example.from_dict(doc, {"entities": [(0, 3, "DISEASE"), (7, 12, "CHEMICAL")]})
    optimizer = nlp.resume_training()
    losses: dict = {}
    for _ in range(20):
        nlp.update([example], sgd=optimizer, losses=losses)
    assert losses["ner"] > 0
    assert [(e.text, e.label_) for e in nlp("CHF on lasix today").ents] == [("CHF", "DISEASE"), ("lasix", "CHEMICAL")]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")  # plain spaCy: its own EntityRecognizer, same model
    assert type(loaded.get_pipe("ner")) is EntityRecognizer
    assert [(e.text, e.label_) for e in loaded("CHF on lasix today").ents] == [("CHF", "DISEASE"), ("lasix", "CHEMICAL")]


def test_the_default_pipeline_decodes_its_ner_in_numpy():
    import medtext

    nlp = medtext.load()
    if "ner" not in nlp.pipe_names:
        pytest.skip("the NER model is not built (make models)")
    ner = nlp.get_pipe("ner")
    assert isinstance(ner, FastEntityRecognizer) and decoder.decoding_plan(ner) is not None
    doc = nlp("Pt with CHF was given lasix. No fever.")
    assert {(e.text, e.label_) for e in doc.ents} >= {("CHF", "DISEASE"), ("lasix", "CHEMICAL")}


def test_small_groups_and_encoder_batches_give_the_same_entities_and_vectors(monkeypatch):
    nlp = _pipeline(11)
    texts = [" ".join(WORDS[: n % len(WORDS) + 1] * (n % 4 + 1)) for n in range(20)] + ["", "CHF."]
    reference = _tags(nlp.pipe(texts))
    use_fast_ner(nlp)
    ner = nlp.get_pipe("ner")
    docs = [nlp.get_pipe("sentencizer")(nlp.make_doc(t)) for t in texts]
    whole = ner.model.get_ref("lower").predict(ner.model.get_ref("tok2vec").predict(docs))
    monkeypatch.setattr(decoder, "DECODE_TOKENS", 40)  # several lockstep groups, one document longer than a group
    monkeypatch.setattr(decoder, "ENCODE_TOKENS", 25)  # several encoder batches per group
    table = decoder.hidden_table(ner.model, docs)
    assert np.array_equal(table, whole.reshape(table.shape))
    assert _tags(nlp.pipe(texts, batch_size=len(texts))) == reference


def test_the_lower_layer_writes_into_the_table_with_the_layers_own_floats(monkeypatch):
    nlp = _pipeline(12)
    ner = nlp.get_pipe("ner")
    texts = [" ".join(WORDS[: n % len(WORDS) + 1] * (n % 5 + 1)) for n in range(30)] + ["", "CHF."]
    docs = [nlp.get_pipe("sentencizer")(nlp.make_doc(t)) for t in texts]
    monkeypatch.setattr(decoder, "ENCODE_TOKENS", 40)  # several encoder batches, the longest documents in pieces
    assert decoder._writes_in_place(ner.model.get_ref("lower"))
    filled = []
    real = decoder._filled_table
    monkeypatch.setattr(decoder, "_filled_table", lambda *args: filled.append(1) or real(*args))
    table = decoder.hidden_table(ner.model, docs)
    assert filled == [1]
    monkeypatch.setattr(decoder, "_writes_in_place", lambda lower: False)  # the layer's own arrays, copied
    copied = decoder.hidden_table(ner.model, docs)
    assert table.shape == copied.shape and np.array_equal(table, copied)


@given(st.lists(st.integers(0, 30), max_size=20), st.integers(1, 40))
def test_token_groups_keep_order_and_budget(lengths, budget):
    groups = decoder.token_groups(list(range(len(lengths))), lengths, budget)
    assert [i for group in groups for i in group] == list(range(len(lengths)))
    assert all(group for group in groups)
    assert all(sum(lengths[i] for i in group) <= budget or len(group) == 1 for group in groups)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join), min_size=1, max_size=4))
def test_long_documents_in_sentence_segments_and_encoder_pieces_give_spacys_entities(seed, texts):
    """A document longer than SEGMENT_TOKENS is decoded as runs of whole sentences side by side, one longer
    than ENCODE_TOKENS is encoded in overlapping pieces, and one longer than DECODE_TOKENS is decoded a range
    of its runs at a time: the same entities and IOB tags as spaCy's decoder."""
    nlp = _pipeline(seed)
    reference = _tags(nlp.pipe(texts))
    use_fast_ner(nlp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(decoder, "SEGMENT_TOKENS", 7)
        patch.setattr(decoder, "ENCODE_TOKENS", 30)
        assert _tags(nlp.pipe(texts, batch_size=len(texts))) == reference
        patch.setattr(decoder, "DECODE_TOKENS", 45)  # longer documents: ranges of their sentence runs, one at a time
        assert _tags(nlp.pipe(texts, batch_size=len(texts))) == reference


@pytest.mark.parametrize("seed", [1, 5, 9])
def test_a_document_longer_than_a_decoding_group_is_decoded_in_ranges_with_spacys_entities(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, n)) for n in (160, 20, 300)]
    nlp = _pipeline(seed)
    reference = _tags(nlp.pipe(texts))
    use_fast_ner(nlp)
    ranges = []
    real = decoder._lockstep
    monkeypatch.setattr(decoder, "_lockstep", lambda ner, plan, table, *rest: ranges.append(len(table) - 1) or real(ner, plan, table, *rest))
    monkeypatch.setattr(decoder, "SEGMENT_TOKENS", 7)
    monkeypatch.setattr(decoder, "ENCODE_TOKENS", 30)
    monkeypatch.setattr(decoder, "DECODE_TOKENS", 45)
    assert _tags(nlp.pipe(texts, batch_size=len(texts))) == reference
    assert len(ranges) > 5 and max(ranges) < 150  # tables of ranges of the long documents (a longer sentence alone), never the whole
    assert any(tag != "O" for doc in reference for tag, _ in doc)


def test_segments_cut_long_documents_at_sentence_starts_only():
    # document 0: 3 tokens (within budget: one segment); document 1 (tokens 3-12): sentences of 3, 2, 2, 3 tokens
    flags = np.array([1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0], dtype=bool)
    docs, firsts, sizes = decoder.segments(np.array([3, 10]), np.array([0, 3]), flags, 4)
    assert docs.tolist() == [0, 1, 1, 1] and firsts.tolist() == [0, 3, 6, 10] and sizes.tolist() == [3, 3, 4, 3]
    one_sentence = decoder.segments(np.array([10]), np.array([0]), np.eye(1, 10, dtype=bool)[0], 4)
    assert one_sentence[2].tolist() == [10]  # a sentence longer than the budget stays whole
