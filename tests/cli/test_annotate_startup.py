"""Start-up of ``medtext annotate``: imports and the pipeline build run without garbage collections that
would only walk their long-lived objects (checked in fresh processes)."""

import json
import subprocess
import sys
import textwrap

COUNT_COLLECTIONS = """
import gc
collections = []
gc.callbacks.append(lambda phase, info: phase == "stop" and collections.append(info["generation"]))
"""


def run_fresh(code: str) -> dict:
    script = textwrap.dedent(COUNT_COLLECTIONS) + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pipeline_modules_are_imported_without_collections_then_frozen():
    found = run_fresh("""
        import json, sys
        from medtext.cli.annotate import _import_pipeline_modules
        collections.clear()
        _import_pipeline_modules()
        print(json.dumps({"collections": collections, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                          "spacy": "spacy" in sys.modules}))
    """)
    assert found["collections"] == []
    assert found["enabled"] and found["spacy"]
    assert found["frozen"] > 100_000


def test_a_built_pipeline_is_frozen_before_any_young_collection_walks_it():
    found = run_fresh("""
        import json
        from medtext.batch.job import PipelineSettings
        from medtext.batch.worker import get_pipeline
        import medtext.pipeline.loader, multiprocessing
        gc.collect()
        collections.clear()
        get_pipeline(PipelineSettings(exclude=("ner",)))
        print(json.dumps({"collections": collections, "enabled": gc.isenabled()}))
    """)
    assert found["collections"] == [2]  # the one full collection before freezing
    assert found["enabled"]
