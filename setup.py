"""Packaging glue that pyproject.toml cannot express on its own.

The trained models in ``models/`` ship inside the package as ``medtext._models``,
so a wheel built with ``pip wheel .`` finds them just as an editable install does.
Everything else is configured in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    # namespace packages: the data folders without __init__.py (resources/lexicons, ...) are packages too, so
    # setuptools does not warn at every install that it would ignore them (their files ship either way)
    packages=find_namespace_packages(include=["medtext", "medtext.*"], exclude=["*.__pycache__"])
    + ["medtext._models"]
    + ["medtext._models." + name for name in find_namespace_packages(where="models", exclude=["*.__pycache__", "__pycache__"])],
    package_dir={"medtext._models": "models"},
)
