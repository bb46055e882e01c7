#!/usr/bin/env bash
# Build benchmarks/.venv-peers: medspaCy 1.3.1 and negspacy for side-by-side runs.
#
# The peers need spaCy < 3.8 and numpy < 2, which medtext does not use, so they live in
# their own virtualenv (git-ignored). Nothing in the medtext package or its tests imports it.
#
# Usage:  bash benchmarks/peers/setup.sh            (PYTHON=python3.11 to choose the interpreter)
#         benchmarks/.venv-peers/bin/python benchmarks/peers/run_peer.py --help
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../.venv-peers"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.peers-installed"

if [ -f "$STAMP" ]; then
    echo "peers venv ready: $VENV"
    exit 0
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "medspacy==1.3.1" negspacy "spacy<3.8" "numpy<2"
"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
for name in ("medspacy", "negspacy", "spacy", "numpy"):
    print(f"{name}=={md.version(name)}")
PY
touch "$STAMP"
echo "peers venv ready: $VENV"
