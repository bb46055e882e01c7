"""Shared fixtures: one rule pipeline per session, a builder of assertion test pipelines, and the shared corpora
when present."""

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


@pytest.fixture(scope="session")
def findings_pipeline():
    """A builder: the pipeline without ner and phi, plus an EntityRuler that marks the given phrases
    (matched in lower case) as FINDING entities before the assertion component; ``config`` as medtext.load's.

    Example: ``nlp = findings_pipeline(["chest pain", "fever"])`` in a module-scoped fixture.
    """
    import medtext

    def build(findings: list[str], config: dict | None = None):
        pipeline = medtext.load(exclude=[n for n in ("ner", "phi") if n in _components()], config=config)
        ruler = pipeline.add_pipe("entity_ruler", before="assertion", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns([{"label": "FINDING", "pattern": f} for f in findings])
        return pipeline

    return build


def _components() -> list[str]:
    from medtext.pipeline.loader import component_names

    return component_names()


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """``../shared/corpora`` beside the repository; tests skip cleanly without it."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return SHARED_CORPORA
