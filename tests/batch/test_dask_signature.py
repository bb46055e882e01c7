"""A Dask worker whose pipeline differs from the client's (another medtext, a model missing) stops the run."""

from __future__ import annotations

import json

import pytest

import medtext.batch.worker as worker
from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.job import PipelineSettings
from medtext.errors import MedtextError


def test_the_expected_signature_is_the_built_pipelines():
    settings = PipelineSettings(exclude=("ner",))
    assert worker.expected_signature(settings) == worker.pipeline_signature(worker.get_pipeline(settings))


def test_a_worker_with_another_pipeline_is_refused(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": "No fever."}) + "\n" for i in range(3)))
    # The LocalCluster's workers are forks of this process: they inherit the patched function,
    # as a worker machine with a pipeline lacking 'phi' would report.
    real = worker.pipeline_signature
    monkeypatch.setattr(worker, "pipeline_signature", lambda nlp: (real(nlp)[0], real(nlp)[1][:-1]))
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), backend="dask", workers=1, exclude=("ner",))
    with pytest.raises(MedtextError) as info:
        annotate_corpus(job)
    message = str(info.value)
    assert "E042" in message and "phi" in message and "\n" not in message
