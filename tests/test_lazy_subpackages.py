"""``import medtext`` stays light, and ``medtext.<subpackage>`` works after it without importing the subpackage
first (checked in fresh processes: the test session has them imported already)."""

import json
import subprocess
import sys
import textwrap

import pytest

import medtext


def run_fresh(code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_bare_import_loads_no_subpackage_and_each_loads_on_first_use():
    found = run_fresh("""
        import json, sys
        import medtext
        before = sorted(m for m in sys.modules if m.startswith("medtext."))
        names = {"learn": medtext.learn.load_model.__module__, "deid": medtext.deid.deidentify.__module__,
                 "io": medtext.io.read_corpus.__module__, "errors": medtext.errors.MedtextError.__name__}
        print(json.dumps({"before": before, "names": names, "dir": "learn" in dir(medtext)}))
    """)
    assert found["before"] == ["medtext.about"]
    assert found["names"] == {"learn": "medtext.learn.loaded_model", "deid": "medtext.deid",
                              "io": "medtext.io.dispatch", "errors": "MedtextError"}
    assert found["dir"]


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'resources_x'"):
        medtext.resources_x  # noqa: B018
