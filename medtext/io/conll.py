"""CoNLL / IOB token files: one token per line, tag in the last column, blank line between sentences.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.tsv"
    >>> _ = f.write_text("Skin\\tB-Disease\\ntumour\\tI-Disease\\n.\\tO\\n\\n")
    >>> s = next(read_conll(f)); s.tokens, iob_to_spans(s.tokens, s.tags)
    (('Skin', 'tumour', '.'), [(0, 2, 'Disease')])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtext.io._common import fallback_id, require_file
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import Document

__all__ = ["ConllSentence", "iob_to_spans", "read_conll"]


def iob_to_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start_token, end_token_exclusive, label)`` from IOB/IOB2/BIOES tags.

    An ``I-`` tag that does not continue an entity of the same label starts a
    new one (as if it were ``B-``); ``S-`` is a one-token entity, ``E-`` ends
    one; a tag without prefix other than ``O`` counts as ``I-``.

    Example:
        >>> iob_to_spans("a b c d".split(), ["I-X", "I-X", "B-X", "I-Y"])
        [(0, 2, 'X'), (2, 3, 'X'), (3, 4, 'Y')]
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""

    def close(end: int) -> None:
        nonlocal start, label
        if start >= 0:
            spans.append((start, end, label))
        start, label = -1, ""

    for i, tag in enumerate(tags):
        if tag in ("O", ""):
            close(i)
            continue
        prefix, sep, rest = tag.partition("-")
        if not sep or prefix not in ("B", "I", "E", "S"):
            prefix, rest = "I", tag
        if prefix in ("B", "S") or rest != label or start < 0:
            close(i)
            start, label = i, rest
        if prefix in ("S", "E"):
            close(i + 1)
    close(len(tags))
    return spans


@dataclass(frozen=True, slots=True)
class ConllSentence:
    """One sentence: tokens, their tags, and the line of its first token.

    Example:
        >>> ConllSentence(("No", "pain"), ("O", "B-Disease"), 1).to_document("g.tsv").text
        'No pain'
    """

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        """The tokens joined by single spaces."""
        return " ".join(self.tokens)

    def spans(self) -> list[tuple[int, int, str]]:
        """Entity token spans, see :func:`iob_to_spans`."""
        return iob_to_spans(self.tokens, self.tags)

    def to_document(self, source: str = "", id: Any = None) -> Document:
        """A :class:`Document` (id ``"<file name>:<line>"``) with tokens, tags and character-offset entities in ``meta``."""
        starts, pos = [], 0
        for tok in self.tokens:
            starts.append(pos)
            pos += len(tok) + 1
        text = self.text
        entities = []
        for s, e, label in self.spans():
            start, end = starts[s], starts[e - 1] + len(self.tokens[e - 1])
            entities.append({"start": start, "end": end, "text": text[start:end], "label": label})
        meta = {"tokens": list(self.tokens), "tags": list(self.tags), "entities": entities}
        doc_id = fallback_id(Path(source).name, self.line) if id is None else id
        return Document(doc_id, text, source, self.line, meta)


def read_conll(path: str | Path, *, encoding: str | None = None) -> Iterator[ConllSentence]:
    """Yield the sentences of a CoNLL/IOB file.

    Columns are tab-separated (or, in lines without a tab, separated by
    whitespace); the token is the first column, the tag the last. Blank lines
    end sentences; ``-DOCSTART-`` lines are skipped (and end a sentence). A
    line with a single column raises ``InputError`` E009.

    Example:
        >>> read_conll("/nonexistent.tsv")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.tsv' does not exist. ...
    """
    resolve_encoding(encoding)
    require_file(path, "conll")
    return _read(path, encoding)


def _read(path: str | Path, encoding: str | None) -> Iterator[ConllSentence]:
    tokens: list[str] = []
    tags: list[str] = []
    first = 0
    for n, line in gold_lines(path, "conll", encoding):
        if not line.strip() or line.startswith("-DOCSTART-"):
            if tokens:
                yield ConllSentence(tuple(tokens), tuple(tags), first)
                tokens, tags = [], []
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        if len(cols) < 2:
            raise malformed("conll", path, n, "expected a token and a tag separated by a tab or a space")
        if not tokens:
            first = n
        tokens.append(cols[0])
        tags.append(cols[-1].strip())
    if tokens:
        yield ConllSentence(tuple(tokens), tuple(tags), first)
