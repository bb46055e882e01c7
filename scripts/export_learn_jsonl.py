"""Write the training data of a shipped learn model as the JSONL that ``medtext train`` reads.

    python -m scripts.export_learn_jsonl --shared ../shared --model ade-sentences -o ade.jsonl [--part all|train|dev]

Records are those of :mod:`scripts.learn_data` (what ``scripts/build_learn_models.py`` trains on):
``id``, ``text``, ``label`` (``labels`` for hallmarks) and ``group`` (the document id). For
``ade-sentences`` each record also has ``pairs``: its DRUG-AE.rel relations as
``{"drug", "effect"}`` and its DRUG-DOSE.rel drugs as ``{"drug"}``, in file order, so that

    medtext train --algorithm term-pairs -i ade.jsonl -o ade-cli --config models/ade-sentences/meta.json

repeats the shipped model. For ``hallmarks`` each record also has ``sentences``: the non-blank
lines of its text (HoC writes one sentence per line) with their own top-level hallmarks, as
``{"text", "labels"}``, so that

    medtext train --task multilabel --algorithm line-max -i hoc.jsonl -o hoc-cli --config models/hallmarks/meta.json

repeats the shipped model. ``--part train|dev`` writes one side of the 80/20 split by document
that the shipped model's held-out figures come from (``all``, the default, is what it was
trained on). The output is corpus data: keep it out of the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scripts import learn_data as D

LOADERS = {"abstract-topics": D.medical_abstracts, "ade-sentences": D.ade_sentences, "hallmarks": D.hallmarks,
           "review-rating": D.druglib}


def ade_pairs(shared) -> dict[tuple[str, str], list[dict[str, str]]]:
    """``{(pmid, sentence): [{"drug", "effect"} | {"drug"}, ...]}`` from DRUG-AE.rel then DRUG-DOSE.rel."""
    d = D.corpora_dir(shared) / "ade_corpus_v2"
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for fname, with_effect in (("DRUG-AE.rel", True), ("DRUG-DOSE.rel", False)):
        with open(d / fname, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("|")
                if len(parts) < 8:
                    continue
                pair = {"drug": parts[-3], "effect": parts[-6]} if with_effect else {"drug": parts[-3]}
                pairs = out.setdefault((parts[0], "|".join(parts[1:-6])), [])
                if pair not in pairs:
                    pairs.append(pair)
    return out


def records(model: str, shared, part: str = "all") -> list[dict[str, Any]]:
    """The JSONL records of ``model``'s training data (``part``: all, train or dev)."""
    rows = LOADERS[model](shared)
    if part != "all":
        rows = D.group_split(rows)[0 if part == "train" else 1]
    pairs = ade_pairs(shared) if model == "ade-sentences" else None
    out = []
    for r in rows:
        rec = {"id": r["id"], "text": r["text"], **({"labels": r["labels"]} if "labels" in r else {"label": r["label"]}),
               "group": r["group"]}
        if pairs is not None:
            rec["pairs"] = pairs.get((r["group"], r["text"]), [])
        if "line_labels" in r:
            rec["sentences"] = [{"text": t, "labels": l} for t, l in zip(*D.hallmarks_lines([r]))]
        out.append(rec)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared", help="folder holding corpora/ (default ../shared)")
    ap.add_argument("--model", required=True, choices=sorted(LOADERS), help="shipped model whose data to write")
    ap.add_argument("--part", default="all", choices=("all", "train", "dev"), help="all (default), or one side of the split")
    ap.add_argument("-o", "--output", required=True, help="JSONL file to write")
    args = ap.parse_args(argv)
    if not D.corpora_dir(args.shared).is_dir():
        print(f"export_learn_jsonl: no corpora under {args.shared}", file=sys.stderr)
        return 2
    recs = records(args.model, args.shared, args.part)
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"export_learn_jsonl: {len(recs)} records of {args.model} ({args.part}) written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
