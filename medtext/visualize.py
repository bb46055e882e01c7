"""One self-contained HTML page to review annotations: entities, sections, assertions, PHI.

Entities are marked with their label and codes; negated findings are struck
through, uncertain / historical / family / hypothetical ones have styles of
their own, sections get a badge at their header, PHI a dashed outline; a
legend explains the styles. The CSS is inline, no external asset is loaded,
and every piece of text is HTML-escaped. Note text appears only in the page.

Example:
    >>> html = render_html([{"id": "n1", "text": "No fever.", "entities": [
    ...     {"start": 3, "end": 8, "label": "DISEASE", "negated": True}]}])
    >>> "negated" in html and "legend" in html
    True
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError

ASSERTIONS = ("negated", "uncertain", "historical", "family", "hypothetical")

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;background:#fafafa}
h1{font-size:1.3rem} .doc{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.2rem;margin:1rem 0}
.doc h2{font-size:1rem;margin:0 0 .6rem;color:#555} .text{white-space:pre-wrap;line-height:2.1;font-size:.95rem}
.ent{padding:.1em .25em;border-radius:4px;background:#e3f2fd;border-bottom:2px solid #1976d2}
.ent .lbl{font-size:.62em;font-weight:600;margin-left:.3em;color:#0d47a1;vertical-align:super;text-decoration:none;display:inline-block}
.ent .codes{font-size:.58em;color:#555;margin-left:.2em;vertical-align:super;display:inline-block}
.ent.negated{text-decoration:line-through;text-decoration-thickness:2px;background:#fde0e0;border-bottom-color:#c62828}
.ent.uncertain{background:#fff8e1;border-bottom:2px dashed #f9a825}
.ent.historical{background:#eeeeee;border-bottom-color:#757575;font-style:italic}
.ent.family{background:#f3e5f5;border-bottom:2px double #8e24aa}
.ent.hypothetical{background:#e0f2f1;border-bottom:2px dotted #00897b}
.phi{outline:1.5px dashed #e65100;outline-offset:1px;background:#fff3e0}
.phi .lbl{font-size:.6em;color:#e65100;font-weight:600;vertical-align:super;margin-left:.2em;display:inline-block}
.sec{display:inline-block;font-size:.62rem;font-weight:700;letter-spacing:.04em;text-transform:uppercase;background:#37474f;
color:#fff;border-radius:3px;padding:0 .4em;margin-right:.4em;line-height:1.4}
.legend{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;line-height:2.2}
.legend span{margin-right:1rem}
"""

_LEGEND = (
    '<div class="legend" id="legend"><strong>Legend</strong>: '
    '<span class="ent">entity<span class="lbl">LABEL</span></span>'
    '<span class="ent negated">negated</span>'
    '<span class="ent uncertain">uncertain</span>'
    '<span class="ent historical">historical</span>'
    '<span class="ent family">family</span>'
    '<span class="ent hypothetical">hypothetical</span>'
    '<span class="phi">PHI<span class="lbl">NAME</span></span>'
    '<span class="sec">section</span></div>'
)


def _entity_classes(ent: dict[str, Any]) -> str:
    return " ".join(["ent"] + [c for c in ASSERTIONS if ent.get(c)])


def _entity_title(ent: dict[str, Any]) -> str:
    parts = [str(ent.get("label", ""))]
    codes = [f"{c.get('system')}:{c.get('code')}" for c in ent.get("codes") or [] if isinstance(c, dict)]
    if codes:
        parts.append(", ".join(codes))
    status = [c for c in ASSERTIONS if ent.get(c)]
    if status:
        parts.append("; ".join(status))
    triggers = ent.get("triggers") or {}
    if isinstance(triggers, dict) and triggers:
        parts.append("triggers: " + "; ".join(f"{k}={v}" for k, v in triggers.items()))
    return " | ".join(parts)


def _offset(value: Any) -> int | None:
    """An integer offset, or None for anything else (null, strings, floats, booleans)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _span(item: Any, n: int) -> tuple[int, int] | None:
    """``(start, end)`` of a span dict when both are integers and ``0 <= start < end <= n``."""
    if not isinstance(item, dict):
        return None
    s, e = _offset(item.get("start")), _offset(item.get("end"))
    return (s, e) if s is not None and e is not None and 0 <= s < e <= n else None


def _items(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    return value if isinstance(value, list) else []


def render_document(record: dict[str, Any], show_phi: bool = True) -> str:
    """The HTML of one annotation record (``text`` required; malformed spans and spans outside the text are ignored)."""
    text = record.get("text")
    if not isinstance(text, str):
        return ""
    n = len(text)
    layers: list[tuple[int, int, str, str, str]] = []  # start, end, open tag, label html, kind
    for ent in _items(record, "entities"):
        span = _span(ent, n)
        if span is not None:
            s, e = span
            codes = ", ".join(str(c.get("code")) for c in ent.get("codes") or [] if isinstance(c, dict))
            label = f'<span class="lbl">{html.escape(str(ent.get("label", "")))}</span>'
            if codes:
                label += f'<span class="codes">{html.escape(codes)}</span>'
            tag = f'<span class="{_entity_classes(ent)}" title="{html.escape(_entity_title(ent))}">'
            layers.append((s, e, tag, label, "ent"))
    if show_phi:
        for p in _items(record, "phi"):
            span = _span(p, n)
            if span is not None:
                s, e = span
                label = f'<span class="lbl">{html.escape(str(p.get("label", "")))}</span>'
                layers.append((s, e, f'<span class="phi" title="PHI {html.escape(str(p.get("label", "")))}">', label, "phi"))
    badges: dict[int, list[str]] = {}
    for sec in _items(record, "sections"):
        s = _offset(sec.get("start")) if isinstance(sec, dict) else None
        if s is not None and 0 <= s <= n:
            badges.setdefault(s, []).append(f'<span class="sec">{html.escape(str(sec.get("category", "")))}</span>')
    cuts = sorted({0, n, *badges, *(x for layer in layers for x in layer[:2])})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [n + 1]):
        out.extend(badges.get(a, []))
        if a >= n:
            break
        segment = html.escape(text[a:b])
        active = [layer for layer in layers if layer[0] <= a and b <= layer[1]]
        active.sort(key=lambda layer: (layer[4] != "phi", layer[0], -layer[1]))
        for start, end, tag, label, _ in reversed(active):
            segment = tag + segment + (label if end == b else "") + "</span>"
        out.append(segment)
    title = html.escape(str(record.get("id", "")))
    return f'<section class="doc"><h2>{title}</h2><div class="text">{"".join(out)}</div></section>'


def render_html(records: Iterable[dict[str, Any]], title: str = "medtext annotations", show_phi: bool = True) -> str:
    """A complete HTML page (inline CSS, legend) for annotation records."""
    body = "\n".join(render_document(r, show_phi) for r in records)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>\n{_LEGEND}\n{body}\n</body></html>\n"
    )


def _is_annotation_jsonl(path: Path) -> bool:
    return path.suffix.lower() == ".jsonl" and path.is_file() and _holds_annotation_records(path)


def _holds_annotation_records(path: Path) -> bool:
    """Whether the first non-blank line is an annotation record (has ``entities`` or ``sentences``)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(first, dict) and ("entities" in first or "sentences" in first)
    return False


_JSON_KINDS = {"int": "a number", "float": "a number", "str": "a string", "bool": "a boolean", "NoneType": "null",
               "dict": "an object", "list": "a list"}


def _kind(value: Any) -> str:
    return _JSON_KINDS.get(type(value).__name__, type(value).__name__)


def _record_problem(record: Any) -> str | None:
    """Why an annotation record cannot be rendered (text-free), or None."""
    if not isinstance(record, dict):
        return f"the line holds {_kind(record)}, not an object"
    if not isinstance(record.get("text"), str):
        return "no 'text' (annotate without --no-text)"
    for key in ("entities", "phi", "sections"):
        items = record.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            return f"'{key}' is {_kind(items)}, not a list"
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                return f"'{key}' item {i} is {_kind(item)}, not an object"
            for field in ("start",) if key == "sections" else ("start", "end"):
                if _offset(item.get(field)) is None:
                    return f"'{key}' item {i} has no integer '{field}'"
    return None


def read_annotation_records(path: Path) -> Iterator[dict[str, Any]]:
    """Annotation records of a JSONL file; E114 (file and line, no text) when one is unusable."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(Errors.E114.format(path=path, line=number, detail="not UTF-8 text")) from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(Errors.E114.format(path=path, line=number, detail=f"invalid JSON ({err.msg})")) from None
            problem = _record_problem(record)
            if problem is not None:
                raise InputError(Errors.E114.format(path=path, line=number, detail=problem))
            yield record


@dataclass(frozen=True)
class Skipped:
    """An input document that could not be rendered: where it is and why (never its text)."""

    id: Any
    source: str
    line: int | None
    reason: str

    def describe(self) -> str:
        """One text-free line: source, line, id and reason."""
        where = self.source + (f" line {self.line}" if self.line is not None else "")
        return f"{where} (id {self.id}): {self.reason}"


def _items_of(paths: Sequence[str], input_format: str | None, id_field: str, text_field: str) -> Iterator[Any]:
    """In input order: annotation records (dicts), Documents to annotate, and :class:`Skipped` inputs."""
    from medtext.io import read_corpus
    from medtext.io.records import BadRecord, Document

    sources: list[Iterator[Any]] = []
    for p in paths:  # read_corpus checks every path when called, so a bad path fails before any work
        if input_format is None and _is_annotation_jsonl(Path(p)):
            sources.append(read_annotation_records(Path(p)))
        else:
            sources.append(read_corpus([p], format=input_format, id_field=id_field, text_field=text_field))
    for source in sources:
        for item in source:
            if isinstance(item, BadRecord):
                yield Skipped(item.id, item.source, item.line, item.reason)
            elif isinstance(item, Document):
                if not isinstance(item.text, str) or not item.text.strip():
                    reason = "empty text" if item.text == "" else "blank text" if isinstance(item.text, str) else "text is not a string"
                    yield Skipped(item.id, item.source, item.line, reason)
                else:
                    yield item
            else:
                yield item


def _stdin_items(input_format: str | None, id_field: str, text_field: str) -> Iterator[Any]:
    import shutil

    from medtext.io.dispatch import spool_stdin

    path = Path(spool_stdin())
    try:
        if input_format is None and _holds_annotation_records(path):
            yield from read_annotation_records(path)
        else:
            yield from _items_of([str(path)], input_format or "jsonl", id_field, text_field)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def iter_items(paths: Sequence[str], input_format: str | None = None, id_field: str = "id",
               text_field: str = "text") -> Iterator[Any]:
    """In input order: annotation records (dicts), Documents still to annotate, and :class:`Skipped` inputs.

    ``-`` reads either annotation records or documents from standard input.
    """
    from medtext.io.dispatch import STDIN

    if list(paths) == [STDIN]:
        return _stdin_items(input_format, id_field, text_field)
    return _items_of(paths, input_format, id_field, text_field)


class _Annotator:
    """Loads the pipeline on first use (annotation JSONL alone never needs it)."""

    def __init__(self, exclude: Sequence[str]):
        self.exclude, self.nlp = list(exclude), None

    def __call__(self, document: Any) -> dict[str, Any]:
        from medtext.pipeline.record import doc_to_record

        if self.nlp is None:
            from medtext.pipeline.loader import load

            self.nlp = load(exclude=self.exclude)
        return doc_to_record(self.nlp(document.text), document.id)


def iter_records(paths: Sequence[str], input_format: str | None = None, id_field: str = "id", text_field: str = "text",
                 exclude: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Annotation records from annotation JSONL files, or from documents annotated with the default pipeline;
    ``-`` reads either from standard input. Inputs that cannot be rendered are left out
    (:func:`visualize_paths` reports them)."""
    annotate = _Annotator(exclude)
    for item in iter_items(paths, input_format, id_field, text_field):
        if isinstance(item, dict):
            yield item
        elif not isinstance(item, Skipped):
            yield annotate(item)


@dataclass
class VisualizeSummary:
    """What :func:`visualize_paths` did: documents rendered, documents seen, and the inputs skipped."""

    rendered: int = 0
    total: int = 0
    limit: int | None = None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every input was rendered or left out by the limit only; 1 when some were skipped."""
        return 1 if self.skipped else 0

    def line(self, output: str) -> str:
        """The summary line, e.g. ``rendered 200 of 250 documents to page.html (--limit 200); 1 input skipped``."""
        noun = "document" if self.total == 1 else "documents"
        if self.rendered < self.total:
            text = f"rendered {self.rendered} of {self.total} {noun} to {output} (--limit {self.limit})"
        else:
            text = f"rendered {self.rendered} {noun} to {output}"
        if self.skipped:
            n = len(self.skipped)
            text += f"; {n} input{'s' * (n != 1)} skipped (not rendered)"
        return text


def visualize_paths(paths: Sequence[str], output: str, *, input_format: str | None = None, id_field: str = "id",
                    text_field: str = "text", exclude: Sequence[str] = (), limit: int = 200, show_phi: bool = True,
                    on_skip: Callable[[Skipped], None] | None = None) -> VisualizeSummary:
    """Write the HTML page of the inputs (at most ``limit`` documents, in input order) to ``output``.

    Documents beyond the limit are counted, not annotated. Inputs that cannot be
    rendered (empty, undecodable, no text field, ...) are listed in the summary's
    ``skipped`` and passed to ``on_skip`` as they are met.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(Errors.E011.format(option="--limit", expected="a whole number of at least 1", found=limit))
    out = Path(output)
    if out.is_dir() or not out.parent.exists():
        raise InputError(Errors.E115.format(path=output, detail="give an HTML file name in an existing folder"))
    annotate = _Annotator(exclude)
    summary = VisualizeSummary(limit=limit)
    records = []
    for item in iter_items(paths, input_format, id_field, text_field):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            continue
        summary.total += 1
        if len(records) < limit:
            records.append(item if isinstance(item, dict) else annotate(item))
    summary.rendered = len(records)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(render_html(records, show_phi=show_phi), encoding="utf-8")
    partial.replace(out)
    return summary
