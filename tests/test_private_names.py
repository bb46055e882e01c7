"""No module of medtext, scripts or benchmarks imports another module's private (underscore) names.

A helper that another module needs gets a public name in the module that owns it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The project's own sources (not virtual environments or benchmark work folders inside benchmarks/).
CHECKED = sorted(p for folder in ("medtext", "scripts", "benchmarks") for p in (REPO / folder).rglob("*.py")
                 if not any(part.startswith(".venv") or part in ("work", "__pycache__") for part in p.relative_to(REPO).parts))


def private_imports(path: Path) -> list[str]:
    """``module.name`` of each underscore name imported from another medtext module (sklearn's are not ours)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(("medtext", "scripts", "benchmarks"))):
            found += [f"{'.' * node.level}{node.module}.{a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
    return found


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(REPO)))
def test_no_private_name_is_imported_across_modules(path: Path) -> None:
    assert private_imports(path) == []


def test_the_check_sees_a_private_import(tmp_path) -> None:
    f = tmp_path / "m.py"
    f.write_text("from .linear import SparseInput, _f32\nfrom sklearn.utils import _safe_indexing\n")
    assert private_imports(f) == [".linear._f32"]
