"""A LocalCluster's workers annotate like pool workers (frozen pipeline, fewer collections, one BLAS
thread) and its servers do not spend the cores on diagnostics nobody sees."""

from __future__ import annotations

import gc
import json
import os

import pytest

import medtext.batch.worker as worker
from medtext.batch import AnnotateJob, annotate_corpus
from medtext.gc_control import GC_THRESHOLD

pytest.importorskip("dask.distributed")


def test_local_cluster_servers_run_without_the_diagnostic_timers():
    from medtext.batch.dask_backend import local_cluster
    from medtext.batch.job import PipelineSettings

    cluster = local_cluster(PipelineSettings(exclude=("ner",)), workers=1)
    try:
        scheduler = cluster.scheduler
        assert scheduler.periodic_callbacks["tick"].callback_time >= 1000  # ms; dask's default: 20
        assert scheduler.periodic_callbacks["monitor"].callback_time >= 5000  # dask's default: 500
    finally:
        cluster.close()


def test_local_cluster_workers_annotate_with_the_workers_settings(tmp_path, monkeypatch):
    import dask

    seen = tmp_path / "seen.jsonl"
    real = worker.pipe_isolating_failures

    def spy(*args, **kwargs):  # runs inside annotate_shard, in a forked worker (it inherits the patch)
        from threadpoolctl import threadpool_info

        state = {
            "pid": os.getpid(),
            "profile": dask.config.get("distributed.worker.profile.enabled"),
            "tick": dask.config.get("distributed.admin.tick.interval"),
            "threshold": gc.get_threshold()[0],
            "frozen": gc.get_freeze_count(),
            "blas": [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"],
        }
        with open(seen, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(state) + "\n")
        yield from real(*args, **kwargs)

    monkeypatch.setattr(worker, "pipe_isolating_failures", spy)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": f"No fever for {i} days."}) + "\n" for i in range(12)))
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out.jsonl"), backend="dask", workers=2, exclude=("ner",), shard_size=3)
    assert annotate_corpus(job).processed == 12
    states = [json.loads(line) for line in seen.read_text(encoding="utf-8").splitlines()]
    assert len(states) == 4 and all(s["pid"] != os.getpid() for s in states)
    for state in states:
        assert state["profile"] is False and state["tick"] == "1s"
        assert state["threshold"] >= GC_THRESHOLD and state["frozen"] > 0  # the pipeline built before the fork stays frozen
        assert all(threads == 1 for threads in state["blas"])


def test_local_cluster_workers_print_no_distributed_log_records():
    # a worker's heartbeat can race the scheduler's shutdown at the end of a run and log an ERROR
    # with a traceback; no record of distributed's may reach stderr from the workers or from here
    import logging

    from distributed import Client

    from medtext.batch.dask_backend import local_cluster
    from medtext.batch.job import PipelineSettings

    cluster = local_cluster(PipelineSettings(exclude=("ner",)), workers=1)
    try:
        with Client(cluster) as client:
            levels = client.run(lambda: logging.getLogger("distributed").getEffectiveLevel())
        assert list(levels.values()) == [logging.CRITICAL]
    finally:
        cluster.close()
