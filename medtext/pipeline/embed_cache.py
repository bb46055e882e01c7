"""Token embeddings of the NER's encoder computed once per distinct token, not once per token.

spaCy's ``MultiHashEmbed`` (the first layer of the NER's tok2vec) maps each token to a
vector from its lexical features alone (NORM, PREFIX, SUFFIX, SHAPE: four hash
embeddings, concatenated, then a maxout layer with layer norm): a pure function of
those four values. A batch of 256 PhysioNet notes has 14-18 distinct feature rows per
hundred tokens (all 1,655 notes: 7), so at prediction time this module computes the
layer on the distinct rows not seen before and gathers the rest from a table. Training (``is_train``) runs
the layer as it is and empties the table; loading new weights empties it too. Layers on
other backends than numpy's (a GPU) run as they are.

The layer's own function is swapped, not the model tree, so a pipeline saved with it
loads anywhere (the same nodes and parameters).

Example:
    >>> import medtext
    >>> nlp = medtext.load()  # doctest: +SKIP
    >>> cache_token_embeddings(nlp)  # doctest: +SKIP
    1
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np
from thinc.api import NumpyOps

from medtext.pipeline.blas import pipeline_layers

MAX_ROWS = 100_000  # then start afresh (width 96, float32: under 40 MB)


def cache_token_embeddings(nlp: Any) -> int:
    """Cache the hash-embedding layers of ``nlp``'s models at prediction time; returns how many were found.

    Layers already cached, and embedding layers of another shape (static vectors,
    character embeddings), are left as they are.
    """
    found = 0
    for layer in pipeline_layers(nlp):
        if _is_hash_embed(layer):
            if not isinstance(layer._func, _CachedForward):
                layer._func = _CachedForward(layer._func)
            found += 1
    return found


def _is_hash_embed(layer: Any) -> bool:
    """``MultiHashEmbed`` without static vectors: features >> list2ragged >> hash embeddings >> maxout >> ragged2list."""
    names = [sub.name for sub in layer.layers]
    return (
        len(names) == 5
        and names[0] == "extract_features"
        and names[1] == "list2ragged"
        and names[2].startswith("with_array(ints-getitem>>hashembed")
        and names[3].startswith("with_array(maxout")
        and names[4] == "ragged2list"
    )


class _Table:
    """Distinct feature row (bytes) -> row of ``vectors``; valid for one set of weights."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.index: dict[bytes, int] = {}
        self.vectors: np.ndarray | None = None
        self.size = 0
        self.weights: tuple[Any, ...] = ()  # the parameter arrays the rows were computed with (held, so never reused)

    def add(self, vectors: np.ndarray) -> None:
        n = len(vectors)
        if self.vectors is None:
            self.vectors = np.empty((max(4096, 2 * n), vectors.shape[1]), dtype=vectors.dtype)
        elif self.size + n > len(self.vectors):
            grown = np.empty((2 * (self.size + n), self.vectors.shape[1]), dtype=self.vectors.dtype)
            grown[: self.size] = self.vectors[: self.size]
            self.vectors = grown
        self.vectors[self.size : self.size + n] = vectors
        self.size += n


def _weights(layer: Any) -> tuple[Any, ...]:
    """The layer's parameter arrays: loading weights (``from_disk``, ``from_bytes``) or an update replaces them."""
    return tuple(node.get_param(name) for node in layer.walk() for name in node.param_names if node.has_param(name))


def _same_arrays(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


class _CachedForward:
    """The layer's forward function with the table in front (pickles as the bare function: the copy starts empty)."""

    def __init__(self, original: Callable[..., Any]) -> None:
        self.original = original
        self.table = _Table()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_CachedForward, (self.original,))

    def __call__(self, model: Any, docs: Any, is_train: bool) -> Any:
        table = self.table
        if is_train:
            with table.lock:
                table.clear()  # the weights are about to change
            return self.original(model, docs, is_train)
        if not isinstance(model.ops, NumpyOps):  # a GPU (or other) backend: arrays are not numpy's
            return self.original(model, docs, is_train)
        extract, _, embed, mix, _ = model.layers
        features = extract.predict(docs)
        lengths = [len(f) for f in features]
        if sum(lengths) == 0:
            return self.original(model, docs, is_train)
        rows = np.ascontiguousarray(np.concatenate(features), dtype=np.uint64)
        keys = rows.view(np.dtype((np.void, rows.shape[1] * 8))).ravel()
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        with table.lock:  # threads sharing a pipeline share the table
            gathered = _gather(table, model, embed, mix, rows, distinct, first, inverse)
        out = []
        start = 0
        for n in lengths:
            out.append(gathered[start : start + n])
            start += n
        return out, _no_backprop


def _no_backprop(d_out: Any) -> Any:
    raise NotImplementedError("the cached embedding layer does not train: call it with is_train=True")


def _gather(table: _Table, model: Any, embed: Any, mix: Any, rows: np.ndarray, distinct: np.ndarray,
            first: np.ndarray, inverse: np.ndarray) -> Any:
    """The vector of every row: from the table, after computing (and adding) the distinct rows it lacks."""
    weights = _weights(model)
    if not _same_arrays(weights, table.weights) or table.size > MAX_ROWS:
        table.clear()
        table.weights = weights
    index = table.index
    at = np.fromiter((index.get(key, -1) for key in distinct.tolist()), dtype=np.int64, count=len(distinct))
    new = np.flatnonzero(at < 0)
    if len(new):
        vectors = mix.predict(embed.predict(rows[first[new]]))
        start = table.size
        table.add(model.ops.to_numpy(vectors))
        at[new] = np.arange(start, start + len(new))
        index.update(zip(distinct[new].tolist(), range(start, start + len(new))))
    return model.ops.asarray2f(table.vectors[at[inverse.ravel()]])  # type: ignore[index]
