"""Train medtext's statistical NER (DISEASE, CHEMICAL) and ship it as ``models/ner``.

Steps: convert the BC5CDR and NCBI-disease PubTator train/dev files to DocBin with
medtext's tokenizer (``scripts/ner/convert.py``; NCBI chemicals are marked missing,
not absent), train one model on both training sets with spaCy's config system
(``scripts/ner/config.cfg``, early stopping on both dev sets), copy the best model to
``models/ner``, score it per corpus with ``medtext evaluate ner``'s code on the dev
files, and write our fields into its ``meta.json``.

Needs the shipped lexicon (``scripts/build_lexicons.py`` first). Training takes
about 15 minutes on an idle 2-core machine (an hour when busy); it runs under ``nice``.

Example:
    $ python -m scripts.build_lexicons --shared ../shared
    $ python -m scripts.build_ner --shared ../shared
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV_FILES = {
    "bc5cdr": "bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt",
    "ncbi_disease": "ncbi_disease/original-data/NCBIdevelopset_corpus.txt",
}


# Copies of each corpus in the training set. NCBI-disease twice (2026-12-02, default pipeline dev F1,
# NCBI / BC5CDR): seed 0 0.849 / 0.872 -> 0.855 / 0.868, seed 1 0.842 / 0.873 -> 0.851 / 0.870 - the
# two corpora disagree on what a disease mention is (NCBI leaves out "death", annotates "tumor
# suppressor"), and BC5CDR's 9,385 mentions outweighed NCBI's 5,145. NER alone, seed 0: NCBI 0.807 ->
# 0.822, BC5CDR 0.797 -> 0.794. The shipped model is seed 0 (the config's).
TRAIN_COPIES = {"bc5cdr": 1, "ncbi": 2}


def merge(work: Path, split: str, copies: dict[str, int] | None = None) -> Path:
    """One DocBin of both corpora's ``split``, each corpus ``copies[corpus]`` times (default once)."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    merged = DocBin(store_user_data=False)
    for corpus in ("bc5cdr", "ncbi"):
        docs = list(DocBin().from_disk(work / f"{corpus}-{split}.spacy").get_docs(vocab))
        for _ in range((copies or {}).get(corpus, 1)):
            for doc in docs:
                merged.add(doc)
    path = work / f"all-{split}.spacy"
    merged.to_disk(path)
    return path


def train(config: Path, work: Path, train_path: Path, dev_path: Path, extra: list[str]) -> Path:
    out = work / "run"
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        "nice", "-n", "10", sys.executable, "-m", "spacy", "train", str(config), "--output", str(out),
        "--paths.train", str(train_path), "--paths.dev", str(dev_path), *extra,
    ]  # fmt: skip
    with (work / "train.log").open("w") as log:
        subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT)
    return out / "model-best"


def dev_scores(shared: Path, model: Path | None) -> dict:
    """Per-corpus dev scores: the NER alone (``model``) or the default pipeline (None)."""
    import medtext
    from medtext.evaluate.ner import evaluate_ner

    nlp = medtext.load(model) if model is not None else medtext.load()
    out = {}
    for corpus, rel in DEV_FILES.items():
        start = time.perf_counter()
        result = evaluate_ner(nlp, shared / "corpora" / rel, "pubtator", codes=model is None)
        result["seconds"] = round(time.perf_counter() - start, 1)
        out[corpus] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()}
    return out


def dev_curve(log: Path) -> list[dict]:
    """(epoch, step, loss, ents_f, ents_p, ents_r) rows of spaCy's training log (combined dev set)."""
    rows = []
    if not log.is_file():
        return rows
    for line in log.read_text(errors="replace").splitlines():
        cells = line.split()
        if len(cells) == 7 and cells[0].isdigit() and cells[1].isdigit():
            epoch, step, loss, f, p, r, _ = cells
            rows.append({"epoch": int(epoch), "step": int(step), "loss": float(loss), "ents_f": float(f), "ents_p": float(p), "ents_r": float(r)})
    return rows


def package(best: Path, target: Path, work: Path, shared: Path, config: Path, log: Path) -> dict:
    import spacy

    from medtext.about import __version__

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
    meta = json.loads((target / "meta.json").read_text())
    convert_report = json.loads((work / "convert.json").read_text())
    files = {}
    for name, rel in [
        ("bc5cdr-train", "bc5cdr/pubtator/CDR_TrainingSet.PubTator.txt"),
        ("ncbi-train", "ncbi_disease/original-data/NCBItrainset_corpus.txt"),
        ("bc5cdr-dev", DEV_FILES["bc5cdr"]),
        ("ncbi-dev", DEV_FILES["ncbi_disease"]),
    ]:
        files[name] = {"path": rel, "sha256": hashlib.sha256((shared / "corpora" / rel).read_bytes()).hexdigest()}
    meta.update(
        {
            "name": "ner",
            "task": "ner",
            "version": __version__,
            "labels": ["CHEMICAL", "DISEASE"],
            "medtext_version": __version__,
            "spacy_version": f">={spacy.__version__},<4",
            "spacy_version_built": spacy.__version__,
            "description": "medtext statistical NER (DISEASE, CHEMICAL): spaCy transition-based NER with its own "
            "hash-embedding CNN tok2vec (no pretrained vectors), medtext tokenizer.",
            "training_data": {
                "description": "BC5CDR train (500 PubMed abstracts; Chemical, Disease) + NCBI-disease train (593 "
                "abstracts, twice; disease types mapped to DISEASE). In NCBI documents, tokens that the CHEMICAL "
                "lexicon matches are marked missing (NCBI does not annotate chemicals). Dev sets (BC5CDR dev, "
                "NCBI dev) used for early stopping and the scores below.",
                "files": files,
                "conversion": convert_report,
                "train_copies": TRAIN_COPIES,
                "config": str(config.relative_to(REPO)) if config.is_relative_to(REPO) else str(config),
                "dev_curve": dev_curve(log),
                "dev_curve_note": "spaCy's own scorer on BC5CDR dev + NCBI dev together (missing labels ignored)",
            },
            "license": "model: MIT (medtext); training data: public domain (NLM/NCBI), cite Wei et al. 2015, "
            "Li et al. 2016 (BC5CDR) and Dogan et al. 2014 (NCBI-disease)",
        }
    )
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train and ship medtext's NER model.")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "ner")
    parser.add_argument("--config", type=Path, default=REPO / "scripts" / "ner" / "config.cfg")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "ner")
    parser.add_argument("--from-run", type=Path, default=None, help="package an existing model-best instead of training")
    parser.add_argument("overrides", nargs="*", help="spaCy config overrides, e.g. --training.max_steps=2000")
    args = parser.parse_args(argv)
    if not (args.shared / "corpora").is_dir():
        print(f"build_ner: {args.shared}/corpora not found; pass --shared", file=sys.stderr)
        return 2
    from scripts.ner.convert import convert

    lexicon = REPO / "medtext" / "resources" / "lexicons" / "lexicon.tsv"
    convert(args.shared, args.work, lexicon)
    train_path, dev_path = merge(args.work, "train", TRAIN_COPIES), merge(args.work, "dev")
    best = args.from_run or train(args.config, args.work, train_path, dev_path, args.overrides)
    log = (args.from_run.parent / "train.log") if args.from_run else args.work / "train.log"
    meta = package(best, args.out, args.work, args.shared, args.config, log)
    meta["metrics"] = {
        "dev_ner_only": dev_scores(args.shared, args.out),
        "dev_default_pipeline": dev_scores(args.shared, None),
        "note": "exact span + label on the dev PubTator files (medtext evaluate ner); default pipeline = "
        "medtext.load() with this model, lexicon built from the train splits only",
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta["metrics"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
