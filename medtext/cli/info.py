"""``medtext info``: pipeline components, available models and versions.

Example:
    $ medtext info
"""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``info`` command to the app."""
    app.command("info")(info)


def info(
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
) -> None:
    """Show pipeline components, available models and library versions."""
    import json
    import platform

    from medtext.about import __version__
    from medtext.models import list_models, model_dirs, read_meta
    from medtext.pipeline.loader import component_names

    versions = {"medtext": __version__, "python": platform.python_version()}
    for lib in ("spacy", "sklearn", "numpy", "pandas", "pyarrow", "dask"):
        try:
            versions[lib] = __import__(lib).__version__
        except ImportError:
            versions[lib] = None
    models = {}
    for name, folder in list_models().items():
        meta = read_meta(folder)
        models[name] = {"task": meta.get("task"), "path": str(folder)}
    data = {
        "versions": versions,
        "components": component_names(),
        "models": models,
        "model_dirs": [str(d) for d in model_dirs()],
    }
    if json_output:
        typer.echo(json.dumps(data))
        return
    typer.echo(f"medtext {__version__}")
    typer.echo("versions:   " + ", ".join(f"{k} {v}" for k, v in versions.items() if k != "medtext"))
    typer.echo("components: " + ", ".join(data["components"]))
    typer.echo("models:     " + (", ".join(f"{k} ({v['task']})" for k, v in models.items()) or "(none)"))
    typer.echo("searched:   " + ", ".join(data["model_dirs"]))
