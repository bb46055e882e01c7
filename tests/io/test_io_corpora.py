"""Counts and offset checks on the shared corpora (../shared/corpora); skipped when absent.

The expected numbers are those of ../shared/corpora/README.md, plus what these
readers measured (noted where the README says nothing).
"""

from __future__ import annotations

from collections import Counter

import pytest

from medtext.io import (
    Document,
    read_ab3p,
    read_conll,
    read_corpus,
    read_csv,
    read_negex,
    read_physionet,
    read_pubtator,
    read_rct,
)

pytestmark = pytest.mark.corpora

PUBTATOR = [
    # file, documents, unique PMIDs, mentions by type, relations, misaligned mentions
    (
        "ncbi_disease/original-data/NCBItrainset_corpus.txt",
        593,
        592,
        {"SpecificDisease": 2972, "Modifier": 1289, "DiseaseClass": 769, "CompositeMention": 115},
        0,
        # PMID 10923035: the mention column has two trailing spaces that the offsets exclude.
        [("10923035", 711, 761)],
    ),
    ("ncbi_disease/original-data/NCBIdevelopset_corpus.txt", 100, 100, 787, 0, []),
    ("bc5cdr/pubtator/CDR_TrainingSet.PubTator.txt", 500, 500, {"Chemical": 5203, "Disease": 4182}, 1038, []),
    ("bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt", 500, 500, {"Chemical": 5347, "Disease": 4244}, 1012, []),
]


@pytest.mark.parametrize(("name", "n_docs", "n_pmids", "mentions", "n_rel", "misaligned"), PUBTATOR, ids=[p[0] for p in PUBTATOR])
def test_pubtator_counts_and_offsets(corpora, name, n_docs, n_pmids, mentions, n_rel, misaligned) -> None:
    docs = list(read_pubtator(corpora / name))
    assert len(docs) == n_docs
    assert len({d.id for d in docs}) == n_pmids
    types = Counter(m.type for d in docs for m in d.mentions)
    if isinstance(mentions, dict):
        assert dict(types) == mentions
    else:
        assert sum(types.values()) == mentions
    assert sum(len(d.relations) for d in docs) == n_rel
    bad = [(d.id, m.start, m.end) for d in docs for m in d.misaligned()]
    assert bad == misaligned
    for d in docs:  # the one misalignment is only trailing whitespace in the mention column
        for m in d.misaligned():
            assert d.text[m.start : m.end] == m.text.rstrip()


CONLL = [
    ("ncbi_disease/conll/train.tsv", 5432, 136086, {"Disease": 5145}),
    ("ncbi_disease/conll/devel.tsv", 923, 23969, {"Disease": 787}),
    ("bc5cdr/conll/train.tsv", 4560, 118170, {"Chemical": 5203, "Disease": 4182}),
    ("bc5cdr/conll/devel.tsv", 4581, 117453, {"Chemical": 5347, "Disease": 4246}),  # measured; PubTator has 4,244
]


@pytest.mark.parametrize(("name", "n_sent", "n_tok", "entities"), CONLL, ids=[c[0] for c in CONLL])
def test_conll_counts(corpora, name, n_sent, n_tok, entities) -> None:
    sents = list(read_conll(corpora / name))
    assert len(sents) == n_sent
    assert sum(len(s.tokens) for s in sents) == n_tok
    assert dict(Counter(label for s in sents for _, _, label in s.spans())) == entities


@pytest.mark.parametrize(("name", "n_abs", "n_sent"), [("train_clean.txt", 720, 6979), ("dev_clean.txt", 80, 801)])
def test_rct_counts(corpora, name, n_abs, n_sent) -> None:
    abstracts = list(read_rct(corpora / "nicta_piboso" / name))
    assert len(abstracts) == n_abs
    assert sum(len(a.sentences) for a in abstracts) == n_sent
    docs = list(read_corpus(corpora / "nicta_piboso" / name, format="rct"))
    assert len(docs) == n_sent and all(isinstance(d, Document) for d in docs)
    assert {d.meta["label"] for d in docs} <= {"background", "population", "intervention", "outcome", "study design", "other"}


def test_negex_counts(corpora) -> None:
    rows = list(read_negex(corpora / "negex" / "Annotations-1-120.txt"))
    assert len(rows) == 1194
    assert Counter(r.negated for r in rows) == {False: 933, True: 261}
    assert len({r.report for r in rows}) == 60
    assert not any("\r" in r.sentence or "\n" in r.sentence for r in rows)


def test_physionet_notes_and_phi_alignment(corpora) -> None:
    folder = corpora / "physionet_deid"
    notes = list(read_physionet(folder / "id.text", folder / "id-phi.phrase"))
    assert len(notes) == 1655
    assert len({n.patient for n in notes}) == 82
    phi = [p for n in notes for p in n.phi]
    assert len(phi) == 1266
    assert Counter(p.type for p in phi) == {
        "HCPName": 397, "Date": 346, "Location": 256, "RelativeProxyName": 134,
        "Phone": 49, "PTName": 44, "DateYear": 38, "Other": 2,
    }  # fmt: skip
    assert all(p.aligned for p in phi)  # offsets index the text after the START line's newline
    for n in notes:
        assert all(n.text[p.start : p.end] == p.text for p in n.phi)


def test_ab3p_counts(corpora) -> None:
    records = list(read_ab3p(corpora / "ab3p_med1250" / "MED1250_labeled"))
    assert len(records) == 625
    assert sum(len(r.pairs) for r in records) == 632
    assert sum(len(r.synonyms) for r in records) == 25  # measured: //* lines, not gold
    assert all(short in r.text for r in records for short, _ in r.pairs)
    unlabeled = list(read_ab3p(corpora / "ab3p_med1250" / "MED1250_unlabeled"))
    assert [r.pmid for r in unlabeled] == [r.pmid for r in records]
    assert [r.text for r in unlabeled] == [r.text for r in records]


def test_medical_abstracts_csv(corpora) -> None:
    docs = list(read_csv(corpora / "medical_abstracts_tc" / "medical_tc_test.even_rows.csv", text_field="medical_abstract", label_field="condition_label"))
    assert len(docs) == 1444 and all(isinstance(d, Document) for d in docs)
    assert Counter(d.meta["label"] for d in docs) == {"1": 331, "2": 161, "3": 195, "4": 293, "5": 464}


def test_druglib_tsv_with_quoted_line_breaks(corpora) -> None:
    docs = list(read_csv(corpora / "druglib_reviews" / "drugLibTrain_raw.tsv", id_field="", text_field="commentsReview", label_field="rating"))
    assert len(docs) == 3107 and all(isinstance(d, Document) for d in docs)
    assert docs[0].id == "2202" and docs[0].meta["label"] == "4"
    assert sum("\r" in d.text for d in docs) == 237  # measured: CRs inside quoted cells are kept


def test_mtsamples_csv(corpora) -> None:
    docs = list(read_csv(corpora / "mtsamples" / "mtsamples.csv", id_field="note_id", text_field="transcription", label_field="medical_specialty"))
    assert len(docs) == 3961
    assert Counter(type(d).__name__ for d in docs) == {"Document": 3937, "BadRecord": 24}  # measured
    assert {d.reason for d in docs if not isinstance(d, Document)} == {"empty text"}


def test_hallmarks_text_folder(corpora) -> None:
    """1,482 abstracts, one per file; a file that `file(1)` calls "Apache Avro" is still text."""
    docs = list(read_corpus(corpora / "hallmarks_of_cancer" / "text"))
    assert len(docs) == 1482 and all(isinstance(d, Document) for d in docs)
    assert docs[0].id.endswith(".txt") and "/" not in docs[0].id
    assert sum(d.text.count("\n") for d in docs) == 14020  # one sentence per line (README: 14,020 sentences)
