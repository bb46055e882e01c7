"""JSONL records travel from the workers as one UTF-8 blob per piece and are written as they are:
the same bytes in a file, a folder of shards and on standard output, whatever the workers."""

from __future__ import annotations

import json

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.batch.job import PipelineSettings
from medtext.batch.worker import ShardResult, annotate_shard, get_pipeline
from medtext.io.records import Document
from medtext.pipeline.record import doc_to_record

TEXTS = ["Café owner, 54, denies fever.", "Patient 患者 reports cough 🤒 since Tuesday.", "No chest pain.\nHISTORY: asthma."]
SETTINGS = PipelineSettings(exclude=("ner",))


def expected_lines(texts: list[str], ids: list[str]) -> list[str]:
    nlp = get_pipeline(SETTINGS)
    return [json.dumps(doc_to_record(nlp(t), i), ensure_ascii=False) for t, i in zip(texts, ids)]


def test_a_piece_is_one_utf8_blob_of_json_lines():
    ids = [f"d{i}" for i in range(len(TEXTS))]
    result = annotate_shard([Document(i, t, "x") for i, t in zip(ids, TEXTS)], SETTINGS)
    assert isinstance(result.jsonl, bytes) and result.jsonl.endswith(b"\n")
    assert result.jsonl.decode("utf-8").split("\n")[:-1] == expected_lines(TEXTS, ids)
    assert result.lines == result.count == 3 and result.records == []
    assert "患者".encode() in result.jsonl  # not \\u escapes


def test_joined_pieces_keep_order_and_counts():
    first = annotate_shard([Document("a", TEXTS[0], "x")], SETTINGS)
    second = annotate_shard([Document("b", TEXTS[1], "x"), Document("c", TEXTS[2], "x")], SETTINGS)
    joined = ShardResult.join([first, second, ShardResult()])
    assert joined.jsonl == first.jsonl + second.jsonl and joined.count == 3
    assert ShardResult.join([]).jsonl == b"" and ShardResult.join([]).count == 0


def test_file_folder_and_stdout_get_the_same_bytes(tmp_path, capfdbinary):
    src = tmp_path / "in.jsonl"
    ids = [f"n{i}" for i in range(30)]
    texts = [TEXTS[i % 3] for i in range(30)]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts)), encoding="utf-8")
    expected = "".join(line + "\n" for line in expected_lines(texts, ids)).encode("utf-8")

    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "one.jsonl"), exclude=("ner",), shard_size=7))
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "two.jsonl"), exclude=("ner",), shard_size=7, workers=2))
    annotate_corpus(AnnotateJob(inputs=[str(src)], output=str(tmp_path / "folder"), exclude=("ner",), shard_size=7, workers=2))
    capfdbinary.readouterr()
    annotate_corpus(AnnotateJob(inputs=[str(src)], output="-", exclude=("ner",), shard_size=7, errors_path=str(tmp_path / "e.jsonl")))
    stdout = capfdbinary.readouterr().out

    assert (tmp_path / "one.jsonl").read_bytes() == expected
    assert (tmp_path / "two.jsonl").read_bytes() == expected
    assert b"".join(p.read_bytes() for p in sorted((tmp_path / "folder").glob("part-*.jsonl"))) == expected
    assert stdout == expected
