"""BRAT standoff: ``x.txt`` with ``x.ann`` (entities, relations, events, attributes, notes).

Reads ``T`` (entities, discontinuous spans ``0 5;10 15`` included), ``R`` and
``*`` (relations), ``E`` (events), ``A``/``M`` (attributes), ``N``
(normalizations) and ``#`` (notes) lines; writes ``.txt`` + ``.ann`` from
annotation-record entities with :func:`write_brat`.

Example:
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_brat("n1", "No fever.", [{"start": 3, "end": 8, "text": "fever", "label": "PROBLEM", "negated": True}], d)
    >>> doc = next(read_brat(d)); doc.entities[0], doc.attributes[0]
    (BratEntity(id='T1', label='PROBLEM', spans=((3, 8),), text='fever'), BratAttribute(id='A1', type='Negated', target='T1', value=None))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.io._common import rel_name, walk
from medtext.io._gold import gold_lines, malformed
from medtext.io.decode import Undecodable, decode_bytes, resolve_encoding
from medtext.io.records import Document

__all__ = [
    "BratAttribute",
    "BratDocument",
    "BratEntity",
    "BratEvent",
    "BratNormalization",
    "BratNote",
    "BratRelation",
    "read_brat",
    "write_brat",
]

_SPAN = re.compile(r"^(\d+) (\d+)$")
ASSERTION_FLAGS = ("negated", "uncertain", "historical", "family", "hypothetical")


@dataclass(frozen=True, slots=True)
class BratEntity:
    """A text-bound annotation; ``spans`` are ``(start, end)`` pairs, ``text`` as written in the .ann."""

    id: str
    label: str
    spans: tuple[tuple[int, int], ...]
    text: str


@dataclass(frozen=True, slots=True)
class BratRelation:
    """A relation (``R1 Type Arg1:T1 Arg2:T2``) or equivalence (``* Equiv T1 T2``, roles empty)."""

    id: str
    type: str
    args: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BratEvent:
    """An event ``E1 Type:T1 Role:T2``; ``trigger`` is the entity id after the type."""

    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BratAttribute:
    """A binary (``A1 Negated T1``, value None) or valued (``A2 Severity T1 High``) attribute."""

    id: str
    type: str
    target: str
    value: str | None


@dataclass(frozen=True, slots=True)
class BratNormalization:
    """``N1 Reference T1 UMLS:C0015967 TAB fever``."""

    id: str
    type: str
    target: str
    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class BratNote:
    """``#1 AnnotatorNotes T1 TAB note text``."""

    id: str
    type: str
    target: str
    text: str


@dataclass(frozen=True, slots=True)
class BratDocument:
    """One BRAT document: id (file stem, relative to the folder), text and annotations.

    Example:
        >>> fever = BratEntity("T1", "PROBLEM", ((3, 5), (6, 9)), "fe ver")
        >>> BratDocument("n1", "No fe\\nver.", (fever,)).fragments(fever)
        ['fe', 'ver']
    """

    id: str
    text: str
    entities: tuple[BratEntity, ...]
    relations: tuple[BratRelation, ...] = ()
    attributes: tuple[BratAttribute, ...] = ()
    notes: tuple[BratNote, ...] = ()
    events: tuple[BratEvent, ...] = ()
    normalizations: tuple[BratNormalization, ...] = ()
    source: str = ""

    def fragments(self, entity: BratEntity) -> list[str]:
        """The text of each span of ``entity`` (BRAT joins them with a space in the .ann)."""
        return [self.text[s:e] for s, e in entity.spans]

    def to_document(self, source: str | None = None) -> Document:
        """A :class:`Document`; meta ``entities``: start/end of the whole extent, label, spans, text, attributes."""
        attrs: dict[str, dict[str, Any]] = {}
        for a in self.attributes:
            attrs.setdefault(a.target, {})[a.type] = True if a.value is None else a.value
        entities = [
            {
                "id": e.id,
                "start": e.spans[0][0],
                "end": e.spans[-1][1],
                "label": e.label,
                "spans": [list(s) for s in e.spans],
                "text": e.text,
                "attributes": attrs.get(e.id, {}),
            }
            for e in self.entities
        ]
        return Document(self.id, self.text, self.source if source is None else source, None, {"entities": entities})


def read_brat(path: str | Path, *, encoding: str | None = None) -> Iterator[BratDocument]:
    """Yield BRAT documents from a folder (every ``x.ann`` / ``x.txt`` pair, recursively, sorted) or one file.

    A ``.txt`` without ``.ann`` is a document without annotations; an ``.ann``
    without its ``.txt`` raises ``InputError`` E007; malformed ``.ann`` lines
    (or spans outside the text) raise E009 naming file and line.

    Example:
        >>> read_brat("/nonexistent")
        Traceback (most recent call last):
        medtext.errors.InputError: [E001] Input path '/nonexistent' does not exist. ...
    """
    resolve_encoding(encoding)
    p = Path(path)
    if not p.exists():
        raise InputError(Errors.E001.format(path=path))
    if p.is_dir():
        stems = sorted({f.with_suffix("") for f in walk(p, (".ann", ".txt"))}, key=lambda s: s.relative_to(p).parts)
        return (_document(s, rel_name(s, p), encoding) for s in stems)
    if p.suffix.lower() not in (".ann", ".txt"):
        raise InputError(Errors.E006.format(path=path, fmt="BRAT", detail="expected a .ann or .txt file or a folder"))
    stem = p.with_suffix("")
    return (_document(stem, stem.name, encoding) for _ in (stem,))


def _document(stem: Path, doc_id: str, encoding: str | None) -> BratDocument:
    txt, ann = Path(f"{stem}.txt"), Path(f"{stem}.ann")
    if not txt.is_file():
        raise InputError(Errors.E007.format(path=ann, detail=f"its text file '{txt}' is missing"))
    try:
        text, _ = decode_bytes(txt.read_bytes(), encoding)
    except Undecodable as exc:
        raise InputError(Errors.E006.format(path=txt, fmt="BRAT text", detail=str(exc))) from None
    except OSError as exc:
        raise InputError(Errors.E007.format(path=txt, detail=type(exc).__name__)) from None
    found: dict[str, list[Any]] = {k: [] for k in ("T", "R", "E", "A", "N", "#")}
    if ann.is_file():
        for n, line in gold_lines(ann, "brat", encoding):
            if line.strip():
                kind, item = _parse(line, len(text), ann, n)
                found[kind].append(item)
    return BratDocument(
        doc_id,
        text,
        tuple(found["T"]),
        tuple(found["R"]),
        tuple(found["A"]),
        tuple(found["#"]),
        tuple(found["E"]),
        tuple(found["N"]),
        str(txt),
    )


def _parse(line: str, size: int, ann: Path, n: int) -> tuple[str, Any]:
    cols = line.split("\t")
    ann_id = cols[0].strip()
    fields = cols[1].split() if len(cols) > 1 else []
    kind = ann_id[:1]
    if not ann_id or not fields:
        raise malformed("brat", ann, n, "expected 'ID<TAB>annotation'")
    if kind == "T":
        if len(cols) < 3:
            raise malformed("brat", ann, n, "entity line needs 'T1<TAB>Label start end<TAB>text'")
        label, _, span_text = cols[1].partition(" ")
        spans = []
        for part in span_text.split(";"):
            m = _SPAN.match(part.strip())
            if m is None:
                raise malformed("brat", ann, n, "entity spans must be 'start end' pairs separated by ';'")
            start, end = int(m.group(1)), int(m.group(2))
            if not 0 <= start <= end <= size:
                raise malformed("brat", ann, n, f"span {start}-{end} is outside the text ({size} characters)")
            spans.append((start, end))
        return "T", BratEntity(ann_id, label, tuple(spans), cols[2])
    if kind in ("R", "*"):
        args = [tuple(a.split(":", 1)) if ":" in a else ("", a) for a in fields[1:]]
        return "R", BratRelation(ann_id, fields[0], tuple(args))  # type: ignore[arg-type]
    if kind == "E":
        etype, _, trigger = fields[0].partition(":")
        args = [tuple(a.split(":", 1)) for a in fields[1:] if ":" in a]
        return "E", BratEvent(ann_id, etype, trigger, tuple(args))  # type: ignore[arg-type]
    if kind in ("A", "M"):
        if len(fields) < 2:
            raise malformed("brat", ann, n, "attribute line needs 'A1<TAB>Type Target [Value]'")
        return "A", BratAttribute(ann_id, fields[0], fields[1], fields[2] if len(fields) > 2 else None)
    if kind == "N":
        if len(fields) < 3:
            raise malformed("brat", ann, n, "normalization line needs 'N1<TAB>Reference T1 DB:ID<TAB>text'")
        return "N", BratNormalization(ann_id, fields[0], fields[1], fields[2], cols[2] if len(cols) > 2 else "")
    if kind == "#":
        if len(fields) < 2:
            raise malformed("brat", ann, n, "note line needs '#1<TAB>AnnotatorNotes T1<TAB>text'")
        return "#", BratNote(ann_id, fields[0], fields[1], cols[2] if len(cols) > 2 else "")
    raise malformed("brat", ann, n, f"unknown annotation kind {ann_id[:1]!r} (expected T, R, E, A, M, N, # or *)")


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at line breaks (BRAT spans cannot cross them), dropping empty pieces."""
    spans, pos = [], start
    for m in re.finditer(r"[\r\n]+", text[start:end]):
        if start + m.start() > pos:
            spans.append((pos, start + m.start()))
        pos = start + m.end()
    if end > pos:
        spans.append((pos, end))
    return spans or [(start, end)]


def write_brat(
    doc_id: str, text: str, entities: Iterable[Mapping[str, Any]], folder: str | Path
) -> tuple[Path, Path]:
    """Write ``<doc_id>.txt`` (the text, byte for byte in UTF-8) and ``<doc_id>.ann``; return both paths.

    Each entity (an annotation-record dict: start, end, label, and optionally
    text, codes, negated, uncertain, historical, family, hypothetical) becomes
    a ``T`` line (split at line breaks into a discontinuous span); true
    assertion flags become ``A`` lines (``Negated``, ...) and codes a ``#``
    AnnotatorNotes line (``SYSTEM:CODE`` separated by spaces).

    Example:
        >>> import tempfile
        >>> txt, ann = write_brat("x", "Pain", [{"start": 0, "end": 4, "label": "PROBLEM"}], tempfile.mkdtemp())
        >>> ann.read_text()
        'T1\\tPROBLEM 0 4\\tPain\\n'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    txt, ann = folder / f"{doc_id}.txt", folder / f"{doc_id}.ann"
    lines: list[str] = []
    n_attr = n_note = 0
    for i, ent in enumerate(entities, 1):
        spans = _fragments(text, int(ent["start"]), int(ent["end"]))
        span_text = ";".join(f"{s} {e}" for s, e in spans)
        frag_text = " ".join(text[s:e] for s, e in spans)
        label = str(ent["label"]).replace(" ", "_")
        lines.append(f"T{i}\t{label} {span_text}\t{frag_text}")
        for flag in ASSERTION_FLAGS:
            if ent.get(flag):
                n_attr += 1
                lines.append(f"A{n_attr}\t{flag.capitalize()} T{i}")
        codes = [f"{c['system']}:{c['code']}" for c in ent.get("codes") or ()]
        if codes:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes T{i}\t{' '.join(codes)}")
    txt.parent.mkdir(parents=True, exist_ok=True)
    with open(txt, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    with open(ann, "w", encoding="utf-8", newline="") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return txt, ann
