import json

import numpy as np
import pytest

from medtext.errors import InputError, ModelError
from medtext.learn import load_model, train
from medtext.learn.persist import MODEL_FORMAT, resolve_model, write_meta

from learn_fixtures import SMALL_FEATURES


@pytest.fixture()
def model_dir(tmp_path, texts_rows):
    train(texts_rows, output=tmp_path / "topic", features=SMALL_FEATURES, checks=False)
    return tmp_path / "topic"


@pytest.mark.parametrize("victim", ["coef.npy", "vocab.word.json", "idf.char.npy"])
def test_tampered_file_refused(model_dir, victim):
    p = model_dir / victim
    data = bytearray(p.read_bytes())
    data[-3] ^= 0x01
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="E032"):
        load_model(model_dir)


def test_pickled_array_never_loaded(model_dir):
    # Replace a weight file by an object array (needs pickle) and fix up its checksum: still refused.
    from medtext.learn.persist import sha256_file

    np.save(model_dir / "coef.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["files"]["coef.npy"] = sha256_file(model_dir / "coef.npy")
    write_meta(model_dir, meta)          # a consistent folder: meta.json's integrity record matches
    with pytest.raises(ModelError, match="E035"):
        load_model(model_dir)


def test_newer_model_format_asks_to_upgrade_medtext(model_dir):
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["format_version"] = MODEL_FORMAT + 1
    write_meta(model_dir, meta)
    with pytest.raises(ModelError, match="E070.*Upgrade medtext"):
        load_model(model_dir)


def test_library_versions_are_not_compared(model_dir):
    """A model built with another scikit-learn or medtext of the same model format loads: prediction
    is numpy only and the format version says what the folder holds."""
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    meta["versions"]["medtext"] = "99.0"
    write_meta(model_dir, meta)
    assert load_model(model_dir).predict(["carcinoma"])


def test_missing_meta_and_unknown_name(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="E031"):
        load_model(tmp_path / "empty")
    monkeypatch.setenv("MEDTEXT_MODELS", str(tmp_path))
    with pytest.raises(ModelError, match="E030"):
        load_model("no-such-model")


def test_found_by_name_in_medtext_models(model_dir, monkeypatch):
    monkeypatch.setenv("MEDTEXT_MODELS", str(model_dir.parent))
    assert resolve_model("topic") == model_dir
    assert load_model("topic").name == "topic"


def test_missing_weight_file(model_dir):
    (model_dir / "intercept.npy").unlink()
    with pytest.raises(ModelError, match="E035"):
        load_model(model_dir)


# ----------------------------------------------------------------------------- saving into existing folders


def test_foreign_folder_is_not_overwritten(tmp_path, texts_rows):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "config.json").write_text("{}")
    (proj / "embeddings.npy").write_bytes(b"x")
    with pytest.raises(InputError, match="E008") as exc:
        train(texts_rows, output=proj, features=SMALL_FEATURES, checks=False)
    assert "new or empty folder" in str(exc.value) and "\n" not in str(exc.value)
    assert sorted(p.name for p in proj.iterdir()) == ["config.json", "embeddings.npy"]


def test_output_that_is_a_file_is_refused(tmp_path, texts_rows):
    target = tmp_path / "model.jsonl"
    target.write_text("keep me")
    with pytest.raises(InputError, match="E008.*is a file"):
        train(texts_rows, output=target, features=SMALL_FEATURES, checks=False)
    assert target.read_text() == "keep me"


def test_retrain_replaces_only_listed_files(model_dir, texts_rows):
    (model_dir / "README.md").write_text("notes about this model")
    (model_dir / "report").mkdir()
    old = set(json.loads((model_dir / "meta.json").read_text())["files"])
    train(texts_rows, output=model_dir, features=dict(SMALL_FEATURES, concepts=True), checks=False)
    new = set(json.loads((model_dir / "meta.json").read_text())["files"])
    assert "vocab.concepts.json" in new - old
    assert (model_dir / "README.md").read_text() == "notes about this model" and (model_dir / "report").is_dir()
    train(texts_rows, output=model_dir, features=SMALL_FEATURES, checks=False)
    assert not (model_dir / "vocab.concepts.json").exists()      # listed by the old meta.json: replaced
    assert (model_dir / "README.md").exists()
    assert load_model(model_dir).predict(["carcinoma"])


def test_model_folder_with_unlisted_weight_file_is_refused(model_dir, texts_rows):
    (model_dir / "extra.npy").write_bytes(b"mine")
    with pytest.raises(InputError, match="E008.*extra.npy"):
        train(texts_rows, output=model_dir, features=SMALL_FEATURES, checks=False)
    assert (model_dir / "extra.npy").read_bytes() == b"mine"


# ----------------------------------------------------------------------------- corrupt folders with matching checksums


def replace_file(model_dir, name, content):
    """Write a model file and record its new checksum (a consistent but corrupt folder)."""
    from medtext.learn.persist import sha256_file

    path = model_dir / name
    if isinstance(content, np.ndarray):
        np.save(path, content, allow_pickle=False)
    else:
        path.write_bytes(content)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["files"][name] = sha256_file(path)
    write_meta(model_dir, meta)


CORRUPTIONS = {
    "vocab not JSON": ("vocab.word.json", b"[not json", "vocab.word.json"),
    "vocab not UTF-8": ("vocab.word.json", b'["\xff\xfe"]', "vocab.word.json"),
    "vocab of numbers": ("vocab.word.json", b"[1, 2, 3]", "vocabulary"),
    "coef of the wrong shape": ("coef.npy", np.zeros((3, 10), dtype=np.float32), "coef has shape"),
    "intercept too short": ("intercept.npy", np.zeros(1, dtype=np.float32), "intercept"),
    "idf too short": ("idf.word.npy", np.ones(4, dtype=np.float32), "idf of block 'word'"),
    "coef with NaN": ("coef.npy", None, "NaN"),
    "truncated npy": ("idf.char.npy", b"\x93NUMPY\x01\x00", "idf.char.npy"),
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_corrupt_folder_is_one_e035(model_dir, case):
    name, content, hint = CORRUPTIONS[case]
    if content is None:
        content = np.load(model_dir / name).copy()
        content[0, 0] = np.nan
    replace_file(model_dir, name, content)
    with pytest.raises(ModelError, match="E035") as exc:
        load_model(model_dir)
    assert hint in str(exc.value) and "\n" not in str(exc.value)


# ----------------------------------------------------------------------------- meta.json integrity


def _edit_meta(model_dir, edit):
    meta = json.loads((model_dir / "meta.json").read_text())
    edit(meta)
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=2))


META_EDITS = {
    "labels reversed": lambda m: m["spec"].__setitem__("labels", m["spec"]["labels"][::-1]),
    "top-level labels": lambda m: m.__setitem__("labels", m["labels"][::-1]),
    "link": lambda m: m["spec"]["head"].__setitem__("link", "logistic"),
    "block weight": lambda m: m["spec"]["blocks"][0].__setitem__("weight", 2.0),
    "medtext version": lambda m: m["versions"].__setitem__("medtext", "99.0"),
    "scikit-learn version": lambda m: m["versions"].__setitem__("scikit-learn", "0.1"),
    "file list": lambda m: m["files"].pop("idf.char.npy"),
    "digest removed": lambda m: m.pop("spec_sha256"),
    "NaN weight": lambda m: m["spec"]["blocks"][0].__setitem__("weight", float("nan")),
}


@pytest.mark.parametrize("edit", list(META_EDITS))
def test_edited_meta_is_refused(model_dir, edit):
    _edit_meta(model_dir, META_EDITS[edit])
    with pytest.raises(ModelError, match="E072") as exc:
        load_model(model_dir)
    assert "\n" not in str(exc.value)


def test_description_edits_are_fine(model_dir):
    _edit_meta(model_dir, lambda m: m.update(name="renamed", metrics={"note": "by hand"}))
    assert load_model(model_dir).name == "renamed"


def test_format_1_folder_is_refused_then_upgraded(model_dir, capsys):
    from medtext.learn.upgrade import main

    before = load_model(model_dir).predict_proba(["metastatic carcinoma"])
    _edit_meta(model_dir, lambda m: (m.update(format_version=1), m.pop("spec_sha256")))
    with pytest.raises(ModelError, match="E071.*medtext.learn.upgrade"):
        load_model(model_dir)
    assert main([str(model_dir)]) == 0 and "upgraded to model format 2" in capsys.readouterr().err
    assert np.array_equal(load_model(model_dir).predict_proba(["metastatic carcinoma"]), before)
    assert main([str(model_dir)]) == 0 and "already" in capsys.readouterr().err


def test_upgrade_refuses_modified_weights(model_dir):
    from medtext.learn.upgrade import upgrade_folder

    _edit_meta(model_dir, lambda m: (m.update(format_version=1), m.pop("spec_sha256")))
    p = model_dir / "coef.npy"
    data = bytearray(p.read_bytes())
    data[-3] ^= 0x01
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="E032"):
        upgrade_folder(model_dir)
    assert json.loads((model_dir / "meta.json").read_text())["format_version"] == 1


@pytest.mark.parametrize("name,found", [("ner", "spaCy pipeline"), ("phi-physionet", "'phi'")])
def test_other_shipped_models_are_named_for_what_they_are(name, found):
    """`medtext classify --model ner` said the folder was 'unreadable: meta.json lacks format_version, spec or
    files', as if the NER model were damaged; the error now says what it is (E034)."""
    from medtext.errors import ModelError
    from medtext.learn import load_model

    with pytest.raises(ModelError, match="E034") as exc:
        load_model(name)
    assert f"is a {found} model" in str(exc.value) and "classifier or regressor" in str(exc.value)
