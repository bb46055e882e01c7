"""The gold readers of ``medtext.io`` load on first use: reading a plain corpus imports none of them, and
``from medtext.io import X`` still works for every public X (checked in fresh processes)."""

import json
import subprocess
import sys
import textwrap

GOLD_MODULES = ("ab3p", "brat", "conll", "negex", "physionet", "pubtator", "rct")


def run_fresh(code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_reading_a_jsonl_corpus_imports_no_gold_reader(tmp_path):
    corpus = tmp_path / "notes.jsonl"
    corpus.write_text('{"id": "a", "text": "No fever."}\n', encoding="utf-8")
    found = run_fresh(f"""
        import json, sys
        from medtext.io import read_corpus
        ids = [r.id for r in read_corpus({str(corpus)!r})]
        print(json.dumps({{"ids": ids, "loaded": sorted(m for m in sys.modules if m.startswith("medtext.io."))}}))
    """)
    assert found["ids"] == ["a"]
    assert not [m for m in found["loaded"] if m.rsplit(".", 1)[1] in GOLD_MODULES]


def test_every_public_name_imports_and_a_gold_reader_loads_its_module():
    found = run_fresh("""
        import json, sys
        import medtext.io
        from medtext.io import read_pubtator
        before = "medtext.io.conll" in sys.modules
        from medtext.io import *  # noqa: F403
        missing = [name for name in medtext.io.__all__ if name not in globals()]
        print(json.dumps({"pubtator": read_pubtator.__module__, "conll_before": before, "missing": missing,
                          "conll_after": "medtext.io.conll" in sys.modules,
                          "dir": all(name in dir(medtext.io) for name in medtext.io.__all__)}))
    """)
    assert found == {"pubtator": "medtext.io.pubtator", "conll_before": False, "missing": [], "conll_after": True,
                     "dir": True}


def test_an_unknown_name_is_an_attribute_error():
    import pytest

    import medtext.io

    with pytest.raises(AttributeError, match="no attribute 'read_nothing'"):
        medtext.io.read_nothing  # noqa: B018
