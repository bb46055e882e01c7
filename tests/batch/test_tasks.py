"""How parallel runs (process pool and Dask) cut shards into tasks (small ones at the end of a run, so that
no worker waits for the other's last long task) and what their forked workers inherit (the hashed resources)."""

from __future__ import annotations

import functools
import json
import os

import pytest

import medtext.batch.signature as signature
import medtext.batch.worker as worker
from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.tasks import TAIL_TASK_SIZE, cut_into_tasks, small_tasks
from medtext.batch.worker import TASK_SIZE
from medtext.io.records import BadRecord, Document


def make_shards(sizes: list[int], length: int = 10) -> list[tuple[int, list[Document], list[BadRecord]]]:
    shards = []
    for number, size in enumerate(sizes):
        docs = [Document(f"s{number}d{i}", "x" * (length + i % 7), "in.jsonl", i + 1) for i in range(size)]
        shards.append((number, docs, [BadRecord(f"s{number}bad", "in.jsonl", 0, "empty text")]))
    return shards


@pytest.mark.parametrize(
    "sizes, tail",
    [([1000, 1000, 1000, 78], 200), ([150], 50), ([150], 70), ([10] * 30, 200), ([0, 5, 0], 200), ([300, 0], 100), ([1], 1), ([250, 250], 1000)],
)
def test_every_document_stays_in_its_shard_in_order(sizes, tail):
    shards = make_shards(sizes)
    out = list(cut_into_tasks(iter(shards), tail))
    assert [number for number, _, _ in out] == [number for number, _, _ in shards]
    for (_, tasks, bad), (_, docs, expected_bad) in zip(out, shards):
        assert [d for task in tasks for d in task] == docs
        assert bad == expected_bad
        assert all(tasks) or tasks == [[]]  # an empty task only for a shard without documents (it still needs a result)
        assert all(len(task) <= TASK_SIZE for task in tasks)


def test_the_last_documents_of_a_run_go_out_in_small_tasks():
    out = list(cut_into_tasks(iter(make_shards([1000, 1000, 1000, 78])), tail=200))
    sizes = [len(task) for _, tasks, _ in out for task in tasks]
    assert sizes[:28] == [TASK_SIZE] * 28  # 2,800 documents in full tasks
    assert sum(sizes[28:]) == 278 and max(sizes[28:]) <= 2 * TAIL_TASK_SIZE and len(sizes[28:]) >= 10


def test_documents_without_characters_still_go_out():
    shards = [(0, [Document(f"d{i}", "", "f") for i in range(30)], [])]
    assert [d for task in next(cut_into_tasks(iter(shards), tail=200))[1] for d in task] == shards[0][1]


def test_small_tasks_are_about_equally_long_in_characters():
    docs = [Document(str(i), "x" * n, "f") for i, n in enumerate([100] * 10 + [1000, 1000] + [100] * 10)]
    tasks = small_tasks(docs, budget=1000)
    assert [d for task in tasks for d in task] == docs
    assert [sum(len(d.text) for d in task) for task in tasks] == [1000, 1000, 1000, 1000]


def test_it_reads_ahead_only_as_far_as_the_tail():
    pulled = []

    def pending():
        for shard in make_shards([100] * 50):
            pulled.append(shard[0])
            yield shard

    tasks = cut_into_tasks(pending(), tail=200)
    assert next(tasks)[0] == 0
    assert len(pulled) == 3  # shard 0 and the 200 documents after it


@pytest.fixture
def dask_distributed():
    return pytest.importorskip("dask.distributed")


def task_sizes_of_a_run(tmp_path, monkeypatch, **parallel):
    """Task sizes seen by the workers of a parallel run over 300 notes, after checking that its output
    equals a one-worker run's."""
    seen = tmp_path / "seen.txt"
    real = worker.pipe_isolating_failures

    def spy(nlp, documents, *args, **kwargs):  # runs in a forked worker, once per task
        with open(seen, "a", encoding="utf-8") as fh:
            fh.write(f"{len(documents)}\n")
        yield from real(nlp, documents, *args, **kwargs)

    monkeypatch.setattr(worker, "pipe_isolating_failures", spy)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": f"No fever for {i} days. " * (1 + i % 5)}) + "\n" for i in range(300)))
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "one.jsonl"), exclude=("ner",), shard_size=100))
    seen.unlink()
    summary = annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "many.jsonl"), exclude=("ner",), shard_size=100, **parallel))
    assert summary.processed == 300
    assert (tmp_path / "many.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    return sorted(int(line) for line in seen.read_text().split())


def test_a_local_cluster_run_ends_with_small_tasks_and_the_same_records(tmp_path, monkeypatch, dask_distributed):
    sizes = task_sizes_of_a_run(tmp_path, monkeypatch, backend="dask", workers=2)
    assert sum(sizes) == 300 and sizes[-1] == TASK_SIZE and sizes[-2] <= 2 * TAIL_TASK_SIZE  # the last 200 in small tasks


def test_a_process_pool_run_ends_with_small_tasks_and_the_same_records(tmp_path, monkeypatch):
    sizes = task_sizes_of_a_run(tmp_path, monkeypatch, workers=2)
    assert sum(sizes) == 300 and sizes[-1] == TASK_SIZE and sizes[-2] <= 2 * TAIL_TASK_SIZE


def hashing_processes(tmp_path, monkeypatch, **parallel) -> list[str]:
    """The processes that hashed the pipeline's resource files themselves during a parallel run."""
    hashed_in = tmp_path / "hashed_in.txt"
    real = signature._hash_folders.__wrapped__

    @functools.lru_cache(maxsize=16)
    def spy(folders):  # the body runs only when a process hashes the files itself
        with open(hashed_in, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(folders)

    monkeypatch.setattr(signature, "_hash_folders", spy)
    monkeypatch.setattr(worker, "_PIPELINES", {})  # built (and hashed) anew in this process
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": "No fever."}) + "\n" for i in range(8)))
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out.jsonl"), exclude=("ner",), shard_size=2, **parallel)
    assert annotate_corpus(job).processed == 8
    return hashed_in.read_text().split()


def test_local_cluster_workers_inherit_the_hashed_resources(tmp_path, monkeypatch, dask_distributed):
    assert hashing_processes(tmp_path, monkeypatch, backend="dask", workers=2) == [str(os.getpid())]  # once, before the fork


def test_process_pool_workers_inherit_the_hashed_resources(tmp_path, monkeypatch):
    assert hashing_processes(tmp_path, monkeypatch, workers=2) == [str(os.getpid())]


def test_local_cluster_workers_inherit_the_package_versions(tmp_path, monkeypatch, dask_distributed):
    import distributed.versions as versions

    if not hasattr(versions, "_version_cached") or not hasattr(versions._version_cached, "cache_clear"):
        pytest.skip("this distributed looks its package versions up another way")
    looked_up_in = tmp_path / "looked_up_in.txt"
    real = versions.version

    def spy(package):  # each worker reports its package versions when it registers with the scheduler
        with open(looked_up_in, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(package)

    monkeypatch.setattr(versions, "version", spy)
    versions._version_cached.cache_clear()
    from medtext.batch.dask_backend import local_cluster
    from medtext.batch.job import PipelineSettings

    cluster = local_cluster(PipelineSettings(exclude=("ner",)), workers=2)
    cluster.close()
    assert set(looked_up_in.read_text().split()) == {str(os.getpid())}  # looked up here once, before the fork
