"""NER evaluation against PubTator or CoNLL gold files (``medtext evaluate ner``).

Exact span + label matching, micro-averaged over the labels present in the gold
file, with per-label figures. PubTator documents are run as ``title + " " + abstract``;
CoNLL sentences as their tokens joined by single spaces. With ``codes=True`` the
result adds ``normalization_accuracy``: of the correctly found mentions that have a
gold id, the share whose predicted codes contain one of the gold ids (a composite id
``D001943|D010051`` or ``D1+D2`` counts when any part matches; ``OMIM:610102`` counts
like a MeSH id, bare or prefixed).

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])  # doctest: +SKIP
    >>> evaluate_ner(nlp, "NCBIdevelopset_corpus.txt", "pubtator")["f1"]  # doctest: +SKIP
    0.8
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtext.errors import Errors, InputError
from medtext.evaluate.metrics import prf, set_prf

# PubTator mention types -> medtext labels (DESIGN.md).
PUBTATOR_LABELS = {
    "Disease": "DISEASE",
    "SpecificDisease": "DISEASE",
    "DiseaseClass": "DISEASE",
    "Modifier": "DISEASE",
    "CompositeMention": "DISEASE",
    "Chemical": "CHEMICAL",
}
CONLL_LABELS = {"disease": "DISEASE", "chemical": "CHEMICAL"}
_ID_SEP = re.compile(r"[|+,]")


# --- gold readers (stand-ins until medtext.io's readers land on main) -----------------


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    type: str
    raw_id: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class GoldDocument:
    id: str
    title: str
    abstract: str
    mentions: tuple[GoldMention, ...]
    line: int

    @property
    def text(self) -> str:
        return f"{self.title} {self.abstract}"


@dataclass(frozen=True)
class GoldSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int


def split_ids(raw_id: str) -> tuple[str, ...]:
    """Parts of a PubTator id: ``"D1|D2"`` -> ``("D1", "D2")``; ``-1`` means none."""
    return tuple(p for p in (x.strip() for x in _ID_SEP.split(raw_id)) if p and p != "-1")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    if not path.is_file():
        raise InputError(Errors.E001.format(path=path))
    with path.open(encoding="utf-8", errors="strict", newline="") as handle:
        try:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError:
            raise InputError(Errors.E007.format(path=path, detail="not UTF-8 text")) from None


def read_pubtator(path: str | Path) -> Iterator[GoldDocument]:
    """Documents of a PubTator file; InputError naming file and line on malformed input."""
    path = Path(path)
    draft: dict[str, Any] | None = None

    def bad(line: int, detail: str) -> InputError:
        return InputError(Errors.E082.format(path=path, line=line, detail=detail))

    def finish(d: dict[str, Any]) -> GoldDocument:
        if d["abstract"] is None:
            raise bad(d["line"], f"document {d['id']} has a title line but no '|a|' abstract line")
        doc = GoldDocument(d["id"], d["title"], d["abstract"], tuple(d["mentions"]), d["line"])
        for m, line in zip(doc.mentions, d["mention_lines"]):
            if m.end > len(doc.text):
                raise bad(line, f"mention offsets {m.start}-{m.end} lie outside the text of document {doc.id}")
        return doc

    for number, line in _lines(path):
        if not line.strip():
            if draft is not None:
                yield finish(draft)
                draft = None
            continue
        if "|t|" in line.split("\t", 1)[0] or re.match(r"^[^\t|]+\|t\|", line):
            if draft is not None:
                yield finish(draft)
            pmid, _, title = line.partition("|t|")
            draft = {"id": pmid, "title": title, "abstract": None, "mentions": [], "mention_lines": [], "line": number}
            continue
        if re.match(r"^[^\t|]+\|a\|", line):
            pmid, _, abstract = line.partition("|a|")
            if draft is None or draft["id"] != pmid:
                raise bad(number, "an '|a|' abstract line without the '|t|' title line of the same PMID before it")
            draft["abstract"] = abstract
            continue
        cells = line.split("\t")
        if draft is None:
            raise bad(number, "expected a 'PMID|t|title' line")
        if cells[0] != draft["id"]:
            raise bad(number, f"PMID '{cells[0][:20]}' differs from the document's PMID")
        if len(cells) == 4 and not cells[1].isdigit():
            continue  # relation line
        if len(cells) < 5:
            raise bad(number, f"expected 'PMID TAB start TAB end TAB text TAB type [TAB id]', found {len(cells)} columns")
        try:
            start, end = int(cells[1]), int(cells[2])
        except ValueError:
            raise bad(number, "start and end must be integers") from None
        if not 0 <= start < end:
            raise bad(number, f"bad offsets {start}-{end}")
        raw_id = cells[5] if len(cells) > 5 else ""
        draft["mentions"].append(GoldMention(start, end, cells[3], cells[4], raw_id, split_ids(raw_id)))
        draft["mention_lines"].append(number)
    if draft is not None:
        yield finish(draft)


def read_conll(path: str | Path) -> Iterator[GoldSentence]:
    """Sentences of a CoNLL/IOB file (``token TAB tag``, blank line between sentences)."""
    path = Path(path)
    tokens: list[str] = []
    tags: list[str] = []
    start_line = 1
    for number, line in _lines(path):
        if not line.strip():
            if tokens:
                yield GoldSentence(tuple(tokens), tuple(tags), start_line)
            tokens, tags = [], []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        cells = line.split("\t") if "\t" in line else line.split()
        if len(cells) < 2:
            raise InputError(Errors.E082.format(path=path, line=number, detail="expected 'token TAB tag'"))
        tag = cells[-1].strip()
        if tag != "O" and not re.match(r"^[BIES]-\S+$", tag):
            raise InputError(Errors.E082.format(path=path, line=number, detail=f"tag '{tag[:20]}' is not O, B-X or I-X"))
        if not tokens:
            start_line = number
        tokens.append(cells[0])
        tags.append(tag)
    if tokens:
        yield GoldSentence(tuple(tokens), tuple(tags), start_line)


# --- gold as (text, {(start, end, label): ids}) ------------------------------------------


def pubtator_gold(path: str | Path) -> Iterator[tuple[str, str, dict[tuple[int, int, str], tuple[str, ...]]]]:
    """(id, text, {(start, end, label): gold ids}) per PubTator document."""
    for doc in read_pubtator(path):
        spans = {}
        for m in doc.mentions:
            label = PUBTATOR_LABELS.get(m.type)
            if label is not None:
                spans[(m.start, m.end, label)] = m.ids
        yield doc.id, doc.text, spans


def conll_gold(path: str | Path) -> Iterator[tuple[str, str, dict[tuple[int, int, str], tuple[str, ...]]]]:
    """(line id, text, spans) per CoNLL sentence; text = tokens joined by single spaces."""
    for sent in read_conll(path):
        offsets, pos = [], 0
        for tok in sent.tokens:
            offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        text = " ".join(sent.tokens)
        spans: dict[tuple[int, int, str], tuple[str, ...]] = {}
        current: list[Any] | None = None
        for i, tag in enumerate(sent.tags + ("O",)):
            prefix, _, name = tag.partition("-")
            if current is not None and (prefix in ("O", "B", "S") or CONLL_LABELS.get(name.lower(), name.upper()) != current[2]):
                spans[(offsets[current[0]][0], offsets[current[1]][1], current[2])] = ()
                current = None
            if prefix in ("B", "S") or (prefix in ("I", "E") and current is None):
                current = [i, i, CONLL_LABELS.get(name.lower(), name.upper())]
            elif prefix in ("I", "E") and current is not None:
                current[1] = i
        yield f"line{sent.line}", text, spans


def code_strings(codes: Iterable[dict[str, str]]) -> set[str]:
    """Every form a predicted code may take in gold: bare, prefixed, and a prefixed code stripped."""
    out = set()
    for c in codes:
        code, system = c.get("code", ""), c.get("system", "")
        out |= {code, f"{system}:{code}", code.rsplit(":", 1)[-1]}
    return out


def evaluate_ner(nlp: Any, gold: str | Path, fmt: str = "pubtator", codes: bool = False, batch_size: int = 32) -> dict[str, Any]:
    """Score ``nlp`` on a gold file; the ``medtext evaluate ner`` JSON as a dict."""
    if fmt == "pubtator":
        docs = list(pubtator_gold(gold))
    elif fmt == "conll":
        docs = list(conll_gold(gold))
    else:
        raise InputError(Errors.E083.format(fmt=fmt))
    gold_items: dict[tuple[int, int, int, str], tuple[str, ...]] = {}
    for i, (_, _, spans) in enumerate(docs):
        for (start, end, label), ids in spans.items():
            gold_items[(i, start, end, label)] = ids
    labels = sorted({key[3] for key in gold_items})
    if not labels:
        raise InputError(Errors.E084.format(path=gold))
    predicted: dict[tuple[int, int, int, str], set[str]] = {}
    texts = (text for _, text, _ in docs)
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        for ent in doc.ents:
            if ent.label_ in labels:
                predicted[(i, ent.start_char, ent.end_char, ent.label_)] = code_strings(ent._.codes or [])
    result: dict[str, Any] = dict(set_prf(predicted, gold_items))
    result["per_label"] = {
        label: set_prf((k for k in predicted if k[3] == label), (k for k in gold_items if k[3] == label)) for label in labels
    }
    result["n_documents"] = len(docs)
    if codes:
        found = [k for k in predicted if k in gold_items and gold_items[k]]
        correct = sum(1 for k in found if predicted[k] & set(gold_items[k]))
        result["normalization_accuracy"] = correct / len(found) if found else 0.0
        result["normalization_n"] = len(found)
    return result


__all__ = ["evaluate_ner", "read_pubtator", "read_conll", "pubtator_gold", "conll_gold", "prf"]
