"""Small synthetic corpora (written here, no downloads) for fast learn tests."""

from __future__ import annotations

import json
import random

import pytest

TOPICS = {
    "neoplasms": ["carcinoma", "tumour", "metastatic", "lymphoma", "chemotherapy", "oncology", "malignant"],
    "cardiovascular diseases": ["myocardial", "infarction", "hypertension", "coronary", "atrial", "cardiac", "stroke"],
    "digestive system diseases": ["colitis", "hepatic", "cirrhosis", "gastric", "bowel", "pancreatitis", "liver"],
}
FILLER = ["patients", "study", "were", "treated", "with", "the", "of", "and", "in", "results", "showed", "clinical"]


def make_texts(n_per_label: int = 12, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for label, words in TOPICS.items():
        for i in range(n_per_label):
            toks = rng.choices(words, k=4) + rng.choices(FILLER, k=8)
            rng.shuffle(toks)
            rows.append({"id": f"{label[:3]}-{i}", "text": " ".join(toks).capitalize() + ".", "label": label})
    rng.shuffle(rows)
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


ROLES = [("background", "Heart disease is a common cause of death in older adults ."),
         ("population", "We enrolled 120 adults with chronic heart failure ."),
         ("intervention", "Patients received daily exercise training for twelve weeks ."),
         ("outcome", "Exercise improved walking distance and quality of life ."),
         ("outcome", "No serious adverse events occurred .")]


def make_rct(n_abstracts: int = 12, seed: int = 0) -> str:
    rng = random.Random(seed)
    out = []
    for a in range(n_abstracts):
        out.append(f"###{1000 + a}")
        for label, sent in ROLES:
            words = sent.split()
            if rng.random() < 0.5:
                words.insert(rng.randrange(len(words)), rng.choice(FILLER))
            out.append(f"{label}\t{' '.join(words)}")
        out.append("")
    return "\n".join(out) + "\n"


DRUGS = ["zorbitrol", "quexamine", "plavodin", "aspirin", "methotrexate"]
EFFECTS = ["purple toes", "green ears", "hepatitis", "rash", "seizures"]


def ade_rows(n=60, seed=0, offsets=False):
    """Synthetic ADE-style sentences: every third reports an effect of a drug, annotated in ``pairs``."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        d, e = rng.choice(DRUGS), rng.choice(EFFECTS)
        ade = i % 3 == 0
        cue = rng.choice(["induced", "caused", "led to"] if ade else ["was given for", "and", "was compared with"])
        text = f"{d.capitalize()} {cue} {e} in patient {i}."
        effect = [text.index(e), text.index(e) + len(e)] if offsets else e
        pairs = [{"drug": d, "effect": effect}] if ade else ([{"drug": d}] if i % 3 == 1 else [])
        rows.append({"id": f"s{i}", "text": text, "label": "ade" if ade else "no_ade", "group": f"doc{i // 2}",
                     "pairs": pairs})
    return rows


def hoc_rows(n=30, seed=0, offsets=False):
    """Synthetic Hallmarks-of-Cancer-style abstracts: one sentence per line, each sentence with its own
    labels in ``sentences`` (a topic's sentence carries the topic, filler sentences none), the document's
    ``labels`` the union of its sentences'; ``offsets``: sentences as start/end instead of text."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    rows = []
    for i in range(n):
        chosen = [topics[i % 3]] + ([topics[(i + 1) % 3]] if i % 4 == 0 else [])
        sents = [(" ".join(rng.choices(TOPICS[t], k=3) + rng.choices(FILLER, k=4)).capitalize() + " .", [t])
                 for t in chosen]
        sents.append((" ".join(rng.choices(FILLER, k=6)).capitalize() + " .", []))
        rng.shuffle(sents)
        text = "\n".join(s for s, _ in sents) + "\n"
        items, start = [], 0
        for s, labs in sents:
            items.append({"start": start, "end": start + len(s), "labels": labs} if offsets else {"text": s, "labels": labs})
            start += len(s) + 1
        rows.append({"id": f"doc-{i}", "text": text, "labels": sorted(chosen), "sentences": items})
    return rows


@pytest.fixture(scope="session")
def texts_rows():
    return make_texts()


@pytest.fixture(scope="session")
def train_file(tmp_path_factory, texts_rows):
    return write_jsonl(tmp_path_factory.mktemp("data") / "train.jsonl", texts_rows)


@pytest.fixture(scope="session")
def multilabel_rows():
    rows = []
    for r in make_texts(10, seed=1):
        labs = [r["label"]]
        if "metastatic" in r["text"] or "stroke" in r["text"]:
            labs.append("severe")
        if r["id"].endswith("-0"):
            labs = []
        rows.append({"id": r["id"], "text": r["text"], "labels": labs})
    return rows


@pytest.fixture(scope="session")
def regress_rows():
    rng = random.Random(3)
    rows = []
    good, bad = ["great", "helped", "excellent", "relief"], ["terrible", "nausea", "worse", "pain"]
    for i in range(60):
        g = rng.randint(0, 4)
        toks = rng.choices(good, k=g) + rng.choices(bad, k=4 - g) + rng.choices(FILLER, k=5)
        rng.shuffle(toks)
        rows.append({"id": str(i), "text": " ".join(toks), "label": float(1 + 2 * g + rng.random())})
    return rows


@pytest.fixture(scope="session")
def rct_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("rct") / "train.txt"
    p.write_text(make_rct(), encoding="utf-8")
    return p


SMALL_FEATURES = {"min_df": 1, "char_ngram_range": (2, 4)}
