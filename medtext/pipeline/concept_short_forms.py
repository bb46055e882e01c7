"""How the concepts component treats the short forms a document defines (``long form (SF)``).

Entities on a short form take the label and codes of the long form; short forms whose long
form is no entity (``heteroduplex (HD)``) or a gene's symbol are dropped; entities without
codes take those of a local definition or of the same text elsewhere in the document.
The concepts component (:mod:`medtext.pipeline.concepts`) calls these after matching.

Example:
    >>> import medtext
    >>> doc = medtext.load()("Severe hypoglycemia (SH) was rare. SH recurred.")
    >>> [(e.text, e.label_) for e in doc.ents]
    [('hypoglycemia', 'DISEASE'), ('SH', 'DISEASE'), ('SH', 'DISEASE')]
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from medtext.pipeline.concept_rules import long_form_end
from medtext.pipeline.extensions import doc_text
from medtext.pipeline.lexicon import Code, Lexicon, make_key


def share_codes(doc: Doc, ents: list[Span], info: dict[tuple[int, int, str], tuple[list[Code], str]]) -> None:
    """Give entities without codes those of a local definition ``long form (SF)`` or of the same text."""
    by_text: dict[tuple[str, str], list[Code]] = {}
    for a, b in zip(ents, ents[1:]):
        if (
            b.start == a.end + 1
            and doc[a.end].text == "("
            and b.end < len(doc)
            and doc[b.end].text == ")"
            and a.label_ == b.label_
            and info[(a.start, a.end, a.label_)][0]
        ):
            by_text.setdefault((b.text, b.label_), info[(a.start, a.end, a.label_)][0])
    for ent in ents:
        codes = info[(ent.start, ent.end, ent.label_)][0]
        if codes:
            by_text.setdefault((ent.text.lower(), ent.label_), codes)
    for ent in ents:
        slot = (ent.start, ent.end, ent.label_)
        codes, source = info[slot]
        if not codes:
            shared = by_text.get((ent.text, ent.label_)) or by_text.get((ent.text.lower(), ent.label_))
            if shared:
                info[slot] = (list(shared), source)

def undefined_short_forms(
    doc: Doc, ents: list[Span], new: list[tuple[int, int, str, tuple[Code, ...], str]], shorts: set[str]
) -> set[str]:
    """The ``shorts`` whose long form (at their first definition) overlaps no entity.

    ``heteroduplex (HD)`` or ``the alkaptonuria gene (AKU)`` define ``HD`` and ``AKU``
    as something else than the disease the lexicon or the model knows by those letters.
    """
    if not shorts:
        return shorts
    text = doc_text(doc)
    spans = [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1])) for e in ents]
    spans += [(doc[n[0]].idx, doc[n[1] - 1].idx + len(doc[n[1] - 1])) for n in new]
    undefined, seen = set(shorts), set()
    for abbr in doc._.abbreviations or []:
        short = str(abbr.get("short", "")).lower()
        if short not in undefined or short in seen:
            continue
        seen.add(short)  # the first use is the definition: its long form ends before the parenthesis
        long_end = long_form_end(text, abbr.get("start", -1))
        long_start = long_end - len(str(abbr.get("long", "")))
        if any(s < long_end and long_start < e for s, e in spans):
            undefined.discard(short)  # part of the long form is an entity
    return undefined

def short_form_labels(
    doc: Doc,
    ents: list[Span],
    new: list[tuple[int, int, str, tuple[Code, ...], str]],
    info: dict[tuple[int, int, str], tuple[list[Code], str]],
    short_to_long: dict[str, str],
) -> dict[str, tuple[str, list[Code], bool]]:
    """Lower-cased short form -> (label, codes, whether its whole long form is an entity).

    The label comes from the entity that is exactly the long form; failing that, from
    the entity that ends the long form (``ribavirin-induced hemolytic anemia (RIHA)`` ->
    ``hemolytic anemia``, a DISEASE). (Taking the label of an entity on the short form
    where it is defined helped NCBI-disease dev by 0.2 F1 and cost BC5CDR dev as much:
    it spreads the model's errors, such as ``cold-pressor (CP)`` as a DISEASE.)
    """
    spans = [(e.start, e.end, e.label_, info[(e.start, e.end, e.label_)][0]) for e in ents]
    spans += [(s, e, label, list(codes)) for s, e, label, codes, _ in new]
    by_key = {make_key(t.lower_ for t in doc[s:e]): (label, codes) for s, e, label, codes in spans}
    by_end = {doc[e - 1].idx + len(doc[e - 1]): (doc[s].idx, label, codes) for s, e, label, codes in spans}
    text = doc_text(doc)
    out: dict[str, tuple[str, list[Code], bool]] = {}
    for abbr in doc._.abbreviations or []:
        short = str(abbr.get("short", "")).lower()
        if short in out or short not in short_to_long:
            continue
        if short_to_long[short] in by_key:
            out[short] = (*by_key[short_to_long[short]], True)
            continue
        start = abbr.get("start", -1)
        long_end = long_form_end(text, start)
        head = by_end.get(long_end)
        long = str(abbr.get("long", ""))
        if head is not None and head[0] >= long_end - len(long) and " ".join(text[head[0] : long_end].split()).lower() in long.lower():
            out[short] = (head[1], head[2], False)
    return out



def drop_short_forms(
    user: Lexicon,
    doc: Doc,
    ents: list[Span],
    new: list[tuple[int, int, str, tuple[Code, ...], str]],
    shorts: set[str],
    taken: list[bool],
    keep: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
) -> tuple[list[Span], list[tuple[int, int, str, tuple[Code, ...], str]]]:
    """Drop the entities whose text is one of ``shorts`` (lower case); a term of the ``user`` lexicon,
    and the entities at ``keep`` (start, end), are kept."""
    if not shorts:
        return ents, new

    def wrong(start: int, end: int) -> bool:
        if (start, end) in keep:
            return False
        span = doc[start:end]
        if span.text.lower() not in shorts:
            return False
        if user.lookup(make_key(t.lower_ for t in span), exact_key=span.text) is not None:
            return False  # the user's own term
        for i in range(start, end):
            taken[i] = False
        return True

    return [e for e in ents if not wrong(e.start, e.end)], [n for n in new if not wrong(n[0], n[1])]

