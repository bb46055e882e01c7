"""The PHI model's lookup tables come from the disk cache after the first load: the same tables and the same
probabilities as built from the features, keyed by the features and the code, rebuilt when damaged."""

import numpy as np
import pytest

from medtext.models import find_model
from medtext.pipeline import phi_tables
from medtext.pipeline.disk_cache import read_cached, write_cached
from medtext.pipeline.phi_model import PhiModel
from medtext.pipeline.phi_scorer import BatchScorer
from medtext.pipeline.phi_tables import CACHE_NAME, cache_key, from_plain, model_tables, to_plain

TEXTS = [
    "PT SEEN BY DR. PELLOWSKI 7/23; daughter Marguerite pt pt called.\nN. HOLLOWAY, RN aware, bipap 10/5 pt",
    "Seen by Dr. Tasker at Mercy Hospital on 3/14/2101, call 555-1234. w-2w-1 bag <nl>",
    "",
]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def shipped_folder():
    return find_model("phi-physionet")


def same_tables(a, b):
    assert a.own_index == b.own_index
    sa, sb = a.scorer, b.scorer
    assert sa.vocab == sb.vocab and sa.flag == sb.flag and sa.bag_nl == sb.bag_nl
    assert sa.window.keys() == sb.window.keys()
    for o in sa.window:
        assert sa.window[o].dtype == sb.window[o].dtype == np.int64
        assert np.array_equal(sa.window[o], sb.window[o])
    for name in ("bag", "pw", "nw", "pc", "nc", "pk", "nk"):
        assert getattr(sa, name).dtype == np.int64 and np.array_equal(getattr(sa, name), getattr(sb, name))
    for role in sa.pairs:
        for x, y in zip(sa.pairs[role], sb.pairs[role]):
            assert x.dtype == y.dtype == np.int64 and np.array_equal(x, y)


def test_the_shipped_model_reads_its_tables_from_the_cache_and_scores_the_same(cache, shipped_folder, monkeypatch):
    first = PhiModel.load(shipped_folder)
    built = first.tables()
    assert (cache / f"{CACHE_NAME}.marshal").is_file()

    def no_split(features):
        raise AssertionError("the features were split again")

    monkeypatch.setattr(phi_tables, "split_features", no_split)
    second = PhiModel.load(shipped_folder)
    same_tables(second.tables(), built)
    monkeypatch.undo()
    reference = model_tables(first.features, folder=None)
    same_tables(built, reference)
    for a, b in zip(BatchScorer(first).score(TEXTS), BatchScorer(second).score(TEXTS)):
        assert np.array_equal(a.probs, b.probs) and np.array_equal(a.rows, b.rows)
    # and the reference path (own feature index from the cache) gives the batch path's probabilities
    for text, note in zip(TEXTS, BatchScorer(second).score(TEXTS)):
        _, _, probs = second.unit_probabilities(text)
        assert np.allclose(probs, note.probs, atol=1e-6)


def tiny(features=("w-1=dr", "c=T", "bag=pt", "w-2w-1=dr tasker", "pc=T", "p_initial=", "bag=<nl>")):
    weights = np.arange(len(features) * 2, dtype=np.float32).reshape(len(features), 2) / 10
    return PhiModel(["O", "NAME"], list(features), weights, np.zeros(2, dtype=np.float32))


def test_tables_of_other_features_are_not_read(cache):
    model = tiny()
    model_tables(model.features)
    other = list(model.features[:-1]) + ["bag=<NL>"]
    assert cache_key(other) != cache_key(model.features)
    same_tables(model_tables(other), model_tables(other, folder=None))


def test_a_model_made_in_memory_leaves_the_cache_alone(cache):
    model = tiny()
    BatchScorer(model).score(TEXTS)
    assert not (cache / f"{CACHE_NAME}.marshal").exists()
    copy = PhiModel.from_dict(model.to_dict())  # a pickled copy of a loaded model keeps its tables
    copy.tables()
    assert (cache / f"{CACHE_NAME}.marshal").is_file()


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: None,
        lambda d: [d],
        lambda d: {**d, "extra": 1},
        lambda d: {**d, "own_index": {"c=T": 99}},  # a row past the model's
        lambda d: {**d, "own_index": {"c=T": "1"}},
        lambda d: {**d, "vocab": {**d["vocab"], "x": 10_000}},
        lambda d: {**d, "flag": {}},
        lambda d: {**d, "bag_nl": -1},
        lambda d: {**d, "arrays": {**d["arrays"], "bag": d["arrays"]["bag"][:-8]}},  # wrong length
        lambda d: {**d, "arrays": {**d["arrays"], "pc": d["arrays"]["pc"][:-1]}},  # not whole int64s
        lambda d: {**d, "arrays": {**d["arrays"], "pw": np.full(len(d["arrays"]["pw"]) // 8, 1000).tobytes()}},
        lambda d: {**d, "arrays": {k: v for k, v in d["arrays"].items() if k != "nk"}},
        lambda d: {**d, "arrays": {**d["arrays"], "w-2w-1 keys": np.array([5, 1], dtype=np.int64).tobytes(),
                                   "w-2w-1 rows": np.array([3, 3], dtype=np.int64).tobytes()}},  # unsorted keys
    ],
)
def test_damaged_cached_tables_are_built_again(cache, damage):
    model = tiny()
    plain = to_plain(model_tables(model.features, folder=None))
    assert from_plain(plain, len(model.features)) is not None
    bad = damage(plain)
    assert from_plain(bad, len(model.features)) is None
    write_cached(CACHE_NAME, cache_key(model.features), bad)
    same_tables(model_tables(model.features), model_tables(model.features, folder=None))
    assert from_plain(read_cached(CACHE_NAME, cache_key(model.features)), len(model.features)) is not None  # rewritten


@pytest.mark.parametrize("module", ["phi_tables", "phi_scorer", "phi_vocab", "phi_model"])
def test_the_key_covers_the_code_that_derives_the_tables(monkeypatch, tmp_path, module):
    import importlib

    features = tiny().features
    before = cache_key(features)
    changed = tmp_path / "changed.py"
    changed.write_text("# another version of the module\n")
    monkeypatch.setattr(importlib.import_module(f"medtext.pipeline.{module}"), "__file__", str(changed))
    assert cache_key(features) != before


@pytest.mark.parametrize(
    "a, b",
    [(["a", "b"], ["a\0b"]), ([], [""]), ([""], ["", ""]), (["x\0"], ["x", ""]), (["\ud800"], ["\udc00"]), (["ab"], ["a", "b"])],
)
def test_different_feature_lists_have_different_keys(a, b):
    assert cache_key(a) != cache_key(b)
    assert cache_key(list(a)) == cache_key(tuple(a))


def test_with_the_cache_off_no_key_is_computed(monkeypatch):
    monkeypatch.setenv("MEDTEXT_CACHE", "off")
    monkeypatch.setattr(phi_tables, "cache_key", lambda features: pytest.fail("a key was computed"))
    model = tiny()
    same_tables(model_tables(model.features), model_tables(model.features, folder=None))
