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
    """Show pipeline components, available models and library versions.

    A model folder whose meta.json cannot be read is listed with the reason and skipped.
    """
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
        models[name] = _model_entry(folder, read_meta)
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
    typer.echo("models:     " + (", ".join(f"{k} ({v['error'] if 'error' in v else v['task']})" for k, v in models.items()) or "(none)"))
    typer.echo("searched:   " + ", ".join(data["model_dirs"]))


def _model_entry(folder, read_meta) -> dict:
    """``{"task", "path"}`` of a model folder; a bad meta.json gives ``task: None`` and a short ``error``."""
    from medtext.errors import MedtextError

    try:
        meta = read_meta(folder)
    except MedtextError:
        return {"task": None, "path": str(folder), "error": "unreadable: meta.json cannot be read as JSON"}
    if not isinstance(meta, dict):
        return {"task": None, "path": str(folder), "error": "unreadable: meta.json does not hold a JSON object"}
    task = meta.get("task")
    return {"task": task if isinstance(task, str) else None, "path": str(folder)}
