"""PubMed-RCT / NICTA-PIBOSO sentence files: ``###id``, then ``label TAB sentence`` lines.

Abstracts are separated by a blank line; a ``###`` line also starts a new
abstract when no blank line came before it (some PubMed-RCT files do this).

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "dev.txt"
    >>> _ = f.write_text("###42\\nBACKGROUND\\tFever is common .\\nRESULTS\\tIt fell .\\n\\n")
    >>> a = next(read_rct(f)); a.id, [s.label for s in a.sentences]
    ('42', ['BACKGROUND', 'RESULTS'])
    >>> [d.id for d in rct_documents(f)]
    ['42:0', '42:1']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medtext.io._common import require_file, text_problem
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import BadRecord, Document

__all__ = ["RctAbstract", "RctSentence", "rct_documents", "read_rct"]


@dataclass(frozen=True, slots=True)
class RctSentence:
    """One labelled sentence and its line.

    Example:
        >>> RctSentence("METHODS", "We randomised 40 patients .", 3).label
        'METHODS'
    """

    label: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RctAbstract:
    """One abstract: its id (after ``###``), its sentences in order, and the line of its ``###`` line.

    Example:
        >>> RctAbstract("1", (RctSentence("A", "x .", 2), RctSentence("B", "y .", 3)), 1).text
        'x . y .'
    """

    id: str
    sentences: tuple[RctSentence, ...]
    line: int

    @property
    def text(self) -> str:
        """The sentences joined by single spaces."""
        return " ".join(s.text for s in self.sentences)

    def to_documents(self, source: str = "") -> Iterator[Document | BadRecord]:
        """One :class:`Document` per sentence (a :class:`BadRecord` for an empty one)."""
        n = len(self.sentences)
        for i, s in enumerate(self.sentences):
            doc_id = f"{self.id}:{i}"
            problem = text_problem(s.text)
            if problem:
                yield BadRecord(doc_id, source, s.line, problem)
                continue
            meta = {"label": s.label, "abstract_id": self.id, "position": i, "n_sentences": n}
            yield Document(doc_id, s.text, source, s.line, meta)


def read_rct(path: str | Path, *, encoding: str | None = None) -> Iterator[RctAbstract]:
    """Yield the abstracts of a PubMed-RCT / NICTA-PIBOSO file.

    Sentence text is kept verbatim (only the line terminator is removed); the
    label is the text before the first tab. A sentence line without a tab, or
    before any ``###`` line, raises ``InputError`` E009.

    Example:
        >>> read_rct("/nonexistent.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    resolve_encoding(encoding)
    require_file(path, "rct")
    return _read(path, encoding)


def _read(path: str | Path, encoding: str | None) -> Iterator[RctAbstract]:
    abstract_id: str | None = None
    first = 0
    sentences: list[RctSentence] = []
    for n, line in gold_lines(path, "rct", encoding):
        if line.startswith("###"):
            if abstract_id is not None:
                yield RctAbstract(abstract_id, tuple(sentences), first)
            abstract_id, first, sentences = line[3:].strip(), n, []
            continue
        if not line.strip():
            if abstract_id is not None:
                yield RctAbstract(abstract_id, tuple(sentences), first)
            abstract_id, sentences = None, []
            continue
        if abstract_id is None:
            raise malformed("rct", path, n, "sentence line before any '###<abstract id>' line")
        label, tab, text = line.partition("\t")
        if not tab:
            raise malformed("rct", path, n, "expected 'label<TAB>sentence'")
        sentences.append(RctSentence(label.strip(), text, n))
    if abstract_id is not None:
        yield RctAbstract(abstract_id, tuple(sentences), first)


def rct_documents(path: str | Path, *, encoding: str | None = None) -> Iterator[Document | BadRecord]:
    """One :class:`Document` per sentence, id ``"<abstract id>:<index>"``, in file order.

    ``meta``: ``label``, ``abstract_id``, ``position`` (0-based) and ``n_sentences``.

    Example:
        >>> rct_documents("/nonexistent.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    abstracts = read_rct(path, encoding=encoding)
    source = str(path)
    return (doc for a in abstracts for doc in a.to_documents(source))
