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
from collections.abc import Iterable, Iterator, Sequence
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


def render_document(record: dict[str, Any], show_phi: bool = True) -> str:
    """The HTML of one annotation record (``text`` required; spans outside the text are ignored)."""
    text = record.get("text")
    if not isinstance(text, str):
        return ""
    n = len(text)
    layers: list[tuple[int, int, str, str, str]] = []  # start, end, open tag, label html, kind
    for ent in record.get("entities") or []:
        s, e = int(ent.get("start", 0)), int(ent.get("end", 0))
        if 0 <= s < e <= n:
            codes = ", ".join(str(c.get("code")) for c in ent.get("codes") or [] if isinstance(c, dict))
            label = f'<span class="lbl">{html.escape(str(ent.get("label", "")))}</span>'
            if codes:
                label += f'<span class="codes">{html.escape(codes)}</span>'
            tag = f'<span class="{_entity_classes(ent)}" title="{html.escape(_entity_title(ent))}">'
            layers.append((s, e, tag, label, "ent"))
    if show_phi:
        for p in record.get("phi") or []:
            s, e = int(p.get("start", 0)), int(p.get("end", 0))
            if 0 <= s < e <= n:
                label = f'<span class="lbl">{html.escape(str(p.get("label", "")))}</span>'
                layers.append((s, e, f'<span class="phi" title="PHI {html.escape(str(p.get("label", "")))}">', label, "phi"))
    badges: dict[int, list[str]] = {}
    for sec in record.get("sections") or []:
        s = int(sec.get("start", -1))
        if 0 <= s <= n:
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


def read_annotation_records(path: Path) -> Iterator[dict[str, Any]]:
    """Annotation records of a JSONL file; E114 (file and line, no text) when one is unusable."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(Errors.E114.format(path=path, line=number, detail=f"invalid JSON ({err.msg})")) from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(Errors.E114.format(path=path, line=number, detail="no 'text' (annotate without --no-text)"))
            yield record


def iter_records(paths: Sequence[str], input_format: str | None = None, id_field: str = "id", text_field: str = "text",
                 exclude: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Annotation records from annotation JSONL files, or from documents annotated with the default pipeline;
    ``-`` reads either from standard input."""
    from medtext.io.dispatch import STDIN, spool_stdin

    if list(paths) == [STDIN]:
        import shutil

        path = Path(spool_stdin())
        try:
            if input_format is None and _holds_annotation_records(path):
                yield from read_annotation_records(path)
            else:
                yield from iter_records([str(path)], input_format or "jsonl", id_field, text_field, exclude)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
        return
    raw = [p for p in paths if input_format is not None or not _is_annotation_jsonl(Path(p))]
    for p in paths:
        if p not in raw:
            yield from read_annotation_records(Path(p))
    if not raw:
        return
    from medtext.io import read_corpus
    from medtext.io.records import Document
    from medtext.pipeline.loader import load
    from medtext.pipeline.record import doc_to_record

    nlp = load(exclude=list(exclude))
    documents = (d for d in read_corpus(raw, format=input_format, id_field=id_field, text_field=text_field)
                 if isinstance(d, Document) and isinstance(d.text, str) and d.text.strip())
    for document in documents:
        yield doc_to_record(nlp(document.text), document.id)


def visualize_paths(paths: Sequence[str], output: str, *, input_format: str | None = None, id_field: str = "id",
                    text_field: str = "text", exclude: Sequence[str] = (), limit: int = 200, show_phi: bool = True) -> int:
    """Write the HTML page of the inputs to ``output``; returns the number of documents rendered."""
    out = Path(output)
    if out.is_dir() or not out.parent.exists():
        raise InputError(Errors.E115.format(path=output, detail="give an HTML file name in an existing folder"))
    records = []
    for record in iter_records(paths, input_format, id_field, text_field, exclude):
        records.append(record)
        if len(records) >= limit:
            break
    partial = out.with_name(out.name + ".partial")
    partial.write_text(render_html(records, show_phi=show_phi), encoding="utf-8")
    partial.replace(out)
    return len(records)
