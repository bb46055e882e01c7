"""The lower bounds in pyproject.toml agree with requirements/lowest.txt and the shipped models.

requirements/lowest.txt pins the lowest versions the bounds allow (``make test-lowest`` runs the
tests against them); these checks need nothing installed beyond ``packaging``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

packaging_requirements = pytest.importorskip("packaging.requirements")
from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: E402
from packaging.utils import canonicalize_name  # noqa: E402
from packaging.version import Version  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LOWEST = REPO / "requirements" / "lowest.txt"


def declared() -> dict:
    """Name -> Requirement of every versioned direct dependency (run time and ``dev``)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [packaging_requirements.Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]
    return {canonicalize_name(r.name): r for r in reqs if r.specifier}


def pinned() -> dict:
    """Name -> Version of each ``name==version`` line of requirements/lowest.txt."""
    pins = {}
    for line in LOWEST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not a name==version line: {line!r}"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def lower_bound(spec: SpecifierSet) -> Version:
    """The version a ``>=`` specifier starts at.

    Example:
        >>> str(lower_bound(SpecifierSet(">=3.8.18,<4")))
        '3.8.18'
    """
    (bound,) = [s.version for s in spec if s.operator == ">="]
    return Version(bound)


def test_every_versioned_dependency_has_one_pin_at_its_lower_bound():
    deps, pins = declared(), pinned()
    assert sorted(pins) == sorted(deps)  # a line for each bound, and none for anything else
    for name, req in deps.items():
        version, bound = pins[name], lower_bound(req.specifier)
        assert req.specifier.contains(version, prereleases=True), f"{name}=={version} is outside {req.specifier}"
        # the pin is the bound itself, up to the bound's precision (scipy>=1.11 -> 1.11.1: 1.11.0 has no wheel)
        assert version.release[: len(bound.release)] == bound.release, f"{name}=={version} is above its bound {bound}"


def test_the_lowest_spacy_allowed_satisfies_every_shipped_model():
    lowest = lower_bound(declared()["spacy"].specifier)
    checked = 0
    for meta_path in sorted((REPO / "models").glob("*/meta.json")):
        wanted = json.loads(meta_path.read_text(encoding="utf-8")).get("spacy_version")
        try:
            spec = SpecifierSet(wanted or "")
        except InvalidSpecifier:  # a bare "3.8.18" records the training version, it asks for nothing
            continue
        if len(spec):
            checked += 1
            assert spec.contains(lowest), f"pyproject allows spacy {lowest}; {meta_path.parent.name} says {wanted}"
    assert checked, "no shipped model states a spaCy range (models/ner/meta.json did)"
