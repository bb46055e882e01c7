"""Which saved settings a component restores when a pipeline is loaded: those the loading config left alone.

Components save their settings beside their rules (``<pipeline>/<name>/cfg.json``), as they may be
changed on the component after it was built. ``spacy.load(path, config={"components.NAME.SETTING": v})``
builds the component with the override and then calls its ``from_disk``: restoring the saved value
there would silently undo the override. A setting counts as overridden when the value the component
was built with differs from the one in the pipeline's saved ``config.cfg``.

Example:
    >>> sorted(overridden({"threshold": 0.9, "use_rules": True}, {"threshold": None, "use_rules": True}))
    ['threshold']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from thinc.api import Config


def saved_config_block(folder: str | Path) -> dict[str, Any] | None:
    """The config block, in the pipeline's saved ``config.cfg``, of the component saved in ``folder``
    (``<pipeline>/<component name>``); None when there is none (a folder saved on its own)."""
    folder = Path(folder)
    path = folder.parent / "config.cfg"
    if not path.is_file():
        return None
    try:
        block = Config().from_disk(path, interpolate=False).get("components", {}).get(folder.name)
    except Exception:  # not a config we can read: restore everything, as before
        return None
    return dict(block) if isinstance(block, dict) else None


def overridden(given: dict[str, Any], saved: dict[str, Any] | None) -> set[str]:
    """The settings whose value the component was built with (``given``) differs from the saved config's."""
    if saved is None:
        return set()
    return {name for name, value in given.items() if name in saved and _plain(saved[name]) != _plain(value)}


def _plain(value: Any) -> Any:
    """JSON-equal form (tuples as lists) for comparing config values."""
    return srsly.json_loads(srsly.json_dumps(value))
