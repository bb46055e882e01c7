"""PubTator gold files (NCBI-disease, BC5CDR): title, abstract, mentions and relations per PMID.

Format: ``PMID|t|title``, ``PMID|a|abstract``, then mention lines
``PMID TAB start TAB end TAB text TAB type TAB id [TAB extra...]`` and relation
lines ``PMID TAB type TAB id1 TAB id2``; a blank line ends a document.
Offsets index ``title + " " + abstract``.

Example:
    >>> from pathlib import Path; import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.txt"
    >>> _ = f.write_text("1|t|Skin tumour.\\n1|a|Rare.\\n1\\t0\\t11\\tSkin tumour\\tDisease\\tD012878\\n\\n")
    >>> doc = next(read_pubtator(f)); m = doc.mentions[0]
    >>> doc.text[m.start:m.end], m.ids
    ('Skin tumour', ('D012878',))
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from medtext.io._common import require_file
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import resolve_encoding
from medtext.io.records import Document

__all__ = ["Mention", "PubTatorDocument", "PubTatorRelation", "read_pubtator", "split_ids"]

_TITLE = re.compile(r"^([^|\t]+)\|t\|(.*)$", re.S)
_ABSTRACT = re.compile(r"^([^|\t]+)\|a\|(.*)$", re.S)
_ID_SEP = re.compile(r"[|+,]")


def split_ids(raw_id: str) -> tuple[str, ...]:
    """The concept ids in a raw PubTator id: split on ``|``, ``+`` and ``,``; ``-1`` means none.

    Example:
        >>> split_ids("D001943|D010051"), split_ids("D1+D2"), split_ids("-1"), split_ids(" OMIM:610102")
        (('D001943', 'D010051'), ('D1', 'D2'), (), ('OMIM:610102',))
    """
    parts = (p.strip() for p in _ID_SEP.split(raw_id))
    return tuple(p for p in parts if p and p != "-1")


@dataclass(frozen=True, slots=True)
class Mention:
    """One annotated mention; ``text`` should equal ``doc.text[start:end]``.

    ``raw_id`` is the id column verbatim, ``ids`` its parts (:func:`split_ids`),
    ``extra`` any further columns (BC5CDR: the parts of a composite mention).

    Example:
        >>> Mention(0, 4, "pain", "Disease", "D010146", ("D010146",)).ids
        ('D010146',)
    """

    start: int
    end: int
    text: str
    type: str
    raw_id: str
    ids: tuple[str, ...]
    extra: tuple[str, ...] = ()
    line: int | None = None


class PubTatorRelation(NamedTuple):
    """A relation line, e.g. ``("CID", "D008750", "D007022")``."""

    type: str
    id1: str
    id2: str


@dataclass(frozen=True, slots=True)
class PubTatorDocument:
    """One PubTator document; :attr:`text` is ``title + " " + abstract``.

    Example:
        >>> PubTatorDocument("1", "Title.", "Body.", (), (), 1).text
        'Title. Body.'
    """

    id: str
    title: str
    abstract: str
    mentions: tuple[Mention, ...]
    relations: tuple[PubTatorRelation, ...]
    line: int

    @property
    def text(self) -> str:
        """The text the mention offsets index."""
        return f"{self.title} {self.abstract}"

    def misaligned(self) -> list[Mention]:
        """Mentions whose offsets do not give back their text (normally none)."""
        text = self.text
        return [m for m in self.mentions if text[m.start : m.end] != m.text]

    def to_document(self, source: str = "") -> Document:
        """A :class:`Document` whose ``meta`` holds ``mentions`` and ``relations`` as plain data."""
        mentions = [
            {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "ids": list(m.ids), "raw_id": m.raw_id}
            for m in self.mentions
        ]
        relations = [list(r) for r in self.relations]
        meta: dict[str, Any] = {"mentions": mentions, "relations": relations}
        return Document(self.id, self.text, source, self.line, meta)


@dataclass
class _Draft:
    id: str
    title: str
    line: int
    abstract: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    relations: list[PubTatorRelation] = field(default_factory=list)

    def done(self) -> PubTatorDocument:
        return PubTatorDocument(
            self.id, self.title, self.abstract or "", tuple(self.mentions), tuple(self.relations), self.line
        )


def read_pubtator(path: str | Path, *, encoding: str | None = None) -> Iterator[PubTatorDocument]:
    """Yield the documents of a PubTator file in file order.

    A new ``|t|`` line also starts a new document when no blank line came
    before. Any line that does not fit the format raises ``InputError`` E009
    naming file and line (mention offsets out of range included, and a
    4-field line whose second and third fields are integers: a mention cut
    before its type, not a relation); mentions
    whose text does not match the offsets are kept (see
    :meth:`PubTatorDocument.misaligned`).

    Example:
        >>> read_pubtator("/nonexistent.txt")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent.txt' does not exist. ...
    """
    resolve_encoding(encoding)
    require_file(path, "pubtator")
    return _read(path, encoding)


def _read(path: str | Path, encoding: str | None) -> Iterator[PubTatorDocument]:
    draft: _Draft | None = None
    for n, line in gold_lines(path, "pubtator", encoding):
        if not line.strip():
            if draft is not None:
                yield _finish(draft, path)
                draft = None
            continue
        m = _TITLE.match(line)
        if m:
            if draft is not None:
                yield _finish(draft, path)
            draft = _Draft(m.group(1).strip(), m.group(2), n)
            continue
        if draft is None:
            raise malformed("pubtator", path, n, "expected a 'PMID|t|title' line to start a document")
        m = _ABSTRACT.match(line)
        if m:
            if m.group(1).strip() != draft.id or draft.abstract is not None:
                raise malformed("pubtator", path, n, f"abstract line does not follow the title of PMID {draft.id}")
            draft.abstract = m.group(2)
            continue
        _annotation(draft, line.split("\t"), n, path)
    if draft is not None:
        yield _finish(draft, path)


def _annotation(draft: _Draft, cols: list[str], n: int, path: str | Path) -> None:
    if cols[0].strip() != draft.id:
        raise malformed("pubtator", path, n, f"expected an annotation line of PMID {draft.id} (PMID<TAB>start<TAB>end...)")
    if len(cols) == 4:
        if _is_int(cols[1]) and _is_int(cols[2]):
            raise malformed(
                "pubtator", path, n,
                "a mention line (integer offsets) with only 4 fields: the type and id are missing; "
                "expected PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>id (was the line cut?)",
            )
        draft.relations.append(PubTatorRelation(cols[1], cols[2], cols[3]))
        return
    if len(cols) < 5:
        raise malformed("pubtator", path, n, f"expected 6 tab-separated fields (or 4 for a relation), found {len(cols)}")
    try:
        start, end = int(cols[1]), int(cols[2])
    except ValueError:
        raise malformed("pubtator", path, n, "mention offsets are not integers") from None
    raw_id = cols[5] if len(cols) > 5 else ""
    draft.mentions.append(Mention(start, end, cols[3], cols[4], raw_id, split_ids(raw_id), tuple(cols[6:]), n))


def _is_int(field: str) -> bool:
    try:
        int(field)
    except ValueError:
        return False
    return True


def _finish(draft: _Draft, path: str | Path) -> PubTatorDocument:
    doc = draft.done()
    size = len(doc.text)
    for m in doc.mentions:
        if not 0 <= m.start <= m.end <= size:
            raise malformed("pubtator", path, m.line, f"mention offsets {m.start}-{m.end} outside the text of PMID {doc.id}")
    return doc
