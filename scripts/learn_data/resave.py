"""Rewrite model folders in the current storage layout without retraining (weights unchanged).

    python -m scripts.learn_data.resave models/abstract-topics [...]
"""

import sys
from pathlib import Path

from medtext.learn.persist import load_spec, save_spec

if __name__ == "__main__":
    for folder in map(Path, sys.argv[1:]):
        meta, spec = load_spec(folder)
        for key in ("spec", "files", "format_version", "kind", "labels", "versions"):
            meta.pop(key, None)
        save_spec(spec, folder, meta)
        print(f"rewrote {folder}", file=sys.stderr)
