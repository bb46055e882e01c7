"""A Dask worker whose pipeline differs from the client's (another medtext, a model missing, other model
weights or resource files) stops the run."""

from __future__ import annotations

import json
import shutil

import pytest

import medtext.batch.worker as worker
from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.job import PipelineSettings
from medtext.batch.signature import expected_signature, resources_fingerprint
from medtext.errors import MedtextError
from medtext.models import find_model


def test_the_expected_signature_is_the_built_pipelines():
    settings = PipelineSettings(exclude=("ner",))
    assert expected_signature(settings) == worker.pipeline_signature(worker.get_pipeline(settings))


def test_a_worker_with_another_pipeline_is_refused(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": "No fever."}) + "\n" for i in range(3)))
    # The LocalCluster's workers are forks of this process: they inherit the patched function,
    # as a worker machine with a pipeline lacking 'phi' would report.
    real = worker.pipeline_signature
    monkeypatch.setattr(worker, "pipeline_signature", lambda nlp: (real(nlp)[0], real(nlp)[1][:-1], real(nlp)[2]))
    job = AnnotateJob(inputs=[str(src)], output=str(tmp_path / "out"), backend="dask", workers=1, exclude=("ner",))
    with pytest.raises(MedtextError) as info:
        annotate_corpus(job)
    message = str(info.value)
    assert "E042" in message and "phi" in message and "\n" not in message


def corpus(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": "No fever."}) + "\n" for i in range(3)))
    return src


def test_a_worker_with_other_model_weights_is_refused(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    real = worker.pipeline_signature
    monkeypatch.setattr(worker, "pipeline_signature", lambda nlp: (*real(nlp)[:2], "0123456789abcdef"))
    job = AnnotateJob(inputs=[str(corpus(tmp_path))], output=str(tmp_path / "out"), backend="dask", workers=1, exclude=("ner",))
    with pytest.raises(MedtextError) as info:
        annotate_corpus(job)
    message = str(info.value)
    assert "E042" in message and "0123456789abcdef" in message and expected_signature(job.settings())[2] in message


def test_the_fingerprint_covers_the_phi_model_weights(tmp_path, monkeypatch):
    shipped = resources_fingerprint(("sections", "phi"))
    assert resources_fingerprint(("sections",)) != shipped  # the PHI model is part of it
    copy = tmp_path / "models" / "phi-physionet"
    shutil.copytree(find_model("phi-physionet"), copy)
    monkeypatch.setenv("MEDTEXT_MODELS", str(tmp_path / "models"))
    assert resources_fingerprint(("sections", "phi")) == shipped  # same bytes elsewhere: same fingerprint
    weights = copy / "weights.npy"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    monkeypatch.setenv("MEDTEXT_MODELS", str(tmp_path / "models") + "_")  # a new folder path: no cached hash
    shutil.copytree(copy, tmp_path / "models_" / "phi-physionet")
    assert resources_fingerprint(("sections", "phi")) != shipped
