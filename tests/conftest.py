"""Shared fixtures: one rule pipeline per session, and the shared corpora when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline without the statistical NER (fast, deterministic)."""
    import medtext

    return medtext.load(exclude=[n for n in ("ner",) if n in _components()])


def _components() -> list[str]:
    from medtext.pipeline.loader import component_names

    return component_names()


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """``../shared/corpora`` beside the repository; tests skip cleanly without it."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return SHARED_CORPORA
