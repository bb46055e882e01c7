"""The user's rule and lexicon files reach the workers of a Dask cluster that cannot see the client's files."""

from __future__ import annotations

import json

import pytest

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.job import PipelineSettings

LEXICON = "zorblaxitis\tDISEASE\tTEST:123\n"


def test_settings_carry_the_user_files_bytes_and_write_them_under_their_names(tmp_path):
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    settings = PipelineSettings(user_files=(("concepts", str(lexicon)),)).with_contents()
    assert settings.user_contents == (LEXICON.encode(),)
    lexicon.unlink()  # the worker's copy comes from the bytes, not the path
    folder = tmp_path / "worker"
    copies = settings.user_files_by_component(folder)
    [copy] = copies["concepts"]
    assert copy.endswith("mine.tsv") and copy.startswith(str(folder))
    assert open(copy, encoding="utf-8").read() == LEXICON
    assert settings.key != PipelineSettings(user_files=settings.user_files).key


def test_a_scheduler_cluster_gets_a_relative_lexicon_path_of_the_client(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    client_dir = tmp_path / "client"
    client_dir.mkdir()
    (client_dir / "mine.tsv").write_text(LEXICON, encoding="utf-8")
    (client_dir / "in.jsonl").write_text(json.dumps({"id": "n1", "text": "Known zorblaxitis since 2010."}) + "\n")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # The worker was started in another folder: "mine.tsv" means nothing there.
        monkeypatch.chdir(client_dir)
        job = AnnotateJob(inputs=["in.jsonl"], output="out", backend="dask", scheduler=cluster.scheduler_address,
                          exclude=("ner",), user_files=(("concepts", "mine.tsv"),))
        summary = annotate_corpus(job)
    assert summary.processed == 1 and summary.failed == 0
    [record] = [json.loads(line) for path in sorted((client_dir / "out").glob("*.jsonl")) for line in path.open()]
    entities = [(e["text"], e["codes"]) for e in record["entities"]]
    assert ("zorblaxitis", [{"system": "TEST", "code": "123"}]) in entities
