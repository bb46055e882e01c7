"""The shipped lexicon's disk-cache key covers the code that parses it and builds its keys and tries, in whichever
module that code lives (lexicon.py was split: keys and token tries moved to modules of their own)."""

import importlib

import pytest

from medtext.pipeline import lexicon


@pytest.mark.parametrize("module", ["lexicon", "lexicon_keys", "lexicon_tokens", "invisible"])
def test_the_key_covers_the_code_that_derives_the_cached_lexicon(monkeypatch, tmp_path, module):
    before = lexicon._cache_key(b"aspirin\tCHEMICAL\tMESH:D001241\n")
    changed = tmp_path / "changed.py"
    changed.write_text("# another version of the module\n")
    monkeypatch.setattr(importlib.import_module(f"medtext.pipeline.{module}"), "__file__", str(changed))
    assert lexicon._cache_key(b"aspirin\tCHEMICAL\tMESH:D001241\n") != before
