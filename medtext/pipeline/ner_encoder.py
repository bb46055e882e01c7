"""The NER's window encoder at prediction time in fewer numpy passes: the same floats as thinc's layers.

spaCy's ``MaxoutWindowEncoder`` (the CNN of the NER's tok2vec) is ``with_array(pad)`` over
``depth`` residual blocks of ``expand_window >> maxout >> layernorm >> dropout``. Run
layer by layer, thinc allocates a fresh window array per block, computes the maxout's
winning piece indices (needed only to train), and lays out the layer norm's moments in
two passes over the data. This module swaps the ``with_array`` layer's forward function
(not the model tree: a saved pipeline loads anywhere) for one that, at prediction time,
reuses one window array for all blocks, takes the maxout with ``numpy.maximum`` and the
moments with one subtraction, in the same order of operations as thinc (the matrix
products are the layers' own ``ops.gemm``), so every float is the one thinc gives. Training,
other backends than numpy's, and encoders of another shape run thinc's layers as they are.

Example:
    >>> import spacy
    >>> fast_window_encoders(spacy.blank("en"))
    0
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import numpy as np
from thinc.api import NumpyOps

from medtext.pipeline.blas import pipeline_layers


def _forward(name: str) -> Callable[..., Any]:
    """The forward function of thinc's layer module ``name`` (``thinc.layers`` exports the constructors
    under the modules' names)."""
    return importlib.import_module(f"thinc.layers.{name}").forward


_BLOCK = tuple(_forward(name) for name in ("expand_window", "maxout", "layernorm", "dropout"))
_CHAIN, _RESIDUAL, _WITH_ARRAY = _forward("chain"), _forward("residual"), _forward("with_array")


def fast_window_encoders(nlp: Any) -> int:
    """Run the window encoders of ``nlp``'s models with :class:`_FastForward`; returns how many were found."""
    found = 0
    for layer in pipeline_layers(nlp):
        if _blocks(layer) is not None:
            if not isinstance(layer._func, _FastForward):
                layer._func = _FastForward(layer._func)
            found += 1
    return found


def _blocks(layer: Any) -> list[tuple[Any, Any, Any]] | None:
    """(expand_window, maxout, layernorm) of each residual block of a ``with_array`` window encoder; None for
    any other layer (then thinc runs it)."""
    if getattr(layer, "_func", None) is not _WITH_ARRAY and not isinstance(layer._func, _FastForward):
        return None
    if len(layer.layers) != 1 or layer.layers[0]._func is not _CHAIN:
        return None
    blocks = []
    for block in layer.layers[0].layers:
        if block._func is not _RESIDUAL or len(block.layers) != 1:
            return None
        leaves = _chained_leaves(block.layers[0])
        if leaves is None or [leaf._func for leaf in leaves] != list(_BLOCK):
            return None
        blocks.append((leaves[0], leaves[1], leaves[2]))
    return blocks or None


def _chained_leaves(layer: Any) -> list[Any] | None:
    """The layers a nest of ``chain`` runs one after the other, in order; None when some node is no chain."""
    if not layer.layers:
        return [layer]
    if layer._func is not _CHAIN:
        return None
    leaves: list[Any] = []
    for sub in layer.layers:
        found = _chained_leaves(sub)
        if found is None:
            return None
        leaves += found
    return leaves


class _FastForward:
    """The encoder's forward function, fused at prediction time (pickles as the bare function)."""

    def __init__(self, original: Callable[..., Any]) -> None:
        self.original = original

    def __reduce__(self) -> tuple[Any, ...]:
        return (_FastForward, (self.original,))

    def __call__(self, model: Any, Xs: Any, is_train: bool) -> Any:
        blocks = None if is_train or not isinstance(Xs, list) else _blocks(model)
        if blocks is None or not _fusable(model, blocks, Xs):
            return self.original(model, Xs, is_train)
        pad = model.attrs["pad"]
        lengths = np.asarray([len(x) for x in Xs], dtype="i")
        Xf = model.ops.flatten(Xs, pad=pad)
        Yf = encode(Xf, blocks)
        return model.ops.unflatten(Yf, lengths, pad=pad), _no_backprop


def _fusable(model: Any, blocks: list[tuple[Any, Any, Any]], Xs: list[Any]) -> bool:
    """Numpy ops throughout, float32 (n, width) inputs with some rows, windows of one size."""
    if not all(type(node.ops) is NumpyOps for node in model.walk()):
        return False
    if not Xs or not all(isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype == np.float32 for x in Xs):
        return False
    if sum(len(x) for x in Xs) == 0:
        return False
    width = Xs[0].shape[1]
    for expand, maxout, norm in blocks:
        n_w = expand.attrs["window_size"]
        if maxout.get_dim("nI") != width * (2 * n_w + 1) or maxout.get_dim("nO") != width or norm.get_dim("nI") != width:
            return False
    return all(x.shape[1] == width for x in Xs)


def _no_backprop(d_out: Any) -> Any:
    raise NotImplementedError("the fused encoder does not train: call it with is_train=True")


def encode(X: np.ndarray, blocks: list[tuple[Any, Any, Any]]) -> np.ndarray:
    """The residual blocks over the flat array ``X`` (n, width), as thinc computes them (one window array
    for all blocks)."""
    cols: np.ndarray | None = None
    for expand, maxout, norm in blocks:
        cols = _windows(X, expand.attrs["window_size"], cols)
        n_o, n_p, n_i = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
        Y = maxout.ops.gemm(cols, maxout.get_param("W").reshape(n_o * n_p, n_i), trans2=True)
        Y += maxout.get_param("b").reshape(n_o * n_p)
        pieces = Y.reshape(len(Y), n_o, n_p)
        best = np.maximum(pieces[:, :, 0], pieces[:, :, 1]) if n_p > 1 else pieces[:, :, 0].copy()
        for piece in range(2, n_p):
            np.maximum(best, pieces[:, :, piece], out=best)
        X = X + _layer_norm(best, norm)
    return X


def _windows(X: np.ndarray, n_w: int, out: np.ndarray | None) -> np.ndarray:
    """thinc's ``seq2col(X, n_w)``: each row with the ``n_w`` rows before and after it, zeros past the ends
    (written into ``out`` when it has the shape).

    Example:
        >>> _windows(np.arange(1, 4, dtype="f").reshape(3, 1), 1, None).tolist()
        [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 0.0]]
    """
    n, width = X.shape
    size = (2 * n_w + 1) * width
    if out is None or out.shape != (n, size):
        out = np.empty((n, size), dtype=X.dtype)
    for k in range(-n_w, n_w + 1):
        col = slice((k + n_w) * width, (k + n_w + 1) * width)
        shift = min(abs(k), n)
        if k < 0:
            out[:shift, col] = 0
            out[shift:, col] = X[: n - shift]
        elif k == 0:
            out[:, col] = X
        else:
            out[n - shift :, col] = 0
            out[: n - shift, col] = X[shift:]
    return out


def _layer_norm(X: np.ndarray, norm: Any) -> np.ndarray:
    """thinc's LayerNorm forward: ``(X - mean) * (var + 1e-8) ** -0.5 * G + b`` with numpy's ``mean`` and
    ``var`` arithmetic (sum, then true division by the row width as an intp), the difference computed once."""
    count = np.intp(X.shape[1])
    mu = np.add.reduce(X, axis=1, keepdims=True)
    np.true_divide(mu, count, out=mu, casting="unsafe")
    centred = np.subtract(X, mu)
    var = np.add.reduce(np.square(centred), axis=1, keepdims=True)
    np.true_divide(var, np.maximum(count - 0, 0), out=var, casting="unsafe")
    var = var + 1e-08
    centred *= var ** (-1.0 / 2.0)
    centred *= norm.get_param("G")
    centred += norm.get_param("b")
    return centred
