"""Turn the shared corpora (``../shared/corpora``) into medtext training records.

Each loader returns a list of plain dicts ``{"id", "text", "label"}`` (or ``"labels"``
for multi-label) plus a ``group`` key (the document id used to split without
leakage). Nothing here is copied into the repository: the corpora are read from a path.

Example:
    >>> rows = medical_abstracts("../shared")          # doctest: +SKIP
    >>> rows[0]["label"]                                # doctest: +SKIP
    'nervous system diseases'
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path
from typing import Any

csv.field_size_limit(1 << 30)


def corpora_dir(shared: str | os.PathLike) -> Path:
    p = Path(shared)
    return p / "corpora" if (p / "corpora").is_dir() else p


def medical_abstracts(shared) -> list[dict[str, Any]]:
    """Medical Abstracts TC (the 1,444 shared abstracts), labels named as in medical_tc_labels.csv."""
    d = corpora_dir(shared) / "medical_abstracts_tc"
    with open(d / "medical_tc_labels.csv", encoding="utf-8", newline="") as f:
        names = {r["condition_label"]: r["condition_name"].strip() for r in csv.DictReader(f)}
    rows = []
    with open(d / "medical_tc_test.even_rows.csv", encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            rows.append({"id": f"ma-{i + 1}", "text": r["medical_abstract"],
                         "label": names[r["condition_label"].strip()], "group": f"ma-{i + 1}"})
    return rows


def hoc_labels(raw: str) -> list[str]:
    """Top-level hallmark names of one HoC label file (union over its sentences)."""
    out: set[str] = set()
    for field in raw.split("<")[1:]:
        for part in field.split("AND"):
            top = part.split("--")[0].strip()
            if top and top != "NULL":
                out.add(top)
    return sorted(out)


def hallmarks(shared) -> list[dict[str, Any]]:
    """HoC abstracts: the raw text file as it is, labels = top-level hallmarks (may be []).

    ``line_labels`` holds the sentence-level annotation: one label list per line of the text
    (HoC label files have one ``<`` field per sentence line)."""
    d = corpora_dir(shared) / "hallmarks_of_cancer"
    rows = []
    for name in sorted(os.listdir(d / "text")):
        pmid = name.rsplit(".", 1)[0]
        text = (d / "text" / name).read_text(encoding="utf-8")
        raw = (d / "labels" / name).read_text(encoding="utf-8")
        fields = raw.split("<")[1:]
        line_labels = [hoc_labels("<" + f) for f in fields]
        rows.append({"id": pmid, "text": text, "labels": hoc_labels(raw), "group": pmid, "line_labels": line_labels})
    return rows


def hallmarks_lines(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """(line text, line labels) pairs of HoC rows, non-blank lines only."""
    X, y = [], []
    for r in rows:
        for i, line in enumerate(r["text"].splitlines()):
            if line.strip():
                X.append(line)
                y.append(r["line_labels"][i] if i < len(r["line_labels"]) else [])
    return X, y


def ade_sentences(shared) -> list[dict[str, Any]]:
    """ADE v2 sentences, de-duplicated per PubMed id: ``ade`` when in DRUG-AE.rel, else ``no_ade``.

    ``drugs`` / ``effects`` hold the drug and adverse-effect spans annotated in the sentence
    (DRUG-AE.rel; DRUG-DOSE.rel adds drugs): training-time annotations, never model input."""
    d = corpora_dir(shared) / "ade_corpus_v2"
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []

    def add(pmid: str, sent: str, label: str, drug: str | None = None, effect: str | None = None) -> None:
        key = (pmid, sent)
        if key not in seen:
            seen[key] = {"text": sent, "label": label, "group": pmid, "drugs": [], "effects": []}
            order.append(key)
        elif label == "ade":
            seen[key]["label"] = "ade"
        for field, term in (("drugs", drug), ("effects", effect)):
            if term and term not in seen[key][field]:
                seen[key][field].append(term)

    with open(d / "DRUG-AE.rel", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("|")
            if len(parts) >= 8:
                add(parts[0], "|".join(parts[1:-6]), "ade", drug=parts[-3], effect=parts[-6])
    for fname in ("DRUG-DOSE.rel",):
        with open(d / fname, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("|")
                if len(parts) >= 8:
                    add(parts[0], "|".join(parts[1:-6]), "no_ade", drug=parts[-3])
    with open(d / "ADE-NEG.txt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            pmid, tag, sent = line.split(" ", 2)
            add(pmid, sent, "no_ade")
    rows = []
    counts: dict[str, int] = {}
    for key in order:
        r = seen[key]
        counts[key[0]] = counts.get(key[0], 0) + 1
        rows.append({"id": f"{key[0]}:{counts[key[0]]}", **r})
    return rows


def druglib(shared) -> list[dict[str, Any]]:
    """Druglib reviews: text = benefits + " " + side effects + " " + comments, label = rating (float)."""
    path = corpora_dir(shared) / "druglib_reviews" / "drugLibTrain_raw.tsv"
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        idx = {h: i for i, h in enumerate(header)}
        for r in reader:
            if not r:
                continue
            text = " ".join(r[idx[k]] for k in ("benefitsReview", "sideEffectsReview", "commentsReview"))
            rows.append({"id": r[0], "text": text, "label": float(r[idx["rating"]]), "group": r[0]})
    return rows


def piboso_path(shared, split: str) -> Path:
    return corpora_dir(shared) / "nicta_piboso" / f"{split}_clean.txt"


def group_split(rows: list[dict[str, Any]], dev_share: float = 0.2, salt: str = "medtext") -> tuple[list, list]:
    """Deterministic split by ``group`` (document id): every record of a group lands on one side."""
    train, dev = [], []
    for r in rows:
        h = int(hashlib.sha256(f"{salt}:{r['group']}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (dev if h < dev_share else train).append(r)
    return train, dev


def write_jsonl(rows: list[dict[str, Any]], path: str | os.PathLike, keys=("id", "text", "label", "labels")) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: r[k] for k in keys if k in r}, ensure_ascii=False) + "\n")
    return path
