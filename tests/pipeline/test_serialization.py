"""Saved pipelines load without medtext; pipelines pickle and run with n_process=2."""

import json
import pickle
import subprocess
import sys

from medtext.pipeline.record import doc_to_record

TEXTS = [
    "CHIEF COMPLAINT: Cough.\nMEDICATIONS: Aspirin 81mg p.o. daily.,ALLERGIES: , None.",
    "Seen by **NAME[AAA, BBB] on [**2101-10-3**]. No fever. s/p CABG x3.",
    "Levels of vitamin D. The dose was 5 mg/kg b.i.d. (p < 0.05. n = 3).",
]


def records(nlp, texts=TEXTS):
    return [doc_to_record(doc, i) for i, doc in enumerate(nlp.pipe(texts))]


def test_saved_pipeline_loads_in_a_process_that_never_imports_medtext(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    script = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipeline')!r})\n"
        f"texts = {TEXTS!r}\n"
        "out = []\n"
        "for doc in nlp.pipe(texts):\n"
        "    out.append({'tokens': [t.text for t in doc], 'sents': [[s.start_char, s.end_char] for s in doc.sents],\n"
        "                'sections': doc._.sections})\n"
        "assert 'medtext' not in sys.argv\n"
        "print(json.dumps(out))\n"
    )
    # -I: isolated mode, so the repository folder is not on sys.path; medtext is
    # reached only through the entry points of the installed distribution.
    proc = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fresh = json.loads(proc.stdout)
    expected = [
        {"tokens": [t.text for t in doc], "sents": [[s.start_char, s.end_char] for s in doc.sents], "sections": doc._.sections}
        for doc in nlp.pipe(TEXTS)
    ]
    assert fresh == expected


def test_pipeline_pickles(nlp):
    clone = pickle.loads(pickle.dumps(nlp))
    assert records(clone) == records(nlp)


def test_n_process_2_matches_one_process(nlp):
    texts = TEXTS * 20
    one = [doc_to_record(d, i) for i, d in enumerate(nlp.pipe(texts, n_process=1))]
    two = [doc_to_record(d, i) for i, d in enumerate(nlp.pipe(texts, n_process=2, batch_size=8))]
    assert one == two
