"""--resume finishes a run only on the inputs it started with: a changed input is refused, never mixed in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtext.batch import AnnotateJob, annotate_corpus
from medtext.cli.app import app
from medtext.errors import InputError, MedtextError


def write(path: Path, ids: list[str]) -> None:
    path.write_text("".join(json.dumps({"id": i, "text": f"Note {i}: asthma, no fever."}) + "\n" for i in ids), encoding="utf-8")


def job(src: Path | list[Path], out: Path, **kw) -> AnnotateJob:
    inputs = [str(p) for p in (src if isinstance(src, list) else [src])]
    return AnnotateJob(inputs=inputs, output=str(out), shard_size=4, exclude=("ner",), **kw)


def interrupted(src: Path | list[Path], out: Path) -> None:
    """A run that lost its third shard (as if killed before committing it)."""
    annotate_corpus(job(src, out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / manifest["shards"].pop("2")["file"]).unlink()
    manifest["complete"] = False
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def ids_in(out: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for part in sorted(out.glob("part-[0-9][0-9][0-9][0-9][0-9].jsonl")) for line in part.read_text(encoding="utf-8").splitlines())


IDS = [f"n{i}" for i in range(10)]


def test_an_unchanged_input_resumes_each_record_once(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out"
    write(src, IDS)
    interrupted(src, out)
    os.utime(src, (1, 1))  # touched or copied, same bytes: still the same input
    summary = annotate_corpus(job(src, out, resume=True))
    assert (summary.processed, summary.already_done) == (2, 8)
    assert ids_in(out) == sorted(IDS)


def test_an_input_changed_since_is_refused_and_the_shards_kept(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out"
    write(src, IDS)
    interrupted(src, out)
    write(src, ["NEW", *IDS])  # a record put first: every shard boundary moves
    before = ids_in(out)
    with pytest.raises(InputError, match=r"E008.*'.*in.jsonl' changed since the interrupted run.*without --resume"):
        annotate_corpus(job(src, out, resume=True))
    assert ids_in(out) == before


def test_a_file_added_to_an_input_folder_is_refused(tmp_path):
    folder, out = tmp_path / "notes", tmp_path / "out"
    folder.mkdir()
    write(folder / "a.jsonl", IDS)
    interrupted(folder, out)
    write(folder / "b.jsonl", ["x"])
    with pytest.raises(InputError, match="is new since the interrupted run"):
        annotate_corpus(job(folder, out, resume=True))


def test_a_manifest_without_input_fingerprints_is_refused(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out"
    write(src, IDS)
    interrupted(src, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del manifest["inputs_state"]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="no fingerprint of the inputs"):
        annotate_corpus(job(src, out, resume=True))


def test_resume_from_standard_input_is_refused():
    with pytest.raises(MedtextError, match=r"E011.*--resume.*standard input"):
        annotate_corpus(AnnotateJob(inputs=["-"], output="out", resume=True))


def test_cli_prints_one_line(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out"
    write(src, IDS)
    interrupted(src, out)
    write(src, ["NEW", *IDS])
    result = CliRunner().invoke(app, ["annotate", str(src), "-o", str(out), "--shard-size", "4", "--exclude", "ner", "--resume", "-q"])
    assert result.exit_code == 2
    assert len([x for x in result.stderr.splitlines() if x.strip()]) == 1 and "changed since" in result.stderr


def test_a_fresh_run_removes_only_its_own_files_from_the_folder(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out"
    write(src, IDS)
    out.mkdir()
    theirs = ["part-notes.txt", "chapter.part", "draft.partial", "part-1.jsonl", "manifest.json.bak"]
    for name in theirs:
        (out / name).write_text("keep me", encoding="utf-8")
    (out / "part-00007.jsonl").write_text("old shard\n", encoding="utf-8")
    (out / ".part-00001.parquet.0123456789ab.part").write_bytes(b"x")
    annotate_corpus(job(src, out))
    assert all((out / name).read_text(encoding="utf-8") == "keep me" for name in theirs)
    assert not (out / "part-00007.jsonl").exists() and not (out / ".part-00001.parquet.0123456789ab.part").exists()
    assert ids_in(out) == sorted(IDS)


def test_an_unreadable_input_has_a_fingerprint_not_an_unexpected_error(tmp_path, monkeypatch):
    import medtext.batch.job as job_module

    src = tmp_path / "notes.jsonl"
    write(src, ["a"])

    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(job_module, "open", denied, raising=False)  # (as root, chmod cannot deny reading)
    assert job_module.file_fingerprint(str(src)) == [str(src), None, "unreadable (PermissionError)"]


@pytest.mark.parametrize("output", ["", "   "])
def test_an_empty_output_is_refused_in_one_line_by_the_api(tmp_path, output):
    with pytest.raises(InputError, match=r"E011.*Option -o"):
        annotate_corpus(AnnotateJob(inputs=[str(tmp_path)], output=output))
