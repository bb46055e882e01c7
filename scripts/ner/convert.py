"""PubTator gold -> spaCy DocBin for NER training, tokenized with medtext's tokenizer.

Each PubTator document becomes one Doc of ``title + " " + abstract``. Mentions map to
token spans; a mention whose edges fall inside a token (about 1 % of them) marks its
tokens as *missing* rather than teaching a wrong boundary.

NCBI-disease annotates diseases only, so its chemicals are unannotated, not absent:
in NCBI documents, tokens matched by the CHEMICAL part of the lexicon (training
mentions + drug dictionary) are marked missing, so the model is not taught that
chemicals in NCBI text are not entities (partial annotation).

Example:
    $ python -m scripts.ner.convert --shared ../shared --out build/ner
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span  # noqa: F401

from medtext.evaluate.ner import PUBTATOR_LABELS
from medtext.io.pubtator import read_pubtator
from medtext.pipeline.lexicon import Lexicon

CORPORA = {
    "bc5cdr": {"train": "bc5cdr/pubtator/CDR_TrainingSet.PubTator.txt", "dev": "bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt"},
    "ncbi": {"train": "ncbi_disease/original-data/NCBItrainset_corpus.txt", "dev": "ncbi_disease/original-data/NCBIdevelopset_corpus.txt"},
}
MISSING_LABELS = {"bc5cdr": set(), "ncbi": {"CHEMICAL"}}


def chemical_lexicon(lexicon_tsv: Path) -> Lexicon:
    lex = Lexicon()
    with lexicon_tsv.open(encoding="utf-8") as handle:
        lex.load_tsv((line for line in handle if "\tCHEMICAL\t" in line))
    return lex


def to_doc(nlp, text: str, mentions, missing_labels: set[str], chem: Lexicon | None) -> tuple[Doc, dict[str, int]]:
    doc = nlp.make_doc(text)
    spans: list[Span] = []
    missing_tokens: set[int] = set()
    stats = {"mentions": 0, "misaligned": 0, "masked_tokens": 0}
    taken = [False] * len(doc)
    for start, end, label in sorted(mentions, key=lambda m: (m[0], -m[1])):
        stats["mentions"] += 1
        span = doc.char_span(start, end, label=label)
        if span is None or any(taken[span.start : span.end]):
            stats["misaligned"] += 1
            loose = doc.char_span(start, end, alignment_mode="expand")
            if loose is not None:
                missing_tokens.update(range(loose.start, loose.end))
            continue
        for i in range(span.start, span.end):
            taken[i] = True
        spans.append(span)
    if "CHEMICAL" in missing_labels and chem is not None:
        lowers = [t.lower_ for t in doc]
        for start, end, *_ in chem.match(lowers):
            if not any(taken[start:end]):
                missing_tokens.update(range(start, end))
    # tokens inside a kept span are never missing
    missing_tokens -= {i for s in spans for i in range(s.start, s.end)}
    stats["masked_tokens"] = len(missing_tokens)
    # Known-O tokens get "O"; missing tokens stay unset ("-").
    outside = [doc[i : i + 1] for i in range(len(doc)) if i not in missing_tokens and not taken[i]]
    doc.set_ents(spans, outside=outside, default="missing")
    return doc, stats


def convert(shared: Path, out: Path, lexicon_tsv: Path, splits: tuple[str, ...] = ("train", "dev")) -> dict:
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    chem = chemical_lexicon(lexicon_tsv)
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {}
    for corpus, files in CORPORA.items():
        for split in splits:
            db = DocBin(store_user_data=False)
            totals = {"docs": 0, "mentions": 0, "misaligned": 0, "masked_tokens": 0, "tokens": 0}
            for gold in read_pubtator(shared / "corpora" / files[split]):
                mentions = [
                    (m.start, m.end, PUBTATOR_LABELS[m.type]) for m in gold.mentions if m.type in PUBTATOR_LABELS
                ]
                doc, stats = to_doc(nlp, gold.text, mentions, MISSING_LABELS[corpus], chem)
                db.add(doc)
                totals["docs"] += 1
                totals["tokens"] += len(doc)
                for k, v in stats.items():
                    totals[k] += v
            db.to_disk(out / f"{corpus}-{split}.spacy")
            report[f"{corpus}-{split}"] = totals
    (out / "convert.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Convert PubTator corpora to DocBin for NER training.")
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lexicon", type=Path, default=Path("medtext/resources/lexicons/lexicon.tsv"))
    args = parser.parse_args(argv)
    print(json.dumps(convert(args.shared, args.out, args.lexicon), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
