"""The seed of ``medtext deid`` is a secret key: without ``--seed`` every run draws a fresh one.

With a fixed default (it was 0), anyone holding a released corpus and medtext recomputes each
document's date shift from its id (on the PhysioNet notes: the exact shift of 182 of the 195
notes with dates, at the first guess) and reads the real dates back.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from medtext.cli.app import app
from medtext.deid.batch import DeidJob, deid_corpus
from medtext.deid.surrogates import SurrogateMaker

NOTE = "Admitted 7/23/2101 by Dr. Brannigan, discharged 7/30/2101."
DATES = ("7/23/2101", "7/30/2101")


def _notes(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps({"id": f"n{i}", "text": NOTE}) + "\n" for i in range(6)), encoding="utf-8")
    return path


def _texts(path):
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_without_a_seed_the_shift_is_not_the_one_an_outsider_can_compute(tmp_path, nlp):
    notes = _notes(tmp_path)
    outs = []
    for run in range(2):
        out = tmp_path / f"out{run}.jsonl"
        deid_corpus(DeidJob(inputs=[str(notes)], output=str(out), mode="surrogate"), nlp=nlp)
        outs.append(_texts(out))
    assert outs[0] != outs[1]  # a fresh key per run
    guessed = [SurrogateMaker(seed, f"n{i}", ["Brannigan", *DATES]).date(DATES[0]) for seed in (0,) for i in range(6)]
    hits = sum(g in text for g, text in zip(guessed, outs[0]))
    assert hits <= 1, (guessed, outs[0])  # the default key would give all six


def test_the_seed_from_the_environment_is_the_seed_option(tmp_path, monkeypatch):
    notes = _notes(tmp_path)
    runner = CliRunner()
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert runner.invoke(app, ["deid", str(notes), "-o", str(a), "--mode", "surrogate", "--seed", "918273645", "-q"]).exit_code == 0
    monkeypatch.setenv("MEDTEXT_DEID_SEED", "918273645")
    assert runner.invoke(app, ["deid", str(notes), "-o", str(b), "--mode", "surrogate", "-q"]).exit_code == 0
    assert _texts(a) == _texts(b) and "7/23/2101" not in a.read_text(encoding="utf-8")
