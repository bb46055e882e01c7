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


def test_a_run_reads_and_writes_with_fewer_collections_too(tmp_path, monkeypatch):
    """Reading the next shard and committing the last one happen with the raised threshold as well
    (between shards it used to drop to Python's default, and the next allocation walked every young object)."""
    from medtext.batch import AnnotateJob, annotate_corpus
    from medtext.batch import runner
    from medtext.gc_control import GC_THRESHOLD

    source = tmp_path / "in.jsonl"
    source.write_text("".join(f'{{"id": {i}, "text": "No fever {i}."}}\n' for i in range(3)), encoding="utf-8")
    seen = []
    read = runner.read_items

    def watched_read(job, ids=None):
        for item in read(job, ids):
            seen.append(("read", gc.get_threshold()[0]))
            yield item

    before = gc.get_threshold()
    job = AnnotateJob(inputs=[str(source)], output=str(tmp_path / "out"), exclude=("ner",), shard_size=1)
    monkeypatch.setattr(runner, "read_items", watched_read)
    summary = annotate_corpus(job, progress=lambda done, failed: seen.append(("commit", gc.get_threshold()[0])))
    assert summary.processed == 3
    assert [kind for kind, _ in seen].count("commit") == 3
    assert all(threshold >= GC_THRESHOLD for _, threshold in seen), seen
    assert gc.get_threshold() == before
