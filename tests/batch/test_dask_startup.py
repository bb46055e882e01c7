"""What a Dask run does before its first task: dask.distributed imported with its objects frozen and the same
settings, a LocalCluster whose nannies do not sleep 50 ms between looks for their worker, a client that takes
results straight from the workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]

IMPORT_AND_REPORT = """
import gc, json, sys, yaml
safe_load = yaml.safe_load
frozen = gc.get_freeze_count()
if sys.argv[1] == "medtext":
    from medtext.batch.dask_backend import import_distributed
    import_distributed()
else:
    import dask.distributed
import dask
print(json.dumps({"frozen": gc.get_freeze_count() - frozen, "safe_load_restored": yaml.safe_load is safe_load,
                  "config": dask.config.config}, sort_keys=True, default=repr))
"""


def import_in_a_new_process(how: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", IMPORT_AND_REPORT, how], capture_output=True, text=True, check=True, cwd=ROOT, env=env, timeout=120)
    return json.loads(out.stdout)


def test_distributed_is_imported_frozen_with_the_same_settings():
    ours, plain = import_in_a_new_process("medtext"), import_in_a_new_process("plain")
    assert ours["frozen"] > 20_000 and plain["frozen"] == 0  # the import's objects are out of the collector's reach
    assert ours["safe_load_restored"]
    assert ours["config"] == plain["config"]  # libyaml read dask's and distributed's settings files alike


def test_the_local_cluster_starts_with_quick_nanny_polls_and_leaves_them_as_they_were(monkeypatch):
    import dask.distributed
    from distributed.nanny import WorkerProcess

    from medtext.batch import dask_backend
    from medtext.batch.job import PipelineSettings

    seen = []

    class Recorder:
        def __init__(self, **kwargs):
            seen.append(WorkerProcess._init_msg_interval)

    default = WorkerProcess._init_msg_interval
    monkeypatch.setattr(dask.distributed, "LocalCluster", Recorder)
    dask_backend.local_cluster(PipelineSettings(exclude=("ner",)), workers=1)
    assert seen == [dask_backend.NANNY_POLL_INTERVAL] and dask_backend.NANNY_POLL_INTERVAL < default
    assert WorkerProcess._init_msg_interval == default


def test_the_local_clusters_client_gathers_from_the_workers(tmp_path, monkeypatch):
    import dask.distributed

    from medtext.batch import AnnotateJob, annotate_corpus

    made = []

    class Spy(dask.distributed.Client):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self.direct_to_workers)

    monkeypatch.setattr(dask.distributed, "Client", Spy)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": f"No fever for {i} days."}) + "\n" for i in range(6)))
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out.jsonl"), backend="dask", workers=1, exclude=("ner",))
    assert annotate_corpus(job).processed == 6
    assert made == [True]
