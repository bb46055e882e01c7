"""Fixtures for the io tests: the shared corpora folder (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"


@pytest.fixture(scope="session")
def corpora() -> Path:
    """``../shared/corpora`` beside the repository; skips the test on a machine without it."""
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not available")
    return CORPORA
