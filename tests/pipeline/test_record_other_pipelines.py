"""``doc_to_record`` on a Doc of a plain spaCy pipeline, in a process that never loaded medtext's pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, spacy
from medtext.pipeline.record import doc_to_record
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
nlp.add_pipe("entity_ruler").add_patterns([{"label": "DISEASE", "pattern": "fever"}])
print(json.dumps(doc_to_record(nlp("No fever. Cough."), "n1")))
"""


def test_a_plain_spacy_doc_gives_a_record_with_defaults():
    # a fresh interpreter: in this one other tests have registered the extensions already
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    record = json.loads(done.stdout)
    assert record["sentences"] == [[0, 9], [10, 16]] and record["sections"] == [] and record["phi"] == []
    assert [(e["text"], e["source"], e["negated"], e["codes"]) for e in record["entities"]] == [("fever", "other", False, [])]
