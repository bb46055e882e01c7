"""Regular expressions from the table of emitted code are the patterns ``re`` makes (same code, flags, groups)."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medtext.pipeline import regex_cache
from medtext.pipeline.regex_cache import precompiled_regexes

pytestmark = pytest.mark.skipif(not regex_cache.supported(), reason="CPython's regex engine only")

PATTERNS = [
    (r"(?P<dose>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg)\b", 0),
    (r"(?<=[a-z]{2})\.(?=[A-Z][a-z])", 0),
    (r"^\s*(history|hpi)\s*:", re.IGNORECASE | re.MULTILINE),
    (r"[^\W\d_]+(?:-[^\W\d_]+)*", 0),
    (rb"\x00+", 0),
    (r"(a)(?:b)(?P<c>c)?\1", re.VERBOSE),
]


def fresh(pattern, flags):
    """A pattern compiled by ``re`` itself, bypassing its cache."""
    return re._compiler.compile(pattern, flags)


def test_patterns_from_the_table_equal_python_s(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    re.purge()
    with precompiled_regexes():
        first = [re.compile(p, f) for p, f in PATTERNS]
    assert regex_cache.read_cached(regex_cache.NAME, regex_cache._key())  # saved
    re.purge()
    parsed = []
    monkeypatch.setattr(regex_cache._parser, "parse", lambda *a, **k: parsed.append(a) or pytest.fail("parsed again"))
    with precompiled_regexes():
        second = [re.compile(p, f) for p, f in PATTERNS]
    monkeypatch.undo()
    assert parsed == []
    for (pattern, flags), a, b in zip(PATTERNS, first, second):
        expected = fresh(pattern, flags)
        assert a == b == expected
        assert (b.flags, b.groups, b.groupindex) == (expected.flags, expected.groups, expected.groupindex)
    assert second[0].search("given 20 mg").group("unit") == "mg"
    assert re._compiler.compile is regex_cache._state["original"] or regex_cache._state["depth"] == 0


def test_outside_the_block_re_is_untouched(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    before = re._compiler.compile
    with precompiled_regexes():
        with precompiled_regexes():  # nested
            assert re._compiler.compile is not before
        assert re._compiler.compile is not before
    assert re._compiler.compile is before


def test_a_bad_table_entry_falls_back_to_compiling(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    re.purge()
    bad = {(r"x+y", 0): (32, [1, 2, 3], 0, {}, (None,))}  # not valid engine code
    regex_cache.write_cached(regex_cache.NAME, regex_cache._key(), bad)
    with precompiled_regexes():
        pattern = re.compile(r"x+y")
    assert pattern == fresh(r"x+y", 0) and pattern.search("axxy").span() == (1, 4)


def test_with_caching_off_nothing_is_hooked(monkeypatch):
    monkeypatch.setenv("MEDTEXT_CACHE", "off")
    before = re._compiler.compile
    with precompiled_regexes():
        assert re._compiler.compile is before


def test_a_second_start_up_compiles_no_regular_expression(tmp_path):
    """The pipeline's modules and build, in fresh processes: the second one takes every pattern from the table."""
    script = textwrap.dedent("""
        import json
        from re import _compiler
        from medtext.pipeline import regex_cache
        compiled = []  # patterns re compiled itself inside the start-up blocks
        original = _compiler.compile
        def counting(pattern, flags=0):
            if regex_cache._state["depth"]:
                compiled.append(pattern)
            return original(pattern, flags)
        _compiler.compile = counting
        from medtext.cli.annotate import _import_pipeline_modules
        from medtext.batch.job import PipelineSettings
        from medtext.batch.worker import get_pipeline
        _import_pipeline_modules()
        get_pipeline(PipelineSettings(exclude=("ner",)))
        print(json.dumps(len(compiled)))
    """)
    env = {"MEDTEXT_CACHE": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True) for _ in range(2)]
    first, second = (int(r.stdout.strip().splitlines()[-1]) for r in runs)
    assert first > 200  # the pipeline's patterns (about 300), compiled once to fill the table
    assert second == 0
