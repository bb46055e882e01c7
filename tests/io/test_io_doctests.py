"""Every docstring example in medtext.io runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import medtext.io

MODULES = sorted(m.name for m in pkgutil.iter_modules(medtext.io.__path__, "medtext.io."))


def test_every_module_is_listed() -> None:
    assert "medtext.io.decode" in MODULES and "medtext.io.dispatch" in MODULES


@pytest.mark.parametrize("name", ["medtext.io", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0


@pytest.mark.parametrize("name", ["medtext.io", *MODULES])
def test_io_imports_nothing_else_from_medtext(name: str) -> None:
    source = importlib.util.find_spec(name).origin
    with open(source, encoding="utf-8") as fh:
        imports = [line.strip() for line in fh if line.strip().startswith(("import medtext", "from medtext"))]
    for line in imports:
        target = line.split()[1]
        assert target in ("medtext.errors", "medtext.text_checks") or target.startswith("medtext.io"), line
