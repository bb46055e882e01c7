"""Greedy NER decoding with numpy, all documents of a batch in lockstep: spaCy's entities, faster.

spaCy's transition-based NER decodes each document token by token in compiled code
(about 17 us per token on our machine, half of the NER's time on clinical notes). For
NER every transition consumes exactly one token, so the states of a batch can move in
lockstep: step ``t`` scores token ``t`` of every document still running, with a few
numpy operations for the whole batch. The arithmetic is spaCy's own, in the same order:
the precomputed hidden vectors of the three context tokens are summed, then the bias
added, a maxout taken, and the output layer multiplied with BLIS (the library spaCy's
decoder uses), so the scores are the same floats; the BILUO validity rules are spaCy's
(``spacy/pipeline/_parser_internals/ner.pyx``) for documents without preset entities.
Outside an entity (most tokens) the second and third context tokens are the padding, so
those scores are computed for all tokens at once and only looked up step by step.

Anything else goes through spaCy's own decoder: preset entities (an EntityRuler before
the NER), beam search, a model of another shape or on another backend.

Example:
    >>> import medtext
    >>> nlp = medtext.load()  # doctest: +SKIP
    >>> use_fast_ner(nlp)  # doctest: +SKIP
    1
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, SENT_START
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from thinc.api import NumpyOps

BEGIN, IN, LAST, UNIT, OUT, INVALID = range(6)
_MOVES = {"B": BEGIN, "I": IN, "L": LAST, "U": UNIT}


class _NoValidMove(Exception):
    """A state with no valid transition: left to spaCy's decoder (which ends such a document early)."""


class Decoded:
    """Entities (start, end, label) of each document of a batch, as :class:`FastEntityRecognizer.predict` returns them."""

    def __init__(self, entities: list[list[tuple[int, int, str]]]) -> None:
        self.entities = entities


class FastEntityRecognizer(EntityRecognizer):
    """spaCy's ``EntityRecognizer`` whose greedy decoding runs in numpy (see the module docstring)."""

    def predict(self, docs: Any) -> Any:
        if isinstance(docs, Doc):
            docs = [docs]
        plan = decoding_plan(self)
        if plan is None or any(doc.has_annotation("ENT_IOB") for doc in docs):
            return super().predict(docs)
        try:
            return Decoded(decode(self, plan, list(docs)))
        except _NoValidMove:
            return super().predict(docs)

    def set_annotations(self, docs: Any, states_or_beams: Any) -> None:
        """spaCy's entities; those the model added (not preset ones) are listed in ``doc.user_data``
        (:func:`model_entities`), so that ``concepts`` tells them from a user's (an EntityRuler's, or set by hand)."""
        if not isinstance(states_or_beams, Decoded):
            docs = list(docs)
            preset = [{(e.start, e.end, e.label) for e in doc.ents} for doc in docs]
            super().set_annotations(docs, states_or_beams)
            for doc, before in zip(docs, preset):
                record_model_entities(doc, before)
            return
        for doc, entities in zip(docs, states_or_beams.entities):
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in entities], default="outside")
            record_model_entities(doc)
            for hook in self.postprocesses:
                hook(doc)


# doc.user_data key: [[start, end, label], ...] of the entities the NER found (plain data: docs serialize)
MODEL_ENTITIES = "medtext.model_entities"


def record_model_entities(doc: Doc, preset: Collection[tuple[int, int, int]] = frozenset()) -> None:
    """List in ``doc.user_data`` the entities of ``doc`` not in ``preset`` ((start, end, label id)): the model's."""
    found = [[e.start, e.end, e.label_] for e in doc.ents if (e.start, e.end, e.label) not in preset]
    doc.user_data[MODEL_ENTITIES] = list(doc.user_data.get(MODEL_ENTITIES) or []) + found


def model_entities(doc: Doc) -> set[tuple[int, int, str]]:
    """(start, end, label) of the entities a :class:`FastEntityRecognizer` found in ``doc``."""
    return {(s, e, label) for s, e, label in doc.user_data.get(MODEL_ENTITIES) or ()}


def decoding_plan(ner: Any) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """(move of each class, label index of each class, label names), or None when the model is not one this
    decoder reproduces exactly (then spaCy decodes)."""
    model = ner.model
    if ner.cfg.get("beam_width", 1) != 1 or not isinstance(model.ops, NumpyOps) or not model.attrs.get("has_upper", False):
        return None
    if model.attrs.get("unseen_classes"):
        return None
    lower = model.get_ref("lower")
    if lower.get_dim("nF") != 3 or lower.get_dim("nP") < 2:
        return None
    labels: list[str] = []
    moves, label_of = [], []
    for i in range(ner.moves.n_moves):
        name = ner.moves.get_class_name(i)
        if name == "O":
            moves.append(OUT)
            label_of.append(-1)
            continue
        move, _, label = name.partition("-")
        if move not in _MOVES or not label:  # "U-" (blocked preset spans) and "-" (missing) are never valid here
            moves.append(INVALID)
            label_of.append(-1)
            continue
        if label not in labels:
            labels.append(label)
        moves.append(_MOVES[move])
        label_of.append(labels.index(label))
    if model.get_ref("upper").get_dim("nO") != len(moves):
        return None
    return np.array(moves), np.array(label_of), labels


# Tokens decoded in lockstep at once (their table of hidden vectors takes ~1.5 KB a token) and
# tokens through the encoder at once (its intermediate arrays take ~12 KB a token).
DECODE_TOKENS = 65_536
ENCODE_TOKENS = 4_096
# A longer document is decoded as runs of whole sentences of about this many tokens, side by side
# (the lockstep would otherwise take one step per token of it).
SEGMENT_TOKENS = 512


def decode(ner: Any, plan: tuple[np.ndarray, np.ndarray, list[str]], docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
    """Entities of each document, as spaCy's greedy decoder finds them.

    Documents are decoded shortest first, in groups of at most ``DECODE_TOKENS`` tokens:
    the lockstep takes as many steps as a group's longest document, so documents of
    similar lengths share them (a document's entities do not depend on its group). A
    longer document is decoded a range of its sentence runs at a time (:func:`_decode_long`).
    """
    out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
    order = sorted((i for i, doc in enumerate(docs) if len(doc)), key=lambda i: len(docs[i]))
    for group in token_groups(order, [len(doc) for doc in docs], DECODE_TOKENS):
        if len(group) == 1 and len(docs[group[0]]) > DECODE_TOKENS:
            out[group[0]] = _decode_long(ner, plan, docs[group[0]])
            continue
        for i, entities in zip(group, _decode_group(ner, plan, [docs[i] for i in group])):
            out[i] = entities
    return out


def token_groups(indices: list[int], lengths: list[int], budget: int) -> list[list[int]]:
    """``indices`` in order, cut into runs of at most ``budget`` tokens (a longer document alone).

    Example:
        >>> token_groups([0, 1, 2, 3], [5, 5, 20, 3], 10)
        [[0, 1], [2], [3]]
    """
    groups: list[list[int]] = []
    size = budget + 1
    for i in indices:
        if size + lengths[i] > budget:
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += lengths[i]
    return groups


def hidden_table(model: Any, docs: list[Doc]) -> np.ndarray:
    """(tokens + 1, nF, nO * nP): the lower layer's precomputed vectors of every token of ``docs`` in order,
    after row 0, the padding for "no token"; the encoder runs on at most ``ENCODE_TOKENS`` tokens at once."""
    lower = model.get_ref("lower")
    tok2vec = model.get_ref("tok2vec")
    lengths = [len(doc) for doc in docs]
    if _writes_in_place(lower):
        return _filled_table(lower, tok2vec, docs, lengths)

    def pieces() -> Iterator[np.ndarray]:
        for group in token_groups(list(range(len(docs))), lengths, ENCODE_TOKENS):
            if len(group) == 1 and lengths[group[0]] > ENCODE_TOKENS and _receptive_field(tok2vec) is not None:
                yield from _encode_long(lower, tok2vec, docs[group[0]])
            else:
                yield lower.predict(tok2vec.predict([docs[i] for i in group]))  # (tokens + 1, nF, nO, nP), row 0 padding

    return _flat_table(pieces(), sum(lengths))


def _writes_in_place(lower: Any) -> bool:
    """spaCy's ``PrecomputableAffine`` on numpy's ops: its product can be written straight into the table."""
    from spacy.ml._precomputable_affine import forward

    return lower._func is forward and type(lower.ops) is NumpyOps


def _filled_table(lower: Any, tok2vec: Any, docs: list[Doc], lengths: list[int]) -> np.ndarray:
    """:func:`hidden_table` with the lower layer's products written into the table (the layer's own ``gemm``,
    arguments and padding row: the same floats) instead of into an array per piece that is then copied."""
    n_f, n_o, n_p, n_i = (lower.get_dim(dim) for dim in ("nF", "nO", "nP", "nI"))
    weights = lower.get_param("W").reshape((n_f * n_o * n_p, n_i))
    table = np.empty((sum(lengths) + 1, n_f, n_o * n_p), dtype=weights.dtype)
    table[0] = lower.get_param("pad").reshape(n_f, n_o * n_p)
    row = 1
    for group in token_groups(list(range(len(docs))), lengths, ENCODE_TOKENS):
        if len(group) == 1 and lengths[group[0]] > ENCODE_TOKENS and _receptive_field(tok2vec) is not None:
            for cached in _encode_long(lower, tok2vec, docs[group[0]]):
                table[row : row + len(cached) - 1] = cached[1:].reshape(len(cached) - 1, n_f, n_o * n_p)
                row += len(cached) - 1
            continue
        vectors = tok2vec.predict([docs[i] for i in group])
        rows = table[row : row + len(vectors)].reshape(len(vectors), n_f * n_o * n_p)
        lower.ops.gemm(vectors, weights, trans2=True, out=rows)
        row += len(vectors)
    assert row == len(table)
    return table


def _receptive_field(tok2vec: Any) -> int | None:
    """How many tokens on each side a token's vector depends on: the window sizes of the encoder's
    ``expand_window`` layers added up; None when it reads more than per-token features (static vectors) or
    has a layer that looks further (an LSTM, attention)."""
    names = [node.name.lower() for node in tok2vec.walk()]
    if any("lstm" in name or "attention" in name or "static_vectors" in name for name in names):
        return None
    return sum(int(node.attrs.get("window_size", 1)) for node in tok2vec.walk() if node.name == "expand_window")


class _Piece:
    """Tokens ``[lo, hi)`` of a document as the encoder's feature extractor reads them (``to_array``), sliced
    from one array of the whole document (``Span.as_doc`` would copy the whole document's arrays each time)."""

    def __init__(self, arrays: dict[tuple[Any, ...], np.ndarray], doc: Doc, lo: int, hi: int) -> None:
        self.arrays, self.doc, self.lo, self.hi = arrays, doc, lo, hi

    def __len__(self) -> int:
        return self.hi - self.lo

    def to_array(self, columns: Any) -> np.ndarray:
        key = tuple(columns) if isinstance(columns, (list, tuple)) else (columns,)
        if key not in self.arrays:
            self.arrays[key] = self.doc.to_array(columns)
        return self.arrays[key][self.lo : self.hi]


def _encode_long(lower: Any, tok2vec: Any, doc: Doc, a: int = 0, b: int | None = None,
                 arrays: dict[tuple[Any, ...], np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """The lower layer's vectors of tokens ``[a, b)`` of a document longer than ``ENCODE_TOKENS``, encoded in
    pieces of that size (on a grid from the document's start, whatever ``a``) with a margin wider than the
    encoder's receptive field on each side (so every vector is the one the whole document would give, in
    bounded memory); each piece's row 0 is the padding row. ``arrays``: the document's feature arrays, kept
    across calls."""
    b = len(doc) if b is None else b
    margin = 2 * (_receptive_field(tok2vec) or 0) + 8
    arrays = {} if arrays is None else arrays
    for start in range(a - a % ENCODE_TOKENS, b, ENCODE_TOKENS):
        end = min(start + ENCODE_TOKENS, len(doc))
        lo, hi = max(0, start - margin), min(len(doc), end + margin)
        cached = lower.predict(tok2vec.predict([_Piece(arrays, doc, lo, hi)]))
        first, last = max(start, a), min(end, b)
        yield np.concatenate([cached[:1], cached[1 + first - lo : 1 + last - lo]])


def _flat_table(pieces: Iterable[np.ndarray], n_tokens: int) -> np.ndarray:
    """(n_tokens + 1, nF, nO * nP) filled from encoded pieces (each (rows + 1, nF, nO, nP) with its padding
    row 0; the first piece's is kept), one piece in memory at a time."""
    table: np.ndarray | None = None
    row = 1
    for cached in pieces:
        n_f, n_o, n_p = cached.shape[1:]
        if table is None:
            table = np.empty((n_tokens + 1, n_f, n_o * n_p), dtype=cached.dtype)
            table[0] = cached[0].reshape(n_f, n_o * n_p)
        table[row : row + len(cached) - 1] = cached[1:].reshape(len(cached) - 1, n_f, n_o * n_p)
        row += len(cached) - 1
    assert table is not None and row == len(table)
    return table


def _decode_long(ner: Any, plan: tuple[np.ndarray, np.ndarray, list[str]], doc: Doc) -> list[tuple[int, int, str]]:
    """Entities of a document longer than ``DECODE_TOKENS``: its runs of whole sentences (:func:`segments`)
    are decoded in consecutive ranges of at most ``DECODE_TOKENS`` tokens, each with the hidden vectors of its
    own tokens only (the whole document's table takes ~1.5 KB a token: 335 MB for a 1 MB note). Runs are
    decoded independently anyway, so the entities are those of the whole document at once."""
    model = ner.model
    attrs = doc.to_array([IS_SPACE, SENT_START]).astype(np.int64)
    n = len(doc)
    sent_start = attrs[:, 1] == 1
    _, seg_starts, seg_lengths = segments(np.array([n]), np.array([0]), sent_start, SEGMENT_TOKENS)
    is_space, next_starts = attrs[:, 0] != 0, np.zeros(n, dtype=bool)
    next_starts[:-1] = sent_start[1:]
    lower, tok2vec = model.get_ref("lower"), model.get_ref("tok2vec")
    if _receptive_field(tok2vec) is None:  # an encoder that cannot be run in pieces: the whole document at once
        return _decode_group(ner, plan, [doc])[0]
    arrays: dict[tuple[Any, ...], np.ndarray] = {}
    found: list[tuple[int, int, int]] = []
    seg_ends = (seg_starts + seg_lengths).tolist()
    for group in token_groups(list(range(len(seg_starts))), seg_lengths.tolist(), DECODE_TOKENS):
        a, b = int(seg_starts[group[0]]), seg_ends[group[-1]]
        table = _flat_table(_encode_long(lower, tok2vec, doc, a, b, arrays), b - a)
        starts = seg_starts[group] - a
        for state, entities in enumerate(_lockstep(ner, plan, table, is_space[a:b], next_starts[a:b], starts, seg_lengths[group])):
            shift = a + int(starts[state])
            found.extend((start + shift, end + shift, label) for start, end, label in entities)
    labels = plan[2]
    return [(start, end, labels[label]) for start, end, label in sorted(found)]


def _decode_group(ner: Any, plan: tuple[np.ndarray, np.ndarray, list[str]], docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
    """Entities of each (non-empty) document, decoded in lockstep."""
    labels = plan[2]
    table = hidden_table(ner.model, docs)
    doc_lengths = np.array([len(doc) for doc in docs])
    doc_starts = np.cumsum(doc_lengths) - doc_lengths
    attrs = np.concatenate([doc.to_array([IS_SPACE, SENT_START]) for doc in docs]).astype(np.int64)
    is_space = attrs[:, 0] != 0
    next_starts = np.zeros(len(attrs), dtype=bool)  # the token after (in the same document) starts a sentence
    next_starts[:-1] = attrs[1:, 1] == 1
    next_starts[doc_starts + doc_lengths - 1] = False
    # Each state decodes a segment: a document, or a long document's run of whole sentences (no entity
    # crosses a sentence start, so each sentence starts with none open, as in the whole document).
    seg_doc, starts, lengths = segments(doc_lengths, doc_starts, attrs[:, 1] == 1, SEGMENT_TOKENS)
    per_doc: list[list[tuple[int, int, int]]] = [[] for _ in docs]
    for state, entities in enumerate(_lockstep(ner, plan, table, is_space, next_starts, starts, lengths)):
        d = int(seg_doc[state])
        shift = int(starts[state] - doc_starts[d])
        per_doc[d].extend((start + shift, end + shift, label) for start, end, label in entities)
    return [[(start, end, labels[label]) for start, end, label in sorted(entities)] for entities in per_doc]


def _lockstep(ner: Any, plan: tuple[np.ndarray, np.ndarray, list[str]], table: np.ndarray, is_space: np.ndarray,
              next_starts: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> list[list[tuple[int, int, int]]]:
    """(start, end, label index) of the entities of each segment (its first token ``starts`` and ``lengths``
    in the tokens of ``table``, which has the padding row first), all segments decoded in lockstep."""
    from blis.py import gemm

    moves, label_of, labels = plan
    model = ner.model
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    n_o, n_p = lower.get_dim("nO"), lower.get_dim("nP")
    bias = lower.get_param("b").reshape(n_o * n_p)
    weights, out_bias = upper.get_param("W"), upper.get_param("b")
    valid_for = _validity_table(moves, label_of, len(labels))
    n_states = len(starts)
    position = np.zeros(n_states, dtype=np.int64)
    open_start = np.full(n_states, -1, dtype=np.int64)  # local start of the open entity
    open_label = np.full(n_states, -1, dtype=np.int64)
    active = np.arange(n_states)
    found: list[list[tuple[int, int, int]]] = [[] for _ in range(n_states)]

    def score(first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
        """Class scores from the three context tokens' precomputed vectors, in spaCy's order of operations."""
        unmaxed = first + second
        unmaxed += third
        unmaxed += bias
        pieces = unmaxed.reshape(len(unmaxed), n_o, n_p)
        hidden = pieces[:, :, 0].copy()
        for piece in range(1, n_p):
            np.maximum(hidden, pieces[:, :, piece], out=hidden)
        scores = gemm(hidden, weights, trans2=True, beta=0.0)
        scores += out_bias
        return scores

    # With no entity open, the 2nd and 3rd context tokens are the padding: scored once for every token.
    closed = score(table[1:, 0], table[0, 1], table[0, 2])
    while len(active):
        t = position[active]
        here = starts[active] + t  # the first buffer token, in the batch
        current = open_label[active]
        scores = closed[here]
        is_open = np.flatnonzero(current >= 0)
        if len(is_open):
            states, tokens = active[is_open], here[is_open]
            scores[is_open] = score(table[tokens + 1, 0], table[starts[states] + open_start[states] + 1, 1], table[tokens, 2])
        more = (lengths[active] - t) >= 2
        situation = (((current + 1) * 2 + more) * 2 + next_starts[here]) * 2 + is_space[here]
        valid = valid_for[situation]
        guess = np.where(valid, scores, -np.inf).argmax(axis=1)
        if not valid[np.arange(len(active)), guess].all():
            raise _NoValidMove  # never for BILUO without presets (Out or Last is always valid)
        move = moves[guess]
        for k in np.flatnonzero((move != OUT) & (move != IN)).tolist():  # entities open and close: rare
            s, m, label = active[k], move[k], int(label_of[guess[k]])
            if m == BEGIN:
                open_start[s], open_label[s] = t[k], label
            elif m == LAST:
                found[s].append((int(open_start[s]), int(t[k]) + 1, label))
                open_start[s] = open_label[s] = -1
            else:
                found[s].append((int(t[k]), int(t[k]) + 1, label))
        position[active] += 1
        active = active[position[active] < lengths[active]]
    return found


def segments(lengths: np.ndarray, starts: np.ndarray, sent_start: np.ndarray, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document of each segment, its first token in the batch, its length): a document of at most ``budget``
    tokens is one segment; a longer one is cut at sentence starts into runs of whole sentences of at most
    ``budget`` tokens where its sentences allow (``sent_start``: per batch token, a sentence starts there).

    Example:
        >>> flags = np.array([1, 0, 0, 1, 0, 1, 0, 0, 1, 0], dtype=bool)
        >>> [a.tolist() for a in segments(np.array([10]), np.array([0]), flags, 4)]
        [[0, 0, 0, 0], [0, 3, 5, 8], [3, 2, 3, 2]]
    """
    docs, firsts, sizes = [], [], []
    for d, (length, start) in enumerate(zip(lengths.tolist(), starts.tolist())):
        cuts = [0]
        if length > budget:
            cuts = _pack([0, *(np.flatnonzero(sent_start[start + 1 : start + length]) + 1).tolist()], length, budget)
        bounds = cuts + [length]
        for a, b in itertools.pairwise(bounds):
            docs.append(d)
            firsts.append(start + a)
            sizes.append(b - a)
    return np.array(docs), np.array(firsts, dtype=np.int64), np.array(sizes, dtype=np.int64)


def _pack(starts: list[int], length: int, budget: int) -> list[int]:
    """Of the sentence starts (``starts[0] == 0``), those that begin a segment: sentences are added to the
    current segment while it stays within ``budget`` tokens."""
    kept = [0]
    bounds = starts[1:] + [length]
    for i, start in enumerate(starts[1:]):
        if bounds[i + 1] - kept[-1] > budget:  # the sentence starting here would not fit: a new segment
            kept.append(start)
    return kept


def _validity_table(moves: np.ndarray, label_of: np.ndarray, n_labels: int) -> np.ndarray:
    """Valid classes in each situation (open label + 1, at least two tokens left, next token starts a sentence,
    this token is whitespace), by spaCy's BILUO rules for documents without preset entities."""
    table = np.zeros(((n_labels + 1) * 8, len(moves)), dtype=bool)
    for current in range(-1, n_labels):
        for more in (0, 1):
            for next_start in (0, 1):
                for space in (0, 1):
                    row = table[(((current + 1) * 2 + more) * 2 + next_start) * 2 + space]
                    is_open = current >= 0
                    for c, (move, label) in enumerate(zip(moves.tolist(), label_of.tolist())):
                        if move == BEGIN:
                            row[c] = not is_open and more and not next_start and not space
                        elif move == IN:
                            row[c] = is_open and label == current and more and not next_start
                        elif move == LAST:
                            row[c] = is_open and label == current
                        elif move == UNIT:
                            row[c] = not is_open and not space
                        elif move == OUT:
                            row[c] = not is_open
    return table


def use_fast_ner(nlp: Any) -> int:
    """Replace ``nlp``'s spaCy ``EntityRecognizer`` components by :class:`FastEntityRecognizer` (same model,
    transitions, settings and name); returns how many were replaced."""
    replaced = 0
    for index, (name, component) in enumerate(nlp._components):
        if type(component) is not EntityRecognizer:
            continue
        cfg = component.cfg
        fast = FastEntityRecognizer(
            component.vocab,
            component.model,
            component.name,
            component.moves,
            update_with_oracle_cut_size=cfg.get("update_with_oracle_cut_size", 100),
            beam_width=cfg.get("beam_width", 1),
            beam_density=cfg.get("beam_density", 0.0),
            beam_update_prob=cfg.get("beam_update_prob", 0.0),
            incorrect_spans_key=cfg.get("incorrect_spans_key"),
            scorer=component.scorer,
        )
        fast.cfg = dict(cfg)  # as the original's (given ``moves``, spaCy would record the object in cfg)
        nlp._components[index] = (name, fast)
        replaced += 1
    return replaced
