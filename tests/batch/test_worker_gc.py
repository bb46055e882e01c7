"""Annotation changes Python's garbage collector settings only inside its own blocks."""

import gc

import pytest

from medtext.batch.job import PipelineSettings
from medtext.batch.worker import annotate_shard
from medtext.gc_control import collector_paused, fewer_collections
from medtext.io.records import Document


def test_collector_paused_restores_the_collector_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


def test_collector_paused_keeps_a_disabled_collector_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fewer_collections_raises_and_restores_the_threshold():
    before = gc.get_threshold()
    with pytest.raises(KeyError), fewer_collections(before[0] + 5000):
        assert gc.get_threshold() == (before[0] + 5000, *before[1:])
        raise KeyError("x")
    assert gc.get_threshold() == before
    with fewer_collections(1):  # never lowers it
        assert gc.get_threshold() == before


def test_annotating_leaves_the_collector_as_it_was():
    before = gc.get_threshold()
    result = annotate_shard([Document("d1", "No fever. Cough.", "x.txt")], PipelineSettings(exclude=("ner",)))
    assert result.count == 1
    assert gc.isenabled() and gc.get_threshold() == before
