"""The disk cache of derived start-up data: a file is used only for its key, whole and undamaged."""

import os

import pytest

from medtext.pipeline import disk_cache
from medtext.pipeline.disk_cache import cache_dir, read_cached, source_key, write_cached

DATA = {"entries": {"renal failure": "DISEASE\tMESH:D051437"}, "hashes": [2**63 + 5, -1], "flags": frozenset(["cs"])}


def test_data_comes_back_for_its_key_only(tmp_path):
    assert write_cached("lexicon", b"key 1", DATA, tmp_path)
    assert read_cached("lexicon", b"key 1", tmp_path) == DATA
    assert read_cached("lexicon", b"key 2", tmp_path) is None
    assert read_cached("other", b"key 1", tmp_path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["lexicon.marshal"]  # no temporary file left behind


@pytest.mark.parametrize("damage", ["flip_payload", "truncate", "flip_magic", "empty", "garbage"])
def test_a_damaged_file_is_ignored(tmp_path, damage):
    write_cached("lexicon", b"key", DATA, tmp_path)
    path = tmp_path / "lexicon.marshal"
    blob = bytearray(path.read_bytes())
    if damage == "flip_payload":
        blob[-3] ^= 0xFF
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "flip_magic":
        blob[0] ^= 0xFF
    elif damage == "empty":
        blob = bytearray()
    else:
        blob = bytearray(os.urandom(200))
    path.write_bytes(bytes(blob))
    assert read_cached("lexicon", b"key", tmp_path) is None


def test_the_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert write_cached("x", b"k", [1]) and read_cached("x", b"k") == [1]
    monkeypatch.delenv("MEDTEXT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "medtext"


@pytest.mark.parametrize("value", ["off", "0", "", "OFF"])
def test_caching_can_be_turned_off(monkeypatch, value):
    monkeypatch.setenv("MEDTEXT_CACHE", value)
    assert cache_dir() is None
    assert write_cached("x", b"k", [1]) is False
    assert read_cached("x", b"k") is None


def test_an_unwritable_folder_costs_nothing_but_the_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert write_cached("x", b"k", [1], blocker / "cache") is False
    assert write_cached("x", b"k", object(), tmp_path) is False  # marshal cannot hold it


def test_keys_depend_on_file_contents(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("a\tDISEASE\n")
    first = source_key("v1", path)
    path.write_text("b\tDISEASE\n")
    assert source_key("v1", path) != first
    assert source_key("v1", b"ab", b"c") != source_key("v1", b"a", b"bc")  # parts are delimited
    assert disk_cache.MAGIC.endswith(b"\n")
