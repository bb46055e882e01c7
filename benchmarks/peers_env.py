"""Where the peers' virtual environment is (medspaCy, negspacy, PyRuSH need spacy<3.8, numpy<2).

Create it with ``bash benchmarks/peers/setup.sh``; benchmarks that need it say "not run" without it.

Example:
    >>> peer_python() is None or peer_python().name.startswith("python")
    True
"""

from __future__ import annotations

from pathlib import Path

PEERS_VENV = Path(__file__).resolve().parent / ".venv-peers"


def peer_python() -> Path | None:
    """The peers venv's python, or None when it has not been created."""
    python = PEERS_VENV / "bin" / "python"
    return python if python.exists() else None
