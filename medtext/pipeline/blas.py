"""Matrix products of the pipeline's neural models through numpy's BLAS instead of BLIS.

thinc's CPU backend multiplies matrices with the BLIS library it bundles. numpy's
wheels bundle OpenBLAS (conda's numpy: MKL or OpenBLAS), whose kernels are tuned for
each CPU at run time; on our 2-core benchmark machine it multiplies the NER encoder's
matrices 1.7x faster than the bundled BLIS on one thread (3x on two), which makes the
``ner`` component about 10% faster on one BLAS thread and 20% on two, with identical
entities on the 1,655 PhysioNet notes. ``thinc`` supports this switch
itself (``NumpyOps(use_blis=False)`` delegates ``gemm`` to ``numpy.dot``); this module
applies it to the models of a loaded pipeline. Only the large batched products move;
the transition parser's per-step products stay in BLIS.

Example:
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> use_numpy_blas(nlp)
    0
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from thinc.api import NumpyOps

_NUMPY_BLAS_OPS = NumpyOps(use_blis=False)


def use_numpy_blas(nlp: Any) -> int:
    """Switch the CPU models of ``nlp``'s components to numpy's BLAS; returns the number of layers switched.

    Layers on other backends (a GPU, Apple's ops) are left as they are.
    """
    switched = 0
    for layer in pipeline_layers(nlp):
        if type(layer.ops) is NumpyOps and layer.ops.use_blis:
            layer.ops = _NUMPY_BLAS_OPS
            switched += 1
    return switched


def pipeline_layers(nlp: Any) -> Iterator[Any]:
    """Every thinc layer of the models of ``nlp``'s components (components without a model give none)."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            yield from model.walk()


def limit_blas_threads(threads: int = 1) -> None:
    """Let numpy's BLAS use at most ``threads`` threads in this process (batch workers: one each).

    Without it every worker process would start one BLAS thread per core and the
    workers' threads would compete for the same cores.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
