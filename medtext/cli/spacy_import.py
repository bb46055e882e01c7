"""Let a command import spaCy without its command-line package (about 0.3 s less start-up).

``import spacy`` runs ``from .cli.info import info``, which imports all of
``spacy.cli``: its commands, weasel, requests and httpx (a third of spaCy's import
time, 330 modules), none of which a medtext command uses. After
:func:`hold_back_spacy_cli`, the next ``import spacy`` runs with ``spacy.cli`` held
back: ``spacy.info`` becomes a function that imports the real one when called, and
``spacy.cli`` (as an attribute or with ``import spacy.cli``) imports the real package
on first use. Nothing else changes. The ``medtext`` command calls it first thing;
library code never does.

Example:
    >>> import spacy  # already imported: nothing to hold back
    >>> hold_back_spacy_cli()
    False
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

_HELD_BACK = ("spacy.cli", "spacy.cli.info")


def hold_back_spacy_cli() -> bool:
    """Make the coming ``import spacy`` skip ``spacy.cli``; False when spaCy is already imported."""
    if "spacy" in sys.modules or any(name in sys.modules for name in _HELD_BACK):
        return False
    if not any(isinstance(finder, _SpacyFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SpacyFinder())
    return True


class _SpacyFinder(importlib.abc.MetaPathFinder):
    """Finds the real ``spacy`` package once, with a loader that holds ``spacy.cli`` back."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "spacy":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.abc.Loader):
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        package = types.ModuleType("spacy.cli")
        package.__path__ = []  # a package in name only: the real one replaces it on first use
        info_module = types.ModuleType("spacy.cli.info")
        info_module.info = _info  # type: ignore[attr-defined]
        stubs = {"spacy.cli": package, "spacy.cli.info": info_module}
        sys.modules.update(stubs)
        try:
            self.loader.exec_module(module)
        finally:
            for name, stub in stubs.items():
                if sys.modules.get(name) is stub:
                    del sys.modules[name]
            if module.__spec__ is not None:
                module.__spec__.loader = self.loader
            module.__loader__ = self.loader
        if module.__dict__.get("cli") is package:
            del module.cli
        if "cli" not in module.__dict__ and "__getattr__" not in module.__dict__:
            module.__getattr__ = _spacy_getattr  # type: ignore[attr-defined]


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real function, imported on the first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _spacy_getattr(name: str) -> Any:
    """``spacy.cli`` imports the real package on first access (PEP 562)."""
    if name == "cli":
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")
