"""Batch annotation: same records whatever the workers/backend, kill -9 + resume, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medtext.batch import AnnotateJob, annotate_corpus

NOTE = "CHIEF COMPLAINT: Cough for {i} days.\nHISTORY: No fever. Seen by Dr. Smith.,MEDICATIONS: , Aspirin 81mg p.o. daily."


def write_corpus(path: Path, n: int, bad_every: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if bad_every and i % bad_every == 0:
                fh.write(json.dumps({"id": f"d{i}", "text": "  "}) + "\n")
            else:
                fh.write(json.dumps({"id": f"d{i}", "text": NOTE.format(i=i)}) + "\n")


def shard_lines(folder: Path) -> list[str]:
    lines = []
    for part in sorted(folder.glob("part-*.jsonl")):
        lines.extend(part.read_text(encoding="utf-8").splitlines())
    return sorted(lines)


def test_every_record_is_written_or_in_errors(tmp_path):
    src = tmp_path / "in.jsonl"
    write_corpus(src, 95, bad_every=10)
    summary = annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=20))
    errors = (tmp_path / "out.errors.jsonl").read_text().splitlines()
    assert (summary.processed, summary.failed) == (85, 10)
    ids = {json.loads(line)["id"] for line in shard_lines(tmp_path / "out")} | {json.loads(e)["id"] for e in errors}
    assert ids == {f"d{i}" for i in range(95)}


def test_two_workers_give_the_same_records_as_one(tmp_path):
    src = tmp_path / "in.jsonl"
    write_corpus(src, 120, bad_every=17)
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "one"), shard_size=25))
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "two"), shard_size=25, workers=2))
    assert shard_lines(tmp_path / "one") == shard_lines(tmp_path / "two")
    assert (tmp_path / "one.errors.jsonl").read_text() == (tmp_path / "two.errors.jsonl").read_text()


def test_dask_local_cluster_gives_the_same_records(tmp_path):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in.jsonl"
    write_corpus(src, 60, bad_every=13)
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "one"), shard_size=15))
    summary = annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "dask"), shard_size=15, workers=2, backend="dask"))
    assert summary.processed == 55
    assert shard_lines(tmp_path / "one") == shard_lines(tmp_path / "dask")


def test_resume_after_kill_9_loses_and_duplicates_nothing(tmp_path):
    src = tmp_path / "in.jsonl"
    write_corpus(src, 4000, bad_every=97)
    reference = tmp_path / "reference"
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(reference), shard_size=100))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "medtext", "annotate", str(src), "-o", str(out), "--shard-size", "100", "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = out / "manifest.json"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if len(json.loads(manifest.read_text())["shards"]) >= 3:
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(json.loads(manifest.read_text())["shards"])
    assert 0 < done < 40, "the run should be interrupted part-way"
    loud = [c for c in cmd if c != "--quiet"]  # the summary line (with "already done") is not printed under --quiet
    result = subprocess.run([*loud, "--resume"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1  # some records are bad by design
    assert shard_lines(out) == shard_lines(reference)
    assert sorted((tmp_path / "out.errors.jsonl").read_text().splitlines()) == sorted((tmp_path / "reference.errors.jsonl").read_text().splitlines())
    assert "already done" in result.stderr


def test_resume_refuses_other_options(tmp_path):
    from medtext.errors import InputError

    src = tmp_path / "in.jsonl"
    write_corpus(src, 10)
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=5))
    with pytest.raises(InputError, match="other inputs or options"):
        annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=5, include_text=False, resume=True))


def test_completed_run_resumes_to_nothing(tmp_path):
    src = tmp_path / "in.jsonl"
    write_corpus(src, 30)
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=10)
    annotate_corpus(job)
    job.resume = True
    summary = annotate_corpus(job)
    assert (summary.processed, summary.already_done) == (0, 30)
    assert len(shard_lines(tmp_path / "out")) == 30


def _dies_on_boom(documents, settings):
    if any(d.id == "d7" for d in documents):
        os._exit(9)
    from medtext.batch.worker import annotate_shard

    return annotate_shard(documents, settings)


def test_a_dead_worker_stops_with_a_clear_error_and_resume_finishes(tmp_path, monkeypatch):
    import medtext.batch.runner as runner
    from medtext.errors import MedtextError

    src = tmp_path / "in.jsonl"
    write_corpus(src, 40)
    monkeypatch.setattr(runner, "annotate_shard", _dies_on_boom)
    with pytest.raises(MedtextError, match="--resume"):
        annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=5, workers=2))
    monkeypatch.undo()
    summary = annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), shard_size=5, workers=2, resume=True))
    assert summary.processed + summary.already_done == 40
    assert len(shard_lines(tmp_path / "out")) == 40


def test_vocabulary_grows_only_up_to_its_limit_and_records_do_not_change(tmp_path, monkeypatch):
    from medtext.batch import worker
    from medtext.batch.job import PipelineSettings
    from medtext.io.records import Document

    settings = PipelineSettings(exclude=("ner",))
    nlp = worker.get_pipeline(settings)
    texts = [f"Patient Zqx{i}vr{i} denies fever; seen by Dr. Wq{i}ly." for i in range(40)]
    first = worker.annotate_shard([Document(f"a{i}", t, "x") for i, t in enumerate(texts[:20])], settings)
    kept = len(nlp.vocab.strings)
    assert "Zqx0vr0" in nlp.vocab.strings  # below the limit, a task's words stay

    monkeypatch.setattr(worker, "PERMANENT_STRINGS", kept)
    second = worker.annotate_shard([Document(f"b{i}", t, "x") for i, t in enumerate(texts[20:])], settings)
    assert len(nlp.vocab.strings) == kept  # past it, the task's new strings are freed
    assert "Zqx20vr20" not in nlp.vocab.strings
    again = worker.annotate_shard([Document(f"a{i}", t, "x") for i, t in enumerate(texts[:20])], settings)
    assert again.jsonl == first.jsonl and second.count == 20


def test_a_workers_pipeline_has_its_lexicons_loaded_before_the_first_document(monkeypatch):
    from medtext.batch import worker
    from medtext.batch.job import PipelineSettings
    from medtext.pipeline.lexicon import shipped_lexicon

    monkeypatch.setattr(worker, "_PIPELINES", {})
    shipped_lexicon.cache_clear()  # a fresh lexicon: nothing built by earlier tests
    worker.get_pipeline(PipelineSettings(exclude=("ner",)))
    lexicon = shipped_lexicon()
    assert lexicon._tries is not None and lexicon._loose is not None  # forked workers inherit them


def test_a_one_worker_run_annotates_with_one_blas_thread_and_then_restores_it(tmp_path, monkeypatch):
    import numpy  # noqa: F401  (loads the BLAS)
    from threadpoolctl import threadpool_info, threadpool_limits

    import medtext.batch.runner as runner

    def blas_threads() -> list[int]:
        return sorted({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"})

    seen = []
    real = runner.annotate_shard
    monkeypatch.setattr(runner, "annotate_shard", lambda docs, settings: seen.append(blas_threads()) or real(docs, settings))
    src = tmp_path / "in.jsonl"
    write_corpus(src, 12)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine, whatever this one has
        summary = annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out.jsonl"), shard_size=5, exclude=("ner",)))
        after = blas_threads()
    assert summary.processed == 12
    assert seen == [[1], [1], [1]]  # every shard
    assert after == [2]  # the calling process's own setting again
