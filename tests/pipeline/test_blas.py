"""The NER's matrix products through numpy's BLAS (``medtext.pipeline.blas``)."""

from __future__ import annotations

import multiprocessing

import pytest
from thinc.api import NumpyOps

import medtext
from medtext.errors import MedtextError
from medtext.models import find_model
from medtext.pipeline.blas import use_numpy_blas

TEXT = (
    "Cisplatin-induced nephrotoxicity in patients with ovarian cancer. "
    "Nephrotoxicity developed in 12 of 40 patients treated with cisplatin and was reversed by magnesium."
)


@pytest.fixture(scope="module")
def nlp():
    try:
        find_model("ner")
    except MedtextError:
        pytest.skip("models/ner is not built (run `make models`)")
    return medtext.load(disable=["phi"])


def _ents(nlp):
    return [(e.start_char, e.end_char, e.label_) for e in nlp(TEXT).ents]


def test_the_loaded_ner_multiplies_with_numpy(nlp):
    layers = list(nlp.get_pipe("ner").model.walk())
    assert layers and all(not layer.ops.use_blis for layer in layers)


def test_numpy_and_blis_products_give_the_same_entities(nlp):
    ner = nlp.get_pipe("ner")
    with_numpy = _ents(nlp)
    saved = [layer.ops for layer in ner.model.walk()]
    try:
        for layer in ner.model.walk():
            layer.ops = NumpyOps()
        with_blis = _ents(nlp)
        assert use_numpy_blas(nlp) == len(saved)
    finally:
        for layer, ops in zip(ner.model.walk(), saved):
            layer.ops = ops
    assert with_numpy == with_blis and ("cisplatin" in {TEXT[s:e].lower() for s, e, _ in with_numpy})


def test_a_pipeline_without_models_is_left_alone():
    assert use_numpy_blas(medtext.load(exclude=["ner"])) == 0


def _blas_threads_in_child(queue):
    from threadpoolctl import threadpool_info

    from medtext.batch.worker import one_blas_thread_per_worker

    one_blas_thread_per_worker()
    queue.put(sorted({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_process_uses_one_blas_thread_and_the_parent_keeps_its_own():
    import numpy  # noqa: F401  (loads the BLAS)
    from threadpoolctl import threadpool_info, threadpool_limits

    from medtext.batch.worker import one_blas_thread_per_worker

    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine, whatever this one has
        one_blas_thread_per_worker()
        in_parent = sorted({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"})
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_blas_threads_in_child, args=(queue,))
        child.start()
        in_child = queue.get(timeout=60)
        child.join(60)
    assert in_child == [1]
    assert in_parent == [2]
