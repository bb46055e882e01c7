"""Saving a model folder is all or nothing: an interrupted save (Ctrl-C, a full disk) leaves the old
model or the new one, never a mix, and the same train command works again."""

from __future__ import annotations

import errno
import json
import os

import numpy as np
import pytest

from medtext.errors import InputError, ModelError
from medtext.learn import folder_swap, load_model, persist, train
from medtext.learn.persist import load_spec, save_spec

from learn_fixtures import SMALL_FEATURES


@pytest.fixture()
def spec(texts_rows, tmp_path):
    """A small model's spec (and meta), exported from a first save."""
    train(texts_rows, output=tmp_path / "spec" / "first", features=SMALL_FEATURES, checks=False)
    return load_spec(tmp_path / "spec" / "first")[1]


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def siblings(folder):
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def failing_save(monkeypatch, exc, at=3):
    """np.save (as persist calls it) raises ``exc`` on its ``at``-th call: weights half written."""
    real = np.save
    calls = {"n": 0}

    def save(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(persist.np, "save", save)


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_interrupted_save_keeps_the_old_model(tmp_path, spec, monkeypatch, exc):
    folder = tmp_path / "models" / "m"
    save_spec(spec, folder, {"name": "m", "round": 1})
    before = snapshot(folder)
    failing_save(monkeypatch, exc)
    with pytest.raises(InputError if isinstance(exc, OSError) else KeyboardInterrupt) as err:
        save_spec(spec, folder, {"name": "m", "round": 2})
    if isinstance(exc, OSError):
        assert "E008" in str(err.value) and "No space left" in str(err.value) and "\n" not in str(err.value)
    assert snapshot(folder) == before and siblings(folder) == []      # untouched, nothing left beside it
    assert load_model(folder).meta["round"] == 1
    monkeypatch.undo()
    save_spec(spec, folder, {"name": "m", "round": 2})                # the same save works again
    assert load_model(folder).meta["round"] == 2 and siblings(folder) == []


def test_interrupted_first_save_leaves_nothing(tmp_path, spec, monkeypatch):
    folder = tmp_path / "models" / "m"
    failing_save(monkeypatch, KeyboardInterrupt(), at=2)
    with pytest.raises(KeyboardInterrupt):
        save_spec(spec, folder)
    assert not folder.exists() and siblings(folder) == []
    monkeypatch.undo()
    save_spec(spec, folder)
    assert load_model(folder).labels


def test_interrupted_train_command_can_be_rerun(tmp_path, texts_rows, monkeypatch):
    from typer.testing import CliRunner

    from medtext.cli.app import app as APP

    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in texts_rows))
    args = ["train", "-i", str(data), "-o", str(tmp_path / "m"), "--config", str(tmp_path / "c.json")]
    (tmp_path / "c.json").write_text(json.dumps({"features": SMALL_FEATURES}))
    assert CliRunner().invoke(APP, args).exit_code == 0
    before = snapshot(tmp_path / "m")
    failing_save(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    r = CliRunner().invoke(APP, args)
    assert r.exit_code == 2 and "E008" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert snapshot(tmp_path / "m") == before
    monkeypatch.undo()
    assert CliRunner().invoke(APP, args).exit_code == 0


def test_without_an_atomic_exchange_two_renames_swap_the_folder(tmp_path, spec, monkeypatch):
    folder = tmp_path / "models" / "m"
    save_spec(spec, folder, {"round": 1})
    (folder / "README.md").write_text("mine")
    monkeypatch.setattr(folder_swap, "_exchange", lambda a, b: False)
    save_spec(spec, folder, {"round": 2})
    assert load_model(folder).meta["round"] == 2 and (folder / "README.md").read_text() == "mine"
    assert siblings(folder) == []
    real = os.rename

    def rename(src, dst):  # the new folder cannot take the old one's place: the old one comes back
        if ".partial-" in str(src) and str(dst) == str(folder):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(folder_swap.os, "rename", rename)
    with pytest.raises(InputError, match="E008"):
        save_spec(spec, folder, {"round": 3})
    assert load_model(folder).meta["round"] == 2 and siblings(folder) == []


def test_folder_that_cannot_be_renamed_is_replaced_file_by_file(tmp_path, spec, monkeypatch):
    """A mount point (EBUSY) keeps its place: the files move in, meta.json last."""
    folder = tmp_path / "models" / "m"
    save_spec(spec, folder, {"round": 1})
    (folder / "README.md").write_text("mine")

    def busy(a, b):
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(folder_swap, "_exchange", busy)
    save_spec(spec, folder, {"round": 2})
    assert load_model(folder).meta["round"] == 2 and (folder / "README.md").read_text() == "mine"
    assert siblings(folder) == [] and not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_no_room_beside_the_folder_stages_inside_it(tmp_path, spec, monkeypatch):
    folder = tmp_path / "models" / "m"
    save_spec(spec, folder, {"round": 1})
    real = folder_swap._sibling

    def sibling(target, kind):
        if target == folder:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(target, kind)

    monkeypatch.setattr(folder_swap, "_sibling", sibling)
    save_spec(spec, folder, {"round": 2})
    assert load_model(folder).meta["round"] == 2
    assert siblings(folder) == [] and not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_link_to_a_model_folder_stays_a_link(tmp_path, spec):
    real = tmp_path / "models" / "v1"
    save_spec(spec, real, {"round": 1})
    link = tmp_path / "models" / "current"
    link.symlink_to(real, target_is_directory=True)
    save_spec(spec, link, {"round": 2})
    assert link.is_symlink() and load_model(real).meta["round"] == 2


def test_half_written_folder_is_one_clear_error(tmp_path, spec):
    """What an older medtext could leave (weights, no meta.json) loads as E031, not a traceback."""
    folder = tmp_path / "models" / "m"
    save_spec(spec, folder)
    (folder / "meta.json").unlink()
    with pytest.raises(ModelError, match="E031"):
        load_model(folder)
