"""Packaging glue that pyproject.toml cannot express on its own.

The trained models in ``models/`` ship inside the package as ``medtext._models``,
so a wheel built with ``pip wheel .`` finds them just as an editable install does.
Everything else is configured in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["medtext", "medtext.*"]) + ["medtext._models"],
    package_dir={"medtext._models": "models"},
)
