"""Run inside the peers venv: PyRuSH (medspaCy) sentence starts for JSON-string lines on stdin.

Prints one JSON object: {"starts": [[...], ...], "seconds": float}.
"""

import json
import sys
import time

import spacy

import medspacy  # noqa: F401  (registers medspacy_pyrush)

texts = [json.loads(line) for line in sys.stdin if line.strip()]
nlp = spacy.blank("en")
nlp.add_pipe("medspacy_pyrush")
started = time.perf_counter()
starts = [[s.start_char for s in doc.sents] for doc in nlp.pipe(texts)]
print(json.dumps({"starts": starts, "seconds": time.perf_counter() - started}))
