"""Dev-set ablation of how NER and lexicon combine (run NER once, try each concepts mode).

Example:
    $ python -m scripts.ner.ablate --shared ../shared [--model build/ner/run/model-best]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

DEV = {
    "bc5cdr": "bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt",
    "ncbi": "ncbi_disease/original-data/NCBIdevelopset_corpus.txt",
}


def score(docs, gold_docs, labels):
    from medtext.evaluate.metrics import set_prf

    pred, gold, found, correct = set(), {}, 0, 0
    for i, (doc, (_, _, spans)) in enumerate(zip(docs, gold_docs)):
        for (s, e, label), ids in spans.items():
            gold[(i, s, e, label)] = ids
        for ent in doc.ents:
            if ent.label_ in labels:
                key = (i, ent.start_char, ent.end_char, ent.label_)
                pred.add(key)
                if key in gold and gold[key]:
                    found += 1
                    codes = {c["code"] for c in ent._.codes or []} | {f"{c['system']}:{c['code']}" for c in ent._.codes or []}
                    correct += bool(codes & set(gold[key]))
    r = set_prf(pred, gold)
    per = {lab: round(set_prf({k for k in pred if k[3] == lab}, {k for k in gold if k[3] == lab})["f1"], 4) for lab in labels}
    return {"p": round(r["precision"], 4), "r": round(r["recall"], 4), "f1": round(r["f1"], 4), "per": per, "norm": round(correct / max(found, 1), 4)}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--modes", default="never,trusted,always")
    args = parser.parse_args(argv)
    import spacy

    import medtext
    from medtext.evaluate.ner import pubtator_gold

    base = medtext.load(exclude=["concepts"]) if args.model is None else None
    if args.model is not None:
        base = medtext.load(exclude=["ner", "concepts"])
        base.add_pipe("ner", source=spacy.load(args.model))
    for corpus, rel in DEV.items():
        gold_docs = list(pubtator_gold(args.shared / "corpora" / rel))
        labels = sorted({k[2] for _, _, spans in gold_docs for k in spans})
        docs = list(base.pipe([t for _, t, _ in gold_docs], batch_size=32))
        out = {}
        for mode in args.modes.split(","):
            for prop, relabel in ((False, False), (True, False), (True, True)):
                cfg = {
                    "components.concepts.lexicon_entities": mode,
                    "components.concepts.propagate_entities": prop,
                    "components.concepts.relabel": relabel,
                }
                conc = medtext.load(exclude=["ner"], config=cfg).get_pipe("concepts")
                name = f"{mode}{'+prop' if prop else ''}{'+relabel' if relabel else ''}"
                out[name] = score([conc(d.copy()) for d in docs], gold_docs, labels)
        print(corpus, json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
